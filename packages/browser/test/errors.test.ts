import { describe, expect, it } from 'vitest';
import {
  AuthError,
  fromOAuthError,
  InteractionRequiredAuthError,
  isAuthError,
  isInteractionRequiredAuthError,
  ServerError,
  toAuthError,
} from '../src/errors/auth-error.js';
import * as codes from '../src/errors/error-codes.js';

describe('error taxonomy', () => {
  it.each([
    'login_required',
    'consent_required',
    'interaction_required',
    'account_selection_required',
  ])('%s is interaction-required and passes the seed check', (error) => {
    const mapped = fromOAuthError({ error, errorDescription: 'sign in again' });
    expect(mapped).toBeInstanceOf(InteractionRequiredAuthError);
    expect(mapped.errorCode).toBe(error);
    expect(mapped.errorMessage.indexOf('interaction_required')).not.toBe(-1);
  });

  it('server errors never carry the interaction marker, even if the provider echoes it', () => {
    const mapped = fromOAuthError({
      error: 'invalid_request',
      errorDescription: 'not interaction_required here',
      status: 400,
    });
    expect(mapped).toBeInstanceOf(ServerError);
    expect(mapped.errorMessage.indexOf('interaction_required')).toBe(-1);
    expect((mapped as ServerError).status).toBe(400);
  });

  it('keeps the cause and a literal name', () => {
    const cause = new TypeError('boom');
    const wrapped = toAuthError(cause, { correlationId: 'c1' });
    expect(wrapped.errorCode).toBe(codes.UNEXPECTED_ERROR);
    expect(wrapped.cause).toBe(cause);
    expect(wrapped.correlationId).toBe('c1');
    expect(new InteractionRequiredAuthError(codes.NO_ACCOUNT, 'x').name).toBe(
      'InteractionRequiredAuthError',
    );
    expect(toAuthError(wrapped)).toBe(wrapped);
  });

  it('guards recognise errors from another realm by brand', () => {
    const foreign = Object.assign(Object.create(null) as object, {
      [Symbol.for('tessera.auth_error')]: true,
      name: 'InteractionRequiredAuthError',
    });
    expect(isAuthError(foreign)).toBe(true);
    expect(isInteractionRequiredAuthError(foreign)).toBe(true);
    expect(isAuthError(new Error('x'))).toBe(false);
    expect(isInteractionRequiredAuthError(new AuthError('x', 'y'))).toBe(false);
  });
});
