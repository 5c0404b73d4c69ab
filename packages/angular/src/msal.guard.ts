import { Location } from '@angular/common';
import { DOCUMENT, inject, Injectable } from '@angular/core';
import type {
  ActivatedRouteSnapshot,
  CanActivate,
  CanActivateChild,
  CanActivateChildFn,
  CanActivateFn,
  RouterStateSnapshot,
} from '@angular/router';
import type { ResolvedMsalConfiguration } from './config';
import { MsalService } from './msal.service';
import { MSAL_CONFIG } from './tokens';

/** What the guard needs; resolved from DI by both guard forms. */
interface GuardContext {
  msal: MsalService;
  config: ResolvedMsalConfiguration;
  /** The router URL of the guarded route as an absolute URL, for the return after a redirect. */
  absoluteUrl: (routerUrl: string) => string | undefined;
}

function injectGuardContext(): GuardContext {
  const location = inject(Location, { optional: true });
  const doc = inject(DOCUMENT, { optional: true });
  return {
    msal: inject(MsalService),
    config: inject(MSAL_CONFIG),
    absoluteUrl: (routerUrl) => {
      const base = doc?.baseURI ?? globalThis.location?.href;
      if (base === undefined) return undefined;
      // Through the location strategy: base href and hash routing included.
      const external = location?.prepareExternalUrl(routerUrl) ?? routerUrl;
      return new URL(external, base).href;
    },
  };
}

/**
 * The one implementation behind {@link MsalGuard} and {@link msalGuard}: signed in → `true`.
 * Otherwise signs in — with a popup when `popUp` is configured (→ `true` on success, `false`
 * when it fails or is cancelled), else by redirect, returning afterwards to the guarded route
 * (→ `false` while the page leaves). Waits for start-up redirect handling first, so a user just
 * back from the provider counts as signed in.
 */
async function guardWithMsal(state: RouterStateSnapshot, ctx: GuardContext): Promise<boolean> {
  await ctx.msal.whenRedirectHandled();
  if (ctx.msal.getAllAccounts().length > 0) return true;
  try {
    if (ctx.config.popUp) {
      await ctx.msal.loginPopup();
      return true;
    }
    // Consent scopes and extra query parameters are MsalService's sign-in defaults.
    const startPage = ctx.absoluteUrl(state.url);
    await ctx.msal.loginRedirect(startPage === undefined ? {} : { redirectStartPage: startPage });
    return false;
  } catch {
    // The failure was broadcast as msal:loginFailure; the navigation is refused.
    return false;
  }
}

/**
 * Route guard: `canActivate: [msalGuard]`. Signed-in users pass; anonymous users sign in — by
 * redirect (default), coming back to the guarded route, or with a popup when `popUp` is set.
 */
export const msalGuard: CanActivateFn = (_route, state) =>
  guardWithMsal(state, injectGuardContext());

/** Child-route form of {@link msalGuard}: `canActivateChild: [msalChildGuard]`. */
export const msalChildGuard: CanActivateChildFn = (_route, state) =>
  guardWithMsal(state, injectGuardContext());

/**
 * Class form of {@link msalGuard}, for `canActivate: [MsalGuard]` and
 * `canActivateChild: [MsalGuard]`; same behaviour.
 */
@Injectable({ providedIn: 'root' })
export class MsalGuard implements CanActivate, CanActivateChild {
  readonly #ctx = injectGuardContext();

  /** Lets signed-in users through; signs anonymous users in first. */
  canActivate(_route: ActivatedRouteSnapshot, state: RouterStateSnapshot): Promise<boolean> {
    return guardWithMsal(state, this.#ctx);
  }

  /** Same as {@link MsalGuard.canActivate}, for child routes. */
  canActivateChild(_route: ActivatedRouteSnapshot, state: RouterStateSnapshot): Promise<boolean> {
    return guardWithMsal(state, this.#ctx);
  }
}
