// Tiny DOM helpers: build elements from data (text only, never HTML strings) and find the
// page's fixed elements by id.

type Child = Node | string | null | undefined | false;

/** Creates `<tag>` with attributes (`class`, `data-*`, aria-*, ...) and children. */
export function h<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  attributes: Record<string, string | undefined> = {},
  ...children: Child[]
): HTMLElementTagNameMap[K] {
  const element = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) {
    if (value !== undefined) element.setAttribute(name, value);
  }
  for (const child of children) {
    if (child === null || child === undefined || child === false) continue;
    element.append(child);
  }
  return element;
}

/** The element with this id, of the expected type; throws when the page lacks it. */
export function byId<T extends HTMLElement = HTMLElement>(
  id: string,
  type: new () => T = HTMLElement as unknown as new () => T,
): T {
  const element = document.getElementById(id);
  if (!(element instanceof type)) throw new Error(`The page has no #${id} element`);
  return element;
}

/** Scope strings as chips. */
export function chips(scopes: readonly string[]): HTMLSpanElement {
  const list = h('span', { class: 'chips' });
  if (scopes.length === 0) list.append(h('span', { class: 'empty' }, 'none'));
  for (const scope of scopes) list.append(h('span', { class: 'chip' }, scope));
  return list;
}

/** A `<dl class="fields">` from label/value rows. */
export function fields(
  rows: readonly (readonly [Node | string, Node | string])[],
): HTMLDListElement {
  const dl = h('dl', { class: 'fields' });
  for (const [term, value] of rows) dl.append(h('dt', {}, term), h('dd', {}, value));
  return dl;
}

/** Replaces an element's children. */
export function show(target: Element, ...children: Child[]): void {
  target.replaceChildren(
    ...children.filter((c): c is Node | string => c !== null && c !== undefined && c !== false),
  );
}
