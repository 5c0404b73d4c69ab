import { describe, expect, it } from 'vitest';
import { createMemoryStore, createStore, createWebStorageStore } from '../../src/cache/storage.js';
import { FakeStorage, recordingLogger } from './fixtures.js';

describe('createMemoryStore', () => {
  it('sets, gets, lists and removes', async () => {
    const store = createMemoryStore();
    await store.set('k1', 'v1');
    await store.set('k2', 'v2');
    expect(await store.get('k1')).toBe('v1');
    expect((await store.keys()).sort()).toEqual(['k1', 'k2']);
    await store.remove('k1');
    expect(await store.get('k1')).toBeUndefined();
    expect(await store.keys()).toEqual(['k2']);
  });

  it('returns a copy of the key list that survives removal while iterating', async () => {
    const store = createMemoryStore();
    await store.set('a', '1');
    await store.set('b', '2');
    const keys = await store.keys();
    for (const key of keys) await store.remove(key);
    expect(keys).toEqual(['a', 'b']);
    expect(await store.keys()).toEqual([]);
  });
});

describe('createWebStorageStore', () => {
  it('reads and writes through the Storage object', async () => {
    const storage = new FakeStorage();
    const store = createWebStorageStore(storage);
    await store.set('k', 'v');
    expect(storage.getItem('k')).toBe('v');
    expect(await store.get('k')).toBe('v');
    expect(await store.get('missing')).toBeUndefined();
    expect(await store.keys()).toEqual(['k']);
    await store.remove('k');
    expect(storage.length).toBe(0);
  });

  it('rejects a write the storage refuses, with the browser error unchanged', async () => {
    const store = createWebStorageStore(new FakeStorage(10));
    const failure = store.set('key', 'a value longer than ten');
    await expect(failure).rejects.toBeInstanceOf(DOMException);
    await expect(failure).rejects.toHaveProperty('name', 'QuotaExceededError');
  });

  it('reads as a miss when the storage throws', async () => {
    const storage = new FakeStorage();
    storage.getItem = () => {
      throw new DOMException('blocked', 'SecurityError');
    };
    storage.key = () => {
      throw new DOMException('blocked', 'SecurityError');
    };
    storage.setItem('k', 'v');
    const store = createWebStorageStore(storage);
    expect(await store.get('k')).toBeUndefined();
    expect(await store.keys()).toEqual([]);
  });

  it('rejects a removal the storage refuses', async () => {
    const storage = new FakeStorage();
    storage.removeItem = () => {
      throw new DOMException('blocked', 'SecurityError');
    };
    await expect(createWebStorageStore(storage).remove('k')).rejects.toHaveProperty(
      'name',
      'SecurityError',
    );
  });
});

function windowWith(props: PropertyDescriptorMap): Window {
  return Object.defineProperties({}, props) as Window;
}

describe('createStore', () => {
  it('uses the configured Web Storage when it works', async () => {
    const session = new FakeStorage();
    const local = new FakeStorage();
    const win = windowWith({ sessionStorage: { value: session }, localStorage: { value: local } });
    await createStore('sessionStorage', win).set('k', 's');
    await createStore('localStorage', win).set('k', 'l');
    expect(session.getItem('k')).toBe('s');
    expect(local.getItem('k')).toBe('l');
    // The probe leaves nothing behind.
    expect(session.length).toBe(1);
  });

  it('falls back to memory when touching the storage throws (site data blocked)', async () => {
    const logger = recordingLogger();
    const win = windowWith({
      localStorage: {
        get() {
          throw new DOMException('The operation is insecure.', 'SecurityError');
        },
      },
    });
    const store = createStore('localStorage', win, logger);
    await store.set('k', 'v');
    expect(await store.get('k')).toBe('v');
    expect(logger.lines.some((line) => line.includes('memory'))).toBe(true);
  });

  it('falls back to memory when getItem throws', async () => {
    const storage = new FakeStorage();
    storage.getItem = () => {
      throw new DOMException('denied', 'SecurityError');
    };
    const store = createStore('sessionStorage', windowWith({ sessionStorage: { value: storage } }));
    await store.set('k', 'v');
    expect(await store.get('k')).toBe('v');
    expect(storage.length).toBe(0);
  });

  it('falls back to memory when the storage or window is missing', async () => {
    const noStorage = createStore(
      'sessionStorage',
      windowWith({ sessionStorage: { value: null } }),
    );
    await noStorage.set('k', 'v');
    expect(await noStorage.get('k')).toBe('v');
    const noWindow = createStore('localStorage', undefined);
    await noWindow.set('k', 'v');
    expect(await noWindow.get('k')).toBe('v');
  });

  it('falls back to memory when an empty storage accepts no write (zero quota)', async () => {
    const storage = new FakeStorage(0);
    const store = createStore('localStorage', windowWith({ localStorage: { value: storage } }));
    await store.set('k', 'v');
    expect(await store.get('k')).toBe('v');
  });

  it('keeps a full storage that still holds data, so an existing session stays readable', async () => {
    const storage = new FakeStorage(25);
    storage.setItem('tessera.v1.x', '0123456789');
    const store = createStore('localStorage', windowWith({ localStorage: { value: storage } }));
    expect(await store.get('tessera.v1.x')).toBe('0123456789');
    await expect(store.set('another-key', 'too long for the quota')).rejects.toHaveProperty(
      'name',
      'QuotaExceededError',
    );
  });

  it('uses memory when asked to', async () => {
    const session = new FakeStorage();
    const store = createStore('memory', windowWith({ sessionStorage: { value: session } }));
    await store.set('k', 'v');
    expect(await store.get('k')).toBe('v');
    expect(session.length).toBe(0);
  });
});
