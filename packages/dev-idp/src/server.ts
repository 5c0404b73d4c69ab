// startDevIdp: the HTTP server, which provider a request goes to, and the DevIdp handle.
import { createServer } from 'node:http';
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type Provider from 'oidc-provider';
import { MemoryStore } from './adapter.js';
import {
  b2cAuthority,
  entraAuthority,
  entraTenantId,
  listAuthorities,
  mainAuthority,
} from './authorities.js';
import type { AuthorityFacts } from './authorities.js';
import { OIDC_SCOPES, normaliseIssuer, resolveAutoLogin, resolveOptions } from './config.js';
import { handleControl } from './control.js';
import type { ControlTarget } from './control.js';
import { prepareEntraRequest } from './entra-requests.js';
import type { EntraRequestSetup } from './entra-requests.js';
import { mountEntra } from './entra-routing.js';
import { CanonicalScopes } from './entra-scopes.js';
import { entraProviderPath } from './entra.js';
import { DevIdpConfigError } from './errors.js';
import { HttpError, sendHtml } from './http.js';
import { handleInteraction } from './interactions.js';
import type { InteractionSetup } from './interactions.js';
import { cookieKeys, signingKeys } from './keys.js';
import { errorPage } from './pages.js';
import { profileIssuer, profileRoutes } from './profiles.js';
import { createProvider, loadOidcProvider } from './provider.js';
import type { ProviderPlacement } from './provider.js';
import { CONTROL_PREFIX, INTERACTION_PREFIX } from './routes.js';
import { copyStats, countTokenRequest, createLog, emptyStats, setMount } from './state.js';
import type { RuntimeState } from './state.js';
import { UserDirectory } from './users.js';
import type { DevIdp, DevIdpOptions } from './types.js';

/** One provider and where it is mounted. */
interface Mounted {
  readonly provider: Provider;
  readonly callback: (req: IncomingMessage, res: ServerResponse) => unknown;
  readonly store: MemoryStore;
  readonly interactions: InteractionSetup;
  /** Its token endpoint path, relative to the mount. */
  readonly tokenPath: string;
}

type RequestWithOriginalUrl = IncomingMessage & { originalUrl?: string };

function listen(server: Server, port: number, host: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const onError = (error: NodeJS.ErrnoException): void => {
      server.off('listening', onListening);
      switch (error.code) {
        case 'EADDRINUSE':
          reject(
            new DevIdpConfigError(
              'port',
              `${port} is already in use on ${host}`,
              'choose another port, or 0 for any free port',
            ),
          );
          break;
        case 'EACCES':
          reject(
            new DevIdpConfigError(
              'port',
              `${port} on ${host} needs privileges`,
              'use a port above 1023, or 0 for any free port',
            ),
          );
          break;
        case 'EADDRNOTAVAIL':
        case 'ENOTFOUND':
        case 'EAI_AGAIN':
          reject(
            new DevIdpConfigError(
              'host',
              `${host} is not an address of this machine`,
              'use 127.0.0.1 (or another local address)',
            ),
          );
          break;
        default:
          reject(error);
      }
    };
    const onListening = (): void => {
      server.off('error', onError);
      resolve();
    };
    server.once('error', onError);
    server.once('listening', onListening);
    server.listen({ port, host });
  });
}

function defaultIssuer(host: string, port: number): string {
  let name = host;
  if (host === '0.0.0.0') name = '127.0.0.1';
  else if (host === '::') name = '[::1]';
  else if (host.includes(':')) name = `[${host}]`;
  return `http://${name}:${port}`;
}

/** Splits `/a/b?x` into the first segment, the rest of the path and the query. */
function splitUrl(raw: string): { path: string; query: string; first: string; rest: string } {
  const q = raw.indexOf('?');
  const path = q === -1 ? raw : raw.slice(0, q);
  const query = q === -1 ? '' : raw.slice(q);
  const slash = path.indexOf('/', 1);
  const first = slash === -1 ? path.slice(1) : path.slice(1, slash);
  const rest = slash === -1 ? '/' : path.slice(slash);
  return { path, query, first, rest };
}

/**
 * Hands a request to a provider (or its interaction pages) mounted at `mount`. With `entra` (the
 * entra profile) the request is prepared first, and may be answered there.
 */
async function forward(
  target: Mounted,
  req: IncomingMessage,
  res: ServerResponse,
  where: { mount: string; path: string; query: string },
  entra: EntraRequestSetup | undefined,
): Promise<void> {
  const { mount, path } = where;
  setMount(req, mount);
  if (path.startsWith(INTERACTION_PREFIX)) {
    await handleInteraction(req, res, path, { ...target.interactions, mount });
    return;
  }
  let query = where.query;
  let request = req as RequestWithOriginalUrl;
  if (entra !== undefined) {
    const prepared = await prepareEntraRequest(req, res, query, path === target.tokenPath, entra);
    if (prepared === undefined) return;
    ({ query } = prepared);
    request = prepared.req;
    setMount(request, mount);
  }
  request.url = `${path}${query}`;
  request.originalUrl = `${mount}${path}${query}`;
  await target.callback(request, res);
}

function notFound(res: ServerResponse, path: string): void {
  sendHtml(res, 404, errorPage('Not found', [['path', path]]));
}

/**
 * Starts a local OpenID provider (oidc-provider) on loopback and resolves once it answers.
 * Rejects with {@link DevIdpConfigError} for bad options or an unusable port/host, leaving
 * nothing listening.
 */
export async function startDevIdp(options?: DevIdpOptions): Promise<DevIdp> {
  const config = resolveOptions(options);
  const log = createLog(config.logger);
  const [oidc, jwks] = await Promise.all([loadOidcProvider(), signingKeys()]);

  let dispatch: ((req: IncomingMessage, res: ServerResponse) => Promise<void>) | undefined;
  const server = createServer((req, res) => {
    if (dispatch === undefined) {
      res.writeHead(503, { 'Retry-After': '1' }).end();
      return;
    }
    dispatch(req, res).catch((error: unknown) => {
      const status = error instanceof HttpError ? error.status : 500;
      if (status >= 500) {
        log.error(
          `tessera-dev-idp: error at ${req.method ?? ''} ${req.url ?? ''}: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`,
        );
      }
      if (res.headersSent) {
        res.destroy();
        return;
      }
      const message = error instanceof Error ? error.message : 'unexpected error';
      sendHtml(
        res,
        status,
        errorPage(status >= 500 ? 'Server error' : 'Bad request', [['error', message]]),
      );
    });
  });
  await listen(server, config.port, config.host);

  let closing: Promise<void> | undefined;
  const close = (): Promise<void> => {
    closing ??= new Promise((resolve) => {
      server.close(() => resolve());
      server.closeAllConnections();
    });
    return closing;
  };

  try {
    const port = (server.address() as AddressInfo).port;
    const base =
      config.issuer === undefined
        ? defaultIssuer(config.host, port)
        : normaliseIssuer(config.issuer, port);
    const issuer = profileIssuer(config.profile, base, config.realm);
    const url = new URL(issuer).origin;
    const plainMount = new URL(issuer).pathname.replace(/\/$/, '');
    const users = new UserDirectory(config.users);
    const state: RuntimeState = {
      autoLogin: config.autoLogin,
      coop: config.coop,
      stats: emptyStats(),
    };

    const mounted: Mounted[] = [];
    const mountProvider = (providerIssuer: string, extra: ProviderPlacement): Mounted => {
      const store = new MemoryStore();
      const provider = createProvider({
        oidc,
        issuer: providerIssuer,
        config,
        users,
        jwks,
        cookieKeys: cookieKeys(),
        cookiePrefix: `tdi${port}_${mounted.length}_`,
        store,
        state,
        log,
        ...extra,
      });
      const entry: Mounted = {
        provider,
        callback: provider.callback(),
        store,
        interactions: { oidc, provider, mount: '', users, state, log },
        tokenPath: extra.routes.token ?? '',
      };
      mounted.push(entry);
      return entry;
    };

    const plain = mountProvider(issuer, {
      routes: profileRoutes(config.profile),
      tenant: undefined,
    });
    const entra = mountEntra(config, url, mountProvider);
    const prepare: EntraRequestSetup | undefined =
      config.profile === 'entra'
        ? {
            scopes: new CanonicalScopes(config.resources, OIDC_SCOPES),
            corsAllowed: (clientId, origin) =>
              config.clients.some(
                (client) =>
                  client.clientId === clientId &&
                  client.redirectUris.some((uri) => URL.parse(uri)?.origin === origin),
              ),
            countRefused: (grantType) => countTokenRequest(state.stats, grantType, true),
          }
        : undefined;

    const endSessions = (): Promise<number> => {
      let ended = 0;
      for (const { store } of mounted) {
        ended += store.deleteModel('Session');
        store.deleteModel('Interaction');
      }
      return Promise.resolve(ended);
    };
    const setAutoLogin = (value: unknown): ReturnType<typeof resolveAutoLogin> => {
      state.autoLogin = resolveAutoLogin(value, config.users);
      return state.autoLogin;
    };
    const control: ControlTarget = {
      stats: () => copyStats(state.stats),
      resetStats: () => {
        state.stats = emptyStats();
      },
      endSessions,
      setAutoLogin,
      setCoop: (on) => {
        state.coop = on;
      },
      coop: () => state.coop,
    };

    dispatch = async (req, res) => {
      const { path, query, first, rest } = splitUrl(req.url ?? '/');
      if (path.startsWith(CONTROL_PREFIX)) {
        await handleControl(req, res, path, control);
        return;
      }
      const route = entra.resolve(first, rest);
      if (route !== undefined) {
        const providerPath = entraProviderPath(route.rest);
        if (providerPath === undefined) {
          notFound(res, path);
          return;
        }
        await forward(
          route.target,
          req,
          res,
          { mount: route.mount, path: providerPath, query },
          prepare,
        );
        return;
      }
      if (plainMount !== '') {
        if (path !== plainMount && !path.startsWith(`${plainMount}/`)) {
          notFound(res, path);
          return;
        }
        const below = path.slice(plainMount.length) || '/';
        await forward(plain, req, res, { mount: plainMount, path: below, query }, prepare);
        return;
      }
      await forward(plain, req, res, { mount: '', path, query }, prepare);
    };

    return describeIdp({ facts: { issuer, url, config }, port, control, close });
  } catch (error) {
    await close();
    throw error;
  }
}

function describeIdp(parts: {
  facts: AuthorityFacts;
  port: number;
  control: ControlTarget;
  close: () => Promise<void>;
}): DevIdp {
  const { facts, port, control, close } = parts;
  return {
    issuer: facts.issuer,
    url: facts.url,
    port,
    profile: facts.config.profile,
    authority: mainAuthority(facts),
    authorities: listAuthorities(facts),
    entraAuthority: (tenant) => entraAuthority(facts, tenant),
    entraTenantId: (tenant) => entraTenantId(facts, tenant),
    b2cAuthority: (policy, domain) => b2cAuthority(facts, policy, domain),
    stats: () => control.stats(),
    resetStats: () => control.resetStats(),
    endSessions: async () => {
      await control.endSessions();
    },
    setAutoLogin: (mode) => {
      control.setAutoLogin(mode);
    },
    setCoop: (on) => control.setCoop(on),
    close,
  };
}
