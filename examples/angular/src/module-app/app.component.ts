import { Component, DestroyRef, inject, signal } from '@angular/core';
import { BroadcastService, MsalService } from '@tessera/angular';
import { EventLog, summarize } from '../shared/event-log';

/** The shell: sign-in state, sign in with a popup, navigation, and the log. */
@Component({
  selector: 'app-root',
  standalone: false,
  template: `
    <nav>
      <a routerLink="/" id="nav-home">Home</a>
      <a routerLink="/other" id="nav-other">Other</a>
      <a routerLink="/guarded" id="nav-guarded">Guarded</a>
    </nav>
    <p id="status" [attr.data-state]="account() ? 'signed-in' : 'signed-out'">
      {{ account() ? 'Signed in as ' + account()?.username : 'Signed out' }}
    </p>
    <button id="sign-in" (click)="signIn()">Sign in (popup)</button>
    <button id="sign-out" (click)="signOut()">Sign out</button>
    <router-outlet />
    <h2>Log</h2>
    <ul id="log">
      @for (entry of log.entries(); track $index) {
        <li>{{ entry.source }} {{ entry.event }} {{ entry.detail }}</li>
      }
    </ul>
  `,
})
export class AppComponent {
  readonly log = inject(EventLog);
  readonly #msal = inject(MsalService);
  readonly account = signal(this.#msal.getAccount());

  constructor() {
    const broadcast = inject(BroadcastService);
    // Any library event may change who is signed in.
    const all = broadcast.getMSALItem().subscribe(() => this.account.set(this.#msal.getAccount()));
    // The shell lives as long as the app: it sees every failure, for comparison with the pages.
    const failures = broadcast.subscribe('msal:acquireTokenFailure', (payload) =>
      this.log.add('shell', 'msal:acquireTokenFailure', summarize(payload)),
    );
    inject(DestroyRef).onDestroy(() => {
      all.unsubscribe();
      failures.unsubscribe();
    });
  }

  signIn(): void {
    // Straight from the click handler: the popup opens inside the user gesture.
    this.#msal.loginPopup().catch((error: unknown) => {
      this.log.add('shell', 'loginPopup', `error ${summarize(error)}`);
    });
  }

  signOut(): void {
    void this.#msal.logout();
  }
}
