// The one interface every library is measured through. An adapter is the library's idiomatic
// code for each step, nothing more: no extra caching or coordination the library does not have.

/** What an adapter is told about the provider and the app (set by the bench for each library). */
export interface PeerEnv {
  /** Where the library sends its requests: the provider's loopback origin. */
  authority: string;
  /** The `iss` the provider puts in tokens (`authority`, or an https form where a library insists). */
  issuer: string;
  /** The discovery document as JSON, for a library that cannot fetch it over http (msal). */
  discovery?: string;
  clientId: string;
  /** Redirect URI of the library's popup/iframe callback page. */
  callbackUri: string;
  /** Redirect URI for a full-page sign-in: the measurement page itself. */
  pageUri: string;
  /** The scope set of ordinary calls, e.g. `['api://demo/read']`. */
  scopes: string[];
}

export interface Peer {
  /** How `signIn` works: a popup resolves, a redirect leaves the page and comes back. */
  readonly interaction: 'popup' | 'redirect';
  /** Interactive sign-in that grants `scopes` (the bench's dev IdP consents by itself). */
  signIn(scopes: readonly string[]): Promise<void>;
  /** On a page that is a redirect sign-in's target: completes it. Resolves false elsewhere. */
  handleRedirect(): Promise<boolean>;
  /** The library's silent call: a valid cached token, else renewal. Resolves with the token. */
  getToken(scopes?: readonly string[]): Promise<string>;
  /** A silent call that skips the cached access token (the "is the session alive" check). */
  forceRefresh(scopes?: readonly string[]): Promise<string>;
}

export type CreatePeer = (env: PeerEnv) => Peer;
