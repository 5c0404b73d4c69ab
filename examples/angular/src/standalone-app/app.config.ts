import { provideHttpClient, withInterceptors } from '@angular/common/http';
import { provideZonelessChangeDetection, type ApplicationConfig } from '@angular/core';
import { provideRouter, type Routes } from '@angular/router';
import { msalGuard, msalInterceptor, provideMsal } from '@tessera/angular';
import { ProductService } from '../shared/api.service';
import { GuardedComponent, OtherComponent } from '../shared/pages';
import type { ExampleConfig } from '../shared/runtime-config';
import { API_URL } from '../shared/tokens';
import { HomeComponent } from './home.component';

const routes: Routes = [
  { path: '', component: HomeComponent },
  { path: 'other', component: OtherComponent },
  { path: 'guarded', component: GuardedComponent, canActivate: [msalGuard] },
];

/** The application's providers, from the runtime configuration. */
export function appConfig(config: ExampleConfig): ApplicationConfig {
  return {
    providers: [
      provideZonelessChangeDetection(),
      provideRouter(routes),
      provideMsal({
        clientID: config.clientId,
        authority: config.issuer,
        redirectUri: config.redirectUri,
        consentScopes: config.scopes,
        protectedResourceMap: new Map([[`${config.apiUrl}/profile`, config.scopes]]),
      }),
      provideHttpClient(withInterceptors([msalInterceptor])),
      ProductService,
      { provide: API_URL, useValue: config.apiUrl },
    ],
  };
}
