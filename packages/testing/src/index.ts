/**
 * `@tessera/testing`: test your app on `@tessera/browser`, `@tessera/angular` or
 * `@tessera/react` without a cloud tenant — the dev IdP in one call ({@link startTestIdp}), real
 * tokens from it in Node ({@link acquireTestTokens}), a signed-in session put straight into a
 * Playwright browser ({@link signIn}), and a fake client for unit tests
 * ({@link createFakeClient}, also at `@tessera/testing/fake`). Vitest hooks are at
 * `@tessera/testing/vitest`.
 * @packageDocumentation
 */
export {
  startTestIdp,
  testClient,
  type TestClientConfigOptions,
  type TestIdp,
  type TestIdpOptions,
} from './test-idp.js';
export { acquireTestTokens, type TestTokenRequest, type TestTokens } from './tokens.js';
export {
  sessionEntries,
  signIn,
  type InitScriptTarget,
  type SessionEntriesOptions,
  type SignedInSession,
  type SignInOptions,
  type StorageEntry,
} from './session.js';
export * from './fake.js';
