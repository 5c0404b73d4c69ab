import { Injectable } from '@angular/core';
import {
  interactionStatusOf,
  STARTING_SNAPSHOT,
  type Account,
  type AuthSnapshot,
  type InteractionStatus,
} from '@tessera/browser';
import {
  BehaviorSubject,
  distinctUntilChanged,
  filter,
  map,
  Subject,
  type Observable,
  type Subscription,
} from 'rxjs';

export { InteractionStatus, interactionStatusOf } from '@tessera/browser';

/** One message on the {@link BroadcastService} bus. */
export interface MsalBroadcastMessage {
  /** Event name, e.g. `msal:acquireTokenFailure`. */
  type: string;
  /** Success events carry the `AuthResponse` (or account); failure events carry the error. */
  payload: unknown;
}

/** True for a message of the bus; anything else (e.g. the seed's `next(1)`) is ignored. */
export function isMsalBroadcastMessage(value: unknown): value is MsalBroadcastMessage {
  return (
    typeof value === 'object' &&
    value !== null &&
    typeof (value as { type?: unknown }).type === 'string' &&
    'payload' in value
  );
}

/**
 * The event bus of the seed and msal-angular: every event of `@tessera/browser`
 * (`msal:loginSuccess`, `msal:acquireTokenFailure`, `msal:logoutSuccess`,
 * `msal:handleRedirectEnd`, ...) is broadcast here by `MsalService`.
 *
 * Subscribers receive the messages published after they subscribed; nothing stale is replayed
 * to a component created later (msal-angular's bus replayed its latest message, which is why
 * the seed calls `getMSALSubject().next(1)` in `ngOnDestroy`; that call still works here and is
 * harmless: values that are not messages are ignored by {@link BroadcastService.subscribe}).
 * For the outcome of a redirect that completed before a component existed, use
 * `MsalService.handleRedirect$` or `handleRedirectCallbacks`.
 */
@Injectable({ providedIn: 'root' })
export class BroadcastService {
  readonly #subject = new Subject<unknown>();
  readonly #snapshot = new BehaviorSubject<AuthSnapshot>(STARTING_SNAPSHOT);

  /**
   * The core's state snapshot, current value first (fed by `MsalService` from
   * `UserAgentApplication.subscribe`): `startup` until `MsalService` exists.
   */
  readonly snapshot$: Observable<AuthSnapshot> = this.#snapshot.pipe(distinctUntilChanged());

  /**
   * msal-angular's `inProgress$`: the {@link InteractionStatus}, current value first, each
   * change once. Wait for `none` before acting on the accounts, e.g.
   * `inProgress$.pipe(filter((s) => s === InteractionStatus.None))`.
   */
  readonly inProgress$: Observable<InteractionStatus> = this.snapshot$.pipe(
    map(interactionStatusOf),
    distinctUntilChanged(),
  );

  /** The signed-in accounts, most recent first; current value first, then each change. */
  readonly accounts$: Observable<readonly Account[]> = this.snapshot$.pipe(
    map((snapshot) => snapshot.accounts),
    distinctUntilChanged(),
  );

  /** Publishes the core's latest snapshot (called by `MsalService`). */
  publishSnapshot(snapshot: AuthSnapshot): void {
    this.#snapshot.next(snapshot);
  }

  /** Publishes a message to every subscriber of `type`. */
  broadcast(type: string, payload: unknown): void {
    this.#subject.next({ type, payload } satisfies MsalBroadcastMessage);
  }

  /** The underlying subject: `next(value)` publishes raw values (non-messages are ignored). */
  getMSALSubject(): Subject<unknown> {
    return this.#subject;
  }

  /** Every value of the bus, raw. */
  getMSALItem(): Observable<unknown> {
    return this.#subject.asObservable();
  }

  /** The payloads of one message type, as an Observable. */
  messages$(type: string): Observable<unknown> {
    return this.#subject.pipe(
      filter(isMsalBroadcastMessage),
      filter((message) => message.type === type),
      map((message) => message.payload),
    );
  }

  /**
   * Calls `callback` with the payload of every `type` message; `unsubscribe()` the returned
   * subscription (e.g. in `ngOnDestroy`) to stop. A throwing callback does not stop later
   * messages to other subscribers.
   */
  subscribe(type: string, callback: (payload: unknown) => void): Subscription {
    return this.messages$(type).subscribe(callback);
  }
}
