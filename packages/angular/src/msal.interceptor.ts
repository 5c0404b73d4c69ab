import {
  HttpErrorResponse,
  type HttpEvent,
  type HttpHandler,
  type HttpHandlerFn,
  type HttpInterceptor,
  type HttpInterceptorFn,
  type HttpRequest,
} from '@angular/common/http';
import { DOCUMENT, inject, Injectable } from '@angular/core';
import {
  claimsFromChallenge,
  findProtectedResource,
  isInteractionRequiredAuthError,
  parseBearerChallenge,
  scopesForUrl,
  type AuthenticationParameters,
  type AuthResponse,
} from '@tessera/browser';
import { catchError, defer, from, NEVER, type Observable, switchMap, throwError } from 'rxjs';
import type { ResolvedMsalConfiguration } from './config';
import { MsalService } from './msal.service';
import { MSAL_CONFIG } from './tokens';

/** What the interceptor needs; resolved from DI by both interceptor forms. */
export interface MsalInterceptorContext {
  msal: MsalService;
  config: ResolvedMsalConfiguration;
  /** Base for relative request URLs and path-only map entries: `document.baseURI`. */
  baseUrl: () => string | undefined;
}

/** Reads the interceptor's collaborators from the current injection context. */
export function injectMsalInterceptorContext(): MsalInterceptorContext {
  const doc = inject(DOCUMENT, { optional: true });
  return {
    msal: inject(MsalService),
    config: inject(MSAL_CONFIG),
    baseUrl: () => doc?.baseURI ?? globalThis.location?.href,
  };
}

/**
 * The scopes to request for `url`, or undefined when it gets no token: listed in
 * `unprotectedResources`, not matched by `protectedResourceMap`, or matched by a `null` entry.
 * Matching is `@tessera/browser`'s (`findProtectedResource` / `scopesForUrl`): after URL parsing,
 * scheme, host and port exact, path on segment boundaries.
 */
export function protectedScopesFor(
  config: ResolvedMsalConfiguration,
  url: string,
  baseUrl: string | undefined,
): string[] | undefined {
  if (config.protectedResources.length === 0) return undefined;
  if (findProtectedResource(config.unprotectedResources, url, baseUrl) !== undefined) {
    return undefined;
  }
  return scopesForUrl(config.protectedResources, url, baseUrl);
}

function withToken(request: HttpRequest<unknown>, token: AuthResponse): HttpRequest<unknown> {
  // RFC 6750 2.1. Providers answer `token_type` as "bearer" or "Bearer"; send the canonical form.
  const scheme = /^bearer$/i.test(token.tokenType) ? 'Bearer' : token.tokenType;
  return request.clone({ setHeaders: { Authorization: `${scheme} ${token.accessToken}` } });
}

function interactiveFallback(
  error: unknown,
  request: AuthenticationParameters,
  ctx: MsalInterceptorContext,
): Observable<AuthResponse> {
  // Only an interaction-required error may open a popup or leave the page; network,
  // configuration and protocol errors go to the caller as they are.
  const mode = ctx.config.interactionFallback;
  if (!isInteractionRequiredAuthError(error) || mode === 'none') return throwError(() => error);
  if (mode === 'popup') return from(ctx.msal.acquireTokenPopup(request));
  // The page leaves for the provider and comes back to the current URL: the request is never
  // sent and nothing is emitted. A declined navigation errors the call instead.
  return from(ctx.msal.acquireTokenRedirect(request)).pipe(switchMap(() => NEVER));
}

/**
 * The claims a resource server asks for in a `401` answer to a request we attached a token to:
 * `WWW-Authenticate: Bearer error="insufficient_claims", claims="<base64 JSON>"` (RFC 6750 3.1
 * error codes extended by the claims challenge of OpenID Connect / Entra ID Conditional Access;
 * the JSON is an OIDC Core 5.5 claims request). Undefined for anything else, including a `401`
 * without such a challenge (an expired or revoked token, a wrong audience): another token for
 * the same request would not fix those.
 */
function claimsChallengeOf(error: unknown): string | undefined {
  if (!(error instanceof HttpErrorResponse) || error.status !== 401) return undefined;
  return claimsFromChallenge(parseBearerChallenge(error.headers.get('WWW-Authenticate')));
}

/**
 * `acquireTokenSilent(request)`, then — only for an interaction-required error, and only when
 * configured — a popup or redirect with the same request.
 */
function acquire(
  request: AuthenticationParameters,
  ctx: MsalInterceptorContext,
): Observable<AuthResponse> {
  return defer(() => ctx.msal.acquireTokenSilent(request)).pipe(
    catchError((error: unknown) => interactiveFallback(error, request, ctx)),
  );
}

/**
 * The one implementation behind {@link MsalInterceptor} and {@link msalInterceptor}.
 *
 * A request whose URL is not protected (or that already carries `Authorization`) is passed to
 * `next` synchronously, untouched, with no token work. A protected one waits for
 * `acquireTokenSilent({ scopes })` and is sent with `Authorization: Bearer <token>`. When the
 * silent request fails, the core broadcasts `msal:acquireTokenFailure` with the error (through
 * `MsalService`); an interaction-required error then falls back to a popup or redirect when
 * `interactionFallback` (or `popUp`) says so, and otherwise errors the `HttpClient` call with
 * the `AuthError`.
 *
 * Claims challenge: when the API answers the protected request with `401` and
 * `WWW-Authenticate: Bearer error="insufficient_claims", claims="..."` (e.g. Entra ID
 * Conditional Access asking for MFA), the interceptor acquires a new token with
 * `{ scopes, claims: <the decoded claims JSON>, forceRefresh: true }` — silently, with the same
 * interactive fallback as above, since a step-up usually needs the user — and sends the request
 * again, once. The retry's answer goes to the caller as it is, even another challenge, so a
 * provider and an API that disagree cannot loop. A `401` without a claims challenge is not
 * retried: it goes to the caller unchanged, as an `HttpErrorResponse`.
 *
 * @see RFC 6750 2.1 (the Authorization request header), RFC 6750 3.1 (the `WWW-Authenticate`
 *   error response), OIDC Core 5.5 (the claims request)
 */
export function interceptWithMsal(
  req: HttpRequest<unknown>,
  next: HttpHandlerFn,
  ctx: MsalInterceptorContext,
): Observable<HttpEvent<unknown>> {
  if (req.headers.has('Authorization')) return next(req);
  const scopes = protectedScopesFor(ctx.config, req.urlWithParams, ctx.baseUrl());
  if (scopes === undefined) return next(req);
  const extra = ctx.config.extraQueryParameters;
  const request: AuthenticationParameters = {
    scopes,
    ...(extra !== undefined && { extraQueryParameters: { ...extra } }),
  };
  return acquire(request, ctx).pipe(
    switchMap((token) =>
      // Only the API's answer is inspected: an AuthError from acquiring goes to the caller as is.
      next(withToken(req, token)).pipe(
        catchError((error: unknown) => {
          const claims = claimsChallengeOf(error);
          if (claims === undefined) return throwError(() => error);
          // The challenged token must not come back from the cache: ask the provider for one
          // that carries the claims (as the core's createAuthFetch does).
          const stepUp: AuthenticationParameters = { ...request, claims, forceRefresh: true };
          // No catchError here: the retry's answer, challenge or not, is the caller's.
          return acquire(stepUp, ctx).pipe(switchMap((stepped) => next(withToken(req, stepped))));
        }),
      ),
    ),
  );
}

/**
 * Attaches tokens to `HttpClient` requests for URLs in `protectedResourceMap`; register it as the
 * seed does: `{ provide: HTTP_INTERCEPTORS, useClass: MsalInterceptor, multi: true }` (with
 * `provideHttpClient(withInterceptorsFromDi())` or `HttpClientModule`). Same behaviour as
 * {@link msalInterceptor}: see {@link interceptWithMsal}.
 */
@Injectable()
export class MsalInterceptor implements HttpInterceptor {
  readonly #ctx = injectMsalInterceptorContext();

  /** Adds the token to protected requests; see {@link interceptWithMsal}. */
  intercept(req: HttpRequest<unknown>, next: HttpHandler): Observable<HttpEvent<unknown>> {
    return interceptWithMsal(req, (forwarded) => next.handle(forwarded), this.#ctx);
  }
}

/**
 * Functional form of {@link MsalInterceptor}, for standalone apps:
 * `provideHttpClient(withInterceptors([msalInterceptor]))`. See {@link interceptWithMsal}.
 */
export const msalInterceptor: HttpInterceptorFn = (req, next) =>
  interceptWithMsal(req, next, injectMsalInterceptorContext());
