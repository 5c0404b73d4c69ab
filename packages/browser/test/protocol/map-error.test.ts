import * as oauth from 'oauth4webapi';
import { describe, expect, it } from 'vitest';
import {
  ClientAuthError,
  InteractionRequiredAuthError,
  ServerError,
  isAuthError,
} from '../../src/errors/index.js';
import { mapProtocolError } from '../../src/protocol/map-error.js';

describe('mapProtocolError', () => {
  it('passes Tessera errors through unchanged', () => {
    const original = new ClientAuthError('state_mismatch', 'x');

    expect(mapProtocolError(original, { stage: 'authorization_code' })).toBe(original);
  });

  it('maps consent_required from the token endpoint to InteractionRequiredAuthError', () => {
    const error = new oauth.ResponseBodyError('x', {
      cause: { error: 'consent_required', error_description: 'Consent needed' },
      response: new Response(null, { status: 400 }),
    });

    const mapped = mapProtocolError(error, { stage: 'authorization_code' });

    expect(mapped).toBeInstanceOf(InteractionRequiredAuthError);
    expect(mapped.errorCode).toBe('consent_required');
    expect(mapped.cause).toBe(error);
  });

  it('keeps error_uri and status of an OAuth error response', () => {
    const error = new oauth.ResponseBodyError('x', {
      cause: { error: 'invalid_scope', error_uri: 'https://idp/e' },
      response: new Response(null, { status: 400 }),
    });

    const mapped = mapProtocolError(error, { stage: 'authorization_code' });

    expect(mapped).toBeInstanceOf(ServerError);
    expect(mapped).toMatchObject({ errorUri: 'https://idp/e', status: 400 });
  });

  it('maps abort and timeout to network_error', () => {
    for (const name of ['AbortError', 'TimeoutError']) {
      const mapped = mapProtocolError(new DOMException('stop', name), {
        stage: 'authorization_code',
      });
      expect(mapped.errorCode).toBe('network_error');
    }
  });

  it('does not take oauth4webapi argument errors for network failures', () => {
    const coded = Object.assign(new TypeError('"response" body has been used already'), {
      code: 'ERR_INVALID_ARG_VALUE',
    });

    const mapped = mapProtocolError(coded, { stage: 'authorization_code' });

    expect(mapped.errorCode).toBe('unexpected_error');
    expect(mapped.cause).toBe(coded);
  });

  it('maps processing failures during discovery to discovery_failed', () => {
    const error = new oauth.OperationProcessingError('x', { code: oauth.RESPONSE_IS_NOT_CONFORM });

    expect(mapProtocolError(error, { stage: 'discovery' }).errorCode).toBe('discovery_failed');
    expect(mapProtocolError(error, { stage: 'authorization_code' }).errorCode).toBe(
      'invalid_response',
    );
  });

  it('wraps anything unknown, keeping it as cause', () => {
    const mapped = mapProtocolError('boom', { stage: 'authorization_code' });

    expect(isAuthError(mapped)).toBe(true);
    expect(mapped.errorCode).toBe('unexpected_error');
    expect(mapped.cause).toBe('boom');
  });
});
