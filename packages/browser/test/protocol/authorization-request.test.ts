import { describe, expect, it } from 'vitest';
import {
  CLIENT_ID,
  FakeProvider,
  ISSUER,
  REDIRECT_URI,
  setup,
  sha256Base64url,
} from './fake-provider.js';

const SCOPES = ['openid', 'profile', 'offline_access', 'api://demo/read'];

function bits(value: string): number {
  return Buffer.from(value, 'base64url').length * 8;
}

describe('createAuthorizationRequest', () => {
  it('builds a code + PKCE S256 request at the authorization endpoint', async () => {
    const { client } = setup();

    const { url, secrets } = await client.createAuthorizationRequest({
      redirectUri: REDIRECT_URI,
      scopes: SCOPES,
    });

    expect(`${url.origin}${url.pathname}`).toBe(`${ISSUER}/protocol/openid-connect/auth`);
    const params = url.searchParams;
    expect(params.get('client_id')).toBe(CLIENT_ID);
    expect(params.get('redirect_uri')).toBe(REDIRECT_URI);
    expect(params.get('response_type')).toBe('code');
    expect(params.get('scope')).toBe(SCOPES.join(' '));
    expect(params.get('state')).toBe(secrets.state);
    expect(params.get('nonce')).toBe(secrets.nonce);
    expect(params.get('code_challenge_method')).toBe('S256');
    // RFC 7636 4.2: BASE64URL(SHA256(ASCII(code_verifier))), computed independently here.
    expect(params.get('code_challenge')).toBe(sha256Base64url(secrets.codeVerifier));
    expect(params.get('code_challenge')).not.toBe(secrets.codeVerifier);
    // RFC 7636 4.1: 43..128 characters of the unreserved set.
    expect(secrets.codeVerifier).toMatch(/^[A-Za-z0-9\-._~]{43,128}$/);
  });

  it('draws state and nonce with at least 128 bits, fresh for every request', async () => {
    const { client } = setup();
    const requests = await Promise.all(
      Array.from({ length: 5 }, () =>
        client.createAuthorizationRequest({ redirectUri: REDIRECT_URI, scopes: ['openid'] }),
      ),
    );

    const states = requests.map((r) => r.secrets.state);
    const nonces = requests.map((r) => r.secrets.nonce);
    const verifiers = requests.map((r) => r.secrets.codeVerifier);
    for (const value of [...states, ...nonces]) expect(bits(value)).toBeGreaterThanOrEqual(128);
    expect(new Set([...states, ...nonces, ...verifiers]).size).toBe(15);
  });

  it('sends the optional OIDC, Entra and RFC 8707 parameters', async () => {
    const { client } = setup();

    const { url } = await client.createAuthorizationRequest({
      redirectUri: REDIRECT_URI,
      scopes: ['openid'],
      prompt: 'select_account',
      loginHint: 'ada@example.com',
      idTokenHint: 'id.token.hint',
      sid: 'session-1',
      domainHint: 'example.com',
      claims: '{"id_token":{"acr":null}}',
      responseMode: 'fragment',
      resource: ['https://api.example.com', 'https://files.example.com'],
    });

    const params = url.searchParams;
    expect(params.get('prompt')).toBe('select_account');
    expect(params.get('login_hint')).toBe('ada@example.com');
    expect(params.get('id_token_hint')).toBe('id.token.hint');
    expect(params.get('sid')).toBe('session-1');
    expect(params.get('domain_hint')).toBe('example.com');
    expect(params.get('claims')).toBe('{"id_token":{"acr":null}}');
    expect(params.get('response_mode')).toBe('fragment');
    expect(params.getAll('resource')).toEqual([
      'https://api.example.com',
      'https://files.example.com',
    ]);
  });

  it('omits optional parameters that were not given', async () => {
    const { client } = setup();

    const { url } = await client.createAuthorizationRequest({
      redirectUri: REDIRECT_URI,
      scopes: ['openid'],
    });

    for (const name of ['prompt', 'login_hint', 'id_token_hint', 'sid', 'resource', 'claims']) {
      expect(url.searchParams.has(name)).toBe(false);
    }
  });

  it('passes extra parameters but never lets them override the security parameters', async () => {
    const { client, lines } = setup();

    const { url, secrets } = await client.createAuthorizationRequest({
      redirectUri: REDIRECT_URI,
      scopes: ['openid'],
      prompt: 'login',
      extraQueryParameters: {
        state: 'attacker-state',
        nonce: 'attacker-nonce',
        code_challenge: 'attacker-challenge',
        code_challenge_method: 'plain',
        client_id: 'other-client',
        redirect_uri: 'https://evil.example.com/cb',
        response_type: 'token',
        request_uri: 'urn:evil',
        prompt: 'none',
        ui_locales: 'de',
      },
    });

    const params = url.searchParams;
    expect(params.get('state')).toBe(secrets.state);
    expect(params.get('nonce')).toBe(secrets.nonce);
    expect(params.get('code_challenge')).toBe(sha256Base64url(secrets.codeVerifier));
    expect(params.get('code_challenge_method')).toBe('S256');
    expect(params.get('client_id')).toBe(CLIENT_ID);
    expect(params.get('redirect_uri')).toBe(REDIRECT_URI);
    expect(params.get('response_type')).toBe('code');
    expect(params.has('request_uri')).toBe(false);
    expect(params.getAll('state')).toHaveLength(1);
    // Typed inputs win over extras; unrelated extras pass through.
    expect(params.get('prompt')).toBe('login');
    expect(params.get('ui_locales')).toBe('de');
    expect(lines.some(([, line]) => line.includes('"state"'))).toBe(true);
    expect(lines.some(([, line]) => line.includes('attacker'))).toBe(false);
  });

  it('keeps query parameters that are part of the authorization endpoint', async () => {
    const provider = new FakeProvider();
    provider.metadata['authorization_endpoint'] = `${ISSUER}/authorize?p=b2c_1_signin`;
    const { client } = setup(provider);

    const { url } = await client.createAuthorizationRequest({
      redirectUri: REDIRECT_URI,
      scopes: ['openid'],
    });

    expect(url.searchParams.get('p')).toBe('b2c_1_signin');
    expect(url.searchParams.get('response_type')).toBe('code');
  });
});
