/**
 * A small fake OpenID provider behind the `fetch` seam: it answers discovery and token requests
 * with crafted JSON and records what it was asked. ID tokens are unsigned-in-effect JWTs (a dummy
 * signature): oauth4webapi does not verify code-flow ID token signatures, TLS to the token
 * endpoint is the trust (OIDC Core 3.1.3.7 step 6).
 */
import { createHash } from 'node:crypto';
import type { FetchLike } from '../../src/ports.js';
import type { LogLevel } from '../../src/logger.js';
import { createLogger } from '../../src/logger.js';
import type { Logger } from '../../src/logger.js';
import { createProtocolClient } from '../../src/protocol/index.js';
import type { ProtocolClient, ProtocolClientOptions } from '../../src/protocol/index.js';

export const ISSUER = 'https://idp.example.com/realms/demo';
export const CLIENT_ID = 'spa-client';
export const REDIRECT_URI = 'https://app.example.com/callback';
export const SUBJECT = 'user-123';

export interface RecordedRequest {
  url: URL;
  method: string;
  body: URLSearchParams | undefined;
}

type Handler = (request: RecordedRequest) => Response | Promise<Response>;

export function json(body: unknown, status = 200, headers: Record<string, string> = {}): Response {
  return new Response(JSON.stringify(body), {
    status,
    headers: { 'content-type': 'application/json', ...headers },
  });
}

export function base64url(value: string | Uint8Array): string {
  return Buffer.from(value).toString('base64url');
}

/** A compact JWS with a dummy signature. */
export function jwt(claims: Record<string, unknown>, header: Record<string, unknown> = {}): string {
  return [
    base64url(JSON.stringify({ alg: 'RS256', typ: 'JWT', kid: 'k1', ...header })),
    base64url(JSON.stringify(claims)),
    base64url('not-a-real-signature'),
  ].join('.');
}

export function sha256Base64url(value: string): string {
  return createHash('sha256').update(value).digest('base64url');
}

export function metadataFor(issuer: string, base = issuer): Record<string, unknown> {
  return {
    issuer,
    authorization_endpoint: `${base}/protocol/openid-connect/auth`,
    token_endpoint: `${base}/protocol/openid-connect/token`,
    end_session_endpoint: `${base}/protocol/openid-connect/logout`,
    jwks_uri: `${base}/protocol/openid-connect/certs`,
    response_types_supported: ['code'],
    subject_types_supported: ['public'],
    id_token_signing_alg_values_supported: ['RS256'],
    scopes_supported: ['openid', 'profile', 'email', 'offline_access'],
    code_challenge_methods_supported: ['S256'],
  };
}

export class FakeProvider {
  readonly requests: RecordedRequest[] = [];
  metadata: Record<string, unknown>;
  /** Answers GET .../.well-known/openid-configuration. */
  discovery: Handler = () => json(this.metadata);
  /** Answers POST to the token endpoint. */
  token: Handler = () => json({ error: 'invalid_request' }, 400);

  constructor(issuer = ISSUER, metadata: Record<string, unknown> = metadataFor(issuer)) {
    this.metadata = metadata;
  }

  readonly fetch: FetchLike = async (input, init) => {
    const url = new URL(input instanceof Request ? input.url : input.toString());
    const body = init?.body instanceof URLSearchParams ? new URLSearchParams(init.body) : undefined;
    const request: RecordedRequest = { url, method: init?.method ?? 'GET', body };
    this.requests.push(request);
    if (url.pathname.endsWith('/.well-known/openid-configuration')) return this.discovery(request);
    if (url.href === this.metadata['token_endpoint']) return this.token(request);
    return new Response('not found', { status: 404 });
  };

  get discoveryRequests(): RecordedRequest[] {
    return this.requests.filter((r) => r.url.pathname.endsWith('/openid-configuration'));
  }

  get tokenRequests(): RecordedRequest[] {
    return this.requests.filter((r) => r.url.href === this.metadata['token_endpoint']);
  }
}

/** A clock the test controls, in ms since the epoch; starts at the real time. */
export class FakeClock {
  current = Date.now();
  now(): number {
    return this.current;
  }
  /** Seconds since the epoch, as in JWT claims. */
  get seconds(): number {
    return Math.floor(this.current / 1000);
  }
}

/**
 * Timers on virtual time, bound to a {@link FakeClock}: a due timer fires once the test's
 * promises have settled (a few macrotask turns), earliest first, moving the clock to its due
 * time. Retries and time limits run at once in real time; `fired` says what was waited.
 */
export class FakeTimers {
  /** The delays of the timers that fired, in order. */
  readonly fired: number[] = [];
  readonly #clock: FakeClock;
  readonly #queue = new Map<number, { at: number; ms: number; run: () => void }>();
  #ids = 0;
  #scheduled = false;

  constructor(clock: FakeClock) {
    this.#clock = clock;
  }

  setTimeout = (run: () => void, ms: number): unknown => {
    const id = ++this.#ids;
    this.#queue.set(id, { at: this.#clock.current + ms, ms, run });
    this.#schedule();
    return id;
  };

  clearTimeout = (id: unknown): void => {
    this.#queue.delete(id as number);
  };

  get pending(): number {
    return this.#queue.size;
  }

  #schedule(): void {
    if (this.#scheduled) return;
    this.#scheduled = true;
    void settle().then(() => {
      this.#scheduled = false;
      const [id, timer] = [...this.#queue].sort(([, a], [, b]) => a.at - b.at)[0] ?? [];
      if (id === undefined || timer === undefined) return;
      this.#queue.delete(id);
      this.#clock.current = Math.max(this.#clock.current, timer.at);
      this.fired.push(timer.ms);
      timer.run();
      if (this.#queue.size > 0) this.#schedule();
    });
  }
}

/** Lets pending promise chains (fetch fakes, body reads) run before virtual time moves. */
async function settle(): Promise<void> {
  for (let turn = 0; turn < 5; turn++) await new Promise((resolve) => setImmediate(resolve));
}

/** A logger that keeps every line, so tests can check what was (not) logged. */
export function recordingLogger(): { logger: Logger; lines: Array<[LogLevel, string]> } {
  const lines: Array<[LogLevel, string]> = [];
  return {
    lines,
    logger: createLogger({
      level: 3,
      loggerCallback: (level, message) => lines.push([level, message]),
    }),
  };
}

export interface Setup {
  provider: FakeProvider;
  clock: FakeClock;
  timers: FakeTimers;
  lines: Array<[LogLevel, string]>;
  client: ProtocolClient;
}

/** A protocol client on the fake provider, with a fake clock, virtual timers and no jitter. */
export function setup(
  provider = new FakeProvider(),
  overrides: Partial<ProtocolClientOptions> = {},
  clock = new FakeClock(),
): Setup {
  const { logger, lines } = recordingLogger();
  const timers = new FakeTimers(clock);
  const client = createProtocolClient({
    authority: ISSUER,
    protocolMode: 'OIDC',
    clientId: CLIENT_ID,
    fetch: provider.fetch,
    clock,
    timers,
    // Jitter at its top: backoff waits are exactly 500 and 1000 ms.
    random: () => 0,
    logger,
    allowInsecureRequests: false,
    ...overrides,
  });
  return { provider, clock, timers, lines, client };
}

/** An in-memory `metadataStore`, shared by clients like the storage of one browser. */
export class MemoryStore {
  readonly entries = new Map<string, string>();
  get = (key: string): string | undefined => this.entries.get(key);
  set = (key: string, value: string): void => void this.entries.set(key, value);
  remove = (key: string): void => void this.entries.delete(key);
}

/** Standard ID token claims for {@link SUBJECT}, valid now by `clock`. */
export function idTokenClaims(
  clock: FakeClock,
  overrides: Record<string, unknown> = {},
): Record<string, unknown> {
  return {
    iss: ISSUER,
    sub: SUBJECT,
    aud: CLIENT_ID,
    iat: clock.seconds,
    exp: clock.seconds + 3600,
    name: 'Ada Lovelace',
    ...overrides,
  };
}

/** An authorization response URL at the redirect URI. */
export function callbackUrl(
  params: Record<string, string>,
  mode: 'query' | 'fragment' = 'query',
): URL {
  const url = new URL(REDIRECT_URI);
  const encoded = new URLSearchParams(params).toString();
  if (mode === 'query') url.search = encoded;
  else url.hash = encoded;
  return url;
}

/** Runs `promise` and returns what it rejected with, failing when it resolves. */
export async function rejectionOf(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  throw new Error('expected the promise to reject');
}
