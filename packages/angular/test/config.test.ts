// Configuration: the seed's flat keys, the core's shape, and every resource-map form.
import { ClientConfigurationError, scopesForUrl } from '@tessera/browser';
import { describe, expect, it } from 'vitest';
import { resolveMsalConfiguration, type MsalProtectedResourceMap } from '../src/config';

const ME = 'https://graph.microsoft.com/v1.0/me';

describe('resolveMsalConfiguration', () => {
  it("maps the seed's flat keys onto the core configuration", () => {
    const resolved = resolveMsalConfiguration({
      clientID: 'your_app_id',
      authority: 'https://login.example.com/realms/app',
      redirectUri: 'https://app.example/',
      postLogoutRedirectUri: 'https://app.example/bye',
      cacheLocation: 'localStorage',
      navigateToLoginRequestUrl: false,
      protectedResourceMap: [[ME, ['user.read', 'mail.send']]],
      unprotectedResources: ['https://graph.microsoft.com/v1.0/me/photo'],
      popUp: true,
      consentScopes: ['user.read'],
      extraQueryParameters: '?domain_hint=example.com&ui_locales=de',
    });
    expect(resolved.configuration).toEqual({
      auth: {
        clientId: 'your_app_id',
        authority: 'https://login.example.com/realms/app',
        redirectUri: 'https://app.example/',
        postLogoutRedirectUri: 'https://app.example/bye',
        navigateToLoginRequestUrl: false,
      },
      cache: { cacheLocation: 'localStorage' },
      system: {},
    });
    expect(resolved.popUp).toBe(true);
    expect(resolved.interactionFallback).toBe('popup');
    expect(resolved.consentScopes).toEqual(['user.read']);
    expect(resolved.extraScopesToConsent).toEqual(['mail.send']);
    expect(resolved.extraQueryParameters).toEqual({ domain_hint: 'example.com', ui_locales: 'de' });
    expect(scopesForUrl(resolved.protectedResources, ME, undefined)).toEqual([
      'user.read',
      'mail.send',
    ]);
    expect(resolved.unprotectedResources).toHaveLength(1);
  });

  it("takes the core's shape plus Angular options as the second argument", () => {
    const resolved = resolveMsalConfiguration(
      {
        auth: { clientId: 'app', authority: 'https://idp.example' },
        cache: { cacheLocation: 'memory' },
      },
      { protectedResourceMap: new Map([[ME, ['user.read']]]), interactionFallback: 'redirect' },
    );
    expect(resolved.configuration.auth.clientId).toBe('app');
    expect(resolved.configuration.cache).toEqual({ cacheLocation: 'memory' });
    expect(resolved.popUp).toBe(false);
    expect(resolved.interactionFallback).toBe('redirect');
    expect(scopesForUrl(resolved.protectedResources, ME, undefined)).toEqual(['user.read']);
  });

  it('defaults: no protected resources, no fallback, no consent scopes', () => {
    const resolved = resolveMsalConfiguration({ clientID: 'app' });
    expect(resolved.protectedResources).toEqual([]);
    expect(resolved.interactionFallback).toBe('none');
    expect(resolved.consentScopes).toEqual([]);
    expect(resolved.extraScopesToConsent).toEqual([]);
    expect(resolved.extraQueryParameters).toBeUndefined();
  });

  const forms: [string, MsalProtectedResourceMap][] = [
    ['a Map', new Map([[ME, ['user.read', 'mail.send']]])],
    ['an array of pairs', [[ME, ['user.read', 'mail.send']]]],
    ['a plain object', { [ME]: ['user.read', 'mail.send'] }],
    // The seed writes `{"https://graph.microsoft.com/v1.0/me", ["user.read", "mail.send"]}`:
    // not valid JavaScript; the closest thing people type is one bare pair.
    ['a single [url, scopes] pair', [ME, ['user.read', 'mail.send']]],
  ];
  it.each(forms)('accepts protectedResourceMap as %s', (_name, map) => {
    const resolved = resolveMsalConfiguration({ clientID: 'app', protectedResourceMap: map });
    expect(scopesForUrl(resolved.protectedResources, ME, undefined)).toEqual([
      'user.read',
      'mail.send',
    ]);
    expect(scopesForUrl(resolved.protectedResources, `${ME}x`, undefined)).toBeUndefined();
  });

  it('consents at sign-in to every mapped scope, once, and not to unprotected entries', () => {
    const resolved = resolveMsalConfiguration({
      clientID: 'app',
      protectedResourceMap: new Map<string, string[] | null>([
        ['https://a.example/', ['a.read', 'shared']],
        ['https://b.example/', ['shared', 'b.read']],
        ['https://b.example/health', null],
      ]),
    });
    expect(resolved.extraScopesToConsent).toEqual(['a.read', 'shared', 'b.read']);
  });

  it('rejects a malformed map at configuration time, naming the entry', () => {
    expect(() =>
      resolveMsalConfiguration({
        clientID: 'app',
        protectedResourceMap: { 'ftp://files.example': ['x'] },
      }),
    ).toThrow(ClientConfigurationError);
    expect(() =>
      resolveMsalConfiguration({
        clientID: 'app',
        protectedResourceMap: { [ME]: 'user.read' as unknown as string[] },
      }),
    ).toThrow(/protectedResourceMap\["https:\/\/graph/);
  });

  it('rejects malformed Angular options', () => {
    expect(() =>
      resolveMsalConfiguration({
        clientID: 'app',
        consentScopes: 'user.read' as unknown as string[],
      }),
    ).toThrow(/consentScopes/);
    expect(() =>
      resolveMsalConfiguration({
        clientID: 'app',
        interactionFallback: 'iframe' as unknown as 'popup',
      }),
    ).toThrow(/interactionFallback/);
    expect(() => resolveMsalConfiguration(null as unknown as { clientID: string })).toThrow(
      ClientConfigurationError,
    );
  });
});
