/**
 * @tessera/angular — the Angular wrapper of `@tessera/browser`: `MsalModule.forRoot` and
 * `provideMsal`, `MsalService`, `BroadcastService`, `MsalInterceptor` / `msalInterceptor` and
 * `MsalGuard` / `msalGuard`.
 * @packageDocumentation
 */
export { MsalModule } from './msal.module';
export { provideMsal } from './provide-msal';
export { MsalService } from './msal.service';
export {
  BroadcastService,
  BroadcastService as MsalBroadcastService,
  InteractionStatus,
  interactionStatusOf,
  isMsalBroadcastMessage,
} from './broadcast.service';
export type { MsalBroadcastMessage } from './broadcast.service';
export {
  MsalInterceptor,
  msalInterceptor,
  interceptWithMsal,
  injectMsalInterceptorContext,
  protectedScopesFor,
} from './msal.interceptor';
export type { MsalInterceptorContext } from './msal.interceptor';
export { MsalGuard, msalGuard, msalChildGuard } from './msal.guard';
export { resolveMsalConfiguration } from './config';
export type {
  MsalAngularConfiguration,
  MsalFlatConfiguration,
  MsalInteractionType,
  MsalProtectedResourceMap,
  ResolvedMsalConfiguration,
} from './config';
export { MSAL_CONFIG, MSAL_INSTANCE } from './tokens';
export type { MsalClient } from './tokens';
