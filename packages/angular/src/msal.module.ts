import { NgModule, type ModuleWithProviders } from '@angular/core';
import type { Configuration } from '@tessera/browser';
import type { MsalAngularConfiguration, MsalFlatConfiguration } from './config';
import { provideMsal } from './provide-msal';

/**
 * NgModule entry point, as the seed writes it:
 * `imports: [MsalModule.forRoot({ clientID: 'your_app_id', protectedResourceMap })]`, with
 * `{ provide: HTTP_INTERCEPTORS, useClass: MsalInterceptor, multi: true }` among the providers.
 * Same providers as {@link provideMsal}.
 */
@NgModule()
export class MsalModule {
  /**
   * The module with its providers; see {@link provideMsal} for the arguments.
   *
   * @throws ClientConfigurationError `invalid_configuration` for a malformed resource map.
   */
  static forRoot(config: MsalFlatConfiguration): ModuleWithProviders<MsalModule>;
  static forRoot(
    configuration: Configuration,
    angularConfig?: MsalAngularConfiguration,
  ): ModuleWithProviders<MsalModule>;
  static forRoot(
    config: MsalFlatConfiguration | Configuration,
    angularConfig?: MsalAngularConfiguration,
  ): ModuleWithProviders<MsalModule> {
    return {
      ngModule: MsalModule,
      providers: [
        angularConfig === undefined
          ? provideMsal(config as MsalFlatConfiguration)
          : provideMsal(config as Configuration, angularConfig),
      ],
    };
  }
}
