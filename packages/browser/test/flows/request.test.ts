// normalizeRequest derives scope lists once per distinct request and reuses them: requests that
// differ in client id, extra consent scopes or resource must never share derived lists.
import { describe, expect, it } from 'vitest';
import { isAuthError } from '../../src/errors/auth-error.js';
import { normalizeRequest } from '../../src/flows/request.js';

const random = <T extends Uint8Array>(a: T): T => a.fill(7);

describe('normalizeRequest', () => {
  it('the client id as the only scope asks for the ID token of that client only', () => {
    const forA = normalizeRequest({ scopes: ['client-a'] }, 'client-a', random);
    const forB = normalizeRequest({ scopes: ['client-a'] }, 'client-b', random);
    expect(forA.idTokenOnly).toBe(true);
    expect(forA.scopes).toEqual([]);
    expect(forB.idTokenOnly).toBe(false);
    expect(forB.scopes).toEqual(['client-a']);
  });

  it('extra consent scopes and resources make requests distinct', () => {
    const plain = normalizeRequest({ scopes: ['api.read'] }, 'spa', random);
    const extra = normalizeRequest(
      { scopes: ['api.read'], extraScopesToConsent: ['mail.read'] },
      'spa',
      random,
    );
    const withResource = normalizeRequest(
      { scopes: ['api.read'], resource: 'https://api.example/' },
      'spa',
      random,
    );
    const again = normalizeRequest({ scopes: ['api.read'] }, 'spa', random);

    expect(plain.requestScopes).not.toContain('mail.read');
    expect(extra.requestScopes).toContain('mail.read');
    expect(plain.resource).toBeUndefined();
    expect(withResource.resource).toEqual(['https://api.example/']);
    expect(again.requestScopes).toEqual(plain.requestScopes);
    expect(again.resource).toBeUndefined();
  });

  it('several scopes are one request whatever array carries them; each call has its own correlation id', () => {
    const first = normalizeRequest({ scopes: ['b.write', 'a.read'] }, 'spa', random);
    const second = normalizeRequest({ scopes: [' b.write', 'a.read '] }, 'spa', random);
    expect(second.scopes).toEqual(first.scopes);
    expect(second.cacheScopes).toEqual(first.cacheScopes);
    expect(second.correlationId).not.toBe(first.correlationId);
  });

  it('scopes that are not an array of strings: a typed error naming the field', () => {
    let caught: unknown;
    try {
      normalizeRequest({ scopes: 'api.read' as unknown as string[] }, 'spa', random);
    } catch (error) {
      caught = error;
    }
    expect(isAuthError(caught) && caught.errorCode).toBe('invalid_request_parameter');
    expect(String((caught as Error).message)).toContain('scopes');
  });
});
