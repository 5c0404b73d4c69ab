// A page for a real UserAgentApplication in Node: the window seam of @tessera/browser (location,
// Web Storage, events), with storage the test can fill before the app starts.

/** A `Storage` in memory. */
export class MemoryStorage {
  readonly #items = new Map<string, string>();
  get length(): number {
    return this.#items.size;
  }
  key(index: number): string | null {
    return [...this.#items.keys()][index] ?? null;
  }
  getItem(key: string): string | null {
    return this.#items.get(key) ?? null;
  }
  setItem(key: string, value: string): void {
    this.#items.set(key, value);
  }
  removeItem(key: string): void {
    this.#items.delete(key);
  }
  clear(): void {
    this.#items.clear();
  }
  keys(): string[] {
    return [...this.#items.keys()];
  }
}

/** The parts of `window` the library touches on start-up, silent calls and sign-out. */
export class FakeWindow extends EventTarget {
  name = '';
  parent: unknown = this;
  readonly sessionStorage = new MemoryStorage();
  readonly localStorage = new MemoryStorage();
  readonly assigned: string[] = [];
  readonly location: {
    href: string;
    readonly origin: string;
    assign(u: string): void;
    replace(u: string): void;
  };
  readonly history = {
    state: null as unknown,
    replaceState: (_state: unknown, _title: string, url: string): void => {
      this.location.href = new URL(url, this.location.href).href;
    },
  };

  constructor(href: string) {
    super();
    const assigned = this.assigned;
    this.location = {
      href,
      get origin(): string {
        return new URL(this.href).origin;
      },
      assign: (u: string) => void assigned.push(u),
      replace: (u: string) => void assigned.push(u),
    };
  }

  setTimeout(callback: () => void, ms: number): unknown {
    return globalThis.setTimeout(callback, ms);
  }

  open(): null {
    return null;
  }

  asWindow(): Window {
    return this as unknown as Window;
  }
}
