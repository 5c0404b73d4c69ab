import type { Logger } from '../logger.js';

/**
 * A logger that drops everything, for the probes' protocol client and iframe: a diagnosis
 * reports findings, not log lines. Defined here rather than taken from `logger.ts` so this lazily
 * loaded module shares nothing more with the entry chunk, whose split stays as it was.
 */
export const quietLogger: Logger = {
  error: () => undefined,
  warning: () => undefined,
  info: () => undefined,
  verbose: () => undefined,
};
