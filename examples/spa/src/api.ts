// Calls to the demo API through the token-attaching fetch, and their answers rendered as
// fields (not raw JSON).
import type { FetchLike } from '@tessera/browser';
import { chips, fields, h, show } from './dom.js';
import { clockTime } from './format.js';

const MAX_ANSWERS = 8;

export interface ApiAnswer {
  method: string;
  path: string;
  status: number;
  statusText: string;
  ok: boolean;
  /** Parsed JSON body, or the text when it was not JSON. */
  body: unknown;
  /** The `WWW-Authenticate` header of a refusal. */
  challenge: string | null;
  at: number;
}

/** Sends one request; network failures and token failures reject (the caller shows them). */
export async function callApi(
  apiFetch: FetchLike,
  apiUrl: string,
  method: 'GET' | 'POST',
  path: string,
  json?: unknown,
): Promise<ApiAnswer> {
  const response = await apiFetch(`${apiUrl}${path}`, {
    method,
    headers:
      json === undefined
        ? { accept: 'application/json' }
        : { accept: 'application/json', 'content-type': 'application/json' },
    ...(json === undefined ? {} : { body: JSON.stringify(json) }),
  });
  const text = await response.text();
  let body: unknown = text;
  try {
    body = text === '' ? null : JSON.parse(text);
  } catch {
    // Keep the text.
  }
  return {
    method,
    path,
    status: response.status,
    statusText: response.statusText,
    ok: response.ok,
    body,
    challenge: response.headers.get('www-authenticate'),
    at: Date.now(),
  };
}

function valueNode(value: unknown): Node | string {
  if (Array.isArray(value) && value.every((v) => typeof v === 'string')) return chips(value);
  if (Array.isArray(value)) {
    if (value.length === 0) return h('span', { class: 'empty' }, 'none');
    return h('ul', {}, ...value.map((v) => h('li', {}, valueNode(v))));
  }
  if (typeof value === 'object' && value !== null) return bodyNode(value);
  if (typeof value === 'string') return value;
  return JSON.stringify(value);
}

function bodyNode(body: unknown): Node {
  if (typeof body === 'object' && body !== null && !Array.isArray(body)) {
    return fields(Object.entries(body).map(([key, value]) => [key, valueNode(value)] as const));
  }
  return h('p', {}, body === null ? '(empty body)' : valueNode(body));
}

function answerItem(answer: ApiAnswer): HTMLLIElement {
  return h(
    'li',
    { class: 'answer', 'data-ok': String(answer.ok) },
    h(
      'div',
      { class: 'answer-head' },
      h('span', { class: 'answer-title' }, `${answer.method} ${answer.path}`),
      h(
        'span',
        { class: 'status' },
        `${answer.status} ${answer.statusText}`.trim(),
        ' · ',
        clockTime(answer.at),
      ),
    ),
    bodyNode(answer.body),
    answer.challenge === null
      ? null
      : fields([['WWW-Authenticate', h('code', {}, answer.challenge)]]),
  );
}

/** Keeps the latest answers on screen, newest first. */
export class AnswerList {
  readonly #container: HTMLElement;
  readonly #list: HTMLUListElement = h('ul', { class: 'answers' });

  constructor(container: HTMLElement) {
    this.#container = container;
  }

  add(answer: ApiAnswer): void {
    if (!this.#container.contains(this.#list)) show(this.#container, this.#list);
    this.#list.prepend(answerItem(answer));
    while (this.#list.children.length > MAX_ANSWERS) this.#list.lastElementChild?.remove();
  }
}
