// Test page for the hostile-provider suite: the real library against the hostile provider, with
// hooks the tests read. Everything the library says — results, errors with their whole `cause`
// chain, log lines at Verbose level, events — is kept as data, never rendered as HTML.
import {
  createAuthFetch,
  isAuthError,
  LogLevel,
  UserAgentApplication,
  type AuthenticationParameters,
  type AuthResponse,
  type Configuration,
  type LogoutRequest,
  type NavigationClient,
  type ProtectedResourceMapInput,
} from '../../../packages/browser/src/index.js';
import { pageEnv } from '../../harness/page-env.js';

/** What a test may set for its page (`pageEnv().hostile`). */
export interface HostileConfig {
  authority: string;
  protocolMode?: 'OIDC' | 'AAD';
  cacheLocation?: 'sessionStorage' | 'localStorage' | 'memory';
  authorityMetadata?: string | Record<string, unknown>;
  windowHashTimeout?: number;
  loadFrameTimeout?: number;
  networkTimeout?: number;
  /** Route navigations through a router hook that first runs `window.hostile.beforeLeave`. */
  navigationHook?: boolean;
}

/** An error as data: its fields and, as one text, everything reachable from it. */
export interface ErrorDump {
  name: string;
  errorCode: string;
  errorMessage: string;
  /** `isAuthError` (brand check): a typed Tessera error. */
  branded: boolean;
  /** How many errors the `cause` chain holds after this one. */
  causes: number;
  /**
   * Every own property (enumerable or not), recursively, of the error and its causes, with
   * `String()`, stacks, URL and form texts, and the bodies of any `Response` kept: what
   * `console.error`, telemetry or a careless `JSON.stringify` could ever print.
   */
  text: string;
}

export interface ResponseView {
  accessToken: string;
  tokenType: string;
  scopes: string[];
  fromCache: boolean;
  username: string;
  homeAccountId: string;
  /** ISO date, or null when `expiresOn` is an invalid date. */
  expiresOn: string | null;
  accountState: string;
}

export type Outcome =
  | { kind: 'response'; response: ResponseView }
  | { kind: 'error'; error: ErrorDump }
  | { kind: 'none' };

type Primitive = string | number | boolean | bigint | symbol;
const primitiveText = (value: Primitive): string => String(value);

/** Collects text from anything reachable, without running app code (getters may throw). */
async function collect(value: unknown, out: string[], seen: Set<object>, depth: number) {
  if (depth > 8 || value === null || value === undefined) return;
  if (typeof value !== 'object' && typeof value !== 'function') {
    out.push(primitiveText(value as Primitive));
    return;
  }
  if (seen.has(value)) return;
  seen.add(value);
  if (value instanceof Response) {
    out.push(`Response ${value.status} ${value.url}`);
    for (const [name, header] of value.headers) out.push(`${name}: ${header}`);
    if (!value.bodyUsed)
      out.push(
        await value
          .clone()
          .text()
          .catch(() => ''),
      );
  } else if (value instanceof Request) {
    out.push(`Request ${value.url}`);
    for (const [name, header] of value.headers) out.push(`${name}: ${header}`);
  } else if (value instanceof URL || value instanceof URLSearchParams) {
    out.push(value.toString());
  } else if (value instanceof Headers) {
    for (const [name, header] of value) out.push(`${name}: ${header}`);
  } else if (value instanceof Map || value instanceof Set) {
    for (const entry of value) await collect(entry, out, seen, depth + 1);
  } else if (value instanceof Error) {
    out.push(String(value), value.stack ?? '');
  }
  for (const key of Reflect.ownKeys(value)) {
    let member: unknown;
    try {
      member = (value as Record<PropertyKey, unknown>)[key];
    } catch {
      continue;
    }
    out.push(String(key));
    await collect(member, out, seen, depth + 1);
  }
}

export async function dumpError(error: unknown): Promise<ErrorDump> {
  const e = (typeof error === 'object' && error !== null ? error : {}) as Record<string, unknown>;
  const out: string[] = [];
  await collect(error, out, new Set(), 0);
  try {
    out.push(JSON.stringify(error));
  } catch {
    // a cycle: the walk above has it all
  }
  let causes = 0;
  for (let c: unknown = e['cause']; c !== undefined && causes < 20; causes++) {
    c = (Object(c) as { cause?: unknown }).cause;
  }
  return {
    name: typeof e['name'] === 'string' ? e['name'] : typeof error,
    errorCode: typeof e['errorCode'] === 'string' ? e['errorCode'] : 'none',
    errorMessage: typeof e['errorMessage'] === 'string' ? e['errorMessage'] : String(error),
    branded: isAuthError(error),
    causes,
    text: out.join('\n'),
  };
}

function view(response: AuthResponse): ResponseView {
  const expires = response.expiresOn.getTime();
  return {
    accessToken: response.accessToken,
    tokenType: response.tokenType,
    scopes: response.scopes,
    fromCache: response.fromCache,
    username: response.account.username,
    homeAccountId: response.account.homeAccountId,
    expiresOn: Number.isFinite(expires) ? response.expiresOn.toISOString() : null,
    accountState: response.accountState,
  };
}

const settle = (promise: Promise<AuthResponse>): Promise<Outcome> =>
  promise.then(
    (response): Outcome => ({ kind: 'response', response: view(response) }),
    async (error: unknown): Promise<Outcome> => ({ kind: 'error', error: await dumpError(error) }),
  );

const env = pageEnv();
const config = env['hostile'] as HostileConfig;
const redirectUri = env.redirectUri ?? `${env.appUrl}/`;
/** Popups and iframes come back to the tiny callback page, not the app. */
const callbackUri = `${env.appUrl}/callback.html`;
const logs: string[] = [];
const events: { type: string; errorCode: string | undefined }[] = [];
const redirectCallbacks: { kind: 'token' | 'error'; errorCode?: string; accountState: string }[] =
  [];

const hooks = {
  ready: false,
  constructError: undefined as ErrorDump | undefined,
  logs,
  events,
  redirectCallbacks,
  /** What `handleRedirectPromise()` settled with on this page load (undefined while pending). */
  redirectOutcome: undefined as Outcome | undefined,
  /** Runs before the library leaves the page (with `navigationHook`). */
  beforeLeave: undefined as (() => void) | undefined,
  popup: (request: AuthenticationParameters = {}): Promise<Outcome> =>
    settle(app().acquireTokenPopup({ redirectUri: callbackUri, ...request })),
  silent: (request: AuthenticationParameters = {}): Promise<Outcome> =>
    settle(app().acquireTokenSilent({ redirectUri: callbackUri, ...request })),
  /** Starts a redirect flow; a rejection (the request was refused) is the outcome. */
  redirect: (request: AuthenticationParameters = {}): Promise<Outcome> =>
    app()
      .acquireTokenRedirect(request)
      .then(
        (): Outcome => ({ kind: 'none' }),
        async (error: unknown): Promise<Outcome> => ({
          kind: 'error',
          error: await dumpError(error),
        }),
      ),
  logout: (request: LogoutRequest = {}): Promise<Outcome> =>
    app()
      .logout(request)
      .then(
        (): Outcome => ({ kind: 'none' }),
        async (error: unknown): Promise<Outcome> => ({
          kind: 'error',
          error: await dumpError(error),
        }),
      ),
  accounts: () =>
    app()
      .getAllAccounts()
      .map((a) => ({
        homeAccountId: a.homeAccountId,
        username: a.username,
        claims: a.idTokenClaims,
      })),
  /** Every storage entry of this origin, both areas. */
  storage: (): { session: Record<string, string>; local: Record<string, string> } => ({
    session: Object.fromEntries(Object.entries(sessionStorage as Record<string, string>)),
    local: Object.fromEntries(Object.entries(localStorage as Record<string, string>)),
  }),
  /** `createAuthFetch` over this app with the given map; the status, or the error. */
  fetch: async (
    url: string,
    protectedResourceMap: ProtectedResourceMapInput,
    init?: RequestInit,
  ): Promise<{ status: number; error?: ErrorDump }> => {
    try {
      const response = await createAuthFetch(app(), { protectedResourceMap })(url, init);
      return { status: response.status };
    } catch (error) {
      return { status: -1, error: await dumpError(error) };
    }
  },
};

/** Follows the router-hook contract with full page loads, after `beforeLeave`. */
const hookedNavigation: NavigationClient = {
  navigateInternal(url, options) {
    hooks.beforeLeave?.();
    location[options.noHistory ? 'replace' : 'assign'](url);
    // The page is unloading: like the default client, never come back.
    return new Promise<boolean>(() => undefined);
  },
  navigateExternal(url, options) {
    hooks.beforeLeave?.();
    location[options.noHistory ? 'replace' : 'assign'](url);
    return Promise.resolve(true);
  },
};

let instance: UserAgentApplication | undefined;
function app(): UserAgentApplication {
  if (instance === undefined) throw new Error('the app could not be constructed');
  return instance;
}

const configuration: Configuration = {
  auth: {
    clientId: env.clientId ?? '',
    authority: config.authority,
    redirectUri,
    ...(config.protocolMode !== undefined && { protocolMode: config.protocolMode }),
    ...(config.authorityMetadata !== undefined && { authorityMetadata: config.authorityMetadata }),
  },
  cache: { cacheLocation: config.cacheLocation ?? 'sessionStorage' },
  system: {
    logger: {
      level: LogLevel.Verbose,
      loggerCallback: (level, message, correlationId) =>
        logs.push(`${level} ${message} ${correlationId ?? ''}`),
    },
    windowHashTimeout: config.windowHashTimeout ?? 8000,
    loadFrameTimeout: config.loadFrameTimeout ?? 4000,
    networkTimeout: config.networkTimeout ?? 5000,
    ...(config.navigationHook === true && { navigationClient: hookedNavigation }),
  },
};

try {
  instance = new UserAgentApplication(configuration);
  instance.addEventCallback((event) => {
    events.push({ type: event.eventType, errorCode: event.error?.errorCode });
  });
  instance.handleRedirectCallbacks(
    (response) => redirectCallbacks.push({ kind: 'token', accountState: response.accountState }),
    (error, accountState) =>
      redirectCallbacks.push({ kind: 'error', errorCode: error.errorCode, accountState }),
  );
  instance.handleRedirectPromise().then(
    (response) => {
      hooks.redirectOutcome =
        response === null ? { kind: 'none' } : { kind: 'response', response: view(response) };
    },
    async (error: unknown) => {
      hooks.redirectOutcome = { kind: 'error', error: await dumpError(error) };
    },
  );
} catch (error) {
  void dumpError(error).then((dump) => (hooks.constructError = dump));
}

(window as unknown as { hostile: typeof hooks }).hostile = hooks;
export type HostileHooks = typeof hooks;

hooks.ready = true;
const status = document.querySelector('#status');
if (status !== null) status.textContent = 'ready';
document.body.dataset['state'] = 'ready';
