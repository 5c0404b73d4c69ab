// Fixture users: defaults, lookup and the claims they carry.
import { createHash } from 'node:crypto';
import type { DevIdpUser } from './types.js';

/** A user with every field resolved. */
export interface ResolvedUser {
  readonly username: string;
  readonly password: string;
  readonly sub: string;
  readonly name: string;
  readonly email: string;
  /** Stable GUID-shaped object id (Entra `oid`). */
  readonly oid: string;
}

/** The users every dev IdP has unless `users` is given. */
export const DEFAULT_USERS: readonly DevIdpUser[] = [
  {
    username: 'alice',
    password: 'alice-password',
    name: 'Alice Example',
    email: 'alice@example.test',
  },
  {
    username: 'bob',
    password: 'bob-password',
    name: 'Bob Example',
    email: 'bob@example.test',
  },
];

/** A GUID-shaped id derived from `seed`, stable across runs. */
export function guidFrom(seed: string): string {
  const hex = createHash('sha256').update(seed).digest('hex');
  const variant = ((parseInt(hex.charAt(16), 16) & 0x3) | 0x8).toString(16);
  return [
    hex.slice(0, 8),
    hex.slice(8, 12),
    `5${hex.slice(13, 16)}`,
    `${variant}${hex.slice(17, 20)}`,
    hex.slice(20, 32),
  ].join('-');
}

/** Fills in `sub` and `oid`. */
export function resolveUser(user: DevIdpUser): ResolvedUser {
  const sub = user.sub ?? user.username;
  return {
    username: user.username,
    password: user.password,
    sub,
    name: user.name,
    email: user.email,
    oid: guidFrom(`tessera-dev-idp:oid:${sub}`),
  };
}

/** Lookup by username or subject. */
export class UserDirectory {
  readonly #byUsername = new Map<string, ResolvedUser>();
  readonly #bySub = new Map<string, ResolvedUser>();

  constructor(users: readonly ResolvedUser[]) {
    for (const user of users) {
      this.#byUsername.set(user.username, user);
      this.#bySub.set(user.sub, user);
    }
  }

  /** Every user, in configuration order. */
  all(): ResolvedUser[] {
    return [...this.#byUsername.values()];
  }

  /** The user with this login name. */
  byUsername(username: string): ResolvedUser | undefined {
    return this.#byUsername.get(username);
  }

  /** The user with this subject identifier. */
  bySub(sub: string): ResolvedUser | undefined {
    return this.#bySub.get(sub);
  }

  /** The user if the password matches, else undefined. */
  authenticate(username: string, password: string): ResolvedUser | undefined {
    const user = this.#byUsername.get(username);
    return user !== undefined && user.password === password ? user : undefined;
  }
}
