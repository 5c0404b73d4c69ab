// diagnose(app) outside a browser page (no window): the lazily loaded module runs the provider
// checks with the app's configuration; the page-only checks are left out.
import { describe, expect, it } from 'vitest';
import { diagnose } from '../../src/diagnose/index.js';
import { UserAgentApplication } from '../../src/index.js';
import { CLIENT_ID, ISSUER, REDIRECT_URI, metadata, provider } from './fakes.js';

function app(authority: string) {
  return new UserAgentApplication({
    auth: { clientId: CLIENT_ID, authority, redirectUri: REDIRECT_URI },
    system: { ports: { window: undefined } },
  });
}

describe('diagnose(app) without a window', () => {
  it('reports the issuer of the real document against auth.authority', async () => {
    const fake = provider(metadata(`${ISSUER}/tenant`));
    const result = await diagnose(app(ISSUER), { fetch: fake.fetch });
    expect(result.findings.map((f) => f.id)).toEqual(['issuer_mismatch']);
    expect(result.notes).toEqual([]);
  });

  it('a correct provider: discovery, CORS (read from here), metadata and client pass', async () => {
    const fake = provider();
    const result = await diagnose(app(ISSUER), { fetch: fake.fetch });
    expect(result.findings).toEqual([]);
    expect(result.passed).toEqual([
      'discovery',
      'issuer',
      'discovery_cors',
      'code_flow',
      'pkce_s256',
      'refresh_tokens',
      'token_endpoint_cors',
      'client',
    ]);
    // Nothing stored, nothing signed in.
    expect(app(ISSUER).getAllAccounts()).toEqual([]);
  });
});
