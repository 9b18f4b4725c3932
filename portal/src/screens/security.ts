import type { Schemas } from '../../../client/api-client.ts';
import { deviceLabel } from '../../../lambdas/domain/device-label.ts';
import { api, type Outcome } from '../api.ts';
import { h, internalLink, paragraph, showScreen } from '../dom.ts';
import { flow, takeNotice } from '../flow.ts';
import { formatWhen, t } from '../i18n.ts';
import { navigate, PATHS, render } from '../router.ts';
import type { BrowserSession } from '../session.ts';
import { passkeyFacts } from './passkeys.ts';
import { showProblem } from './problem.ts';

type SessionView = Schemas['Sessions']['sessions'][number];
type DeviceView = Schemas['Devices']['devices'][number];
type PasskeyView = Schemas['Passkeys']['passkeys'][number];

/** A button that runs `action` once, then shows the page again with `notice`. */
function actionButton(label: string, accessibleName: string, action: () => Promise<Outcome<unknown>>, notice: string) {
  const button = h('button', { type: 'button', class: 'button button-secondary', 'aria-label': accessibleName }, label);
  button.addEventListener('click', () => {
    button.disabled = true;
    void action().then(async (outcome) => {
      // Refused (already ended meanwhile, in another tab): the page is shown again as it now is.
      if (!outcome.ok && outcome.problem.kind !== 'REFUSED') {
        showProblem(outcome.problem);
        return;
      }
      if (outcome.ok) flow.notice = notice;
      await render();
    });
  });
  return button;
}

/** The browser's name as the member reads it. */
const shown = (label: string) => (label === '?' ? t('unknownBrowser') : label);

function sessionItem(session: BrowserSession, s: SessionView): HTMLElement {
  const label = shown(deviceLabel(s.userAgent));
  return h(
    'li',
    { class: 'panel security-item' },
    h('p', { class: 'security-name' }, label, s.current && ` — ${t('thisDevice')}`),
    h(
      'dl',
      { class: 'facts' },
      h('dt', {}, t('sessionStarted')),
      h('dd', {}, formatWhen(s.startedAt)),
      h('dt', {}, t('lastUsed')),
      h('dd', {}, formatWhen(s.lastUsedAt)),
      h('dt', {}, t('ipAddress')),
      h('dd', {}, s.sourceIp || '—'),
    ),
    !s.current &&
      actionButton(
        t('endSession'),
        t('endSessionNamed', { device: label, date: formatWhen(s.startedAt) }),
        () =>
          session.authorized((headers) =>
            api().DELETE('/v1/me/sessions/{id}', { params: { path: { id: s.id } }, headers }),
          ),
        t('sessionEnded'),
      ),
  );
}

function deviceItem(session: BrowserSession, d: DeviceView): HTMLElement {
  const label = shown(d.label);
  return h(
    'li',
    { class: 'panel security-item' },
    h('p', { class: 'security-name' }, label, d.current && ` — ${t('thisDevice')}`),
    h(
      'dl',
      { class: 'facts' },
      h('dt', {}, t('trustedSince')),
      h('dd', {}, formatWhen(d.createdAt)),
      h('dt', {}, t('lastUsed')),
      h('dd', {}, formatWhen(d.lastUsedAt)),
    ),
    actionButton(
      t('forgetDevice'),
      t('forgetDeviceNamed', { device: label, date: formatWhen(d.createdAt) }),
      () =>
        session.authorized((headers) =>
          api().DELETE('/v1/me/devices/{id}', { params: { path: { id: d.id } }, headers }),
        ),
      t('deviceForgotten'),
    ),
  );
}

/** A passkey as the Sécurité page lists it; renaming and deleting are on "Mes clés d'accès" (a recent sign-in). */
function passkeyItem(p: PasskeyView): HTMLElement {
  return h('li', { class: 'panel security-item' }, h('p', { class: 'security-name' }, p.name), passkeyFacts(p));
}

/**
 * "Sécurité": where the member is signed in (browser and system, place by IP address only, last
 * use, "this device"), the trusted devices, the passkeys, and the ways to end them — one, or all but
 * this one.
 */
export async function securityScreen(session: BrowserSession): Promise<void> {
  const wasSignedIn = session.signedIn;
  const sessions = await session.authorized((headers) => api().GET('/v1/me/sessions', { headers }));
  if (!sessions.ok) {
    if (sessions.problem.kind === 'SESSION_ENDED' && !wasSignedIn) await navigate(PATHS.login, { replace: true });
    else if (sessions.problem.kind !== 'REFUSED') showProblem(sessions.problem);
    return;
  }
  const [devices, passkeys] = await Promise.all([
    session.authorized((headers) => api().GET('/v1/me/devices', { headers })),
    session.authorized((headers) => api().GET('/v1/passkeys', { headers })),
  ]);
  if (!devices.ok || !passkeys.ok) {
    const problem = !devices.ok ? devices.problem : !passkeys.ok ? passkeys.problem : undefined;
    showProblem(problem?.kind === 'REFUSED' ? { kind: 'UNAVAILABLE' } : (problem ?? { kind: 'UNAVAILABLE' }));
    return;
  }
  const notice = takeNotice();
  const others = sessions.data.sessions.filter((s) => !s.current).length;
  showScreen(
    t('securityTitle'),
    notice && h('div', { class: 'notice', role: 'status' }, notice),
    paragraph(t('securityIntro')),
    h('h2', {}, t('sessionsTitle')),
    h('ul', { class: 'security-list' }, ...sessions.data.sessions.map((s) => sessionItem(session, s))),
    others > 0 &&
      h(
        'div',
        { class: 'actions' },
        actionButton(
          t('endOthers'),
          t('endOthers'),
          () => session.authorized((headers) => api().POST('/v1/me/sessions/revoke-others', { headers })),
          t('othersEnded'),
        ),
      ),
    h('h2', {}, t('devicesTitle')),
    paragraph(t('devicesIntro')),
    devices.data.devices.length === 0
      ? paragraph(t('noDevice'))
      : h('ul', { class: 'security-list' }, ...devices.data.devices.map((d) => deviceItem(session, d))),
    h('h2', {}, t('securityPasskeysTitle')),
    passkeys.data.passkeys.length > 0 && paragraph(t('securityPasskeysIntro')),
    passkeys.data.passkeys.length === 0
      ? paragraph(t('noPasskey'))
      : h('ul', { class: 'security-list' }, ...passkeys.data.passkeys.map(passkeyItem)),
    h('p', {}, internalLink(PATHS.passkeys, t('securityPasskeysManage'))),
    paragraph(t('notYou')),
    h('p', {}, internalLink(PATHS.home, t('backToHome'))),
  );
}
