import { describe, expect, it } from 'vitest';
import { checkProviderMetadata } from '../../src/diagnose/metadata-checks.js';
import { metadata } from './fakes.js';

const ids = (document: Record<string, unknown>, offlineAccess?: boolean) =>
  checkProviderMetadata(document, { offlineAccess }).findings.map((f) => `${f.severity} ${f.id}`);

describe('metadata checks (OIDC Discovery 3, RFC 8414 2)', () => {
  it('a provider with the code flow, S256 and refresh tokens passes every check', () => {
    const result = checkProviderMetadata(metadata());
    expect(result.findings).toEqual([]);
    expect(result.passed).toEqual(['code_flow', 'pkce_s256', 'refresh_tokens']);
  });

  it('S256 missing from a listed code_challenge_methods_supported is an error naming the list', () => {
    const result = checkProviderMetadata({
      ...metadata(),
      code_challenge_methods_supported: ['plain'],
    });
    expect(result.findings).toHaveLength(1);
    expect(result.findings[0]).toMatchObject({ id: 'pkce_s256_unsupported', severity: 'error' });
    expect(result.findings[0]!.message).toContain('plain');
    expect(result.findings[0]!.fix).toContain('S256');
    expect(result.passed).not.toContain('pkce_s256');
  });

  it('an absent code_challenge_methods_supported is a warning only', () => {
    const document = metadata();
    delete document['code_challenge_methods_supported'];
    expect(ids(document)).toEqual(['warning pkce_methods_unlisted']);
  });

  it('offline_access missing from scopes_supported is a warning, unless auth.offlineAccess is true', () => {
    const document = { ...metadata(), scopes_supported: ['openid', 'profile'] };
    expect(ids(document)).toEqual(['warning offline_access_unlisted']);
    expect(ids(document, true)).toEqual([]);
    // No scopes listed: Tessera asks for offline_access anyway (config.ts rule).
    expect(ids({ ...metadata(), scopes_supported: [] })).toEqual([]);
  });

  it('auth.offlineAccess false is reported, whatever the provider lists', () => {
    const result = checkProviderMetadata(metadata(), { offlineAccess: false });
    expect(result.findings.map((f) => f.id)).toEqual(['offline_access_disabled']);
    expect(result.findings[0]!.message).toContain('auth.offlineAccess');
    expect(result.passed).not.toContain('refresh_tokens');
  });

  it('a listed grant_types_supported without refresh_token is a warning; an absent one is not', () => {
    expect(ids({ ...metadata(), grant_types_supported: ['authorization_code'] })).toEqual([
      'warning refresh_token_grant_unlisted',
    ]);
    const document = metadata();
    delete document['grant_types_supported'];
    expect(ids(document)).toEqual([]);
  });

  it('no code in response_types_supported, or no authorization_code grant, is an error', () => {
    expect(ids({ ...metadata(), response_types_supported: ['id_token', 'code id_token'] })).toEqual(
      ['error code_flow_unsupported'],
    );
    expect(ids({ ...metadata(), grant_types_supported: ['implicit', 'refresh_token'] })).toEqual([
      'error code_flow_unsupported',
    ]);
  });

  it('members of the wrong shape count as absent, never as a crash', () => {
    const result = checkProviderMetadata({
      ...metadata(),
      scopes_supported: 'openid offline_access',
      code_challenge_methods_supported: [1, 2],
    });
    expect(result.findings.map((f) => f.id)).toEqual(['pkce_methods_unlisted']);
  });
});
