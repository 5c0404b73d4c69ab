import { afterEach, describe, expect, it } from 'vitest';
import { createCacheNotifier, isCacheNotice } from '../../src/coordination/cache-notifier.js';
import type { CacheNotice, CacheNotifier } from '../../src/coordination/types.js';
import { tick } from '../interaction/fakes.js';

const open: CacheNotifier[] = [];
function notifier(channel: string): CacheNotifier {
  const created = createCacheNotifier(channel);
  open.push(created);
  return created;
}
afterEach(() => {
  for (const n of open.splice(0)) n.close();
});

describe('createCacheNotifier', () => {
  it('delivers notices between two instances, not back to the sender', async () => {
    const a = notifier('test.cache.1');
    const b = notifier('test.cache.1');
    const atA: CacheNotice[] = [];
    const atB: CacheNotice[] = [];
    a.subscribe((n) => atA.push(n));
    b.subscribe((n) => atB.push(n));

    a.notify({ type: 'tokens_changed', homeAccountId: 'alice' });
    b.notify({ type: 'cleared' });
    await tick(30);

    expect(atB).toEqual([{ type: 'tokens_changed', homeAccountId: 'alice' }]);
    expect(atA).toEqual([{ type: 'cleared' }]);
  });

  it('ignores malformed notices from other tabs', async () => {
    const b = notifier('test.cache.2');
    const received: CacheNotice[] = [];
    b.subscribe((n) => received.push(n));
    const foreign = new BroadcastChannel('test.cache.2');
    foreign.postMessage({ type: 'tokens_changed' });
    foreign.postMessage({ type: 'unknown', homeAccountId: 'x' });
    foreign.postMessage('cleared');
    foreign.postMessage({ type: 'account_removed', homeAccountId: 'bob', extra: 'dropped' });
    foreign.close();
    await tick(30);
    expect(received).toEqual([{ type: 'account_removed', homeAccountId: 'bob' }]);
  });

  it('unsubscribe and close stop delivery; a throwing listener does not starve others', async () => {
    const a = notifier('test.cache.3');
    const b = notifier('test.cache.3');
    const received: CacheNotice[] = [];
    b.subscribe(() => {
      throw new Error('listener bug');
    });
    const unsubscribe = b.subscribe((n) => received.push(n));
    a.notify({ type: 'cleared' });
    await tick(30);
    expect(received).toHaveLength(1);

    unsubscribe();
    a.notify({ type: 'cleared' });
    await tick(30);
    expect(received).toHaveLength(1);

    b.close();
    const late: CacheNotice[] = [];
    b.subscribe((n) => late.push(n));
    a.notify({ type: 'cleared' });
    await tick(30);
    expect(late).toEqual([]);
  });

  it('is a no-op without BroadcastChannel', () => {
    const n = createCacheNotifier('x', undefined);
    const unsubscribe = n.subscribe(() => undefined);
    expect(() => n.notify({ type: 'cleared' })).not.toThrow();
    unsubscribe();
    n.close();
  });
});

describe('isCacheNotice', () => {
  it('accepts exactly the notice shapes', () => {
    expect(isCacheNotice({ type: 'cleared' })).toBe(true);
    expect(isCacheNotice({ type: 'tokens_changed', homeAccountId: 'a' })).toBe(true);
    expect(isCacheNotice({ type: 'account_removed', homeAccountId: '' })).toBe(false);
    expect(isCacheNotice({ type: 'tokens_changed', homeAccountId: 1 })).toBe(false);
    expect(isCacheNotice(null)).toBe(false);
  });
});
