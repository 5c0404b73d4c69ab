// @vitest-environment happy-dom
// An Angular TestBed over the fake client, as an app's own test would set it up: provideMsal
// with the functional interceptor, the fake under MSAL_INSTANCE. The interceptor attaches the
// fake's token, falls back to a popup on the fake's interaction-required error, and
// BroadcastService relays the fake's events.
import '@angular/compiler'; // JIT, before any Angular package: TestBed compiles on the fly.
import {
  HttpClient,
  HttpErrorResponse,
  provideHttpClient,
  withInterceptors,
} from '@angular/common/http';
import { HttpTestingController, provideHttpClientTesting } from '@angular/common/http/testing';
import { provideZonelessChangeDetection } from '@angular/core';
import { TestBed } from '@angular/core/testing';
import { BrowserTestingModule, platformBrowserTesting } from '@angular/platform-browser/testing';
import { InteractionRequiredAuthError, ServerError } from '@tessera/browser';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
// The wrapper's sources, as its own tests use them: the built package is ng-packagr output
// that a workspace import cannot reach. Apps import the same names from '@tessera/angular'.
import {
  BroadcastService,
  MSAL_INSTANCE,
  MsalService,
  msalInterceptor,
  provideMsal,
  type MsalFlatConfiguration,
} from '../../angular/src/public-api';
import { createFakeClient, type FakeClient } from '../src/fake.js';

const API = 'https://api.example.com/orders';
const config: MsalFlatConfiguration = {
  clientID: 'spa',
  authority: 'https://idp.example',
  redirectUri: 'https://app.example/',
  protectedResourceMap: [[API, ['api://orders/read']]],
};

beforeAll(() => {
  TestBed.initTestEnvironment(BrowserTestingModule, platformBrowserTesting(), {
    teardown: { destroyAfterEach: true },
  });
});
afterEach(() => TestBed.resetTestingModule());

function setUp(client: FakeClient, extra: Partial<MsalFlatConfiguration> = {}) {
  TestBed.configureTestingModule({
    providers: [
      provideZonelessChangeDetection(),
      provideMsal({ ...config, ...extra }),
      provideHttpClient(withInterceptors([msalInterceptor])),
      provideHttpClientTesting(),
      // The fake instead of a real UserAgentApplication: no provider, no storage, no popup.
      { provide: MSAL_INSTANCE, useValue: client },
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

/** Lets the fake's promises and the interceptor's continuations run. */
const settle = () => new Promise((resolve) => setTimeout(resolve, 0));

describe('@tessera/angular over the fake client', () => {
  it('the interceptor sends the fake token to a protected URL', async () => {
    const client = createFakeClient({ account: { username: 'alice', name: 'Alice' } });
    const { http, backend } = setUp(client);
    let body: unknown;
    http.get(API).subscribe((value) => (body = value));
    await settle();
    const sent = backend.expectOne(API);
    expect(sent.request.headers.get('Authorization')).toBe('Bearer fake-access-token-1');
    sent.flush({ orders: 3 });
    expect(body).toEqual({ orders: 3 });
    expect(client.callsOf('acquireTokenSilent').map((c) => c.request)).toEqual([
      { scopes: ['api://orders/read'] },
    ]);
    expect(TestBed.inject(MsalService).account()?.name).toBe('Alice');
    backend.verify();
  });

  it('on the fake interaction-required error, falls back to a popup and retries with its token', async () => {
    const client = createFakeClient({ account: { username: 'alice' } });
    client.failNext(
      'acquireTokenSilent',
      new InteractionRequiredAuthError('consent_required', 'Consent is needed for orders.'),
    );
    const { http, backend, failures } = setUp(client, { popUp: true });
    http.get(API).subscribe();
    await settle();
    await settle();
    const sent = backend.expectOne(API);
    expect(sent.request.headers.get('Authorization')).toBe('Bearer fake-access-token-1');
    sent.flush({});
    expect(client.calls.map((c) => c.method)).toEqual([
      'handleRedirectPromise',
      'acquireTokenSilent',
      'acquireTokenPopup',
    ]);
    // BroadcastService relayed the fake's failure event with its error.
    expect(failures).toHaveLength(1);
    expect((failures[0] as InteractionRequiredAuthError).errorCode).toBe('consent_required');
  });

  it('without a fallback, the HttpClient call errors with the fake error', async () => {
    const client = createFakeClient({ account: { username: 'alice' } });
    const outage = new ServerError({ error: 'temporarily_unavailable', status: 503 });
    client.failNext('acquireTokenSilent', outage);
    const { http, backend } = setUp(client);
    let failure: unknown;
    http.get(API).subscribe({ error: (error: unknown) => (failure = error) });
    await settle();
    backend.expectNone(API);
    expect(failure instanceof HttpErrorResponse ? failure.error : failure).toBe(outage);
  });
});
