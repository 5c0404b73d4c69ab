import { describe, expect, it } from 'vitest';
import {
  answerOf,
  classifyDirectAnswer,
  judgeAnswer,
  notRegistered,
} from '../../src/diagnose/authorization-answer.js';
import { CLIENT_ID, ISSUER, REDIRECT_URI } from './fakes.js';

const AUTHORIZE = `${ISSUER}/authorize?client_id=spa`;
const context = { redirectUri: REDIRECT_URI, clientId: CLIENT_ID };
const signedIn = {
  username: 'alice',
  appOrigin: 'http://localhost:5173',
  providerOrigin: 'http://127.0.0.1:4000',
};

describe('authorization answers (OIDC Core 3.1.2.1 prompt=none)', () => {
  it('reads an error or a code from query or fragment, never keeping the code', () => {
    expect(answerOf(new URL(`${REDIRECT_URI}?error=login_required&state=s`))).toEqual({
      error: 'login_required',
      errorDescription: undefined,
      code: false,
    });
    const withCode = answerOf(new URL(`${REDIRECT_URI}#code=secret-code&state=s`));
    expect(withCode).toEqual({ error: undefined, errorDescription: undefined, code: true });
    expect(JSON.stringify(withCode)).not.toContain('secret-code');
    expect(answerOf(new URL(REDIRECT_URI))).toBeUndefined();
  });

  it('an answer at the redirect URI proves registration, login_required included', () => {
    const result = judgeAnswer(
      { error: 'login_required', errorDescription: undefined, code: false },
      context,
    );
    expect(result).toEqual({ findings: [], passed: ['redirect_uri_registered'] });
  });

  it('another error at the redirect URI is authorization_error with its description', () => {
    const result = judgeAnswer(
      { error: 'unauthorized_client', errorDescription: 'code flow not allowed', code: false },
      context,
    );
    expect(result.passed).toEqual(['redirect_uri_registered']);
    expect(result.findings).toHaveLength(1);
    expect(result.findings[0]).toMatchObject({ id: 'authorization_error', severity: 'error' });
    expect(result.findings[0]!.message).toContain('"unauthorized_client" (code flow not allowed)');
    expect(result.findings[0]!.fix).toContain(`client "${CLIENT_ID}"`);
  });

  it('signed in here and login_required in the iframe: third_party_cookies_blocked, naming both origins', () => {
    for (const error of ['login_required', 'interaction_required']) {
      const result = judgeAnswer(
        { error, errorDescription: undefined, code: false },
        { ...context, signedIn },
      );
      expect(result.findings.map((f) => `${f.severity} ${f.id}`)).toEqual([
        'warning third_party_cookies_blocked',
      ]);
      expect(result.findings[0]!.message).toContain('http://localhost:5173');
      expect(result.findings[0]!.message).toContain('http://127.0.0.1:4000');
      expect(result.findings[0]!.fix).toContain('refresh tokens');
      expect(result.passed).not.toContain('iframe_session');
    }
  });

  it('signed in here and a code in the iframe: iframe_session passes', () => {
    const result = judgeAnswer(
      { error: undefined, errorDescription: undefined, code: true },
      { ...context, signedIn },
    );
    expect(result).toEqual({ findings: [], passed: ['redirect_uri_registered', 'iframe_session'] });
  });

  it('consent_required with an account is not blamed on cookies', () => {
    const result = judgeAnswer(
      { error: 'consent_required', errorDescription: undefined, code: false },
      { ...context, signedIn },
    );
    expect(result.findings).toEqual([]);
  });

  describe('the direct answer (CLI, redirect: manual)', () => {
    it('a redirect to the redirect URI with an error means registered', () => {
      expect(
        classifyDirectAnswer(
          303,
          `${REDIRECT_URI}?error=login_required&state=s`,
          REDIRECT_URI,
          AUTHORIZE,
        ),
      ).toEqual({
        kind: 'answered',
        answer: { error: 'login_required', errorDescription: undefined, code: false },
      });
    });

    it('a 400 page, a 200 page or a redirect elsewhere means not registered', () => {
      expect(classifyDirectAnswer(400, null, REDIRECT_URI, AUTHORIZE).kind).toBe('not_registered');
      expect(classifyDirectAnswer(200, null, REDIRECT_URI, AUTHORIZE).kind).toBe('not_registered');
      const elsewhere = classifyDirectAnswer(302, '/error?x=1', REDIRECT_URI, AUTHORIZE);
      expect(elsewhere).toEqual({
        kind: 'not_registered',
        detail: `it redirected to ${ISSUER}/error instead`,
      });
      // Same origin, another path: not the redirect URI.
      expect(
        classifyDirectAnswer(
          302,
          'https://app.example.com/other?error=login_required',
          REDIRECT_URI,
          AUTHORIZE,
        ).kind,
      ).toBe('not_registered');
    });

    it('a 5xx proves nothing', () => {
      expect(classifyDirectAnswer(503, null, REDIRECT_URI, AUTHORIZE)).toEqual({
        kind: 'unverified',
        detail: 'the provider failed with HTTP 503',
      });
    });
  });

  it('the not-registered finding names the URI, the client and how to register it', () => {
    const finding = notRegistered(REDIRECT_URI, CLIENT_ID, 'why.');
    expect(finding.id).toBe('redirect_uri_not_registered');
    expect(finding.message).toContain(`"${REDIRECT_URI}"`);
    expect(finding.fix).toContain(`Register "${REDIRECT_URI}" exactly`);
    expect(finding.fix).toContain('RFC 6749 3.1.2.2');
  });
});
