import { describe, expect, it } from 'vitest';
import { isAuthError } from '../src/errors/auth-error.js';
import { BLOCK_NESTED_FLOWS } from '../src/errors/error-codes.js';
import { UserAgentApplication } from '../src/user-agent-application.js';
import { FakeWindow } from './interaction/fakes.js';

/** The app as it boots in a window named by the library (its page is the redirect URI). */
function appIn(name: string, framed: boolean) {
  const win = new FakeWindow('https://app.example/');
  win.name = name;
  if (framed) win.parent = {};
  const app = new UserAgentApplication({
    auth: { clientId: 'spa', authority: 'https://idp.example' },
    system: {
      ports: {
        window: win as unknown as Window,
        fetch: () => Promise.reject(new Error('no network in this test')),
      },
    },
  });
  return { app, win };
}

const codeOf = (error: unknown) => (isAuthError(error) ? error.errorCode : String(error));

describe('the app loaded inside its own popup or hidden iframe', () => {
  it.each([
    ['a popup', 'tessera.v1.popup.abc', false],
    ['a hidden iframe', 'tessera.v1.iframe.abc', true],
  ])('in %s starts no flow: block_nested_flows', async (_where, name, framed) => {
    const { app, win } = appIn(name, framed);
    await expect(app.acquireTokenSilent({ scopes: ['api.read'] }).catch(codeOf)).resolves.toBe(
      BLOCK_NESTED_FLOWS,
    );
    await expect(app.loginPopup().catch(codeOf)).resolves.toBe(BLOCK_NESTED_FLOWS);
    await expect(app.loginRedirect().catch(codeOf)).resolves.toBe(BLOCK_NESTED_FLOWS);
    await expect(app.logout().catch(codeOf)).resolves.toBe(BLOCK_NESTED_FLOWS);
    // Nothing was opened or navigated.
    expect(win.openCalls).toEqual([]);
    expect(win.assigned).toEqual([]);
  });

  it('a main window, or a frame the library did not name, is not affected', async () => {
    for (const [name, framed] of [
      ['', false],
      ['tessera.v1.iframe.abc', false],
      ['some-frame', true],
    ] as const) {
      const { app } = appIn(name, framed);
      const code = await app.acquireTokenSilent({ scopes: ['api.read'] }).catch(codeOf);
      expect(code).toBe('no_account');
    }
  });
});
