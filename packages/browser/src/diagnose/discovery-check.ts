/**
 * The discovery and issuer checks, shared by the browser's `diagnose` and the CLI. They run the
 * real discovery through the protocol layer, so its rules (OIDC Discovery 4.3 exact issuer, the
 * AAD discovery path, Entra's `{tenantid}` template and tenant-id issuers, https endpoints) are
 * the ones judged — none is restated here. DOM-free.
 */
import { isAuthError } from '../errors/auth-error.js';
import { DISCOVERY_FAILED } from '../errors/error-codes.js';
import { quietLogger } from './quiet-logger.js';
import { systemClock, type FetchLike } from '../ports.js';
import type { ProtocolClient, ProtocolMode, ProviderInfo } from '../protocol/types.js';
import { createReport } from './report.js';
import type { Diagnosis, Finding } from './types.js';

/** What the discovery check needs. */
export interface DiscoveryCheckInput {
  authority: string;
  protocolMode: ProtocolMode;
  clientId: string;
  fetch: FetchLike;
  /** `auth.authorityMetadata`: then the document is checked but not fetched. */
  authorityMetadata?: string | Record<string, unknown> | undefined;
  /** Time limit of the request, ms (default 10 000). */
  networkTimeoutMs?: number | undefined;
  /** Headers added to the discovery request (the CLI sends the app's `Origin`). */
  headers?: Record<string, string> | undefined;
  /**
   * Explains a request that got no answer at all (`fetch` rejected with a `TypeError`): the
   * browser can tell CORS from unreachable with a `no-cors` request; Node has no CORS.
   */
  explainNoAnswer: (url: string, error: unknown) => Promise<Finding>;
}

/** The discovery answer as it came over the wire. */
export interface DiscoveryExchange {
  url: string;
  status: number;
  /** `opaqueredirect` when the browser saw a redirect it did not follow. */
  type: ResponseType;
  headers: Headers;
}

/** The outcome of the discovery check. */
export interface DiscoveryCheck extends Pick<Diagnosis, 'findings' | 'passed'> {
  /** The validated provider: set when discovery succeeded. */
  provider?: { protocol: ProtocolClient; info: ProviderInfo; document: Record<string, unknown> };
  /** The discovery response, when one was read (not for inline metadata). */
  exchange?: DiscoveryExchange;
}

const asObject = (text: string | undefined): Record<string, unknown> | undefined => {
  try {
    const value: unknown = JSON.parse(text ?? '');
    return typeof value === 'object' && value !== null && !Array.isArray(value)
      ? (value as Record<string, unknown>)
      : undefined;
  } catch {
    return undefined;
  }
};

/**
 * Discovers the provider as the library would and reports `discovery` and `issuer`. On an
 * issuer failure the protocol layer's `discovery_failed` is mapped by a second, offline run over
 * the same document with its own `issuer` as the authority: when that passes, the document is
 * sound and only the authority differs from the issuer (`issuer_mismatch`); otherwise the
 * document itself is at fault (`discovery_invalid`, with the protocol layer's reason).
 */
export async function checkDiscovery(input: DiscoveryCheckInput): Promise<DiscoveryCheck> {
  // Through the lazily loaded part, so the protocol engine stays in one chunk with the flows.
  const { createProtocolClient } = await import('../flows/lazy.js');
  const report = createReport();
  const ms = input.networkTimeoutMs ?? 10_000;
  const seen: {
    url?: string;
    exchange?: DiscoveryExchange;
    text?: string | undefined;
    error?: unknown;
  } = {};
  // A fetch that records what came over the wire. A request that got no answer is not retried
  // (the protocol client retries a TypeError): one diagnosis needs one request.
  const capture: FetchLike = async (resource, init) => {
    const url =
      typeof resource === 'string' ? resource : 'url' in resource ? resource.url : resource.href;
    seen.url = url;
    const headers = new Headers(init?.headers);
    for (const [name, value] of Object.entries(input.headers ?? {})) headers.set(name, value);
    try {
      const response = await input.fetch(url, { ...init, headers });
      seen.exchange = {
        url,
        status: response.status,
        type: response.type,
        headers: response.headers,
      };
      seen.text = await response
        .clone()
        .text()
        .catch(() => undefined);
      return response;
    } catch (error) {
      seen.error = error;
      throw error instanceof TypeError ? new DOMException('No answer', 'NetworkError') : error;
    }
  };
  const protocolFor = (
    authority: string,
    protocolMode: ProtocolMode,
    authorityMetadata: string | Record<string, unknown> | undefined,
  ): ProtocolClient =>
    createProtocolClient({
      authority,
      protocolMode,
      clientId: input.clientId,
      fetch: capture,
      clock: systemClock,
      logger: quietLogger,
      // As the library decides it: http only for a loopback authority (config validation).
      allowInsecureRequests: authority.startsWith('http:'),
      networkTimeoutMs: ms,
      authorityMetadata,
    });

  const protocol = protocolFor(input.authority, input.protocolMode, input.authorityMetadata);
  const where = () => (seen.url === undefined ? 'auth.authorityMetadata' : seen.url);
  try {
    const info = await protocol.discover();
    const document =
      typeof input.authorityMetadata === 'object'
        ? input.authorityMetadata
        : (asObject(input.authorityMetadata ?? seen.text) ?? {});
    report.pass('discovery');
    report.pass('issuer');
    return { ...report.part(), provider: { protocol, info, document }, ...exchangeOf(seen) };
  } catch (error) {
    const { exchange } = seen;
    // Asked, and no answer came: refused, unreachable, or over the time limit.
    if (exchange === undefined && seen.url !== undefined) {
      const finding =
        seen.error instanceof TypeError
          ? await input.explainNoAnswer(where(), seen.error)
          : {
              id: 'discovery_unreachable' as const,
              severity: 'error' as const,
              message: `No answer from ${where()} within ${ms} ms.`,
              fix: 'Check that auth.authority names a running provider reachable from here (scheme, host, port and path).',
            };
      report.diagnosis.findings.push(finding);
      return report.part();
    }
    if (exchange !== undefined && exchange.status !== 200) {
      const location = exchange.headers.get('location');
      const redirected =
        exchange.type === 'opaqueredirect' || (exchange.status >= 300 && exchange.status < 400);
      report.add(
        'discovery_http_error',
        'error',
        redirected
          ? `Discovery at ${exchange.url} answered with a redirect${location ? ` to ${location}` : ''}. Discovery is not redirected: the issuer must be the URL discovery is based on (OIDC Discovery 4.1, 4.3).`
          : `Discovery at ${exchange.url} answered HTTP ${exchange.status}, not the provider's document (OIDC Discovery 4: it is at the issuer + /.well-known/openid-configuration).`,
        `Set auth.authority to the provider's issuer URL exactly${input.protocolMode === 'AAD' ? ' (AAD mode discovers at {authority}/v2.0/.well-known/openid-configuration; use protocolMode "OIDC" for other providers)' : ''}; open ${exchange.url} to see what it serves.`,
      );
      return report.part();
    }
    const text =
      typeof input.authorityMetadata === 'object'
        ? JSON.stringify(input.authorityMetadata)
        : (input.authorityMetadata ?? seen.text);
    const issuer = asObject(text)?.['issuer'];
    const reason = isAuthError(error) ? error.errorMessage : String(error);
    if (isAuthError(error) && error.errorCode === DISCOVERY_FAILED && typeof issuer === 'string') {
      // The same document, judged with its own issuer as the authority, offline.
      try {
        await protocolFor(issuer, 'OIDC', text).discover();
        report.pass('discovery');
        const tenantUrl = /^(.*)\/v2\.0\/?$/.exec(issuer)?.[1];
        report.add(
          'issuer_mismatch',
          'error',
          `auth.authority is "${input.authority}" but the provider's issuer (from ${where()}) is "${issuer}". Tessera requires them to be identical, character for character, trailing slash included (OIDC Discovery 4.3; ID tokens carry the issuer, OIDC Core 3.1.3.7 step 2).`,
          input.protocolMode === 'AAD' && tenantUrl !== undefined
            ? `Set auth.authority to "${tenantUrl}" (AAD mode adds /v2.0), or to the tenant this issuer names.`
            : `Set auth.authority to "${issuer}" exactly${input.protocolMode === 'AAD' ? ', or protocolMode to "OIDC" for a provider that is not Entra-shaped' : ''}; if the provider is reached under another host name than it calls itself (a proxy, localhost vs 127.0.0.1), configure the provider's issuer to match the URL the app uses.`,
        );
        return { ...report.part(), ...exchangeOf(seen) };
      } catch (second) {
        report.add(
          'discovery_invalid',
          'error',
          `The discovery document from ${where()} is not usable: ${isAuthError(second) ? second.errorMessage : reason}`,
          "Fix the provider's discovery document (OIDC Discovery 3): issuer, https authorization_endpoint and token_endpoint (http only on loopback), jwks_uri.",
        );
        return { ...report.part(), ...exchangeOf(seen) };
      }
    }
    report.add(
      'discovery_invalid',
      'error',
      `The discovery document from ${where()} is not usable: ${reason}`,
      'Check that auth.authority points at an OpenID provider: its discovery document must be JSON with issuer, authorization_endpoint, token_endpoint and jwks_uri (OIDC Discovery 3).',
    );
    return { ...report.part(), ...exchangeOf(seen) };
  }
}

const exchangeOf = (seen: { exchange?: DiscoveryExchange }): { exchange?: DiscoveryExchange } =>
  seen.exchange === undefined ? {} : { exchange: seen.exchange };
