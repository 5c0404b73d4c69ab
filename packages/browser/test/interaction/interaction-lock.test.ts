import { describe, expect, it } from 'vitest';
import { isAuthError } from '../../src/errors/auth-error.js';
import { INTERACTION_IN_PROGRESS } from '../../src/errors/error-codes.js';
import {
  createInteractionLock,
  type InteractionLock,
} from '../../src/interaction/interaction-lock.js';

/** The release function, or the error code when the lock is taken. */
function begin(lock: InteractionLock): (() => void) | string | undefined {
  try {
    return lock.beginInteraction();
  } catch (error) {
    return isAuthError(error) ? error.errorCode : 'not an AuthError';
  }
}

describe('InteractionLock', () => {
  it('lets one interaction run at a time', () => {
    const lock = createInteractionLock();
    const release = begin(lock);
    expect(release).toBeTypeOf('function');
    expect(begin(lock)).toBe(INTERACTION_IN_PROGRESS);
    expect(begin(lock)).toBe(INTERACTION_IN_PROGRESS);

    if (typeof release === 'function') release();
    expect(begin(lock)).toBeTypeOf('function');
  });

  it('a stale release never frees a later holder', () => {
    const lock = createInteractionLock();
    const first = lock.beginInteraction();
    first();
    const second = lock.beginInteraction();
    first(); // released twice by mistake
    expect(begin(lock)).toBe(INTERACTION_IN_PROGRESS);
    second();
    expect(begin(lock)).toBeTypeOf('function');
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
    expect(begin(b)).toBeTypeOf('function');
  });
});
