import { describe, expect, it } from 'vitest';
import { ClientAuthError } from '../../src/errors/index.js';
import type { MetadataStore } from '../../src/protocol/index.js';
import {
  FakeClock,
  FakeProvider,
  ISSUER,
  MemoryStore,
  SUBJECT,
  json,
  metadataFor,
  rejectionOf,
  setup,
} from './fake-provider.js';

const KEY = `tessera.v1.metadata.${ISSUER}`;
const DAY = 86_400_000;
const REFRESH = {
  refreshToken: 'stored-refresh-token',
  scopes: ['api.read'],
  expectedSub: SUBJECT,
};

function tokens(): Response {
  return json({ access_token: 'at', token_type: 'Bearer', expires_in: 600 });
}

/** A store holding what a first page load of a client on the fake provider left in it. */
async function storeFromFirstLoad(clock = new FakeClock()): Promise<MemoryStore> {
  const store = new MemoryStore();
  const first = setup(new FakeProvider(), { metadataStore: store }, clock);
  await first.client.discover();
  expect(first.provider.discoveryRequests).toHaveLength(1);
  return store;
}

/** A stored entry whose document was changed by `edit`, stored at `at`. */
function tampered(at: number, edit: (doc: Record<string, unknown>) => void): MemoryStore {
  const store = new MemoryStore();
  const doc = metadataFor(ISSUER);
  edit(doc);
  store.set(KEY, JSON.stringify([at, JSON.stringify(doc)]));
  return store;
}

describe('discovery remembered across page loads (metadataStore)', () => {
  it('stores the fetched document text with its fetch time under a tessera.v1. key', async () => {
    const clock = new FakeClock();
    const store = await storeFromFirstLoad(clock);

    const [at, text] = JSON.parse(store.get(KEY) ?? '') as [number, string];
    expect(at).toBe(clock.current);
    expect(JSON.parse(text)).toEqual(metadataFor(ISSUER));
  });

  it('a cold start with a stored refresh token makes exactly one request: the token request', async () => {
    const clock = new FakeClock();
    const store = await storeFromFirstLoad(clock);
    clock.current += DAY - 1;
    const second = setup(new FakeProvider(), { metadataStore: store }, clock);
    second.provider.token = tokens;

    const result = await second.client.refresh(REFRESH);

    expect(result.accessToken).toBe('at');
    expect(second.provider.requests.map((r) => r.url.pathname)).toEqual([
      '/realms/demo/protocol/openid-connect/token',
    ]);
    await expect(second.client.discover()).resolves.toMatchObject({ issuer: ISSUER });
  });

  it('fetches again once the stored document is older than the age limit (default 24 h)', async () => {
    const clock = new FakeClock();
    const store = await storeFromFirstLoad(clock);
    clock.current += DAY;
    const second = setup(new FakeProvider(), { metadataStore: store }, clock);

    await second.client.discover();

    expect(second.provider.discoveryRequests).toHaveLength(1);
    expect(JSON.parse(store.get(KEY) ?? '')).toEqual([clock.current, expect.any(String)]);
  });

  it('honours metadataMaxAgeMs', async () => {
    const clock = new FakeClock();
    const store = await storeFromFirstLoad(clock);
    clock.current += 60_001;
    const second = setup(
      new FakeProvider(),
      { metadataStore: store, metadataMaxAgeMs: 60_000 },
      clock,
    );

    await second.client.discover();

    expect(second.provider.discoveryRequests).toHaveLength(1);
  });

  it.each([
    [
      'announces another issuer',
      (d: Record<string, unknown>) => (d['issuer'] = 'https://evil.example.com'),
    ],
    [
      'names an http token endpoint',
      (d: Record<string, unknown>) => (d['token_endpoint'] = 'http://idp.example.com/token'),
    ],
    ['lacks the token endpoint', (d: Record<string, unknown>) => delete d['token_endpoint']],
  ])('refuses a stored document that %s: fetches it and replaces the entry', async (_l, edit) => {
    const clock = new FakeClock();
    const store = tampered(clock.current, edit);
    const s = setup(new FakeProvider(), { metadataStore: store }, clock);

    const info = await s.client.discover();

    expect(info.tokenEndpoint).toBe(`${ISSUER}/protocol/openid-connect/token`);
    expect(s.provider.discoveryRequests).toHaveLength(1);
    const [, text] = JSON.parse(store.get(KEY) ?? '') as [number, string];
    expect(JSON.parse(text)).toEqual(metadataFor(ISSUER));
  });

  it.each([
    ['not JSON', '{"issuer":'],
    ['JSON of another shape', JSON.stringify({ issuer: ISSUER })],
    ['a document that is not JSON', JSON.stringify([Date.now(), '<html>'])],
    [
      'a fetch time in the future',
      JSON.stringify([Date.now() + 60_000, JSON.stringify(metadataFor(ISSUER))]),
    ],
  ])('removes an entry holding %s, even when the fetch then fails', async (_label, raw) => {
    const store = new MemoryStore();
    store.set(KEY, raw);
    const provider = new FakeProvider();
    provider.discovery = () => new Response('gone', { status: 404 });
    const s = setup(provider, { metadataStore: store });
    s.clock.current = Date.now();

    const error = await rejectionOf(s.client.discover());

    expect(error).toMatchObject({ errorCode: 'discovery_failed' });
    expect(provider.discoveryRequests).toHaveLength(1);
    expect(store.entries.has(KEY)).toBe(false);
  });

  it('works without a store, and with a store that throws', async () => {
    const throwing: MetadataStore = {
      get: () => {
        throw new Error('SecurityError');
      },
      set: () => {
        throw new Error('QuotaExceededError');
      },
      remove: () => {
        throw new Error('SecurityError');
      },
    };
    const s = setup(new FakeProvider(), { metadataStore: throwing });

    await expect(s.client.discover()).resolves.toMatchObject({ issuer: ISSUER });
    s.client.invalidate();
    await expect(s.client.discover()).resolves.toMatchObject({ issuer: ISSUER });
    expect(s.provider.discoveryRequests).toHaveLength(2);
  });

  it('invalidate() drops the document in memory and in the store', async () => {
    const store = new MemoryStore();
    const s = setup(new FakeProvider(), { metadataStore: store });
    await s.client.discover();

    s.client.invalidate();

    expect(store.entries.has(KEY)).toBe(false);
    await s.client.discover();
    expect(s.provider.discoveryRequests).toHaveLength(2);
    expect(store.entries.has(KEY)).toBe(true);
  });

  it('re-discovers and retries once when a stored token endpoint answers 404', async () => {
    const clock = new FakeClock();
    const store = tampered(clock.current, (d) => (d['token_endpoint'] = `${ISSUER}/old/token`));
    const s = setup(new FakeProvider(), { metadataStore: store }, clock);
    s.provider.token = tokens;

    const result = await s.client.refresh(REFRESH);

    expect(result.accessToken).toBe('at');
    expect(s.provider.requests.map((r) => r.url.pathname)).toEqual([
      '/realms/demo/old/token',
      '/realms/demo/.well-known/openid-configuration',
      '/realms/demo/protocol/openid-connect/token',
    ]);
    expect(store.get(KEY)).toContain('/protocol/openid-connect/token');
  });

  it('does not retry a token request at a stored endpoint that gave no answer, but forgets the document', async () => {
    const clock = new FakeClock();
    const store = await storeFromFirstLoad(clock);
    const s = setup(new FakeProvider(), { metadataStore: store }, clock);
    s.provider.token = () => Promise.reject(new TypeError('Failed to fetch'));

    const error = await rejectionOf(s.client.refresh(REFRESH));

    expect(error).toMatchObject({ errorCode: 'network_error', requestSent: true });
    expect(s.provider.tokenRequests).toHaveLength(1);
    expect(s.provider.discoveryRequests).toHaveLength(0);
    expect(store.entries.has(KEY)).toBe(false);
    s.provider.token = tokens;
    await s.client.refresh(REFRESH);
    expect(s.provider.discoveryRequests).toHaveLength(1);
  });

  it('does not re-discover when a freshly fetched token endpoint answers 404', async () => {
    const s = setup(new FakeProvider(), { metadataStore: new MemoryStore() });
    s.provider.token = () => new Response('not here', { status: 404 });

    const error = await rejectionOf(s.client.refresh(REFRESH));

    expect(error).toMatchObject({ errorCode: 'invalid_response', status: 404 });
    expect(s.provider.discoveryRequests).toHaveLength(1);
    expect(s.provider.tokenRequests).toHaveLength(1);
  });
});

describe('authorityMetadata (inline discovery document)', () => {
  it.each([
    ['JSON text', JSON.stringify(metadataFor(ISSUER))],
    ['an object', metadataFor(ISSUER)],
  ])('given as %s, is used without any discovery request', async (_label, authorityMetadata) => {
    const store = new MemoryStore();
    const s = setup(new FakeProvider(), { authorityMetadata, metadataStore: store });
    s.provider.token = tokens;

    const info = await s.client.discover();
    await s.client.refresh(REFRESH);

    expect(info.tokenEndpoint).toBe(`${ISSUER}/protocol/openid-connect/token`);
    expect(s.provider.discoveryRequests).toHaveLength(0);
    expect(s.provider.tokenRequests).toHaveLength(1);
    expect(store.entries.size).toBe(0);
  });

  it.each([
    ['another issuer', metadataFor('https://evil.example.com/realms/demo')],
    ['the issuer with a trailing slash', metadataFor(`${ISSUER}/`, ISSUER)],
    ['an http endpoint', { ...metadataFor(ISSUER), token_endpoint: 'http://idp.example.com/t' }],
    ['unparsable JSON text', '{"issuer": '],
    ['no issuer', { token_endpoint: `${ISSUER}/token` }],
  ])(
    'with %s fails with discovery_failed and makes no request',
    async (_label, authorityMetadata) => {
      const s = setup(new FakeProvider(), { authorityMetadata });

      const error = await rejectionOf(s.client.discover());

      expect(error).toBeInstanceOf(ClientAuthError);
      expect((error as ClientAuthError).errorCode).toBe('discovery_failed');
      expect(s.provider.requests).toHaveLength(0);
    },
  );
});
