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
  const n = value as { type?: unknown; homeAccountId?: unknown } | null;
  return (
    typeof n === 'object' &&
    n !== null &&
    (n.type === 'cleared' ||
      ((n.type === 'tokens_changed' || n.type === 'account_removed') &&
        typeof n.homeAccountId === 'string' &&
        n.homeAccountId !== ''))
  );
}

/** A clean copy: only the known fields cross between tabs. */
const copy = (n: CacheNotice): CacheNotice =>
  n.type === 'cleared' ? { type: n.type } : { type: n.type, homeAccountId: n.homeAccountId };

/**
 * A {@link CacheNotifier} over `BroadcastChannel`: notices reach every other tab (and every
 * other instance in this tab) of the same origin; the notifying instance's own listeners are
 * not called, as with any BroadcastChannel. Where BroadcastChannel is missing it is a no-op.
 * The channel opens on the first `notify` or `subscribe`, so creating a notifier costs nothing
 * (and holds no handle open in server-side rendering).
 */
export function createCacheNotifier(
  channelName: string = CACHE_CHANNEL_NAME,
  Channel: BroadcastChannelConstructor | undefined = typeof BroadcastChannel === 'function'
    ? BroadcastChannel
    : undefined,
  logger?: Logger,
): CacheNotifier {
  const listeners = new Set<(notice: CacheNotice) => void>();
  let channel: BroadcastChannel | undefined;
  let closed = false;
  const open = (): BroadcastChannel | undefined => {
    if (closed || channel !== undefined || Channel === undefined) return channel;
    try {
      channel = new Channel(channelName);
      channel.onmessage = ({ data }: MessageEvent) => {
        if (!isCacheNotice(data)) return;
        for (const listener of [...listeners]) {
          try {
            listener(copy(data));
          } catch {
            // One failing listener must not starve the others.
            logger?.error('A cache notice listener threw.');
          }
        }
      };
    } catch {
      logger?.warning('BroadcastChannel is unavailable; cache notices stay in this tab.');
      Channel = undefined;
    }
    return channel;
  };
  return {
    notify(notice) {
      if (!isCacheNotice(notice)) return;
      try {
        open()?.postMessage(copy(notice));
      } catch {
        logger?.warning('A cache notice could not be posted.');
      }
    },
    subscribe(listener) {
      if (closed) return () => undefined;
      listeners.add(listener);
      open();
      return () => void listeners.delete(listener);
    },
    close() {
      closed = true;
      listeners.clear();
      channel?.close();
      channel = undefined;
    },
  };
}
