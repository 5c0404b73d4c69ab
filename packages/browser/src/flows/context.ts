import type { AccountEntity, KeyValueStore, TokenCache, TransactionStore } from '../cache/types.js';
import type { ResolvedConfiguration } from '../config.js';
import type { SpentTokenRegistry } from '../coordination/spent-tokens.js';
import type { CacheNotifier, LockManager } from '../coordination/types.js';
import type { EventHub } from '../events.js';
import type { NavigationClient } from '../interaction/types.js';
import type { Logger } from '../logger.js';
import type { Ports } from '../ports.js';
import type { ProtocolClient } from '../protocol/types.js';
import type { AuthTransaction } from './transaction.js';

/** Shares one in-flight promise per key. */
export interface SingleFlight {
  run<T>(key: string, fn: () => Promise<T>): Promise<T>;
}

/** Allows one popup or redirect at a time in this tab. */
export interface InteractionGuard {
  /**
   * Takes the slot and returns its release function.
   *
   * @throws BrowserAuthError `interaction_in_progress` when another interaction runs.
   */
  beginInteraction(): () => void;
}

/**
 * The accounts this app knows, mirrored in memory so `getAccount()` can answer synchronously.
 */
export interface AccountRegistry {
  all(): AccountEntity[];
  /** Re-reads the cache (after a write here or a notice from another tab). */
  reload(): Promise<void>;
}

/** What every flow receives: the layers, wired once by the facade. */
export interface FlowContext {
  config: ResolvedConfiguration;
  ports: Ports;
  logger: Logger;
  cache: TokenCache;
  transactions: TransactionStore<AuthTransaction>;
  /** Per-tab store (sessionStorage, else memory) for redirect bookkeeping. */
  session: KeyValueStore;
  /** The protocol client for an authority (one per authority, discovery cached inside). */
  protocol(authority: string): ProtocolClient;
  events: EventHub;
  singleFlight: SingleFlight;
  locks: LockManager;
  /** Refresh tokens any tab of the origin has already sent. */
  spentTokens: SpentTokenRegistry;
  notifier: CacheNotifier;
  interactionGuard: InteractionGuard;
  navigationClient: NavigationClient;
  accounts: AccountRegistry;
}
