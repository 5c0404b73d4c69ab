// The measurement page, the same for every library: it builds the library's adapter from the
// values the bench injected (pageEnv().bench) and exposes `window.bench` for the driver. The
// timed loops run here, in the page, so no driver round trip is inside a measurement.
import { pageEnv } from '../../e2e/harness/page-env.js';
import type { CreatePeer, Peer, PeerEnv } from '../peers/types.js';

export interface Settled {
  ok: number;
  failed: number;
  /** Distinct error messages (first few). */
  errors: string[];
}

export interface ColdStart {
  ok: boolean;
  /** performance.now() when the first token arrived: navigation start → token. */
  loadToTokenMs: number;
  /** From the start of the page script to the token. */
  scriptToTokenMs: number;
  error?: string;
}

export interface BenchApi {
  /** Resolves once a redirect sign-in this page is the target of has been completed. */
  readonly ready: Promise<void>;
  readonly interaction: Peer['interaction'];
  signedIn: boolean;
  crossOriginIsolated: boolean;
  /** Set on `?cold` pages: the first token, requested as soon as the script runs. */
  cold: Promise<ColdStart> | undefined;
  signIn(scopes: string[]): Promise<void>;
  getToken(scopes?: string[]): Promise<string>;
  forceRefresh(): Promise<Settled>;
  /** Per-call durations in µs of `calls` sequential cached calls after `warmup` untimed ones. */
  timeSilent(warmup: number, calls: number): Promise<number[]>;
  concurrent(calls: number): Promise<Settled>;
  /** `total` calls round-robin over `scopeSets`, one at a time. */
  acquireMany(scopeSets: string[][], total: number): Promise<Settled>;
  /** Another tab's `fire()` (BroadcastChannel) makes this tab call `calls` times at once. */
  arm(calls: number): void;
  armed: Promise<Settled> | undefined;
  fire(calls: number): Promise<Settled>;
}

declare global {
  interface Window {
    bench: BenchApi;
  }
}

const scriptStart = performance.now();
/** Prefix of the console line that carries a cold start's result to the driver. */
export const COLD_REPORT = 'bench-cold ';
const GO_CHANNEL = 'bench-go';

function describe(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  // Class names do not survive minification; libraries' codes and OAuth error fields do.
  const {
    errorCode,
    code,
    error: oauthError,
  } = error as {
    errorCode?: unknown;
    code?: unknown;
    error?: unknown;
  };
  const tag = [errorCode, code, oauthError].find((part) => typeof part === 'string');
  return typeof tag === 'string' && !error.message.startsWith(tag)
    ? `${tag}: ${error.message}`
    : error.message;
}

async function settle(calls: Promise<unknown>[]): Promise<Settled> {
  const results = await Promise.allSettled(calls);
  const errors = new Set<string>();
  let ok = 0;
  for (const result of results) {
    if (result.status === 'fulfilled') ok += 1;
    else errors.add(describe(result.reason));
  }
  return { ok, failed: results.length - ok, errors: [...errors].slice(0, 3) };
}

function api(peer: Peer): BenchApi {
  const many = (calls: number) => settle(Array.from({ length: calls }, () => peer.getToken()));
  const bench: BenchApi = {
    ready: peer.handleRedirect().then((completed) => {
      if (completed) bench.signedIn = true;
    }),
    interaction: peer.interaction,
    signedIn: false,
    crossOriginIsolated,
    cold: undefined,
    async signIn(scopes) {
      await peer.signIn(scopes);
      bench.signedIn = true;
    },
    getToken: (scopes) => peer.getToken(scopes),
    forceRefresh: () => settle([peer.forceRefresh()]),
    async timeSilent(warmup, calls) {
      // performance.now() has 5 µs resolution only in a cross-origin isolated page (100 µs
      // otherwise), too coarse to time one call.
      if (!crossOriginIsolated) throw new Error('page is not cross-origin isolated');
      for (let i = 0; i < warmup; i += 1) await peer.getToken();
      const samples = new Array<number>(calls);
      for (let i = 0; i < calls; i += 1) {
        const start = performance.now();
        await peer.getToken();
        samples[i] = (performance.now() - start) * 1000;
      }
      return samples;
    },
    concurrent: many,
    async acquireMany(scopeSets, total) {
      let ok = 0;
      const errors = new Set<string>();
      for (let i = 0; i < total; i += 1) {
        try {
          await peer.getToken(scopeSets[i % scopeSets.length]);
          ok += 1;
        } catch (error) {
          errors.add(describe(error));
        }
      }
      return { ok, failed: total - ok, errors: [...errors].slice(0, 3) };
    },
    arm(calls) {
      const channel = new BroadcastChannel(GO_CHANNEL);
      bench.armed = new Promise<void>((resolve) => {
        channel.onmessage = () => {
          channel.close();
          resolve();
        };
      }).then(() => many(calls));
    },
    armed: undefined,
    fire(calls) {
      const channel = new BroadcastChannel(GO_CHANNEL);
      channel.postMessage('go');
      channel.close();
      return many(calls);
    },
  };
  return bench;
}

/** The whole script of a measurement page for one library. */
export function startPage(create: CreatePeer): void {
  const env = pageEnv()['bench'] as PeerEnv;
  const peer = create(env);
  const bench = api(peer);
  window.bench = bench;
  if (new URLSearchParams(location.search).has('cold')) {
    bench.cold = peer.getToken().then(
      (): ColdStart => {
        const now = performance.now();
        return { ok: true, loadToTokenMs: now, scriptToTokenMs: now - scriptStart };
      },
      (error: unknown): ColdStart => ({
        ok: false,
        loadToTokenMs: NaN,
        scriptToTokenMs: NaN,
        error: describe(error),
      }),
    );
    // The driver reads the result from the console: evaluating anything in the page while it
    // starts would make Playwright inject its script there, which holds the main thread ~10 ms
    // in the middle of whatever the library is doing.
    void bench.cold.then((result) => console.log(`${COLD_REPORT}${JSON.stringify(result)}`));
  }
}
