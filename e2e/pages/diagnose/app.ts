// Test page for diagnose(app): the test passes the configuration of each case; the page signs in
// by popup when asked and returns what diagnose reports.
import {
  diagnose,
  type DiagnoseOptions,
  type Diagnosis,
} from '../../../packages/browser/src/diagnose/index.js';
import { UserAgentApplication } from '../../../packages/browser/src/index.js';

export interface PageConfig {
  authority: string;
  clientId: string;
  redirectUri: string;
}

const make = (config: PageConfig) => new UserAgentApplication({ auth: config });

const api = {
  /** Signs in with a popup (the dev IdP signs alice in by itself); resolves with the username. */
  async signIn(config: PageConfig): Promise<string> {
    const response = await make(config).loginPopup({ scopes: ['openid'] });
    return response.account.username;
  },
  /** What diagnose(app) reports for this configuration. */
  diagnose(
    config: PageConfig,
    options: Pick<DiagnoseOptions, 'timeoutMs'> = {},
  ): Promise<Diagnosis> {
    return diagnose(make(config), options);
  },
  /** Storage keys, to show that a diagnosis stores nothing. */
  storedKeys(): string[] {
    return [...Object.keys(sessionStorage), ...Object.keys(localStorage)].sort();
  },
};

declare global {
  interface Window {
    d: typeof api;
  }
}

window.d = api;
document.body.dataset['state'] = 'ready';
document.querySelector('#status')!.textContent = 'ready';
