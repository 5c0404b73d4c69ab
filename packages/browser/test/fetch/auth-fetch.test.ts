import { describe, expect, it } from 'vitest';
import { createAuthFetch, type TokenSource } from '../../src/fetch/auth-fetch.js';
import type { AuthenticationParameters, AuthResponse } from '../../src/types.js';

function fakeSource(): TokenSource & { calls: AuthenticationParameters[] } {
  const calls: AuthenticationParameters[] = [];
  return {
    calls,
    acquireTokenSilent: (request) => {
      calls.push(request);
      const token = request.claims === undefined ? 'token-1' : 'token-with-claims';
      return Promise.resolve({ accessToken: token, tokenType: 'Bearer' } as AuthResponse);
    },
  };
}

function recordingFetch(responses: Response[] = []) {
  const seen: Request[] = [];
  const fn = (input: string | URL | Request, init?: RequestInit) => {
    seen.push(new Request(input, init));
    return Promise.resolve(responses.shift() ?? new Response('ok'));
  };
  return { fn, seen };
}

const map = { 'https://api.test/v1': ['api://x/read'] };

describe('createAuthFetch', () => {
  it('attaches a bearer token only to protected URLs', async () => {
    const source = fakeSource();
    const inner = recordingFetch();
    const authFetch = createAuthFetch(source, {
      protectedResourceMap: map,
      fetch: inner.fn,
      baseUrl: 'https://app.test/',
    });
    await authFetch('https://api.test/v1/items');
    await authFetch('https://api.test.evil.test/v1/items');
    expect(inner.seen[0]?.headers.get('authorization')).toBe('Bearer token-1');
    expect(inner.seen[1]?.headers.get('authorization')).toBeNull();
    expect(source.calls).toEqual([{ scopes: ['api://x/read'] }]);
  });

  it('keeps an Authorization header the caller set', async () => {
    const inner = recordingFetch();
    const authFetch = createAuthFetch(fakeSource(), {
      protectedResourceMap: map,
      fetch: inner.fn,
      baseUrl: 'https://app.test/',
    });
    await authFetch('https://api.test/v1', { headers: { Authorization: 'Basic abc' } });
    expect(inner.seen[0]?.headers.get('authorization')).toBe('Basic abc');
  });

  it('retries once with the claims of an insufficient_claims challenge', async () => {
    const claims = '{"access_token":{"acrs":{"essential":true,"value":"c1"}}}';
    const challenge = new Response('', {
      status: 401,
      headers: {
        'WWW-Authenticate': `Bearer error="insufficient_claims", claims="${btoa(claims)}"`,
      },
    });
    const source = fakeSource();
    const inner = recordingFetch([challenge, new Response('second')]);
    const authFetch = createAuthFetch(source, {
      protectedResourceMap: map,
      fetch: inner.fn,
      baseUrl: 'https://app.test/',
    });
    const response = await authFetch('https://api.test/v1/x', { method: 'POST', body: 'payload' });
    expect(await response.text()).toBe('second');
    expect(inner.seen).toHaveLength(2);
    expect(inner.seen[1]?.headers.get('authorization')).toBe('Bearer token-with-claims');
    expect(await inner.seen[1]?.text()).toBe('payload');
    expect(source.calls[1]).toEqual({ scopes: ['api://x/read'], claims, forceRefresh: true });
  });

  it('does not retry a plain 401', async () => {
    const inner = recordingFetch([
      new Response('', {
        status: 401,
        headers: { 'WWW-Authenticate': 'Bearer error="invalid_token"' },
      }),
    ]);
    const authFetch = createAuthFetch(fakeSource(), {
      protectedResourceMap: map,
      fetch: inner.fn,
      baseUrl: 'https://app.test/',
    });
    expect((await authFetch('https://api.test/v1')).status).toBe(401);
    expect(inner.seen).toHaveLength(1);
  });

  it('rejects with the silent error so the caller can fall back', async () => {
    const failing: TokenSource = {
      acquireTokenSilent: () => Promise.reject(new Error('interaction_required')),
    };
    const inner = recordingFetch();
    const authFetch = createAuthFetch(failing, {
      protectedResourceMap: map,
      fetch: inner.fn,
      baseUrl: 'https://app.test/',
    });
    await expect(authFetch('https://api.test/v1')).rejects.toThrow('interaction_required');
    expect(inner.seen).toHaveLength(0);
  });
});

describe('createAuthFetch and the provider', () => {
  it("never sends an API's token to the provider's own URLs, even when the map covers its host", async () => {
    const seen: (string | null)[] = [];
    const source = {
      acquireTokenSilent: () =>
        Promise.resolve({ accessToken: 'at', tokenType: 'Bearer' } as AuthResponse),
      getConfiguration: () => ({ authority: 'https://idp.example/realms/app' }),
    };
    const authFetch = createAuthFetch(source, {
      protectedResourceMap: { 'https://idp.example': ['api://x/read'] },
      fetch: (input, init) => {
        seen.push(new Request(input, init).headers.get('authorization'));
        return Promise.resolve(new Response('ok'));
      },
    });
    await authFetch('https://idp.example/realms/app/protocol/openid-connect/token');
    await authFetch('https://idp.example/realms/app');
    await authFetch('https://idp.example/realms/application/api');
    await authFetch('https://idp.example/admin/api');
    expect(seen).toEqual([null, null, 'Bearer at', 'Bearer at']);
  });
});
