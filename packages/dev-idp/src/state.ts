// What changes while a dev IdP runs: switches set by tests, counters, where requests are mounted.
import type { IncomingMessage } from 'node:http';
import type { ResolvedAutoLogin } from './config.js';
import type { DevIdpStats } from './types.js';

/** Mutable state shared by every provider of one dev IdP. */
export interface RuntimeState {
  autoLogin: ResolvedAutoLogin | false;
  coop: boolean;
  stats: DevIdpStats;
}

/** Counters at zero. */
export function emptyStats(): DevIdpStats {
  return {
    tokenRequests: 0,
    tokenRequestsByGrant: {},
    authorizationRequests: 0,
    tokenRequestsWithClaims: 0,
  };
}

/** Counts one POST to a token endpoint with this `grant_type` (any value; missing is `(none)`). */
export function countTokenRequest(
  stats: DevIdpStats,
  grantType: unknown,
  withClaims: boolean,
): void {
  const key = typeof grantType === 'string' && grantType !== '' ? grantType : '(none)';
  stats.tokenRequests += 1;
  stats.tokenRequestsByGrant[key] = (stats.tokenRequestsByGrant[key] ?? 0) + 1;
  if (withClaims) stats.tokenRequestsWithClaims += 1;
}

/** A copy of the counters (so callers cannot change them). */
export function copyStats(stats: DevIdpStats): DevIdpStats {
  return {
    tokenRequests: stats.tokenRequests,
    tokenRequestsByGrant: { ...stats.tokenRequestsByGrant },
    authorizationRequests: stats.authorizationRequests,
    tokenRequestsWithClaims: stats.tokenRequestsWithClaims,
  };
}

/** Where log lines go: `error` always reaches someone, `info` only an explicit logger. */
export interface Log {
  error(line: string): void;
  info(line: string): void;
}

/** Builds the {@link Log} for a `logger` option. */
export function createLog(logger: ((line: string) => void) | undefined): Log {
  if (logger !== undefined) return { error: logger, info: logger };
  return {
    error: (line) => {
      process.stderr.write(`${line}\n`);
    },
    info: () => undefined,
  };
}

const mounts = new WeakMap<IncomingMessage, string>();

/** Records the path prefix a request was received under (e.g. `/common`), before it is stripped. */
export function setMount(req: IncomingMessage, mount: string): void {
  mounts.set(req, mount);
}

/** The path prefix recorded by {@link setMount} ('' for the root). */
export function mountOf(req: IncomingMessage): string {
  return mounts.get(req) ?? '';
}
