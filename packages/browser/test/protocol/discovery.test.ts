import { describe, expect, it } from 'vitest';
import { ClientAuthError } from '../../src/errors/index.js';
import { FakeProvider, ISSUER, json, metadataFor, rejectionOf, setup } from './fake-provider.js';

describe('discover', () => {
  it('reads {authority}/.well-known/openid-configuration and exposes the metadata', async () => {
    const provider = new FakeProvider();
    provider.metadata['authorization_response_iss_parameter_supported'] = true;
    const { client } = setup(provider);

    const info = await client.discover();

    expect(provider.discoveryRequests.map((r) => r.url.href)).toEqual([
      `${ISSUER}/.well-known/openid-configuration`,
    ]);
    expect(info).toEqual({
      issuer: ISSUER,
      authorizationEndpoint: `${ISSUER}/protocol/openid-connect/auth`,
      tokenEndpoint: `${ISSUER}/protocol/openid-connect/token`,
      endSessionEndpoint: `${ISSUER}/protocol/openid-connect/logout`,
      issParameterSupported: true,
    });
  });

  it('is cached: later calls make no request, and callers cannot alter the cache', async () => {
    const { client, provider } = setup();

    const first = await client.discover();
    first.issuer = 'https://evil.example';
    const second = await client.discover();
    await client.createEndSessionUrl({});

    expect(provider.discoveryRequests).toHaveLength(1);
    expect(second.issuer).toBe(ISSUER);
  });

  it('makes one request for concurrent callers', async () => {
    const provider = new FakeProvider();
    let release: () => void = () => undefined;
    const gate = new Promise<void>((resolve) => (release = resolve));
    provider.discovery = async () => {
      await gate;
      return json(provider.metadata);
    };
    const { client } = setup(provider);

    const all = Promise.all([
      client.discover(),
      client.discover(),
      client.createAuthorizationRequest({ redirectUri: 'https://app/cb', scopes: ['openid'] }),
    ]);
    release();
    const [a, b] = await all;

    expect(provider.discoveryRequests).toHaveLength(1);
    expect(a.issuer).toBe(ISSUER);
    expect(b.issuer).toBe(ISSUER);
  });

  it('does not cache a failure: the next call asks again', async () => {
    const provider = new FakeProvider();
    let calls = 0;
    provider.discovery = () =>
      ++calls === 1 ? new Response('missing', { status: 404 }) : json(provider.metadata);
    const { client } = setup(provider);

    const error = await rejectionOf(client.discover());
    const info = await client.discover();

    expect(error).toBeInstanceOf(ClientAuthError);
    expect(error).toMatchObject({ errorCode: 'discovery_failed', status: 404, retryable: false });
    expect((error as ClientAuthError).cause).toBeDefined();
    expect(info.issuer).toBe(ISSUER);
    expect(provider.discoveryRequests).toHaveLength(2);
  });

  it('shares a failure among concurrent callers, then retries', async () => {
    const provider = new FakeProvider();
    provider.discovery = () => new Response('nope', { status: 404 });
    const { client } = setup(provider);

    const results = await Promise.allSettled([client.discover(), client.discover()]);
    expect(results.map((r) => r.status)).toEqual(['rejected', 'rejected']);
    expect(provider.discoveryRequests).toHaveLength(1);

    provider.discovery = () => json(provider.metadata);
    await expect(client.discover()).resolves.toMatchObject({ issuer: ISSUER });
    expect(provider.discoveryRequests).toHaveLength(2);
  });

  it('rejects a document announcing another issuer', async () => {
    const provider = new FakeProvider(ISSUER, metadataFor('https://evil.example.com/realms/demo'));
    const { client } = setup(provider);

    const error = await rejectionOf(client.discover());

    expect(error).toBeInstanceOf(ClientAuthError);
    expect((error as ClientAuthError).errorCode).toBe('discovery_failed');
  });

  it('rejects an issuer template in OIDC mode', async () => {
    const provider = new FakeProvider(
      ISSUER,
      metadataFor('https://idp.example.com/{tenantid}/v2.0', ISSUER),
    );
    const { client } = setup(provider);

    expect(await rejectionOf(client.discover())).toMatchObject({ errorCode: 'discovery_failed' });
  });

  // RFC 8414 3.3 and OIDC Discovery 4.3: the issuer is the authority exactly. ID tokens carry
  // the issuer (OIDC Core 3.1.3.7 step 2), so a difference must stop sign-in before navigation.
  it.each([
    ['a trailing slash the authority lacks', ISSUER, `${ISSUER}/`],
    ['no trailing slash where the authority has one', `${ISSUER}/`, ISSUER],
  ])('rejects an issuer with %s, naming the fix', async (_label, authority, issuer) => {
    const provider = new FakeProvider(ISSUER, metadataFor(issuer, ISSUER));
    const { client } = setup(provider, { authority });

    const error = await rejectionOf(
      client.createAuthorizationRequest({ redirectUri: 'https://app/cb', scopes: ['openid'] }),
    );

    expect(error).toBeInstanceOf(ClientAuthError);
    expect(error).toMatchObject({ errorCode: 'discovery_failed' });
    expect((error as ClientAuthError).errorMessage).toContain(`"${issuer}"`);
    expect((error as ClientAuthError).errorMessage).toMatch(/authority/);
    expect(provider.discoveryRequests[0]?.url.href).toBe(
      `${ISSUER}/.well-known/openid-configuration`,
    );
  });

  it('compares issuers as URLs: an empty path is "/"', async () => {
    const host = 'https://idp.example.com';
    const withSlash = setup(new FakeProvider(host, metadataFor(`${host}/`, host)), {
      authority: host,
    });
    const without = setup(new FakeProvider(host, metadataFor(host)), { authority: `${host}/` });

    await expect(withSlash.client.discover()).resolves.toMatchObject({ issuer: `${host}/` });
    await expect(without.client.discover()).resolves.toMatchObject({ issuer: host });
  });

  it('rejects a document that is not JSON', async () => {
    const provider = new FakeProvider();
    provider.discovery = () =>
      new Response('<html>', { status: 200, headers: { 'content-type': 'text/html' } });
    const { client } = setup(provider);

    expect(await rejectionOf(client.discover())).toMatchObject({ errorCode: 'discovery_failed' });
  });

  it('rejects a document without a token endpoint', async () => {
    const provider = new FakeProvider();
    delete provider.metadata['token_endpoint'];
    const { client } = setup(provider);

    expect(await rejectionOf(client.discover())).toMatchObject({ errorCode: 'discovery_failed' });
  });

  it('rejects an http endpoint in the metadata of an https provider', async () => {
    const provider = new FakeProvider();
    provider.metadata['token_endpoint'] = 'http://idp.example.com/token';
    const { client } = setup(provider);

    expect(await rejectionOf(client.discover())).toMatchObject({ errorCode: 'discovery_failed' });
  });

  it('refuses an http authority unless insecure requests are allowed', async () => {
    const issuer = 'http://127.0.0.1:4000/idp';
    const refused = setup(new FakeProvider(issuer), { authority: issuer });
    const allowed = setup(new FakeProvider(issuer), {
      authority: issuer,
      allowInsecureRequests: true,
    });

    expect(await rejectionOf(refused.client.discover())).toMatchObject({
      errorCode: 'discovery_failed',
    });
    expect(refused.provider.requests).toHaveLength(0);
    await expect(allowed.client.discover()).resolves.toMatchObject({ issuer });
  });

  it('maps an unreachable provider to network_error and logs the failure', async () => {
    const provider = new FakeProvider();
    provider.discovery = () => {
      throw new TypeError('fetch failed');
    };
    const { client, lines } = setup(provider);

    const error = await rejectionOf(client.discover());

    expect(error).toBeInstanceOf(ClientAuthError);
    expect((error as ClientAuthError).errorCode).toBe('network_error');
    expect((error as ClientAuthError).cause).toBeInstanceOf(TypeError);
    expect(lines.some(([level, line]) => level === 1 && line.includes('network_error'))).toBe(true);
  });
});
