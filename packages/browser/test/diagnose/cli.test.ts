import { describe, expect, it } from 'vitest';
import { main, parseArgs, USAGE } from '../../src/diagnose/cli.js';
import { CLIENT_ID, ISSUER, REDIRECT_URI, fakeFetch, metadata } from './fakes.js';

const REQUIRED = ['--authority', ISSUER, '--client-id', CLIENT_ID, '--redirect-uri', REDIRECT_URI];

describe('tessera-doctor arguments', () => {
  it('reads --flag value and --flag=value', () => {
    expect(
      parseArgs([
        `--authority=${ISSUER}`,
        '--client-id',
        CLIENT_ID,
        '--redirect-uri',
        REDIRECT_URI,
        '--origin',
        'https://app.example.com/',
        '--protocol-mode',
        'aad',
      ]),
    ).toEqual({
      kind: 'run',
      options: {
        authority: ISSUER,
        clientId: CLIENT_ID,
        redirectUri: REDIRECT_URI,
        origin: 'https://app.example.com',
        protocolMode: 'AAD',
      },
    });
  });

  it('--help and -h win over everything else', () => {
    expect(parseArgs(['--bogus', '--help'])).toEqual({
      kind: 'error',
      message: 'unknown flag --bogus (see --help)',
    });
    expect(parseArgs(['-h'])).toEqual({ kind: 'help' });
    expect(parseArgs([...REQUIRED, '--help'])).toEqual({ kind: 'help' });
  });

  it.each([
    [['--bogus'], 'unknown flag --bogus'],
    [['stray'], 'unexpected argument "stray"'],
    [['--authority'], '--authority needs a value'],
    [['--authority', '--client-id', 'x'], '--authority needs a value'],
    [['--authority='], '--authority needs a value'],
    [[...REQUIRED, '--client-id', 'other'], '--client-id is given twice'],
    [REQUIRED.slice(2), '--authority is required'],
    [REQUIRED.slice(0, 4), '--redirect-uri is required'],
    [[...REQUIRED, '--protocol-mode', 'SAML'], '--protocol-mode must be OIDC or AAD'],
    [[...REQUIRED, '--origin', 'https://app.example.com/path'], '--origin must be an origin'],
    [[...REQUIRED, '--origin', 'app.example.com'], '--origin must be an origin'],
  ])('%j is a one-line error: %s', (argv, expected) => {
    const parsed = parseArgs(argv);
    expect(parsed.kind).toBe('error');
    if (parsed.kind !== 'error') return;
    expect(parsed.message).toContain(expected);
    expect(parsed.message).not.toContain('\n');
  });

  it('main: --help prints the usage and exits 0; a bad flag prints one line to stderr and exits 2', async () => {
    const out: string[] = [];
    const err: string[] = [];
    const io = { out: (t: string) => out.push(t), err: (t: string) => err.push(t) };
    expect(await main(['--help'], io)).toBe(0);
    expect(out.join('')).toBe(USAGE);
    expect(USAGE).toMatch(/^Usage: tessera-doctor \[flags\]$/m);
    expect(await main(['--nope'], io)).toBe(2);
    expect(err).toEqual(['tessera-doctor: unknown flag --nope (see --help)\n']);
  });

  it('main: an authority the library refuses is a one-line error naming it, exit 2', async () => {
    const err: string[] = [];
    const code = await main(
      ['--authority', 'http://idp.example.com', '--client-id', 'x', '--redirect-uri', REDIRECT_URI],
      { out: () => undefined, err: (t) => err.push(t) },
    );
    expect(code).toBe(2);
    expect(err).toHaveLength(1);
    expect(err[0]).toContain('must use https');
    expect(err[0]!.trim()).not.toContain('\n');
  });

  it('main: a provider without CORS for the origin gives errors and exit 1, one line per finding with its fix', async () => {
    const document = metadata();
    const fake = fakeFetch({
      [`${ISSUER}/.well-known/openid-configuration`]: () => Response.json(document),
      [`${ISSUER}/token`]: () => new Response(null, { status: 204 }),
      [`${ISSUER}/authorize`]: (request) => {
        const state = new URL(request.url).searchParams.get('state');
        return new Response(null, {
          status: 302,
          headers: {
            location: `${REDIRECT_URI}?error=login_required&state=${state}`,
            'cross-origin-opener-policy': 'same-origin',
          },
        });
      },
    });
    const out: string[] = [];
    const code = await main(REQUIRED, {
      out: (t) => out.push(t),
      err: () => undefined,
      fetch: fake.fetch,
    });
    const text = out.join('');
    expect(code).toBe(1);
    const lines = text.split('\n');
    const cors = lines.filter((line) => line.startsWith('ERROR'));
    expect(cors).toHaveLength(2);
    expect(cors[0]).toMatch(
      /^ERROR {3}discovery_cors_blocked: .* Fix: Allow the origin https:\/\/app\.example\.com/,
    );
    expect(cors[1]).toMatch(/^ERROR {3}token_endpoint_cors_blocked: .* Fix: /);
    expect(text).toContain('NOTE    authorization_coop: ');
    expect(text).toMatch(
      /^ok {6}discovery, issuer, code_flow, pkce_s256, refresh_tokens, redirect_uri_registered$/m,
    );
    expect(text).toContain('2 errors, 0 warnings.');
    // The authorization request was the library's: PKCE S256 and prompt=none.
    const authorize = new URL(
      fake.requests.find((r) => r.url.startsWith(`${ISSUER}/authorize`))!.url,
    );
    expect(authorize.searchParams.get('prompt')).toBe('none');
    expect(authorize.searchParams.get('code_challenge_method')).toBe('S256');
    expect(authorize.searchParams.get('redirect_uri')).toBe(REDIRECT_URI);
    // Discovery carried the app's origin, the preflight asked for POST.
    expect(fake.requests[0]!.headers.get('origin')).toBe('https://app.example.com');
    const preflight = fake.requests.find((r) => r.method === 'OPTIONS');
    expect(preflight?.headers.get('access-control-request-method')).toBe('POST');
  });
});
