import { describe, expect, it } from 'vitest';
import { isAuthError } from '../../src/errors/auth-error.js';
import { INTERACTION_IN_PROGRESS } from '../../src/errors/error-codes.js';
import { createInteractionLock } from '../../src/interaction/interaction-lock.js';

describe('InteractionLock', () => {
  it('lets one interaction run at a time', () => {
    const lock = createInteractionLock();
    const release = lock.tryBeginInteraction();
    expect(release).toBeTypeOf('function');
    expect(lock.inProgress).toBe(true);
    expect(lock.tryBeginInteraction()).toBeUndefined();
    expect(lock.tryBeginInteraction()).toBeUndefined();

    release?.();
    expect(lock.inProgress).toBe(false);
    expect(lock.tryBeginInteraction()).toBeTypeOf('function');
  });

  it('a stale release never frees a later holder', () => {
    const lock = createInteractionLock();
    const first = lock.tryBeginInteraction();
    first?.();
    const second = lock.tryBeginInteraction();
    first?.(); // released twice by mistake
    expect(lock.inProgress).toBe(true);
    second?.();
    expect(lock.inProgress).toBe(false);
  });

  it('beginInteraction throws interaction_in_progress when taken', () => {
    const lock = createInteractionLock();
    lock.beginInteraction();
    let thrown: unknown;
    try {
      lock.beginInteraction();
    } catch (error) {
      thrown = error;
    }
    expect(isAuthError(thrown) && thrown.errorCode).toBe(INTERACTION_IN_PROGRESS);
  });

  it('locks are independent per instance', () => {
    const a = createInteractionLock();
    const b = createInteractionLock();
    a.beginInteraction();
    expect(b.tryBeginInteraction()).toBeTypeOf('function');
  });
});
