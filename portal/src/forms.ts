import { h } from './dom.ts';
import { t } from './i18n.ts';

export interface FieldSpec {
  readonly name: string;
  readonly label: string;
  readonly hint?: string;
  /** A code: hidden while typed, with a show/hide button; digits keyboard on phones. */
  readonly secret?: boolean;
  /** A one-time code read from a mail: shown while typed, digits keyboard on phones. */
  readonly digits?: boolean;
  readonly autocomplete: string;
  readonly value?: string;
}

export interface Field {
  readonly name: string;
  readonly label: string;
  readonly element: HTMLElement;
  readonly input: HTMLInputElement;
  setError(message: string | undefined): void;
}

/**
 * A labelled input with its hint and its error tied to it (aria-describedby), pasting allowed and
 * autocomplete set so that password managers fill it (WCAG 2.2 SC 3.3.8).
 */
export function field(spec: FieldSpec): Field {
  const id = `field-${spec.name}`;
  const hintId = `${id}-hint`;
  const errorId = `${id}-error`;
  const input = h('input', {
    id,
    name: spec.name,
    type: spec.secret ? 'password' : 'text',
    autocomplete: spec.autocomplete,
    inputmode: spec.secret || spec.digits ? 'numeric' : 'text',
    spellcheck: 'false',
    autocapitalize: spec.secret || spec.digits ? 'off' : 'characters',
    required: true,
    'aria-describedby': spec.hint ? hintId : undefined,
  });
  if (spec.value) input.value = spec.value;
  const error = h('span', { id: errorId, class: 'field-error', hidden: true });
  if (spec.secret) input.classList.add('secret-input');
  const row = h('div', { class: 'input-row' }, input, spec.secret && showHideButton(input, spec.label));
  const element = h(
    'div',
    { class: 'field' },
    h('label', { for: id }, spec.label),
    spec.hint && h('span', { id: hintId, class: 'hint' }, spec.hint),
    error,
    row,
  );
  return tiedField(spec.name, spec.label, element, input, error, spec.hint ? hintId : undefined);
}

/**
 * A checkbox, its error tied to it like any field's: required for an explicit consent, optional
 * (and perhaps ticked) for a choice such as remembering the device.
 */
export function checkboxField(spec: {
  readonly name: string;
  readonly label: string;
  readonly hint?: string;
  readonly optional?: boolean;
  readonly checked?: boolean;
}): Field {
  const id = `field-${spec.name}`;
  const hintId = spec.hint ? `${id}-hint` : undefined;
  const input = h('input', {
    id,
    name: spec.name,
    type: 'checkbox',
    required: !spec.optional,
    checked: spec.checked === true,
    'aria-describedby': hintId,
  });
  const error = h('span', { id: `${id}-error`, class: 'field-error', hidden: true });
  const element = h(
    'div',
    { class: 'field' },
    error,
    h('div', { class: 'checkbox' }, input, h('label', { for: id }, spec.label)),
    hintId && h('span', { id: hintId, class: 'hint' }, spec.hint),
  );
  return tiedField(spec.name, spec.label, element, input, error, hintId);
}

/** The field with its error shown beside it, marked invalid and read with it (aria-describedby). */
function tiedField(
  name: string,
  label: string,
  element: HTMLElement,
  input: HTMLInputElement,
  error: HTMLElement,
  hintId: string | undefined,
): Field {
  return {
    name,
    label,
    element,
    input,
    setError(message) {
      error.textContent = message ?? '';
      error.hidden = !message;
      if (message) input.setAttribute('aria-invalid', 'true');
      else input.removeAttribute('aria-invalid');
      input.setAttribute('aria-describedby', [hintId, message && error.id].filter(Boolean).join(' '));
    },
  };
}

function showHideButton(input: HTMLInputElement, label: string): HTMLButtonElement {
  const button = h(
    'button',
    { type: 'button', class: 'toggle', 'aria-pressed': 'false', 'aria-label': t('showLabel', { field: label }) },
    t('show'),
  );
  button.addEventListener('click', () => {
    const shown = input.type === 'password';
    input.type = shown ? 'text' : 'password';
    button.setAttribute('aria-pressed', String(shown));
    button.textContent = shown ? t('hide') : t('show');
  });
  return button;
}

/** The errors, listed at the top of the form, each a link to its field; focus moves there. */
export function showErrors(
  summary: HTMLElement,
  fields: readonly Field[],
  errors: Record<string, string>,
  general?: string,
): void {
  for (const f of fields) f.setError(errors[f.name]);
  const items = fields
    .filter((f) => errors[f.name])
    .map((f) => h('li', {}, h('a', { href: `#${f.input.id}` }, `${f.label} : ${errors[f.name]}`)));
  if (general && items.length === 0) items.push(h('li', {}, general));
  if (items.length === 0) {
    summary.hidden = true;
    summary.replaceChildren();
    return;
  }
  summary.replaceChildren(h('h2', { id: 'error-summary-title' }, t('errorSummary')), h('ul', {}, ...items));
  summary.hidden = false;
  summary.focus();
}

export const errorSummary = () =>
  h('div', { class: 'error-summary', tabindex: '-1', hidden: true, 'aria-labelledby': 'error-summary-title' });

export const submitButton = (text: string, secondary = false) =>
  h('button', { type: 'submit', class: secondary ? 'button button-secondary' : 'button' }, text);
