// The one-command demo, end to end: the README's `npm start` (on free ports through its flags),
// real Chromium on the printed URL, sign-in through the dev IdP's login form, a token by the
// seed's silent → popup pattern, the API's answer rendered, sign-out; screenshots of the
// signed-in page at desktop and phone width go to e2e/artifacts/demo-*.png.
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import type { Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { startDevIdp } from '@tessera/dev-idp';
import { describe, expect, it } from 'vitest';
import { launchChromium } from './harness/chromium.js';
import { distinctFreePorts, npmStart, type StartRun } from './harness/start-run.js';
import { consent, fillLogin } from './harness/fixtures.js';
import { REPO_ROOT } from './harness/http.js';

const ARTIFACTS = join(REPO_ROOT, 'e2e', 'artifacts');
const HOST = '127.0.0.1';
/** `npm start` runs `tsc -b` and maybe `vite build` before it is ready. */
const READY_TIMEOUT_MS = 150_000;

/** True when nothing listens on the port any more. */
async function isFree(port: number): Promise<boolean> {
  const server = createServer();
  return new Promise((resolve) => {
    server.once('error', () => resolve(false));
    server.listen(port, HOST, () => server.close(() => resolve(true)));
  });
}

async function occupy(port: number): Promise<Server> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(port, HOST, resolve));
  return server;
}

/** stderr without npm's own configuration warnings. */
function ownStderrLines(text: string): string[] {
  return text.split('\n').filter((line) => line.trim() !== '' && !line.startsWith('npm warn'));
}

/** Moves keyboard focus with Tab until `selector` has it; proves it is reachable by keyboard. */
async function tabTo(page: Page, selector: string, maxPresses = 40): Promise<void> {
  for (let i = 0; i < maxPresses; i += 1) {
    if (await page.locator(selector).evaluate((el) => el === document.activeElement)) return;
    await page.keyboard.press('Tab');
  }
  throw new Error(`${selector} was not reached with ${maxPresses} Tab presses`);
}

async function saveFailure(run: StartRun, browser: Browser | undefined): Promise<void> {
  const dir = join(ARTIFACTS, 'demo');
  await mkdir(dir, { recursive: true });
  await writeFile(join(dir, 'npm-start.log'), `${run.stdout()}\n--- stderr ---\n${run.stderr()}`);
  const pages = browser?.contexts().flatMap((c) => c.pages()) ?? [];
  for (const [i, page] of pages.entries()) {
    await page
      .screenshot({ path: join(dir, `failure-${i}.png`), fullPage: true, timeout: 5_000 })
      .catch(() => undefined);
  }
}

describe('npm start (the demo)', () => {
  it('serves the demo: sign in, token, API answer, sign out, popup fallback, Ctrl-C', async () => {
    const [idpPort = 0, apiPort = 0, appPort = 0] = await distinctFreePorts(3);
    const spawnedAt = performance.now();
    const run = npmStart([
      '--idp-port',
      String(idpPort),
      '--api-port',
      String(apiPort),
      '--app-port',
      String(appPort),
    ]);
    let browser: Browser | undefined;
    try {
      const [, url = ''] = await run.waitFor(/^Ready: (\S+)$/m, READY_TIMEOUT_MS);
      const readyMs = Math.round(performance.now() - spawnedAt);
      const build = /SPA (up to date|built in [\d.]+ s)/.exec(run.stdout())?.[1] ?? '?';
      console.info(`[demo] Ready after ${readyMs} ms (npm start incl. tsc -b; SPA ${build})`);

      const appUrl = `http://${HOST}:${appPort}/`;
      expect(url).toBe(appUrl);
      expect(run.stdout()).toContain(`Open ${appUrl} in your browser`);
      expect(run.stdout()).toContain('alice / alice-password');
      expect(run.stdout()).toContain('bob / bob-password');

      browser = await launchChromium();
      const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
      context.setDefaultTimeout(20_000);
      const page = await context.newPage();
      const pageErrors: string[] = [];
      page.on('pageerror', (error) => pageErrors.push(error.message));
      await page.goto(url);
      await page.locator('body[data-ready=true]').waitFor();
      await expect.poll(() => page.locator('#session-status').textContent()).toBe('Signed out');
      expect(await page.locator('#test-users').textContent()).toContain('alice / alice-password');

      // Headings in order (h1, then h2s, h3s below them) and every button named.
      const levels = await page.$$eval('h1, h2, h3, h4', (hs) =>
        hs.map((h) => Number(h.tagName[1])),
      );
      expect(levels[0]).toBe(1);
      for (const [i, level] of levels.entries()) {
        if (i > 0) expect(level).toBeLessThanOrEqual((levels[i - 1] ?? 1) + 1);
      }
      const unnamed = await page.$$eval(
        'button',
        (bs) => bs.filter((b) => b.textContent?.trim() === '').length,
      );
      expect(unnamed).toBe(0);

      // An error shows its entry of the error reference: the user closes the fallback popup.
      const cancelledPopup = page.waitForEvent('popup');
      await page.locator('#token-popup').click();
      const cancelled = await cancelledPopup;
      // Closed on the provider's form, after the app saw it there: a popup gone earlier may have
      // been severed by Cross-Origin-Opener-Policy, and the library waits for its answer instead.
      await cancelled.waitForURL((u) => u.origin === `http://${HOST}:${idpPort}`);
      await cancelled.locator('#username').waitFor();
      await cancelled.waitForTimeout(1500);
      await cancelled.close();
      await expect.poll(() => page.locator('#error strong').textContent()).toBe('user_cancelled');
      const entry = page.locator('#error-docs');
      await expect.poll(() => entry.textContent()).toContain('docs/errors.md#user_cancelled');
      expect((await entry.locator('dd').allTextContents()).every((text) => text.length > 10)).toBe(
        true,
      );

      // The setup check against the dev IdP: nothing to fix.
      await page.locator('#check-setup').click();
      await expect
        .poll(() => page.locator('#setup-report').textContent(), { timeout: 20_000 })
        .toContain('Nothing to fix.');

      // Sign in by popup, keyboard only: Tab to the button, Enter.
      await tabTo(page, '#sign-in-popup');
      const loginPopup = page.waitForEvent('popup');
      await page.keyboard.press('Enter');
      const popup = await loginPopup;
      await fillLogin(popup, 'alice', 'alice-password');
      await consent(popup, 'all');
      await expect
        .poll(() => page.locator('#session-status').textContent())
        .toBe('Signed in as Alice Example');
      await expect.poll(() => page.locator('#account').textContent()).toContain('alice');
      // Focus did not fall to <body> when the sign-in button was disabled.
      expect(await page.evaluate(() => document.activeElement?.id)).toBe('token-popup');

      // The seed's pattern: acquireTokenSilent first. The sign-in consented to the API scopes
      // (and the provider's code exchange already returned a token for them), so the silent
      // leg answers from the cache and no window opens.
      let popups = 0;
      page.on('popup', () => (popups += 1));
      await page.keyboard.press('Enter');
      const tokens = page.locator('#tokens');
      await expect.poll(() => tokens.textContent()).toContain('api://demo/write');
      expect(await tokens.textContent()).toMatch(/\d+:\d\d left/);
      const log = page.locator('#log');
      await expect
        .poll(() => log.locator('li').first().textContent())
        .toMatch(/acquireTokenSuccess\s*silent\s*from the cache/);
      expect(popups).toBe(0);
      await expect.poll(() => page.locator('#at-claims').textContent()).toContain('api://demo');

      // The API, through createAuthFetch: the answer rendered as fields.
      await page.locator('#call-profile').click();
      const answers = page.locator('#answers');
      await expect.poll(() => answers.textContent()).toContain('GET /profile');
      const profile = answers.locator('.answer').first();
      expect(await profile.locator('.status').textContent()).toMatch(/^200 OK/);
      expect(await profile.locator('dl').textContent()).toContain('alice');
      expect(await profile.locator('dl').textContent()).toContain('api://demo/read');

      await page.locator('#note-text').fill('Written by the e2e test');
      await page.locator('#add-note').click();
      await expect
        .poll(() => answers.locator('.answer').first().textContent())
        .toContain('POST /notes');
      const note = answers.locator('.answer').first();
      expect(await note.locator('.status').textContent()).toMatch(/^201 Created/);
      expect(await note.textContent()).toContain('Written by the e2e test');
      await expect.poll(() => page.locator('#error').isHidden()).toBe(true);

      // Screenshots of the signed-in page: desktop, then phone width (no sideways scrolling).
      await mkdir(ARTIFACTS, { recursive: true });
      await page.evaluate(() => (document.activeElement as HTMLElement | null)?.blur());
      await page.screenshot({ path: join(ARTIFACTS, 'demo-desktop.png'), fullPage: true });
      await page.setViewportSize({ width: 375, height: 812 });
      expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(
        375,
      );
      await page.screenshot({ path: join(ARTIFACTS, 'demo-phone.png'), fullPage: true });
      await page.screenshot({ path: join(ARTIFACTS, 'demo-phone-top.png') });
      await page.setViewportSize({ width: 1280, height: 900 });

      // Sign out (redirect to the provider's end-session endpoint and back).
      const toProvider = page.waitForRequest(
        (r) => r.isNavigationRequest() && r.url().startsWith(`http://${HOST}:${idpPort}/`),
      );
      await page.locator('#sign-out').click();
      await toProvider;
      await page.waitForURL(appUrl);
      await page.locator('body[data-ready=true]').waitFor();
      await expect.poll(() => page.locator('#session-status').textContent()).toBe('Signed out');
      expect(await page.locator('#account').textContent()).toContain('Not signed in.');
      expect(await page.locator('#tokens').textContent()).toContain('No token yet.');
      expect(await page.locator('#sign-in-popup').isEnabled()).toBe(true);
      expect(await page.locator('#call-profile').isDisabled()).toBe(true);
      expect(pageErrors).toEqual([]);
      await page.screenshot({ path: join(ARTIFACTS, 'demo-signed-out.png'), fullPage: true });

      // Signed out, "Get token (silent → popup)" follows the seed's pattern to the end: the
      // silent request fails with no_account (interaction required), acquireTokenPopup signs in.
      const fallbackPopup = page.waitForEvent('popup');
      await page.locator('#token-popup').click();
      const third = await fallbackPopup;
      await fillLogin(third, 'alice', 'alice-password');
      await consent(third, 'all');
      await expect
        .poll(() => page.locator('#session-status').textContent())
        .toBe('Signed in as Alice Example');
      expect(await log.textContent()).toContain('Silent failed (no_account)');
      expect(await log.textContent()).toContain('interaction required → acquireTokenPopup');
      await expect
        .poll(() => log.locator('li').first().textContent())
        .toMatch(/acquireTokenSuccess\s*popup\s*from the provider/);
      await expect.poll(() => page.locator('#tokens').textContent()).toContain('api://demo/read');

      await browser.close();
      browser = undefined;

      // Ctrl-C stops all three servers.
      // npm itself ends by the SIGINT it got, as in a terminal; the demo exits 0 after "Stopped.".
      run.interrupt();
      const end = await run.exited;
      expect(end.code === 0 || end.signal === 'SIGINT').toBe(true);
      expect(run.stdout()).toContain('Stopped.');
      for (const port of [idpPort, apiPort, appPort]) expect(await isFree(port)).toBe(true);
    } catch (error) {
      await saveFailure(run, browser);
      throw error;
    } finally {
      await browser?.close().catch(() => undefined);
      run.kill();
    }
  }, 240_000);

  it('signs in by redirect, renews a due token silently, falls back to a redirect', async () => {
    const [idpPort = 0, apiPort = 0, appPort = 0] = await distinctFreePorts(3);
    // 33 s tokens with the 30 s renewal offset: due for renewal 3 s after they are issued.
    const run = npmStart([
      '--idp-port',
      String(idpPort),
      '--api-port',
      String(apiPort),
      '--app-port',
      String(appPort),
      '--token-ttl',
      '33',
    ]);
    let browser: Browser | undefined;
    try {
      const [, url = ''] = await run.waitFor(/^Ready: (\S+)$/m, READY_TIMEOUT_MS);
      browser = await launchChromium();
      const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
      context.setDefaultTimeout(20_000);
      const page = await context.newPage();
      await page.goto(url);
      await page.locator('body[data-ready=true]').waitFor();

      // loginRedirect, and the result through handleRedirectCallbacks after the return.
      await page.locator('#sign-in-redirect').click();
      await fillLogin(page, 'bob', 'bob-password');
      await consent(page, 'all');
      await page.waitForURL(url);
      await expect
        .poll(() => page.locator('#session-status').textContent())
        .toBe('Signed in as Bob Example');
      const log = page.locator('#log');
      await expect.poll(() => log.textContent()).toContain('Redirect completed');
      expect(new URL(page.url()).search).toBe(''); // the code left the address bar

      // The countdown reaches the renewal window; the page renews by acquireTokenSilent, which
      // uses the refresh token, and the list shows the new token.
      const tokens = page.locator('#tokens');
      const firstExpiry = await tokens.locator('li').first().getAttribute('data-expires');
      await expect
        .poll(() => log.textContent(), { timeout: 20_000 })
        .toContain('Token request (refresh_token)');
      await expect
        .poll(() => tokens.locator('li').first().getAttribute('data-expires'))
        .not.toBe(firstExpiry);
      expect(await tokens.textContent()).toContain('last served from the provider');

      // "silent → redirect" with a valid token in the cache stays on the page.
      await page.locator('#token-redirect').click();
      await expect
        .poll(() => log.locator('li').first().textContent())
        .toMatch(/acquireTokenSuccess\s*silent/);
      expect(page.url()).toBe(url);
      await expect.poll(() => page.locator('#error').isHidden()).toBe(true);

      // Sign out, then "Get token (silent → redirect)": no_account → acquireTokenRedirect,
      // which signs in again; the token arrives through handleRedirectCallbacks.
      const toProvider = page.waitForRequest(
        (r) => r.isNavigationRequest() && r.url().startsWith(`http://${HOST}:${idpPort}/`),
      );
      await page.locator('#sign-out').click();
      await toProvider;
      await page.waitForURL(url);
      await expect.poll(() => page.locator('#session-status').textContent()).toBe('Signed out');
      await page.locator('#token-redirect').click();
      await fillLogin(page, 'bob', 'bob-password');
      await consent(page, 'all');
      await page.waitForURL(url);
      await expect
        .poll(() => page.locator('#session-status').textContent())
        .toBe('Signed in as Bob Example');
      expect(await log.textContent()).toContain('interaction required → acquireTokenRedirect');
      await expect.poll(() => page.locator('#tokens').textContent()).toContain('api://demo/write');
    } catch (error) {
      await saveFailure(run, browser);
      throw error;
    } finally {
      await browser?.close().catch(() => undefined);
      run.interrupt();
      await Promise.race([run.exited, new Promise((resolve) => setTimeout(resolve, 5_000))]);
      run.kill();
    }
  }, 240_000);

  it('runs against another provider from a --config file, with the local API', async () => {
    // "Another provider": a second dev IdP the demo does not start, in automatic mode.
    const [appPort = 0, apiPort = 0] = await distinctFreePorts(2);
    const appUrl = `http://${HOST}:${appPort}/`;
    const provider = await startDevIdp({
      autoLogin: { username: 'bob', consent: 'all' },
      clients: [
        { clientId: 'external-demo', redirectUris: [appUrl], postLogoutRedirectUris: [appUrl] },
      ],
    });
    const dir = await mkdtemp(join(tmpdir(), 'tessera-demo-'));
    const configFile = join(dir, 'demo.config.json');
    await writeFile(
      configFile,
      JSON.stringify({
        providerName: 'External OIDC',
        authority: provider.issuer,
        clientId: 'external-demo',
        scopes: ['api://demo/read'],
        localApi: { audience: 'api://demo' },
      }),
    );
    const run = npmStart(
      ['--config', configFile, '--app-port', String(appPort), '--api-port', String(apiPort)],
      'node',
      { TESSERA_PROVIDER_NAME: 'External OIDC (env)' },
    );
    let browser: Browser | undefined;
    try {
      const [, url = ''] = await run.waitFor(/^Ready: (\S+)$/m, READY_TIMEOUT_MS);
      expect(url).toBe(appUrl);
      expect(run.stdout()).toContain(`Register ${appUrl} at your provider`);
      expect(run.stdout()).not.toContain('alice / alice-password');
      const before = provider.stats().tokenRequests;

      browser = await launchChromium();
      const page = await browser.newPage();
      page.setDefaultTimeout(20_000);
      await page.goto(url);
      await page.locator('body[data-ready=true]').waitFor();
      expect(await page.locator('#provider').textContent()).toContain('External OIDC (env)');
      expect(await page.locator('#test-users').isHidden()).toBe(true);
      await page.locator('#sign-in-popup').click();
      await expect
        .poll(() => page.locator('#session-status').textContent())
        .toBe('Signed in as Bob Example');
      await page.locator('#call-profile').click();
      const answer = page.locator('#answers .answer').first();
      await expect.poll(() => answer.locator('.status').textContent()).toMatch(/^200 OK/);
      expect(await answer.textContent()).toContain('bob');
      expect(provider.stats().tokenRequests).toBeGreaterThan(before);
    } catch (error) {
      await saveFailure(run, browser);
      throw error;
    } finally {
      await browser?.close().catch(() => undefined);
      run.interrupt();
      await Promise.race([run.exited, new Promise((resolve) => setTimeout(resolve, 5_000))]);
      run.kill();
      await provider.close();
      await rm(dir, { recursive: true, force: true });
    }
  }, 240_000);

  it('reports a busy port on one stderr line naming the flag, exit 2, nothing left running', async () => {
    const [idpPort = 0, apiPort = 0, appPort = 0] = await distinctFreePorts(3);
    const blocker = await occupy(idpPort);
    const run = npmStart([
      '--idp-port',
      String(idpPort),
      '--api-port',
      String(apiPort),
      '--app-port',
      String(appPort),
    ]);
    try {
      expect((await run.exited).code).toBe(2);
      const lines = ownStderrLines(run.stderr());
      expect(lines).toHaveLength(1);
      expect(lines[0]).toContain(`Port ${idpPort} on ${HOST} is already in use`);
      expect(lines[0]).toContain('--idp-port');
      expect(run.stdout()).not.toContain('Ready:');
      expect(await isFree(apiPort)).toBe(true);
      expect(await isFree(appPort)).toBe(true);
    } finally {
      run.kill();
      await new Promise<void>((resolve) => blocker.close(() => resolve()));
    }
  }, 120_000);

  it('documents its flags and environment variables in --help', async () => {
    const run = npmStart(['--help'], 'node');
    expect((await run.exited).code).toBe(0);
    for (const word of [
      '--idp-port',
      '--api-port',
      '--app-port',
      '--host',
      '--config',
      'TESSERA_IDP_PORT',
      'TESSERA_AUTHORITY',
      'TESSERA_CLIENT_ID',
      'TESSERA_SCOPES',
      'TESSERA_API_URL',
    ]) {
      expect(run.stdout()).toContain(word);
    }
  });
});
