import { describe, expect, it } from 'vitest';
import {
  ClientAuthError,
  InteractionRequiredAuthError,
  ServerError,
  isInteractionRequiredAuthError,
} from '../../src/errors/index.js';
import type { AuthorizationSecrets, ProtocolClient } from '../../src/protocol/index.js';
import {
  FakeProvider,
  ISSUER,
  REDIRECT_URI,
  callbackUrl,
  rejectionOf,
  setup,
} from './fake-provider.js';

const SCOPES = ['openid', 'profile'];

async function start(client: ProtocolClient): Promise<AuthorizationSecrets> {
  const { secrets } = await client.createAuthorizationRequest({
    redirectUri: REDIRECT_URI,
    scopes: SCOPES,
  });
  return secrets;
}

function context(secrets: AuthorizationSecrets) {
  return { secrets, redirectUri: REDIRECT_URI, requestedScopes: SCOPES };
}

function issAdvertisingProvider(): FakeProvider {
  const provider = new FakeProvider();
  provider.metadata['authorization_response_iss_parameter_supported'] = true;
  return provider;
}

describe('handleAuthorizationResponse: the authorization response', () => {
  it('rejects a response with another state, before any token request', async () => {
    const { client, provider } = setup();
    const secrets = await start(client);

    const error = await rejectionOf(
      client.handleAuthorizationResponse(
        callbackUrl({ code: 'c', state: 'forged-state' }),
        context(secrets),
      ),
    );

    expect(error).toBeInstanceOf(ClientAuthError);
    expect((error as ClientAuthError).errorCode).toBe('state_mismatch');
    expect((error as ClientAuthError).cause).toBeDefined();
    expect(provider.tokenRequests).toHaveLength(0);
  });

  it('rejects a response without state', async () => {
    const { client } = setup();
    const secrets = await start(client);

    const error = await rejectionOf(
      client.handleAuthorizationResponse(callbackUrl({ code: 'c' }), context(secrets)),
    );

    expect(error).toMatchObject({ errorCode: 'state_mismatch' });
  });

  it('rejects a response with a repeated state parameter', async () => {
    const { client } = setup();
    const secrets = await start(client);
    const url = callbackUrl({ code: 'c', state: secrets.state });
    url.searchParams.append('state', secrets.state);

    expect(
      await rejectionOf(client.handleAuthorizationResponse(url, context(secrets))),
    ).toMatchObject({ errorCode: 'state_mismatch' });
  });

  it('checks state before trusting an error response', async () => {
    const { client } = setup();
    const secrets = await start(client);

    const error = await rejectionOf(
      client.handleAuthorizationResponse(
        callbackUrl({ error: 'login_required', state: 'forged-state' }),
        context(secrets),
      ),
    );

    expect(error).toMatchObject({ errorCode: 'state_mismatch' });
    expect(isInteractionRequiredAuthError(error)).toBe(false);
  });

  it('rejects a wrong iss when the provider advertises RFC 9207', async () => {
    const { client, provider } = setup(issAdvertisingProvider());
    const secrets = await start(client);

    const error = await rejectionOf(
      client.handleAuthorizationResponse(
        callbackUrl({ code: 'c', state: secrets.state, iss: 'https://evil.example.com' }),
        context(secrets),
      ),
    );

    expect(error).toBeInstanceOf(ClientAuthError);
    expect((error as ClientAuthError).errorCode).toBe('issuer_mismatch');
    expect(provider.tokenRequests).toHaveLength(0);
  });

  it('rejects a missing iss when the provider advertises RFC 9207', async () => {
    const { client } = setup(issAdvertisingProvider());
    const secrets = await start(client);

    const error = await rejectionOf(
      client.handleAuthorizationResponse(
        callbackUrl({ code: 'c', state: secrets.state }),
        context(secrets),
      ),
    );

    expect(error).toMatchObject({ errorCode: 'issuer_mismatch' });
  });

  it('rejects a wrong iss even when the provider does not advertise RFC 9207', async () => {
    const { client } = setup();
    const secrets = await start(client);

    const error = await rejectionOf(
      client.handleAuthorizationResponse(
        callbackUrl({ code: 'c', state: secrets.state, iss: 'https://evil.example.com' }),
        context(secrets),
      ),
    );

    expect(error).toMatchObject({ errorCode: 'issuer_mismatch' });
  });

  it('maps error=login_required to an InteractionRequiredAuthError', async () => {
    const { client, provider } = setup(issAdvertisingProvider());
    const secrets = await start(client);

    const error = await rejectionOf(
      client.handleAuthorizationResponse(
        callbackUrl({
          error: 'login_required',
          error_description: 'No session',
          state: secrets.state,
          iss: ISSUER,
        }),
        context(secrets),
      ),
    );

    expect(error).toBeInstanceOf(InteractionRequiredAuthError);
    const typed = error as InteractionRequiredAuthError;
    expect(typed.errorCode).toBe('login_required');
    expect(typed.errorMessage.indexOf('interaction_required')).not.toBe(-1);
    expect(typed.errorMessage).toContain('No session');
    expect(provider.tokenRequests).toHaveLength(0);
  });

  it('maps error=access_denied to a ServerError without the interaction marker', async () => {
    const { client } = setup();
    const secrets = await start(client);

    const error = await rejectionOf(
      client.handleAuthorizationResponse(
        callbackUrl({
          error: 'access_denied',
          error_description: 'The user said no; interaction_required would not help',
          error_uri: 'https://idp.example.com/errors/denied',
          state: secrets.state,
        }),
        context(secrets),
      ),
    );

    expect(error).toBeInstanceOf(ServerError);
    const typed = error as ServerError;
    expect(typed.error).toBe('access_denied');
    expect(typed.errorUri).toBe('https://idp.example.com/errors/denied');
    expect(typed.errorMessage.indexOf('interaction_required')).toBe(-1);
    expect(isInteractionRequiredAuthError(error)).toBe(false);
  });

  it('rejects an implicit-flow response (tokens in the front channel)', async () => {
    const { client, provider } = setup();
    const secrets = await start(client);

    const error = await rejectionOf(
      client.handleAuthorizationResponse(
        callbackUrl({ code: 'c', state: secrets.state, access_token: 'x', id_token: 'y' }),
        context(secrets),
      ),
    );

    expect(error).toMatchObject({ errorCode: 'invalid_response' });
    expect(provider.tokenRequests).toHaveLength(0);
  });
});
