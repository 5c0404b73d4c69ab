// In-memory storage for oidc-provider, one store per provider instance. Our own (rather than the
// built-in one) so that sessions and interactions can be dropped on demand.
import type { Adapter, AdapterPayload } from 'oidc-provider';

interface StoredRecord {
  payload: AdapterPayload;
  /** Epoch milliseconds, or undefined for records that do not expire. */
  expiresAt: number | undefined;
}

/** Models whose records belong to a grant and go when the grant is revoked. */
const GRANT_MEMBERS = new Set([
  'AccessToken',
  'AuthorizationCode',
  'RefreshToken',
  'DeviceCode',
  'BackchannelAuthenticationRequest',
  'PreAuthorizedCode',
]);

/** Expired records are swept every this many writes (reads drop them anyway). */
const SWEEP_EVERY = 256;

/** All records of one provider, keyed `${model}:${id}`, with the indexes oidc-provider queries by. */
export class MemoryStore {
  readonly #records = new Map<string, StoredRecord>();
  /** Session uid → session id. */
  readonly #sessionUids = new Map<string, string>();
  /** Device flow user code → record id. */
  readonly #userCodes = new Map<string, string>();
  /** Grant id → keys of the records issued under it. */
  readonly #grants = new Map<string, Set<string>>();
  #writes = 0;

  /** An adapter for one model, as oidc-provider's `adapter` factory returns. */
  adapterFor(model: string): Adapter {
    return new MemoryAdapter(this, model);
  }

  /** Deletes every record of `model`; returns how many there were. */
  deleteModel(model: string): number {
    let count = 0;
    for (const key of [...this.#records.keys()]) {
      if (key.startsWith(`${model}:`)) {
        this.delete(key);
        count += 1;
      }
    }
    return count;
  }

  /** The live record under `key` (expired ones are dropped). */
  get(key: string): AdapterPayload | undefined {
    const record = this.#records.get(key);
    if (record === undefined) return undefined;
    if (record.expiresAt !== undefined && record.expiresAt <= Date.now()) {
      this.delete(key);
      return undefined;
    }
    return record.payload;
  }

  /** Stores a record (replacing any under the same id) and indexes it. */
  set(model: string, id: string, payload: AdapterPayload, expiresIn: number | undefined): void {
    const key = `${model}:${id}`;
    if (this.#records.has(key)) this.delete(key);
    const expiresAt =
      typeof expiresIn === 'number' && expiresIn > 0 ? Date.now() + expiresIn * 1000 : undefined;
    this.#records.set(key, { payload: structuredClone(payload), expiresAt });
    if (model === 'Session' && typeof payload.uid === 'string')
      this.#sessionUids.set(payload.uid, id);
    if (typeof payload.userCode === 'string') this.#userCodes.set(payload.userCode, id);
    if (GRANT_MEMBERS.has(model) && typeof payload.grantId === 'string') {
      let members = this.#grants.get(payload.grantId);
      if (members === undefined) {
        members = new Set();
        this.#grants.set(payload.grantId, members);
      }
      members.add(key);
    }
    this.#writes += 1;
    if (this.#writes % SWEEP_EVERY === 0) this.#sweep();
  }

  /** Removes a record and its index entries. */
  delete(key: string): void {
    const record = this.#records.get(key);
    if (record === undefined) return;
    this.#records.delete(key);
    const id = key.slice(key.indexOf(':') + 1);
    const { uid, userCode, grantId } = record.payload;
    if (typeof uid === 'string' && this.#sessionUids.get(uid) === id) this.#sessionUids.delete(uid);
    if (typeof userCode === 'string' && this.#userCodes.get(userCode) === id) {
      this.#userCodes.delete(userCode);
    }
    if (typeof grantId === 'string') {
      const members = this.#grants.get(grantId);
      members?.delete(key);
      if (members?.size === 0) this.#grants.delete(grantId);
    }
  }

  /** The id of the session with this uid. */
  sessionIdForUid(uid: string): string | undefined {
    return this.#sessionUids.get(uid);
  }

  /** The id of the record with this device-flow user code. */
  idForUserCode(userCode: string): string | undefined {
    return this.#userCodes.get(userCode);
  }

  /** Removes every record issued under a grant. */
  revokeGrant(grantId: string): void {
    const members = this.#grants.get(grantId);
    if (members === undefined) return;
    for (const key of [...members]) this.delete(key);
    this.#grants.delete(grantId);
  }

  #sweep(): void {
    for (const key of [...this.#records.keys()]) this.get(key);
  }
}

/** oidc-provider's Adapter interface for one model over a {@link MemoryStore}. */
class MemoryAdapter implements Adapter {
  readonly #store: MemoryStore;
  readonly #model: string;

  constructor(store: MemoryStore, model: string) {
    this.#store = store;
    this.#model = model;
  }

  #key(id: string): string {
    return `${this.#model}:${id}`;
  }

  upsert(id: string, payload: AdapterPayload, expiresIn?: number): Promise<void> {
    this.#store.set(this.#model, id, payload, expiresIn);
    return Promise.resolve();
  }

  find(id: string): Promise<AdapterPayload | undefined> {
    const payload = this.#store.get(this.#key(id));
    return Promise.resolve(payload === undefined ? undefined : structuredClone(payload));
  }

  findByUid(uid: string): Promise<AdapterPayload | undefined> {
    const id = this.#store.sessionIdForUid(uid);
    return id === undefined ? Promise.resolve(undefined) : this.find(id);
  }

  findByUserCode(userCode: string): Promise<AdapterPayload | undefined> {
    const id = this.#store.idForUserCode(userCode);
    return id === undefined ? Promise.resolve(undefined) : this.find(id);
  }

  consume(id: string): Promise<void> {
    const payload = this.#store.get(this.#key(id));
    if (payload !== undefined) payload.consumed = Math.floor(Date.now() / 1000);
    return Promise.resolve();
  }

  destroy(id: string): Promise<void> {
    this.#store.delete(this.#key(id));
    return Promise.resolve();
  }

  revokeByGrantId(grantId: string): Promise<void> {
    this.#store.revokeGrant(grantId);
    return Promise.resolve();
  }
}
