// docs/providers.md, checked: the Entra ID, Auth0 and Keycloak snippets run as written — only
// their placeholders and the provider's host replaced by the dev IdP's — against the dev IdP
// profile of that provider, and the demo they start signs in, gets a token and (where the
// snippet starts the demo API) calls it, in real Chromium.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser } from 'playwright-core';
import { startDevIdp, type DevIdp, type DevIdpProfile } from '@tessera/dev-idp';
import { afterAll, beforeAll, describe, expect, it, onTestFinished } from 'vitest';
import { launchChromium } from './harness/chromium.js';
import { REPO_ROOT } from './harness/http.js';
import { distinctFreePorts, npmStart } from './harness/start-run.js';

const READY_TIMEOUT_MS = 150_000;

/** A shell snippet of the guide: its environment assignments and the `npm start` arguments. */
interface Snippet {
  env: Record<string, string>;
  args: string[];
}

/** Splits a command line on blanks, honouring double quotes (all the guide's snippets use). */
function words(line: string): string[] {
  return [...line.matchAll(/(?:[^\s"]+|"[^"]*")+/g)].map((m) => m[0].replaceAll('"', ''));
}

/** The `sh` snippets of each `## ` section of the guide. */
function snippetsBySection(markdown: string): Map<string, Snippet[]> {
  const sections = new Map<string, Snippet[]>();
  let section = '';
  for (const part of markdown.split(/^```/m).entries()) {
    const [i, text] = part;
    if (i % 2 === 0) {
      const heading = [...text.matchAll(/^## (.+)$/gm)].at(-1)?.[1];
      if (heading !== undefined) section = heading;
      continue;
    }
    if (!text.startsWith('sh\n')) continue;
    const tokens = words(text.slice(3).replace(/\\\n/g, ' '));
    const start = tokens.indexOf('npm');
    expect(tokens.slice(start, start + 2)).toEqual(['npm', 'start']);
    const env = Object.fromEntries(
      tokens.slice(0, start).map((t) => [t.slice(0, t.indexOf('=')), t.slice(t.indexOf('=') + 1)]),
    );
    const rest = tokens.slice(start + 2);
    sections.set(section, [
      ...(sections.get(section) ?? []),
      { env, args: rest[0] === '--' ? rest.slice(1) : rest },
    ]);
  }
  return sections;
}

const CLIENT_ID = 'tessera-demo';

/** Each provider section, the dev IdP profile that reproduces it, and what the snippet names. */
const CASES: {
  section: string;
  profile: DevIdpProfile;
  authority: string;
  scope: string;
}[] = [
  {
    section: 'Microsoft Entra ID',
    profile: 'entra',
    authority: 'https://login.microsoftonline.com/<tenant-id>',
    scope: 'User.Read',
  },
  {
    section: 'Auth0',
    profile: 'auth0',
    authority: 'https://<tenant>.<region>.auth0.com/',
    scope: 'api://demo/read',
  },
  {
    section: 'Keycloak',
    profile: 'keycloak',
    authority: 'https://<host>/realms/<realm>',
    scope: 'api://demo/read',
  },
];

const guide = snippetsBySection(readFileSync(join(REPO_ROOT, 'docs', 'providers.md'), 'utf8'));
let browser: Browser;

beforeAll(async () => {
  browser = await launchChromium();
});
afterAll(async () => {
  await browser?.close();
});

describe('docs/providers.md', () => {
  it.each(CASES)('the $section snippet runs as written against the $profile profile', async (c) => {
    const snippets = guide.get(c.section) ?? [];
    expect(snippets).toHaveLength(1);
    const snippet = snippets[0]!;
    expect(snippet.env['TESSERA_AUTHORITY']).toBe(c.authority);

    const host = snippet.args.includes('--host')
      ? (snippet.args[snippet.args.indexOf('--host') + 1] ?? '')
      : '127.0.0.1';
    const [appPort = 0, apiPort = 0] = await distinctFreePorts(2);
    const appUrl = `http://${host}:${appPort}/`;
    const idp: DevIdp = await startDevIdp({
      port: 0,
      profile: c.profile,
      autoLogin: { username: 'alice', consent: 'all' },
      clients: [
        {
          clientId: CLIENT_ID,
          redirectUris: [appUrl],
          postLogoutRedirectUris: [appUrl],
          refreshTokens: true,
        },
      ],
    });
    onTestFinished(() => idp.close());

    // Only placeholders and the provider's host change; nothing else of the snippet.
    const env = Object.fromEntries(
      Object.entries(snippet.env).map(([name, value]) => [
        name,
        value
          .replace(c.authority, idp.authority)
          .replace(/<spa-application-id>|<client-id>/g, CLIENT_ID),
      ]),
    );
    for (const value of Object.values(env)) expect(value).not.toMatch(/<[^>]+>/);
    const run = npmStart(
      [...snippet.args, '--app-port', String(appPort), '--api-port', String(apiPort)],
      'node',
      env,
    );
    onTestFinished(async () => {
      run.interrupt();
      await Promise.race([run.exited, new Promise((r) => setTimeout(r, 5_000))]);
      run.kill();
    });
    const [, url = ''] = await run.waitFor(/^Ready: (\S+)$/m, READY_TIMEOUT_MS);
    expect(url).toBe(appUrl);

    const context = await browser.newContext();
    onTestFinished(() => context.close());
    context.setDefaultTimeout(20_000);
    const page = await context.newPage();
    await page.goto(url);
    await page.locator('body[data-ready=true]').waitFor();
    await page.click('#sign-in-popup');
    await expect
      .poll(() => page.locator('#session-status').textContent(), { timeout: 20_000 })
      .toMatch(/^Signed in as /);
    await page.click('#token-popup');
    await expect.poll(() => page.locator('#tokens').textContent()).toContain(c.scope);

    if (snippet.args.includes('--local-api')) {
      await page.click('#call-profile');
      const answer = page.locator('#answers .answer').first();
      await expect.poll(() => answer.locator('.status').textContent()).toMatch(/^200 OK/);
    }
  });
});
