/**
 * Scope and resource sets: normalisation and the "does this token serve this request" test.
 *
 * Scopes are stored as the provider spelled them and sent as the app spelled them, but the
 * cache compares them without regard to case. RFC 6749 3.3 makes scopes case-sensitive strings,
 * yet the providers apps use most treat them case-insensitively and answer with their own
 * canonical spelling: Entra ID grants `User.Read` for a request of `user.read`. Comparing
 * exactly would make every such token miss the cache and every call a refresh that rotates the
 * refresh token. msal compares the same way. A provider that gave `Read` and `read` different
 * meanings would be one no client library here could serve correctly.
 */

/**
 * Scopes that OpenID Connect defines (OIDC Core 3.1.2.1, 5.4, 11). They shape the ID token,
 * the UserInfo response or the refresh token, not the access token's audience, and providers
 * often leave them out of the `scope` they grant with an access token, so cache matching
 * ignores them.
 */
export const OIDC_SCOPES: ReadonlySet<string> = new Set([
  'openid',
  'profile',
  'email',
  'offline_access',
  'address',
  'phone',
]);

// A scope token never contains whitespace (RFC 6749 3.3: scope-token = 1*NQCHAR), so a string
// such as "openid profile" passed as one array item is two scopes, not one.
const WHITESPACE = /\s+/;

/**
 * Normalises a scope list for storage and comparison: splits items on whitespace, drops empty
 * ones, removes duplicates and sorts (by UTF-16 code unit, so the order is the same in every
 * locale). Case is kept: scopes are case-sensitive (RFC 6749 3.3).
 *
 * @see https://www.rfc-editor.org/rfc/rfc6749#section-3.3
 */
export function normalizeScopes(scopes: readonly string[]): string[] {
  const set = new Set<string>();
  for (const item of scopes) {
    for (const scope of item.split(WHITESPACE)) {
      if (scope !== '') set.add(scope);
    }
  }
  return [...set].sort(compareCodeUnits);
}

/**
 * Parses a space-delimited `scope` parameter (RFC 6749 3.3), e.g. from a token response, into
 * a normalised list. `undefined`, `null` and the empty string give an empty list.
 *
 * @see https://www.rfc-editor.org/rfc/rfc6749#section-3.3
 */
export function parseScopeString(scope: string | null | undefined): string[] {
  return scope == null ? [] : normalizeScopes([scope]);
}

/** A scope in the form the cache compares: lower case, locale-independent. */
export function foldScope(scope: string): string {
  return scope.toLowerCase();
}

/**
 * Whether a scope asks Entra ID for every permission configured for a resource
 * (`https://graph.microsoft.com/.default`, `api://app/.default`). The token response lists the
 * permissions themselves, so the cache also records the `.default` scope that was asked for.
 */
export function isDefaultScope(scope: string): boolean {
  return scope === '.default' || scope.endsWith('/.default');
}

/** The normalised scopes without the OpenID Connect ones ({@link OIDC_SCOPES}). */
export function resourceScopes(scopes: readonly string[]): string[] {
  return normalizeScopes(scopes).filter((scope) => !OIDC_SCOPES.has(foldScope(scope)));
}

/**
 * Whether a token granted `granted` serves a request for `requested`.
 *
 * - Every requested scope other than the OIDC ones must be among the granted scopes, compared
 *   without regard to case (see the module comment). A token may carry more scopes than asked for.
 * - A request with only OIDC scopes (or none) is served only by a token that was granted only
 *   OIDC scopes: such a request wants the provider's own token (e.g. for UserInfo), and a token
 *   minted for some API would carry that API's audience instead.
 *
 * @see https://www.rfc-editor.org/rfc/rfc6749#section-3.3
 */
export function scopesCover(granted: readonly string[], requested: readonly string[]): boolean {
  const wanted = resourceScopes(requested);
  if (wanted.length === 0) return resourceScopes(granted).length === 0;
  const have = new Set(normalizeScopes(granted).map(foldScope));
  return wanted.every((scope) => have.has(foldScope(scope)));
}

/**
 * Normalises RFC 8707 resource indicators: trims, drops empty values, removes duplicates and
 * sorts. Values are otherwise kept as given: they are absolute URIs the server compares, and
 * the cache must not decide that two spellings mean the same API.
 *
 * @see https://www.rfc-editor.org/rfc/rfc8707#section-2
 */
export function normalizeResource(resource: string | readonly string[] | undefined): string[] {
  if (resource === undefined) return [];
  const list = typeof resource === 'string' ? [resource] : resource;
  const set = new Set<string>();
  for (const item of list) {
    const value = item.trim();
    if (value !== '') set.add(value);
  }
  return [...set].sort(compareCodeUnits);
}

/** Whether two normalised lists hold the same values in the same order. */
export function sameList(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && a.every((value, i) => value === b[i]);
}

function compareCodeUnits(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
