import type { CacheLocation } from './storage.js';
import { accountShape, decodeEntry } from './entries.js';
import { EntryKind, kindPrefix } from './keys.js';
import type { AccountEntity } from './types.js';

/**
 * The accounts in Web Storage, read synchronously so `getAccount()` answers right after the
 * constructor (msal 1.x apps call it before anything else). Read-only: a bad entry is skipped
 * here and removed by the async cache on its first read. Memory caches start empty.
 */
export function readAccountsNow(
  location: CacheLocation,
  win: Window | undefined,
  clientId: string,
): AccountEntity[] {
  if (location === 'memory' || win === undefined) return [];
  try {
    const storage = win[location];
    const prefix = kindPrefix(EntryKind.Account);
    const accounts: AccountEntity[] = [];
    for (let i = 0; i < storage.length; i += 1) {
      const key = storage.key(i);
      if (key === null || !key.startsWith(prefix)) continue;
      const raw = storage.getItem(key);
      if (raw === null) continue;
      const decoded = decodeEntry(raw, EntryKind.Account, accountShape);
      if (decoded.ok && decoded.value.clientId === clientId) accounts.push(decoded.value);
    }
    return accounts;
  } catch {
    // Storage disabled or blocked: the async cache falls back to memory.
    return [];
  }
}
