import type { Problem } from '../api.ts';
import { h, internalLink, paragraph, showScreen } from '../dom.ts';
import { clockTime, minutes, t } from '../i18n.ts';
import { PATHS } from '../router.ts';
import { supportParagraph } from '../support.ts';

/** The pages for what a form cannot fix: a lock (with its wait), a deactivated access, an unreachable service, an ended session. */
export function showProblem(problem: Exclude<Problem, { kind: 'REFUSED' }>): void {
  switch (problem.kind) {
    case 'LOCKED':
      showScreen(
        t('lockedTitle'),
        paragraph(
          t('lockedBody', {
            time: clockTime(new Date(Date.now() + problem.minutes * 60_000)),
            duration: minutes(problem.minutes),
          }),
        ),
        paragraph(t('lockedHelp')),
        supportParagraph(),
        h(
          'ul',
          { class: 'links' },
          h('li', {}, internalLink(PATHS.forgot, t('forgotLink'))),
          h('li', {}, internalLink(PATHS.help, t('help'))),
        ),
      );
      return;
    case 'DEACTIVATED':
      showScreen(
        t('deactivatedTitle'),
        paragraph(t('deactivatedBody')),
        paragraph(t('deactivatedHelp')),
        supportParagraph(),
        h(
          'ul',
          { class: 'links' },
          h('li', {}, internalLink(PATHS.help, t('help'))),
          h('li', {}, internalLink(PATHS.login, t('backToLogin'))),
        ),
      );
      return;
    case 'UNAVAILABLE': {
      const retry = h('button', { type: 'button', class: 'button' }, t('retry'));
      retry.addEventListener('click', () => location.reload());
      showScreen(
        t('unavailableTitle'),
        paragraph(t('unavailableBody')),
        h('div', { class: 'actions' }, retry),
        supportParagraph(),
      );
      return;
    }
    case 'SESSION_ENDED':
      showScreen(
        t('expiredTitle'),
        paragraph(t('expiredBody')),
        h('div', { class: 'actions' }, internalLink(PATHS.login, t('signInAgain'), { class: 'button' })),
      );
  }
}
