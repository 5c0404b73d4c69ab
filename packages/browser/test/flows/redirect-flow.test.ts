import { describe, expect, it } from 'vitest';
import { createMemoryStore } from '../../src/cache/storage.js';
import { createTokenCache } from '../../src/cache/token-cache.js';
import { redirectKey } from '../../src/cache/keys.js';
import { resolveConfiguration } from '../../src/config.js';
import { createCacheNotifier } from '../../src/coordination/cache-notifier.js';
import { createSingleFlight } from '../../src/coordination/single-flight.js';
import { isAuthError } from '../../src/errors/auth-error.js';
import { STATE_MISMATCH } from '../../src/errors/error-codes.js';
import { EventHub } from '../../src/events.js';
import type { FlowContext } from '../../src/flows/context.js';
import { completeRedirectOnLoad, handleRedirectResponse } from '../../src/flows/redirect-flow.js';
import { transactionsOf, type AuthTransaction } from '../../src/flows/transaction.js';
import { createInteractionLock } from '../../src/interaction/interaction-lock.js';
import { silentLogger } from '../../src/logger.js';
import { resolvePorts } from '../../src/ports.js';
import { FakeWindow } from '../interaction/fakes.js';

const APP = 'https://app.example/';

/** A flow context over fakes: a fake window at `href`, memory stores, no network. */
function context(href: string, clientId = 'spa'): { ctx: FlowContext; win: FakeWindow } {
  const win = new FakeWindow(href);
  const ports = resolvePorts({
    window: win as unknown as Window,
    fetch: () => Promise.reject(new Error('no network in this test')),
  });
  const config = resolveConfiguration(
    { auth: { clientId, authority: 'https://idp.example', redirectUri: APP } },
    href,
  );
  const ctx: FlowContext = {
    config,
    ports,
    logger: silentLogger,
    cache: createTokenCache(createMemoryStore(), {
      clientId,
      clock: ports.clock,
      logger: silentLogger,
    }),
    store: createMemoryStore(),
    session: createMemoryStore(),
    events: new EventHub(silentLogger, () => 0),
    singleFlight: createSingleFlight(),
    notifier: createCacheNotifier('test', undefined),
    interactions: createInteractionLock(),
    generation: 0,
    ended: new Set(),
    navigationClient: undefined,
  };
  return { ctx, win };
}

function pendingRedirect(ctx: FlowContext, state: string): AuthTransaction {
  const transaction: AuthTransaction = {
    kind: 'login',
    interaction: 'redirect',
    authority: 'https://idp.example',
    redirectUri: APP,
    secrets: { state, nonce: 'n', codeVerifier: 'v' },
    requestedScopes: ['openid'],
    resource: undefined,
    correlationId: 'c',
    userState: 'app-state',
    startPage: APP,
  };
  transactionsOf(ctx).save(state, transaction);
  ctx.session.set(redirectKey(ctx.config.clientId, 'pending'), state);
  return transaction;
}

describe('handleRedirectResponse', () => {
  it('a forged response whose state matches no request touches no pending request', async () => {
    const { ctx, win } = context(`${APP}?code=forged&state=attacker`);
    const genuine = pendingRedirect(ctx, 'genuine-state');
    const error: unknown = await handleRedirectResponse(ctx).catch((e: unknown) => e);
    expect(isAuthError(error) && error.errorCode).toBe(STATE_MISMATCH);
    // The genuine request is intact: the user's own sign-in can still complete.
    expect(transactionsOf(ctx).peek('genuine-state')).toEqual(genuine);
    expect(ctx.session.get(redirectKey('spa', 'pending'))).toBe('genuine-state');
    // And the forged code is gone from the address bar.
    expect(win.location.href).toBe(APP);
  });

  it("an instance of another client does not see this client's pending redirect", async () => {
    const { ctx } = context(`${APP}?code=c&state=s1`, 'spa');
    pendingRedirect(ctx, 's1');
    const other = context(`${APP}?code=c&state=s1`, 'other-spa');
    other.ctx.session = ctx.session;
    // No pending request of its own: the response is not for it, and it leaves it alone.
    await expect(handleRedirectResponse(other.ctx)).resolves.toBeNull();
    expect(transactionsOf(ctx).peek('s1')).toBeDefined();
  });

  it("a failed redirect reports the app's state of the call that started it", async () => {
    const { ctx } = context(`${APP}?code=c&state=s2`);
    pendingRedirect(ctx, 's2');
    // The provider cannot be reached: the code exchange fails.
    const outcome = await completeRedirectOnLoad(ctx);
    expect(outcome.kind).toBe('error');
    expect(outcome.kind === 'error' && outcome.accountState).toBe('app-state');
  });
});
