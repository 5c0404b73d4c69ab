import { describe, expect, it } from 'vitest';
import {
  createSpentTokenRegistry,
  fingerprint,
  SPENT_HOLD_MS,
  SPENT_RECORD_KEY,
  SPENT_RECORD_LIMIT,
  SPENT_RECORD_MS,
} from '../../src/coordination/spent-tokens.js';
import { FakeStorage } from '../cache/fixtures.js';
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

  it('a duplicated tab learns from localStorage that its copy of a token was spent, days later', async () => {
    const storage = new FakeStorage();
    const win = { localStorage: storage } as unknown as Window;
    const clock = clockAt(1_000);
    const first = createSpentTokenRegistry(win, { timers: systemTimers, clock });
    first.markSpent('fp3')(true);
    // The duplicate: another registry (another tab) over the same origin storage, 35 s later,
    // long after the lock hold ended.
    clock.t += 35_000;
    const duplicate = createSpentTokenRegistry(win, { timers: systemTimers, clock });
    expect(await duplicate.wasSpent('fp3')).toBe(true);
    expect(await duplicate.wasSpent('fp4')).toBe(false);
    expect(storage.getItem(SPENT_RECORD_KEY)).not.toContain('refresh');
    clock.t += SPENT_RECORD_MS;
    expect(await duplicate.wasSpent('fp3')).toBe(false);
  });

  it('keeps a bounded record and survives a corrupt one', async () => {
    const storage = new FakeStorage();
    const win = { localStorage: storage } as unknown as Window;
    const clock = clockAt(1_000);
    const registry = createSpentTokenRegistry(win, { timers: systemTimers, clock });
    storage.setItem(SPENT_RECORD_KEY, '{not json');
    expect(await registry.wasSpent('x')).toBe(false);
    for (let i = 0; i <= SPENT_RECORD_LIMIT; i += 1) {
      clock.t += 1;
      registry.markSpent(`fp-${i}`)(true);
    }
    const record = JSON.parse(storage.getItem(SPENT_RECORD_KEY) ?? '{}') as Record<string, number>;
    expect(Object.keys(record)).toHaveLength(SPENT_RECORD_LIMIT);
    expect(record['fp-0']).toBeUndefined();
    expect(record[`fp-${SPENT_RECORD_LIMIT}`]).toBeDefined();
  });
});
