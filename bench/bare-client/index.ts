// The floor: the least a SPA client can be on top of oauth4webapi. Authorization code + PKCE in
// a popup, the refresh grant, and a token cache (in memory, written through to Web Storage so it
// survives a reload). One renewal at a time inside a tab; nothing across tabs, no hidden iframe,
// no events. Every library in the bench does at least this, so its size and speed are the floor.
import * as oauth from 'oauth4webapi';

export interface BareClientOptions {
  /** Issuer URL; discovery is fetched from it. */
  issuer: string;
  clientId: string;
  /** Where the popup lands; that page posts its URL back (see `./callback.ts`). */
  redirectUri: string;
  /** Scopes asked for when none are given. */
  scopes: readonly string[];
  /** Renew this long before expiry (default 60 s). */
  renewalOffsetSeconds?: number;
  /** Default `localStorage`, so tokens survive reloads and are shared by tabs. */
  storage?: Storage;
}

export class InteractionRequiredError extends Error {
  override readonly name = 'InteractionRequiredError';
}

interface CachedToken {
  accessToken: string;
  /** Epoch seconds. */
  expiresAt: number;
}

interface Stored {
  refreshToken?: string;
  tokens: Record<string, CachedToken>;
}

const OIDC_SCOPES = ['openid', 'profile', 'offline_access'];
const key = (scopes: readonly string[]): string => [...new Set(scopes)].sort().join(' ');

export class BareClient {
  readonly #options: BareClientOptions;
  readonly #client: oauth.Client;
  readonly #storage: Storage;
  readonly #storageKey: string;
  readonly #state: Stored;
  readonly #renewals = new Map<string, Promise<string>>();
  #server: Promise<oauth.AuthorizationServer> | undefined;

  constructor(options: BareClientOptions) {
    this.#options = options;
    this.#client = { client_id: options.clientId };
    this.#storage = options.storage ?? localStorage;
    this.#storageKey = `bare.${options.clientId}`;
    // Read storage once; afterwards the in-memory copy answers and every change is written through.
    this.#state = this.#load();
  }

  /** A cached token that is not about to expire, else the refresh grant; never interactive. */
  getToken(scopes: readonly string[] = this.#options.scopes): Promise<string> {
    const cacheKey = key(scopes);
    const cached = this.#state.tokens[cacheKey];
    const offset = this.#options.renewalOffsetSeconds ?? 60;
    if (cached !== undefined && cached.expiresAt - offset > Date.now() / 1000) {
      return Promise.resolve(cached.accessToken);
    }
    return this.refresh(scopes);
  }

  /** The refresh grant for `scopes`; concurrent calls for the same scopes share one request. */
  refresh(scopes: readonly string[] = this.#options.scopes): Promise<string> {
    const cacheKey = key(scopes);
    let pending = this.#renewals.get(cacheKey);
    if (pending === undefined) {
      pending = this.#refresh(scopes, cacheKey).finally(() => this.#renewals.delete(cacheKey));
      this.#renewals.set(cacheKey, pending);
    }
    return pending;
  }

  /**
   * Signs in through a popup. Call it from a user gesture: the popup is opened before anything
   * is awaited, or blockers would stop it.
   */
  async signInPopup(scopes: readonly string[] = this.#options.scopes): Promise<string> {
    const popup = window.open('about:blank', 'bare-client', 'width=480,height=640');
    if (popup === null) throw new Error('popup blocked');
    try {
      const server = await this.#discover();
      const verifier = oauth.generateRandomCodeVerifier();
      const state = oauth.generateRandomState();
      const nonce = oauth.generateRandomNonce();
      const allScopes = [...new Set([...OIDC_SCOPES, ...scopes])];
      const url = new URL(server.authorization_endpoint ?? '');
      url.search = new URLSearchParams({
        client_id: this.#options.clientId,
        redirect_uri: this.#options.redirectUri,
        response_type: 'code',
        scope: allScopes.join(' '),
        state,
        nonce,
        code_challenge: await oauth.calculatePKCECodeChallenge(verifier),
        code_challenge_method: 'S256',
      }).toString();
      popup.location.href = url.href;
      const callbackUrl = await waitForCallback(popup);
      const params = oauth.validateAuthResponse(server, this.#client, new URL(callbackUrl), state);
      const response = await oauth.authorizationCodeGrantRequest(
        server,
        this.#client,
        oauth.None(),
        params,
        this.#options.redirectUri,
        verifier,
        { [oauth.allowInsecureRequests]: true },
      );
      const result = await oauth.processAuthorizationCodeResponse(server, this.#client, response, {
        expectedNonce: nonce,
        requireIdToken: true,
      });
      return this.#store(result, scopes);
    } finally {
      popup.close();
    }
  }

  async #refresh(scopes: readonly string[], cacheKey: string): Promise<string> {
    const refreshToken = this.#state.refreshToken;
    if (refreshToken === undefined) throw new InteractionRequiredError('no refresh token');
    const server = await this.#discover();
    const response = await oauth.refreshTokenGrantRequest(
      server,
      this.#client,
      oauth.None(),
      refreshToken,
      {
        // Only the scopes wanted: a provider may not have put offline_access in the refresh
        // token's scope (oidc-provider drops it without prompt=consent), and a refresh may
        // narrow scope but never widen it (RFC 6749 section 6).
        additionalParameters: { scope: scopes.join(' ') },
        [oauth.allowInsecureRequests]: true,
      },
    );
    try {
      const result = await oauth.processRefreshTokenResponse(server, this.#client, response);
      return this.#store(result, scopes, cacheKey);
    } catch (error) {
      if (error instanceof oauth.ResponseBodyError && error.error === 'invalid_grant') {
        throw new InteractionRequiredError('refresh token rejected', { cause: error });
      }
      throw error;
    }
  }

  #discover(): Promise<oauth.AuthorizationServer> {
    this.#server ??= (async () => {
      const issuer = new URL(this.#options.issuer);
      const response = await oauth.discoveryRequest(issuer, {
        [oauth.allowInsecureRequests]: true,
      });
      return oauth.processDiscoveryResponse(issuer, response);
    })();
    // A failed discovery is retried by the next call instead of being cached.
    this.#server.catch(() => (this.#server = undefined));
    return this.#server;
  }

  #store(
    result: oauth.TokenEndpointResponse,
    scopes: readonly string[],
    cacheKey = key(scopes),
  ): string {
    if (result.refresh_token !== undefined) this.#state.refreshToken = result.refresh_token;
    this.#state.tokens[cacheKey] = {
      accessToken: result.access_token,
      expiresAt: Math.floor(Date.now() / 1000) + (result.expires_in ?? 0),
    };
    this.#storage.setItem(this.#storageKey, JSON.stringify(this.#state));
    return result.access_token;
  }

  #load(): Stored {
    try {
      const parsed = JSON.parse(this.#storage.getItem(this.#storageKey) ?? 'null') as unknown;
      if (typeof parsed === 'object' && parsed !== null && 'tokens' in parsed) {
        return parsed as Stored;
      }
    } catch {
      // A corrupt entry is the same as none: the user signs in again.
    }
    return { tokens: {} };
  }
}

/** Resolves with the URL the popup's callback page posts back (same origin, from that popup). */
function waitForCallback(popup: Window): Promise<string> {
  return new Promise((resolve, reject) => {
    const closed = setInterval(() => {
      if (popup.closed) finish(() => reject(new Error('popup closed')));
    }, 500);
    const onMessage = (event: MessageEvent<unknown>): void => {
      if (event.origin !== location.origin || event.source !== popup) return;
      if (typeof event.data !== 'string') return;
      const url = event.data;
      finish(() => resolve(url));
    };
    const finish = (settle: () => void): void => {
      clearInterval(closed);
      window.removeEventListener('message', onMessage);
      settle();
    };
    window.addEventListener('message', onMessage);
  });
}
