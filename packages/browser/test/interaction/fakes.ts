/**
 * Small fakes of the browser objects the interaction layer touches. Each records what was done
 * to it, so tests assert on behaviour rather than spying on internals.
 */
import type { Logger } from '../../src/logger.js';
import type { Timers } from '../../src/ports.js';

/** Timers driven by hand: `advance(ms)` runs what falls due, in order. */
export class ManualTimers implements Timers {
  now = 0;
  #seq = 0;
  readonly #tasks = new Map<number, { at: number; every: number | undefined; cb: () => void }>();

  setTimeout(cb: () => void, ms: number): unknown {
    this.#seq += 1;
    this.#tasks.set(this.#seq, { at: this.now + ms, every: undefined, cb });
    return this.#seq;
  }
  clearTimeout(handle: unknown): void {
    this.#tasks.delete(handle as number);
  }
  setInterval(cb: () => void, ms: number): unknown {
    this.#seq += 1;
    this.#tasks.set(this.#seq, { at: this.now + ms, every: Math.max(1, ms), cb });
    return this.#seq;
  }
  clearInterval(handle: unknown): void {
    this.#tasks.delete(handle as number);
  }
  /** Timers and intervals still scheduled. */
  get pending(): number {
    return this.#tasks.size;
  }
  advance(ms: number): void {
    const end = this.now + ms;
    for (;;) {
      let nextId: number | undefined;
      let next: { at: number; every: number | undefined; cb: () => void } | undefined;
      for (const [id, task] of this.#tasks) {
        if (task.at <= end && (next === undefined || task.at < next.at)) {
          next = task;
          nextId = id;
        }
      }
      if (next === undefined || nextId === undefined) break;
      this.now = next.at;
      if (next.every === undefined) this.#tasks.delete(nextId);
      else next.at += next.every;
      next.cb();
    }
    this.now = end;
  }
}

/** A logger that keeps its lines. */
export class RecordingLogger implements Logger {
  readonly lines: Array<{ level: string; message: string }> = [];
  error(message: string): void {
    this.lines.push({ level: 'error', message });
  }
  warning(message: string): void {
    this.lines.push({ level: 'warning', message });
  }
  info(message: string): void {
    this.lines.push({ level: 'info', message });
  }
  verbose(message: string): void {
    this.lines.push({ level: 'verbose', message });
  }
  at(level: string): string[] {
    return this.lines.filter((l) => l.level === level).map((l) => l.message);
  }
}

/** A `Storage` in memory. Like a real one, it shows its items as own properties (`Object.keys`). */
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
    Object.defineProperty(this, key, { value, enumerable: true, configurable: true });
  }
  removeItem(key: string): void {
    this.#items.delete(key);
    Reflect.deleteProperty(this, key);
  }
  clear(): void {
    for (const key of this.#items.keys()) Reflect.deleteProperty(this, key);
    this.#items.clear();
  }
  keys(): string[] {
    return [...this.#items.keys()];
  }
}

/** The popup's `location` as the opener sees it. */
class FakePopupLocation {
  readonly #popup: FakePopup;
  constructor(popup: FakePopup) {
    this.#popup = popup;
  }
  get href(): string {
    return this.#popup.readHref();
  }
  replace(url: string): void {
    this.#popup.navigations.push(url);
  }
}

/** A popup's WindowProxy as the opener sees it. */
export class FakePopup {
  closed = false;
  /** What `location.href` returns while same-origin. */
  href = 'about:blank';
  /** When true, reading `location.href` throws like a cross-origin page. */
  crossOrigin = false;
  readonly navigations: string[] = [];
  closeCalls = 0;
  focusCalls = 0;
  readonly location = new FakePopupLocation(this);
  readHref(): string {
    if (this.crossOrigin) throw new DOMException('Blocked a cross-origin frame.', 'SecurityError');
    return this.href;
  }
  close(): void {
    this.closeCalls += 1;
    this.closed = true;
  }
  focus(): void {
    this.focusCalls += 1;
  }
  asWindow(): Window {
    return this as unknown as Window;
  }
}

/** An element of the fake DOM. */
export class FakeElement {
  readonly tagName: string;
  readonly attributes = new Map<string, string>();
  readonly style: Record<string, string> = {};
  readonly children: FakeElement[] = [];
  parentNode: FakeElement | null = null;
  name = '';
  src = '';
  /** Like a real iframe: a WindowProxy once attached. */
  contentWindow: object | null = null;
  constructor(tagName: string) {
    this.tagName = tagName.toUpperCase();
  }
  setAttribute(name: string, value: string): void {
    this.attributes.set(name, value);
  }
  getAttribute(name: string): string | null {
    return this.attributes.get(name) ?? null;
  }
  appendChild(child: FakeElement): FakeElement {
    child.parentNode = this;
    this.children.push(child);
    if (child.tagName === 'IFRAME') child.contentWindow = { frame: child.name };
    return child;
  }
  remove(): void {
    this.parentNode?.removeChild(this);
  }
  removeChild(child: FakeElement): FakeElement {
    const index = this.children.indexOf(child);
    if (index === -1) throw new DOMException('Not a child.', 'NotFoundError');
    this.children.splice(index, 1);
    child.parentNode = null;
    return child;
  }
}

/** The parts of `document` the iframe navigator uses. */
export class FakeDocument {
  readonly documentElement = new FakeElement('html');
  readonly body = new FakeElement('body');
  constructor() {
    this.documentElement.appendChild(this.body);
  }
  createElement(tagName: string): FakeElement {
    return new FakeElement(tagName);
  }
  iframes(): FakeElement[] {
    return this.body.children.filter((c) => c.tagName === 'IFRAME');
  }
}

/** A window: an EventTarget with location, history, storage, DOM and `open`. */
export class FakeWindow extends EventTarget {
  name = '';
  opener: unknown = null;
  parent: unknown = this;
  screenX = 100;
  screenY = 50;
  screenLeft = 100;
  screenTop = 50;
  outerWidth = 1200;
  outerHeight = 800;
  closeCalls = 0;
  readonly localStorage = new MemoryStorage();
  readonly document = new FakeDocument();
  readonly openCalls: Array<{ url: string; target: string; features: string }> = [];
  /** What the next `open` returns: a popup, null (blocked), or 'throw'. */
  nextPopup: FakePopup | null | 'throw' = new FakePopup();
  readonly posted: Array<{ message: unknown; targetOrigin: string }> = [];
  readonly assigned: string[] = [];
  readonly replaced: string[] = [];
  readonly history = {
    state: null as unknown,
    entries: [] as string[],
    replaceState: (_state: unknown, _title: string, url: string): void => {
      this.history.entries.push(url);
      this.location.href = url;
    },
  };
  readonly location: {
    href: string;
    readonly origin: string;
    assign(u: string): void;
    replace(u: string): void;
  };
  #messageListeners = 0;

  constructor(href = 'https://app.example/') {
    super();
    const assigned = this.assigned;
    const replaced = this.replaced;
    this.location = {
      href,
      get origin(): string {
        return new URL(this.href).origin;
      },
      assign(u: string): void {
        assigned.push(u);
      },
      replace(u: string): void {
        replaced.push(u);
      },
    };
  }

  open(url: string, target: string, features: string): FakePopup | null {
    this.openCalls.push({ url, target, features });
    if (this.nextPopup === 'throw') throw new Error('open failed');
    return this.nextPopup;
  }
  postMessage(message: unknown, targetOrigin: string): void {
    this.posted.push({ message, targetOrigin });
  }
  close(): void {
    this.closeCalls += 1;
  }
  setTimeout(cb: () => void, ms: number): unknown {
    return globalThis.setTimeout(cb, ms);
  }

  override addEventListener(
    type: string,
    listener: EventListenerOrEventListenerObject | null,
    options?: boolean | AddEventListenerOptions,
  ): void {
    if (type === 'message') this.#messageListeners += 1;
    super.addEventListener(type, listener, options);
  }
  override removeEventListener(
    type: string,
    listener: EventListenerOrEventListenerObject | null,
    options?: boolean | EventListenerOptions,
  ): void {
    if (type === 'message') this.#messageListeners -= 1;
    super.removeEventListener(type, listener, options);
  }
  /** `message` listeners currently registered. */
  get messageListeners(): number {
    return this.#messageListeners;
  }

  /** Delivers a `message` event as if posted by `source` from `origin`. */
  receive(data: unknown, origin: string, source: unknown = null): void {
    this.dispatchEvent(Object.assign(new Event('message'), { data, origin, source }));
  }

  asWindow(): Window {
    return this as unknown as Window;
  }
}

/** A BroadcastChannel constructor that remembers its instances, to check they get closed. */
export function trackingBroadcastChannel(): {
  Ctor: new (name: string) => BroadcastChannel;
  instances: Array<{ name: string; closed: boolean }>;
} {
  const instances: Array<{ name: string; closed: boolean }> = [];
  class Tracking extends BroadcastChannel {
    readonly #record: { name: string; closed: boolean };
    constructor(name: string) {
      super(name);
      this.#record = { name, closed: false };
      instances.push(this.#record);
    }
    override close(): void {
      this.#record.closed = true;
      super.close();
    }
  }
  return { Ctor: Tracking, instances };
}

/** Posts `data` on a fresh channel named `name`, as another page would. */
export function broadcast(name: string, data: unknown): void {
  const channel = new BroadcastChannel(name);
  channel.postMessage(data);
  channel.close();
}

/** Lets queued promise callbacks, events and BroadcastChannel deliveries run. */
export function tick(ms = 10): Promise<void> {
  return new Promise((resolve) => globalThis.setTimeout(resolve, ms));
}

/** Observes a promise's state without awaiting it. */
export function track<T>(promise: Promise<T>): {
  readonly state: 'pending' | 'fulfilled' | 'rejected';
  readonly value: T | undefined;
  readonly error: unknown;
} {
  const result = {
    state: 'pending' as 'pending' | 'fulfilled' | 'rejected',
    value: undefined as T | undefined,
    error: undefined as unknown,
  };
  promise.then(
    (value) => {
      result.state = 'fulfilled';
      result.value = value;
    },
    (error: unknown) => {
      result.state = 'rejected';
      result.error = error;
    },
  );
  return result;
}
