import { api, attempt } from '../api.ts';
import { h, internalLink, paragraph, showScreen } from '../dom.ts';
import { flow } from '../flow.ts';
import { errorSummary, showErrors, submitButton } from '../forms.ts';
import { t } from '../i18n.ts';
import { navigate, PATHS } from '../router.ts';
import type { BrowserSession } from '../session.ts';
import { showProblem } from './problem.ts';

/** "Accepter les conditions générales d'utilisation": the version, a link to read it, an explicit acceptance. */
export function termsScreen(session: BrowserSession): void {
  const pending = flow.terms;
  if (!pending) {
    showScreen(t('termsTitle'), paragraph(t('termsStale')), internalLink(PATHS.login, t('backToLogin')));
    return;
  }
  const summary = errorSummary();
  const checkbox = h('input', { type: 'checkbox', id: 'accept', name: 'accept', required: true });
  const error = h('span', { id: 'accept-error', class: 'field-error', hidden: true });
  const button = submitButton(t('termsSubmit'));
  const form = h(
    'form',
    { novalidate: true },
    summary,
    h(
      'div',
      { class: 'field' },
      error,
      h('div', { class: 'checkbox' }, checkbox, h('label', { for: 'accept' }, t('termsCheckbox'))),
    ),
    h('div', { class: 'actions' }, button),
  );
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    if (!checkbox.checked) {
      error.textContent = t('termsRequired');
      error.hidden = false;
      checkbox.setAttribute('aria-invalid', 'true');
      checkbox.setAttribute('aria-describedby', 'accept-error');
      summary.replaceChildren(
        h('h2', { id: 'error-summary-title' }, t('errorSummary')),
        h('ul', {}, h('li', {}, h('a', { href: '#accept' }, t('termsRequired')))),
      );
      summary.hidden = false;
      summary.focus();
      return;
    }
    button.disabled = true;
    void (async () => {
      const outcome = await attempt(() =>
        api().POST('/v1/terms/accept', { body: { challenge: pending.challenge, version: pending.version } }),
      );
      button.disabled = false;
      if (outcome.ok) {
        flow.terms = undefined;
        session.start(outcome.data);
        await navigate(PATHS.home);
      } else if (outcome.problem.kind === 'REFUSED') showErrors(summary, [], {}, outcome.problem.error.message);
      else showProblem(outcome.problem);
    })();
  });
  showScreen(
    t('termsTitle'),
    paragraph(t('termsIntro', { version: pending.version })),
    h(
      'p',
      {},
      h(
        'a',
        { href: pending.url, target: '_blank', rel: 'noopener noreferrer' },
        t('termsRead', { version: pending.version }),
      ),
    ),
    form,
  );
}
