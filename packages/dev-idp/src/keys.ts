// Signing keys, generated at start (nothing is stored on disk).
import { createHash, generateKeyPair, randomBytes } from 'node:crypto';
import type { JWK, JWKS } from 'oidc-provider';

let shared: Promise<JWKS> | undefined;

function generate(): Promise<JWKS> {
  return new Promise((resolve, reject) => {
    generateKeyPair('rsa', { modulusLength: 2048 }, (error, _publicKey, privateKey) => {
      if (error !== null) {
        reject(error);
        return;
      }
      const jwk = privateKey.export({ format: 'jwk' });
      const kid = createHash('sha256').update(String(jwk.n)).digest('base64url').slice(0, 16);
      const key: JWK = { ...jwk, kid, alg: 'RS256', use: 'sig' };
      resolve({ keys: [key] });
    });
  });
}

/**
 * The private JWKS (one RS256 key) the providers sign with. Generated once per process and then
 * shared by every dev IdP in it, which keeps start-up fast in test suites.
 */
export function signingKeys(): Promise<JWKS> {
  shared ??= generate().catch((error: unknown) => {
    shared = undefined;
    throw error;
  });
  return shared;
}

/** Fresh secrets for signing cookies. */
export function cookieKeys(): string[] {
  return [randomBytes(32).toString('base64url')];
}
