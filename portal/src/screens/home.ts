import { api } from '../api.ts';
import { h, internalLink, paragraph, showScreen } from '../dom.ts';
import { takeNotice } from '../flow.ts';
import { t } from '../i18n.ts';
import { passkeysSupported } from '../passkey-ceremonies.ts';
import { navigate, PATHS } from '../router.ts';
import type { BrowserSession } from '../session.ts';
import { showProblem } from './problem.ts';

/** "Mon espace": who is signed in (from /v1/me), and *Se déconnecter*. */
export async function homeScreen(session: BrowserSession): Promise<void> {
  const wasSignedIn = session.signedIn;
  const outcome = await session.authorized((headers) => api().GET('/v1/me', { headers }));
  if (!outcome.ok) {
    // Opened without a session (no cookie): the sign-in page; a session that ended meanwhile: say so.
    if (outcome.problem.kind === 'SESSION_ENDED' && !wasSignedIn) await navigate(PATHS.login, { replace: true });
    else if (outcome.problem.kind !== 'REFUSED') showProblem(outcome.problem);
    return;
  }
  const me = outcome.data;
  const notice = takeNotice();
  // Offered right after a sign-in with a code: a passkey, where the browser can make one.
  const keys = passkeysSupported()
    ? await session.authorized((headers) => api().GET('/v1/passkeys', { headers }))
    : undefined;
  const offer =
    keys?.ok &&
    keys.data.passkeys.length === 0 &&
    h(
      'div',
      { class: 'panel' },
      h('h2', {}, t('passkeyOfferTitle')),
      h('p', {}, t('passkeyOffer')),
      h('p', {}, internalLink(PATHS.passkeys, t('passkeyCreate'))),
    );
  showScreen(
    t('homeTitle'),
    notice && h('div', { class: 'notice', role: 'status' }, notice),
    paragraph(t('hello', { name: `${me.firstName} ${me.lastName}` })),
    h(
      'dl',
      { class: 'facts panel' },
      h('dt', {}, t('nirFact')),
      h('dd', {}, me.nir),
      h('dt', {}, t('emailFact')),
      h('dd', {}, me.maskedEmail ?? (me.emailOnFile ? t('yes') : t('no'))),
    ),
    offer,
    h(
      'ul',
      { class: 'links' },
      h('li', {}, internalLink(PATHS.passkeys, t('passkeysLink'))),
      h('li', {}, internalLink(PATHS.myCode, t('myCodeLink'))),
      h('li', {}, internalLink(PATHS.security, t('securityLink'))),
    ),
  );
}
