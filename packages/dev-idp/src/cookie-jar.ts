// The cookies of one dev IdP, for code that drives its login and consent pages with fetch
// (@tessera/testing's token helpers, this package's tests) instead of a browser.

/**
 * Keeps the cookies a dev IdP sets, by name: its interaction and session cookies have names
 * unique to it, so paths and domains can be ignored. A cookie set expired or empty is dropped.
 */
export class CookieJar {
  readonly #cookies = new Map<string, string>();

  /** Takes the cookies `response` sets (`Set-Cookie`, RFC 6265 4.1). */
  store(response: Response): void {
    for (const line of response.headers.getSetCookie()) {
      const [pair = '', ...attributes] = line.split(';');
      const eq = pair.indexOf('=');
      const name = pair.slice(0, eq).trim();
      const value = pair.slice(eq + 1).trim();
      const expired = attributes.some((attribute) => {
        const [key = '', val = ''] = attribute.trim().split('=');
        if (key.toLowerCase() === 'max-age') return Number(val) <= 0;
        if (key.toLowerCase() === 'expires') return Date.parse(val) <= Date.now();
        return false;
      });
      if (expired || value === '') this.#cookies.delete(name);
      else this.#cookies.set(name, value);
    }
  }

  /** The `Cookie` request header for the next request to the dev IdP (RFC 6265 4.2). */
  header(): string {
    return [...this.#cookies].map(([name, value]) => `${name}=${value}`).join('; ');
  }
}
