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
          await verificationEnded();
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
  const notice = h('div', { class: 'notice notice-info', role: 'status' }, pending.message);
  showScreen(
    t('deviceTitle'),
    notice,
    screen.form,
    resendPanel(pending.challenge, (message) => {
      notice.textContent = message;
    }),
    h('ul', { class: 'links' }, h('li', {}, internalLink(PATHS.help, t('deviceHelp')))),
  );
}

/** The verification is over (10 minutes, 3 wrong codes, resent too often): back to the sign-in page, which says why. */
async function verificationEnded(): Promise<void> {
  flow.device = undefined;
  flow.notice = t('deviceExpired');
  await navigate(PATHS.login);
}

/** Seconds before « Renvoyer le code » may be used: a mail takes a moment to arrive. */
const RESEND_DELAY_MS = 30_000;

/**
 * « Renvoyer le code »: offered after 30 seconds, then again 30 seconds after each new code; the
 * notice above the form says what happened (a new code, the previous one dead).
 */
function resendPanel(challenge: string, say: (message: string) => void): HTMLElement {
  const hint = h('p', { class: 'hint', id: 'resend-hint' }, t('deviceResendWait'));
  const button = h(
    'button',
    { type: 'button', class: 'button button-secondary', disabled: true, 'aria-describedby': 'resend-hint' },
    t('deviceResend'),
  );
  const wait = () => {
    button.disabled = true;
    hint.textContent = t('deviceResendWait');
    setTimeout(() => {
      button.disabled = false;
      hint.textContent = t('deviceResendReady');
    }, RESEND_DELAY_MS);
  };
  button.addEventListener('click', () => {
    wait();
    void attempt(() => api().POST('/v1/device/resend', { body: { challenge } })).then(async (outcome) => {
      if (outcome.ok) return say(outcome.data.message);
      const { problem } = outcome;
      if (problem.kind === 'REFUSED' && problem.error.code === 'INVALID_CHALLENGE') return verificationEnded();
      if (problem.kind === 'REFUSED') say(problem.error.message);
      else say(problem.kind === 'LOCKED' ? t('deviceResendLimited') : t('unavailableBody'));
    });
  });
  wait();
  return h('div', { class: 'resend' }, hint, button);
}
