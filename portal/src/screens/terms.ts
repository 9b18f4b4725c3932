import { api, attempt } from '../api.ts';
import { h, internalLink, paragraph, showScreen } from '../dom.ts';
import { flow } from '../flow.ts';
import { formScreen } from '../form-screen.ts';
import { formatDay, t } from '../i18n.ts';
import { navigate, PATHS } from '../router.ts';
import type { BrowserSession } from '../session.ts';

/**
 * The terms in force: when they took effect (« en vigueur au 1er janvier 2026 », from GET
 * /v1/terms/current; the version otherwise), a link to read them, and one action that accepts them.
 */
export async function termsScreen(session: BrowserSession): Promise<void> {
  const pending = flow.terms;
  if (!pending) {
    showScreen(t('termsTitle'), paragraph(t('termsStale')), internalLink(PATHS.login, t('backToLogin')));
    return;
  }
  const current = await attempt(() => api().GET('/v1/terms/current'));
  const since =
    current.ok && current.data.version === pending.version
      ? t('termsSince', { date: formatDay(current.data.publishedAt) })
      : t('termsVersion', { version: pending.version });
  const screen = formScreen({
    fields: [],
    submit: t('termsSubmit'),
    check: () => ({}),
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
    paragraph(t('termsIntro', { since })),
    h('p', {}, h('a', { href: pending.url, target: '_blank', rel: 'noopener noreferrer' }, t('termsRead'))),
    screen.form,
  );
}
