import { useMemo } from 'react';
import {
  createAuthFetch,
  type AuthFetchOptions,
  type FetchLike,
  type ProtectedResourceMapInput,
} from '@tessera/browser';
import { useMsalContext } from './context.js';

function mapKey(map: ProtectedResourceMapInput): string {
  return JSON.stringify(map instanceof Map ? [...map] : map);
}

/**
 * A `fetch` that attaches a token to calls to the URLs of `protectedResourceMap` (after URL
 * parsing; never by string prefix) and passes other calls through, asking the core for the
 * token on each call — so a long-lived page always sends a fresh one. Stable across renders
 * while the map's content stays the same.
 */
export function useAuthFetch(
  protectedResourceMap: ProtectedResourceMapInput,
  options: Omit<AuthFetchOptions, 'protectedResourceMap'> = {},
): FetchLike {
  const { instance } = useMsalContext();
  const key = mapKey(protectedResourceMap);
  const { fetch, baseUrl } = options;
  return useMemo(
    () =>
      createAuthFetch(instance, {
        protectedResourceMap,
        ...(fetch !== undefined && { fetch }),
        ...(baseUrl !== undefined && { baseUrl }),
      }),
    // The map's content, not its identity: an inline map literal keeps the same fetch.
    [instance, key, fetch, baseUrl],
  );
}
