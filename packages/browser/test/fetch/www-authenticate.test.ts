import { describe, expect, it } from 'vitest';
import { claimsFromChallenge, parseBearerChallenge } from '../../src/fetch/www-authenticate.js';

describe('WWW-Authenticate parsing', () => {
  it('reads quoted and token auth-params of a Bearer challenge', () => {
    expect(
      parseBearerChallenge(
        'Bearer realm="api", error="invalid_token", error_description="bad \\"x\\""',
      ),
    ).toEqual({
      realm: 'api',
      error: 'invalid_token',
      error_description: 'bad "x"',
    });
    expect(parseBearerChallenge('Basic realm="x"')).toBeUndefined();
    expect(parseBearerChallenge(null)).toBeUndefined();
  });

  it('decodes insufficient_claims claims, base64 or JSON', () => {
    const json = '{"access_token":{"acrs":{"essential":true,"value":"c1"}}}';
    const b64 = btoa(json);
    expect(
      claimsFromChallenge(
        parseBearerChallenge(`Bearer error="insufficient_claims", claims="${b64}"`),
      ),
    ).toBe(json);
    expect(claimsFromChallenge({ error: 'insufficient_claims', claims: json })).toBe(json);
    expect(claimsFromChallenge({ error: 'invalid_token', claims: json })).toBeUndefined();
    expect(claimsFromChallenge({ error: 'insufficient_claims', claims: '%%%' })).toBeUndefined();
  });
});
