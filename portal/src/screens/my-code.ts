import { api } from '../api.ts';
import { h, internalLink, showScreen } from '../dom.ts';
import { newCodeFields } from '../fields.ts';
import { flow } from '../flow.ts';
import { formScreen } from '../form-screen.ts';
import { field } from '../forms.ts';
import { t } from '../i18n.ts';
import { navigate, PATHS } from '../router.ts';
import { clean, codeProblem, newCodeProblems } from '../rules.ts';
import type { BrowserSession } from '../session.ts';

/**
 * "Changer mon mot de passe" in *Mon espace* (POST /v1/me/code): the session names the member, so no
 * NIR; the current code and the new one twice. This session and this device stay; the others end.
 */
export async function myCodeScreen(session: BrowserSession): Promise<void> {
  if (!session.signedIn && !(await session.refresh())) {
    await navigate(PATHS.login, { replace: true });
    return;
  }
  const screen = formScreen({
    fields: [
      field({
        name: 'currentCode',
        label: t('myCodeCurrentLabel'),
        hint: t('myCodeCurrentHint'),
        secret: true,
        autocomplete: 'current-password',
      }),
      ...newCodeFields(),
    ],
    submit: t('myCodeSubmit'),
    check: (v) => ({
      ...clean({ currentCode: codeProblem(v['currentCode']!) }),
      ...newCodeProblems('', v['newCode']!, v['newCodeConfirmation']!),
    }),
    async send(v) {
      const body = {
        currentCode: v['currentCode']!,
        newCode: v['newCode']!,
        newCodeConfirmation: v['newCodeConfirmation']!,
      };
      const outcome = await session.authorized((headers) => api().POST('/v1/me/code', { body, headers }));
      // A session that ended meanwhile, like a lock, gets its own page (formScreen shows it).
      if (!outcome.ok) return outcome.problem;
      flow.notice = t('myCodeDone');
      await navigate(PATHS.home);
      return undefined;
    },
  });
  showScreen(
    t('myCodeTitle'),
    h('p', {}, t('myCodeIntro')),
    screen.form,
    h('p', {}, internalLink(PATHS.home, t('backToHome'))),
  );
}
