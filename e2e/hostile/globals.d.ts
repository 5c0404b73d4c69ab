import type { HostileHooks } from '../pages/hostile/app.js';

declare global {
  interface Window {
    /** The hostile-provider test page's hooks (e2e/pages/hostile/app.ts). */
    hostile: HostileHooks;
    /** Set by markup a provider managed to get rendered: must never exist. */
    __pwned?: unknown;
  }
}
