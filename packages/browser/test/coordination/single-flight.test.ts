import { describe, expect, it } from 'vitest';
import { createSingleFlight } from '../../src/coordination/single-flight.js';

function deferred<T>() {
  let resolve: (value: T) => void = () => undefined;
  let reject: (error: unknown) => void = () => undefined;
  const promise = new Promise<T>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}

describe('createSingleFlight', () => {
  it('concurrent calls with one key share a single call', async () => {
    const flight = createSingleFlight();
    const gate = deferred<string>();
    let calls = 0;
    const fn = () => {
      calls += 1;
      return gate.promise;
    };
    const a = flight.run('k', fn);
    const b = flight.run('k', fn);
    expect(a).toBe(b);
    expect(flight.has('k')).toBe(true);
    gate.resolve('token');
    expect(await Promise.all([a, b])).toEqual(['token', 'token']);
    expect(calls).toBe(1);
  });

  it('frees the key after success: the next call runs again', async () => {
    const flight = createSingleFlight();
    let calls = 0;
    const fn = () => Promise.resolve(++calls);
    expect(await flight.run('k', fn)).toBe(1);
    expect(flight.has('k')).toBe(false);
    expect(await flight.run('k', fn)).toBe(2);
  });

  it('shares a rejection with every waiter, then frees the key (no cached failure)', async () => {
    const flight = createSingleFlight();
    const gate = deferred<string>();
    const failure = new Error('network');
    const a = flight.run('k', () => gate.promise);
    const b = flight.run('k', () => Promise.resolve('never called'));
    gate.reject(failure);
    await expect(a).rejects.toBe(failure);
    await expect(b).rejects.toBe(failure);
    expect(flight.has('k')).toBe(false);
    expect(await flight.run('k', () => Promise.resolve('recovered'))).toBe('recovered');
  });

  it('different keys run independently', async () => {
    const flight = createSingleFlight();
    let calls = 0;
    const fn = () => Promise.resolve(++calls);
    const results = await Promise.all([flight.run('a', fn), flight.run('b', fn)]);
    expect(results.sort()).toEqual([1, 2]);
  });

  it('turns a synchronous throw into a shared rejection', async () => {
    const flight = createSingleFlight();
    const failure = new Error('sync');
    await expect(
      flight.run('k', () => {
        throw failure;
      }),
    ).rejects.toBe(failure);
    expect(flight.has('k')).toBe(false);
  });
});
