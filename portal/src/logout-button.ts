import { h } from './dom.ts';
import { t } from './i18n.ts';
import { navigate, PATHS } from './router.ts';
import type { BrowserSession } from './session.ts';

/** *Se déconnecter*, on every page of the signed-in member. */
export function logoutButton(session: BrowserSession): HTMLButtonElement {
  const logout = h('button', { type: 'button', class: 'button button-secondary' }, t('logout'));
  logout.addEventListener('click', () => {
    logout.disabled = true;
    void session.signOut().then(() => navigate(PATHS.login));
  });
  return logout;
}
