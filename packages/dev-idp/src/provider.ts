// One oidc-provider instance: its configuration (clients, claims, resources, lifetimes, pages)
// and the middleware that counts requests and adds headers.
import type { IncomingMessage } from 'node:http';
import type * as OidcProviderModule from 'oidc-provider';
import type {
  Account,
  Configuration,
  ClientMetadata,
  JWKS,
  KoaContextWithOIDC,
  ResourceServer,
} from 'oidc-provider';
import type Provider from 'oidc-provider';
import type { MemoryStore } from './adapter.js';
import type { ResolvedConfig } from './config.js';
import { errorPage, loggedOutPage, logoutPage } from './pages.js';
import { addRefreshExpiresIn, entraTokenClaims, extraParams } from './profile-hooks.js';
import { INTERACTION_PREFIX } from './routes.js';
import { countTokenRequest, mountOf } from './state.js';
import type { Log, RuntimeState } from './state.js';
import type { UserDirectory } from './users.js';

type OidcModule = typeof OidcProviderModule;
/** The Koa context a `provider.use` middleware gets. */
type UseContext = Parameters<Parameters<Provider['use']>[0]>[0];

/** oidc-provider's console notices that are expected for a local development provider. */
const EXPECTED_NOTICES = [/Unsupported runtime/];

/** Routes oidc-provider's console notices to `log` (expected ones dropped); returns the undo. */
function patchConsole(log: Log | undefined): () => void {
  const { warn, info } = console;
  const filter =
    (original: (...args: unknown[]) => void) =>
    (...args: unknown[]): void => {
      const first = args[0];
      if (typeof first === 'string' && first.includes('oidc-provider ')) {
        // eslint-disable-next-line no-control-regex
        const line = first.replace(/\u001b\[[0-9;]*m/g, '');
        if (!EXPECTED_NOTICES.some((pattern) => pattern.test(line))) log?.info(line);
        return;
      }
      original.apply(console, args);
    };
  console.warn = filter(warn);
  console.info = filter(info);
  return () => {
    console.warn = warn;
    console.info = info;
  };
}

/** Runs synchronous `fn` with oidc-provider's console notices routed to `log`. */
function quietly<T>(log: Log, fn: () => T): T {
  const restore = patchConsole(log);
  try {
    return fn();
  } finally {
    restore();
  }
}

let loading: Promise<OidcModule> | undefined;

/** Imports oidc-provider once, without its start-up notices. */
export function loadOidcProvider(): Promise<OidcModule> {
  loading ??= (async () => {
    const restore = patchConsole(undefined);
    try {
      return await import('oidc-provider');
    } finally {
      restore();
    }
  })();
  return loading;
}

/** Everything one provider instance needs. */
export interface ProviderSetup {
  readonly oidc: OidcModule;
  readonly issuer: string;
  readonly config: ResolvedConfig;
  readonly users: UserDirectory;
  readonly jwks: JWKS;
  readonly cookieKeys: string[];
  /** Prefix of this provider's cookie names, unique per dev IdP and provider. */
  readonly cookiePrefix: string;
  readonly store: MemoryStore;
  readonly routes: Record<string, string>;
  /** Entra tenant id (adds `tid` and `oid` claims), or undefined for the plain issuer. */
  readonly tenant: string | undefined;
  /** B2C user flow (adds the `tfp` claim), or undefined. */
  readonly policy?: string | undefined;
  /** Issuer to put in the discovery document of a request, when it differs (Entra `common`). */
  readonly discoveryIssuer?: (req: IncomingMessage) => string | undefined;
  readonly state: RuntimeState;
  readonly log: Log;
}

/** Where a provider sits: its routes and, for Entra-shaped ones, tenant, policy and issuer override. */
export type ProviderPlacement = Pick<ProviderSetup, 'routes' | 'tenant'> &
  Partial<Pick<ProviderSetup, 'discoveryIssuer' | 'policy'>>;

function clientMetadata(config: ResolvedConfig): ClientMetadata[] {
  // Google issues no refresh tokens to browser clients.
  const refresh = config.profile !== 'google';
  return config.clients.map((client) => ({
    client_id: client.clientId,
    application_type: 'web',
    token_endpoint_auth_method: 'none',
    response_types: ['code'],
    grant_types:
      client.refreshTokens && refresh
        ? ['authorization_code', 'refresh_token']
        : ['authorization_code'],
    redirect_uris: [...client.redirectUris],
    post_logout_redirect_uris: [...client.postLogoutRedirectUris],
  }));
}

/** The scopes of `ctx`'s request (authorization or token endpoint). */
function requestedScopes(ctx: KoaContextWithOIDC): string[] {
  const scope = ctx.oidc.params?.scope;
  return typeof scope === 'string' ? scope.split(' ').filter((s) => s !== '') : [];
}

/** A string parameter of `ctx`'s request, or undefined. */
function stringParam(ctx: KoaContextWithOIDC, name: string): string | undefined {
  const value = ctx.oidc.params?.[name];
  return typeof value === 'string' && value !== '' ? value : undefined;
}

/**
 * oidc-provider's login and consent prompts, preceded by `select_account` (sent by Entra-style
 * clients): requesting it shows the sign-in form even when a session exists.
 */
function interactionPolicy(oidc: OidcModule): OidcProviderModule.interactionPolicy.DefaultPolicy {
  const policy = oidc.interactionPolicy.base();
  policy.add(new oidc.interactionPolicy.Prompt({ name: 'select_account', requestable: true }), 0);
  return policy;
}

/** Creates and configures one oidc-provider instance. */
export function createProvider(setup: ProviderSetup): Provider {
  const { config, users, tenant, policy, log } = setup;
  const { errors } = setup.oidc;
  const { profile, resources } = config;

  const resourceFor = (scope: string): string | undefined =>
    resources.find((r) => r.scopes.includes(scope) || scope.startsWith(`${r.audience}/`))?.audience;

  const claimsOf = (sub: string): Record<string, unknown> | undefined => {
    const user = users.bySub(sub);
    if (user === undefined) return undefined;
    return {
      sub: user.sub,
      name: user.name,
      preferred_username: user.username,
      email: user.email,
      email_verified: true,
      ...(tenant !== undefined && { tid: tenant, oid: user.oid }),
      ...(policy !== undefined && { tfp: policy }),
    };
  };
  const openidClaims = ['sub', ...(tenant === undefined ? [] : ['tid', 'oid'])];
  if (policy !== undefined) openidClaims.push('tfp');

  const configuration: Configuration = {
    adapter: (model: string) => setup.store.adapterFor(model),
    clients: clientMetadata(config),
    jwks: setup.jwks,
    cookies: {
      names: {
        session: `${setup.cookiePrefix}session`,
        interaction: `${setup.cookiePrefix}interaction`,
        resume: `${setup.cookiePrefix}resume`,
      },
      long: { httpOnly: true, sameSite: 'lax' },
      short: { httpOnly: true, sameSite: 'lax' },
      keys: setup.cookieKeys,
    },
    claims: {
      openid: openidClaims,
      profile: ['name', 'preferred_username'],
      email: ['email', 'email_verified'],
    },
    // Google's discovery does not list offline_access (and it issues no refresh tokens).
    scopes: profile === 'google' ? ['openid'] : ['openid', 'offline_access'],
    extraParams: extraParams(config, errors),
    conformIdTokenClaims: false,
    responseTypes: ['code'],
    clientAuthMethods: ['none'],
    pkce: { required: () => true },
    routes: setup.routes,
    features: {
      devInteractions: { enabled: false },
      revocation: {
        enabled: true,
        allowedPolicy: (_ctx, client, token) => token.clientId === client.clientId,
      },
      rpInitiatedLogout: {
        // Google has no end-session endpoint: sign-out there is the client's own affair.
        enabled: profile !== 'google',
        logoutSource: (ctx, form) => {
          ctx.type = 'html';
          ctx.body = logoutPage(form);
        },
        postLogoutSuccessSource: (ctx) => {
          ctx.type = 'html';
          ctx.body = loggedOutPage();
        },
      },
      resourceIndicators: {
        enabled: true,
        defaultResource: (ctx, _client, oneOf) => {
          const scopes = requestedScopes(ctx);
          if (oneOf !== undefined) {
            // Token endpoint with several granted resources: the one the scopes point at.
            const wanted = scopes
              .map(resourceFor)
              .find((r) => r !== undefined && oneOf.includes(r));
            return wanted ?? oneOf[0];
          }
          // Auth0: the API is the one `audience` names; scopes alone never select one.
          if (profile === 'auth0') return stringParam(ctx, 'audience');
          const matched = [
            ...new Set(scopes.map(resourceFor).filter((r): r is string => r !== undefined)),
          ];
          if (matched.length === 0) return undefined;
          return matched.length === 1 ? matched[0] : matched;
        },
        useGrantedResource: () => true,
        getResourceServerInfo: (_ctx, indicator): ResourceServer => {
          const resource = resources.find((r) => r.audience === indicator);
          if (resource === undefined) {
            // Auth0's answer to an audience it does not know.
            if (profile === 'auth0')
              throw new errors.AccessDenied(`Service not found: ${indicator}`);
            throw new errors.InvalidTarget(`unknown resource ${indicator}`);
          }
          return {
            scope: resource.scopes.join(' '),
            audience: resource.audience,
            accessTokenFormat: 'jwt',
            accessTokenTTL: config.ttl.accessToken,
            jwt: { sign: { alg: 'RS256' } },
          };
        },
      },
      userinfo: { enabled: true },
    },
    clientBasedCORS: (_ctx, origin, client) =>
      client.redirectUris?.some((uri) => URL.parse(uri)?.origin === origin) ?? false,
    findAccount: (_ctx, sub): Account | undefined => {
      const claims = claimsOf(sub);
      if (claims === undefined) return undefined;
      return { accountId: sub, claims: () => ({ ...claims, sub }) };
    },
    issueRefreshToken: (_ctx, client) =>
      profile !== 'google' && client.grantTypeAllowed('refresh_token'),
    // Tokens outlive the browser session (like Entra's SPA refresh tokens): ending sessions
    // stops silent renewal through the authorization endpoint, not refresh.
    expiresWithSession: () => false,
    rotateRefreshToken: config.rotateRefreshTokens,
    extraTokenClaims: (ctx, token) => {
      const claims: Record<string, unknown> = {};
      if (tenant !== undefined && 'accountId' in token) {
        const user = users.bySub(token.accountId);
        Object.assign(
          claims,
          user === undefined ? { tid: tenant } : { tid: tenant, oid: user.oid },
        );
      }
      if (policy !== undefined) claims.tfp = policy;
      if (profile === 'entra') Object.assign(claims, entraTokenClaims(ctx, token));
      return Object.keys(claims).length === 0 ? undefined : claims;
    },
    interactions: {
      policy: interactionPolicy(setup.oidc),
      url: (ctx, interaction) => `${mountOf(ctx.req)}${INTERACTION_PREFIX}${interaction.uid}`,
    },
    ttl: {
      AccessToken: (_ctx, token) => token.resourceServer?.accessTokenTTL ?? config.ttl.accessToken,
      AuthorizationCode: 60,
      IdToken: config.ttl.idToken,
      RefreshToken: (ctx, token) => {
        const rotated = ctx?.oidc?.entities.RotatedRefreshToken;
        // A rotated refresh token keeps its predecessor's expiry (the lifetime counts from the
        // first token of the grant).
        if (rotated !== undefined && token !== rotated) return Math.max(1, rotated.remainingTTL);
        return config.ttl.refreshToken;
      },
      Session: config.ttl.session,
      Interaction: 3600,
      Grant: Math.max(config.ttl.refreshToken, config.ttl.session, 14 * 86400),
    },
    renderError: (ctx, out) => {
      ctx.type = 'html';
      ctx.body = errorPage(
        'Sign-in error',
        Object.entries(out).map(([name, value]) => [name, String(value)] as const),
      );
    },
  };

  const provider = quietly(log, () => new setup.oidc.Provider(setup.issuer, configuration));

  provider.use(async (ctx, next) => {
    try {
      await next();
      if (profile === 'keycloak') {
        await addRefreshExpiresIn(ctx);
      }
    } finally {
      afterRequest(ctx, setup);
    }
  });

  provider.on('server_error', (ctx, error) => {
    log.error(
      `tessera-dev-idp: server error at ${ctx.method} ${ctx.path}: ${error.stack ?? error.message}`,
    );
  });
  const events = provider as unknown as NodeJS.EventEmitter;
  events.on('error', (error: Error) => {
    log.error(`tessera-dev-idp: ${error.stack ?? error.message}`);
  });
  const protocolErrors = [
    'authorization.error',
    'grant.error',
    'userinfo.error',
    'end_session.error',
    'revocation.error',
    'discovery.error',
    'jwks.error',
    'pushed_authorization_request.error',
  ] as const;
  for (const event of protocolErrors) {
    events.on(event, (_ctx: unknown, error: unknown) => {
      const {
        error: code,
        error_description: description,
        error_detail: detail,
      } = (error ?? {}) as Record<string, unknown>;
      const explained = [description, detail].filter((part) => typeof part === 'string');
      const suffix = explained.length === 0 ? '' : ` (${explained.join(': ')})`;
      log.info(`tessera-dev-idp: ${event}: ${typeof code === 'string' ? code : 'error'}${suffix}`);
    });
  }

  return provider;
}

/** After each provider request: count it, add headers, adjust the discovery document. */
function afterRequest(ctx: UseContext, setup: ProviderSetup): void {
  // ctx.oidc only exists on requests that matched one of oidc-provider's routes.
  const oidc = (ctx as { oidc?: KoaContextWithOIDC['oidc'] }).oidc;
  const route = oidc?.route;
  const { state } = setup;
  if (route === 'authorization') state.stats.authorizationRequests += 1;
  if (route === 'token' && ctx.method === 'POST') {
    // The raw body: oidc-provider drops parameters its grants do not know (claims among them).
    countTokenRequest(state.stats, oidc?.params?.grant_type, oidc?.body?.claims !== undefined);
  }
  if (state.coop && (route === 'authorization' || route === 'resume')) {
    ctx.set('Cross-Origin-Opener-Policy', 'same-origin');
  }
  if (route === 'discovery' && setup.discoveryIssuer !== undefined) {
    const issuer = setup.discoveryIssuer(ctx.req);
    const body: unknown = ctx.body;
    if (issuer !== undefined && typeof body === 'object' && body !== null) {
      ctx.body = { ...body, issuer };
    }
  }
}
