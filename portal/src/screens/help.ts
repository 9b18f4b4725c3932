import { h, internalLink, showScreen } from '../dom.ts';
import { t } from '../i18n.ts';
import { PATHS } from '../router.ts';
import { supportParagraph } from '../support.ts';

/** The seed's troubleshooting section, as a page. */
export function helpScreen(): void {
  showScreen(
    t('helpTitle'),
    h('h2', {}, t('helpForgotQ')),
    h('p', {}, t('helpForgotA'), ' ', internalLink(PATHS.forgot, t('forgotLink'))),
    h('h2', {}, t('helpNotWorkingQ')),
    h(
      'ul',
      {},
      h('li', {}, t('helpNotWorking1')),
      h('li', {}, t('helpNotWorking2')),
      h('li', {}, t('helpNotWorking3')),
      h('li', {}, t('helpNotWorking4'), ' ', internalLink(PATHS.forgot, t('forgotLink'))),
    ),
    h('h2', {}, t('helpFirstQ')),
    h('p', {}, t('helpFirstA'), ' ', internalLink(PATHS.firstSignIn, t('firstLink'))),
    h('h2', {}, t('helpDeviceQ')),
    h('ul', {}, h('li', {}, t('helpDevice1')), h('li', {}, t('helpDevice2')), h('li', {}, t('helpDevice3'))),
    h('h2', {}, t('helpContactQ')),
    supportParagraph(),
    h('p', {}, internalLink(PATHS.login, t('backToLogin'))),
  );
}
