import type { Schemas } from '../../../client/api-client.ts';
import { deviceLabel } from '../../../lambdas/domain/device-label.ts';
import { networkLabel } from '../../../lambdas/domain/network-label.ts';
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

/** Where a session was opened, as the member reads it: a network, never a raw address. */
function networkText(address: string): string {
  const network = networkLabel(address);
  if (network.kind === 'internet') return t('networkInternet', { network: network.network });
  if (network.kind === 'this-computer') return t('networkThisComputer');
  return network.kind === 'local' ? t('networkLocal') : '—';
}

/** One card of the page: a browser, trusted or not, and the sessions open on it. */
interface DeviceCard {
  readonly label: string;
  readonly device?: DeviceView;
  readonly sessions: SessionView[];
}

/**
 * Sessions and trusted devices as one list of devices: a session opened from a trusted device is
 * shown on that device's card; the others are grouped by browser and network. The member's own
 * device comes first.
 */
function deviceCards(sessions: readonly SessionView[], devices: readonly DeviceView[]): DeviceCard[] {
  const cards = new Map<string, DeviceCard>();
  for (const d of devices) cards.set(`device:${d.id}`, { label: shown(d.label), device: d, sessions: [] });
  for (const s of sessions) {
    const label = shown(deviceLabel(s.userAgent));
    const key =
      s.deviceId && cards.has(`device:${s.deviceId}`)
        ? `device:${s.deviceId}`
        : `browser:${label}|${networkText(s.sourceIp)}`;
    const card = cards.get(key) ?? { label, sessions: [] };
    card.sessions.push(s);
    cards.set(key, card);
  }
  const isCurrent = (c: DeviceCard) => Boolean(c.device?.current) || c.sessions.some((s) => s.current);
  return [...cards.values()].sort((a, b) => Number(isCurrent(b)) - Number(isCurrent(a)));
}

function sessionLine(session: BrowserSession, card: DeviceCard, s: SessionView): HTMLElement {
  return h(
    'li',
    { class: 'session-line' },
    h(
      'span',
      {},
      s.current ? t('sessionCurrent') : t('sessionOpened', { date: formatWhen(s.startedAt) }),
      ` · ${networkText(s.sourceIp)}`,
    ),
    !s.current &&
      actionButton(
        t('endSession'),
        t('endSessionNamed', { device: card.label, date: formatWhen(s.startedAt) }),
        () =>
          session.authorized((headers) =>
            api().DELETE('/v1/me/sessions/{id}', { params: { path: { id: s.id } }, headers }),
          ),
        t('sessionEnded'),
      ),
  );
}

function deviceCard(session: BrowserSession, card: DeviceCard): HTMLElement {
  const { device } = card;
  const current = Boolean(device?.current) || card.sessions.some((s) => s.current);
  const lastUsed = [device?.lastUsedAt, ...card.sessions.map((s) => s.lastUsedAt)]
    .filter((at): at is string => at !== undefined)
    .sort()
    .at(-1);
  return h(
    'li',
    { class: 'panel security-item' },
    h('p', { class: 'security-name' }, card.label, current && ` — ${t('thisDevice')}`),
    h('p', { class: 'hint' }, device ? t('trustedSinceDate', { date: formatWhen(device.createdAt) }) : t('notTrusted')),
    lastUsed && h('p', { class: 'hint' }, t('lastUsedDate', { date: formatWhen(lastUsed) })),
    card.sessions.length > 0
      ? h(
          'ul',
          { class: 'session-lines', 'aria-label': t('sessionsOn', { device: card.label }) },
          ...card.sessions.map((s) => sessionLine(session, card, s)),
        )
      : h('p', { class: 'hint' }, t('noSessionOn')),
    device &&
      actionButton(
        t('forgetDevice'),
        t('forgetDeviceNamed', { device: card.label, date: formatWhen(device.createdAt) }),
        () =>
          session.authorized((headers) =>
            api().DELETE('/v1/me/devices/{id}', { params: { path: { id: device.id } }, headers }),
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
 * "Sécurité": one card per device — a trusted device with the sessions open on it, or a browser
 * and network that is not trusted — with its network (never a raw address), last use and "this
 * device"; the passkeys; and the ways to end them — one, or all but this one.
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
    h('h2', {}, t('myDevicesTitle')),
    h(
      'ul',
      { class: 'security-list device-cards' },
      ...deviceCards(sessions.data.sessions, devices.data.devices).map((card) => deviceCard(session, card)),
    ),
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
