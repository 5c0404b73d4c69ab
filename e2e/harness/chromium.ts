// Real Chromium for the e2e suite: Debian's /usr/bin/chromium (or CHROMIUM_PATH), driven by
// playwright-core. `npx playwright install` is never used: the suite must run offline.
import { accessSync, constants, statSync } from 'node:fs';
import { chromium } from 'playwright-core';
import type { Browser } from 'playwright-core';

export const DEFAULT_CHROMIUM_PATH = '/usr/bin/chromium';

/** Command-line switches every e2e browser is started with. */
export const CHROMIUM_ARGS: readonly string[] = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

export const CHROMIUM_INSTALL_HINT =
  'Install it with `apt-get install -y chromium` (Debian/Ubuntu), or set CHROMIUM_PATH to a ' +
  'Chromium or Chrome executable.';

function isExecutableFile(path: string): boolean {
  try {
    if (!statSync(path).isFile()) return false;
    accessSync(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

/**
 * The Chromium executable the e2e suite drives: `CHROMIUM_PATH` when set, otherwise
 * `/usr/bin/chromium`. Throws an Error that says how to install it when neither is usable.
 */
export function findChromium(
  env: NodeJS.ProcessEnv = process.env,
  defaultPath: string = DEFAULT_CHROMIUM_PATH,
): string {
  const fromEnv = env['CHROMIUM_PATH'];
  if (fromEnv !== undefined && fromEnv !== '') {
    if (isExecutableFile(fromEnv)) return fromEnv;
    throw new Error(
      `CHROMIUM_PATH is set to ${JSON.stringify(fromEnv)}, which is not an executable file. ` +
        CHROMIUM_INSTALL_HINT,
    );
  }
  if (isExecutableFile(defaultPath)) return defaultPath;
  throw new Error(
    `Chromium was not found at ${defaultPath} and CHROMIUM_PATH is not set; the e2e ` +
      `tests need a real Chromium. ${CHROMIUM_INSTALL_HINT}`,
  );
}

export interface LaunchChromiumOptions {
  /** Defaults to `findChromium()`. */
  executablePath?: string;
  /** Extra switches appended after `CHROMIUM_ARGS`. */
  extraArgs?: readonly string[];
  /**
   * Keep Chromium's popup blocker on. playwright turns it off by default; tests of the blocked
   * popup path need the real one.
   */
  popupBlocker?: boolean;
}

/**
 * Starts headless Chromium with `CHROMIUM_ARGS`. Every launch gets a fresh, empty profile:
 * playwright's `launch()` creates a new temporary user-data dir (`playwright_chromiumdev_profile-*`
 * in the OS temp dir) and deletes it when the browser is closed, so `browser.close()` is all the
 * cleanup needed. Each `browser.newContext()` is a further isolated (incognito-like) profile.
 */
export async function launchChromium(options: LaunchChromiumOptions = {}): Promise<Browser> {
  const executablePath = options.executablePath ?? findChromium();
  return chromium.launch({
    executablePath,
    headless: true,
    args: [...CHROMIUM_ARGS, ...(options.extraArgs ?? [])],
    ...(options.popupBlocker === true && { ignoreDefaultArgs: ['--disable-popup-blocking'] }),
    timeout: 30_000,
  });
}
