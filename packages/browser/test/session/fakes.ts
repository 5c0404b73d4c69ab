import { createMemoryStore } from '../../src/cache/storage.js';
import { createTokenCache } from '../../src/cache/token-cache.js';
import { resolveConfiguration, type SystemOptions } from '../../src/config.js';
import { createCacheNotifier } from '../../src/coordination/cache-notifier.js';
import { createSingleFlight } from '../../src/coordination/single-flight.js';
import { EventHub, type AnyAuthEvent } from '../../src/events.js';
import type { FlowContext } from '../../src/flows/context.js';
import { createInteractionLock } from '../../src/interaction/interaction-lock.js';
import { silentLogger } from '../../src/logger.js';
import type { Timers } from '../../src/ports.js';
import { FakeWindow } from '../interaction/fakes.js';

/** Timers and a clock the test moves by hand: `advance(ms)` runs what falls due, in order. */
export function manualTime(start = 1_700_000_000_000) {
  let now = start;
  let nextId = 1;
  const due = new Map<number, { at: number; fn: () => void; every?: number }>();
  const timers: Timers = {
    setTimeout: (fn, ms) => (due.set(nextId, { at: now + ms, fn }), nextId++),
    clearTimeout: (id) => void due.delete(id as number),
    setInterval: (fn, ms) => (due.set(nextId, { at: now + ms, fn, every: ms }), nextId++),
    clearInterval: (id) => void due.delete(id as number),
  };
  return {
    clock: { now: () => now },
    timers,
    pending: () => due.size,
    advance(ms: number) {
      const end = now + ms;
      for (;;) {
        const next = [...due.entries()].sort((a, b) => a[1].at - b[1].at)[0];
        if (next === undefined || next[1].at > end) break;
        const [id, timer] = next;
        now = timer.at;
        if (timer.every === undefined) due.delete(id);
        else timer.at += timer.every;
        timer.fn();
      }
      now = end;
    },
  };
}

/** A flow context over a fake window and memory stores, with every event recorded. */
export function sessionContext(system: SystemOptions, time = manualTime()) {
  const win = new FakeWindow('https://app.example/');
  const config = resolveConfiguration(
    { auth: { clientId: 'spa', authority: 'https://idp.example' }, system },
    'https://app.example/',
  );
  const events: AnyAuthEvent[] = [];
  const hub = new EventHub(silentLogger, time.clock.now);
  hub.add((event) => events.push(event));
  const ctx: FlowContext = {
    config,
    ports: {
      fetch: () => Promise.reject(new Error('no network in this test')),
      clock: time.clock,
      timers: time.timers,
      getRandomValues: (a) => globalThis.crypto.getRandomValues(a),
      window: win as unknown as Window,
    },
    logger: silentLogger,
    cache: createTokenCache(createMemoryStore(), {
      clientId: 'spa',
      clock: time.clock,
      logger: silentLogger,
    }),
    store: createMemoryStore(),
    session: createMemoryStore(),
    events: hub,
    singleFlight: createSingleFlight(),
    notifier: createCacheNotifier('test', undefined),
    interactions: createInteractionLock(),
    generation: 0,
    ended: new Set(),
    navigationClient: undefined,
  };
  return { ctx, win, time, events };
}
