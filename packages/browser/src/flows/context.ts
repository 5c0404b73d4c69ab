import type { KeyValueStore, TokenCache } from '../cache/types.js';
import type { ResolvedConfiguration } from '../config.js';
import type { CacheNotifier } from '../coordination/types.js';
import type { EventHub } from '../events.js';
import type { InteractionLock } from '../interaction/interaction-lock.js';
import type { NavigationClient } from '../interaction/types.js';
import type { Logger } from '../logger.js';
import type { Ports } from '../ports.js';

/** Shares one in-flight promise per key. */
export interface SingleFlight {
  run<T>(key: string, fn: () => Promise<T>): Promise<T>;
}

/**
 * What the application instance wires once and its flows share. Everything here is cheap to
 * create: the protocol engine, locks and transaction store are made by the lazily loaded flows
 * that need them (see `protocol.ts`, `transaction.ts`).
 */
export interface FlowContext {
  config: ResolvedConfiguration;
  ports: Ports;
  logger: Logger;
  /** The in-memory view of this client's tokens, written through to the configured storage. */
  cache: TokenCache;
  /** The configured storage itself (discovery metadata lives there too). */
  store: KeyValueStore;
  /** Per-tab store (sessionStorage, else memory) for redirect bookkeeping and transactions. */
  session: KeyValueStore;
  events: EventHub;
  singleFlight: SingleFlight;
  /** Tells the app's other tabs of sign-outs (BroadcastChannel). */
  notifier: CacheNotifier;
  /** One popup or redirect at a time in this tab. */
  interactions: InteractionLock;
  /**
   * The session generation: sign-out bumps it, and a renewal that started under an older one
   * stores nothing, so a refresh in flight cannot bring a signed-out account back.
   */
  generation: number;
  /**
   * Accounts whose session ended and was reported (`msal:sessionEnded`), so an app hears it
   * once; a new token for the account clears the mark.
   */
  ended: Set<string>;
  /** The app's router hook, when it gave one. */
  navigationClient: NavigationClient | undefined;
}
