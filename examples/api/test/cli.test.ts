import { createServer } from 'node:net';
import type { AddressInfo } from 'node:net';
import { describe, expect, it } from 'vitest';
import { CLI_DEFAULTS, UsageError, parseCliArgs, runCli } from '../src/cli.js';

function capture() {
  const out: string[] = [];
  const err: string[] = [];
  return {
    out,
    err,
    io: { stdout: (l: string) => out.push(l), stderr: (l: string) => err.push(l) },
  };
}

describe('cli', () => {
  it('has the documented defaults', () => {
    expect(parseCliArgs([])).toEqual({
      port: 4001,
      issuer: 'http://127.0.0.1:4000',
      audience: 'api://demo',
      allowedOrigins: ['http://127.0.0.1:5173', 'http://localhost:5173'],
    });
    expect(CLI_DEFAULTS.port).toBe(4001);
  });

  it('takes every flag, --allow-origin repeatable', () => {
    expect(
      parseCliArgs([
        '--port=0',
        '--issuer',
        'http://127.0.0.1:9000',
        '--audience',
        'api://x',
        '--allow-origin',
        'http://a.test',
        '--allow-origin',
        'https://b.test:8443',
      ]),
    ).toEqual({
      port: 0,
      issuer: 'http://127.0.0.1:9000',
      audience: 'api://x',
      allowedOrigins: ['http://a.test', 'https://b.test:8443'],
    });
  });

  it('rejects bad flags', () => {
    expect(() => parseCliArgs(['--port', 'abc'])).toThrow(UsageError);
    expect(() => parseCliArgs(['--port', '70000'])).toThrow(/--port/);
    expect(() => parseCliArgs(['--allow-origin', 'http://a.test/'])).toThrow(/--allow-origin/);
    expect(() => parseCliArgs(['--nope'])).toThrow(UsageError);
  });

  it('starts the API and prints its URL', async () => {
    const { out, err, io } = capture();
    const result = await runCli(['--port', '0'], io);
    expect('api' in result).toBe(true);
    if (!('api' in result)) return;
    try {
      expect(err).toEqual([]);
      expect(out).toHaveLength(1);
      expect(out[0]).toContain(result.api.url);
      const health = await fetch(`${result.api.url}/health`);
      expect(health.status).toBe(200);
    } finally {
      await result.api.close();
    }
  });

  it('reports a busy port on one stderr line naming --port, exit code 2', async () => {
    const blocker = createServer();
    await new Promise<void>((resolve) => blocker.listen(0, '127.0.0.1', resolve));
    const { port } = blocker.address() as AddressInfo;
    try {
      const { out, err, io } = capture();
      const result = await runCli(['--port', String(port)], io);
      expect(result).toEqual({ exitCode: 2 });
      expect(out).toEqual([]);
      expect(err).toHaveLength(1);
      expect(err[0]).toContain('--port');
      expect(err[0]).toContain(String(port));
      expect(err[0]).not.toContain('\n');
    } finally {
      await new Promise((resolve) => blocker.close(resolve));
    }
  });

  it('reports a usage error on one stderr line, exit code 2', async () => {
    const { err, io } = capture();
    expect(await runCli(['--bogus'], io)).toEqual({ exitCode: 2 });
    expect(err).toHaveLength(1);
  });
});
