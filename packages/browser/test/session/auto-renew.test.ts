import { describe, expect, it } from 'vitest';
import { createAutoRenewer } from '../../src/session/auto-renew.js';
import type { AuthenticationParameters, AuthResponse } from '../../src/types.js';
import { sessionContext } from './fakes.js';

function response(expiresAt: number, homeAccountId = 'alice|https://idp.example'): AuthResponse {
  return {
    expiresOn: new Date(expiresAt),
    account: { homeAccountId },
  } as unknown as AuthResponse;
}

function setup() {
  const s = sessionContext({ autoRenew: true, tokenRenewalOffsetSeconds: 300 });
  const calls: AuthenticationParameters[] = [];
  const renewer = createAutoRenewer(s.ctx, (request) => {
    calls.push(request);
    return Promise.resolve();
  });
  return { ...s, calls, renewer };
}

describe('auto renew', () => {
  it('renews a request when its token enters the renewal window, capped at half its life', () => {
    const { time, calls, renewer } = setup();
    const now = time.clock.now();
    renewer.remember({ scopes: ['api.read'] }, response(now + 60_000));
    time.advance(29_000);
    expect(calls).toEqual([]);
    time.advance(2_000);
    expect(calls).toHaveLength(1);
    expect(calls[0]?.scopes).toEqual(['api.read']);
    expect(calls[0]?.forceRefresh).toBe(false);
  });

  it('renews every remembered request when the tab becomes visible, comes online or is shown', () => {
    const { time, win, calls, renewer } = setup();
    const later = time.clock.now() + 3_600_000;
    renewer.remember({ scopes: ['a'] }, response(later));
    renewer.remember({ scopes: ['b'] }, response(later));
    win.dispatchEvent(new Event('visibilitychange'));
    win.dispatchEvent(new Event('online'));
    win.dispatchEvent(new Event('pageshow'));
    expect(calls.map((c) => c.scopes?.[0])).toEqual(['a', 'b', 'a', 'b', 'a', 'b']);
    renewer.stop();
    win.dispatchEvent(new Event('online'));
    expect(calls).toHaveLength(6);
    expect(time.pending()).toBe(0);
  });

  it('a cache hit of the same token does not reschedule, and the set stays bounded', () => {
    const { time, renewer } = setup();
    const later = time.clock.now() + 3_600_000;
    for (let i = 0; i < 5; i += 1) renewer.remember({ scopes: ['a'] }, response(later));
    expect(time.pending()).toBe(1);
    for (let i = 0; i < 30; i += 1) renewer.remember({ scopes: [`s${i}`] }, response(later));
    expect(time.pending()).toBe(10);
  });
});
