import { describe, expect, it } from 'vitest';
import { CLIENT_ID, FakeProvider, ISSUER, setup } from './fake-provider.js';

describe('createEndSessionUrl', () => {
  it('builds the RP-initiated logout URL', async () => {
    const { client } = setup();

    const url = await client.createEndSessionUrl({
      idTokenHint: 'the.id.token',
      postLogoutRedirectUri: 'https://app.example.com/',
      state: 'logout-state',
      logoutHint: 'ada@example.com',
    });

    expect(url).toBeInstanceOf(URL);
    expect(`${url?.origin}${url?.pathname}`).toBe(`${ISSUER}/protocol/openid-connect/logout`);
    expect(Object.fromEntries(url?.searchParams ?? [])).toEqual({
      id_token_hint: 'the.id.token',
      post_logout_redirect_uri: 'https://app.example.com/',
      state: 'logout-state',
      client_id: CLIENT_ID,
      logout_hint: 'ada@example.com',
    });
  });

  it('sends only client_id when nothing else is given, keeping endpoint parameters', async () => {
    const provider = new FakeProvider();
    provider.metadata['end_session_endpoint'] = `${ISSUER}/logout?tenant=a`;
    const { client } = setup(provider);

    const url = await client.createEndSessionUrl({});

    expect(Object.fromEntries(url?.searchParams ?? [])).toEqual({
      tenant: 'a',
      client_id: CLIENT_ID,
    });
  });

  it('returns undefined when the provider has no end_session_endpoint', async () => {
    const provider = new FakeProvider();
    delete provider.metadata['end_session_endpoint'];
    const { client } = setup(provider);

    await expect(client.createEndSessionUrl({ idTokenHint: 'x' })).resolves.toBeUndefined();
    await expect(client.discover()).resolves.toMatchObject({ endSessionEndpoint: undefined });
  });

  it('ignores an insecure end_session_endpoint instead of failing sign-in', async () => {
    const provider = new FakeProvider();
    provider.metadata['end_session_endpoint'] = 'http://idp.example.com/logout';
    const { client, lines } = setup(provider);

    await expect(client.createEndSessionUrl({})).resolves.toBeUndefined();
    expect(
      lines.some(([level, line]) => level === 1 && line.includes('end_session_endpoint')),
    ).toBe(true);
  });
});
