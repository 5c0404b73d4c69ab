// Provider quirks the protocol layer handles: Entra ID tenants named by domain, `consumers` and
// B2C policy paths (a tenant-id issuer), `offline_access` only where the provider lists it, and
// a claims request on the refresh grant.
import { describe, expect, it } from 'vitest';
import { ClientAuthError } from '../../src/errors/index.js';
import {
  FakeProvider,
  REDIRECT_URI,
  idTokenClaims,
  json,
  jwt,
  callbackUrl,
  rejectionOf,
  setup,
  SUBJECT,
} from './fake-provider.js';

const HOST = 'https://login.example.com';
const TENANT_ID = '72f988bf-86f1-41af-91ab-2d7cd011db47';
const CONSUMERS_ID = '9188040d-6c67-4c5b-b112-36a304b66dad';

function entra(issuer: string, endpoints: string) {
  return new FakeProvider(issuer, {
    issuer,
    authorization_endpoint: `${endpoints}/oauth2/v2.0/authorize`,
    token_endpoint: `${endpoints}/oauth2/v2.0/token`,
    response_types_supported: ['code'],
    id_token_signing_alg_values_supported: ['RS256'],
  });
}

describe('Entra ID: the tenant-id issuer of a tenant named otherwise', () => {
  it('accepts it for a tenant named by domain, and ID tokens must carry it', async () => {
    const issuer = `${HOST}/${TENANT_ID}/v2.0`;
    const provider = entra(issuer, `${HOST}/${TENANT_ID}`);
    const { client, clock } = setup(provider, {
      authority: `${HOST}/contoso.onmicrosoft.com`,
      protocolMode: 'AAD',
    });

    const info = await client.discover();
    expect(provider.discoveryRequests[0]?.url.href).toBe(
      `${HOST}/contoso.onmicrosoft.com/v2.0/.well-known/openid-configuration`,
    );
    expect(info.issuer).toBe(issuer);

    const { secrets } = await client.createAuthorizationRequest({
      redirectUri: REDIRECT_URI,
      scopes: ['openid'],
    });
    provider.token = () =>
      json({
        access_token: 'at',
        token_type: 'Bearer',
        expires_in: 3600,
        id_token: jwt({ ...idTokenClaims(clock), iss: issuer, nonce: secrets.nonce }),
      });
    const result = await client.handleAuthorizationResponse(
      callbackUrl({ code: 'c', state: secrets.state }),
      { secrets, redirectUri: REDIRECT_URI, requestedScopes: ['openid'] },
    );
    expect(result.issuer).toBe(issuer);
    expect(result.idTokenClaims?.sub).toBe(SUBJECT);
  });

  it('accepts it for consumers', async () => {
    const issuer = `${HOST}/${CONSUMERS_ID}/v2.0`;
    const { client } = setup(entra(issuer, `${HOST}/consumers`), {
      authority: `${HOST}/consumers`,
      protocolMode: 'AAD',
    });
    expect((await client.discover()).issuer).toBe(issuer);
  });

  it('accepts it, with its final slash, for a B2C policy path', async () => {
    const issuer = `${HOST}/${TENANT_ID}/v2.0/`;
    const provider = entra(issuer, `${HOST}/contoso.onmicrosoft.com/B2C_1_signin`);
    const { client } = setup(provider, {
      authority: `${HOST}/contoso.onmicrosoft.com/B2C_1_signin`,
      protocolMode: 'AAD',
    });
    const info = await client.discover();
    expect(provider.discoveryRequests[0]?.url.href).toBe(
      `${HOST}/contoso.onmicrosoft.com/B2C_1_signin/v2.0/.well-known/openid-configuration`,
    );
    expect(info.issuer).toBe(issuer);
  });

  it.each([
    ['another host', `https://evil.example/${TENANT_ID}/v2.0`],
    ['a path that is not a tenant id', `${HOST}/contoso.onmicrosoft.com.evil/v2.0`],
    ['more path', `${HOST}/${TENANT_ID}/v2.0/extra`],
    ['a query', `${HOST}/${TENANT_ID}/v2.0?x=1`],
  ])('refuses an issuer on %s', async (_, issuer) => {
    const { client } = setup(entra(issuer, `${HOST}/${TENANT_ID}`), {
      authority: `${HOST}/contoso.onmicrosoft.com`,
      protocolMode: 'AAD',
    });
    const error = await rejectionOf(client.discover());
    expect(error).toBeInstanceOf(ClientAuthError);
    expect((error as ClientAuthError).errorCode).toBe('discovery_failed');
  });

  it('refuses another tenant id when the authority names a tenant id itself', async () => {
    const other = '00000000-0000-0000-0000-000000000001';
    const { client } = setup(entra(`${HOST}/${other}/v2.0`, `${HOST}/${other}`), {
      authority: `${HOST}/${TENANT_ID}`,
      protocolMode: 'AAD',
    });
    expect(((await rejectionOf(client.discover())) as ClientAuthError).errorCode).toBe(
      'discovery_failed',
    );
  });

  it('is not accepted in OIDC mode', async () => {
    const { client } = setup(entra(`${HOST}/${TENANT_ID}/v2.0`, `${HOST}/${TENANT_ID}`), {
      authority: `${HOST}/contoso.onmicrosoft.com/v2.0`,
      protocolMode: 'OIDC',
    });
    expect(((await rejectionOf(client.discover())) as ClientAuthError).errorCode).toBe(
      'discovery_failed',
    );
  });
});

describe('offline_access', () => {
  const scopes = ['openid', 'profile', 'offline_access', 'api.read'];

  async function sentScope(listed: string[] | undefined, offlineAccess?: boolean) {
    const provider = new FakeProvider();
    if (listed === undefined) delete provider.metadata['scopes_supported'];
    else provider.metadata['scopes_supported'] = listed;
    const { client } = setup(provider, { offlineAccess });
    const { url } = await client.createAuthorizationRequest({ redirectUri: REDIRECT_URI, scopes });
    return url.searchParams.get('scope');
  }

  it('is sent when the provider lists it', async () => {
    expect(await sentScope(['openid', 'offline_access'])).toBe(scopes.join(' '));
  });

  it('is sent when the provider lists no scopes', async () => {
    expect(await sentScope(undefined)).toBe(scopes.join(' '));
  });

  it('is not sent when the provider lists scopes without it (Google)', async () => {
    expect(await sentScope(['openid', 'email', 'profile'])).toBe('openid profile api.read');
  });

  it('follows auth.offlineAccess when set', async () => {
    expect(await sentScope(['openid'], true)).toBe(scopes.join(' '));
    expect(await sentScope(['openid', 'offline_access'], false)).toBe('openid profile api.read');
  });

  it('is left out of a refresh grant too', async () => {
    const provider = new FakeProvider();
    provider.metadata['scopes_supported'] = ['openid'];
    const s = setup(provider);
    provider.token = () =>
      json({ access_token: 'at', token_type: 'Bearer', expires_in: 60, scope: 'openid' });
    await s.client.refresh({
      refreshToken: 'rt',
      scopes: ['openid', 'offline_access'],
      expectedSub: SUBJECT,
    });
    expect(provider.tokenRequests[0]?.body?.get('scope')).toBe('openid');
  });
});

describe('claims on the refresh grant', () => {
  it('sends the claims request with the refresh token (Entra Conditional Access, CAE)', async () => {
    const s = setup();
    const claims = '{"access_token":{"acrs":{"essential":true,"value":"c1"}}}';
    s.provider.token = () =>
      json({ access_token: 'at', token_type: 'Bearer', expires_in: 60, scope: 'api.read' });
    await s.client.refresh({
      refreshToken: 'rt',
      scopes: ['api.read'],
      expectedSub: SUBJECT,
      claims,
    });
    expect(s.provider.tokenRequests[0]?.body?.get('claims')).toBe(claims);
  });

  it('sends none without one', async () => {
    const s = setup();
    s.provider.token = () =>
      json({ access_token: 'at', token_type: 'Bearer', expires_in: 60, scope: 'api.read' });
    await s.client.refresh({ refreshToken: 'rt', scopes: ['api.read'], expectedSub: SUBJECT });
    expect(s.provider.tokenRequests[0]?.body?.has('claims')).toBe(false);
  });
});
