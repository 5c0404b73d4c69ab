// An app-supplied fetch that ignores `redirect: 'manual'` would re-send a token request (code and
// verifier, or refresh token) wherever a 307/308 points: such answers are refused, never used.
import { describe, expect, it } from 'vitest';
import { ClientAuthError } from '../../src/errors/index.js';
import type { FetchLike } from '../../src/ports.js';
import {
  FakeProvider,
  MemoryStore,
  REDIRECT_URI,
  SUBJECT,
  callbackUrl,
  json,
  rejectionOf,
  setup,
} from './fake-provider.js';
import type { RecordedRequest } from './fake-provider.js';

const ELSEWHERE = 'https://collector.example.net/token';

/** Marks a response as the result of followed redirects, as `fetch` does. */
function redirected(response: Response): Response {
  return Object.defineProperty(response, 'redirected', { value: true });
}

/**
 * A provider whose token endpoint answers 307 to another host, behind a fetch that follows it
 * (re-posting the body, as 307 requires): what the other host received is recorded.
 */
function followingSetup(metadataStore?: MemoryStore) {
  const provider = new FakeProvider();
  const reposted: RecordedRequest[] = [];
  provider.token = () => new Response(null, { status: 307, headers: { location: ELSEWHERE } });
  const following: FetchLike = async (input, init) => {
    const response = await provider.fetch(input, init);
    const location = response.headers.get('location');
    if (response.status !== 307 || location === null) return response;
    reposted.push({ url: new URL(location), method: init?.method ?? 'GET', body: undefined });
    return redirected(
      json({ access_token: 'stolen-or-forged', token_type: 'Bearer', expires_in: 3600 }),
    );
  };
  const s = setup(provider, { fetch: following, ...(metadataStore && { metadataStore }) });
  return { ...s, reposted };
}

describe('redirected answers (fetch seam)', () => {
  it('refuses a redirected code exchange answer: typed error, no retry, nothing returned', async () => {
    const s = followingSetup();
    const { secrets } = await s.client.createAuthorizationRequest({
      redirectUri: REDIRECT_URI,
      scopes: ['api.read'],
    });

    const error = await rejectionOf(
      s.client.handleAuthorizationResponse(callbackUrl({ code: 'c', state: secrets.state }), {
        secrets,
        redirectUri: REDIRECT_URI,
        requestedScopes: ['api.read'],
      }),
    );

    expect(error).toBeInstanceOf(ClientAuthError);
    expect(error).toMatchObject({
      errorCode: 'invalid_response',
      retryable: false,
      requestSent: true,
    });
    expect((error as ClientAuthError).errorMessage).toMatch(/redirect/);
    expect(s.reposted).toHaveLength(1);
    expect(s.provider.tokenRequests).toHaveLength(1);
  });

  it('refuses a redirected refresh answer; the refresh token counts as sent', async () => {
    const s = followingSetup();

    const error = await rejectionOf(
      s.client.refresh({ refreshToken: 'rt', scopes: [], expectedSub: SUBJECT }),
    );

    expect(error).toMatchObject({ errorCode: 'invalid_response', requestSent: true });
    expect(s.provider.tokenRequests).toHaveLength(1);
  });

  it('refuses a redirected discovery answer and remembers nothing', async () => {
    const store = new MemoryStore();
    const provider = new FakeProvider();
    const s = setup(provider, {
      metadataStore: store,
      fetch: async (input, init) => redirected(await provider.fetch(input, init)),
    });

    expect(await rejectionOf(s.client.discover())).toMatchObject({
      errorCode: 'discovery_failed',
    });
    expect(provider.discoveryRequests).toHaveLength(1);
    expect(store.entries.size).toBe(0);
  });

  it('refuses an opaque redirect (what fetch with redirect: manual gives for a 3xx)', async () => {
    const provider = new FakeProvider();
    const s = setup(provider, {
      fetch: async (input, init) => {
        const response = await provider.fetch(input, init);
        if (init?.method !== 'POST') return response;
        expect(init.redirect).toBe('manual');
        return Object.defineProperties(new Response(null), {
          type: { value: 'opaqueredirect' },
          status: { value: 0 },
        });
      },
    });

    const error = await rejectionOf(
      s.client.refresh({ refreshToken: 'rt', scopes: [], expectedSub: SUBJECT }),
    );

    expect(error).toMatchObject({ errorCode: 'invalid_response', retryable: false });
    expect((error as ClientAuthError).errorMessage).toMatch(/redirect/);
    expect(provider.tokenRequests).toHaveLength(1);
  });
});
