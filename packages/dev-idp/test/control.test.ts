// The /__dev/ control endpoints and option validation.
import { createServer } from 'node:net';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { DevIdpConfigError, startDevIdp } from '../src/index.js';
import type { DevIdp, DevIdpOptions } from '../src/index.js';
import { CookieJar, DEMO_REDIRECT, authorizationUrl, discover, follow } from './support.js';

// Real servers on a shared machine: allow for a slow first start (module import, key generation).
vi.setConfig({ testTimeout: 30_000, hookTimeout: 30_000 });

let idp: DevIdp | undefined;

afterEach(async () => {
  await idp?.close();
  idp = undefined;
});

async function start(options: DevIdpOptions = {}): Promise<DevIdp> {
  idp = await startDevIdp(options);
  return idp;
}

async function post(url: string, body?: unknown): Promise<{ status: number; json: unknown }> {
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    ...(body !== undefined && { body: JSON.stringify(body) }),
  });
  return { status: response.status, json: await response.json() };
}

describe('control endpoints', () => {
  it('switch automatic mode, end sessions and report stats over HTTP', async () => {
    const server = await start();
    const base = `${server.url}/__dev`;

    expect((await post(`${base}/auto-login`, { username: 'alice', consent: 'all' })).json).toEqual({
      autoLogin: { username: 'alice', consent: 'all' },
    });
    const as = await discover(server.issuer);
    const jar = new CookieJar();
    const first = await authorizationUrl(as, { scope: 'openid' });
    expect((await follow(jar, first.url, DEMO_REDIRECT)).kind).toBe('callback');

    const stats = (await (await fetch(`${base}/stats`)).json()) as {
      authorizationRequests: number;
    };
    expect(stats.authorizationRequests).toBe(1);

    expect((await post(`${base}/end-sessions`)).json).toEqual({ ended: 1 });
    expect((await post(`${base}/auto-login`, false)).json).toEqual({ autoLogin: false });
    const silent = await authorizationUrl(as, { scope: 'openid', prompt: 'none' });
    const landing = await follow(jar, silent.url, DEMO_REDIRECT);
    expect(landing.kind === 'callback' && landing.url.searchParams.get('error')).toBe(
      'login_required',
    );

    expect((await post(`${base}/reset-stats`)).json).toEqual({
      tokenRequests: 0,
      tokenRequestsByGrant: {},
      authorizationRequests: 0,
      tokenRequestsWithClaims: 0,
    });
    expect((await post(`${base}/coop`, { on: true })).json).toEqual({ coop: true });
    const login = await authorizationUrl(as, { scope: 'openid' });
    const page = await follow(new CookieJar(), login.url, DEMO_REDIRECT);
    expect(page.kind === 'page' && page.headers.get('cross-origin-opener-policy')).toBe(
      'same-origin',
    );
  });

  it('answer bad input with 400 and unknown endpoints with 404', async () => {
    const server = await start();
    const base = `${server.url}/__dev`;
    const unknownUser = await post(`${base}/auto-login`, { username: 'nobody' });
    expect(unknownUser.status).toBe(400);
    expect(JSON.stringify(unknownUser.json)).toContain('autoLogin.username');
    expect((await post(`${base}/coop`, { on: 'yes' })).status).toBe(400);
    expect((await post(`${base}/auto-login`)).status).toBe(400);
    expect((await fetch(`${base}/nothing-here`)).status).toBe(404);
  });
});

describe('option validation', () => {
  it.each<[string, DevIdpOptions, string]>([
    ['a bad port', { port: 70000 }, 'port'],
    [
      'a relative redirect URI',
      { clients: [{ clientId: 'a', redirectUris: ['/cb'] }] },
      'clients[0].redirectUris[0]',
    ],
    [
      'no redirect URIs',
      { clients: [{ clientId: 'a', redirectUris: [] }] },
      'clients[0].redirectUris',
    ],
    ['an unknown automatic-mode user', { autoLogin: { username: 'carol' } }, 'autoLogin.username'],
    ['a zero TTL', { ttl: { accessToken: 0 } }, 'ttl.accessToken'],
    ['an issuer with a query', { issuer: 'http://localhost:1/?x=1' }, 'issuer'],
    ['a reserved tenant id', { entra: { tenants: ['common'] } }, 'entra.tenants[0]'],
    ['an unknown option', { colour: 'blue' } as unknown as DevIdpOptions, 'colour'],
  ])('rejects %s with a DevIdpConfigError naming the field', async (_name, options, field) => {
    const error = await startDevIdp(options).then(
      (started) => {
        idp = started;
        return undefined;
      },
      (caught: unknown) => caught,
    );
    expect(error).toBeInstanceOf(DevIdpConfigError);
    expect((error as DevIdpConfigError).field).toBe(field);
    expect((error as DevIdpConfigError).message.split('\n')).toHaveLength(1);
    expect((error as DevIdpConfigError).message.startsWith(`${field}: `)).toBe(true);
  });

  it('rejects a busy port and leaves nothing listening', async () => {
    const blocker = createServer();
    await new Promise<void>((resolve) => blocker.listen(0, '127.0.0.1', resolve));
    const address = blocker.address();
    const port = typeof address === 'object' && address !== null ? address.port : 0;
    try {
      await expect(startDevIdp({ port })).rejects.toMatchObject({
        name: 'DevIdpConfigError',
        field: 'port',
      });
    } finally {
      await new Promise((resolve) => blocker.close(resolve));
    }
    // The port is free again: nothing of the failed start holds it.
    const probe = createServer();
    await new Promise<void>((resolve, reject) => {
      probe.once('error', reject);
      probe.listen(port, '127.0.0.1', resolve);
    });
    await new Promise((resolve) => probe.close(resolve));
  });
});
