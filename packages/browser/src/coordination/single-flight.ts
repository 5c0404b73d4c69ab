/**
 * Shares one in-flight promise per key inside a tab, so concurrent identical requests (ten
 * components asking for the same token at startup) cause one network round trip.
 */
export interface SingleFlight {
  /**
   * Runs `fn` unless a call with the same `key` is in flight, in which case it returns that
   * call's promise. Once the promise settles the key is free again: results are shared, never
   * cached (caching is the token cache's job), and a rejection reaches every waiter of that
   * flight but not the next caller. Callers sharing a key must expect the same result type.
   */
  run<T>(key: string, fn: () => Promise<T>): Promise<T>;
  /** True while a call with `key` is in flight. */
  has(key: string): boolean;
}

/** Creates an in-memory {@link SingleFlight}. */
export function createSingleFlight(): SingleFlight {
  const inFlight = new Map<string, Promise<unknown>>();
  return {
    run<T>(key: string, fn: () => Promise<T>): Promise<T> {
      const existing = inFlight.get(key);
      if (existing !== undefined) return existing as Promise<T>;
      // Wrapping turns a synchronous throw of `fn` into a rejection shared like any other.
      const flight = (async () => fn())();
      inFlight.set(key, flight);
      const free = (): void => {
        if (inFlight.get(key) === flight) inFlight.delete(key);
      };
      // Both handlers: a `finally` chain would re-reject and surface as unhandled.
      flight.then(free, free);
      return flight;
    },
    has(key: string): boolean {
      return inFlight.has(key);
    },
  };
}
