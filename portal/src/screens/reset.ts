import { api, attempt } from '../api.ts';
import { h, internalLink, paragraph, showScreen } from '../dom.ts';
import { newCodeFields, nirField, rememberDeviceField } from '../fields.ts';
import { flow } from '../flow.ts';
import { formScreen } from '../form-screen.ts';
import { clockTime, t } from '../i18n.ts';
import { navigate, PATHS } from '../router.ts';
import { clean, newCodeProblems, nirProblem } from '../rules.ts';

/**
 * The reset link's token, from the fragment (`#token=`, what the mails carry) or the older query
 * (`?token=`), taken out of the address bar at once: it is not left in the history, a bookmark
 * or a screenshot, and no Referer carries it.
 */
export function takeResetToken(): void {
  const fromHash = new URLSearchParams(location.hash.slice(1)).get('token');
  const fromQuery = new URLSearchParams(location.search).get('token');
  const token = fromHash ?? fromQuery;
  if (token) {
    flow.resetToken = token;
    history.replaceState(null, '', location.pathname);
  }
}

/**
 * "Réinitialiser": the NIR, the new code and its confirmation; the link works once. The link is
 * checked on arrival (without spending it): a dead one says so before the form is filled.
 */
export async function resetScreen(): Promise<void> {
  takeResetToken();
  const token = flow.resetToken;
  if (!token) {
    showScreen(t('resetTitle'), paragraph(t('resetNoToken')), internalLink(PATHS.forgot, t('forgotLink')));
    return;
  }
  const checked = await attempt(() => api().POST('/v1/code/reset/check', { body: { token } }));
  if (!checked.ok && checked.problem.kind === 'REFUSED' && checked.problem.error.code === 'INVALID_RESET_TOKEN') {
    flow.resetToken = undefined;
    showScreen(
      t('resetTitle'),
      h('div', { class: 'notice notice-info', role: 'status' }, t('resetDeadLink')),
      h('p', {}, internalLink(PATHS.forgot, t('resetNewLink'), { class: 'button button-primary' })),
      h('p', {}, internalLink(PATHS.login, t('backToLogin'))),
    );
    return;
  }
  // Unreachable for now, or another problem: the form is shown all the same, and the reset itself will say.
  const until = checked.ok && paragraph(t('resetValidUntil', { time: clockTime(new Date(checked.data.expiresAt)) }));
  const fields = [nirField(), ...newCodeFields(), rememberDeviceField('reset')];
  const screen = formScreen({
    fields,
    submit: t('resetSubmit'),
    check: (v) => ({
      ...clean({ nir: nirProblem(v['nir']!) }),
      ...newCodeProblems(v['nir']!, v['newCode']!, v['newCodeConfirmation']!),
    }),
    async send(v) {
      const body = {
        token,
        nir: v['nir']!,
        newCode: v['newCode']!,
        newCodeConfirmation: v['newCodeConfirmation']!,
        rememberDevice: v['rememberDevice'] === 'on',
      };
      const outcome = await attempt(() => api().POST('/v1/code/reset', { body }));
      if (!outcome.ok) return outcome.problem;
      flow.resetToken = undefined;
      flow.nir = v['nir'];
      flow.notice = outcome.data.message;
      await navigate(PATHS.login);
      return undefined;
    },
  });
  showScreen(t('resetTitle'), h('p', {}, t('resetIntro')), until, screen.form);
}
