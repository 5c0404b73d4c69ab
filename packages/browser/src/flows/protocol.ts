import { createProtocolClient } from '../protocol/protocol-client.js';
import type { ProtocolClient } from '../protocol/types.js';
import type { ProtocolDeps } from './context.js';

const clients = new WeakMap<ProtocolDeps, Record<string, ProtocolClient>>();

/**
 * The protocol client for an authority, as configuration validation normalised it (no trailing
 * slash; discovery requires the issuer to be exactly that): one per authority and application
 * instance, so discovery runs once and the provider's clock offset learned at sign-in serves
 * later renewals. Lives in the lazily loaded flows, which keeps oauth4webapi out of the entry.
 */
export function protocolFor(ctx: ProtocolDeps, authority: string): ProtocolClient {
  let perAuthority = clients.get(ctx);
  if (!perAuthority) clients.set(ctx, (perAuthority = {}));
  return (perAuthority[authority] ??= createProtocolClient({
    authority,
    protocolMode: ctx.config.protocolMode,
    clientId: ctx.config.clientId,
    fetch: ctx.ports.fetch,
    clock: ctx.ports.clock,
    logger: ctx.logger,
    allowInsecureRequests: authority.startsWith('http:'),
    networkTimeoutMs: ctx.config.networkTimeout,
    timers: ctx.ports.timers,
    // Remembered across page loads where the tokens are: a cold start with a refresh token
    // then makes one request, the token request; and refreshes keep the provider's clock.
    metadataStore: ctx.store,
    // Inline metadata describes the configured authority only, never a per-request one.
    authorityMetadata: authority == ctx.config.authority ? ctx.config.authorityMetadata : undefined,
    offlineAccess: ctx.config.offlineAccess,
  }));
}
