import type { Schemas } from '../../../client/api-client.ts';
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

function passkeyItem(session: BrowserSession, p: Passkey): HTMLElement {
  const rename = formScreen({
    fields: [field({ name: `name-${p.id}`, label: t('passkeyNewName'), autocomplete: 'off', value: p.name })],
    submit: t('passkeyRename'),
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
  const remove = h(
    'button',
    { type: 'button', class: 'button button-secondary', 'aria-label': t('passkeyDeleteNamed', { name: p.name }) },
    t('passkeyDelete'),
  );
  remove.addEventListener('click', () => {
    remove.disabled = true;
    void session
      .authorized((headers) => api().DELETE('/v1/passkeys/{id}', { params: { path: { id: p.id } }, headers }))
      .then((outcome) => after(session, outcome, t('passkeyDeleted')));
  });
  return h(
    'li',
    { class: 'panel security-item' },
    h('p', { class: 'security-name' }, p.name),
    passkeyFacts(p, { kind: true }),
    rename.form,
    h('div', { class: 'actions' }, remove),
  );
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
  const create = formScreen({
    fields: [field({ name: 'passkeyName', label: t('passkeyName'), hint: t('passkeyNameHint'), autocomplete: 'off' })],
    submit: t('passkeyCreate'),
    check: () => ({}),
    async send(v, screen) {
      const outcome = await createPasskey(session, v['passkeyName'] || t('passkeyDefaultName'));
      if (outcome.cancelled) {
        screen.fail({}, t('passkeyCancelled'));
        return undefined;
      }
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
      : h('ul', { class: 'security-list' }, ...passkeys.map((p) => passkeyItem(session, p))),
    h('h2', {}, t('passkeyAddTitle')),
    passkeysSupported() ? create.form : paragraph(t('passkeyUnsupported')),
    passkeys.length > 0 && h('h2', {}, t('passkeyOnlyTitle')),
    passkeys.length > 0 && passkeyOnly.form,
    h('p', {}, internalLink(PATHS.home, t('backToHome'))),
  );
}
