import { describe, expect, it } from 'vitest';
import {
  createLockManager,
  InMemoryLockManager,
  lockName,
  WebLocksLockManager,
  type WebLocks,
} from '../../src/coordination/lock-manager.js';
import { ManualTimers, RecordingLogger, tick } from '../interaction/fakes.js';

function deferred() {
  let resolve: () => void = () => undefined;
  const promise = new Promise<void>((res) => {
    resolve = res;
  });
  return { promise, resolve };
}

/**
 * Web Locks in memory: exclusive locks granted in request order, honouring `signal` while
 * waiting (as the real API does).
 */
class FakeWebLocks implements WebLocks {
  readonly requested: string[] = [];
  readonly #tails = new Map<string, Promise<unknown>>();

  request(
    name: string,
    options: { signal?: AbortSignal },
    callback: (lock: unknown) => Promise<unknown>,
  ): Promise<unknown> {
    this.requested.push(name);
    const previous = this.#tails.get(name) ?? Promise.resolve();
    const result = new Promise<unknown>((resolve, reject) => {
      let aborted = false;
      const { signal } = options;
      signal?.addEventListener('abort', () => {
        aborted = true;
        reject(signal.reason as Error);
      });
      void previous.then(() => {
        if (aborted) return;
        callback({ name }).then(resolve, reject);
      });
    });
    const settled = result.then(
      () => undefined,
      () => undefined,
    );
    // A request that gave up releases nothing: the queue waits for the real holder only.
    this.#tails.set(name, Promise.all([previous, settled]));
    return result;
  }
}

describe('InMemoryLockManager', () => {
  it('serialises holders of the same name and releases however fn ends', async () => {
    const timers = new ManualTimers();
    const locks = new InMemoryLockManager({ timers });
    const events: string[] = [];
    const gate = deferred();

    const first = locks.runWithLock('refresh', 5_000, async () => {
      events.push('first:start');
      await gate.promise;
      events.push('first:end');
      throw new Error('first failed');
    });
    const second = locks.runWithLock('refresh', 5_000, () => {
      events.push('second');
      return Promise.resolve('second done');
    });
    const other = locks.runWithLock('other', 5_000, () => {
      events.push('other');
      return Promise.resolve('other done');
    });

    await tick();
    expect(events).toEqual(['first:start', 'other']);
    gate.resolve();
    await expect(first).rejects.toThrow('first failed');
    expect(await second).toBe('second done');
    expect(await other).toBe('other done');
    expect(events).toEqual(['first:start', 'other', 'first:end', 'second']);
    expect(timers.pending).toBe(0);
  });

  it('runs without the lock after the timeout, logging a warning', async () => {
    const timers = new ManualTimers();
    const logger = new RecordingLogger();
    const locks = new InMemoryLockManager({ timers, logger });
    const stuck = deferred();
    void locks.runWithLock('refresh', 1_000, () => stuck.promise); // a holder that never ends

    let ran = false;
    const waiter = locks.runWithLock('refresh', 1_000, () => {
      ran = true;
      return Promise.resolve('ran');
    });
    await tick();
    timers.advance(999);
    await tick();
    expect(ran).toBe(false);
    timers.advance(1);
    expect(await waiter).toBe('ran');
    expect(logger.at('warning')).toEqual([
      'Lock "tessera.v1.refresh" was not acquired within 1000 ms; running without it.',
    ]);
    stuck.resolve();
  });
});

describe('WebLocksLockManager', () => {
  it('requests a prefixed lock with an abort signal and returns fn’s result', async () => {
    const web = new FakeWebLocks();
    const locks = new WebLocksLockManager(web);
    expect(await locks.runWithLock('renew.alice', 1_000, () => Promise.resolve(42))).toBe(42);
    expect(web.requested).toEqual(['tessera.v1.renew.alice']);
  });

  it('serialises through the Web Locks queue', async () => {
    const locks = new WebLocksLockManager(new FakeWebLocks());
    const events: string[] = [];
    const gate = deferred();
    const first = locks.runWithLock('k', 5_000, async () => {
      events.push('first:start');
      await gate.promise;
      events.push('first:end');
    });
    const second = locks.runWithLock('k', 5_000, () => {
      events.push('second');
      return Promise.resolve();
    });
    await tick();
    expect(events).toEqual(['first:start']);
    gate.resolve();
    await Promise.all([first, second]);
    expect(events).toEqual(['first:start', 'first:end', 'second']);
  });

  it('passes fn’s own error through and does not run fn again', async () => {
    let runs = 0;
    const locks = new WebLocksLockManager(new FakeWebLocks());
    await expect(
      locks.runWithLock('k', 1_000, () => {
        runs += 1;
        return Promise.reject(new Error('refresh failed'));
      }),
    ).rejects.toThrow('refresh failed');
    expect(runs).toBe(1);
  });

  it('runs without the lock when it is not granted in time, logging a warning', async () => {
    const logger = new RecordingLogger();
    const web = new FakeWebLocks();
    const locks = new WebLocksLockManager(web, { logger });
    const stuck = deferred();
    void locks.runWithLock('k', 10_000, () => stuck.promise);
    const result = await locks.runWithLock('k', 20, () => Promise.resolve('unlocked'));
    expect(result).toBe('unlocked');
    expect(logger.at('warning')).toEqual([
      'Lock "tessera.v1.k" was not acquired within 20 ms; running without it.',
    ]);
    stuck.resolve();
  });

  it('runs without a lock where Web Locks are missing, logging a warning', async () => {
    const logger = new RecordingLogger();
    const locks = new WebLocksLockManager(undefined, { logger });
    expect(await locks.runWithLock('k', 1_000, () => Promise.resolve('ok'))).toBe('ok');
    expect(logger.at('warning')).toHaveLength(1);
  });
});

describe('createLockManager / lockName', () => {
  it('uses Web Locks when the window has them, else the in-memory queue', () => {
    const withLocks = { navigator: { locks: new FakeWebLocks() } } as unknown as Window;
    expect(createLockManager(withLocks)).toBeInstanceOf(WebLocksLockManager);
    const without = { navigator: {} } as unknown as Window;
    expect(createLockManager(without)).toBeInstanceOf(InMemoryLockManager);
    expect(createLockManager(undefined)).toBeInstanceOf(InMemoryLockManager);
  });

  it('prefixes once', () => {
    expect(lockName('renew.x')).toBe('tessera.v1.renew.x');
    expect(lockName('tessera.v1.renew.x')).toBe('tessera.v1.renew.x');
  });
});
