// tessera-doctor against the real dev IdP (oidc-provider) on loopback: the CLI's main and the
// bin itself, for a correct setup and broken ones.
import { execFile, execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startDevIdp, type DevIdp } from '@tessera/dev-idp';
import { main } from '../../src/diagnose/cli.js';

const repoRoot = fileURLToPath(new URL('../../../../', import.meta.url));
const bin = fileURLToPath(new URL('../../bin/tessera-doctor.mjs', import.meta.url));
const CLIENT_ID = 'doctor-spa';
const REDIRECT_URI = 'http://localhost:5173/callback';

let idp: DevIdp;

beforeAll(async () => {
  // The bin runs the compiled library, as after `npm run build`; tsc -b skips it when up to date.
  const tsc = `${repoRoot}node_modules/typescript/bin/tsc`;
  execFileSync(process.execPath, [tsc, '-b', 'packages/browser'], { cwd: repoRoot, stdio: 'pipe' });
  idp = await startDevIdp({
    port: 0,
    host: '127.0.0.1',
    coop: true,
    clients: [{ clientId: CLIENT_ID, redirectUris: [REDIRECT_URI], refreshTokens: true }],
  });
}, 120_000);

afterAll(() => idp?.close());

async function doctor(...flags: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const code = await main(flags, { out: (t) => (out += t), err: (t) => (err += t) });
  return { code, out, err };
}

function runBin(...flags: string[]): Promise<{ code: number; out: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, [bin, ...flags], (error, stdout, stderr) => {
      resolve({ code: error === null ? 0 : Number(error.code), out: stdout + stderr });
    });
  });
}

const setup = (redirectUri = REDIRECT_URI) => [
  '--authority',
  idp.issuer,
  '--client-id',
  CLIENT_ID,
  '--redirect-uri',
  redirectUri,
];

describe('tessera-doctor against the dev IdP', () => {
  it('a correct setup: every check passes, the COOP note is shown, exit 0', async () => {
    const { code, out, err } = await doctor(...setup());
    expect(err).toBe('');
    expect(out).not.toMatch(/^(ERROR|WARNING)/m);
    expect(out).toMatch(
      /^ok {6}discovery, issuer, discovery_cors, code_flow, pkce_s256, refresh_tokens, token_endpoint_cors, client, redirect_uri_registered$/m,
    );
    expect(out).toContain(
      'NOTE    authorization_coop: The authorization endpoint sends "Cross-Origin-Opener-Policy: same-origin"',
    );
    expect(out).toContain('Nothing to fix.');
    expect(code).toBe(0);
  });

  it('an unregistered redirect URI: redirect_uri_not_registered naming it, exit 1', async () => {
    const { code, out } = await doctor(...setup('http://localhost:5173/other'));
    expect(out).toMatch(
      /^ERROR {3}redirect_uri_not_registered: auth\.redirectUri "http:\/\/localhost:5173\/other" .*HTTP 400.* Fix: Register "http:\/\/localhost:5173\/other" exactly/m,
    );
    expect(out).toContain('1 error, 0 warnings.');
    expect(code).toBe(1);
  });

  it('an unknown client id: client_rejected, and the redirect URI is not blamed', async () => {
    const { code, out } = await doctor(
      '--authority',
      idp.issuer,
      '--client-id',
      'no-such-client',
      '--redirect-uri',
      REDIRECT_URI,
    );
    expect(out).toMatch(/^ERROR {3}client_rejected: .*"no-such-client" with invalid_client/m);
    expect(out).toMatch(/^WARNING redirect_uri_unverified: /m);
    expect(out).not.toContain('redirect_uri_not_registered');
    expect(code).toBe(1);
  });

  it('an origin the client does not allow: the token endpoint CORS finding, discovery still readable', async () => {
    const { code, out } = await doctor(...setup(), '--origin', 'http://127.0.0.1:9999');
    expect(out).toMatch(/^ERROR {3}token_endpoint_cors_blocked: .*http:\/\/127\.0\.0\.1:9999/m);
    expect(out).toMatch(/^ok .*\bdiscovery_cors\b/m);
    expect(code).toBe(1);
  });

  it('the authority under another host name than the issuer: issuer_mismatch with the issuer to use', async () => {
    const { code, out } = await doctor(
      '--authority',
      idp.issuer.replace('127.0.0.1', 'localhost'),
      '--client-id',
      CLIENT_ID,
      '--redirect-uri',
      REDIRECT_URI,
    );
    expect(out).toContain(`Fix: Set auth.authority to "${idp.issuer}" exactly`);
    expect(code).toBe(1);
  });

  it('the bin: exit 0 for the correct setup, 1 for an unregistered redirect URI, 2 for a bad flag', async () => {
    const ok = await runBin(...setup());
    expect(ok.out).toContain('Nothing to fix.');
    expect(ok.code).toBe(0);
    const broken = await runBin(...setup('http://localhost:5173/other'));
    expect(broken.out).toContain('redirect_uri_not_registered');
    expect(broken.code).toBe(1);
    const bad = await runBin('--client', 'x');
    expect(bad.out).toBe('tessera-doctor: unknown flag --client (see --help)\n');
    expect(bad.code).toBe(2);
  }, 30_000);
});
