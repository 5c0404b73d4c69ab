import { describe, expect, it, vi } from 'vitest';
import { checkDiscovery, type DiscoveryCheckInput } from '../../src/diagnose/discovery-check.js';
import type { Finding } from '../../src/diagnose/types.js';
import { CLIENT_ID, ISSUER, fakeFetch, metadata, provider } from './fakes.js';

const DISCOVERY = `${ISSUER}/.well-known/openid-configuration`;

const unexpected = (): Promise<Finding> => Promise.reject(new Error('not expected'));

function input(overrides: Partial<DiscoveryCheckInput>): DiscoveryCheckInput {
  return {
    authority: ISSUER,
    protocolMode: 'OIDC',
    clientId: CLIENT_ID,
    fetch: provider().fetch,
    explainNoAnswer: unexpected,
    ...overrides,
  };
}

describe('discovery check (through the protocol layer)', () => {
  it('a correct provider passes discovery and issuer and hands back the document and client', async () => {
    const fake = provider();
    const result = await checkDiscovery(input({ fetch: fake.fetch }));
    expect(result.findings).toEqual([]);
    expect(result.passed).toEqual(['discovery', 'issuer']);
    expect(result.provider?.document).toEqual(metadata());
    expect(result.provider?.info.tokenEndpoint).toBe(`${ISSUER}/token`);
    expect(result.exchange?.status).toBe(200);
    expect(fake.requests.map((r) => r.url)).toEqual([DISCOVERY]);
  });

  it('an issuer differing by a trailing slash is issuer_mismatch naming both values and the exact fix', async () => {
    const authority = `${ISSUER}/realms/app`;
    const fake = provider(
      metadata(`${authority}/`),
      `${authority}/.well-known/openid-configuration`,
    );
    const result = await checkDiscovery(input({ authority, fetch: fake.fetch }));
    expect(result.findings).toHaveLength(1);
    const [finding] = result.findings;
    expect(finding).toMatchObject({ id: 'issuer_mismatch', severity: 'error' });
    expect(finding!.message).toContain(`"${authority}"`);
    expect(finding!.message).toContain(`"${authority}/"`);
    expect(finding!.message).toContain('OIDC Discovery 4.3');
    expect(finding!.fix).toContain(`Set auth.authority to "${authority}/" exactly`);
    expect(result.passed).toEqual(['discovery']);
    expect(result.provider).toBeUndefined();
  });

  it('another host than the issuer names (localhost vs 127.0.0.1) is issuer_mismatch', async () => {
    const issuer = 'http://127.0.0.1:4000';
    const fake = provider(
      metadata(issuer),
      'http://localhost:4000/.well-known/openid-configuration',
    );
    const result = await checkDiscovery(
      input({ authority: 'http://localhost:4000', fetch: fake.fetch }),
    );
    expect(result.findings.map((f) => f.id)).toEqual(['issuer_mismatch']);
    expect(result.findings[0]!.fix).toContain(`"${issuer}"`);
  });

  it('a 404 is discovery_http_error naming the URL discovery used', async () => {
    const result = await checkDiscovery(
      input({ authority: `${ISSUER}/realms/wrong`, fetch: provider().fetch }),
    );
    expect(result.findings.map((f) => f.id)).toEqual(['discovery_http_error']);
    expect(result.findings[0]!.message).toContain(
      `${ISSUER}/realms/wrong/.well-known/openid-configuration answered HTTP 404`,
    );
  });

  it('a redirect is not followed: discovery_http_error says where it pointed', async () => {
    const fake = fakeFetch({
      [DISCOVERY]: () =>
        new Response(null, { status: 301, headers: { location: 'https://elsewhere.example/' } }),
    });
    const result = await checkDiscovery(input({ fetch: fake.fetch }));
    expect(result.findings.map((f) => f.id)).toEqual(['discovery_http_error']);
    expect(result.findings[0]!.message).toContain('redirect to https://elsewhere.example/');
  });

  it('no answer (TypeError) is explained by the caller, after exactly one request', async () => {
    const explain = vi.fn((url: string): Promise<Finding> =>
      Promise.resolve({ id: 'discovery_cors_blocked', severity: 'error', message: url, fix: 'x' }),
    );
    let calls = 0;
    const result = await checkDiscovery(
      input({
        fetch: () => {
          calls += 1;
          return Promise.reject(new TypeError('Failed to fetch'));
        },
        explainNoAnswer: explain,
      }),
    );
    expect(calls).toBe(1);
    expect(explain).toHaveBeenCalledWith(DISCOVERY, expect.any(TypeError));
    expect(result.findings).toEqual([
      { id: 'discovery_cors_blocked', severity: 'error', message: DISCOVERY, fix: 'x' },
    ]);
    expect(result.passed).toEqual([]);
  });

  it('no answer within the time limit is discovery_unreachable', async () => {
    const result = await checkDiscovery(
      input({ fetch: () => new Promise<Response>(() => undefined), networkTimeoutMs: 30 }),
    );
    expect(result.findings.map((f) => f.id)).toEqual(['discovery_unreachable']);
    expect(result.findings[0]!.message).toContain('within 30 ms');
  });

  it('an http token endpoint on another host is discovery_invalid with the protocol layer reason', async () => {
    const document = { ...metadata(), token_endpoint: 'http://tokens.example.com/token' };
    const result = await checkDiscovery(input({ fetch: provider(document).fetch }));
    expect(result.findings.map((f) => f.id)).toEqual(['discovery_invalid']);
    expect(result.findings[0]!.message).toContain('token_endpoint');
  });

  it('a document that is not JSON is discovery_invalid', async () => {
    const fake = fakeFetch({ [DISCOVERY]: () => new Response('<html>login</html>') });
    const result = await checkDiscovery(input({ fetch: fake.fetch }));
    expect(result.findings.map((f) => f.id)).toEqual(['discovery_invalid']);
  });

  it('AAD mode: a tenant named by domain with a tenant-id issuer passes (the protocol layer rule)', async () => {
    const host = 'https://login.microsoftonline.com';
    const tenant = '72f988bf-86f1-41af-91ab-2d7cd011db47';
    const document = {
      ...metadata(`${host}/${tenant}/v2.0`),
      authorization_endpoint: `${host}/${tenant}/oauth2/v2.0/authorize`,
      token_endpoint: `${host}/${tenant}/oauth2/v2.0/token`,
    };
    const fake = provider(
      document,
      `${host}/contoso.onmicrosoft.com/v2.0/.well-known/openid-configuration`,
    );
    const result = await checkDiscovery(
      input({
        authority: `${host}/contoso.onmicrosoft.com`,
        protocolMode: 'AAD',
        fetch: fake.fetch,
      }),
    );
    expect(result.findings).toEqual([]);
    expect(result.passed).toEqual(['discovery', 'issuer']);
  });

  it('AAD mode: the common authority with a {tenantid} template passes', async () => {
    const host = 'https://login.microsoftonline.com';
    const document = {
      ...metadata(`${host}/{tenantid}/v2.0`),
      authorization_endpoint: `${host}/common/oauth2/v2.0/authorize`,
      token_endpoint: `${host}/common/oauth2/v2.0/token`,
    };
    const fake = provider(document, `${host}/common/v2.0/.well-known/openid-configuration`);
    const result = await checkDiscovery(
      input({ authority: `${host}/common`, protocolMode: 'AAD', fetch: fake.fetch }),
    );
    expect(result.findings).toEqual([]);
  });

  it('inline authorityMetadata is checked without a request', async () => {
    const fake = provider();
    const ok = await checkDiscovery(input({ fetch: fake.fetch, authorityMetadata: metadata() }));
    expect(ok.passed).toEqual(['discovery', 'issuer']);
    expect(ok.exchange).toBeUndefined();
    const wrong = await checkDiscovery(
      input({
        fetch: fake.fetch,
        authorityMetadata: JSON.stringify(metadata('https://other.example.com')),
      }),
    );
    expect(wrong.findings.map((f) => f.id)).toEqual(['issuer_mismatch']);
    expect(wrong.findings[0]!.message).toContain('auth.authorityMetadata');
    expect(fake.requests).toEqual([]);
  });

  it('adds the given headers (the CLI Origin) to the discovery request', async () => {
    const fake = provider();
    await checkDiscovery(
      input({ fetch: fake.fetch, headers: { origin: 'https://app.example.com' } }),
    );
    expect(fake.requests[0]!.headers.get('origin')).toBe('https://app.example.com');
  });
});
