// The seed's Angular set-up, as written there: MsalModule.forRoot({ clientID, protectedResourceMap })
// and MsalInterceptor registered through HTTP_INTERCEPTORS.
import { HTTP_INTERCEPTORS, provideHttpClient, withInterceptorsFromDi } from '@angular/common/http';
import { NgModule, provideZonelessChangeDetection } from '@angular/core';
import { BrowserModule } from '@angular/platform-browser';
import { RouterModule, type Routes } from '@angular/router';
import { MsalGuard, MsalInterceptor, MsalModule } from '@tessera/angular';
import { ProductService } from '../shared/api.service';
import { GuardedComponent, OtherComponent } from '../shared/pages';
import { exampleConfig } from '../shared/runtime-config';
import { API_URL } from '../shared/tokens';
import { AppComponent } from './app.component';
import { HomeComponent } from './home.component';

const config = exampleConfig();

const routes: Routes = [
  { path: '', component: HomeComponent },
  { path: 'other', component: OtherComponent },
  { path: 'guarded', component: GuardedComponent, canActivate: [MsalGuard] },
];

@NgModule({
  declarations: [AppComponent, HomeComponent],
  imports: [
    BrowserModule,
    RouterModule.forRoot(routes),
    // The seed's two keys, plus where the provider is and where it answers (runtime values).
    // Sign-in also asks consent for the mapped scopes, so no consentScopes are needed.
    MsalModule.forRoot({
      clientID: config.clientId,
      protectedResourceMap: { [`${config.apiUrl}/profile`]: config.scopes },
      authority: config.issuer,
      redirectUri: config.redirectUri,
    }),
  ],
  providers: [
    ProductService,
    {
      provide: HTTP_INTERCEPTORS,
      useClass: MsalInterceptor,
      multi: true,
    },
    provideHttpClient(withInterceptorsFromDi()),
    provideZonelessChangeDetection(),
    { provide: API_URL, useValue: config.apiUrl },
  ],
  bootstrap: [AppComponent],
})
export class AppModule {}
