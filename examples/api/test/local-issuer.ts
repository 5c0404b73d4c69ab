// A stand-in token issuer for the API tests: an RS256 key pair, a discovery document and a JWKS
// served from node:http on 127.0.0.1, and a helper that signs access tokens.
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { SignJWT, exportJWK, generateKeyPair } from 'jose';
import type { CryptoKey, JWTPayload } from 'jose';

export interface TokenOptions {
  sub?: string;
  scope?: string;
  audience?: string;
  issuer?: string;
  /** Seconds from now; negative for an expired token. Default 300. */
  expiresIn?: number;
  /** Sign with this key instead of the published one. */
  key?: CryptoKey;
  kid?: string;
  claims?: JWTPayload;
}

export interface LocalIssuer {
  issuer: string;
  jwksUri: string;
  /** Requests the issuer answered, by path. */
  hits: string[];
  sign(options?: TokenOptions): Promise<string>;
  close(): Promise<void>;
}

export const AUDIENCE = 'api://demo';

export async function startLocalIssuer(): Promise<LocalIssuer> {
  const { publicKey, privateKey } = await generateKeyPair('RS256');
  const kid = 'test-key-1';
  const jwk = { ...(await exportJWK(publicKey)), kid, alg: 'RS256', use: 'sig' };
  const hits: string[] = [];
  let issuer = '';

  const server = createServer((req, res) => {
    const path = req.url ?? '/';
    hits.push(path);
    const body =
      path === '/.well-known/openid-configuration'
        ? { issuer, jwks_uri: `${issuer}/jwks` }
        : path === '/jwks'
          ? { keys: [jwk] }
          : undefined;
    res.writeHead(body === undefined ? 404 : 200, { 'content-type': 'application/json' });
    res.end(JSON.stringify(body ?? { error: 'not_found' }));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  issuer = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  return {
    issuer,
    jwksUri: `${issuer}/jwks`,
    hits,
    async sign(options = {}) {
      const now = Math.floor(Date.now() / 1000);
      return new SignJWT({ scope: options.scope ?? 'api://demo/read', ...options.claims })
        .setProtectedHeader({ alg: 'RS256', typ: 'at+jwt', kid: options.kid ?? kid })
        .setIssuer(options.issuer ?? issuer)
        .setAudience(options.audience ?? AUDIENCE)
        .setSubject(options.sub ?? 'alice')
        .setIssuedAt(now - 5)
        .setExpirationTime(now + (options.expiresIn ?? 300))
        .setJti(crypto.randomUUID())
        .sign(options.key ?? privateKey);
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
