/**
 * `@tessera/testing/vitest`: Vitest hooks. A separate entry so that the main entry never
 * imports `vitest` (Playwright and other runners use it too).
 * @packageDocumentation
 */
import { afterAll, beforeAll } from 'vitest';
import { startTestIdp, type TestIdp, type TestIdpOptions } from './test-idp.js';

/** Options of {@link useTestIdp}. */
export interface UseTestIdpOptions {
  /** Milliseconds the start may take (default 30 000: the first start loads oidc-provider). */
  timeout?: number;
}

/**
 * Starts a dev IdP before the tests of the enclosing file or `describe` block (`beforeAll`) and
 * closes it after them (`afterAll`). Returns a stand-in for the {@link TestIdp}: use it inside
 * tests and hooks, once it has started.
 *
 * @example
 * const idp = useTestIdp({ clients: [testClient('http://127.0.0.1:4173')] });
 * it('signs in', async () => {
 *   const tokens = await acquireTestTokens(idp, { scopes: ['api://demo/read'] });
 * });
 *
 * @param options - As {@link startTestIdp}'s.
 * @param hooks - How long the start may take.
 * @throws Error when a member is read before `beforeAll` started the dev IdP, or after it closed.
 */
export function useTestIdp(options: TestIdpOptions = {}, hooks: UseTestIdpOptions = {}): TestIdp {
  let current: TestIdp | undefined;
  beforeAll(async () => {
    current = await startTestIdp(options);
  }, hooks.timeout ?? 30_000);
  afterAll(async () => {
    const idp = current;
    current = undefined;
    await idp?.close();
  });
  const running = (): TestIdp => {
    if (current === undefined) {
      throw new Error(
        'useTestIdp: the dev IdP runs from beforeAll to afterAll; use it inside tests and hooks.',
      );
    }
    return current;
  };
  // Each read goes to the dev IdP running now, so the stand-in can be captured at collection
  // time, before it exists.
  return new Proxy({} as TestIdp, {
    get: (_target, property) => Reflect.get(running(), property) as unknown,
    has: (_target, property) => Reflect.has(running(), property),
  });
}
