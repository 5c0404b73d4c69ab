// MsalGuard: signed in → true; anonymous → sign-in by redirect back to the guarded route, or popup.
import '@angular/compiler'; // JIT, before any Angular package.
import { Location } from '@angular/common';
import { DOCUMENT, provideZonelessChangeDetection } from '@angular/core';
import { TestBed } from '@angular/core/testing';
import type { ActivatedRouteSnapshot, RouterStateSnapshot } from '@angular/router';
import { BrowserAuthError } from '@tessera/browser';
import { afterEach, describe, expect, it } from 'vitest';
import type { MsalFlatConfiguration } from '../src/config';
import { MsalGuard, msalGuard } from '../src/msal.guard';
import { provideMsal } from '../src/provide-msal';
import { MSAL_INSTANCE } from '../src/tokens';
import { alice, FakeClient, initTestEnvironment } from './fakes';

initTestEnvironment();
afterEach(() => TestBed.resetTestingModule());

const route = {} as ActivatedRouteSnapshot;
const state = { url: '/orders/7?tab=open' } as RouterStateSnapshot;

function setUp(app: FakeClient, extra: Partial<MsalFlatConfiguration> = {}): void {
  TestBed.configureTestingModule({
    providers: [
      provideZonelessChangeDetection(),
      provideMsal({ clientID: 'app', consentScopes: ['api://demo/read'], ...extra }),
      { provide: MSAL_INSTANCE, useValue: app },
      { provide: DOCUMENT, useValue: { baseURI: 'https://app.example/shop/' } },
      // The app's base href is /shop/: the location strategy prefixes it.
      { provide: Location, useValue: { prepareExternalUrl: (url: string) => `/shop${url}` } },
    ],
  });
}

type GuardForm = [string, () => Promise<boolean>];
const forms: GuardForm[] = [
  [
    'msalGuard',
    () => TestBed.runInInjectionContext(() => msalGuard(route, state)) as Promise<boolean>,
  ],
  ['MsalGuard', () => TestBed.inject(MsalGuard).canActivate(route, state)],
];

describe.each(forms)('%s', (_name, run) => {
  it('lets a signed-in user through without any interaction', async () => {
    const app = new FakeClient();
    app.accounts = [alice];
    setUp(app);
    await expect(run()).resolves.toBe(true);
    expect(app.calls).toEqual([]);
  });

  it('sends an anonymous user to sign in by redirect, back to the guarded route', async () => {
    const app = new FakeClient();
    setUp(app);
    await expect(run()).resolves.toBe(false);
    expect(app.calls).toEqual([
      {
        method: 'loginRedirect',
        request: {
          scopes: ['api://demo/read'],
          redirectStartPage: 'https://app.example/shop/orders/7?tab=open',
        },
      },
    ]);
  });

  it('signs in with a popup when popUp is configured', async () => {
    const app = new FakeClient();
    setUp(app, { popUp: true });
    await expect(run()).resolves.toBe(true);
    expect(app.callsOf('loginPopup')).toHaveLength(1);
  });

  it('refuses the navigation when the popup fails', async () => {
    const app = new FakeClient();
    app.popup = () => Promise.reject(new BrowserAuthError('user_cancelled', 'closed'));
    setUp(app, { popUp: true });
    await expect(run()).resolves.toBe(false);
  });

  it('waits for start-up redirect handling before deciding', async () => {
    const app = new FakeClient();
    let finish: (value: null) => void = () => undefined;
    app.redirectResult = new Promise((resolve) => (finish = resolve));
    setUp(app);
    const decision = run();
    app.accounts = [alice]; // the redirect response signed alice in
    finish(null);
    await expect(decision).resolves.toBe(true);
  });
});
