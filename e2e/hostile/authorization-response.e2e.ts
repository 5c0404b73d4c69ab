// Hostile authorization responses: what the provider sends back to the redirect URI. Popup flows
// complete through the callback page, redirect flows through the app itself.
// HOSTILE_DEFECTS=1 also runs the cases skipped as library defects.
import { describe, expect, it } from 'vitest';
import {
  assertInvariants,
  hostileText,
  popup,
  redirectFlow,
  signIn,
  snapshot,
} from './invariants.js';
import type { AuthorizeContext } from './provider.js';
import { countCheck, hostileCase, useHostileSuite } from './support.js';

const suite = useHostileSuite('authorization-response');

const stateOf = (ctx: AuthorizeContext): string => ctx.query.get('state') ?? '';

describe('state', () => {
  hostileCase('a wrong state (redirect): refused, the genuine request stays pending', async () => {
    const c = await suite.open();
    const session = await signIn(c);
    suite.provider.script.authorize = (ctx) =>
      ctx.respond({ code: ctx.code, state: 'forged-state-value', iss: ctx.issuer });
    const before = await snapshot(c);
    const outcome = await redirectFlow(c);
    await assertInvariants(before, outcome, {
      error: { code: 'state_mismatch', name: 'ClientAuthError' },
      requests: { authorize: 1 },
      transaction: 'kept',
      session,
    });
  });

  hostileCase('a missing state (redirect): refused, the code leaves the address bar', async () => {
    const c = await suite.open();
    const session = await signIn(c);
    suite.provider.script.authorize = (ctx) => ctx.respond({ code: ctx.code, iss: ctx.issuer });
    const before = await snapshot(c);
    const outcome = await redirectFlow(c);
    await assertInvariants(before, outcome, {
      error: { code: 'state_mismatch', name: 'ClientAuthError' },
      requests: { authorize: 1 },
      transaction: 'kept',
      session,
    });
  });

  hostileCase('an error response without state (redirect): reported, not ignored', async () => {
    const c = await suite.open();
    suite.provider.script.authorize = (ctx) =>
      ctx.respond({ error: 'access_denied', iss: ctx.issuer });
    const before = await snapshot(c);
    const outcome = await redirectFlow(c);
    await assertInvariants(before, outcome, {
      error: { code: 'state_mismatch', name: 'ClientAuthError' },
      requests: { authorize: 1 },
      transaction: 'kept',
    });
  });

  hostileCase('an empty state (redirect): refused', async () => {
    const c = await suite.open();
    suite.provider.script.authorize = (ctx) =>
      ctx.respond({ code: ctx.code, state: '', iss: ctx.issuer });
    const before = await snapshot(c);
    const outcome = await redirectFlow(c);
    await assertInvariants(before, outcome, {
      error: { code: 'state_mismatch', name: 'ClientAuthError' },
      requests: { authorize: 1 },
      transaction: 'kept',
    });
  });

  hostileCase('a malformed state (key separators, dot-segments): refused', async () => {
    const c = await suite.open();
    suite.provider.script.authorize = (ctx) =>
      ctx.respond({
        code: ctx.code,
        state: `${stateOf(ctx)}|other-client|%2e%2e/../${stateOf(ctx)} `,
        iss: ctx.issuer,
      });
    const before = await snapshot(c);
    const outcome = await redirectFlow(c);
    await assertInvariants(before, outcome, {
      error: { code: 'state_mismatch', name: 'ClientAuthError' },
      requests: { authorize: 1 },
      transaction: 'kept',
    });
  });

  hostileCase(
    "another pending request's state (redirect): refused, that request untouched",
    async () => {
      const c = await suite.open();
      suite.provider.script.authorize = (ctx) =>
        ctx.respond({ code: ctx.code, state: 'bystander-own', iss: ctx.issuer });
      const before = await snapshot(c);
      const outcome = await redirectFlow(c);
      await assertInvariants(before, outcome, {
        error: { code: 'state_mismatch', name: 'ClientAuthError' },
        requests: { authorize: 1 },
        transaction: 'kept',
      });
    },
  );

  hostileCase('a replayed state and code of a finished sign-in: refused', async () => {
    const c = await suite.open();
    const session = await signIn(c);
    const used = suite.provider.authorizeRequests().at(-1)!;
    suite.provider.script.authorize = (ctx) =>
      ctx.respond({ code: used.code ?? '', state: used.query.get('state') ?? '', iss: ctx.issuer });
    const before = await snapshot(c);
    const outcome = await redirectFlow(c);
    await assertInvariants(before, outcome, {
      error: { code: 'state_mismatch', name: 'ClientAuthError' },
      requests: { authorize: 1 },
      transaction: 'kept',
      session,
    });
  });

  hostileCase('a repeated state parameter: refused', async () => {
    const c = await suite.open();
    suite.provider.script.authorize = (ctx) =>
      ctx.respond({ code: ctx.code, state: [stateOf(ctx), stateOf(ctx)], iss: ctx.issuer });
    const before = await snapshot(c);
    const outcome = await popup(c);
    await assertInvariants(before, outcome, {
      error: { code: 'state_mismatch', name: 'ClientAuthError' },
      requests: { authorize: 1 },
    });
  });

  // In the fragment: the test's static server, not the library, refuses URLs over 16 KB.
  hostileCase('an oversize state (128 KB, redirect): refused', async () => {
    const c = await suite.open();
    suite.provider.script.authorize = (ctx) =>
      ctx.respond(
        { code: ctx.code, state: stateOf(ctx).repeat(3000), iss: ctx.issuer },
        'fragment',
      );
    const before = await snapshot(c);
    const outcome = await redirectFlow(c);
    await assertInvariants(before, outcome, {
      error: { code: 'state_mismatch', name: 'ClientAuthError' },
      requests: { authorize: 1 },
      transaction: 'kept',
    });
  });
});

describe('iss (RFC 9207)', () => {
  hostileCase('an iss of another issuer: refused before the code is used', async () => {
    const c = await suite.open();
    suite.provider.script.authorize = (ctx) =>
      ctx.respond({ code: ctx.code, state: stateOf(ctx), iss: 'http://127.0.0.1:9/evil' });
    const before = await snapshot(c);
    const outcome = await popup(c);
    await assertInvariants(before, outcome, {
      error: { code: 'issuer_mismatch', name: 'ClientAuthError' },
      requests: { authorize: 1 },
    });
  });

  hostileCase('no iss although the provider advertises it: refused', async () => {
    const c = await suite.open();
    const session = await signIn(c);
    suite.provider.script.authorize = (ctx) => ctx.respond({ code: ctx.code, state: stateOf(ctx) });
    const before = await snapshot(c);
    const outcome = await popup(c);
    await assertInvariants(before, outcome, {
      error: { code: 'issuer_mismatch', name: 'ClientAuthError' },
      requests: { authorize: 1 },
      session,
    });
  });

  hostileCase('a wrong iss from a provider that does not advertise it: refused', async () => {
    const c = await suite.open();
    suite.provider.script.discovery = (doc) => ({
      ...doc,
      authorization_response_iss_parameter_supported: false,
    });
    suite.provider.script.authorize = (ctx) =>
      ctx.respond({ code: ctx.code, state: stateOf(ctx), iss: `${ctx.issuer}/other` });
    const before = await snapshot(c);
    const outcome = await popup(c);
    await assertInvariants(before, outcome, {
      error: { code: 'issuer_mismatch', name: 'ClientAuthError' },
      requests: { authorize: 1 },
    });
  });

  hostileCase('a repeated iss parameter (both genuine): refused', async () => {
    const c = await suite.open();
    suite.provider.script.authorize = (ctx) =>
      ctx.respond({ code: ctx.code, state: stateOf(ctx), iss: [ctx.issuer, ctx.issuer] });
    const before = await snapshot(c);
    const outcome = await popup(c);
    await assertInvariants(before, outcome, {
      error: { code: 'issuer_mismatch', name: 'ClientAuthError' },
      requests: { authorize: 1 },
    });
  });
});

describe('error responses', () => {
  hostileCase('access_denied: provider text stays text, error_uri is never opened', async () => {
    const c = await suite.open();
    const session = await signIn(c);
    const text = hostileText(suite.provider.url);
    suite.provider.script.authorize = (ctx) =>
      ctx.respond({
        error: 'access_denied',
        error_description: text.description,
        error_uri: text.uri,
        state: stateOf(ctx),
        iss: ctx.issuer,
      });
    const before = await snapshot(c);
    const outcome = await popup(c);
    // The description is reported as data, as given.
    expect(outcome.kind === 'error' && outcome.error.errorMessage).toContain('<img');
    await assertInvariants(before, outcome, {
      error: { code: 'access_denied', name: 'ServerError' },
      requests: { authorize: 1 },
      session,
    });
  });

  hostileCase('login_required: an interaction-required error, nothing else', async () => {
    const c = await suite.open();
    suite.provider.script.authorize = (ctx) =>
      ctx.respond({ error: 'login_required', state: stateOf(ctx), iss: ctx.issuer });
    const before = await snapshot(c);
    const outcome = await popup(c);
    await assertInvariants(before, outcome, {
      error: { code: 'login_required', name: 'InteractionRequiredAuthError' },
      requests: { authorize: 1 },
    });
  });

  hostileCase(
    "an error response by redirect: the error callback gets the app's state",
    async () => {
      const c = await suite.open();
      const text = hostileText(suite.provider.url);
      suite.provider.script.authorize = (ctx) =>
        ctx.respond({
          error: 'temporarily_unavailable',
          error_description: text.description,
          error_uri: text.uri,
          state: stateOf(ctx),
          iss: ctx.issuer,
        });
      const before = await snapshot(c);
      const outcome = await redirectFlow(c, { state: 'app-state-7' });
      expect(await c.page.evaluate(() => window.hostile.redirectCallbacks)).toEqual([
        { kind: 'error', errorCode: 'temporarily_unavailable', accountState: 'app-state-7' },
      ]);
      await assertInvariants(before, outcome, {
        error: { code: 'temporarily_unavailable', name: 'ServerError' },
        requests: { authorize: 1 },
      });
    },
  );

  hostileCase('both code and error: the error wins, the code is never exchanged', async () => {
    const c = await suite.open();
    const session = await signIn(c);
    suite.provider.script.authorize = (ctx) =>
      ctx.respond({ code: ctx.code, error: 'access_denied', state: stateOf(ctx), iss: ctx.issuer });
    const before = await snapshot(c);
    const outcome = await popup(c);
    await assertInvariants(before, outcome, {
      error: { code: 'access_denied', name: 'ServerError' },
      requests: { authorize: 1 },
      session,
    });
  });

  hostileCase('an oversize error_description (200 KB): a typed error, no crash', async () => {
    const c = await suite.open();
    suite.provider.script.authorize = (ctx) =>
      ctx.respond(
        {
          error: 'server_error',
          error_description: 'x'.repeat(200_000),
          state: stateOf(ctx),
          iss: ctx.issuer,
        },
        'fragment',
      );
    const before = await snapshot(c);
    const outcome = await popup(c);
    await assertInvariants(before, outcome, {
      error: { code: 'server_error', name: 'ServerError' },
      requests: { authorize: 1 },
    });
  });
});

describe('tokens and repeated parameters in a code response', () => {
  hostileCase('tokens in the fragment of a code response: refused', async () => {
    const c = await suite.open();
    const forged = suite.provider.secret('at-forged-in-fragment-0123456789');
    suite.provider.script.authorize = (ctx) =>
      ctx.respond(
        {
          code: ctx.code,
          state: stateOf(ctx),
          iss: ctx.issuer,
          access_token: forged,
          token_type: 'bearer',
          id_token: 'eyJhbGciOiJub25lIn0.eyJzdWIiOiJtYWxsb3J5In0.',
        },
        'fragment',
      );
    const before = await snapshot(c);
    const outcome = await redirectFlow(c);
    await assertInvariants(before, outcome, {
      error: { code: 'invalid_response', name: 'ClientAuthError' },
      requests: { authorize: 1 },
    });
  });

  hostileCase('an id_token beside the code in the query: refused', async () => {
    const c = await suite.open();
    const forged = suite.provider.secret('eyJhbGciOiJub25lIn0.eyJzdWIiOiJtYWxsb3J5In0.forged-sig');
    suite.provider.script.authorize = (ctx) =>
      ctx.respond({ code: ctx.code, state: stateOf(ctx), iss: ctx.issuer, id_token: forged });
    const before = await snapshot(c);
    const outcome = await redirectFlow(c);
    await assertInvariants(before, outcome, {
      error: { code: 'invalid_response', name: 'ClientAuthError' },
      requests: { authorize: 1 },
    });
  });

  hostileCase('a repeated code parameter: refused, neither code exchanged', async () => {
    const c = await suite.open();
    suite.provider.script.authorize = (ctx) =>
      ctx.respond({ code: [ctx.code, `${ctx.code}-2`], state: stateOf(ctx), iss: ctx.issuer });
    const before = await snapshot(c);
    const outcome = await popup(c);
    await assertInvariants(before, outcome, {
      error: { code: 'invalid_response', name: 'ClientAuthError' },
      requests: { authorize: 1 },
    });
  });

  // Not a rejection (the code is genuine), so outside the six-invariant count: the forged
  // tokens next to it are never used, stored, or left in the address bar or history.
  it('tokens in the fragment beside a query code are ignored and scrubbed', async () => {
    const c = await suite.open();
    const forged = suite.provider.secret('at-forged-beside-code-0123456789');
    suite.provider.script.authorize = (ctx) => {
      const location = new URL(
        ctx.respond({ code: ctx.code, state: stateOf(ctx), iss: ctx.issuer }).headers!['location']!,
      );
      location.hash = `access_token=${forged}&token_type=bearer&expires_in=99999`;
      return ctx.redirect(location.href);
    };
    const outcome = await redirectFlow(c);
    expect(outcome.kind === 'response' && outcome.response.accessToken).toMatch(/^at-/);
    expect(outcome.kind === 'response' && outcome.response.accessToken).not.toBe(forged);
    const storage = JSON.stringify(await c.page.evaluate(() => window.hostile.storage()));
    expect(storage).not.toContain(forged);
    expect(c.page.url()).not.toContain(forged);
    const cdp = await c.context.newCDPSession(c.page);
    const history = await cdp.send('Page.getNavigationHistory');
    expect(JSON.stringify(history.entries)).not.toContain(forged);
  });
});

countCheck();
