// Real access tokens from @tessera/dev-idp for API tests, without a browser: the provider's
// automatic mode signs the user in and consents, and this helper drives authorization code +
// PKCE with fetch (following redirects by hand so the interaction cookies are kept).
import { createHash, randomBytes } from 'node:crypto';
import type { DevIdp } from '@tessera/dev-idp';

export const TEST_CLIENT_ID = 'tessera-api-test';
export const TEST_REDIRECT_URI = 'http://127.0.0.1:5173/callback';

interface Discovery {
  authorization_endpoint: string;
  token_endpoint: string;
}

function updateJar(jar: Map<string, string>, response: Response): void {
  for (const line of response.headers.getSetCookie()) {
    const [pair = ''] = line.split(';', 1);
    const eq = pair.indexOf('=');
    const name = pair.slice(0, eq).trim();
    if (/max-age=0|expires=thu, 01 jan 1970/i.test(line)) jar.delete(name);
    else jar.set(name, pair.slice(eq + 1).trim());
  }
}

/** Follows the authorization redirects until the provider sends the browser to the client. */
async function authorizationResponse(start: URL): Promise<URL> {
  const jar = new Map<string, string>();
  let url = start;
  for (let hop = 0; hop < 20; hop += 1) {
    const cookie = [...jar].map(([name, value]) => `${name}=${value}`).join('; ');
    const response = await fetch(url, {
      redirect: 'manual',
      headers: cookie === '' ? {} : { cookie },
    });
    updateJar(jar, response);
    const location = response.headers.get('location');
    if (location === null) throw new Error(`authorization ended with HTTP ${response.status}`);
    url = new URL(location, url);
    if (url.href.startsWith(TEST_REDIRECT_URI)) return url;
  }
  throw new Error('authorization did not come back to the client');
}

/**
 * An access token for `scope` (space separated); the dev IdP picks the resource (audience) the
 * scopes belong to. The IdP must register {@link TEST_CLIENT_ID} with {@link TEST_REDIRECT_URI}
 * and run in automatic mode.
 */
export async function devIdpAccessToken(idp: DevIdp, scope: string): Promise<string> {
  const discovery = (await (
    await fetch(`${idp.issuer}/.well-known/openid-configuration`)
  ).json()) as Discovery;
  const verifier = randomBytes(32).toString('base64url');
  const state = randomBytes(16).toString('base64url');
  const request = new URL(discovery.authorization_endpoint);
  request.search = new URLSearchParams({
    response_type: 'code',
    client_id: TEST_CLIENT_ID,
    redirect_uri: TEST_REDIRECT_URI,
    scope: `openid ${scope}`,
    state,
    code_challenge: createHash('sha256').update(verifier).digest('base64url'),
    code_challenge_method: 'S256',
  }).toString();
  const callback = await authorizationResponse(request);
  const code = callback.searchParams.get('code');
  if (code === null || callback.searchParams.get('state') !== state) {
    throw new Error(`no code in ${callback.search}`);
  }
  const response = await fetch(discovery.token_endpoint, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({
      grant_type: 'authorization_code',
      code,
      redirect_uri: TEST_REDIRECT_URI,
      client_id: TEST_CLIENT_ID,
      code_verifier: verifier,
    }),
  });
  const body = (await response.json()) as { access_token?: string; error?: string };
  if (typeof body.access_token !== 'string') {
    throw new Error(`token endpoint: HTTP ${response.status} ${body.error ?? ''}`);
  }
  return body.access_token;
}

/** The payload of a JWT (not verified: for assertions on what the provider issued). */
export function jwtPayload(token: string): Record<string, unknown> {
  const [, payload = ''] = token.split('.');
  return JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as Record<string, unknown>;
}
