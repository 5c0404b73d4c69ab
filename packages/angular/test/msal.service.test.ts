// MsalService: the core-event bridge into BroadcastService, start-up redirect handling, and
// the sign-in defaults; MsalModule.forRoot and provideMsal register the same providers.
import '@angular/compiler'; // JIT, before any Angular package.
import { ApplicationInitStatus, DOCUMENT, provideZonelessChangeDetection } from '@angular/core';
import { TestBed } from '@angular/core/testing';
import { InteractionRequiredAuthError } from '@tessera/browser';
import { firstValueFrom } from 'rxjs';
import { afterEach, describe, expect, it } from 'vitest';
import { BroadcastService } from '../src/broadcast.service';
import { MsalModule } from '../src/msal.module';
import { MsalService } from '../src/msal.service';
import { provideMsal } from '../src/provide-msal';
import { MSAL_CONFIG, MSAL_INSTANCE } from '../src/tokens';
import { FakeClient, initTestEnvironment, settle, tokenFor } from './fakes';

initTestEnvironment();
afterEach(() => TestBed.resetTestingModule());

const config = {
  clientID: 'app',
  consentScopes: ['api://demo/read'],
  extraQueryParameters: { ui_locales: 'de' },
  protectedResourceMap: {
    'https://api.example/': ['api://demo/read', 'api://demo/write'],
    'https://graph.example/': ['user.read'],
  },
};

// No DOM in the unit project: TestBed's renderer only needs something to inject.
const noDocument = { provide: DOCUMENT, useValue: { baseURI: 'https://app.example/' } };

function setUp(app: FakeClient, style: 'module' | 'standalone' = 'standalone'): MsalService {
  TestBed.configureTestingModule({
    imports: style === 'module' ? [MsalModule.forRoot(config)] : [],
    providers: [
      provideZonelessChangeDetection(),
      ...(style === 'standalone' ? [provideMsal(config)] : []),
      { provide: MSAL_INSTANCE, useValue: app },
      noDocument,
    ],
  });
  return TestBed.inject(MsalService);
}

describe('MsalService', () => {
  it.each(['module', 'standalone'] as const)('is registered the same way by %s set-up', (style) => {
    const app = new FakeClient();
    const msal = setUp(app, style);
    expect(msal.instance).toBe(app);
    expect(TestBed.inject(MSAL_CONFIG).consentScopes).toEqual(['api://demo/read']);
    expect(app.callbackCount).toBe(1);
  });

  it('relays core events to the bus: failures with the error as payload', async () => {
    const app = new FakeClient();
    const error = new InteractionRequiredAuthError('login_required', 'x');
    app.silent = () => Promise.reject(error);
    const msal = setUp(app);
    const bus = TestBed.inject(BroadcastService);
    const failures: unknown[] = [];
    const successes: unknown[] = [];
    bus.subscribe('msal:acquireTokenFailure', (p) => failures.push(p));
    bus.subscribe('msal:acquireTokenSuccess', (p) => successes.push(p));

    await expect(msal.acquireTokenSilent({ scopes: ['a'] })).rejects.toBe(error);
    expect(failures).toEqual([error]);

    app.silent = (request) => Promise.resolve(tokenFor(request.scopes ?? []));
    const token = await firstValueFrom(msal.acquireTokenSilent$({ scopes: ['a'] }));
    expect(successes).toEqual([token]);
  });

  it('stops relaying when the injector is destroyed', () => {
    const app = new FakeClient();
    setUp(app);
    expect(app.callbackCount).toBe(1);
    TestBed.resetTestingModule();
    expect(app.callbackCount).toBe(0);
  });

  it('handles the redirect at start-up: the app initializer waits for it', async () => {
    const app = new FakeClient();
    let finish: (value: null) => void = () => undefined;
    app.redirectResult = new Promise((resolve) => (finish = resolve));
    TestBed.configureTestingModule({
      providers: [
        provideZonelessChangeDetection(),
        provideMsal(config),
        { provide: MSAL_INSTANCE, useValue: app },
        noDocument,
      ],
    });
    const status = TestBed.inject(ApplicationInitStatus);
    await settle();
    expect(status.done).toBe(false);
    finish(null);
    await status.donePromise;
    expect(status.done).toBe(true);
    await expect(firstValueFrom(TestBed.inject(MsalService).handleRedirect$)).resolves.toBeNull();
  });

  it('a failed redirect does not fail start-up; handleRedirect$ carries the error', async () => {
    const app = new FakeClient();
    const error = new InteractionRequiredAuthError('login_required', 'x');
    app.redirectResult = Promise.reject(error);
    const msal = setUp(app);
    await TestBed.inject(ApplicationInitStatus).donePromise;
    await expect(firstValueFrom(msal.handleRedirect$)).rejects.toBe(error);
    await expect(msal.whenRedirectHandled()).resolves.toBeUndefined();
  });

  it('signs in with consent scopes, the mapped API scopes to consent, and query parameters', async () => {
    const app = new FakeClient();
    const msal = setUp(app);
    await firstValueFrom(msal.loginPopup$());
    await msal.loginRedirect({ scopes: ['other'] });
    const extraScopesToConsent = ['api://demo/write', 'user.read'];
    const extraQueryParameters = { ui_locales: 'de' };
    expect(app.calls.map((c) => c.request)).toEqual([
      { scopes: ['api://demo/read'], extraScopesToConsent, extraQueryParameters },
      { scopes: ['other'], extraScopesToConsent, extraQueryParameters },
    ]);
    expect(msal.getAccount()?.username).toBe('alice');
    expect(msal.getAllAccounts()).toHaveLength(1);
  });
});
