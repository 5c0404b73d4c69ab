import { describe, expect, it } from 'vitest';
import { ClientAuthError } from '../../src/errors/index.js';
import {
  CLIENT_ID,
  FakeProvider,
  REDIRECT_URI,
  SUBJECT,
  callbackUrl,
  idTokenClaims,
  json,
  jwt,
  rejectionOf,
  setup,
} from './fake-provider.js';
import type { FakeClock } from './fake-provider.js';
import type { ProtocolClient } from '../../src/protocol/index.js';

const HOST = 'https://login.example.com';
const TEMPLATE = `${HOST}/{tenantid}/v2.0`;
const TENANT = '72f988bf-86f1-41af-91ab-2d7cd011db47';
const TENANT_ISSUER = `${HOST}/${TENANT}/v2.0`;

function entraMetadata(issuer: string, tenantPath: string): Record<string, unknown> {
  return {
    issuer,
    authorization_endpoint: `${HOST}/${tenantPath}/oauth2/v2.0/authorize`,
    token_endpoint: `${HOST}/${tenantPath}/oauth2/v2.0/token`,
    end_session_endpoint: `${HOST}/${tenantPath}/oauth2/v2.0/logout`,
    response_types_supported: ['code'],
    id_token_signing_alg_values_supported: ['RS256'],
  };
}

function aadSetup(tenantPath: string, issuer: string, authority = `${HOST}/${tenantPath}`) {
  const provider = new FakeProvider(issuer, entraMetadata(issuer, tenantPath));
  return setup(provider, { authority, protocolMode: 'AAD' });
}

async function signIn(
  client: ProtocolClient,
  provider: FakeProvider,
  clock: FakeClock,
  claims: (nonce: string) => Record<string, unknown>,
  responseIss?: string,
) {
  const scopes = ['openid', 'profile'];
  const { secrets } = await client.createAuthorizationRequest({
    redirectUri: REDIRECT_URI,
    scopes,
  });
  provider.token = () =>
    json({
      access_token: 'at',
      token_type: 'Bearer',
      expires_in: 3600,
      id_token: jwt({ ...idTokenClaims(clock), ...claims(secrets.nonce) }),
    });
  const params: Record<string, string> = { code: 'c', state: secrets.state };
  if (responseIss !== undefined) params['iss'] = responseIss;
  return client.handleAuthorizationResponse(callbackUrl(params), {
    secrets,
    redirectUri: REDIRECT_URI,
    requestedScopes: scopes,
  });
}

describe('AAD mode', () => {
  it('discovers at {authority}/v2.0/.well-known/openid-configuration', async () => {
    const { client, provider } = aadSetup(TENANT, TENANT_ISSUER);

    const info = await client.discover();

    expect(provider.discoveryRequests[0]?.url.href).toBe(
      `${HOST}/${TENANT}/v2.0/.well-known/openid-configuration`,
    );
    expect(info.issuer).toBe(TENANT_ISSUER);
    expect(info.tokenEndpoint).toBe(`${HOST}/${TENANT}/oauth2/v2.0/token`);
  });

  it('does not double /v2.0 when the authority already ends with it', async () => {
    const { client, provider } = aadSetup(TENANT, TENANT_ISSUER, `${HOST}/${TENANT}/v2.0/`);

    await expect(client.discover()).resolves.toMatchObject({ issuer: TENANT_ISSUER });
    expect(provider.discoveryRequests[0]?.url.pathname).toBe(
      `/${TENANT}/v2.0/.well-known/openid-configuration`,
    );
  });

  it('rejects a single-tenant document announcing another tenant', async () => {
    const { client } = aadSetup(TENANT, `${HOST}/another-tenant/v2.0`);

    expect(await rejectionOf(client.discover())).toMatchObject({ errorCode: 'discovery_failed' });
  });

  it('accepts the {tenantid} issuer template of the common authority', async () => {
    const { client } = aadSetup('common', TEMPLATE);

    await expect(client.discover()).resolves.toMatchObject({ issuer: TEMPLATE });
  });

  it('rejects a template that does not name the configured authority', async () => {
    const { client } = aadSetup('common', 'https://other.example.com/{tenantid}/v2.0');

    expect(await rejectionOf(client.discover())).toMatchObject({ errorCode: 'discovery_failed' });
  });

  it('resolves the template from the ID token tid', async () => {
    const { client, provider, clock } = aadSetup('common', TEMPLATE);

    const result = await signIn(client, provider, clock, (nonce) => ({
      nonce,
      iss: TENANT_ISSUER,
      tid: TENANT,
    }));

    expect(result.issuer).toBe(TENANT_ISSUER);
    expect(result.idTokenClaims).toMatchObject({ sub: SUBJECT, tid: TENANT, aud: CLIENT_ID });
  });

  it('rejects an ID token whose iss is not the tenant named by tid', async () => {
    const { client, provider, clock } = aadSetup('common', TEMPLATE);

    const error = await rejectionOf(
      signIn(client, provider, clock, (nonce) => ({
        nonce,
        iss: `${HOST}/attacker-tenant/v2.0`,
        tid: TENANT,
      })),
    );

    expect(error).toBeInstanceOf(ClientAuthError);
    expect((error as ClientAuthError).errorCode).toBe('invalid_id_token');
  });

  it('rejects an ID token without tid, also when its iss is the raw template', async () => {
    const { client, provider, clock } = aadSetup('common', TEMPLATE);

    const withoutTid = await rejectionOf(
      signIn(client, provider, clock, (nonce) => ({ nonce, iss: TENANT_ISSUER })),
    );
    const rawTemplate = await rejectionOf(
      signIn(client, provider, clock, (nonce) => ({ nonce, iss: TEMPLATE })),
    );

    expect(withoutTid).toMatchObject({ errorCode: 'invalid_id_token' });
    expect(rawTemplate).toMatchObject({ errorCode: 'invalid_id_token' });
  });

  it('rejects a tid that would change the issuer URL structure', async () => {
    const { client, provider, clock } = aadSetup('common', TEMPLATE);

    const error = await rejectionOf(
      signIn(client, provider, clock, (nonce) => ({
        nonce,
        iss: `${HOST}/a/b/v2.0`,
        tid: 'a/b',
      })),
    );

    expect(error).toMatchObject({ errorCode: 'invalid_id_token' });
  });

  it('accepts an RFC 9207 iss naming the tenant that issued the ID token', async () => {
    const { client, provider, clock } = aadSetup('common', TEMPLATE);

    const result = await signIn(
      client,
      provider,
      clock,
      (nonce) => ({ nonce, iss: TENANT_ISSUER, tid: TENANT }),
      TENANT_ISSUER,
    );

    expect(result.issuer).toBe(TENANT_ISSUER);
  });

  it('rejects an iss response parameter of another tenant than the ID token', async () => {
    const { client, provider, clock } = aadSetup('common', TEMPLATE);

    const error = await rejectionOf(
      signIn(
        client,
        provider,
        clock,
        (nonce) => ({ nonce, iss: TENANT_ISSUER, tid: TENANT }),
        `${HOST}/other-tenant/v2.0`,
      ),
    );

    expect(error).toMatchObject({ errorCode: 'issuer_mismatch' });
  });

  it('rejects an iss response parameter that does not fit the template', async () => {
    const { client, provider, clock } = aadSetup('common', TEMPLATE);

    const error = await rejectionOf(
      signIn(
        client,
        provider,
        clock,
        (nonce) => ({ nonce, iss: TENANT_ISSUER, tid: TENANT }),
        'https://evil.example.com/x/v2.0',
      ),
    );

    expect(error).toMatchObject({ errorCode: 'issuer_mismatch' });
    expect(provider.tokenRequests).toHaveLength(0);
  });

  it('accepts tenant ids with dots, and an iss equal to the metadata template', async () => {
    const { client, provider, clock } = aadSetup('common', TEMPLATE);
    const tenant = 'contoso.example';

    const result = await signIn(
      client,
      provider,
      clock,
      (nonce) => ({ nonce, iss: `${HOST}/${tenant}/v2.0`, tid: tenant }),
      // RFC 9207 2.4 compares with the metadata issuer, which is the template itself here.
      TEMPLATE,
    );

    expect(result.issuer).toBe(`${HOST}/${tenant}/v2.0`);
  });

  it('validates a refreshed ID token against the resolved template', async () => {
    const { client, provider, clock } = aadSetup('common', TEMPLATE);
    provider.token = () =>
      json({
        access_token: 'at2',
        token_type: 'Bearer',
        expires_in: 3600,
        id_token: jwt(idTokenClaims(clock, { iss: TENANT_ISSUER, tid: TENANT })),
      });

    const result = await client.refresh({
      refreshToken: 'rt',
      scopes: [],
      expectedSub: SUBJECT,
      expectedIssuer: TENANT_ISSUER,
    });

    expect(result.issuer).toBe(TENANT_ISSUER);
  });

  it('rejects a refreshed ID token from another tenant than the account (OIDC Core 12.2)', async () => {
    const { client, provider, clock } = aadSetup('common', TEMPLATE);
    const other = 'b0a5c3d2-0000-4000-8000-000000000001';
    provider.token = () =>
      json({
        access_token: 'at2',
        token_type: 'Bearer',
        expires_in: 3600,
        id_token: jwt(idTokenClaims(clock, { iss: `${HOST}/${other}/v2.0`, tid: other })),
      });

    const error = await rejectionOf(
      client.refresh({
        refreshToken: 'rt',
        scopes: [],
        expectedSub: SUBJECT,
        expectedIssuer: TENANT_ISSUER,
      }),
    );

    expect(error).toMatchObject({ errorCode: 'invalid_id_token' });
  });
});
