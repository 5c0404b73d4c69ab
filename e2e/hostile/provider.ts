// A hostile OpenID provider on loopback: discovery, JWKS, authorize, token and end-session, good
// by default, and per test ONE crafted answer. The real library talks to it from real Chromium;
// the provider records every request, and every code and token it handed out, so a test can
// check that nothing came back where it must not (error messages, logs, URLs, storage).
import { createHash, createHmac, randomBytes } from 'node:crypto';
import { createServer } from 'node:http';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { exportJWK, generateKeyPair, SignJWT } from 'jose';
import type { JWK, JWTPayload } from 'jose';
import { closeServer, listen, originOf } from '../harness/http.js';

const REPLY = Symbol('reply');

/** A raw HTTP answer, made by `json`, `raw` or `redirectTo`. `body` objects are sent as JSON. */
export interface Reply {
  [REPLY]: true;
  status?: number;
  headers?: Record<string, string>;
  body?: unknown;
}

/** Which endpoint a request went to. */
export type Endpoint = 'discovery' | 'jwks' | 'authorize' | 'token' | 'logout' | 'other';

/** One request as the provider saw it. */
export interface ProviderRequest {
  endpoint: Endpoint;
  method: string;
  path: string;
  query: URLSearchParams;
  /** Form body of a POST (token requests). */
  form: URLSearchParams | undefined;
  authorization: string | undefined;
  /** For an authorization request: the fresh code the provider registered for it. */
  code?: string;
  /** Monotonic sequence number across the provider's life. */
  seq: number;
}

/** What a pending authorization code stands for. */
export interface CodeGrant {
  clientId: string;
  redirectUri: string;
  codeChallenge: string;
  nonce: string | undefined;
  scope: string;
  issuer: string;
  /** The tenant (Entra-shaped authorities), else undefined. */
  tenant: string | undefined;
}

/** A refresh token's grant. */
interface RefreshGrant {
  clientId: string;
  scope: string;
  issuer: string;
  tenant: string | undefined;
  sub: string;
}

/** What an authorize script sees. */
export interface AuthorizeContext {
  query: URLSearchParams;
  /** A fresh, valid code for this request (already registered, PKCE-bound). */
  code: string;
  /** The issuer the discovery document of this path announces. */
  issuer: string;
  /** A 302 to the request's redirect URI with these parameters in the query (or fragment). */
  respond(params: Record<string, string | string[]>, where?: 'query' | 'fragment'): Reply;
  /** A 302 to this exact location (already built). */
  redirect(location: string): Reply;
}

/** What a token script sees. */
export interface TokenContext {
  form: URLSearchParams;
  grantType: string;
  /** The grant behind the code or refresh token, when it is one this provider issued. */
  grant: CodeGrant | RefreshGrant | undefined;
  /** The good answer this provider would give (tokens registered as secrets), to tamper with. */
  good(): Promise<Record<string, unknown>>;
  /** The ID token claims the good answer would carry. */
  claims(): Record<string, unknown>;
  /** Signs claims as this provider (RS256, the JWKS key), optionally with other header fields. */
  sign(claims: Record<string, unknown>, header?: Record<string, unknown>): Promise<string>;
}

/** Per-test behaviour. Every hook is optional; without one the provider behaves well. */
export interface Script {
  /** Replace or edit the discovery document; return a Reply for a raw answer. */
  discovery?: (doc: Record<string, unknown>) => Record<string, unknown> | Reply;
  /** Answer an authorization request. Default: redirect back with a good code. */
  authorize?: (ctx: AuthorizeContext) => Reply;
  /** Answer a token request. Default: the good answer. */
  token?: (ctx: TokenContext) => Reply | Promise<Reply>;
  /** Edit the ID token claims of good answers (all of them). */
  claims?: (claims: Record<string, unknown>, grantType: string) => void;
  /** The subject of the signed-in user; default `alice-sub`. */
  sub?: string;
  /** Any other path. */
  other?: (path: string, req: IncomingMessage) => Reply | undefined;
}

export interface HostileProvider {
  /** `http://127.0.0.1:<port>`: the default issuer (OIDC authorities have no path). */
  readonly url: string;
  /** This test's behaviour; `reset()` restores good behaviour. */
  script: Script;
  /** Every request, in arrival order. */
  readonly requests: readonly ProviderRequest[];
  /** Every code and token handed out or crafted so far: none may leak. */
  readonly secrets: readonly string[];
  /** Registers a crafted value as a secret and returns it. */
  secret<T extends string>(value: T): T;
  /** The authorization requests since `since` (a `seq`). */
  authorizeRequests(since?: number): ProviderRequest[];
  /** The sequence number the next request will get. */
  nextSeq(): number;
  /** Access tokens issued, with the scope each was issued for. */
  readonly accessTokenScopes: ReadonlyMap<string, string>;
  /** Signs claims with the provider's key (RS256 unless the header says otherwise). */
  sign(claims: Record<string, unknown>, header?: Record<string, unknown>): Promise<string>;
  /** Good behaviour again; issued codes and tokens stay valid. */
  reset(): void;
  close(): Promise<void>;
}

const random = (prefix: string): string => `${prefix}${randomBytes(12).toString('base64url')}`;

const s256 = (verifier: string): string =>
  createHash('sha256').update(verifier).digest('base64url');

/** A 302 to `location`. */
export const redirectTo = (location: string, status = 302): Reply => ({
  [REPLY]: true,
  status,
  headers: { location },
});

/** A JSON answer (any value, valid JSON or not: `raw` strings are sent as they are). */
export const json = (body: unknown, status = 200): Reply => ({
  [REPLY]: true,
  status,
  headers: { 'content-type': 'application/json' },
  body: JSON.stringify(body),
});

/** Text sent exactly as given with this content type. */
export const raw = (body: string | Buffer, contentType: string, status = 200): Reply => ({
  [REPLY]: true,
  status,
  headers: { 'content-type': contentType },
  body,
});

/** Splits a path into the issuer prefix and the endpoint it names. */
function classify(path: string): { endpoint: Endpoint; prefix: string } {
  const suffixes: [string, Endpoint][] = [
    ['/.well-known/openid-configuration', 'discovery'],
    ['/jwks', 'jwks'],
    ['/authorize', 'authorize'],
    ['/token', 'token'],
    ['/logout', 'logout'],
  ];
  for (const [suffix, endpoint] of suffixes) {
    if (path.endsWith(suffix)) return { endpoint, prefix: path.slice(0, -suffix.length) };
  }
  return { endpoint: 'other', prefix: '' };
}

/** Entra-shaped paths (`/{tenant}/v2.0`): the issuer is a `{tenantid}` template for `common`. */
function issuerFor(origin: string, prefix: string): { issuer: string; tenant: string | undefined } {
  const entra = /^\/([^/]+)\/v2\.0$/.exec(prefix);
  if (entra === null) return { issuer: `${origin}${prefix}`, tenant: undefined };
  const tenant = entra[1]!;
  return {
    issuer: tenant === 'common' ? `${origin}/{tenantid}/v2.0` : `${origin}${prefix}`,
    tenant,
  };
}

async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

/** Starts the hostile provider on 127.0.0.1 (a free port). */
export async function startHostileProvider(): Promise<HostileProvider> {
  const { privateKey, publicKey } = await generateKeyPair('RS256');
  const jwk: JWK = { ...(await exportJWK(publicKey)), kid: 'hostile-1', alg: 'RS256', use: 'sig' };
  const requests: ProviderRequest[] = [];
  const secrets: string[] = [];
  const codes = new Map<string, CodeGrant>();
  const refreshTokens = new Map<string, RefreshGrant>();
  const accessTokenScopes = new Map<string, string>();
  let seq = 0;
  let origin = '';

  const secret = <T extends string>(value: T): T => {
    if (value !== '' && !secrets.includes(value)) secrets.push(value);
    return value;
  };

  const sign = async (
    claims: Record<string, unknown>,
    header: Record<string, unknown> = {},
  ): Promise<string> =>
    secret(
      await new SignJWT(claims as JWTPayload)
        .setProtectedHeader({ alg: 'RS256', kid: 'hostile-1', typ: 'JWT', ...header })
        .sign(privateKey),
    );

  const provider: HostileProvider = {
    url: '',
    script: {},
    requests,
    secrets,
    secret,
    authorizeRequests: (since = 0) =>
      requests.filter((r) => r.endpoint === 'authorize' && r.seq >= since),
    nextSeq: () => seq,
    accessTokenScopes,
    sign,
    reset() {
      provider.script = {};
    },
    close: () => Promise.resolve(),
  };

  const discoveryDoc = (prefix: string): Record<string, unknown> => {
    const { issuer } = issuerFor(origin, prefix);
    const base = `${origin}${prefix}`;
    return {
      issuer,
      authorization_endpoint: `${base}/authorize`,
      token_endpoint: `${base}/token`,
      jwks_uri: `${base}/jwks`,
      end_session_endpoint: `${base}/logout`,
      response_types_supported: ['code'],
      response_modes_supported: ['query', 'fragment'],
      grant_types_supported: ['authorization_code', 'refresh_token'],
      subject_types_supported: ['public'],
      id_token_signing_alg_values_supported: ['RS256'],
      code_challenge_methods_supported: ['S256'],
      token_endpoint_auth_methods_supported: ['none'],
      scopes_supported: ['openid', 'profile', 'offline_access', 'api://a/read', 'api://b/read'],
      authorization_response_iss_parameter_supported: true,
    };
  };

  const claimsFor = (
    grant: { clientId: string; issuer: string; tenant: string | undefined },
    sub: string,
    nonce: string | undefined,
    grantType: string,
  ): Record<string, unknown> => {
    const now = Math.floor(Date.now() / 1000);
    // Entra's `common`: a token of one tenant, its issuer the template filled with `tid`.
    const tid = grant.tenant === 'common' ? 'tenant-one' : grant.tenant;
    const claims: Record<string, unknown> = {
      iss: grant.issuer.replace('{tenantid}', tid ?? ''),
      sub,
      aud: grant.clientId,
      exp: now + 3600,
      iat: now,
      auth_time: now,
      preferred_username: 'alice',
      name: 'Alice',
      ...(tid !== undefined && { tid }),
      ...(nonce !== undefined && { nonce }),
    };
    provider.script.claims?.(claims, grantType);
    return claims;
  };

  async function handleToken(form: URLSearchParams): Promise<Reply> {
    const grantType = form.get('grant_type') ?? '';
    const code = form.get('code') ?? '';
    const refresh = form.get('refresh_token') ?? '';
    const codeGrant = grantType === 'authorization_code' ? codes.get(code) : undefined;
    const refreshGrant = grantType === 'refresh_token' ? refreshTokens.get(refresh) : undefined;
    const grant = codeGrant ?? refreshGrant;
    const sub = refreshGrant?.sub ?? provider.script.sub ?? 'alice-sub';
    const claims = (): Record<string, unknown> =>
      grant === undefined ? {} : claimsFor(grant, sub, codeGrant?.nonce, grantType);
    const good = async (): Promise<Record<string, unknown>> => {
      if (grant === undefined) throw new Error('no grant: the good answer needs a valid code');
      const requested = form.get('scope');
      const scope = requested ?? grant.scope;
      const accessToken = secret(random('at-'));
      accessTokenScopes.set(accessToken, scope);
      const refreshToken = secret(random('rt-'));
      refreshTokens.set(refreshToken, {
        clientId: grant.clientId,
        scope: grant.scope,
        issuer: grant.issuer,
        tenant: grant.tenant,
        sub,
      });
      return {
        access_token: accessToken,
        token_type: 'Bearer',
        expires_in: 3600,
        scope,
        refresh_token: refreshToken,
        id_token: await sign(claims()),
      };
    };
    const script = provider.script.token;
    if (script !== undefined) {
      return script({ form, grantType, grant, good, claims, sign });
    }
    // Good behaviour: single-use codes bound to their PKCE challenge, rotating refresh tokens.
    if (codeGrant !== undefined) {
      codes.delete(code);
      const verifier = form.get('code_verifier') ?? '';
      if (s256(verifier) !== codeGrant.codeChallenge) {
        return json({ error: 'invalid_grant', error_description: 'PKCE verification failed' }, 400);
      }
      return json(await good());
    }
    if (refreshGrant !== undefined) {
      refreshTokens.delete(refresh);
      return json(await good());
    }
    return json({ error: 'invalid_grant', error_description: 'unknown grant' }, 400);
  }

  function handleAuthorize(query: URLSearchParams, prefix: string): Reply {
    const { issuer, tenant } = issuerFor(origin, prefix);
    const code = secret(random('code-'));
    requests[requests.length - 1]!.code = code;
    codes.set(code, {
      clientId: query.get('client_id') ?? '',
      redirectUri: query.get('redirect_uri') ?? '',
      codeChallenge: query.get('code_challenge') ?? '',
      nonce: query.get('nonce') ?? undefined,
      scope: query.get('scope') ?? '',
      issuer,
      tenant,
    });
    const redirectUri = query.get('redirect_uri') ?? '';
    const ctx: AuthorizeContext = {
      query,
      code,
      issuer,
      respond(params, where = 'query') {
        const target = new URL(redirectUri);
        const search = new URLSearchParams();
        for (const [name, value] of Object.entries(params)) {
          for (const one of Array.isArray(value) ? value : [value]) search.append(name, one);
        }
        if (where === 'query') target.search = search.toString();
        else target.hash = search.toString();
        return redirectTo(target.href);
      },
      redirect: (location) => redirectTo(location),
    };
    const script = provider.script.authorize;
    if (script !== undefined) return script(ctx);
    return ctx.respond({ code, state: query.get('state') ?? '', iss: issuer });
  }

  async function handle(req: IncomingMessage): Promise<Reply> {
    const url = new URL(req.url ?? '/', origin);
    const { endpoint, prefix } = classify(url.pathname);
    const body = req.method === 'POST' ? await readBody(req) : '';
    const form = req.method === 'POST' ? new URLSearchParams(body) : undefined;
    requests.push({
      endpoint,
      method: req.method ?? 'GET',
      path: url.pathname,
      query: url.searchParams,
      form,
      authorization: req.headers.authorization,
      seq: seq++,
    });
    if (req.method === 'OPTIONS') {
      return {
        [REPLY]: true,
        status: 204,
        headers: {
          'access-control-allow-methods': 'GET, POST',
          'access-control-allow-headers': 'authorization, content-type, dpop',
        },
      };
    }
    switch (endpoint) {
      case 'discovery': {
        const doc = discoveryDoc(prefix);
        const edited = provider.script.discovery?.(doc) ?? doc;
        return REPLY in edited ? edited : json(edited);
      }
      case 'jwks':
        return json({ keys: [jwk] });
      case 'authorize':
        return handleAuthorize(url.searchParams, prefix);
      case 'token':
        return handleToken(form ?? new URLSearchParams());
      case 'logout': {
        const back = url.searchParams.get('post_logout_redirect_uri');
        return back ? redirectTo(back) : raw('signed out', 'text/plain');
      }
      default:
        return provider.script.other?.(url.pathname, req) ?? raw('not found', 'text/plain', 404);
    }
  }

  const send = (res: ServerResponse, reply: Reply): void => {
    const body = reply.body;
    const payload =
      body === undefined
        ? ''
        : typeof body === 'string' || Buffer.isBuffer(body)
          ? body
          : JSON.stringify(body);
    res.writeHead(reply.status ?? 200, {
      // Any page may call it, as a public provider's endpoints allow.
      'access-control-allow-origin': '*',
      'cache-control': 'no-store',
      ...reply.headers,
    });
    res.end(payload);
  };

  const server = createServer((req, res) => {
    handle(req).then(
      (reply) => send(res, reply),
      (error: unknown) => send(res, raw(`hostile provider: ${String(error)}`, 'text/plain', 500)),
    );
  });
  const port = await listen(server, '127.0.0.1', 0);
  origin = originOf('127.0.0.1', port);
  Object.assign(provider, { url: origin, close: () => closeServer(server) });
  return provider;
}

/** A JWT built by hand: `header.payload.signature`, each part as given (objects base64url'd). */
export function handmadeJwt(
  header: Record<string, unknown>,
  claims: Record<string, unknown>,
  signature = '',
): string {
  const part = (value: unknown): string => Buffer.from(JSON.stringify(value)).toString('base64url');
  return `${part(header)}.${part(claims)}.${signature}`;
}

/** An HS256 JWT keyed with `key`: what a key-confusion attack sends. */
export function hmacJwt(claims: Record<string, unknown>, key: string): string {
  const unsigned = handmadeJwt({ alg: 'HS256', typ: 'JWT' }, claims).slice(0, -1);
  const mac = createHmac('sha256', key).update(unsigned).digest('base64url');
  return `${unsigned}.${mac}`;
}
