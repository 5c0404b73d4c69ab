// What the example pages show (and the e2e tests read): API results and broadcast callbacks.
import { Injectable, signal } from '@angular/core';

/** One line of the page's log. */
export interface LogEntry {
  /** Who wrote it, e.g. `home#1` (component instance) or `api`. */
  source: string;
  /** What happened, e.g. `msal:acquireTokenFailure` or `GET /profile`. */
  event: string;
  /** Error code, status or body. */
  detail: string;
}

declare global {
  interface Window {
    /** The log, for tests and the curious. */
    __exampleLog?: LogEntry[];
  }
}

/** A signal-backed log, mirrored on `window.__exampleLog`. */
@Injectable({ providedIn: 'root' })
export class EventLog {
  readonly entries = signal<readonly LogEntry[]>([]);

  add(source: string, event: string, detail: string): void {
    const entry = { source, event, detail };
    this.entries.update((list) => [...list, entry]);
    (window.__exampleLog ??= []).push(entry);
  }
}

/** A short description of an error or payload for the log. */
export function summarize(value: unknown): string {
  if (value instanceof Error && 'errorCode' in value) {
    // A Tessera AuthError: its class and stable code.
    return `${value.name}:${String(value.errorCode)}`;
  }
  if (value instanceof Error) return value.message;
  return JSON.stringify(value) ?? String(value);
}

let instances = 0;

/** A distinct name per component instance, so the log shows which one a callback reached. */
export function instanceName(kind: string): string {
  return `${kind}#${++instances}`;
}
