import type { Logger } from '../logger.js';
import type { CacheNotice, CacheNotifier } from './types.js';

/** Default channel of cache notices, versioned like storage keys and lock names. */
export const CACHE_CHANNEL_NAME = 'tessera.v1.cache';

/** A `BroadcastChannel` constructor, injectable for tests and absent in old browsers. */
export type BroadcastChannelConstructor = new (name: string) => BroadcastChannel;

/**
 * True when `value` is a well-formed {@link CacheNotice}. Notices come from other tabs, which
 * may run another version of the app, so every one is checked before listeners see it.
 */
export function isCacheNotice(value: unknown): value is CacheNotice {
  if (typeof value !== 'object' || value === null) return false;
  const notice = value as { type?: unknown; homeAccountId?: unknown };
  switch (notice.type) {
    case 'tokens_changed':
    case 'account_removed':
      return typeof notice.homeAccountId === 'string' && notice.homeAccountId !== '';
    case 'cleared':
      return true;
    default:
      return false;
  }
}

/**
 * A {@link CacheNotifier} over `BroadcastChannel`: notices reach every other tab (and every
 * other instance in this tab) of the same origin; the notifying instance's own listeners are
 * not called, as with any BroadcastChannel. Where BroadcastChannel is missing it is a no-op, so
 * tabs just see changes on their next cache read.
 *
 * The channel opens lazily on the first `notify` or `subscribe`, so creating a notifier costs
 * nothing (and holds no handle open in server-side rendering).
 *
 * @param channelName - default {@link CACHE_CHANNEL_NAME}.
 * @param BroadcastChannelCtor - default the global `BroadcastChannel`, when there is one.
 * @param logger - receives listener failures and channel errors.
 */
export function createCacheNotifier(
  channelName: string = CACHE_CHANNEL_NAME,
  BroadcastChannelCtor: BroadcastChannelConstructor | undefined = globalBroadcastChannel(),
  logger?: Logger,
): CacheNotifier {
  const listeners = new Set<(notice: CacheNotice) => void>();
  let channel: BroadcastChannel | undefined;
  let closed = false;

  const onMessage = (event: MessageEvent): void => {
    const data: unknown = event.data;
    if (!isCacheNotice(data)) {
      logger?.verbose('Ignored a malformed cache notice.');
      return;
    }
    const notice = copyNotice(data);
    for (const listener of [...listeners]) {
      try {
        listener(notice);
      } catch {
        // One failing listener must not starve the others.
        logger?.error('A cache notice listener threw.');
      }
    }
  };

  const open = (): BroadcastChannel | undefined => {
    if (closed || BroadcastChannelCtor === undefined) return undefined;
    if (channel === undefined) {
      try {
        channel = new BroadcastChannelCtor(channelName);
        channel.addEventListener('message', onMessage);
      } catch {
        logger?.warning('BroadcastChannel is unavailable; cache notices stay in this tab.');
        BroadcastChannelCtor = undefined;
        return undefined;
      }
    }
    return channel;
  };

  return {
    notify(notice: CacheNotice): void {
      if (!isCacheNotice(notice)) return;
      try {
        // Post a clean copy: only the known fields cross to other tabs.
        open()?.postMessage(copyNotice(notice));
      } catch {
        logger?.warning('A cache notice could not be posted.');
      }
    },
    subscribe(listener: (notice: CacheNotice) => void): () => void {
      if (closed) return () => undefined;
      listeners.add(listener);
      open();
      return () => {
        listeners.delete(listener);
      };
    },
    close(): void {
      closed = true;
      listeners.clear();
      if (channel !== undefined) {
        channel.removeEventListener('message', onMessage);
        channel.close();
        channel = undefined;
      }
    },
  };
}

function copyNotice(notice: CacheNotice): CacheNotice {
  return notice.type === 'cleared'
    ? { type: 'cleared' }
    : { type: notice.type, homeAccountId: notice.homeAccountId };
}

function globalBroadcastChannel(): BroadcastChannelConstructor | undefined {
  const candidate: unknown = globalThis.BroadcastChannel;
  return typeof candidate === 'function' ? (candidate as BroadcastChannelConstructor) : undefined;
}
