// The seed's component in standalone form: the same subscribe / next(1) / unsubscribe pattern.
import { Component, inject, type OnDestroy, type OnInit } from '@angular/core';
import { BroadcastService } from '@tessera/angular';
import type { Subscription } from 'rxjs';
import { ProductService } from '../shared/api.service';
import { EventLog, instanceName, summarize } from '../shared/event-log';

@Component({
  selector: 'app-home',
  template: `
    <h1>Home ({{ name }})</h1>
    <button id="call-protected" (click)="products.profile()">Call protected API</button>
    <button id="call-public" (click)="products.health()">Call public API</button>
  `,
})
export class HomeComponent implements OnInit, OnDestroy {
  readonly products = inject(ProductService);
  readonly name = instanceName('home');
  private readonly broadcastService = inject(BroadcastService);
  private readonly log = inject(EventLog);
  private subscription: Subscription | undefined;

  ngOnInit(): void {
    this.subscription = this.broadcastService.subscribe('msal:acquireTokenFailure', (payload) => {
      this.log.add(this.name, 'msal:acquireTokenFailure', summarize(payload));
    });
  }

  ngOnDestroy(): void {
    this.broadcastService.getMSALSubject().next(1);
    this.subscription?.unsubscribe();
  }
}
