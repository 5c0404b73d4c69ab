// The interceptor's matching and fallback decisions, through a real HttpClient pipeline and
// HttpTestingController, for both registration styles (they share one implementation).
import '@angular/compiler'; // JIT, before any Angular package: TestBed compiles on the fly.
import {
  HTTP_INTERCEPTORS,
  HttpClient,
  HttpErrorResponse,
  provideHttpClient,
  withInterceptors,
  withInterceptorsFromDi,
} from '@angular/common/http';
import { HttpTestingController, provideHttpClientTesting } from '@angular/common/http/testing';
import {
  DOCUMENT,
  provideZonelessChangeDetection,
  type Provider,
  type EnvironmentProviders,
} from '@angular/core';
import { TestBed } from '@angular/core/testing';
import { InteractionRequiredAuthError, ServerError } from '@tessera/browser';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { MsalAngularConfiguration, MsalFlatConfiguration } from '../src/config';
import { BroadcastService } from '../src/broadcast.service';
import { MsalModule } from '../src/msal.module';
import { MsalInterceptor, msalInterceptor } from '../src/msal.interceptor';
import { provideMsal } from '../src/provide-msal';
import { MSAL_INSTANCE } from '../src/tokens';
import { FakeClient, initTestEnvironment, settle, tokenFor } from './fakes';

initTestEnvironment();

const GRAPH = 'https://graph.microsoft.com/v1.0/me';
const API = 'https://api.example.com:8443/api';
const BASE = 'https://app.example/shop/';

const baseConfig: MsalFlatConfiguration = {
  clientID: 'app',
  authority: 'https://idp.example',
  redirectUri: 'https://app.example/',
  protectedResourceMap: {
    [GRAPH]: ['user.read', 'mail.send'],
    [API]: ['api://demo/read'],
    [`${API}/public`]: null,
    '/shop/data': ['api://shop/read'],
  },
};

interface Style {
  name: string;
  providers: (config: MsalFlatConfiguration) => (Provider | EnvironmentProviders)[];
}

// The seed's NgModule style (forRoot + class interceptor via HTTP_INTERCEPTORS) and the
// standalone style (provideMsal + functional interceptor).
const styles: Style[] = [
  {
    name: 'MsalModule.forRoot + MsalInterceptor (HTTP_INTERCEPTORS)',
    providers: () => [
      { provide: HTTP_INTERCEPTORS, useClass: MsalInterceptor, multi: true },
      provideHttpClient(withInterceptorsFromDi()),
    ],
  },
  {
    name: 'provideMsal + msalInterceptor (withInterceptors)',
    providers: (config) => [
      provideMsal(config),
      provideHttpClient(withInterceptors([msalInterceptor])),
    ],
  },
];

describe.each(styles)('$name', (style) => {
  let app: FakeClient;

  function setUp(extra: MsalAngularConfiguration = {}): {
    http: HttpClient;
    backend: HttpTestingController;
    failures: unknown[];
  } {
    const config = { ...baseConfig, ...extra };
    const forModule = style.name.startsWith('MsalModule');
    TestBed.configureTestingModule({
      imports: forModule ? [MsalModule.forRoot(config)] : [],
      providers: [
        provideZonelessChangeDetection(),
        ...style.providers(config),
        provideHttpClientTesting(),
        { provide: DOCUMENT, useValue: { baseURI: BASE } },
        { provide: MSAL_INSTANCE, useValue: app },
      ],
    });
    const failures: unknown[] = [];
    TestBed.inject(BroadcastService).subscribe('msal:acquireTokenFailure', (payload) =>
      failures.push(payload),
    );
    return {
      http: TestBed.inject(HttpClient),
      backend: TestBed.inject(HttpTestingController),
      failures,
    };
  }

  beforeEach(() => {
    app = new FakeClient();
  });
  afterEach(() => TestBed.resetTestingModule());

  it('attaches a bearer token with the mapped scopes to a protected URL', async () => {
    const { http, backend } = setUp();
    let body: unknown;
    http.get(GRAPH).subscribe((value) => (body = value));
    await settle();
    const sent = backend.expectOne(GRAPH);
    expect(sent.request.headers.get('Authorization')).toBe('Bearer at-user.read+mail.send');
    sent.flush({ ok: true });
    expect(body).toEqual({ ok: true });
    expect(app.callsOf('acquireTokenSilent').map((c) => c.request)).toEqual([
      { scopes: ['user.read', 'mail.send'] },
    ]);
    backend.verify();
  });

  it('matches below a protected path on segment boundaries, with query strings', async () => {
    const { http, backend } = setUp();
    http.get(`${API}/items/7`, { params: { q: 'x' } }).subscribe();
    await settle();
    const sent = backend.expectOne(`${API}/items/7?q=x`);
    expect(sent.request.headers.get('Authorization')).toBe('Bearer at-api://demo/read');
    sent.flush({});
  });

  it('passes unprotected URLs through synchronously, untouched, with no token work', () => {
    const { http, backend } = setUp();
    const urls = [
      'https://elsewhere.example/me',
      'https://graph.microsoft.com.evil.example/v1.0/me', // host suffix trick
      'https://graph.microsoft.com/v1.0/meetings', // not a segment boundary
      'http://graph.microsoft.com/v1.0/me', // other scheme
      'https://api.example.com/api/items', // other port
      'https://user@graph.microsoft.com/v1.0/me', // credentials trick
      `${API}/public/status`, // null entry: explicitly unprotected
      '/shop/other', // relative, outside the path-only entry
    ];
    for (const url of urls) http.get(url).subscribe();
    // No await: every request already reached the backend.
    for (const url of urls) {
      const sent = backend.expectOne(url);
      expect(sent.request.headers.has('Authorization')).toBe(false);
      sent.flush({});
    }
    expect(app.calls).toEqual([]);
    backend.verify();
  });

  it('resolves relative URLs against document.baseURI', async () => {
    const { http, backend } = setUp();
    http.get('data/1').subscribe(); // → https://app.example/shop/data/1
    await settle();
    const sent = backend.expectOne('data/1');
    expect(sent.request.headers.get('Authorization')).toBe('Bearer at-api://shop/read');
    sent.flush({});
  });

  it('never attaches a token to unprotectedResources, even inside a protected entry', () => {
    const { http, backend } = setUp({ unprotectedResources: [`${API}/health`] });
    http.get(`${API}/health`).subscribe();
    backend.expectOne(`${API}/health`).flush({});
    expect(app.calls).toEqual([]);
  });

  it('leaves a request that already carries Authorization alone', () => {
    const { http, backend } = setUp();
    http.get(GRAPH, { headers: { Authorization: 'Basic abc' } }).subscribe();
    expect(backend.expectOne(GRAPH).request.headers.get('Authorization')).toBe('Basic abc');
    expect(app.calls).toEqual([]);
  });

  it('sends "Bearer" whatever case the provider used for token_type', async () => {
    app.silent = (request) => Promise.resolve(tokenFor(request.scopes ?? [], 'tok', 'bearer'));
    const { http, backend } = setUp();
    http.get(GRAPH).subscribe();
    await settle();
    expect(backend.expectOne(GRAPH).request.headers.get('Authorization')).toBe('Bearer tok');
  });

  it('adds the configured extraQueryParameters to the silent request', async () => {
    const { http, backend } = setUp({ extraQueryParameters: 'domain_hint=example.com' });
    http.get(GRAPH).subscribe();
    await settle();
    backend.expectOne(GRAPH).flush({});
    expect(app.callsOf('acquireTokenSilent')[0]?.request).toEqual({
      scopes: ['user.read', 'mail.send'],
      extraQueryParameters: { domain_hint: 'example.com' },
    });
  });

  it('without a fallback: broadcasts the failure once and errors the HttpClient call with the AuthError', async () => {
    const error = new InteractionRequiredAuthError('login_required', 'No session.');
    app.silent = () => Promise.reject(error);
    const { http, backend, failures } = setUp();
    let received: unknown;
    http.get(GRAPH).subscribe({ error: (e: unknown) => (received = e) });
    await settle();
    backend.expectNone(GRAPH);
    expect(received).toBe(error);
    expect(received).not.toBeInstanceOf(HttpErrorResponse);
    expect(failures).toEqual([error]);
    expect(app.callsOf('acquireTokenPopup')).toEqual([]);
  });

  it('with popUp: falls back to acquireTokenPopup on an interaction-required error', async () => {
    app.silent = () => Promise.reject(new InteractionRequiredAuthError('consent_required', 'x'));
    const { http, backend, failures } = setUp({ popUp: true });
    http.get(GRAPH).subscribe();
    await settle();
    const sent = backend.expectOne(GRAPH);
    expect(sent.request.headers.get('Authorization')).toBe('Bearer popup-token');
    expect(app.callsOf('acquireTokenPopup').map((c) => c.request)).toEqual([
      { scopes: ['user.read', 'mail.send'] },
    ]);
    expect(failures).toHaveLength(1);
  });

  it('with popUp: a network or server error is not an interaction: no popup, error to the caller', async () => {
    const error = new ServerError({ error: 'temporarily_unavailable' });
    app.silent = () => Promise.reject(error);
    const { http, backend } = setUp({ popUp: true });
    let received: unknown;
    http.get(GRAPH).subscribe({ error: (e: unknown) => (received = e) });
    await settle();
    backend.expectNone(GRAPH);
    expect(received).toBe(error);
    expect(app.callsOf('acquireTokenPopup')).toEqual([]);
  });

  it('a failed popup fallback errors the call with the popup error', async () => {
    app.silent = () => Promise.reject(new InteractionRequiredAuthError('login_required', 'x'));
    const closed = new InteractionRequiredAuthError('user_cancelled', 'closed'); // any AuthError
    app.popup = () => Promise.reject(closed);
    const { http, backend, failures } = setUp({ interactionFallback: 'popup' });
    let received: unknown;
    http.get(GRAPH).subscribe({ error: (e: unknown) => (received = e) });
    await settle();
    backend.expectNone(GRAPH);
    expect(received).toBe(closed);
    expect(failures).toHaveLength(2); // the silent failure, then the popup failure
  });

  it("with interactionFallback 'redirect': leaves for the provider and sends nothing", async () => {
    app.silent = () => Promise.reject(new InteractionRequiredAuthError('login_required', 'x'));
    const { http, backend } = setUp({ interactionFallback: 'redirect' });
    const events: string[] = [];
    http.get(GRAPH).subscribe({
      next: () => events.push('next'),
      error: () => events.push('error'),
      complete: () => events.push('complete'),
    });
    await settle();
    backend.expectNone(GRAPH);
    expect(app.callsOf('acquireTokenRedirect').map((c) => c.request)).toEqual([
      { scopes: ['user.read', 'mail.send'] },
    ]);
    expect(events).toEqual([]);
  });

  describe('claims challenge (RFC 6750 3.1 WWW-Authenticate, insufficient_claims)', () => {
    // What Entra ID Conditional Access sends: a base64 OIDC Core 5.5 claims request.
    const claims = '{"access_token":{"acrs":{"essential":true,"value":"c1"}}}';
    const challenge = `Bearer realm="", error="insufficient_claims", claims="${btoa(claims)}"`;
    const unauthorized = (wwwAuthenticate?: string) => ({
      status: 401,
      statusText: 'Unauthorized',
      headers: wwwAuthenticate === undefined ? {} : { 'WWW-Authenticate': wwwAuthenticate },
    });

    beforeEach(() => {
      app.silent = (request) =>
        Promise.resolve(
          tokenFor(request.scopes ?? [], request.claims === undefined ? 'plain' : 'stepped'),
        );
    });

    it('re-acquires with the decoded claims and retries once with the new token', async () => {
      const { http, backend } = setUp();
      let body: unknown;
      http.post(GRAPH, { send: 1 }).subscribe((value) => (body = value));
      await settle();
      const first = backend.expectOne(GRAPH);
      expect(first.request.headers.get('Authorization')).toBe('Bearer plain');
      first.flush({ error: 'insufficient_claims' }, unauthorized(challenge));
      await settle();
      const retry = backend.expectOne(GRAPH);
      expect(retry.request.headers.get('Authorization')).toBe('Bearer stepped');
      expect(retry.request.method).toBe('POST');
      expect(retry.request.body).toEqual({ send: 1 });
      retry.flush({ ok: true });
      expect(body).toEqual({ ok: true });
      expect(app.callsOf('acquireTokenSilent').map((c) => c.request)).toEqual([
        { scopes: ['user.read', 'mail.send'] },
        { scopes: ['user.read', 'mail.send'], claims, forceRefresh: true },
      ]);
      backend.verify();
    });

    it('keeps the configured extraQueryParameters on the claims request', async () => {
      const { http, backend } = setUp({ extraQueryParameters: { domain_hint: 'example.com' } });
      http.get(GRAPH).subscribe();
      await settle();
      backend.expectOne(GRAPH).flush(null, unauthorized(challenge));
      await settle();
      backend.expectOne(GRAPH).flush({});
      expect(app.callsOf('acquireTokenSilent')[1]?.request).toEqual({
        scopes: ['user.read', 'mail.send'],
        extraQueryParameters: { domain_hint: 'example.com' },
        claims,
        forceRefresh: true,
      });
    });

    it('does not retry a second time when the retry is challenged again', async () => {
      const { http, backend } = setUp();
      let received: unknown;
      http.get(GRAPH).subscribe({ error: (e: unknown) => (received = e) });
      await settle();
      backend.expectOne(GRAPH).flush(null, unauthorized(challenge));
      await settle();
      const retry = backend.expectOne(GRAPH);
      expect(retry.request.headers.get('Authorization')).toBe('Bearer stepped');
      retry.flush({ again: true }, unauthorized(challenge));
      await settle();
      backend.expectNone(GRAPH);
      expect(received).toBeInstanceOf(HttpErrorResponse);
      const response = received as HttpErrorResponse;
      expect(response.status).toBe(401);
      expect(response.error).toEqual({ again: true });
      expect(response.headers.get('WWW-Authenticate')).toBe(challenge);
      expect(app.callsOf('acquireTokenSilent')).toHaveLength(2);
      backend.verify();
    });

    it.each([
      ['no WWW-Authenticate header', undefined],
      ['an invalid_token challenge', 'Bearer error="invalid_token", error_description="expired"'],
      ['insufficient_claims without claims', 'Bearer error="insufficient_claims"'],
      ['claims that are not JSON', `Bearer error="insufficient_claims", claims="${btoa('x{')}"`],
      ['another scheme only', `Basic realm="api", error="insufficient_claims"`],
    ])('passes a 401 with %s through unchanged, without a retry', async (_name, header) => {
      const { http, backend } = setUp();
      let received: unknown;
      http.get(GRAPH).subscribe({ error: (e: unknown) => (received = e) });
      await settle();
      backend.expectOne(GRAPH).flush({ why: 'no' }, unauthorized(header));
      await settle();
      backend.expectNone(GRAPH);
      expect(received).toBeInstanceOf(HttpErrorResponse);
      const response = received as HttpErrorResponse;
      expect(response.status).toBe(401);
      expect(response.error).toEqual({ why: 'no' });
      expect(response.headers.get('WWW-Authenticate')).toBe(header ?? null);
      expect(app.callsOf('acquireTokenSilent')).toHaveLength(1);
      backend.verify();
    });

    it('does not treat a challenge on another status as one', async () => {
      const { http, backend } = setUp();
      let received: unknown;
      http.get(GRAPH).subscribe({ error: (e: unknown) => (received = e) });
      await settle();
      backend.expectOne(GRAPH).flush(null, {
        status: 403,
        statusText: 'Forbidden',
        headers: { 'WWW-Authenticate': challenge },
      });
      await settle();
      backend.expectNone(GRAPH);
      expect((received as HttpErrorResponse).status).toBe(403);
      expect(app.callsOf('acquireTokenSilent')).toHaveLength(1);
    });

    it('leaves unprotected URLs untouched, challenge or not', async () => {
      const { http, backend } = setUp();
      let received: unknown;
      http.get('https://elsewhere.example/me').subscribe({ error: (e: unknown) => (received = e) });
      const sent = backend.expectOne('https://elsewhere.example/me');
      expect(sent.request.headers.has('Authorization')).toBe(false);
      sent.flush(null, unauthorized(challenge));
      await settle();
      backend.expectNone('https://elsewhere.example/me');
      expect((received as HttpErrorResponse).status).toBe(401);
      expect(app.calls).toEqual([]);
    });

    it('does not answer a challenge to a token the app attached itself', async () => {
      const { http, backend } = setUp();
      let received: unknown;
      http
        .get(GRAPH, { headers: { Authorization: 'Bearer mine' } })
        .subscribe({ error: (e: unknown) => (received = e) });
      backend.expectOne(GRAPH).flush(null, unauthorized(challenge));
      await settle();
      backend.expectNone(GRAPH);
      expect((received as HttpErrorResponse).status).toBe(401);
      expect(app.calls).toEqual([]);
    });

    it('with popUp: a claims request that needs the user goes to a popup with the claims', async () => {
      app.silent = (request) =>
        request.claims === undefined
          ? Promise.resolve(tokenFor(request.scopes ?? [], 'plain'))
          : Promise.reject(new InteractionRequiredAuthError('interaction_required', 'MFA'));
      const { http, backend, failures } = setUp({ popUp: true });
      http.get(GRAPH).subscribe();
      await settle();
      backend.expectOne(GRAPH).flush(null, unauthorized(challenge));
      await settle();
      const retry = backend.expectOne(GRAPH);
      expect(retry.request.headers.get('Authorization')).toBe('Bearer popup-token');
      retry.flush({});
      expect(app.callsOf('acquireTokenPopup').map((c) => c.request)).toEqual([
        { scopes: ['user.read', 'mail.send'], claims, forceRefresh: true },
      ]);
      expect(failures).toHaveLength(1);
      backend.verify();
    });

    it('without a fallback: a claims request that needs the user errors the call with the AuthError', async () => {
      const error = new InteractionRequiredAuthError('interaction_required', 'MFA');
      app.silent = (request) =>
        request.claims === undefined
          ? Promise.resolve(tokenFor(request.scopes ?? [], 'plain'))
          : Promise.reject(error);
      const { http, backend, failures } = setUp();
      let received: unknown;
      http.get(GRAPH).subscribe({ error: (e: unknown) => (received = e) });
      await settle();
      backend.expectOne(GRAPH).flush(null, unauthorized(challenge));
      await settle();
      backend.expectNone(GRAPH);
      expect(received).toBe(error);
      expect(failures).toEqual([error]);
      expect(app.callsOf('acquireTokenPopup')).toEqual([]);
    });
  });

  it('starts token work only when the request is subscribed', async () => {
    const { http } = setUp();
    const pending = http.get(GRAPH);
    await settle();
    expect(app.calls).toEqual([]);
    pending.subscribe();
    await settle();
    expect(app.callsOf('acquireTokenSilent')).toHaveLength(1);
  });
});
