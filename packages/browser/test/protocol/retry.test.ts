import { inspect } from 'node:util';
import * as oauth from 'oauth4webapi';
import { describe, expect, it } from 'vitest';
import { ClientAuthError, ServerError, isRefreshTokenRejected } from '../../src/errors/index.js';
import {
  FakeProvider,
  ISSUER,
  REDIRECT_URI,
  SUBJECT,
  callbackUrl,
  json,
  rejectionOf,
  setup,
} from './fake-provider.js';
import type { Setup } from './fake-provider.js';

const REFRESH = { refreshToken: 'the-refresh-token', scopes: ['api.read'], expectedSub: SUBJECT };

function tokens(): Response {
  return json({ access_token: 'at', token_type: 'Bearer', expires_in: 600 });
}

/** Answers from a list, in order; the last one repeats. */
function sequence(...answers: Array<() => Response | Promise<Response>>) {
  let call = 0;
  return () => (answers[Math.min(call++, answers.length - 1)] ?? tokens)();
}

const status =
  (code: number, headers: Record<string, string> = {}) =>
  () =>
    new Response(`<h1>${code}</h1>`, { status: code, headers });
const offline = () => Promise.reject(new TypeError('Failed to fetch'));
const never = () => new Promise<Response>(() => undefined);

/** Runs a code exchange for a fresh authorization request. */
async function exchange(s: Setup) {
  const { secrets } = await s.client.createAuthorizationRequest({
    redirectUri: REDIRECT_URI,
    scopes: ['api.read'],
  });
  return s.client.handleAuthorizationResponse(
    callbackUrl({ code: 'the-code', state: secrets.state }),
    { secrets, redirectUri: REDIRECT_URI, requestedScopes: ['api.read'] },
  );
}

describe('retries of discovery (GET)', () => {
  it('succeeds after two 503s, waiting a backoff of 500 then 1000 ms', async () => {
    const s = setup();
    s.provider.discovery = sequence(status(503), status(503), () => json(s.provider.metadata));

    await expect(s.client.discover()).resolves.toMatchObject({ issuer: ISSUER });

    expect(s.provider.discoveryRequests).toHaveLength(3);
    expect(s.timers.fired).toEqual([500, 1000]);
  });

  it('jitters the backoff down to half with the random port', async () => {
    const s = setup(new FakeProvider(), { random: () => 0.999 });
    s.provider.discovery = sequence(status(500), () => json(s.provider.metadata));

    await s.client.discover();

    expect(s.timers.fired[0]).toBeGreaterThanOrEqual(250);
    expect(s.timers.fired[0]).toBeLessThan(251);
  });

  it('retries a network failure', async () => {
    const s = setup();
    s.provider.discovery = sequence(offline, () => json(s.provider.metadata));

    await s.client.discover();

    expect(s.provider.discoveryRequests).toHaveLength(2);
  });

  it('gives up after two retries with temporarily_unavailable, status and retryable', async () => {
    const s = setup();
    s.provider.discovery = status(502);

    const error = await rejectionOf(s.client.discover());

    expect(error).toBeInstanceOf(ServerError);
    expect(error).toMatchObject({
      errorCode: 'temporarily_unavailable',
      error: 'temporarily_unavailable',
      status: 502,
      retryable: true,
      requestSent: false,
    });
    expect(s.provider.discoveryRequests).toHaveLength(3);
  });

  it('gives up on a network failure after two retries, as a retryable network_error', async () => {
    const s = setup();
    s.provider.discovery = offline;

    const error = await rejectionOf(s.client.discover());

    expect(error).toMatchObject({
      errorCode: 'network_error',
      retryable: true,
      requestSent: false,
    });
    expect(s.provider.discoveryRequests).toHaveLength(3);
  });

  it('does not retry a 404', async () => {
    const s = setup();
    s.provider.discovery = status(404);

    expect(await rejectionOf(s.client.discover())).toMatchObject({ retryable: false });
    expect(s.provider.discoveryRequests).toHaveLength(1);
  });
});

describe('retries of token requests (POST, single-use credentials)', () => {
  it('succeeds after two 503s', async () => {
    const s = setup();
    s.provider.token = sequence(status(503), status(503), tokens);

    await expect(s.client.refresh(REFRESH)).resolves.toMatchObject({ accessToken: 'at' });

    expect(s.provider.tokenRequests).toHaveLength(3);
    expect(s.timers.fired).toEqual([500, 1000]);
  });

  it('honours Retry-After in seconds on a 429', async () => {
    const s = setup();
    s.provider.token = sequence(status(429, { 'retry-after': '1' }), tokens);

    await s.client.refresh(REFRESH);

    expect(s.timers.fired).toEqual([1000]);
    expect(s.provider.tokenRequests).toHaveLength(2);
  });

  it('honours Retry-After as an HTTP date, read against the clock port', async () => {
    const s = setup();
    s.clock.current = Date.parse('2030-01-01T00:00:00Z');
    s.provider.token = sequence(
      status(503, { 'retry-after': 'Tue, 01 Jan 2030 00:00:03 GMT' }),
      tokens,
    );

    await s.client.refresh(REFRESH);

    expect(s.timers.fired).toEqual([3000]);
  });

  it('does not wait a Retry-After beyond 5 s: fails with retryAfter', async () => {
    const s = setup();
    s.provider.token = status(429, { 'retry-after': '60' });

    const error = await rejectionOf(s.client.refresh(REFRESH));

    expect(error).toBeInstanceOf(ServerError);
    expect(error).toMatchObject({
      errorCode: 'temporarily_unavailable',
      status: 429,
      retryable: true,
      retryAfter: 60_000,
    });
    expect(s.provider.tokenRequests).toHaveLength(1);
    expect(s.timers.fired).toEqual([]);
  });

  it.each([500, 502, 504])(
    'does not retry a %i: the provider may have processed it',
    async (code) => {
      const s = setup();
      s.provider.token = status(code);

      const error = await rejectionOf(s.client.refresh(REFRESH));

      expect(error).toMatchObject({
        errorCode: 'temporarily_unavailable',
        status: code,
        retryable: true,
      });
      expect(s.provider.tokenRequests).toHaveLength(1);
    },
  );

  it('does not retry a network failure of a refresh: requestSent, the token may be spent', async () => {
    const s = setup();
    s.provider.token = offline;

    const error = await rejectionOf(s.client.refresh(REFRESH));

    expect(error).toBeInstanceOf(ClientAuthError);
    expect(error).toMatchObject({ errorCode: 'network_error', requestSent: true, retryable: true });
    expect((error as ClientAuthError).status).toBeUndefined();
    expect(s.provider.tokenRequests).toHaveLength(1);
  });

  it('does not retry a network failure of a code exchange either', async () => {
    const s = setup();
    s.provider.token = offline;

    expect(await rejectionOf(exchange(s))).toMatchObject({
      errorCode: 'network_error',
      requestSent: true,
    });
    expect(s.provider.tokenRequests).toHaveLength(1);
  });

  it('never retries invalid_grant', async () => {
    const s = setup();
    s.provider.token = () => json({ error: 'invalid_grant' }, 400);

    const error = await rejectionOf(s.client.refresh(REFRESH));

    expect(error).toMatchObject({ errorCode: 'invalid_grant', status: 400, retryable: false });
    expect(s.provider.tokenRequests).toHaveLength(1);
  });

  it('reports a 503 as temporarily_unavailable whatever its body, after the retries', async () => {
    const s = setup();
    s.provider.token = () => json({ error: 'server_error', error_description: 'busy' }, 503);

    const error = await rejectionOf(s.client.refresh(REFRESH));

    expect(error).toMatchObject({
      error: 'temporarily_unavailable',
      status: 503,
      retryable: true,
    });
    expect((error as ServerError).retryAfter).toBeUndefined();
    expect(s.provider.tokenRequests).toHaveLength(3);
  });
});

describe('time limit (networkTimeoutMs)', () => {
  it('ends a stalled token request after 10 s by default, aborting it, without retry', async () => {
    const s = setup();
    let signal: AbortSignal | undefined;
    const fetch = s.provider.fetch;
    const client = setup(
      s.provider,
      {
        fetch: (input, init) => {
          if (init?.method === 'POST') signal = init.signal ?? undefined;
          return fetch(input, init);
        },
      },
      s.clock,
    );
    s.provider.token = never;
    const start = s.clock.current;

    const error = await rejectionOf(client.client.refresh(REFRESH));

    expect(error).toBeInstanceOf(ClientAuthError);
    expect(error).toMatchObject({ errorCode: 'network_error', requestSent: true, retryable: true });
    expect((error as ClientAuthError).cause).toMatchObject({ name: 'TimeoutError' });
    expect(s.clock.current - start).toBe(10_000);
    expect(signal?.aborted).toBe(true);
    expect(s.provider.tokenRequests).toHaveLength(1);
  });

  it('ends a stalled discovery after networkTimeoutMs, not retried', async () => {
    const s = setup(new FakeProvider(), { networkTimeoutMs: 2_000 });
    s.provider.discovery = never;
    const start = s.clock.current;

    const error = await rejectionOf(s.client.discover());

    expect(error).toMatchObject({ errorCode: 'network_error', requestSent: false });
    expect(s.clock.current - start).toBe(2_000);
    expect(s.provider.discoveryRequests).toHaveLength(1);
  });

  it('covers the body: a provider stalling after its headers is cut off too', async () => {
    const s = setup();
    s.provider.token = () =>
      new Response(new ReadableStream({ start: (c) => c.enqueue(new TextEncoder().encode('{')) }), {
        headers: { 'content-type': 'application/json' },
      });

    expect(await rejectionOf(s.client.refresh(REFRESH))).toMatchObject({
      errorCode: 'network_error',
    });
    expect(s.timers.fired).toEqual([10_000]);
  });
});

describe('refresh rejections', () => {
  it.each([
    [400, ''],
    [401, ''],
    [400, '<html>Bad Request</html>'],
  ])('reports a %i with body %j to a refresh as invalid_grant', async (code, body) => {
    const s = setup();
    s.provider.token = () => new Response(body, { status: code });

    const error = await rejectionOf(s.client.refresh(REFRESH));

    expect(error).toBeInstanceOf(ServerError);
    expect(error).toMatchObject({
      error: 'invalid_grant',
      errorCode: 'invalid_grant',
      status: code,
    });
    expect((error as ServerError).cause).toBeInstanceOf(oauth.OperationProcessingError);
    expect(isRefreshTokenRejected(error)).toBe(true);
    expect(s.provider.tokenRequests).toHaveLength(1);
  });

  it('keeps a 400 with an empty body to a code exchange as invalid_response', async () => {
    const s = setup();
    s.provider.token = () => new Response('', { status: 400 });

    expect(await rejectionOf(exchange(s))).toMatchObject({
      errorCode: 'invalid_response',
      status: 400,
    });
  });

  it.each([
    ['basic_action', false],
    ['additional_action', false],
    ['message_only', false],
    ['consent_required', false],
    ['protection_policy_required', false],
    ['bad_token', true],
    ['token_expired', true],
  ])('exposes Entra suberror %s (refresh token rejected: %s)', async (suberror, rejected) => {
    const s = setup();
    s.provider.token = () =>
      json({ error: 'invalid_grant', suberror, error_description: 'AADSTS50076: MFA' }, 400);

    const error = await rejectionOf(s.client.refresh(REFRESH));

    expect(error).toBeInstanceOf(ServerError);
    expect(error).toMatchObject({ error: 'invalid_grant', suberror });
    expect(isRefreshTokenRejected(error)).toBe(rejected);
  });
});

describe('no tokens in error causes', () => {
  const SECRETS = ['secret-access-token', 'secret-refresh-token', 'secret-id-token', 'the-code'];
  const printed = (error: unknown) => inspect(error, { depth: 20, showHidden: true });

  it.each([
    [
      'a token response missing token_type',
      () => json({ access_token: SECRETS[0], refresh_token: SECRETS[1], expires_in: 60 }),
    ],
    [
      'a malformed ID token',
      () => json({ access_token: SECRETS[0], token_type: 'bearer', id_token: `${SECRETS[2]}.x` }),
    ],
    [
      // JSON.parse quotes a short invalid body in its message.
      'a body that is a bare token, not JSON',
      () => new Response(SECRETS[0], { headers: { 'content-type': 'application/json' } }),
    ],
    [
      'an error body echoing a token',
      () => json({ error: 'invalid_grant', refresh_token: SECRETS[1] }, 400),
    ],
  ])('%s', async (_label, respond) => {
    const s = setup();
    s.provider.token = respond;

    const error = await rejectionOf(s.client.refresh(REFRESH));

    expect(error).toHaveProperty('errorCode');
    const text = printed(error);
    for (const secret of SECRETS) expect(text).not.toContain(secret);
  });

  it('an authorization error response keeps no code or state', async () => {
    const s = setup();
    const { secrets } = await s.client.createAuthorizationRequest({
      redirectUri: REDIRECT_URI,
      scopes: ['openid'],
    });

    const error = await rejectionOf(
      s.client.handleAuthorizationResponse(
        callbackUrl({ error: 'access_denied', code: 'the-code', state: secrets.state }),
        { secrets, redirectUri: REDIRECT_URI, requestedScopes: ['openid'] },
      ),
    );

    expect(error).toMatchObject({ errorCode: 'access_denied' });
    const text = printed(error);
    expect(text).not.toContain('the-code');
    expect(text).not.toContain(secrets.state);
  });
});
