// Routed pages both apps share (standalone components work in NgModule apps' routes too).
import { Component, inject } from '@angular/core';
import { ProductService } from './api.service';

/** A second page: navigating here destroys the home component (and its subscription). */
@Component({
  selector: 'app-other',
  template: `
    <h1>Other page</h1>
    <button id="call-protected" (click)="products.profile()">Call protected API</button>
  `,
})
export class OtherComponent {
  readonly products = inject(ProductService);
}

/** Behind the guard: only signed-in users get here. */
@Component({
  selector: 'app-guarded',
  template: `<h1 id="guarded">Guarded content</h1>`,
})
export class GuardedComponent {}
