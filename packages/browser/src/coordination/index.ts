/**
 * Coordination: one request per key inside a tab (single-flight), one refresh per account
 * across tabs (Web Locks), and cache change notices between tabs (BroadcastChannel).
 */
export type * from './types.js';
export {
  CACHE_CHANNEL_NAME,
  createCacheNotifier,
  isCacheNotice,
  type BroadcastChannelConstructor,
} from './cache-notifier.js';
export {
  createLockManager,
  InMemoryLockManager,
  LOCK_NAME_PREFIX,
  lockName,
  WebLocksLockManager,
  type LockManagerOptions,
  type WebLocks,
} from './lock-manager.js';
export { createSingleFlight, type SingleFlight } from './single-flight.js';
