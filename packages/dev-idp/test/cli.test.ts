// The built command line (dist/cli.js), run as a child process.
import { execFileSync, spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import type { Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';

// Real servers on a shared machine: allow for a slow first start (module import, key generation).
vi.setConfig({ testTimeout: 30_000, hookTimeout: 30_000 });

const packageDir = fileURLToPath(new URL('..', import.meta.url));
const repoRoot = fileURLToPath(new URL('../../..', import.meta.url));
const cli = join(packageDir, 'dist', 'cli.js');

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs the CLI to completion (it must exit by itself within the timeout). */
function run(args: string[], timeoutMs = 20_000): Promise<Run> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [cli, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`cli did not exit: ${stdout}${stderr}`));
    }, timeoutMs);
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}

function lines(text: string): string[] {
  return text.split('\n').filter((line) => line.trim() !== '');
}

let scratch: string;

beforeAll(() => {
  const tsc = join(repoRoot, 'node_modules', 'typescript', 'bin', 'tsc');
  execFileSync(process.execPath, [tsc, '-b', 'packages/dev-idp'], { cwd: repoRoot, stdio: 'pipe' });
  scratch = mkdtempSync(join(tmpdir(), 'dev-idp-cli-'));
}, 120_000);

afterAll(() => {
  rmSync(scratch, { recursive: true, force: true });
});

describe('tessera-dev-idp', () => {
  it('--help exits 0 and documents every flag and the default users', async () => {
    const result = await run(['--help']);
    expect(result.code).toBe(0);
    for (const flag of [
      '--port',
      '--host',
      '--issuer',
      '--client',
      '--access-token-ttl',
      '--no-refresh-rotation',
      '--auto-login',
      '--coop',
      '--entra',
      '--config',
      '--profile',
      '--help',
    ]) {
      expect(result.stdout).toContain(flag);
    }
    // One line per profile, saying what it reproduces.
    for (const [profile, what] of [
      ['plain', 'standards-only'],
      ['entra', 'User.Read'],
      ['auth0', 'audience=<api>'],
      ['keycloak', '/realms/<realm>'],
      ['google', 'offline_access refused'],
    ]) {
      const line = result.stdout.split('\n').find((text) => text.startsWith(`  ${profile} `));
      expect(line, profile).toContain(what);
    }
    expect(result.stdout).toContain('alice / alice-password');
    expect(result.stdout).toContain('bob / bob-password');
    expect(result.stderr).toBe('');
  });

  it('rejects an unknown flag with exit 2 and one line naming it', async () => {
    const result = await run(['--frobnicate']);
    expect(result.code).toBe(2);
    expect(lines(result.stderr)).toHaveLength(1);
    expect(result.stderr).toContain('--frobnicate');
    expect(result.stderr).toContain('--help');
    expect(result.stdout).toBe('');
  });

  it('rejects a busy port with exit 2 and one line naming --port', async () => {
    const blocker: Server = createServer();
    await new Promise<void>((resolve) => blocker.listen(0, '127.0.0.1', resolve));
    const address = blocker.address();
    const port = typeof address === 'object' && address !== null ? address.port : 0;
    try {
      const result = await run(['--port', String(port)]);
      expect(result.code).toBe(2);
      expect(lines(result.stderr)).toHaveLength(1);
      expect(result.stderr).toContain('--port');
      expect(result.stderr).toContain(String(port));
      expect(result.stdout).toBe('');
    } finally {
      await new Promise((resolve) => blocker.close(resolve));
    }
  });

  it('rejects a malformed --client and bad JSON config with one line each', async () => {
    const client = await run(['--port', '0', '--client', 'id=app']);
    expect(client.code).toBe(2);
    expect(lines(client.stderr)).toHaveLength(1);
    expect(client.stderr).toContain('--client');

    const file = join(scratch, 'broken.json');
    writeFileSync(file, '{ "port": ');
    const config = await run(['--config', file]);
    expect(config.code).toBe(2);
    expect(lines(config.stderr)).toHaveLength(1);
    expect(config.stderr).toContain('--config');
    expect(config.stderr).toContain('JSON');
  });

  it('rejects an unknown --profile with exit 2 and one line naming the profiles', async () => {
    const result = await run(['--port', '0', '--profile', 'okta']);
    expect(result.code).toBe(2);
    expect(lines(result.stderr)).toEqual([
      'tessera-dev-idp: --profile: "okta" is not a profile; use one of plain, entra, auth0, keycloak, google (default plain)',
    ]);
    expect(result.stdout).toBe('');
  });

  it('prints the authorities of --profile entra and serves them', async () => {
    const child = spawn(process.execPath, [cli, '--port', '0', '--profile', 'entra'], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    try {
      const out = await new Promise<string>((resolve, reject) => {
        let text = '';
        const timer = setTimeout(() => reject(new Error(`no control line: ${text}`)), 20_000);
        child.stdout.on('data', (chunk: Buffer) => {
          text += chunk.toString();
          if (text.includes('\n  control: ')) {
            clearTimeout(timer);
            resolve(text);
          }
        });
        child.on('exit', () => reject(new Error(`exited early: ${text}`)));
      });
      const url = /^tessera-dev-idp listening on (\S+)$/m.exec(out)?.[1] ?? '';
      const tenant = '5b1f0c2e-7d4a-4c8e-9a36-0e2d4f6b8c1a';
      expect(out).toContain(`  profile entra: authority ${url}/${tenant}\n`);
      expect(out).toContain(
        `  entra authorities: ${url}/${tenant}, ${url}/common, ${url}/organizations, ${url}/consumers\n`,
      );
      expect(out).toContain(
        `  entra named tenants: ${url}/contoso.onmicrosoft.com (issuer ${url}/${tenant}/v2.0)\n`,
      );
      expect(out).toContain(`  b2c authorities: ${url}/contoso.onmicrosoft.com/B2C_1_signin\n`);
      const document = (await (
        await fetch(`${url}/contoso.onmicrosoft.com/v2.0/.well-known/openid-configuration`)
      ).json()) as { issuer: string };
      expect(document.issuer).toBe(`${url}/${tenant}/v2.0`);
    } finally {
      child.kill('SIGKILL');
    }
  });

  it('starts, prints the ready line, serves discovery and exits 0 on SIGTERM', async () => {
    const file = join(scratch, 'ok.json');
    writeFileSync(file, JSON.stringify({ ttl: { idToken: 600 } }));
    const child = spawn(
      process.execPath,
      [cli, '--port', '0', '--config', file, '--auto-login', 'alice', '--access-token-ttl', '30'],
      { stdio: ['ignore', 'pipe', 'pipe'] },
    );
    try {
      const issuer = await new Promise<string>((resolve, reject) => {
        let out = '';
        const timer = setTimeout(() => reject(new Error(`no ready line: ${out}`)), 20_000);
        child.stdout.on('data', (chunk: Buffer) => {
          out += chunk.toString();
          const match = /^tessera-dev-idp listening on (\S+)$/m.exec(out);
          if (match?.[1] !== undefined) {
            clearTimeout(timer);
            resolve(match[1]);
          }
        });
        child.on('exit', () => reject(new Error(`exited early: ${out}`)));
      });
      expect(issuer).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
      const document = (await (
        await fetch(`${issuer}/.well-known/openid-configuration`)
      ).json()) as { issuer: string };
      expect(document.issuer).toBe(issuer);
      const stats = (await (await fetch(`${issuer}/__dev/stats`)).json()) as {
        tokenRequests: number;
      };
      expect(stats.tokenRequests).toBe(0);

      const exited = new Promise<number | null>((resolve) => child.on('exit', resolve));
      child.kill('SIGTERM');
      expect(await exited).toBe(0);
      await expect(fetch(`${issuer}/.well-known/openid-configuration`)).rejects.toThrow();
    } finally {
      if (child.exitCode === null) child.kill('SIGKILL');
    }
  });
});
