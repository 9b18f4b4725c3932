import { api, attempt } from '../api.ts';
import { h, internalLink, paragraph, showScreen } from '../dom.ts';
import { rememberDeviceField } from '../fields.ts';
import { flow } from '../flow.ts';
import { formScreen } from '../form-screen.ts';
import { field } from '../forms.ts';
import { t } from '../i18n.ts';
import { continueSignIn } from '../next-step.ts';
import { navigate, PATHS } from '../router.ts';
import { clean, codeProblem } from '../rules.ts';
import type { BrowserSession } from '../session.ts';

/**
 * "Vérification de votre appareil": the 6 digits mailed after the right code from a new browser,
 * and whether to remember this browser; then the terms or *Mon espace*, as after any sign-in.
 */
export function deviceScreen(session: BrowserSession): void {
  const pending = flow.device;
  if (!pending) {
    showScreen(t('deviceTitle'), paragraph(t('deviceStale')), internalLink(PATHS.login, t('backToLogin')));
    return;
  }
  const code = field({
    name: 'deviceCode',
    label: t('deviceCodeLabel'),
    hint: t('deviceCodeHint'),
    digits: true,
    autocomplete: 'one-time-code',
  });
  const screen = formScreen({
    fields: [code, rememberDeviceField('mailbox')],
    submit: t('deviceSubmit'),
    check: (v) => clean({ deviceCode: codeProblem(v['deviceCode']!) && t('deviceCodeFormat') }),
    async send(v) {
      const body = {
        challenge: pending.challenge,
        code: v['deviceCode']!,
        rememberDevice: v['rememberDevice'] === 'on',
      };
      const outcome = await attempt(() => api().POST('/v1/device/verify', { body }));
      if (!outcome.ok) {
        const problem = outcome.problem;
        if (problem.kind === 'REFUSED' && problem.error.code === 'INVALID_CHALLENGE') {
          flow.device = undefined;
          flow.notice = t('deviceExpired');
          await navigate(PATHS.login);
          return undefined;
        }
        return problem.kind === 'REFUSED' && problem.error.code === 'INVALID_DEVICE_CODE'
          ? { kind: 'REFUSED', error: { ...problem.error, fields: { deviceCode: problem.error.message } } }
          : problem;
      }
      flow.device = undefined;
      await continueSignIn(session, outcome.data);
      return undefined;
    },
  });
  showScreen(
    t('deviceTitle'),
    h('div', { class: 'notice notice-info', role: 'status' }, pending.message),
    screen.form,
    h(
      'ul',
      { class: 'links' },
      h('li', {}, internalLink(PATHS.login, t('deviceResend'))),
      h('li', {}, internalLink(PATHS.help, t('deviceHelp'))),
    ),
  );
}
