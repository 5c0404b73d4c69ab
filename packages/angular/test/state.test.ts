// The core's state snapshot in Angular: inProgress$ and accounts$ on the bus, and the account()
// signal on MsalService, zone-less.
import '@angular/compiler'; // JIT, before any Angular package.
import { DOCUMENT, provideZonelessChangeDetection } from '@angular/core';
import { TestBed } from '@angular/core/testing';
import { afterEach, describe, expect, it } from 'vitest';
import { BroadcastService, InteractionStatus, interactionStatusOf } from '../src/broadcast.service';
import { MsalService } from '../src/msal.service';
import { provideMsal } from '../src/provide-msal';
import { MSAL_INSTANCE } from '../src/tokens';
import { alice, FakeClient, initTestEnvironment } from './fakes';
import { STARTING_SNAPSHOT, type Account } from '@tessera/browser';

initTestEnvironment();
afterEach(() => TestBed.resetTestingModule());

function setUp(app: FakeClient): { msal: MsalService; bus: BroadcastService } {
  TestBed.configureTestingModule({
    providers: [
      provideZonelessChangeDetection(),
      provideMsal({ clientID: 'app' }),
      { provide: MSAL_INSTANCE, useValue: app },
      { provide: DOCUMENT, useValue: { baseURI: 'https://app.example/' } },
    ],
  });
  return { msal: TestBed.inject(MsalService), bus: TestBed.inject(BroadcastService) };
}

describe('state from the core snapshot', () => {
  it('inProgress$ goes startup → login → none, each change once', () => {
    const app = new FakeClient();
    const { bus } = setUp(app);
    const seen: InteractionStatus[] = [];
    const subscription = bus.inProgress$.subscribe((status) => seen.push(status));
    app.setSnapshot({ status: 'interacting', interaction: { kind: 'login', type: 'popup' } });
    app.setSnapshot({ status: 'interacting', interaction: { kind: 'login', type: 'popup' } });
    app.setSnapshot({ status: 'signedIn', interaction: null, accounts: [alice], account: alice });
    subscription.unsubscribe();
    expect(seen).toEqual(['startup', 'login', 'none']);
  });

  it('accounts$ replays the current accounts and emits on change', () => {
    const app = new FakeClient();
    const { bus } = setUp(app);
    const seen: (readonly Account[])[] = [];
    app.setSnapshot({ status: 'signedIn', accounts: [alice], account: alice });
    const subscription = bus.accounts$.subscribe((accounts) => seen.push(accounts));
    app.setSnapshot({ status: 'signedOut', accounts: [], account: null });
    subscription.unsubscribe();
    expect(seen).toEqual([[alice], []]);
  });

  it('account() is a signal of the active account', () => {
    const app = new FakeClient();
    const { msal } = setUp(app);
    expect(msal.account()).toBeNull();
    app.setSnapshot({ status: 'signedIn', accounts: [alice], account: alice });
    expect(msal.account()).toBe(alice);
    expect(msal.snapshot().status).toBe('signedIn');
  });

  it('stops listening to the core when the injector is destroyed', () => {
    const app = new FakeClient();
    setUp(app);
    expect(app.listenerCount).toBe(1);
    TestBed.resetTestingModule();
    expect(app.listenerCount).toBe(0);
  });

  it('maps snapshots to msal-angular statuses', () => {
    expect(interactionStatusOf(STARTING_SNAPSHOT)).toBe(InteractionStatus.Startup);
    expect(
      interactionStatusOf({
        ...STARTING_SNAPSHOT,
        status: 'interacting',
        interaction: { kind: 'logout', type: 'redirect' },
      }),
    ).toBe(InteractionStatus.Logout);
    expect(interactionStatusOf({ ...STARTING_SNAPSHOT, status: 'signedOut' })).toBe('none');
  });
});
