/**
 * Side effects go through these ports. The defaults are the real browser APIs; unit tests
 * pass fakes instead of patching globals.
 */

/** Wall-clock time in milliseconds since the epoch. */
export interface Clock {
  now(): number;
}

/** Timers, so tests can drive timeouts without waiting. */
export interface Timers {
  setTimeout(callback: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
  setInterval(callback: () => void, ms: number): unknown;
  clearInterval(handle: unknown): void;
}

/** The subset of `fetch` the library uses. */
export type FetchLike = (input: string | URL | Request, init?: RequestInit) => Promise<Response>;

/** The injectable seams, all optional in configuration. */
export interface Ports {
  fetch: FetchLike;
  clock: Clock;
  timers: Timers;
  /** Fills the array with cryptographically strong random bytes. */
  getRandomValues: <T extends Uint8Array>(array: T) => T;
  /** The window the library lives in (popups, iframes, redirects, storage). */
  window: Window | undefined;
}

export const systemClock: Clock = { now: () => Date.now() };

export const systemTimers: Timers = {
  setTimeout: (cb, ms) => globalThis.setTimeout(cb, ms),
  clearTimeout: (h) => globalThis.clearTimeout(h as ReturnType<typeof setTimeout>),
  setInterval: (cb, ms) => globalThis.setInterval(cb, ms),
  clearInterval: (h) => globalThis.clearInterval(h as ReturnType<typeof setInterval>),
};

/** The real browser ports, filled in where the caller gave none. */
export function resolvePorts(overrides: Partial<Ports> = {}): Ports {
  return {
    // Bind: calling an unbound `fetch` throws "Illegal invocation" in browsers.
    fetch: overrides.fetch ?? ((input, init) => globalThis.fetch(input, init)),
    clock: overrides.clock ?? systemClock,
    timers: overrides.timers ?? systemTimers,
    getRandomValues: overrides.getRandomValues ?? ((a) => globalThis.crypto.getRandomValues(a)),
    window: 'window' in overrides ? overrides.window : globalThis.window,
  };
}
