import type { AuthorizationResponseMessage } from './types.js';

/**
 * The wire format between a callback page and the window waiting for it. This module imports
 * nothing heavy: the callback entry point (`@tessera/browser/callback`) depends on it and must
 * stay tiny.
 */

/** `type` of an {@link AuthorizationResponseMessage}. */
export const RESPONSE_MESSAGE_TYPE = 'tessera:authorization_response';

/** Prefix of the per-request BroadcastChannel name; the request's `state` follows it. */
export const RESPONSE_CHANNEL_PREFIX = 'tessera.v1.response.';

/** A `BroadcastChannel` constructor, injectable for tests and absent in old browsers. */
export type BroadcastChannelConstructor = new (name: string) => BroadcastChannel;

/**
 * Name of the BroadcastChannel a response for `state` travels on. Keying by `state` means only
 * the tab that made the request listens, and two concurrent flows never see each other's
 * responses.
 */
export function responseChannelName(state: string): string {
  return `${RESPONSE_CHANNEL_PREFIX}${state}`;
}

/** Builds the message a callback page sends for the response at `url`. */
export function createResponseMessage(state: string, url: string): AuthorizationResponseMessage {
  return { type: RESPONSE_MESSAGE_TYPE, v: 1, state, url };
}

/**
 * True when `value` has the shape of an {@link AuthorizationResponseMessage}. Only the shape:
 * the receiver still checks origin, state and URL, because anyone on the origin may post.
 */
export function isAuthorizationResponseMessage(
  value: unknown,
): value is AuthorizationResponseMessage {
  if (typeof value !== 'object' || value === null) return false;
  const message = value as Partial<Record<keyof AuthorizationResponseMessage, unknown>>;
  return (
    message.type === RESPONSE_MESSAGE_TYPE &&
    message.v === 1 &&
    typeof message.state === 'string' &&
    message.state !== '' &&
    typeof message.url === 'string'
  );
}

/**
 * The BroadcastChannel constructor of `win` (or of the global scope), or undefined where the
 * browser has none — then only `postMessage` carries responses.
 */
export function resolveBroadcastChannel(win?: unknown): BroadcastChannelConstructor | undefined {
  const own =
    typeof win === 'object' && win !== null
      ? (win as { BroadcastChannel?: unknown }).BroadcastChannel
      : undefined;
  const candidate: unknown = typeof own === 'function' ? own : globalThis.BroadcastChannel;
  return typeof candidate === 'function' ? (candidate as BroadcastChannelConstructor) : undefined;
}
