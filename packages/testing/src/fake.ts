/**
 * `@tessera/testing/fake`: the fake client alone, with no Node.js or dev IdP code, for test
 * runners that run in a browser (Karma, Vitest browser mode, Web Test Runner).
 * @packageDocumentation
 */
export {
  asApplication,
  createFakeClient,
  FakeClient,
  type FakeCall,
  type FakeClientOptions,
  type FakeFailingMethod,
  type FakeRecordedMethod,
  type FakeTokenContext,
  type FakeTokenFactory,
  type TesseraClient,
} from './fake/fake-client.js';
export {
  createFakeAccount,
  fakeIdToken,
  FAKE_CLIENT_ID,
  FAKE_ISSUER,
  type FakeAccountInit,
} from './fake/account.js';
