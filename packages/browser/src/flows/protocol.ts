import { createProtocolClient } from '../protocol/protocol-client.js';
import type { ProtocolClient } from '../protocol/types.js';
import type { FlowContext } from './context.js';

const clients = new WeakMap<FlowContext, Map<string, ProtocolClient>>();

/**
 * The protocol client for an authority: one per authority and application instance, so
 * discovery runs once. Lives in the lazily loaded flows, which keeps oauth4webapi out of the
 * entry.
 */
export function protocolFor(ctx: FlowContext, authority: string): ProtocolClient {
  const key = authority.replace(/\/+$/, '');
  let perAuthority = clients.get(ctx);
  if (perAuthority === undefined) {
    perAuthority = new Map<string, ProtocolClient>();
    clients.set(ctx, perAuthority);
  }
  let client = perAuthority.get(key);
  if (client === undefined) {
    client = createProtocolClient({
      authority: key,
      protocolMode: ctx.config.protocolMode,
      clientId: ctx.config.clientId,
      fetch: ctx.ports.fetch,
      clock: ctx.ports.clock,
      logger: ctx.logger,
      allowInsecureRequests: new URL(key).protocol === 'http:',
      networkTimeoutMs: ctx.config.networkTimeout,
      timers: ctx.ports.timers,
      // Remembered across page loads where the tokens are: a cold start with a refresh token
      // then makes one request, the token request.
      metadataStore: ctx.store,
      // Inline metadata describes the configured authority only, never a per-request one.
      authorityMetadata:
        key === ctx.config.authority.replace(/\/+$/, '') ? ctx.config.authorityMetadata : undefined,
    });
    perAuthority.set(key, client);
  }
  return client;
}
