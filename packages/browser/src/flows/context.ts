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
 * that need them (see `protocol.ts`, `transaction.ts`). Each flow declares the part it uses (a
 * `Pick` of this, or one of the views below), so its signature says what it depends on and a
 * test gives it only that.
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

/** What the protocol engine of an authority is made from (`protocol.ts`). */
export type ProtocolDeps = Pick<FlowContext, 'config' | 'logger' | 'ports' | 'store'>;

/** What the store of pending authorization requests is made from (`transaction.ts`). */
export type TransactionDeps = Pick<FlowContext, 'config' | 'logger' | 'ports' | 'session'>;

/** What storing a token result reads and updates (`complete.ts`). */
export type StoreDeps = Pick<FlowContext, 'cache' | 'config' | 'ended' | 'events' | 'generation'>;

/** What answering from the cache reads (`silent-cache.ts`). */
export type CacheReadDeps = Pick<FlowContext, 'cache' | 'config' | 'ports'>;

/** What an authorization round trip needs, from the request to the stored result. */
export type AuthorizeDeps = ProtocolDeps & TransactionDeps & StoreDeps;
