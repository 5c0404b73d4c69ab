// The event log: every library event (addEventCallback), the library's own log lines, and the
// demo's decisions (e.g. "silent failed → popup"), newest first. Kept in sessionStorage so a
// redirect round trip does not wipe it.
import { isAuthError, LogLevel, type AnyAuthEvent, type AuthResponse } from '@tessera/browser';
import { h, show } from './dom.js';
import { clockTime } from './format.js';

const STORAGE_KEY = 'tessera-demo.log.v1';
const MAX_ENTRIES = 150;

export type EntryKind = 'start' | 'success' | 'failure' | 'info' | 'app' | 'library';

export interface LogEntry {
  at: number;
  kind: EntryKind;
  what: string;
  /** Interaction type of a library event: silent, popup, redirect. */
  type?: string;
  detail?: string;
}

function describeResponse(response: AuthResponse): string {
  const source = response.fromCache ? 'from the cache' : 'from the provider';
  const scopes = response.scopes.length > 0 ? response.scopes.join(' ') : '(none)';
  return `${source} · scopes ${scopes} · expires ${clockTime(response.expiresOn.getTime())}`;
}

/** Turns a library event into a log entry. */
export function describeEvent(event: AnyAuthEvent): LogEntry {
  const what = event.eventType.replace(/^msal:/, '');
  const base = { at: event.timestamp, what, type: event.interactionType };
  if (event.error !== null) {
    const error = event.error;
    const message = isAuthError(error)
      ? `${error.errorCode} — ${error.errorMessage}`
      : String(error);
    return { ...base, kind: 'failure', detail: message };
  }
  switch (event.eventType) {
    case 'msal:loginStart':
    case 'msal:acquireTokenStart': {
      const scopes = event.payload.scopes ?? [];
      return {
        ...base,
        kind: 'start',
        detail: scopes.length > 0 ? `scopes ${scopes.join(' ')}` : 'default scopes',
      };
    }
    case 'msal:loginSuccess':
    case 'msal:acquireTokenSuccess':
      return { ...base, kind: 'success', detail: describeResponse(event.payload) };
    case 'msal:handleRedirectEnd':
      return {
        ...base,
        kind: 'info',
        detail:
          event.payload === null ? 'no response' : `signed in as ${event.payload.account.username}`,
      };
    case 'msal:logoutStart':
    case 'msal:logoutSuccess':
    case 'msal:accountAdded':
    case 'msal:accountRemoved': {
      const account = event.payload;
      return {
        ...base,
        kind: event.eventType === 'msal:logoutStart' ? 'start' : 'info',
        ...(account === null ? {} : { detail: account.username }),
      };
    }
    default:
      return { ...base, kind: 'info' };
  }
}

const LEVEL_NAMES: Record<number, string> = {
  [LogLevel.Error]: 'error',
  [LogLevel.Warning]: 'warning',
  [LogLevel.Info]: 'info',
  [LogLevel.Verbose]: 'verbose',
};

export class EventLog {
  readonly #list: HTMLOListElement;
  #entries: LogEntry[] = [];

  constructor(list: HTMLOListElement) {
    this.#list = list;
    try {
      const raw = sessionStorage.getItem(STORAGE_KEY);
      if (raw !== null) this.#entries = (JSON.parse(raw) as LogEntry[]).slice(0, MAX_ENTRIES);
    } catch {
      this.#entries = [];
    }
    this.#renderAll();
  }

  add(entry: LogEntry): void {
    this.#entries.unshift(entry);
    this.#entries.length = Math.min(this.#entries.length, MAX_ENTRIES);
    this.#save();
    this.#list.prepend(this.#item(entry));
    while (this.#list.children.length > MAX_ENTRIES) this.#list.lastElementChild?.remove();
  }

  /** A line from the library's logger. */
  library(level: LogLevel, message: string): void {
    this.add({
      at: Date.now(),
      kind: 'library',
      what: `library ${LEVEL_NAMES[level] ?? ''}`,
      detail: message,
    });
  }

  /** A decision or result of the demo itself. */
  app(what: string, detail?: string): void {
    this.add({ at: Date.now(), kind: 'app', what, ...(detail === undefined ? {} : { detail }) });
  }

  clear(): void {
    this.#entries = [];
    this.#save();
    this.#renderAll();
  }

  #save(): void {
    try {
      sessionStorage.setItem(STORAGE_KEY, JSON.stringify(this.#entries));
    } catch {
      // Not persisted; the page still shows it.
    }
  }

  #renderAll(): void {
    show(this.#list, ...this.#entries.map((entry) => this.#item(entry)));
  }

  #item(entry: LogEntry): HTMLLIElement {
    return h(
      'li',
      { 'data-kind': entry.kind },
      h('time', { datetime: new Date(entry.at).toISOString() }, clockTime(entry.at)),
      h(
        'span',
        { class: 'what' },
        entry.what,
        entry.type === undefined ? null : h('span', { class: 'type' }, entry.type),
      ),
      entry.detail === undefined ? null : h('span', { class: 'detail' }, entry.detail),
    );
  }
}
