/** Runs work under a named lock, in this tab or across tabs. */
export interface LockManager {
  /**
   * Runs `fn` while holding `name`. If the lock is not acquired within `timeoutMs`, `fn` runs
   * without it: a stuck holder must never hang the app, and callers re-read the cache first.
   * The lock is released however `fn` ends.
   */
  runWithLock<T>(name: string, timeoutMs: number, fn: () => Promise<T>): Promise<T>;
}

/** A change another tab (or this one) made to the shared cache. */
export type CacheNotice =
  | { type: 'tokens_changed'; homeAccountId: string }
  | { type: 'account_removed'; homeAccountId: string }
  | { type: 'cleared' };

/** Fans cache changes out to the app's other tabs. */
export interface CacheNotifier {
  notify(notice: CacheNotice): void;
  /** Returns the unsubscribe function. */
  subscribe(listener: (notice: CacheNotice) => void): () => void;
  close(): void;
}
