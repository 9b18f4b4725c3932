import type { Problem } from './api.ts';
import { h } from './dom.ts';
import { errorSummary, type Field, showErrors, submitButton } from './forms.ts';
import { fieldErrors, valuesOf } from './rules.ts';
import { showProblem } from './screens/problem.ts';

export interface FormScreen {
  readonly form: HTMLFormElement;
  readonly summary: HTMLElement;
  readonly fields: readonly Field[];
  /** Field errors (by field name) and/or a general message: shown in the summary, focus moved there. */
  fail(errors: Record<string, string>, general?: string): void;
}

/**
 * A form with an error summary above it. On submit: `check` first (nothing is sent while it finds a
 * problem), then `send`; the button is disabled meanwhile, so a double click sends once. A lock,
 * a deactivation or an unreachable API get their own page.
 */
export function formScreen(options: {
  fields: readonly Field[];
  extra?: readonly Node[];
  submit: string;
  /** A secondary action (a rename inside a card): the page keeps one primary button. */
  secondary?: boolean;
  check: (values: Record<string, string>) => Record<string, string>;
  send: (values: Record<string, string>, screen: FormScreen) => Promise<Problem | undefined>;
}): FormScreen {
  const summary = errorSummary();
  const button = submitButton(options.submit, options.secondary);
  const form = h(
    'form',
    { novalidate: true },
    summary,
    ...options.fields.map((f) => f.element),
    ...(options.extra ?? []),
    h('div', { class: 'actions' }, button),
  );
  const screen: FormScreen = {
    form,
    summary,
    fields: options.fields,
    fail: (errors, general) => showErrors(summary, options.fields, errors, general),
  };
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    if (button.disabled) return;
    const values = valuesOf(form);
    const problems = options.check(values);
    if (Object.keys(problems).length > 0) {
      screen.fail(problems);
      return;
    }
    busy(button, true);
    void options
      .send(values, screen)
      .then((problem) => {
        if (!problem) return;
        if (problem.kind === 'REFUSED') screen.fail(fieldErrors(problem.error), problem.error.message);
        else showProblem(problem);
      })
      .finally(() => busy(button, false));
  });
  return screen;
}

/** While a form is sent: its button disabled (a double click sends once) and said busy, with a spinner. */
function busy(button: HTMLButtonElement, on: boolean): void {
  button.disabled = on;
  button.classList.toggle('is-busy', on);
  if (on) button.setAttribute('aria-busy', 'true');
  else button.removeAttribute('aria-busy');
}
