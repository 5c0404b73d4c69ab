// Popups and hidden iframes land on the redirect URI, which is this app. Finish them before
// Angular starts: the response goes to the opener or parent and nothing else runs here.
import { completeAuthorizationCallback } from '@tessera/browser/callback';

/** True when this page load only carried an authorization response to a popup's or iframe's owner. */
export function isAuthorizationCallback(): boolean {
  return completeAuthorizationCallback() !== 'none';
}

/** Marks the document as started, for people and tests. */
export function markReady(): void {
  document.body.dataset['ready'] = 'true';
}

/** Shows a start-up failure instead of a blank page. */
export function showStartupError(error: unknown): void {
  document.body.dataset['ready'] = 'error';
  const pre = document.createElement('pre');
  pre.id = 'startup-error';
  pre.textContent = error instanceof Error ? (error.stack ?? error.message) : String(error);
  document.body.append(pre);
}
