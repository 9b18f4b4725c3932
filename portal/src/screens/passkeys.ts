import type { Schemas } from '../../../client/api-client.ts';
import { deviceLabel } from '../../../lambdas/domain/device-label.ts';
import { api, type Outcome } from '../api.ts';
import { h, internalLink, paragraph, showScreen } from '../dom.ts';
import { flow, takeNotice } from '../flow.ts';
import { formScreen } from '../form-screen.ts';
import { checkboxField, field } from '../forms.ts';
import { formatWhen, t } from '../i18n.ts';
import { createPasskey, passkeysSupported } from '../passkey-ceremonies.ts';
import { navigate, PATHS, render } from '../router.ts';
import type { BrowserSession } from '../session.ts';
import { showProblem } from './problem.ts';

type Passkey = Schemas['Passkeys']['passkeys'][number];

/**
 * After a change: the page again with its notice; a sign-in too old for the change (5 minutes)
 * sends the member to sign in again, saying why.
 */
async function after(session: BrowserSession, outcome: Outcome<unknown>, notice: string): Promise<string | undefined> {
  if (outcome.ok) {
    flow.notice = notice;
    await render();
    return undefined;
  }
  const { problem } = outcome;
  if (problem.kind === 'REFUSED' && problem.error.code === 'REAUTHENTICATION_REQUIRED') {
    await session.signOut();
    flow.notice = problem.error.message;
    await navigate(PATHS.login);
    return undefined;
  }
  if (problem.kind === 'REFUSED') return problem.error.message;
  showProblem(problem);
  return undefined;
}

function passkeyItem(session: BrowserSession, p: Passkey, here: boolean): HTMLElement {
  const rename = formScreen({
    fields: [field({ name: `name-${p.id}`, label: t('passkeyNewName'), autocomplete: 'off', value: p.name })],
    submit: t('passkeyRenameSave'),
    secondary: true,
    check: (v) => ((v[`name-${p.id}`] ?? '') === '' ? { [`name-${p.id}`]: t('passkeyNameRequired') } : {}),
    async send(v, screen) {
      const outcome = await session.authorized((headers) =>
        api().POST('/v1/passkeys/{id}/name', {
          params: { path: { id: p.id } },
          body: { name: v[`name-${p.id}`]! },
          headers,
        }),
      );
      const message = await after(session, outcome, t('passkeyRenamed'));
      if (message) screen.fail({}, message);
      return undefined;
    },
  });
  return h(
    'li',
    { class: 'panel security-item' },
    h('p', { class: 'security-name' }, p.name, here && ` — ${t('thisDevice')}`),
    passkeyFacts(p, { kind: true }),
    // Renaming is rare: folded away, so the page keeps one primary action.
    h('details', { class: 'fold' }, h('summary', {}, t('passkeyRenameNamed', { name: p.name })), rename.form),
    deleteWithConfirmation(session, p),
  );
}

/** « Supprimer », then a confirmation that names the key and says what follows, before anything is deleted. */
function deleteWithConfirmation(session: BrowserSession, p: Passkey): HTMLElement {
  const area = h('div', { class: 'actions' });
  const ask = h(
    'button',
    { type: 'button', class: 'button button-secondary', 'aria-label': t('passkeyDeleteNamed', { name: p.name }) },
    t('passkeyDelete'),
  );
  const question = h('p', { class: 'confirm-question', tabindex: '-1' }, t('passkeyDeleteConfirm', { name: p.name }));
  const confirm = h('button', { type: 'button', class: 'button button-danger' }, t('passkeyDeleteYes'));
  const cancel = h('button', { type: 'button', class: 'button button-secondary' }, t('cancel'));
  ask.addEventListener('click', () => {
    area.replaceChildren(question, h('div', { class: 'actions' }, confirm, cancel));
    question.focus();
  });
  cancel.addEventListener('click', () => {
    area.replaceChildren(ask);
    ask.focus();
  });
  confirm.addEventListener('click', () => {
    confirm.disabled = true;
    void session
      .authorized((headers) => api().DELETE('/v1/passkeys/{id}', { params: { path: { id: p.id } }, headers }))
      .then((outcome) => {
        if (outcome.ok) forgetPasskeyHere(p.id);
        return after(session, outcome, t('passkeyDeleted'));
      });
  });
  area.append(ask);
  return area;
}

/**
 * The passkeys created in this browser, by id (localStorage: ids only, nothing that signs in). A
 * browser cannot ask the authenticator which keys it holds; this is how the page knows not to offer
 * a second one here, and which card is « cet appareil ».
 */
const HERE_KEY = 'passkeys-created-here';

function passkeysCreatedHere(): Set<string> {
  try {
    const ids: unknown = JSON.parse(localStorage.getItem(HERE_KEY) ?? '[]');
    return new Set(Array.isArray(ids) ? ids.filter((id): id is string => typeof id === 'string') : []);
  } catch {
    return new Set();
  }
}

function storeHere(ids: Set<string>): void {
  try {
    localStorage.setItem(HERE_KEY, JSON.stringify([...ids]));
  } catch {
    // Storage refused (private browsing): the page offers creation, as it would anyway.
  }
}

const rememberPasskeyHere = (id: string) => storeHere(passkeysCreatedHere().add(id));

function forgetPasskeyHere(id: string): void {
  const ids = passkeysCreatedHere();
  ids.delete(id);
  storeHere(ids);
}

/** A new key is named after the browser and system it is made on (« Chrome · Android »), as the devices are. */
function defaultPasskeyName(): string {
  const label = deviceLabel(navigator.userAgent);
  return label === '?' ? t('passkeyDefaultName') : label;
}

/** What a passkey's card says of it: when it was created and last used (and, here, its kind); the Sécurité page shows the same. */
export function passkeyFacts(p: Passkey, show: { readonly kind?: boolean } = {}): HTMLElement {
  return h(
    'dl',
    { class: 'facts' },
    h('dt', {}, t('passkeyCreatedOn')),
    h('dd', {}, formatWhen(p.createdAt)),
    h('dt', {}, t('lastUsed')),
    h('dd', {}, p.lastUsedAt ? formatWhen(p.lastUsedAt) : t('passkeyNeverUsed')),
    show.kind && h('dt', {}, t('passkeyKind')),
    show.kind && h('dd', {}, p.synced ? t('passkeySynced') : t('passkeyDeviceBound')),
  );
}

/** "Mes clés d'accès": create one (a recent sign-in), name, rename, delete; "clé d'accès uniquement". */
export async function passkeysScreen(session: BrowserSession): Promise<void> {
  const wasSignedIn = session.signedIn;
  const listed = await session.authorized((headers) => api().GET('/v1/passkeys', { headers }));
  if (!listed.ok) {
    if (listed.problem.kind === 'SESSION_ENDED' && !wasSignedIn) await navigate(PATHS.login, { replace: true });
    else showProblem(listed.problem.kind === 'REFUSED' ? { kind: 'UNAVAILABLE' } : listed.problem);
    return;
  }
  const notice = takeNotice();
  const { passkeys, codeSignIn } = listed.data;
  const here = passkeysCreatedHere();
  const hasOneHere = passkeys.some((p) => here.has(p.id));
  const create = formScreen({
    fields: [field({ name: 'passkeyName', label: t('passkeyName'), hint: t('passkeyNameHint'), autocomplete: 'off' })],
    submit: t('passkeyCreate'),
    check: () => ({}),
    async send(v, screen) {
      const outcome = await createPasskey(session, v['passkeyName'] || defaultPasskeyName());
      if (outcome.cancelled) {
        screen.fail({}, t('passkeyCancelled'));
        return undefined;
      }
      if (outcome.ok) rememberPasskeyHere(outcome.data.passkey.id);
      const message = await after(session, outcome, t('passkeyCreated'));
      if (message) screen.fail({}, message);
      return undefined;
    },
  });
  const passkeyOnly = formScreen({
    fields: [
      checkboxField({
        name: 'passkeyOnly',
        label: t('passkeyOnly'),
        hint: t('passkeyOnlyHint'),
        optional: true,
        checked: !codeSignIn,
      }),
    ],
    submit: t('passkeyOnlySave'),
    check: () => ({}),
    async send(v, screen) {
      const enabled = v['passkeyOnly'] !== 'on';
      const outcome = await session.authorized((headers) =>
        api().POST('/v1/passkeys/code-sign-in', { body: { enabled }, headers }),
      );
      const message = await after(session, outcome, enabled ? t('codeSignInOn') : t('codeSignInOff'));
      if (message) screen.fail({}, message);
      return undefined;
    },
  });
  showScreen(
    t('passkeysTitle'),
    notice && h('div', { class: 'notice', role: 'status' }, notice),
    paragraph(t('passkeysIntro')),
    passkeys.length === 0
      ? paragraph(t('noPasskey'))
      : h('ul', { class: 'security-list' }, ...passkeys.map((p) => passkeyItem(session, p, here.has(p.id)))),
    !hasOneHere && h('h2', {}, t('passkeyAddTitle')),
    !passkeysSupported()
      ? paragraph(t('passkeyUnsupported'))
      : hasOneHere
        ? paragraph(t('passkeyAlreadyHere'))
        : create.form,
    passkeys.length > 0 && h('h2', {}, t('passkeyOnlyTitle')),
    passkeys.length > 0 && passkeyOnly.form,
    h('p', {}, internalLink(PATHS.home, t('backToHome'))),
  );
}
