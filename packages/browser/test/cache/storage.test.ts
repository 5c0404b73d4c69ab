import { describe, expect, it } from 'vitest';
import { createMemoryStore, createStore, createWebStorageStore } from '../../src/cache/storage.js';
import { FakeStorage, recordingLogger } from './fixtures.js';

const blocked = () => {
  throw new DOMException('blocked', 'SecurityError');
};

describe('createMemoryStore', () => {
  it('sets, gets, lists and removes, synchronously', () => {
    const store = createMemoryStore();
    expect(store.set('k1', 'v1')).toBeUndefined();
    store.set('k2', 'v2');
    expect(store.get('k1')).toBe('v1');
    expect(store.keys().sort()).toEqual(['k1', 'k2']);
    store.remove('k1');
    expect(store.get('k1')).toBeUndefined();
    expect(store.keys()).toEqual(['k2']);
    expect(store.storage).toBeUndefined();
  });

  it('returns a copy of the key list that survives removal while iterating', () => {
    const store = createMemoryStore();
    store.set('a', '1');
    store.set('b', '2');
    const keys = store.keys();
    for (const key of keys) store.remove(key);
    expect(keys).toEqual(['a', 'b']);
    expect(store.keys()).toEqual([]);
  });

  it('keeps two stores apart', () => {
    const a = createMemoryStore();
    const b = createMemoryStore();
    a.set('k', 'v');
    expect(b.get('k')).toBeUndefined();
  });
});

describe('createWebStorageStore', () => {
  it('reads and writes through the Storage object, and exposes it', () => {
    const storage = new FakeStorage();
    const store = createWebStorageStore(storage);
    store.set('k', 'v');
    expect(storage.getItem('k')).toBe('v');
    expect(store.get('k')).toBe('v');
    expect(store.get('missing')).toBeUndefined();
    expect(store.keys()).toEqual(['k']);
    store.remove('k');
    expect(storage.length).toBe(0);
    expect(store.storage).toBe(storage);
  });

  it('sees what others write to the same Storage (another tab)', () => {
    const storage = new FakeStorage();
    const store = createWebStorageStore(storage);
    storage.setItem('from-elsewhere', 'x');
    expect(store.get('from-elsewhere')).toBe('x');
    expect(store.keys()).toEqual(['from-elsewhere']);
  });

  it('returns a key list that survives removal while iterating', () => {
    const storage = new FakeStorage();
    const store = createWebStorageStore(storage);
    for (const key of ['a', 'b', 'c']) store.set(key, '1');
    for (const key of store.keys()) store.remove(key);
    expect(storage.length).toBe(0);
  });

  it('throws a write the storage refuses, with the browser error unchanged', () => {
    const store = createWebStorageStore(new FakeStorage(10));
    let thrown: unknown;
    try {
      store.set('key', 'a value longer than ten');
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(DOMException);
    expect(thrown).toHaveProperty('name', 'QuotaExceededError');
  });

  it('reads as a miss when the storage throws', () => {
    const storage = new FakeStorage();
    storage.setItem('k', 'v');
    storage.getItem = blocked;
    storage.key = blocked;
    const store = createWebStorageStore(storage);
    expect(store.get('k')).toBeUndefined();
    expect(store.keys()).toEqual([]);
  });

  it('reads no keys when even the length throws', () => {
    const storage = new FakeStorage();
    storage.setItem('k', 'v');
    Object.defineProperty(storage, 'length', { get: blocked });
    expect(createWebStorageStore(storage).keys()).toEqual([]);
  });

  it('throws a removal the storage refuses', () => {
    const storage = new FakeStorage();
    storage.removeItem = blocked;
    expect(() => createWebStorageStore(storage).remove('k')).toThrow(
      expect.objectContaining({ name: 'SecurityError' }),
    );
  });
});

function windowWith(props: PropertyDescriptorMap): Window {
  return Object.defineProperties({}, props) as Window;
}

describe('createStore', () => {
  it('uses the configured Web Storage when it works', () => {
    const session = new FakeStorage();
    const local = new FakeStorage();
    const win = windowWith({ sessionStorage: { value: session }, localStorage: { value: local } });
    const sessionStore = createStore('sessionStorage', win);
    const localStore = createStore('localStorage', win);
    sessionStore.set('k', 's');
    localStore.set('k', 'l');
    expect(session.getItem('k')).toBe('s');
    expect(local.getItem('k')).toBe('l');
    expect(sessionStore.storage).toBe(session);
    expect(localStore.storage).toBe(local);
    // The probe leaves nothing behind.
    expect(session.length).toBe(1);
    expect(local.length).toBe(1);
  });

  it('falls back to memory when touching the storage throws (site data blocked)', () => {
    const logger = recordingLogger();
    const win = windowWith({ localStorage: { get: blocked } });
    const store = createStore('localStorage', win, logger);
    store.set('k', 'v');
    expect(store.get('k')).toBe('v');
    expect(store.storage).toBeUndefined();
    expect(logger.lines.some((line) => line.includes('memory'))).toBe(true);
  });

  it('falls back to memory when getItem throws', () => {
    const storage = new FakeStorage();
    storage.getItem = blocked;
    const store = createStore('sessionStorage', windowWith({ sessionStorage: { value: storage } }));
    store.set('k', 'v');
    expect(store.get('k')).toBe('v');
    expect(storage.length).toBe(0);
  });

  it('falls back to memory when the storage or window is missing', () => {
    const noStorage = createStore(
      'sessionStorage',
      windowWith({ sessionStorage: { value: null } }),
    );
    noStorage.set('k', 'v');
    expect(noStorage.get('k')).toBe('v');
    const noWindow = createStore('localStorage', undefined);
    noWindow.set('k', 'v');
    expect(noWindow.get('k')).toBe('v');
  });

  it('falls back to memory when an empty storage accepts no write (zero quota)', () => {
    const storage = new FakeStorage(0);
    const logger = recordingLogger();
    const store = createStore(
      'localStorage',
      windowWith({ localStorage: { value: storage } }),
      logger,
    );
    store.set('k', 'v');
    expect(store.get('k')).toBe('v');
    expect(store.storage).toBeUndefined();
    expect(logger.lines.some((line) => line.includes('memory'))).toBe(true);
  });

  it('keeps a full storage that still holds data, so an existing session stays readable', () => {
    const storage = new FakeStorage(25);
    storage.setItem('tessera.v1.x', '0123456789');
    const store = createStore('localStorage', windowWith({ localStorage: { value: storage } }));
    expect(store.get('tessera.v1.x')).toBe('0123456789');
    expect(store.storage).toBe(storage);
    expect(() => store.set('another-key', 'too long for the quota')).toThrow(
      expect.objectContaining({ name: 'QuotaExceededError' }),
    );
  });

  it('uses memory when asked to', () => {
    const session = new FakeStorage();
    const store = createStore('memory', windowWith({ sessionStorage: { value: session } }));
    store.set('k', 'v');
    expect(store.get('k')).toBe('v');
    expect(session.length).toBe(0);
  });
});
