// useTestIdp from @tessera/testing/vitest: the dev IdP runs from beforeAll to afterAll of its
// block, and the stand-in it returns works wherever a TestIdp does.
import { describe, expect, it } from 'vitest';
import { acquireTestTokens, testClient } from '../src/index.js';
import { useTestIdp } from '../src/vitest.js';

let issuer = '';
let earlyRead: unknown;

describe('useTestIdp in a describe block', () => {
  const idp = useTestIdp(
    { clients: [testClient('http://127.0.0.1:5173', 'hooks-spa')], autoLogin: { username: 'bob' } },
    { timeout: 30_000 },
  );
  // Read at collection time, before beforeAll ran: the stand-in says when it can be used.
  try {
    earlyRead = idp.issuer;
  } catch (error) {
    earlyRead = error;
  }

  it('refuses use before beforeAll', () => {
    expect(earlyRead).toBeInstanceOf(Error);
    expect((earlyRead as Error).message).toContain('runs from beforeAll to afterAll');
  });

  it('starts the dev IdP with the given options and the kit defaults', async () => {
    issuer = idp.issuer;
    expect(issuer).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(idp.clientId).toBe('hooks-spa');
    const tokens = await acquireTestTokens(idp, { scopes: ['api://demo/read'] });
    expect(tokens.idTokenClaims.preferred_username).toBe('bob');
    expect(tokens.clientId).toBe('hooks-spa');
  }, 30_000);
});

it('closes the dev IdP after the block', async () => {
  expect(issuer).not.toBe('');
  await expect(fetch(`${issuer}/.well-known/openid-configuration`)).rejects.toThrow();
});
