import { describe, expect, it } from 'vitest';
import { judgeTokenAnswer, sendTokenProbe } from '../../src/diagnose/token-probe.js';
import { CLIENT_ID, ISSUER, REDIRECT_URI, fakeFetch } from './fakes.js';

const TOKEN = `${ISSUER}/token`;

async function probe(answer: () => Response) {
  const fake = fakeFetch({ [TOKEN]: answer });
  const result = await sendTokenProbe(fake.fetch, TOKEN, {
    clientId: CLIENT_ID,
    redirectUri: REDIRECT_URI,
  });
  return { result, request: fake.requests[0]! };
}

describe('client probe at the token endpoint (RFC 6749 5.2)', () => {
  it('sends a code exchange with a code no provider issued, as a form POST', async () => {
    const { request } = await probe(() =>
      Response.json({ error: 'invalid_grant' }, { status: 400 }),
    );
    expect(request.method).toBe('POST');
    expect(request.headers.get('content-type')).toBe('application/x-www-form-urlencoded');
    const body = new URLSearchParams(request.body);
    expect(body.get('grant_type')).toBe('authorization_code');
    expect(body.get('client_id')).toBe(CLIENT_ID);
    expect(body.get('redirect_uri')).toBe(REDIRECT_URI);
    expect(body.get('code_verifier')!.length).toBeGreaterThanOrEqual(43);
  });

  it('invalid_grant (the code) passes the client', async () => {
    const { result } = await probe(() =>
      Response.json({ error: 'invalid_grant' }, { status: 400 }),
    );
    expect(judgeTokenAnswer(result, CLIENT_ID)).toEqual({ findings: [], passed: ['client'] });
  });

  it.each(['invalid_client', 'unauthorized_client'])(
    '%s is client_rejected naming the client id',
    async (error) => {
      const { result } = await probe(() =>
        Response.json({ error, error_description: 'unknown app' }, { status: 401 }),
      );
      const judged = judgeTokenAnswer(result, CLIENT_ID);
      expect(judged.passed).toEqual([]);
      expect(judged.findings.map((f) => `${f.severity} ${f.id}`)).toEqual([
        'error client_rejected',
      ]);
      expect(judged.findings[0]!.message).toContain(
        `client "${CLIENT_ID}" with ${error} (unknown app)`,
      );
      expect(judged.findings[0]!.fix).toContain('auth.clientId');
    },
  );

  it('a body that is not JSON gives no verdict', async () => {
    const { result } = await probe(() => new Response('<html>', { status: 500 }));
    expect(result.error).toBeUndefined();
    expect(judgeTokenAnswer(result, CLIENT_ID)).toEqual({ findings: [], passed: [] });
  });
});
