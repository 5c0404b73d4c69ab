// Shared by the harness (Node) and test pages (browser): where a page finds the servers of its
// test. `startEnv` injects it into every document of the browser context before any script
// runs; pages read it with `pageEnv()`. No Node APIs here: pages bundle this file.

export interface PageEnv {
  /** The app's origin (static server), e.g. `http://127.0.0.1:41234`. */
  appUrl: string;
  /** The dev IdP's issuer, when the test started one. */
  issuer?: string;
  /** The client the test registered at the dev IdP. */
  clientId?: string;
  /** The default client's redirect URI: `${appUrl}/`. */
  redirectUri?: string;
  /** The recording API's origin, when the test started one. */
  apiUrl?: string;
  /** Anything else the test passed as `pageEnv`. */
  [key: string]: unknown;
}

export const PAGE_ENV_GLOBAL = '__E2E_ENV__';

/** In a test page: the values `startEnv` injected. Throws when the page was opened without it. */
export function pageEnv(): PageEnv {
  const env = (globalThis as Record<string, unknown>)[PAGE_ENV_GLOBAL];
  if (typeof env !== 'object' || env === null) {
    throw new Error(`No ${PAGE_ENV_GLOBAL}: open this page through the e2e harness (startEnv).`);
  }
  return env as PageEnv;
}
