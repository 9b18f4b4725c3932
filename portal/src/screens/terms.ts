import { api, attempt } from '../api.ts';
import { h, internalLink, paragraph, showScreen } from '../dom.ts';
import { flow } from '../flow.ts';
import { formScreen } from '../form-screen.ts';
import { checkboxField } from '../forms.ts';
import { t } from '../i18n.ts';
import { navigate, PATHS } from '../router.ts';
import { clean } from '../rules.ts';
import type { BrowserSession } from '../session.ts';

/** "Accepter les conditions générales d'utilisation": the version, a link to read it, an explicit acceptance. */
export function termsScreen(session: BrowserSession): void {
  const pending = flow.terms;
  if (!pending) {
    showScreen(t('termsTitle'), paragraph(t('termsStale')), internalLink(PATHS.login, t('backToLogin')));
    return;
  }
  const screen = formScreen({
    fields: [checkboxField({ name: 'accept', label: t('termsCheckbox') })],
    submit: t('termsSubmit'),
    check: (v) => clean({ accept: v['accept'] ? undefined : t('termsRequired') }),
    async send() {
      const outcome = await attempt(() =>
        api().POST('/v1/terms/accept', { body: { challenge: pending.challenge, version: pending.version } }),
      );
      if (!outcome.ok) return outcome.problem;
      flow.terms = undefined;
      session.start(outcome.data);
      await navigate(PATHS.home);
      return undefined;
    },
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
    screen.form,
  );
}
