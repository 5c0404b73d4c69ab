// oidc-provider hooks that differ per profile (see profiles.ts): Auth0's `audience` and Google's
// refusal of `offline_access` as authorization parameters, the entra profile's access-token claims.
import type * as OidcProviderModule from 'oidc-provider';
import type { Configuration, KoaContextWithOIDC } from 'oidc-provider';
import type { ResolvedConfig } from './config.js';
import { requestedAccessTokenClaims } from './entra-claims.js';

type OidcModule = typeof OidcProviderModule;

/**
 * Extra authorization parameters per profile, with their checks. Auth0's `audience` names the API
 * (see `defaultResource`). Google refuses `offline_access`: the check sits on `scope` because
 * oidc-provider's scope check, which runs first, drops `offline_access` silently, so the raw
 * request is looked at.
 */
export function extraParams(
  config: ResolvedConfig,
  errors: OidcModule['errors'],
): NonNullable<Configuration['extraParams']> {
  if (config.profile === 'auth0') return { audience: null };
  if (config.profile !== 'google') return [];
  return {
    scope: (ctx) => {
      const raw: unknown = (ctx.method === 'POST' ? ctx.oidc.body : ctx.query)?.scope;
      if (typeof raw === 'string' && raw.split(' ').includes('offline_access')) {
        throw new errors.InvalidScope(
          'offline_access is not a valid scope here; refresh tokens are not issued to this client',
          'offline_access',
        );
      }
    },
  };
}

/**
 * Access-token claims of the entra profile: `scp` (scope names without the resource prefix, as
 * Entra writes them: `read` for `api://demo/read`, `User.Read` for Graph) and the claims a
 * token request's claims challenge asks for.
 */
export function entraTokenClaims(
  ctx: KoaContextWithOIDC,
  token: Parameters<NonNullable<Configuration['extraTokenClaims']>>[1],
): Record<string, unknown> {
  const claims: Record<string, unknown> = {};
  if (token.scope !== undefined && token.scope !== '') {
    const audience = token.resourceServer?.audience;
    const prefix = typeof audience === 'string' ? `${audience.replace(/\/$/, '')}/` : undefined;
    claims.scp = token.scope
      .split(' ')
      .map((scope) =>
        prefix !== undefined && scope.startsWith(prefix) ? scope.slice(prefix.length) : scope,
      )
      .join(' ');
  }
  const challenge: unknown = ctx.oidc.route === 'token' ? ctx.oidc.body?.claims : undefined;
  if (typeof challenge === 'string') Object.assign(claims, requestedAccessTokenClaims(challenge));
  return claims;
}

/**
 * Keycloak's `refresh_expires_in`: with every refresh token, how many seconds it stays usable
 * (Keycloak's own, non-standard field; 0 would mean an offline token without expiry). Read from
 * the refresh token oidc-provider just issued, whose expiry rotation does not extend.
 */
export async function addRefreshExpiresIn(ctx: {
  body: unknown;
  oidc?: KoaContextWithOIDC['oidc'];
}): Promise<void> {
  const body = ctx.body;
  // ctx.oidc only exists on requests that matched one of oidc-provider's routes.
  if (ctx.oidc?.route !== 'token' || typeof body !== 'object' || body === null) return;
  const refreshToken = (body as { refresh_token?: unknown }).refresh_token;
  if (typeof refreshToken !== 'string') return;
  const found = await ctx.oidc.provider.RefreshToken.find(refreshToken);
  if (found?.exp === undefined) return;
  (body as Record<string, unknown>)['refresh_expires_in'] = Math.max(
    0,
    found.exp - Math.floor(Date.now() / 1000),
  );
}
