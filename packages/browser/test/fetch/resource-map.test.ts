import { describe, expect, it } from 'vitest';
import { ClientConfigurationError } from '../../src/errors/auth-error.js';
import { parseProtectedResourceMap, scopesForUrl } from '../../src/fetch/resource-map.js';

const BASE = 'http://127.0.0.1:5173/app/';

describe('protectedResourceMap matching', () => {
  const map = parseProtectedResourceMap({
    'http://127.0.0.1:4001/api': ['api://demo/read'],
    'http://127.0.0.1:4001/api/public': null,
    'https://graph.microsoft.com/v1.0/me': ['user.read', 'mail.send'],
    'https://*.example.com/': ['api://wild'],
    '/local': ['api://local'],
  });

  it.each([
    ['http://127.0.0.1:4001/api', ['api://demo/read']],
    ['http://127.0.0.1:4001/api/', ['api://demo/read']],
    ['http://127.0.0.1:4001/api/profile?x=1', ['api://demo/read']],
    ['https://graph.microsoft.com/v1.0/me/messages', ['user.read', 'mail.send']],
    ['https://a.example.com/x', ['api://wild']],
    ['/local/thing', ['api://local']],
  ])('%s is protected', (url, scopes) => {
    expect(scopesForUrl(map, url, BASE)).toEqual(scopes);
  });

  it.each([
    'http://127.0.0.1:4002/api', // other port
    'https://127.0.0.1:4001/api', // other scheme
    'http://127.0.0.1:4001/apis', // not on a segment boundary
    'http://127.0.0.1:4001/api/public/x', // explicitly unprotected, more specific
    'https://graph.microsoft.com.evil.test/v1.0/me', // host suffix trick
    'https://graph.microsoft.com@evil.test/v1.0/me', // userinfo trick: host is evil.test
    'https://user:pw@graph.microsoft.com/v1.0/me', // credentials in URL
    'https://evilexample.com/', // wildcard needs a label boundary
    'https://example.com/', // wildcard does not match the apex
    'http://127.0.0.1:4001/other/../apix', // normalised path
    'http://localhost:5173/local', // path-only entry is for the app origin only
    'not a url at all ::',
  ])('%s is not protected', (url) => {
    expect(scopesForUrl(map, url, BASE)).toBeUndefined();
  });

  it('accepts a Map and an array of pairs', () => {
    const fromMap = parseProtectedResourceMap(new Map([['https://api.test/', ['a']]]));
    const fromArray = parseProtectedResourceMap([['https://api.test/', ['a']]]);
    expect(scopesForUrl(fromMap, 'https://api.test/x', BASE)).toEqual(['a']);
    expect(scopesForUrl(fromArray, 'https://api.test/x', BASE)).toEqual(['a']);
  });

  it('rejects malformed entries with a typed error naming the key', () => {
    expect(() => parseProtectedResourceMap({ 'ftp://x': ['a'] })).toThrow(ClientConfigurationError);
    expect(() => parseProtectedResourceMap({ 'https://x': 'a' as unknown as string[] })).toThrow(
      /https:\/\/x/,
    );
    expect(() => parseProtectedResourceMap({ 'api.example.com': ['a'] })).toThrow(
      /api\.example\.com/,
    );
  });
});
