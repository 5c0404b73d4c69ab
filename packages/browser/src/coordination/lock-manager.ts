import type { Logger } from '../logger.js';
import { systemTimers, type Timers } from '../ports.js';
import type { LockManager } from './types.js';

/** Prefix of every lock name, versioned like storage keys and channel names. */
export const LOCK_NAME_PREFIX = 'tessera.v1.';

/** `name` with the {@link LOCK_NAME_PREFIX} (added once). */
export function lockName(name: string): string {
  return name.startsWith(LOCK_NAME_PREFIX) ? name : `${LOCK_NAME_PREFIX}${name}`;
}

/**
 * The part of the Web Locks API (`navigator.locks`) used here; the browser's object fits it.
 *
 * @see https://w3c.github.io/web-locks/
 */
export interface WebLocks {
  request(
    name: string,
    options: { signal?: AbortSignal; ifAvailable?: boolean },
    callback: (lock: unknown) => Promise<unknown>,
  ): Promise<unknown>;
}

/** Options of the lock managers. */
export interface LockManagerOptions {
  /** Receives the warning when a lock is skipped. */
  logger?: Logger | undefined;
  /** Timers for {@link InMemoryLockManager}'s acquisition timeout. */
  timers?: Timers | undefined;
}

/**
 * A {@link LockManager} across all tabs of the origin, on the Web Locks API: a refresh in one
 * tab makes the others wait, then re-read the cache instead of spending the (rotating)
 * refresh token a second time.
 *
 * Acquisition is bounded with `AbortSignal.timeout(timeoutMs)`. When the lock is not granted in
 * time, or Web Locks are missing (insecure context, old browser) or refuse the request, `fn`
 * runs without the lock and a warning is logged: a stuck holder (a frozen tab) must never hang
 * the app, and callers re-read the cache before using the network. Once granted the lock is
 * held until `fn` settles, and released however it ends.
 */
export class WebLocksLockManager implements LockManager {
  readonly #locks: WebLocks | undefined;
  readonly #logger: Logger | undefined;

  /**
   * @param locks - `navigator.locks`, or undefined where the browser has none.
   */
  constructor(locks: WebLocks | undefined, options: LockManagerOptions = {}) {
    this.#locks = locks;
    this.#logger = options.logger;
  }

  /** {@inheritDoc LockManager.runWithLock} */
  async runWithLock<T>(name: string, timeoutMs: number, fn: () => Promise<T>): Promise<T> {
    const fullName = lockName(name);
    if (this.#locks === undefined) {
      this.#logger?.warning(`Web Locks are unavailable; running "${fullName}" without a lock.`);
      return fn();
    }
    let granted = false;
    try {
      return (await this.#locks.request(
        fullName,
        { signal: AbortSignal.timeout(timeoutMs) },
        async () => {
          granted = true;
          return fn();
        },
      )) as T;
    } catch (error) {
      // Once granted, the error is `fn`'s own: pass it on. Before that, the request timed out
      // or was refused, and the work must still happen.
      if (granted) throw error;
      this.#logger?.warning(
        `Lock "${fullName}" was not acquired within ${timeoutMs} ms; running without it.`,
      );
      return fn();
    }
  }
}

/**
 * A {@link LockManager} inside this tab only: a promise queue per lock name. Used where Web
 * Locks are missing, and in tests. Same timeout rule as {@link WebLocksLockManager}: a waiter
 * that is not first within `timeoutMs` runs without the lock (logging a warning) and still
 * counts as a holder for those queued behind it, so they never overlap with it.
 */
export class InMemoryLockManager implements LockManager {
  readonly #tails = new Map<string, Promise<void>>();
  readonly #timers: Timers;
  readonly #logger: Logger | undefined;

  constructor(options: LockManagerOptions = {}) {
    this.#timers = options.timers ?? systemTimers;
    this.#logger = options.logger;
  }

  /** {@inheritDoc LockManager.runWithLock} */
  async runWithLock<T>(name: string, timeoutMs: number, fn: () => Promise<T>): Promise<T> {
    const fullName = lockName(name);
    const previous = this.#tails.get(fullName) ?? Promise.resolve();
    let release: () => void = () => undefined;
    const mine = new Promise<void>((resolve) => {
      release = resolve;
    });
    // The queue only ever resolves: `mine` is released in `finally` below.
    const tail = previous.then(() => mine);
    this.#tails.set(fullName, tail);
    try {
      const acquired = await this.#waitFor(previous, timeoutMs);
      if (!acquired) {
        this.#logger?.warning(
          `Lock "${fullName}" was not acquired within ${timeoutMs} ms; running without it.`,
        );
      }
      return await fn();
    } finally {
      release();
      if (this.#tails.get(fullName) === tail) this.#tails.delete(fullName);
    }
  }

  /** Resolves true when `previous` settles first, false when `timeoutMs` passes first. */
  #waitFor(previous: Promise<void>, timeoutMs: number): Promise<boolean> {
    return new Promise<boolean>((resolve) => {
      const timer = this.#timers.setTimeout(() => resolve(false), timeoutMs);
      void previous.then(() => {
        this.#timers.clearTimeout(timer);
        resolve(true);
      });
    });
  }
}

/**
 * The best {@link LockManager} for `win`: {@link WebLocksLockManager} when `navigator.locks`
 * exists (cross-tab), else {@link InMemoryLockManager} (this tab only).
 */
export function createLockManager(
  win: Window | undefined = globalThis.window,
  options: LockManagerOptions = {},
): LockManager {
  const locks = readLocks(win);
  return locks !== undefined
    ? new WebLocksLockManager(locks, options)
    : new InMemoryLockManager(options);
}

/** The window's Web Locks, or undefined where they are missing or blocked. */
export function readLocks(win: Window | undefined): WebLocks | undefined {
  try {
    const locks: unknown = win?.navigator?.locks;
    return typeof locks === 'object' &&
      locks !== null &&
      typeof (locks as { request?: unknown }).request === 'function'
      ? (locks as WebLocks)
      : undefined;
  } catch {
    return undefined;
  }
}
