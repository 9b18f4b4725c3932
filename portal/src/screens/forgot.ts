import { api, attempt } from '../api.ts';
import { h, internalLink, paragraph, showScreen } from '../dom.ts';
import { nirField } from '../fields.ts';
import { flow } from '../flow.ts';
import { formScreen } from '../form-screen.ts';
import { t } from '../i18n.ts';
import { PATHS } from '../router.ts';
import { clean, nirProblem } from '../rules.ts';

/** "Vous avez oublié votre code d'accès ?": the NIR, then the answer that is the same for everyone. */
export function forgotScreen(): void {
  const nir = nirField(flow.nir);
  const screen = formScreen({
    fields: [nir],
    submit: t('forgotSubmit'),
    check: (v) => clean({ nir: nirProblem(v['nir']!) }),
    async send(v) {
      const outcome = await attempt(() => api().POST('/v1/code/forgot', { body: { nir: v['nir']! } }));
      if (!outcome.ok) return outcome.problem;
      showScreen(
        t('forgotTitle'),
        h('div', { class: 'notice', role: 'status' }, outcome.data.message),
        paragraph(t('forgotNoMail')),
        internalLink(PATHS.login, t('backToLogin')),
      );
      return undefined;
    },
  });
  showScreen(
    t('forgotTitle'),
    paragraph(t('forgotIntro')),
    h('ul', {}, h('li', {}, t('forgotEmail')), h('li', {}, t('forgotLetter'))),
    screen.form,
    internalLink(PATHS.login, t('backToLogin')),
  );
}
