// Shared steps of the core library's e2e tests (pages in e2e/pages/core).
import type { Page } from 'playwright-core';
import { expect } from 'vitest';
import type { Outcome } from '../pages/core/app.js';
import { consent, fillLogin, startEnv } from '../harness/fixtures.js';
import type { DevIdpOptions, Env, EnvOptions } from '../harness/fixtures.js';

export type { Outcome };

export interface CoreEnvOptions {
  idp?: DevIdpOptions | ((app: { url: string }) => DevIdpOptions);
  tessera?: Record<string, unknown>;
  api?: boolean;
  launch?: EnvOptions['launch'];
  appHost?: string;
}

/** The core test page on one port, the real dev IdP on another. */
export function startCoreEnv(options: CoreEnvOptions = {}): Promise<Env> {
  return startEnv({
    pages: 'e2e/pages/core',
    bundles: { '/app.js': 'e2e/pages/core/app.ts', '/callback.js': 'e2e/pages/core/callback.ts' },
    idp: options.idp ?? { autoLogin: false },
    pageEnv: { tessera: options.tessera ?? {} },
    ...(options.api !== undefined && { api: options.api }),
    ...(options.launch !== undefined && { launch: options.launch }),
    ...(options.appHost !== undefined && { appHost: options.appHost }),
  });
}

/** Opens a page of the app and waits until the test page's script ran. */
export async function openApp(env: Env, path = '/'): Promise<void> {
  await env.page.goto(`${env.app.url}${path}`);
  await env.page.locator('body[data-state=ready]').waitFor();
}

/** Clicks a button that opens a popup, signs in there through the real forms. */
export async function signInWithPopup(
  env: Env,
  button: string,
  scopes: readonly string[] | 'all' = 'all',
): Promise<Outcome> {
  const popupEvent = env.page.waitForEvent('popup');
  await env.page.click(button);
  const popup = await popupEvent;
  await popup.waitForURL((url) => url.origin === env.idp.url);
  await fillLogin(popup, 'alice', 'alice-password');
  await consent(popup, scopes);
  return lastOutcome(env.page);
}

/** Waits for the result of the latest button flow and clears it. */
export async function lastOutcome(page: Page): Promise<Outcome> {
  await page.waitForFunction(() => window.t.last !== undefined);
  return page.evaluate(() => {
    const outcome = window.t.last;
    window.t.last = undefined;
    if (outcome === undefined) throw new Error('no outcome');
    return outcome;
  });
}

/** Payload of a JWT, decoded without verification (the test inspects what the IdP issued). */
export function jwtPayload(token: string): Record<string, unknown> {
  const part = token.split('.')[1];
  expect(part).toBeDefined();
  return JSON.parse(Buffer.from(part ?? '', 'base64url').toString('utf8')) as Record<
    string,
    unknown
  >;
}

/** Collects the URLs of every request the page (and its frames) sends while `fn` runs. */
export async function requestsDuring<T>(
  page: Page,
  fn: () => Promise<T>,
): Promise<{ result: T; urls: string[] }> {
  const urls: string[] = [];
  const listener = (request: { url(): string }) => urls.push(request.url());
  page.context().on('request', listener);
  try {
    const result = await fn();
    return { result, urls };
  } finally {
    page.context().off('request', listener);
  }
}
