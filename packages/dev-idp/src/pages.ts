// HTML of the pages a person sees: login, consent, logout, errors. Plain, self-contained (no
// external resources: the dev IdP works offline), one <main> and one <h1> per page.

/** Escapes text for HTML content and attribute values. */
export function escapeHtml(value: string): string {
  return value
    .replaceAll('&', '&amp;')
    .replaceAll('<', '&lt;')
    .replaceAll('>', '&gt;')
    .replaceAll('"', '&quot;')
    .replaceAll("'", '&#39;');
}

const STYLE = `
:root { color-scheme: light dark; font-family: system-ui, sans-serif; line-height: 1.5; }
body { margin: 0; padding: 2rem 1rem; }
main { max-width: 26rem; margin: 0 auto; padding: 1.5rem; border: 1px solid #8886; border-radius: 0.5rem; }
h1 { font-size: 1.4rem; margin-top: 0; }
label { display: block; margin-top: 0.75rem; font-weight: 600; }
input[type=text], input[type=password] { box-sizing: border-box; width: 100%; padding: 0.5rem; font: inherit; }
fieldset { border: 1px solid #8886; border-radius: 0.25rem; margin: 1rem 0; }
fieldset label { font-weight: normal; margin-top: 0.25rem; }
.actions { display: flex; gap: 0.5rem; margin-top: 1.25rem; }
button { font: inherit; padding: 0.5rem 1rem; cursor: pointer; }
.error { color: #b00020; font-weight: 600; }
.note { font-size: 0.875rem; opacity: 0.8; }
code { overflow-wrap: anywhere; }
`;

/** A complete page: `heading` becomes the <title> and the single <h1>; `body` is trusted HTML. */
export function page(heading: string, body: string): string {
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(heading)} · tessera dev IdP</title>
<style>${STYLE}</style>
</head>
<body>
<main>
<h1>${escapeHtml(heading)}</h1>
${body}
</main>
</body>
</html>
`;
}

/** What the login page shows. */
export interface LoginPageData {
  /** Form action (login). */
  action: string;
  /** Form action of the cancel button. */
  abortAction: string;
  clientId: string;
  username: string;
  /** Shown above the form, e.g. after a wrong password. */
  error?: string;
  /** Usernames listed as a hint. */
  usernames: readonly string[];
}

/** The sign-in form: `#username`, `#password`, `#login-submit` (and `#login-cancel`). */
export function loginPage(data: LoginPageData): string {
  const error =
    data.error === undefined
      ? ''
      : `<p class="error" role="alert" id="login-error">${escapeHtml(data.error)}</p>\n`;
  return page(
    'Sign in',
    `<p>to continue to <strong>${escapeHtml(data.clientId)}</strong></p>
${error}<form method="post" action="${escapeHtml(data.action)}">
<label for="username">Username</label>
<input type="text" id="username" name="username" autocomplete="username" autocapitalize="none" spellcheck="false" required value="${escapeHtml(data.username)}"${data.username === '' ? ' autofocus' : ''}>
<label for="password">Password</label>
<input type="password" id="password" name="password" autocomplete="current-password" required${data.username === '' ? '' : ' autofocus'}>
<div class="actions">
<button type="submit" id="login-submit">Sign in</button>
<button type="submit" id="login-cancel" formaction="${escapeHtml(data.abortAction)}" formnovalidate>Cancel</button>
</div>
</form>
<p class="note">Local test identity provider. Users: ${data.usernames.map((name) => `<code>${escapeHtml(name)}</code>`).join(', ')}.</p>`,
  );
}

/** One scope on the consent page. */
export interface ConsentScope {
  scope: string;
  description: string;
  /** Always granted (shown checked and disabled, submitted through a hidden input). */
  required: boolean;
}

/** What the consent page shows. */
export interface ConsentPageData {
  action: string;
  abortAction: string;
  clientId: string;
  /** Display name of the signed-in user. */
  userName: string;
  scopes: readonly ConsentScope[];
}

/** The consent form: checkboxes `name="scope"`, `#consent-submit`, `#consent-deny`. */
export function consentPage(data: ConsentPageData): string {
  const items = data.scopes
    .map((item, i) => {
      const id = `scope-${i}`;
      const hidden = item.required
        ? `<input type="hidden" name="scope" value="${escapeHtml(item.scope)}">`
        : '';
      return `<label for="${id}"><input type="checkbox" id="${id}" name="scope" value="${escapeHtml(item.scope)}" checked${item.required ? ' disabled' : ''}> <code>${escapeHtml(item.scope)}</code> — ${escapeHtml(item.description)}</label>${hidden}`;
    })
    .join('\n');
  const list =
    data.scopes.length === 0
      ? '<p>No new permissions are requested.</p>'
      : `<fieldset>
<legend>Requested permissions (uncheck to refuse)</legend>
${items}
</fieldset>`;
  return page(
    'Allow access',
    `<p><strong>${escapeHtml(data.clientId)}</strong> asks for access on behalf of <strong>${escapeHtml(data.userName)}</strong>.</p>
<form method="post" action="${escapeHtml(data.action)}">
${list}
<div class="actions">
<button type="submit" id="consent-submit">Allow</button>
<button type="submit" id="consent-deny" formaction="${escapeHtml(data.abortAction)}" formnovalidate>Deny</button>
</div>
</form>`,
  );
}

/** The RP-initiated logout page: submits oidc-provider's form by itself (a button without JS). */
export function logoutPage(form: string): string {
  const withConfirmation = form.replace(
    '</form>',
    '<input type="hidden" name="logout" value="yes"><button type="submit" id="logout-submit">Sign out</button></form>',
  );
  return page(
    'Signing out',
    `${withConfirmation}
<script>document.getElementById('op.logoutForm').submit();</script>`,
  );
}

/** Shown after a logout without `post_logout_redirect_uri`. */
export function loggedOutPage(): string {
  return page('Signed out', '<p>You have been signed out of the local identity provider.</p>');
}

/** An error page; `details` are name/value pairs shown as a list. */
export function errorPage(
  heading: string,
  details: readonly (readonly [string, string])[],
): string {
  const rows = details
    .map(
      ([name, value]) => `<dt>${escapeHtml(name)}</dt><dd><code>${escapeHtml(value)}</code></dd>`,
    )
    .join('\n');
  return page(heading, `<dl>\n${rows}\n</dl>`);
}
