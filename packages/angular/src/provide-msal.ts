import {
  inject,
  makeEnvironmentProviders,
  provideAppInitializer,
  type EnvironmentProviders,
} from '@angular/core';
import { UserAgentApplication, type Configuration } from '@tessera/browser';
import {
  resolveMsalConfiguration,
  type MsalAngularConfiguration,
  type MsalFlatConfiguration,
} from './config';
import { MsalService } from './msal.service';
import { MSAL_CONFIG, MSAL_INSTANCE } from './tokens';

/**
 * Everything the wrapper registers, for standalone apps:
 * `bootstrapApplication(App, { providers: [provideMsal({ clientID, protectedResourceMap }),
 * provideHttpClient(withInterceptors([msalInterceptor]))] })`. `MsalModule.forRoot` registers
 * exactly these providers.
 *
 * Registers the validated configuration ({@link MSAL_CONFIG}), the `UserAgentApplication`
 * ({@link MSAL_INSTANCE}), {@link MsalService}, and an app initializer that waits for redirect
 * handling, so a page returning from the provider has its account (and its events on the
 * {@link BroadcastService} bus) before the first route is guarded.
 *
 * @param config - The seed's flat keys (`clientID`, `authority`, `protectedResourceMap`, ...);
 *   the second form below takes the core's `{ auth, cache, system }` configuration.
 * @throws ClientConfigurationError `invalid_configuration` for a malformed resource map (at
 *   call time); the core's configuration errors when the application is created.
 */
export function provideMsal(config: MsalFlatConfiguration): EnvironmentProviders;
/**
 * {@link provideMsal} with the core's `{ auth, cache, system }` configuration.
 *
 * @param configuration - The core's configuration.
 * @param angularConfig - The Angular options: `popUp`, `consentScopes`, `protectedResourceMap`,
 *   `unprotectedResources`, `extraQueryParameters`, `interactionFallback`.
 */
export function provideMsal(
  configuration: Configuration,
  angularConfig?: MsalAngularConfiguration,
): EnvironmentProviders;
export function provideMsal(
  config: MsalFlatConfiguration | Configuration,
  angularConfig?: MsalAngularConfiguration,
): EnvironmentProviders {
  const resolved = resolveMsalConfiguration(config, angularConfig);
  return makeEnvironmentProviders([
    { provide: MSAL_CONFIG, useValue: resolved },
    {
      provide: MSAL_INSTANCE,
      useFactory: () => new UserAgentApplication(inject(MSAL_CONFIG).configuration),
    },
    MsalService,
    // Blocks bootstrap only while a redirect response is processed; resolves at once otherwise.
    provideAppInitializer(() => inject(MsalService).whenRedirectHandled()),
  ]);
}
