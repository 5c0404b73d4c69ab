import { describe, expect, it } from 'vitest';
import {
  OIDC_SCOPES,
  normalizeResource,
  normalizeScopes,
  parseScopeString,
  resourceScopes,
  scopesCover,
} from '../../src/cache/scopes.js';

describe('normalizeScopes', () => {
  it('trims, drops empty items, dedupes and sorts', () => {
    expect(normalizeScopes([' b ', '', 'a', 'b', '  '])).toEqual(['a', 'b']);
  });

  it('splits an item holding several space-delimited scopes', () => {
    expect(normalizeScopes(['openid profile', 'api.read'])).toEqual([
      'api.read',
      'openid',
      'profile',
    ]);
  });

  it('keeps case: Read and read are different scopes (RFC 6749 3.3)', () => {
    expect(normalizeScopes(['Read', 'read'])).toEqual(['Read', 'read']);
  });
});

describe('parseScopeString', () => {
  it('parses a space-delimited scope parameter', () => {
    expect(parseScopeString('openid  api://a/read\tprofile')).toEqual([
      'api://a/read',
      'openid',
      'profile',
    ]);
  });

  it('gives an empty list for nothing', () => {
    expect(parseScopeString(undefined)).toEqual([]);
    expect(parseScopeString(null)).toEqual([]);
    expect(parseScopeString('   ')).toEqual([]);
  });
});

describe('resourceScopes', () => {
  it('drops every OIDC scope and nothing else', () => {
    expect(resourceScopes([...OIDC_SCOPES, 'api.read', 'OpenID'])).toEqual(['api.read']);
  });
});

describe('scopesCover', () => {
  it('covers a subset of the granted scopes', () => {
    expect(scopesCover(['api.read', 'api.write'], ['api.read'])).toBe(true);
  });

  it('does not cover a superset of the granted scopes', () => {
    expect(scopesCover(['api.read'], ['api.read', 'api.write'])).toBe(false);
  });

  it('ignores requested OIDC scopes that the grant leaves out', () => {
    expect(scopesCover(['api.read'], ['openid', 'profile', 'offline_access', 'api.read'])).toBe(
      true,
    );
  });

  it('compares without regard to case, as Entra ID answers with its own spelling', () => {
    expect(scopesCover(['User.Read'], ['user.read'])).toBe(true);
    expect(scopesCover(['user.read'], ['USER.READ', 'User.Read'])).toBe(true);
    expect(scopesCover(['User.Read'], ['User.ReadWrite'])).toBe(false);
  });

  it('serves an OIDC-only request only with an OIDC-only token', () => {
    expect(scopesCover(['openid', 'profile'], ['openid'])).toBe(true);
    expect(scopesCover([], ['openid', 'email'])).toBe(true);
    expect(scopesCover(['openid', 'api.read'], ['openid'])).toBe(false);
  });

  it('treats an OIDC scope in another case as the OIDC scope', () => {
    expect(scopesCover(['openid'], ['OPENID'])).toBe(true);
    expect(scopesCover(['openid', 'api.read'], ['OpenID'])).toBe(false);
  });
});

describe('normalizeResource', () => {
  it('accepts one string or a list, trims, dedupes and sorts', () => {
    expect(normalizeResource(' https://b.example ')).toEqual(['https://b.example']);
    expect(
      normalizeResource(['https://b.example', 'https://a.example', 'https://b.example', '']),
    ).toEqual(['https://a.example', 'https://b.example']);
    expect(normalizeResource(undefined)).toEqual([]);
  });
});
