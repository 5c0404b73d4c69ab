// Runtime configuration: read from `config.json` next to the app before Angular starts, so one
// build runs against any provider and API (the e2e tests pick their ports at run time).

/** What `config.json` holds. */
export interface ExampleConfig {
  /** The OpenID provider's issuer URL (the dev IdP by default). */
  issuer: string;
  /** The client id registered at the provider. */
  clientId: string;
  /** Origin of the protected API. */
  apiUrl: string;
  /** Scopes of the API's access tokens. */
  scopes: string[];
  /** Redirect URI registered at the provider; default the app's base URL. */
  redirectUri: string;
}

function isStringArray(value: unknown): value is string[] {
  return Array.isArray(value) && value.every((item) => typeof item === 'string');
}

/** Fetches and checks `config.json` (relative to the document's base URL). */
export async function loadExampleConfig(): Promise<ExampleConfig> {
  const response = await fetch(new URL('config.json', document.baseURI), { cache: 'no-store' });
  if (!response.ok) throw new Error(`config.json: HTTP ${response.status}`);
  const raw = (await response.json()) as Record<string, unknown>;
  const { issuer, clientId, apiUrl, scopes, redirectUri } = raw;
  if (typeof issuer !== 'string' || typeof clientId !== 'string' || typeof apiUrl !== 'string') {
    throw new Error('config.json needs "issuer", "clientId" and "apiUrl" strings.');
  }
  return {
    issuer,
    clientId,
    apiUrl: apiUrl.replace(/\/+$/, ''),
    scopes: isStringArray(scopes) ? scopes : ['api://demo/read'],
    redirectUri: typeof redirectUri === 'string' ? redirectUri : document.baseURI,
  };
}

let current: ExampleConfig | undefined;

/** Keeps the loaded configuration for modules evaluated after start-up (the NgModule). */
export function setExampleConfig(config: ExampleConfig): void {
  current = config;
}

/** The configuration loaded by `main.ts`. */
export function exampleConfig(): ExampleConfig {
  if (current === undefined) throw new Error('exampleConfig() before main.ts loaded config.json');
  return current;
}
