// Hostile token responses: the code exchange (popup sign-in) and the refresh grant answered with
// one crafted response each. HOSTILE_DEFECTS=1 also runs the cases skipped as library defects.
import { describe, expect, it } from 'vitest';
import { assertInvariants, hostileText, popup, signIn, silent, snapshot } from './invariants.js';
import type { ErrorName } from './invariants.js';
import { json, raw, redirectTo } from './provider.js';
import type { Reply, TokenContext } from './provider.js';
import { countCheck, hostileCase, SESSION_SCOPES, useHostileSuite } from './support.js';
import type { Case } from './support.js';

const suite = useHostileSuite('token-response');

interface TokenCase {
  /** The crafted answer to the code exchange. */
  reply: (ctx: TokenContext) => Reply | Promise<Reply>;
  code: string;
  name?: ErrorName;
  /** Sign in first (good), then send the crafted answer to a second sign-in. */
  session?: boolean;
  /** Token requests expected (retries included); default 1. */
  tokenRequests?: number;
}

/** One hostile case: a popup sign-in whose code exchange gets the crafted answer. */
async function codeExchange(spec: TokenCase): Promise<Case> {
  const c = await suite.open();
  const session = spec.session === true ? await signIn(c) : undefined;
  suite.provider.script.token = spec.reply;
  const before = await snapshot(c);
  const outcome = await popup(c, { scopes: ['api://b/read'] });
  await assertInvariants(before, outcome, {
    error: { code: spec.code, name: spec.name ?? 'ClientAuthError' },
    requests: { authorize: 1, token: spec.tokenRequests ?? 1 },
    ...(session !== undefined && { session }),
  });
  return c;
}

/** The good answer with `edit` applied. */
const edited =
  (edit: (body: Record<string, unknown>) => void) =>
  async (ctx: TokenContext): Promise<Reply> => {
    const body = await ctx.good();
    edit(body);
    return json(body);
  };

describe('not a token response', () => {
  hostileCase('a non-JSON body', () =>
    codeExchange({ reply: () => raw('access_token=x', 'text/plain'), code: 'invalid_response' }),
  );

  hostileCase('an HTML page with status 200 (a login page, a captive portal)', () =>
    codeExchange({
      reply: () =>
        raw(
          `<html><script>window.__pwned=1</script>${hostileText(suite.provider.url).description}</html>`,
          'text/html',
        ),
      code: 'invalid_response',
      session: true,
    }),
  );

  hostileCase('a JSON array', () =>
    codeExchange({ reply: async (ctx) => json([await ctx.good()]), code: 'invalid_response' }),
  );

  hostileCase('JSON null', () =>
    codeExchange({ reply: () => json(null), code: 'invalid_response' }),
  );

  hostileCase('a JSON string holding a token response', () =>
    codeExchange({
      reply: async (ctx) => json(JSON.stringify(await ctx.good())),
      code: 'invalid_response',
    }),
  );

  hostileCase('a huge non-JSON body (16 MB): refused within the time limit', () =>
    codeExchange({
      reply: () => raw(Buffer.alloc(16 * 1024 * 1024, 'a'), 'application/json'),
      code: 'invalid_response',
    }),
  );

  hostileCase('200 with an OAuth error member and no token', () =>
    codeExchange({
      reply: () => json({ error: 'invalid_grant', error_description: 'looks like an error' }),
      code: 'invalid_response',
    }),
  );
});

describe('access_token and token_type', () => {
  hostileCase('access_token missing', () =>
    codeExchange({ reply: edited((b) => delete b['access_token']), code: 'invalid_response' }),
  );

  hostileCase('access_token not a string', () =>
    codeExchange({ reply: edited((b) => (b['access_token'] = 12345)), code: 'invalid_response' }),
  );

  hostileCase(
    'access_token only inside __proto__: missing, and no prototype pollution',
    async () => {
      const forged = suite.provider.secret('at-forged-in-proto-0123456789');
      const c = await codeExchange({
        reply: async (ctx) => {
          const good = await ctx.good();
          delete good['access_token'];
          delete good['token_type'];
          const body = JSON.stringify(good).replace(
            /^\{/,
            `{"__proto__":{"access_token":"${forged}","token_type":"Bearer","polluted":"yes"},`,
          );
          return raw(body, 'application/json');
        },
        code: 'invalid_response',
      });
      const probe = await c.page.evaluate(() => (({}) as Record<string, unknown>)['polluted']);
      expect(probe, 'Object.prototype polluted').toBeUndefined();
    },
  );

  hostileCase('an unknown token_type (mac)', () =>
    codeExchange({ reply: edited((b) => (b['token_type'] = 'mac')), code: 'invalid_response' }),
  );

  hostileCase('token_type missing', () =>
    codeExchange({ reply: edited((b) => delete b['token_type']), code: 'invalid_response' }),
  );

  hostileCase('a DPoP-bound token this client cannot prove possession of', () =>
    codeExchange({ reply: edited((b) => (b['token_type'] = 'DPoP')), code: 'invalid_response' }),
  );

  // Not a rejection: RFC 6749 7.1 token types are case-insensitive.
  it('bEARER is accepted as Bearer (control)', async () => {
    const c = await suite.open();
    suite.provider.script.token = edited((b) => (b['token_type'] = 'bEARER'));
    const outcome = await popup(c);
    expect(outcome.kind === 'response' && outcome.response.tokenType).toBe('Bearer');
  });
});

describe('other members', () => {
  hostileCase('expires_in not a number', () =>
    codeExchange({ reply: edited((b) => (b['expires_in'] = 'soon')), code: 'invalid_response' }),
  );

  hostileCase('expires_in negative', () =>
    codeExchange({ reply: edited((b) => (b['expires_in'] = -60)), code: 'invalid_response' }),
  );

  hostileCase('expires_in beyond any date (1e300)', () =>
    codeExchange({ reply: edited((b) => (b['expires_in'] = 1e300)), code: 'invalid_response' }),
  );

  hostileCase('refresh_token not a string', () =>
    codeExchange({
      reply: edited((b) => (b['refresh_token'] = { token: 'x' })),
      code: 'invalid_response',
      session: true,
    }),
  );

  hostileCase('scope not a string', () =>
    codeExchange({
      reply: edited((b) => (b['scope'] = ['api://b/read', 'api://admin'])),
      code: 'invalid_response',
    }),
  );

  hostileCase('no id_token although openid was requested', () =>
    codeExchange({ reply: edited((b) => delete b['id_token']), code: 'invalid_response' }),
  );

  hostileCase('id_token not a string', () =>
    codeExchange({
      reply: edited((b) => (b['id_token'] = { sub: 'mallory' })),
      code: 'invalid_response',
    }),
  );
});

describe('status, redirects and errors', () => {
  hostileCase('a 307 to another endpoint: not followed, the code goes nowhere else', () =>
    codeExchange({
      reply: () => redirectTo(`${suite.provider.url}/stolen-token-endpoint`, 307),
      code: 'invalid_response',
      session: true,
    }),
  );

  hostileCase('a 302 to another origin: not followed', () =>
    codeExchange({
      reply: () => redirectTo(`${suite.api.url}/token`, 302),
      code: 'invalid_response',
    }),
  );

  hostileCase('400 invalid_grant with markup in the description', () =>
    codeExchange({
      reply: () => {
        const text = hostileText(suite.provider.url);
        return json(
          { error: 'invalid_grant', error_description: text.description, error_uri: text.uri },
          400,
        );
      },
      code: 'invalid_grant',
      name: 'ServerError',
    }),
  );

  hostileCase('500 with an HTML body: temporarily unavailable, not retried (POST)', () =>
    codeExchange({
      reply: () => raw('<html><img src=x onerror="window.__pwned=1"></html>', 'text/html', 500),
      code: 'temporarily_unavailable',
      name: 'ServerError',
    }),
  );
});

describe('the refresh grant', () => {
  /** A signed-in session whose forced refresh gets the crafted answer. */
  async function refresh(
    reply: TokenCase['reply'],
    code: string,
    name: ErrorName = 'ClientAuthError',
  ) {
    const c = await suite.open();
    const session = await signIn(c);
    suite.provider.script.token = reply;
    const before = await snapshot(c);
    const outcome = await silent(c, { scopes: SESSION_SCOPES, forceRefresh: true });
    await assertInvariants(before, outcome, {
      error: { code, name },
      requests: { token: 1 },
      session,
    });
  }

  hostileCase('a refresh answered with HTML', () =>
    refresh(() => raw('<html>please sign in</html>', 'text/html'), 'invalid_response'),
  );

  hostileCase('a refresh answered with a JSON array', () =>
    refresh(async (ctx) => json([await ctx.good()]), 'invalid_response'),
  );

  hostileCase('a refresh answered without access_token', () =>
    refresh(
      edited((b) => delete b['access_token']),
      'invalid_response',
    ),
  );

  hostileCase('a refresh answered with a redirect', () =>
    refresh(() => redirectTo(`${suite.provider.url}/stolen-refresh`, 307), 'invalid_response'),
  );
});

describe('controls: accepted answers keep their promises', () => {
  it('a narrowed scope is reported, and never served for the scope left out', async () => {
    const c = await suite.open();
    suite.provider.script.token = edited((b) => (b['scope'] = 'api://a/read'));
    const outcome = await popup(c, { scopes: ['api://a/read', 'api://b/read'] });
    expect(outcome.kind === 'response' && outcome.response.scopes).toEqual(['api://a/read']);
    suite.provider.reset();
    const tokenCalls = () => suite.provider.requests.filter((r) => r.endpoint === 'token').length;
    const calls = tokenCalls();
    const b = await silent(c, { scopes: ['api://b/read'] });
    // Not from the cache: the narrowed token does not cover api://b/read.
    expect(b.kind === 'response' && b.response.fromCache).toBe(false);
    expect(tokenCalls()).toBe(calls + 1);
  });

  it('__proto__ beside the real members: accepted, nothing polluted', async () => {
    const c = await suite.open();
    suite.provider.script.token = async (ctx) => {
      const body = JSON.stringify(await ctx.good()).replace(
        /^\{/,
        '{"__proto__":{"polluted":"yes","isAdmin":true},',
      );
      return raw(body, 'application/json');
    };
    const outcome = await popup(c);
    expect(outcome.kind).toBe('response');
    expect(
      await c.page.evaluate(() => {
        const probe = {} as Record<string, unknown>;
        return [probe['polluted'], probe['isAdmin']];
      }),
    ).toEqual([undefined, undefined]);
  });
});

countCheck();
