// Self-test of the fault proxy against a tiny loopback server; no browser, no IdP.
import { createServer } from 'node:http';
import type { Server } from 'node:http';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startFaultProxy } from './harness/fault-proxy.js';
import type { FaultProxy } from './harness/fault-proxy.js';
import { listen } from './harness/http.js';

/** What the target saw: method, path, Host and body of every request. */
let seen: Array<{ method: string; path: string; host: string; body: string }>;
let target: Server;
let proxy: FaultProxy;

beforeEach(async () => {
  seen = [];
  target = createServer((req, res) => {
    let body = '';
    req.on('data', (chunk: Buffer) => (body += chunk.toString('utf8')));
    req.on('end', () => {
      seen.push({
        method: req.method ?? '',
        path: req.url ?? '',
        host: req.headers.host ?? '',
        body,
      });
      res.writeHead(200, { 'content-type': 'application/json', 'x-target': 'yes' });
      res.end(JSON.stringify({ path: req.url, body }));
    });
  });
  const port = await listen(target, '127.0.0.1', 0);
  proxy = await startFaultProxy(`http://127.0.0.1:${port}`);
});

afterEach(async () => {
  await proxy.close();
  target.closeAllConnections();
  await new Promise((resolve) => target.close(resolve));
});

const post = (path: string, body = 'grant_type=refresh_token', signal?: AbortSignal) =>
  fetch(`${proxy.url}${path}`, {
    method: 'POST',
    body,
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    ...(signal === undefined ? {} : { signal }),
  });

describe('fault proxy', () => {
  it('forwards untouched when no fault is queued: status, headers, body, Host', async () => {
    const response = await post('/token?x=1');

    expect(response.status).toBe(200);
    expect(response.headers.get('x-target')).toBe('yes');
    expect(await response.json()).toEqual({ path: '/token?x=1', body: 'grant_type=refresh_token' });
    expect(seen).toEqual([
      {
        method: 'POST',
        path: '/token?x=1',
        host: new URL(proxy.url).host,
        body: 'grant_type=refresh_token',
      },
    ]);
  });

  it('answers queued statuses in order without forwarding, then forwards again', async () => {
    proxy.inject(
      { method: 'POST', path: '/token' },
      { status: 503 },
      { status: 429, headers: { 'retry-after': '1' } },
      { status: 400, body: '' },
    );

    const answers = [];
    for (let i = 0; i < 4; i++) {
      const response = await post('/token');
      answers.push([response.status, response.headers.get('retry-after'), await response.text()]);
    }

    expect(answers.slice(0, 3)).toEqual([
      [503, null, ''],
      [429, '1', ''],
      [400, null, ''],
    ]);
    expect(answers[3]?.[0]).toBe(200);
    expect(seen).toHaveLength(1);
    expect(proxy.count('/token')).toBe(4);
    expect(proxy.pending()).toBe(0);
  });

  it('matches by method and by path pattern', async () => {
    proxy.inject({ method: 'POST', path: /\/token$/ }, { status: 503 });

    expect((await fetch(`${proxy.url}/realm/token`)).status).toBe(200);
    expect((await post('/realm/other')).status).toBe(200);
    expect((await post('/realm/token')).status).toBe(503);
    expect(proxy.requests.map((r) => [r.method, r.path, r.fault])).toEqual([
      ['GET', '/realm/token', undefined],
      ['POST', '/realm/other', undefined],
      ['POST', '/realm/token', { status: 503 }],
    ]);
  });

  it('stalls until the client gives up, without forwarding; close() ends stalled connections', async () => {
    proxy.inject({ path: '/token' }, { stall: true }, { stall: true });

    const timedOut = await post('/token', 'x', AbortSignal.timeout(200)).catch((e: unknown) => e);
    const pending = post('/token').catch((e: unknown) => e);
    await expect.poll(() => proxy.count('/token')).toBe(2);
    await proxy.close();

    expect(timedOut).toMatchObject({ name: 'TimeoutError' });
    expect(await pending).toBeInstanceOf(TypeError);
    expect(seen).toHaveLength(0);
  });

  it('can stall after forwarding: the server processed the request, the client gets nothing', async () => {
    proxy.inject({ path: '/token' }, { stall: true, forward: true });

    const error = await post('/token', 'rt=1', AbortSignal.timeout(300)).catch((e: unknown) => e);

    expect(error).toMatchObject({ name: 'TimeoutError' });
    expect(seen.map((r) => r.body)).toEqual(['rt=1']);
  });

  it('resets the connection, before or after forwarding', async () => {
    proxy.inject({ path: '/token' }, { reset: true }, { reset: true, forward: true });

    const before = await post('/token', 'first').catch((e: unknown) => e);
    const after = await post('/token', 'second').catch((e: unknown) => e);

    expect(before).toBeInstanceOf(TypeError);
    expect(after).toBeInstanceOf(TypeError);
    expect(seen.map((r) => r.body)).toEqual(['second']);
  });

  it('delays, then forwards', async () => {
    proxy.inject({ path: '/slow' }, { delayMs: 150 });

    const start = performance.now();
    const response = await fetch(`${proxy.url}/slow`);

    expect(response.status).toBe(200);
    expect(performance.now() - start).toBeGreaterThanOrEqual(140);
    expect(seen.map((r) => r.path)).toEqual(['/slow']);
  });
});
