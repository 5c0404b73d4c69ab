import { describe, expect, it } from 'vitest';
import { accountKey } from '../../src/cache/keys.js';
import { activityKey } from '../../src/cache/keys.js';
import { IDLE_TICK_MS, watchIdle } from '../../src/session/idle.js';
import { sessionContext } from './fakes.js';

const ISSUER = 'https://idp.example';

function signedIn(system: { idleTimeout: number; idleWarning: number }) {
  const setup = sessionContext(system);
  setup.ctx.cache.write({
    account: {
      homeAccountId: accountKey(ISSUER, 'alice'),
      issuer: ISSUER,
      authority: ISSUER,
      clientId: 'spa',
      sub: 'alice',
      idTokenClaims: { iss: ISSUER, sub: 'alice', aud: 'spa', exp: 0, iat: 0 },
      updatedAt: 0,
    },
  });
  const signOuts: number[] = [];
  const stop = watchIdle(setup.ctx, activityKey('spa'), () => {
    signOuts.push(setup.time.clock.now());
    setup.ctx.cache.clear();
    return Promise.resolve();
  });
  const warnings = () => setup.events.filter((e) => e.eventType === 'msal:idleWarning');
  return { ...setup, signOuts, stop, warnings };
}

describe('idle sign-out', () => {
  it('warns once before the limit and signs out at it', () => {
    const { time, signOuts, warnings } = signedIn({ idleTimeout: 10_000, idleWarning: 3_000 });
    time.advance(6_000);
    expect(warnings()).toHaveLength(0);
    time.advance(2_000);
    expect(warnings()).toHaveLength(1);
    expect(warnings()[0]?.payload).toEqual({ remainingMs: 3_000 });
    time.advance(1_000);
    expect(warnings()).toHaveLength(1);
    expect(signOuts).toEqual([]);
    time.advance(2_000);
    expect(signOuts).toHaveLength(1);
  });

  it('activity here or in another tab (shared through localStorage) postpones it', () => {
    const { time, win, signOuts, warnings } = signedIn({ idleTimeout: 10_000, idleWarning: 3_000 });
    time.advance(8_000);
    expect(warnings()).toHaveLength(1);
    win.dispatchEvent(new Event('keydown'));
    time.advance(8_000);
    expect(signOuts).toEqual([]);
    // Another tab's activity arrives as the shared timestamp.
    win.localStorage.setItem('tessera.v1.activity.spa', String(time.clock.now()));
    time.advance(9_000);
    expect(signOuts).toEqual([]);
    expect(warnings()).toHaveLength(3);
    time.advance(2_000);
    expect(signOuts).toHaveLength(1);
  });

  it('does nothing while nobody is signed in, and stop() ends the watch', () => {
    const { ctx, time, signOuts, stop } = signedIn({ idleTimeout: 5_000, idleWarning: 1_000 });
    ctx.cache.clear();
    time.advance(20_000);
    expect(signOuts).toEqual([]);
    stop();
    expect(time.pending()).toBe(0);
    expect(IDLE_TICK_MS).toBeLessThanOrEqual(1_000);
  });
});
