import type {
  UserAgentApplication,
  AuthenticationParameters,
} from '../../packages/browser/src/index.js';
import type { Outcome } from '../pages/core/app.js';

declare global {
  interface Window {
    t: {
      app: UserAgentApplication;
      accountAtStart: string | null;
      events: { type: string; errorCode: string | undefined; reason?: string }[];
      redirectResults: Outcome[];
      lateRedirectResults: Outcome[];
      last: Outcome | undefined;
      seedSilent: Outcome | undefined;
      silent(request?: AuthenticationParameters): Promise<Outcome>;
      popupNow(request?: AuthenticationParameters): Promise<Outcome>;
      account(): string | null;
      accounts(): string[];
      silentFor(username: string, request?: AuthenticationParameters): Promise<Outcome>;
      setActive(username: string | null): void;
      fetchWithToken(url: string): Promise<{ status: number; body?: string; error?: string }>;
      cacheKeys(): string[];
    };
  }
}
