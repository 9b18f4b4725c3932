import { api, attempt } from '../api.ts';
import { h, internalLink, showScreen } from '../dom.ts';
import { nirField } from '../fields.ts';
import { flow, takeNotice } from '../flow.ts';
import { formScreen } from '../form-screen.ts';
import { field } from '../forms.ts';
import { t } from '../i18n.ts';
import { continueSignIn } from '../next-step.ts';
import { cancelPasskeyPrompt, passkeysSupported, signInWithPasskey } from '../passkey-ceremonies.ts';
import { navigate, PATHS } from '../router.ts';
import { clean, codeProblem, nirProblem } from '../rules.ts';
import type { BrowserSession } from '../session.ts';
import { showProblem } from './problem.ts';

/** "Je saisis mes identifiants": the NIR and the 6-digit code; the answer decides the next page. */
export function loginScreen(session: BrowserSession): void {
  const notice = takeNotice();
  const nir = nirField(flow.nir, { passkeyAutofill: true });
  const code = field({
    name: 'code',
    label: t('codeLabel'),
    hint: t('codeHint'),
    secret: true,
    autocomplete: 'current-password',
  });
  const screen = formScreen({
    fields: [nir, code],
    submit: t('loginSubmit'),
    check: (v) => clean({ nir: nirProblem(v['nir']!), code: codeProblem(v['code']!) }),
    async send(v) {
      const outcome = await attempt(() => api().POST('/v1/login', { body: { nir: v['nir']!, code: v['code']! } }));
      if (!outcome.ok) return outcome.problem;
      cancelPasskeyPrompt();
      const answer = outcome.data;
      flow.nir = v['nir'];
      if (answer.status === 'CODE_CHANGE_REQUIRED') {
        flow.currentCode = v['code'];
        flow.notice = answer.message;
        await navigate(PATHS.firstSignIn);
      } else if (answer.status === 'DEVICE_VERIFICATION_REQUIRED') {
        flow.device = { challenge: answer.challenge, message: answer.message };
        await navigate(PATHS.device);
      } else {
        await continueSignIn(session, answer);
      }
      return undefined;
    },
  });
  const passkeyButton =
    passkeysSupported() && h('button', { type: 'button', class: 'button button-secondary' }, t('passkeySignIn'));
  // The autofill and the button may both answer (one request each): the first sign-in wins.
  let signedIn = false;
  const finish = async (autofill: boolean) => {
    const outcome = await signInWithPasskey(autofill);
    if (outcome.cancelled || signedIn) return;
    if (outcome.ok) signedIn = true;
    if (outcome.ok) {
      cancelPasskeyPrompt();
      await continueSignIn(session, outcome.data);
    } else if (outcome.problem.kind === 'REFUSED') screen.fail({}, outcome.problem.error.message);
    else showProblem(outcome.problem);
  };
  if (passkeyButton) {
    passkeyButton.addEventListener('click', () => {
      passkeyButton.disabled = true;
      void finish(false).finally(() => {
        passkeyButton.disabled = false;
      });
    });
  }
  showScreen(
    t('loginTitle'),
    notice && h('div', { class: 'notice', role: 'status' }, notice),
    h('p', {}, t('loginIntro')),
    screen.form,
    passkeyButton && h('div', { class: 'passkey-sign-in' }, h('p', {}, t('passkeyOr')), passkeyButton),
    h(
      'ul',
      { class: 'links' },
      h('li', {}, internalLink(PATHS.forgot, t('forgotLink'))),
      h('li', {}, internalLink(PATHS.firstSignIn, t('firstLink'))),
    ),
  );
  // The NIR field offers the member's passkeys as they start typing (conditional mediation).
  if (passkeyButton) void finish(true);
}
