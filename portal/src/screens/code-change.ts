import { api, attempt } from '../api.ts';
import { h, showScreen } from '../dom.ts';
import { newCodeFields, nirField, rememberDeviceField } from '../fields.ts';
import { flow, takeNotice } from '../flow.ts';
import { formScreen } from '../form-screen.ts';
import { field } from '../forms.ts';
import { t } from '../i18n.ts';
import { navigate, PATHS } from '../router.ts';
import { clean, codeProblem, newCodeProblems, nirProblem } from '../rules.ts';

/** "Particulier - Modifier son mot de passe": the seed's four fields; the new code checked before sending. */
export function codeChangeScreen(): void {
  const notice = takeNotice();
  // Arriving from the sign-in with the statement's or a letter's code: that proof of the postal
  // address may make this browser trusted (the API ignores the choice with a personal code).
  const fromSignIn = flow.currentCode !== undefined;
  const fields = [
    nirField(flow.nir),
    field({
      name: 'currentCode',
      label: t('currentLabel'),
      hint: t('currentHint'),
      secret: true,
      autocomplete: 'one-time-code',
      value: flow.currentCode,
    }),
    ...newCodeFields(),
    ...(fromSignIn ? [rememberDeviceField('postal')] : []),
  ];
  const screen = formScreen({
    fields,
    submit: t('changeSubmit'),
    check: (v) => ({
      ...clean({ nir: nirProblem(v['nir']!), currentCode: codeProblem(v['currentCode']!) }),
      ...newCodeProblems(v['nir']!, v['newCode']!, v['newCodeConfirmation']!),
    }),
    async send(v) {
      const body = {
        nir: v['nir']!,
        currentCode: v['currentCode']!,
        newCode: v['newCode']!,
        newCodeConfirmation: v['newCodeConfirmation']!,
        rememberDevice: v['rememberDevice'] === 'on',
      };
      const outcome = await attempt(() => api().POST('/v1/code/change', { body }));
      if (!outcome.ok) return outcome.problem;
      flow.currentCode = undefined;
      flow.notice = outcome.data.message;
      await navigate(PATHS.login);
      return undefined;
    },
  });
  showScreen(
    t('changeTitle'),
    notice && h('div', { class: 'notice notice-info', role: 'status' }, notice),
    h('p', {}, t('changeIntro')),
    screen.form,
  );
}
