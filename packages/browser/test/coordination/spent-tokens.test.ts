import { describe, expect, it } from 'vitest';
import {
  createSpentTokenRegistry,
  fingerprint,
  SPENT_HOLD_MS,
} from '../../src/coordination/spent-tokens.js';
import { systemTimers } from '../../src/ports.js';

function clockAt(start: number) {
  const clock = { t: start, now: () => clock.t };
  return clock;
}

describe('spent refresh tokens', () => {
  it('fingerprints are stable, distinct, and do not contain the secret', async () => {
    const a = await fingerprint('refresh-token-a');
    expect(a).toBe(await fingerprint('refresh-token-a'));
    expect(a).not.toBe(await fingerprint('refresh-token-b'));
    expect(a).toMatch(/^[0-9a-f]{24}$/);
  });

  it('a token in flight is spent; unrotated it is free again at once', async () => {
    const registry = createSpentTokenRegistry(undefined, {
      timers: systemTimers,
      clock: clockAt(0),
    });
    const settle = registry.markSpent('fp1');
    expect(await registry.wasSpent('fp1')).toBe(true);
    settle(false);
    expect(await registry.wasSpent('fp1')).toBe(false);
  });

  it('a rotated token stays spent for the hold time', async () => {
    const clock = clockAt(1_000);
    const registry = createSpentTokenRegistry(undefined, { timers: systemTimers, clock });
    registry.markSpent('fp2')(true);
    expect(await registry.wasSpent('fp2')).toBe(true);
    clock.t += SPENT_HOLD_MS;
    expect(await registry.wasSpent('fp2')).toBe(false);
    expect(await registry.wasSpent('other')).toBe(false);
  });
});
