import { describe, expect, it } from 'vitest';
import {
  AuthError,
  fromOAuthError,
  InteractionRequiredAuthError,
  isAuthError,
  isInteractionRequiredAuthError,
  isRefreshTokenRejected,
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

  it('derives retryable from the status, and lets the thrower say otherwise', () => {
    expect(new AuthError('x', 'y')).toMatchObject({ retryable: false, requestSent: false });
    expect(new AuthError('x', 'y').status).toBeUndefined();
    for (const status of [429, 500, 503, 599]) {
      expect(new ServerError({ error: 'e', status }).retryable).toBe(true);
    }
    for (const status of [400, 401, 404]) {
      expect(new ServerError({ error: 'e', status }).retryable).toBe(false);
    }
    const sent = new AuthError(codes.NETWORK_ERROR, 'y', { retryable: true, requestSent: true });
    expect(sent).toMatchObject({ retryable: true, requestSent: true });
    expect(new AuthError('x', 'y', { retryAfter: 60_000 }).retryAfter).toBe(60_000);
  });

  it('carries suberror and status on interaction-required and server errors', () => {
    const ir = fromOAuthError({
      error: 'interaction_required',
      suberror: 'basic_action',
      status: 400,
    });
    const server = fromOAuthError({ error: 'invalid_grant', suberror: 'bad_token', status: 400 });

    expect(ir).toBeInstanceOf(InteractionRequiredAuthError);
    expect(ir).toMatchObject({ suberror: 'basic_action', status: 400 });
    expect(server).toMatchObject({ error: 'invalid_grant', suberror: 'bad_token', status: 400 });
  });

  it('isRefreshTokenRejected: only invalid_grant without suberror, or bad_token / token_expired', () => {
    const grant = (suberror?: string) =>
      new ServerError(
        suberror === undefined ? { error: 'invalid_grant' } : { error: 'invalid_grant', suberror },
      );

    expect(isRefreshTokenRejected(grant())).toBe(true);
    expect(isRefreshTokenRejected(grant('bad_token'))).toBe(true);
    expect(isRefreshTokenRejected(grant('token_expired'))).toBe(true);
    expect(isRefreshTokenRejected(grant('basic_action'))).toBe(false);
    expect(isRefreshTokenRejected(grant('a_future_suberror'))).toBe(false);
    expect(isRefreshTokenRejected(new ServerError({ error: 'invalid_scope' }))).toBe(false);
    expect(isRefreshTokenRejected(new AuthError(codes.NETWORK_ERROR, 'x'))).toBe(false);
    expect(isRefreshTokenRejected({ errorCode: 'invalid_grant' })).toBe(false);
  });
});
