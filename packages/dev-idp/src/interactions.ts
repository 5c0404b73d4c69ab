// The login and consent steps oidc-provider sends the browser to (`interactions.url`): HTML forms
// for people, or completed on the spot in automatic mode.
import type { IncomingMessage, ServerResponse } from 'node:http';
import type * as OidcProviderModule from 'oidc-provider';
import type Provider from 'oidc-provider';
import type { InteractionResults } from 'oidc-provider';
import { HttpError, parseForm, readBody, sendHtml } from './http.js';
import { consentPage, errorPage, loginPage } from './pages.js';
import type { ConsentScope } from './pages.js';
import { INTERACTION_PREFIX } from './routes.js';
import type { Log, RuntimeState } from './state.js';
import type { UserDirectory } from './users.js';

type Interaction = Awaited<ReturnType<Provider['interactionDetails']>>;

/** What the interaction routes of one provider need. */
export interface InteractionSetup {
  readonly oidc: typeof OidcProviderModule;
  readonly provider: Provider;
  /** Path prefix the provider is mounted under ('' or `/{tenant}`). */
  readonly mount: string;
  readonly users: UserDirectory;
  readonly state: RuntimeState;
  readonly log: Log;
}

/** The consent prompt's details, as oidc-provider's default policy fills them. */
interface ConsentDetails {
  missingOIDCScope?: string[];
  missingOIDCClaims?: string[];
  missingResourceScopes?: Record<string, string[]>;
}

const SCOPE_DESCRIPTIONS: Record<string, string> = {
  openid: 'sign you in (required)',
  profile: 'your name and username',
  email: 'your email address',
  offline_access: 'stay signed in',
};

function stringParam(interaction: Interaction, name: string): string | undefined {
  const value = interaction.params[name];
  return typeof value === 'string' ? value : undefined;
}

function consentDetails(interaction: Interaction): ConsentDetails {
  return interaction.prompt.details;
}

/** The scopes the consent prompt asks about, in request order. */
function consentScopes(interaction: Interaction): ConsentScope[] {
  const details = consentDetails(interaction);
  const scopes: ConsentScope[] = (details.missingOIDCScope ?? []).map((scope) => ({
    scope,
    description: SCOPE_DESCRIPTIONS[scope] ?? 'an OpenID Connect scope',
    required: scope === 'openid',
  }));
  for (const [resource, names] of Object.entries(details.missingResourceScopes ?? {})) {
    for (const scope of names) {
      scopes.push({ scope, description: `access to ${resource}`, required: false });
    }
  }
  return scopes;
}

function expiredPage(res: ServerResponse, headers: Record<string, string>, reason: string): void {
  sendHtml(
    res,
    400,
    errorPage('Sign-in request expired', [
      ['error', 'invalid_request'],
      ['error_description', `${reason}; start again from the application`],
    ]),
    headers,
  );
}

/** Handles `GET/POST {mount}/interaction/{uid}[/login|/consent|/abort]`; `path` is without mount. */
export async function handleInteraction(
  req: IncomingMessage,
  res: ServerResponse,
  path: string,
  setup: InteractionSetup,
): Promise<void> {
  const { provider, mount, users, state } = setup;
  const headers: Record<string, string> = state.coop
    ? { 'Cross-Origin-Opener-Policy': 'same-origin' }
    : {};
  for (const [name, value] of Object.entries(headers)) res.setHeader(name, value);

  const [uid = '', action, ...rest] = path.slice(INTERACTION_PREFIX.length).split('/');
  const expectedMethod = action === undefined ? 'GET' : 'POST';
  if (
    uid === '' ||
    rest.length > 0 ||
    (action !== undefined && !['login', 'consent', 'abort'].includes(action))
  ) {
    sendHtml(res, 404, errorPage('Not found', [['path', path]]), headers);
    return;
  }
  if (req.method !== expectedMethod) {
    sendHtml(res, 405, errorPage('Method not allowed', [['method', req.method ?? '']]), {
      ...headers,
      Allow: expectedMethod,
    });
    return;
  }
  const form =
    expectedMethod === 'POST' ? parseForm(await readBody(req)) : new Map<string, string[]>();

  let interaction: Interaction;
  try {
    interaction = await provider.interactionDetails(req, res);
  } catch (error) {
    if (error instanceof setup.oidc.errors.SessionNotFound) {
      expiredPage(res, headers, 'this sign-in request is unknown, expired or already finished');
      return;
    }
    throw error;
  }
  if (interaction.uid !== uid) {
    expiredPage(res, headers, 'this page belongs to another sign-in request');
    return;
  }

  const base = `${mount}${INTERACTION_PREFIX}${uid}`;
  const prompt = interaction.prompt.name;
  const clientId = stringParam(interaction, 'client_id') ?? '';

  if (action === 'abort') {
    await provider.interactionFinished(
      req,
      res,
      { error: 'access_denied', error_description: 'the user cancelled the request' },
      { mergeWithLastSubmission: false },
    );
    return;
  }

  if (action === undefined && state.autoLogin !== false) {
    await completeAutomatically(req, res, interaction, setup);
    return;
  }

  if (prompt === 'login' || prompt === 'select_account') {
    if (action === 'login') {
      const username = form.get('username')?.[0] ?? '';
      const password = form.get('password')?.[0] ?? '';
      const user = users.authenticate(username, password);
      if (user !== undefined) {
        await provider.interactionFinished(req, res, loginResult(prompt, user.sub));
        return;
      }
      const html = loginPage({
        action: `${base}/login`,
        abortAction: `${base}/abort`,
        clientId,
        username,
        error: 'Wrong username or password.',
        usernames: users.all().map((u) => u.username),
      });
      sendHtml(res, 200, html, headers);
      return;
    }
    if (action === undefined) {
      const hint = stringParam(interaction, 'login_hint');
      const html = loginPage({
        action: `${base}/login`,
        abortAction: `${base}/abort`,
        clientId,
        username: hint !== undefined && users.byUsername(hint) !== undefined ? hint : '',
        usernames: users.all().map((u) => u.username),
      });
      sendHtml(res, 200, html, headers);
      return;
    }
  }

  if (prompt === 'consent') {
    if (action === 'consent') {
      await finishConsent(req, res, interaction, new Set(form.get('scope') ?? []), setup);
      return;
    }
    if (action === undefined) {
      const accountId = interaction.session?.accountId ?? '';
      const html = consentPage({
        action: `${base}/consent`,
        abortAction: `${base}/abort`,
        clientId,
        userName: users.bySub(accountId)?.name ?? accountId,
        scopes: consentScopes(interaction),
      });
      sendHtml(res, 200, html, headers);
      return;
    }
  }

  throw new HttpError(400, `the ${prompt} step does not accept ${action ?? 'this page'}`);
}

/** The result of signing in `accountId` (which also settles a select_account prompt). */
function loginResult(prompt: string, accountId: string): InteractionResults {
  return prompt === 'select_account'
    ? { select_account: {}, login: { accountId } }
    : { login: { accountId } };
}

/** Automatic mode: signs in the configured user (or the login_hint one) and consents. */
async function completeAutomatically(
  req: IncomingMessage,
  res: ServerResponse,
  interaction: Interaction,
  setup: InteractionSetup,
): Promise<void> {
  const { state, users, provider } = setup;
  if (state.autoLogin === false) return;
  if (interaction.prompt.name === 'login' || interaction.prompt.name === 'select_account') {
    const hint = stringParam(interaction, 'login_hint');
    const user =
      (hint === undefined ? undefined : users.byUsername(hint)) ??
      users.byUsername(state.autoLogin.username);
    if (user === undefined) throw new HttpError(500, 'automatic mode user not found');
    await provider.interactionFinished(req, res, loginResult(interaction.prompt.name, user.sub));
    return;
  }
  const consent = state.autoLogin.consent;
  await finishConsent(req, res, interaction, consent === 'all' ? 'all' : new Set(consent), setup);
}

/**
 * Records the consent decision in the grant: `granted` scopes (and `openid`) are added, every
 * other scope the prompt asked about is rejected (so it is not asked again).
 */
async function finishConsent(
  req: IncomingMessage,
  res: ServerResponse,
  interaction: Interaction,
  granted: Set<string> | 'all',
  setup: InteractionSetup,
): Promise<void> {
  const { provider } = setup;
  const accountId = interaction.session?.accountId;
  const clientId = stringParam(interaction, 'client_id');
  if (accountId === undefined || clientId === undefined) {
    throw new HttpError(400, 'consent requested without a signed-in user');
  }
  const existing =
    interaction.grantId === undefined ? undefined : await provider.Grant.find(interaction.grantId);
  const grant = existing ?? new provider.Grant({ accountId, clientId });
  const allowed = (scope: string): boolean =>
    granted === 'all' || scope === 'openid' || granted.has(scope);
  const split = (scopes: readonly string[]): [string[], string[]] => [
    scopes.filter(allowed),
    scopes.filter((scope) => !allowed(scope)),
  ];

  const details = consentDetails(interaction);
  if (details.missingOIDCScope !== undefined) {
    const [add, reject] = split(details.missingOIDCScope);
    if (add.length > 0) grant.addOIDCScope(add);
    if (reject.length > 0) grant.rejectOIDCScope(reject);
  }
  if (details.missingOIDCClaims !== undefined) grant.addOIDCClaims(details.missingOIDCClaims);
  for (const [resource, scopes] of Object.entries(details.missingResourceScopes ?? {})) {
    const [add, reject] = split(scopes);
    if (add.length > 0) grant.addResourceScope(resource, add);
    if (reject.length > 0) grant.rejectResourceScope(resource, reject);
  }
  const grantId = await grant.save();
  const result: InteractionResults = { consent: existing === undefined ? { grantId } : {} };
  await provider.interactionFinished(req, res, result);
}
