// The React demo from the one command: `npm start -- --react` (here `node scripts/start.mjs
// --react` on free ports), real Chromium on the printed URL, sign-in through the dev IdP's forms,
// the account and a token rendered by the hooks, the API's answer, sign-out.
import { spawn } from 'node:child_process';
import { onTestFinished, expect, it } from 'vitest';
import { launchChromium } from './harness/chromium.js';
import { consent, fillLogin } from './harness/fixtures.js';
import { REPO_ROOT } from './harness/http.js';

it('npm start -- --react: sign in, account, token, API answer, sign out', async () => {
  const env = Object.fromEntries(
    Object.entries(process.env).filter(([name]) => !name.startsWith('TESSERA_')),
  );
  const child = spawn(
    'node',
    ['scripts/start.mjs', '--react', '--app-port', '0', '--idp-port', '0', '--api-port', '0'],
    { cwd: REPO_ROOT, env, detached: true, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  onTestFinished(() => {
    // The whole group: start.mjs and anything it spawned.
    if (child.pid !== undefined && child.exitCode === null) process.kill(-child.pid, 'SIGINT');
  });
  let out = '';
  const appUrl = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`not ready in 150 s:\n${out}`)), 150_000);
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
      out += chunk;
      const match = /Ready: (\S+)/.exec(out);
      if (match?.[1] !== undefined) {
        clearTimeout(timer);
        resolve(match[1]);
      }
    });
    child.on('exit', (code) => reject(new Error(`npm start exited (${code}):\n${out}`)));
  });

  const browser = await launchChromium();
  onTestFinished(() => browser.close());
  const page = await browser.newPage();
  const pageErrors: string[] = [];
  page.on('pageerror', (error) => pageErrors.push(error.message));
  await page.goto(appUrl);
  await page.click('#sign-in-redirect');
  await fillLogin(page, 'alice', 'alice-password');
  await consent(page, 'all');
  await page.waitForURL((url) => url.href.startsWith(appUrl));
  await expect.poll(() => page.textContent('#account'), { timeout: 15_000 }).toBe('alice');
  await expect.poll(() => page.textContent('#token-status'), { timeout: 15_000 }).toBe('success');
  expect(await page.textContent('#in-progress')).toBe('none');

  await page.click('#call-profile');
  await expect.poll(() => page.textContent('#answer'), { timeout: 15_000 }).toMatch(/^200 /);
  expect(await page.textContent('#answer')).toContain('"sub":"alice"');

  await page.click('#sign-out');
  await page.locator('#sign-in-redirect').waitFor({ timeout: 15_000 });
  expect(await page.locator('#account').count()).toBe(0);
  expect(pageErrors).toEqual([]);
});
