// Type tests of the public API, checked by `tsc -p packages/browser/test` (npm run typecheck),
// never run. They import the package by name, so they see what users see: the built
// declarations behind package.json `exports`. The seed's code must compile as written; wrong
// usage must not (each `@ts-expect-error` fails the check if its line compiles).
import { expectTypeOf } from 'vitest';
import type {
  AuthError,
  BrowserAuthError,
  ClientAuthError,
  ClientConfigurationError,
  INVALID_GRANT,
  InteractionRequiredAuthError,
  ServerError,
} from '@tessera/browser';
import {
  UserAgentApplication,
  isAuthError,
  isInteractionRequiredAuthError,
  type AuthResponse,
  type AuthenticationParameters,
  type Configuration,
} from '@tessera/browser';

// --- the seed: configuration shape (msal 1.x) -------------------------------------------------
const config: Configuration = {
  auth: {
    clientId: 'your_app_id',
    authority: 'https://login.microsoftonline.com/common',
    redirectUri: 'https://app.example.com/',
    postLogoutRedirectUri: 'https://app.example.com/',
    navigateToLoginRequestUrl: true,
  },
  cache: { cacheLocation: 'sessionStorage', storeAuthStateInCookie: false },
  system: { tokenRenewalOffsetSeconds: 300, loadFrameTimeout: 10_000 },
};
const userAgentApplication = new UserAgentApplication(config);

// --- the seed: silent first, popup or redirect when interaction is required -------------------
const accessTokenRequest: AuthenticationParameters = {
  scopes: ['user.read'],
};

function tokenReceivedCallback(response: AuthResponse) {
  expectTypeOf(response.accessToken).toEqualTypeOf<string>();
}
function errorReceivedCallback(error: AuthError) {
  expectTypeOf(error.errorCode).toEqualTypeOf<string>();
}
userAgentApplication.handleRedirectCallbacks(tokenReceivedCallback, errorReceivedCallback);

void userAgentApplication
  .acquireTokenSilent(accessTokenRequest)
  .then(function (accessTokenResponse) {
    const accessToken = accessTokenResponse.accessToken;
    expectTypeOf(accessToken).toEqualTypeOf<string>();
    expectTypeOf(accessTokenResponse.expiresOn).toEqualTypeOf<Date>();
    expectTypeOf(accessTokenResponse.scopes).toEqualTypeOf<string[]>();
  })
  .catch(function (error: AuthError) {
    if (error.errorMessage.indexOf('interaction_required') !== -1) {
      void userAgentApplication.acquireTokenPopup(accessTokenRequest).then((response) => {
        expectTypeOf(response).toEqualTypeOf<AuthResponse>();
      });
      expectTypeOf(userAgentApplication.acquireTokenRedirect(accessTokenRequest)).toEqualTypeOf<
        Promise<void>
      >();
    }
  });

expectTypeOf<ReturnType<UserAgentApplication['acquireTokenSilent']>>().toEqualTypeOf<
  Promise<AuthResponse>
>();
expectTypeOf(userAgentApplication.handleRedirectPromise()).toEqualTypeOf<
  Promise<AuthResponse | null>
>();

// The request type takes the documented fields.
const fullRequest: AuthenticationParameters = {
  scopes: ['api://orders/read'],
  authority: 'https://login.example.com/realms/app',
  prompt: 'select_account',
  loginHint: 'alice@example.com',
  claims: '{"id_token":{"auth_time":{"essential":true}}}',
  extraQueryParameters: { audience: 'https://api.example.com' },
  forceRefresh: true,
  redirectStartPage: '/orders',
};
void fullRequest;

// --- errors: classes, guards, codes, docs -----------------------------------------------------
declare const thrown: unknown;
if (isAuthError(thrown)) {
  expectTypeOf(thrown).toEqualTypeOf<AuthError>();
  expectTypeOf(thrown.docs).toEqualTypeOf<string>();
  expectTypeOf(thrown.retryable).toEqualTypeOf<boolean>();
  expectTypeOf(thrown.retryAfter).toEqualTypeOf<number | undefined>();
}
if (isInteractionRequiredAuthError(thrown)) {
  expectTypeOf(thrown).toEqualTypeOf<InteractionRequiredAuthError>();
}
expectTypeOf<typeof INVALID_GRANT>().toEqualTypeOf<'invalid_grant'>();
expectTypeOf<ServerError>().toExtend<AuthError>();
expectTypeOf<ClientAuthError>().toExtend<AuthError>();
expectTypeOf<BrowserAuthError>().toExtend<AuthError>();
expectTypeOf<ClientConfigurationError>().toExtend<AuthError>();
expectTypeOf<ServerError['errorDescription']>().toEqualTypeOf<string | undefined>();

// --- wrong usage does not compile -------------------------------------------------------------

// @ts-expect-error: `auth.clientId` is required.
new UserAgentApplication({ auth: { authority: 'https://login.example.com' } });

// @ts-expect-error: the configuration is an object with `auth`, not a client id.
new UserAgentApplication('your_app_id');

// @ts-expect-error: msal-angular's `clientID` spelling is not the browser configuration's.
new UserAgentApplication({ auth: { clientID: 'your_app_id' } });

new UserAgentApplication({
  auth: { clientId: 'id' },
  // @ts-expect-error: cacheLocation is one of sessionStorage, localStorage, memory.
  cache: { cacheLocation: 'indexedDB' },
});

// @ts-expect-error: scopes is an array of strings, not one string.
void userAgentApplication.acquireTokenSilent({ scopes: 'user.read' });

// @ts-expect-error: prompt takes the OIDC values only.
void userAgentApplication.acquireTokenPopup({ scopes: ['user.read'], prompt: 'always' });

// @ts-expect-error: claims is a JSON string (OIDC Core 5.5), not an object.
void userAgentApplication.acquireTokenSilent({ scopes: [], claims: { id_token: {} } });

void userAgentApplication.acquireTokenSilent(accessTokenRequest).then((response) => {
  // @ts-expect-error: the response has no `token`; it is `accessToken`.
  void response.token;
  // @ts-expect-error: expiresOn is a Date, not a number of seconds.
  const seconds: number = response.expiresOn;
  void seconds;
});

declare const error: AuthError;
// @ts-expect-error: errorCode is read-only.
error.errorCode = 'other';
// @ts-expect-error: docs is read-only (computed from the code).
error.docs = 'elsewhere';
