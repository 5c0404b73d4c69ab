// The login and consent pages, driven like a browser that submits the forms.
import { afterEach, describe, expect, it, vi } from 'vitest';
import { startDevIdp } from '../src/index.js';
import type { DevIdp, DevIdpOptions } from '../src/index.js';
import {
  CookieJar,
  DEMO_REDIRECT,
  authorizationUrl,
  discover,
  follow,
  formAction,
  redeem,
} from './support.js';
import type { AuthRequest, Landing } from './support.js';

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

type Page = Extract<Landing, { kind: 'page' }>;

function asPage(landing: Landing): Page {
  if (landing.kind !== 'page') throw new Error(`expected a page, got ${landing.url.href}`);
  return landing;
}

async function openLogin(
  server: DevIdp,
  scope: string,
  jar: CookieJar,
): Promise<{ request: AuthRequest; page: Page }> {
  const as = await discover(server.issuer);
  const request = await authorizationUrl(as, { scope });
  return { request, page: asPage(await follow(jar, request.url, DEMO_REDIRECT)) };
}

async function submitLogin(
  jar: CookieJar,
  page: Page,
  username: string,
  password: string,
): Promise<Landing> {
  return follow(
    jar,
    formAction(page.html, page.url),
    DEMO_REDIRECT,
    new URLSearchParams({ username, password }),
  );
}

describe('login page', () => {
  it('is an accessible form with stable field names', async () => {
    const server = await start();
    const { page } = await openLogin(server, 'openid', new CookieJar());
    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toContain('text/html');
    expect(page.html).toContain('<html lang="en">');
    expect(page.html.match(/<main>/g)).toHaveLength(1);
    expect(page.html.match(/<h1>/g)).toHaveLength(1);
    expect(page.html).toContain('<label for="username">');
    expect(page.html).toContain('<label for="password">');
    expect(page.html).toMatch(/<input type="text" id="username" name="username"/);
    expect(page.html).toMatch(/<input type="password" id="password" name="password"/);
    expect(page.html).toContain('id="login-submit"');
    expect(page.headers.get('cross-origin-opener-policy')).toBeNull();
  });

  it('shows an error for a wrong password and keeps the username', async () => {
    const server = await start();
    const jar = new CookieJar();
    const { page } = await openLogin(server, 'openid', jar);
    const again = asPage(await submitLogin(jar, page, 'alice', 'wrong'));
    expect(again.html).toContain('role="alert"');
    expect(again.html).toContain('Wrong username or password.');
    expect(again.html).toContain('value="alice"');
  });

  it('signs in, asks for consent per scope and grants the checked subset', async () => {
    const server = await start();
    const jar = new CookieJar();
    const { request, page } = await openLogin(
      server,
      'openid profile api://demo/read api://demo/write',
      jar,
    );
    const consent = asPage(await submitLogin(jar, page, 'bob', 'bob-password'));
    expect(consent.html).toContain('id="consent-submit"');
    expect(consent.html).toContain('id="consent-deny"');
    expect(consent.html).toContain('Bob Example');
    for (const scope of ['openid', 'profile', 'api://demo/read', 'api://demo/write']) {
      expect(consent.html).toContain(`name="scope" value="${scope}"`);
    }
    expect(consent.html.match(/<h1>/g)).toHaveLength(1);

    // A person unchecks api://demo/write and profile; openid is always granted.
    const form = new URLSearchParams([
      ['scope', 'openid'],
      ['scope', 'api://demo/read'],
    ]);
    const landing = await follow(jar, formAction(consent.html, consent.url), DEMO_REDIRECT, form);
    expect(landing.kind).toBe('callback');
    if (landing.kind !== 'callback') return;
    const as = await discover(server.issuer);
    const tokens = await redeem(as, request, landing.url);
    expect(tokens.scope).toBe('api://demo/read');
    const claims = JSON.parse(
      Buffer.from((tokens.id_token ?? '').split('.')[1] ?? '', 'base64url').toString(),
    ) as Record<string, unknown>;
    expect(claims.sub).toBe('bob');
    expect(claims.name).toBeUndefined();
  });

  it('returns access_denied when consent is denied', async () => {
    const server = await start();
    const jar = new CookieJar();
    const { page } = await openLogin(server, 'openid api://demo/read', jar);
    const consent = asPage(await submitLogin(jar, page, 'alice', 'alice-password'));
    const deny = /id="consent-deny" formaction="([^"]+)"/.exec(consent.html)?.[1] ?? '';
    const landing = await follow(
      jar,
      new URL(deny, consent.url),
      DEMO_REDIRECT,
      new URLSearchParams(),
    );
    expect(landing.kind === 'callback' && landing.url.searchParams.get('error')).toBe(
      'access_denied',
    );
  });

  it('sends Cross-Origin-Opener-Policy when COOP is on, switchable at run time', async () => {
    const server = await start({ coop: true });
    const jar = new CookieJar();
    const as = await discover(server.issuer);
    const request = await authorizationUrl(as, { scope: 'openid' });
    const authorize = await fetch(request.url, { redirect: 'manual' });
    expect(authorize.status).toBe(303);
    expect(authorize.headers.get('cross-origin-opener-policy')).toBe('same-origin');
    jar.store(authorize);
    const login = asPage(
      await follow(
        jar,
        new URL(authorize.headers.get('location') ?? '', request.url),
        DEMO_REDIRECT,
      ),
    );
    expect(login.headers.get('cross-origin-opener-policy')).toBe('same-origin');

    server.setCoop(false);
    const { page } = await openLogin(server, 'openid', new CookieJar());
    expect(page.headers.get('cross-origin-opener-policy')).toBeNull();
  });

  it('switches to automatic mode at run time, honouring login_hint', async () => {
    const server = await start();
    server.setAutoLogin({ username: 'alice' });
    const as = await discover(server.issuer);
    const request = await authorizationUrl(as, { scope: 'openid', loginHint: 'bob' });
    const landing = await follow(new CookieJar(), request.url, DEMO_REDIRECT);
    expect(landing.kind).toBe('callback');
    if (landing.kind !== 'callback') return;
    const tokens = await redeem(as, request, landing.url);
    expect(tokens.id_token).toBeDefined();
    const sub = JSON.parse(
      Buffer.from((tokens.id_token ?? '').split('.')[1] ?? '', 'base64url').toString(),
    ) as { sub: string };
    expect(sub.sub).toBe('bob');

    server.setAutoLogin(false);
    const { page } = await openLogin(server, 'openid', new CookieJar());
    expect(page.html).toContain('id="login-submit"');
    expect(() => server.setAutoLogin({ username: 'mallory' })).toThrow(/autoLogin.username/);
  });

  it('shows the sign-in form again for prompt=select_account and switches the user', async () => {
    const server = await start({ autoLogin: { username: 'alice' } });
    const jar = new CookieJar();
    const as = await discover(server.issuer);
    const first = await authorizationUrl(as, { scope: 'openid' });
    expect((await follow(jar, first.url, DEMO_REDIRECT)).kind).toBe('callback');

    server.setAutoLogin(false);
    const request = await authorizationUrl(as, { scope: 'openid', prompt: 'select_account' });
    const page = asPage(await follow(jar, request.url, DEMO_REDIRECT));
    expect(page.html).toContain('id="login-submit"');
    const consent = asPage(await submitLogin(jar, page, 'bob', 'bob-password'));
    const landing = await follow(
      jar,
      formAction(consent.html, consent.url),
      DEMO_REDIRECT,
      new URLSearchParams({ scope: 'openid' }),
    );
    if (landing.kind !== 'callback') throw new Error('expected a callback');
    const tokens = await redeem(as, request, landing.url);
    const claims = JSON.parse(
      Buffer.from((tokens.id_token ?? '').split('.')[1] ?? '', 'base64url').toString(),
    ) as { sub: string };
    expect(claims.sub).toBe('bob');
  });

  it('answers a stale interaction URL with a clear error page', async () => {
    const server = await start();
    const jar = new CookieJar();
    const { page } = await openLogin(server, 'openid', jar);
    await server.endSessions();
    const stale = asPage(await submitLogin(jar, page, 'alice', 'alice-password'));
    expect(stale.status).toBe(400);
    expect(stale.html).toContain('start again from the application');
  });
});
