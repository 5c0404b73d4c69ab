import { describe, expect, it } from 'vitest';
import { checkRequestUrls, resolveConfiguration, type Configuration } from '../src/config.js';
import { ClientConfigurationError } from '../src/errors/auth-error.js';
import * as codes from '../src/errors/error-codes.js';

const PAGE = 'https://app.example.com/start?x=1#frag';

function errorOf(config: unknown, page: string | undefined = PAGE): ClientConfigurationError {
  try {
    resolveConfiguration(config as Configuration, page);
  } catch (error) {
    if (error instanceof ClientConfigurationError) return error;
    throw error;
  }
  throw new Error('expected a ClientConfigurationError');
}

describe('resolveConfiguration', () => {
  it('applies msal-compatible defaults', () => {
    const config = resolveConfiguration({ auth: { clientId: 'app' } }, PAGE);
    expect(config.authority).toBe('https://login.microsoftonline.com/common');
    expect(config.protocolMode).toBe('AAD');
    expect(config.redirectUri).toBe('https://app.example.com/start');
    expect(config.postLogoutRedirectUri).toBe(config.redirectUri);
    expect(config.cacheLocation).toBe('sessionStorage');
    expect(config.navigateToLoginRequestUrl).toBe(true);
    expect(config.tokenRenewalOffsetSeconds).toBe(300);
  });

  it('uses OIDC mode for other providers and keeps the authority as written (the issuer must match it exactly)', () => {
    const config = resolveConfiguration(
      { auth: { clientId: 'app', authority: 'https://idp.example.com/realms/x/' } },
      PAGE,
    );
    expect(config.authority).toBe('https://idp.example.com/realms/x/');
    expect(config.protocolMode).toBe('OIDC');
    const origin = { auth: { clientId: 'app', authority: 'https://idp.example.com/' } };
    expect(resolveConfiguration(origin, PAGE).authority).toBe('https://idp.example.com');
  });

  it('uses AAD mode for hosts in auth.knownAuthorities (B2C, External ID)', () => {
    const b2c = 'https://contoso.b2clogin.com/contoso.onmicrosoft.com/B2C_1_signin';
    const known = { clientId: 'app', authority: b2c, knownAuthorities: ['contoso.b2clogin.com'] };
    expect(resolveConfiguration({ auth: known }, PAGE).protocolMode).toBe('AAD');
    expect(
      resolveConfiguration({ auth: { clientId: 'app', authority: b2c } }, PAGE).protocolMode,
    ).toBe('OIDC');
    const loopback = {
      clientId: 'app',
      authority: 'http://127.0.0.1:4000/t',
      knownAuthorities: ['127.0.0.1:4000'],
    };
    expect(resolveConfiguration({ auth: loopback }, PAGE).protocolMode).toBe('AAD');
    const bad = errorOf({ auth: { clientId: 'app', knownAuthorities: 'contoso.b2clogin.com' } });
    expect(bad.errorCode).toBe(codes.INVALID_CONFIGURATION);
    expect(bad.errorMessage).toContain('auth.knownAuthorities');
  });

  it('leaves offline_access to the provider unless auth.offlineAccess says otherwise', () => {
    expect(resolveConfiguration({ auth: { clientId: 'app' } }, PAGE).offlineAccess).toBeUndefined();
    expect(
      resolveConfiguration({ auth: { clientId: 'app', offlineAccess: false } }, PAGE).offlineAccess,
    ).toBe(false);
    const bad = errorOf({ auth: { clientId: 'app', offlineAccess: 'yes' } });
    expect(bad.errorMessage).toContain('auth.offlineAccess');
  });

  it('names the field when clientId is missing', () => {
    const error = errorOf({ auth: {} });
    expect(error.errorCode).toBe(codes.MISSING_CLIENT_ID);
    expect(error.errorMessage).toContain('auth.clientId');
    expect(error.errorMessage).not.toContain('interaction_required');
    expect(errorOf({ auth: { clientId: '  ' } }).errorCode).toBe(codes.MISSING_CLIENT_ID);
  });

  it('rejects a missing configuration object with a fix', () => {
    expect(errorOf(undefined).errorCode).toBe(codes.INVALID_CONFIGURATION);
    expect(errorOf({}).errorMessage).toContain('clientId');
  });

  it('requires https authorities except on loopback', () => {
    expect(
      errorOf({ auth: { clientId: 'a', authority: 'http://idp.example.com' } }).errorCode,
    ).toBe(codes.INVALID_AUTHORITY);
    expect(errorOf({ auth: { clientId: 'a', authority: 'not a url' } }).errorMessage).toContain(
      'auth.authority',
    );
    expect(
      errorOf({ auth: { clientId: 'a', authority: 'https://idp.example.com/?q=1' } }).errorCode,
    ).toBe(codes.INVALID_AUTHORITY);
    for (const authority of [
      'http://127.0.0.1:4000',
      'http://localhost:4000/t',
      'http://[::1]:9',
    ]) {
      expect(resolveConfiguration({ auth: { clientId: 'a', authority } }, PAGE).authority).toBe(
        authority,
      );
    }
  });

  it('requires redirect URIs on the page origin', () => {
    const error = errorOf({ auth: { clientId: 'a', redirectUri: 'https://evil.example.net/cb' } });
    expect(error.errorCode).toBe(codes.INVALID_REDIRECT_URI);
    expect(error.errorMessage).toContain('auth.redirectUri');
    expect(error.errorMessage).toContain('https://app.example.com');
    expect(
      errorOf({ auth: { clientId: 'a', postLogoutRedirectUri: 'http://app.example.com/' } })
        .errorCode,
    ).toBe(codes.INVALID_REDIRECT_URI);
    expect(errorOf({ auth: { clientId: 'a', redirectUri: '/cb#x' } }).errorCode).toBe(
      codes.INVALID_REDIRECT_URI,
    );
    const ok = resolveConfiguration(
      { auth: { clientId: 'a', redirectUri: () => '/callback.html' } },
      PAGE,
    );
    expect(ok.redirectUri).toBe('https://app.example.com/callback.html');
  });

  it('rejects unknown cache locations and negative timeouts', () => {
    expect(
      errorOf({ auth: { clientId: 'a' }, cache: { cacheLocation: 'cookies' } }).errorCode,
    ).toBe(codes.INVALID_CACHE_LOCATION);
    const error = errorOf({ auth: { clientId: 'a' }, system: { loadFrameTimeout: -1 } });
    expect(error.errorCode).toBe(codes.INVALID_CONFIGURATION);
    expect(error.errorMessage).toContain('system.loadFrameTimeout');
  });

  it('limits each network request to 10 s unless system.networkTimeout says otherwise', () => {
    expect(resolveConfiguration({ auth: { clientId: 'a' } }, PAGE).networkTimeout).toBe(10_000);
    expect(
      resolveConfiguration({ auth: { clientId: 'a' }, system: { networkTimeout: 2500 } }, PAGE)
        .networkTimeout,
    ).toBe(2500);
    for (const networkTimeout of [0, -1, Number.NaN, '10000']) {
      const error = errorOf({ auth: { clientId: 'a' }, system: { networkTimeout } });
      expect(error.errorCode).toBe(codes.INVALID_CONFIGURATION);
      expect(error.errorMessage).toContain('system.networkTimeout must be');
    }
  });

  it('passes auth.authorityMetadata through as JSON text or object', () => {
    const text = '{"issuer":"https://idp.example.com"}';
    const object = { issuer: 'https://idp.example.com' };
    const resolve = (authorityMetadata: string | Record<string, unknown>) =>
      resolveConfiguration({ auth: { clientId: 'a', authorityMetadata } }, PAGE).authorityMetadata;

    expect(resolve(text)).toBe(text);
    expect(resolve(object)).toBe(object);
    expect(resolveConfiguration({ auth: { clientId: 'a' } }, PAGE).authorityMetadata).toBe(
      undefined,
    );
  });

  it.each([['{"issuer":'], ['[]'], ['"text"'], [42], [null]])(
    'rejects auth.authorityMetadata %j with the field and the fix',
    (authorityMetadata) => {
      const error = errorOf({ auth: { clientId: 'a', authorityMetadata } });

      expect(error.errorCode).toBe(codes.INVALID_CONFIGURATION);
      expect(error.errorMessage).toContain('auth.authorityMetadata');
      expect(error.errorMessage).toContain('/.well-known/openid-configuration');
    },
  );
});

describe('checkRequestUrls: a request overrides URLs only as safely as the configuration sets them', () => {
  const page = 'https://app.example/area/page?x=1';
  const fails = (request: Parameters<typeof checkRequestUrls>[0], code: string) => {
    try {
      checkRequestUrls(request, page);
    } catch (error) {
      expect(error).toBeInstanceOf(ClientConfigurationError);
      expect((error as ClientConfigurationError).errorCode).toBe(code);
      return;
    }
    throw new Error('expected a ClientConfigurationError');
  };

  it('refuses an http authority, a cross-origin redirect URI and a javascript: logout URL', () => {
    fails({ authority: 'http://idp.example' }, codes.INVALID_AUTHORITY);
    fails({ redirectUri: 'https://evil.example/cb' }, codes.INVALID_REDIRECT_URI);
    fails({ postLogoutRedirectUri: 'javascript:alert(1)' }, codes.INVALID_REDIRECT_URI);
    fails({ redirectStartPage: '//evil.example/x' }, codes.INVALID_REDIRECT_URI);
    fails({ redirectStartPage: 'javascript:alert(1)' }, codes.INVALID_REDIRECT_URI);
  });

  it('resolves a relative start page against the page, keeping its hash route', () => {
    const checked = checkRequestUrls({ redirectStartPage: 'other#/route' }, page);
    expect(checked.redirectStartPage).toBe('https://app.example/area/other#/route');
    expect(checkRequestUrls({ authority: 'https://idp.example/t/' }, page).authority).toBe(
      'https://idp.example/t/',
    );
    expect(checkRequestUrls({ redirectUri: '/cb' }, page).redirectUri).toBe(
      'https://app.example/cb',
    );
  });
});
