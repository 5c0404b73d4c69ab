// Claims as a definition list a person can read: names explained, times as dates, scopes and
// audiences as chips, nested values as compact JSON.
import { chips, fields, h } from './dom.js';
import { dateTime } from './format.js';

const LABELS: Readonly<Record<string, string>> = {
  iss: 'Issuer',
  sub: 'Subject',
  aud: 'Audience',
  exp: 'Expires',
  iat: 'Issued at',
  nbf: 'Not before',
  auth_time: 'Signed in at',
  updated_at: 'Profile updated',
  nonce: 'Nonce',
  azp: 'Authorized party',
  client_id: 'Client',
  scope: 'Scopes',
  scp: 'Scopes',
  jti: 'Token id',
  sid: 'Session id',
  at_hash: 'Access token hash',
  c_hash: 'Code hash',
  name: 'Name',
  preferred_username: 'Username',
  email: 'Email',
  email_verified: 'Email verified',
  tid: 'Tenant id',
  oid: 'Object id',
  roles: 'Roles',
  groups: 'Groups',
  acr: 'Authentication class',
  amr: 'Authentication methods',
  ver: 'Version',
};

const TIMES = new Set(['exp', 'iat', 'nbf', 'auth_time', 'updated_at']);
const SPACE_SEPARATED = new Set(['scope', 'scp']);

function claimValue(name: string, value: unknown): Node | string {
  if (TIMES.has(name) && typeof value === 'number') {
    return h('span', {}, dateTime(value * 1000), ' ', h('span', { class: 'sub' }, `(${value})`));
  }
  if (SPACE_SEPARATED.has(name) && typeof value === 'string') {
    return chips(value.split(' ').filter((s) => s !== ''));
  }
  if (Array.isArray(value) && value.every((v) => typeof v === 'string')) return chips(value);
  if (typeof value === 'boolean') return value ? 'yes' : 'no';
  if (typeof value === 'string') return value;
  if (typeof value === 'number') return String(value);
  return h('code', {}, JSON.stringify(value));
}

/** Renders `claims` in a stable order: the known ones first, then the rest alphabetically. */
export function claimList(claims: Readonly<Record<string, unknown>>): HTMLDListElement {
  const known = Object.keys(LABELS);
  const names = Object.keys(claims).sort((a, b) => {
    const ia = known.indexOf(a);
    const ib = known.indexOf(b);
    if (ia !== -1 || ib !== -1) return (ia === -1 ? 999 : ia) - (ib === -1 ? 999 : ib);
    return a.localeCompare(b);
  });
  const list = fields(
    names.map((name) => {
      const label = LABELS[name];
      const term = h(
        'span',
        {},
        h('span', { class: 'claim-name' }, name),
        label === undefined ? null : h('span', { class: 'claim-label' }, label),
      );
      return [term, claimValue(name, claims[name])] as const;
    }),
  );
  list.classList.add('claims');
  return list;
}
