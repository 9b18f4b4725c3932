/** Elements built with the DOM API — never from HTML strings, so no member's data is ever parsed as markup. */
type Child = Node | string | false | null | undefined;
type Attributes = Record<string, string | boolean | undefined>;

export function h<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  attributes: Attributes = {},
  ...children: Child[]
): HTMLElementTagNameMap[K] {
  const element = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) {
    if (value === undefined || value === false) continue;
    element.setAttribute(name, value === true ? '' : value);
  }
  for (const child of children) if (child) element.append(child);
  return element;
}

/** A link inside the portal: followed without reloading the page (see router.ts). */
export const internalLink = (path: string, text: string, attributes: Attributes = {}) =>
  h('a', { href: path, 'data-internal': true, ...attributes }, text);

/** Replaces the page's content; the title and the heading say where the member is; focus goes to the heading. */
export function showScreen(title: string, ...content: Child[]): HTMLElement {
  const main = document.getElementById('main')!;
  const heading = h('h1', { tabindex: '-1' }, title);
  main.replaceChildren(heading, ...content.filter((c): c is Node | string => Boolean(c)));
  document.title = `${title} — ${document.querySelector('.brand-name')?.textContent ?? ''}`;
  heading.focus();
  return main;
}

export const paragraph = (text: string, attributes: Attributes = {}) => h('p', attributes, text);
