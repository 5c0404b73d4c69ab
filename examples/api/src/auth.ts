// Bearer token handling for the demo API: reading the `Authorization` header, verifying JWT
// access tokens against the issuer's JWKS, checking scopes, and writing RFC 6750 challenges.
// Nothing here logs or echoes a token.
import { createRemoteJWKSet, decodeJwt, decodeProtectedHeader, errors, jwtVerify } from 'jose';
import type { JWTPayload, JWTVerifyGetKey } from 'jose';

/** The `realm` every challenge from this API carries. */
export const REALM = 'tessera-demo';

/** What a verified access token says about its caller. */
export interface AccessTokenClaims {
  /** The `sub` claim: who the token was issued for. */
  sub: string;
  /** The `name` claim, when the token carries one. */
  name?: string;
  /** The granted scopes, from the space-separated `scope` claim. */
  scopes: string[];
  /**
   * Authentication context class references the token was issued under (`acrs`, as Entra ID
   * writes them into access tokens after a claims challenge was met).
   */
  acrs: string[];
}

/** The token was presented but cannot be accepted: answer 401 `invalid_token`. */
export class InvalidTokenError extends Error {
  override readonly name = 'InvalidTokenError';
}

/**
 * The token could not be checked because the issuer's discovery document or key set is out of
 * reach or malformed: a server-side problem, answered 503 rather than blamed on the token.
 */
export class VerifierUnavailableError extends Error {
  override readonly name = 'VerifierUnavailableError';
}

/** Outcome of reading the `Authorization` header. */
export type BearerCredentials =
  /** No header, or a scheme other than Bearer: the caller did not try bearer authentication. */
  | { kind: 'none' }
  /** `Bearer` with a missing or syntactically impossible token. */
  | { kind: 'malformed' }
  | { kind: 'token'; token: string };

// RFC 6750 section 2.1: b64token = 1*( ALPHA / DIGIT / "-" / "." / "_" / "~" / "+" / "/" ) *"="
const B64TOKEN = /^[A-Za-z0-9\-._~+/]+=*$/;

/**
 * Reads a bearer token from an `Authorization` header value (RFC 6750 section 2.1). The scheme
 * name is case-insensitive; the token itself is never inspected beyond its syntax.
 */
export function readBearerToken(header: string | undefined): BearerCredentials {
  if (header === undefined) return { kind: 'none' };
  const match = /^([^\s]+)(?:[ \t]+(.*))?$/.exec(header.trim());
  if (match === null || match[1]?.toLowerCase() !== 'bearer') return { kind: 'none' };
  const token = match[2]?.trim();
  if (token === undefined || token === '' || !B64TOKEN.test(token)) return { kind: 'malformed' };
  return { kind: 'token', token };
}

/** Options for {@link createTokenVerifier}. */
export interface TokenVerifierOptions {
  /** Expected `iss`, exactly as the provider writes it. */
  issuer: string;
  /** Expected `aud` (one of the token's audiences). */
  audience: string;
  /** Where the signing keys are; default: `jwks_uri` from the issuer's discovery document. */
  jwksUri?: string;
  /** Leeway for `exp`/`nbf`/`iat`, in seconds; default 5. */
  clockToleranceSeconds?: number;
}

/** Verifies access tokens; see {@link createTokenVerifier}. */
export interface TokenVerifier {
  /**
   * Verifies signature, issuer, audience and lifetime.
   * @throws {@link InvalidTokenError} when the token is not acceptable.
   * @throws {@link VerifierUnavailableError} when the keys cannot be obtained.
   */
  verify(token: string): Promise<AccessTokenClaims>;
}

// Asymmetric algorithms only: keys come from a public JWKS, so a MAC-signed token is never valid.
const ALGORITHMS = [
  'RS256',
  'RS384',
  'RS512',
  'PS256',
  'PS384',
  'PS512',
  'ES256',
  'ES384',
  'ES512',
  'EdDSA',
  'Ed25519',
];

const DISCOVERY_TIMEOUT_MS = 5_000;

/** The OpenID discovery document location for an issuer (OIDC Discovery 1.0 section 4). */
export function discoveryUrl(issuer: string): string {
  return `${issuer.replace(/\/+$/, '')}/.well-known/openid-configuration`;
}

async function discoverJwksUri(issuer: string): Promise<URL> {
  const location = discoveryUrl(issuer);
  let document: unknown;
  try {
    const response = await fetch(location, {
      headers: { accept: 'application/json' },
      signal: AbortSignal.timeout(DISCOVERY_TIMEOUT_MS),
    });
    if (!response.ok) throw new Error(`HTTP ${response.status}`);
    document = await response.json();
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw new VerifierUnavailableError(`discovery document ${location} unavailable: ${reason}`);
  }
  if (typeof document !== 'object' || document === null) {
    throw new VerifierUnavailableError(`discovery document ${location} is not a JSON object`);
  }
  const { issuer: advertised, jwks_uri: jwksUri } = document as Record<string, unknown>;
  if (advertised !== issuer) {
    throw new VerifierUnavailableError(
      `discovery document ${location} names issuer ${JSON.stringify(advertised)}, expected ${issuer}`,
    );
  }
  if (typeof jwksUri !== 'string' || !URL.canParse(jwksUri)) {
    throw new VerifierUnavailableError(`discovery document ${location} has no usable jwks_uri`);
  }
  return new URL(jwksUri);
}

/**
 * Creates a verifier for JWT access tokens from one issuer. Keys are fetched (and cached, with
 * refetch on an unknown `kid`) by jose's `createRemoteJWKSet`. Without `jwksUri`, the discovery
 * document is fetched on first use — so the API may start before the provider — and fetched again
 * after a failure.
 */
export function createTokenVerifier(options: TokenVerifierOptions): TokenVerifier {
  const clockTolerance = options.clockToleranceSeconds ?? 5;
  let keySet: Promise<JWTVerifyGetKey> | undefined =
    options.jwksUri === undefined
      ? undefined
      : Promise.resolve(createRemoteJWKSet(new URL(options.jwksUri)));

  function getKeySet(): Promise<JWTVerifyGetKey> {
    if (keySet === undefined) {
      const pending = discoverJwksUri(options.issuer).then((url) => createRemoteJWKSet(url));
      // Forget a failed discovery so that the next request tries again.
      pending.catch(() => {
        if (keySet === pending) keySet = undefined;
      });
      keySet = pending;
    }
    return keySet;
  }

  return {
    async verify(token) {
      // A token that is not even a JWT is the caller's fault, whatever the state of the issuer.
      try {
        decodeProtectedHeader(token);
        decodeJwt(token);
      } catch {
        throw new InvalidTokenError('The access token is malformed');
      }
      const jwks = await getKeySet();
      let payload: JWTPayload;
      try {
        ({ payload } = await jwtVerify(token, jwks, {
          issuer: options.issuer,
          audience: options.audience,
          algorithms: ALGORITHMS,
          clockTolerance,
          requiredClaims: ['exp', 'sub'],
        }));
      } catch (error) {
        throw toVerificationError(error);
      }
      return claimsOf(payload);
    },
  };
}

function claimsOf(payload: JWTPayload): AccessTokenClaims {
  const { sub, name, scope } = payload;
  if (typeof sub !== 'string' || sub === '') {
    throw new InvalidTokenError('The access token has no subject');
  }
  const claims: AccessTokenClaims = {
    sub,
    scopes: parseScopes(scope),
    acrs: parseScopes(payload['acrs']),
  };
  if (typeof name === 'string') claims.name = name;
  return claims;
}

/** Splits a `scope` claim (space-separated string; a string array is tolerated) into scopes. */
export function parseScopes(scope: unknown): string[] {
  const parts =
    typeof scope === 'string'
      ? scope.split(' ')
      : Array.isArray(scope)
        ? scope.filter((s): s is string => typeof s === 'string')
        : [];
  return [...new Set(parts.filter((s) => s !== ''))];
}

/** Whether the verified token grants `scope`. */
export function hasScope(claims: AccessTokenClaims, scope: string): boolean {
  return claims.scopes.includes(scope);
}

// Maps a jose failure to what the caller is told. Descriptions are fixed texts (never token
// content), which also keeps them inside the characters RFC 6750 allows in `error_description`.
function toVerificationError(error: unknown): Error {
  if (error instanceof InvalidTokenError || error instanceof VerifierUnavailableError) return error;
  if (error instanceof errors.JWTExpired) {
    return new InvalidTokenError('The access token expired');
  }
  if (error instanceof errors.JWTClaimValidationFailed) {
    switch (error.claim) {
      case 'iss':
        return new InvalidTokenError('The access token was not issued by the trusted issuer');
      case 'aud':
        return new InvalidTokenError('The access token is not intended for this API');
      case 'nbf':
        return new InvalidTokenError('The access token is not valid yet');
      case 'sub':
        return new InvalidTokenError('The access token has no subject');
      case 'exp':
        return new InvalidTokenError('The access token has no expiry');
      default:
        return new InvalidTokenError('The access token claims are invalid');
    }
  }
  if (
    error instanceof errors.JWSSignatureVerificationFailed ||
    error instanceof errors.JWKSNoMatchingKey ||
    error instanceof errors.JWKSMultipleMatchingKeys
  ) {
    return new InvalidTokenError('The access token signature could not be verified');
  }
  if (error instanceof errors.JOSEAlgNotAllowed || error instanceof errors.JOSENotSupported) {
    return new InvalidTokenError('The access token uses an unsupported algorithm');
  }
  if (
    error instanceof errors.JWTInvalid ||
    error instanceof errors.JWSInvalid ||
    error instanceof errors.JWKInvalid
  ) {
    return new InvalidTokenError('The access token is malformed');
  }
  // JWKS timeout, a failed or non-JSON JWKS response, a network error: not the token's fault.
  const reason = error instanceof Error ? error.message : String(error);
  return new VerifierUnavailableError(`signing keys unavailable: ${reason}`);
}

/** Parameters of a `WWW-Authenticate: Bearer` challenge (RFC 6750 section 3). */
export interface ChallengeParams {
  error?: 'invalid_request' | 'invalid_token' | 'insufficient_scope' | 'insufficient_claims';
  errorDescription?: string;
  /** Space-separated scopes the request needs (for `insufficient_scope`). */
  scope?: string;
  /** The claims request (JSON) the client must obtain a token with (for `insufficient_claims`). */
  claims?: string;
}

/** Formats a `WWW-Authenticate` value, e.g. `Bearer realm="tessera-demo", error="invalid_token"`. */
export function bearerChallenge(params: ChallengeParams = {}): string {
  const parts = [`realm="${REALM}"`];
  if (params.error !== undefined) parts.push(`error="${params.error}"`);
  if (params.errorDescription !== undefined) {
    parts.push(`error_description="${quotable(params.errorDescription)}"`);
  }
  if (params.scope !== undefined) parts.push(`scope="${quotable(params.scope)}"`);
  // A claims challenge (OIDC CAE / Entra "insufficient_claims"): the claims request the client
  // must send to the provider, base64-encoded so that it survives as a quoted string.
  if (params.claims !== undefined) {
    parts.push(`claims="${Buffer.from(params.claims, 'utf8').toString('base64')}"`);
  }
  return `Bearer ${parts.join(', ')}`;
}

// RFC 6750 limits error_description and scope to %x20-21 / %x23-5B / %x5D-7E: no quote, no
// backslash, printable ASCII only.
function quotable(value: string): string {
  return value.replace(/[^\x20\x21\x23-\x5b\x5d-\x7e]/g, '');
}
