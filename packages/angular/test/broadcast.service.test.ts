// BroadcastService as the seed uses it: subscribe(type, cb), unsubscribe, getMSALSubject().next(1).
import '@angular/compiler';
import { describe, expect, it } from 'vitest';
import { BroadcastService, isMsalBroadcastMessage } from '../src/broadcast.service';

describe('BroadcastService', () => {
  it('delivers payloads of the subscribed type only, until unsubscribed', () => {
    const bus = new BroadcastService();
    const got: unknown[] = [];
    const subscription = bus.subscribe('msal:acquireTokenFailure', (payload) => got.push(payload));
    bus.broadcast('msal:acquireTokenSuccess', 'ok');
    bus.broadcast('msal:acquireTokenFailure', 'e1');
    subscription.unsubscribe();
    bus.broadcast('msal:acquireTokenFailure', 'e2');
    expect(got).toEqual(['e1']);
  });

  it('ignores non-messages pushed into the subject (the seed calls next(1))', () => {
    const bus = new BroadcastService();
    const got: unknown[] = [];
    bus.subscribe('msal:acquireTokenFailure', (payload) => got.push(payload));
    const subject = bus.getMSALSubject();
    subject.next(1);
    subject.next(null);
    subject.next({ type: 42 });
    bus.broadcast('msal:acquireTokenFailure', 'e');
    expect(got).toEqual(['e']);
    expect(subject.closed).toBe(false);
  });

  it('replays nothing stale to a later subscriber, with or without next(1)', () => {
    const bus = new BroadcastService();
    bus.broadcast('msal:acquireTokenFailure', 'before');
    const late: unknown[] = [];
    bus.subscribe('msal:acquireTokenFailure', (p) => late.push(p));
    bus.getMSALSubject().next(1); // the seed's ngOnDestroy: harmless
    bus.broadcast('msal:acquireTokenFailure', 'after');
    expect(late).toEqual(['after']);
  });

  it('exposes payloads as an Observable too', () => {
    const bus = new BroadcastService();
    const got: unknown[] = [];
    const subscription = bus.messages$('msal:loginSuccess').subscribe((p) => got.push(p));
    bus.broadcast('msal:loginSuccess', { account: 'alice' });
    subscription.unsubscribe();
    expect(got).toEqual([{ account: 'alice' }]);
    expect(isMsalBroadcastMessage({ type: 'x', payload: undefined })).toBe(true);
    expect(isMsalBroadcastMessage(1)).toBe(false);
  });
});
