/**
 * The member portal: the screens of the insurer's guide over the API, in French or English. Its
 * configuration (`/config.json`: the API's URL) is given at deploy time, not built in.
 */

import type { PortalConfig } from '../server.ts';
import { configureApi } from './api.ts';
import { paragraph, showScreen } from './dom.ts';
import { initialLanguage, type Language, language, setLanguage, t } from './i18n.ts';
import { cancelPasskeyPrompt } from './passkey-ceremonies.ts';
import { navigate, notFound, onRendered, PATHS, render, route, startRouter } from './router.ts';
import { codeChangeScreen } from './screens/code-change.ts';
import { deviceScreen } from './screens/device.ts';
import { forgotScreen } from './screens/forgot.ts';
import { helpScreen } from './screens/help.ts';
import { homeScreen } from './screens/home.ts';
import { loginScreen } from './screens/login.ts';
import { myCodeScreen } from './screens/my-code.ts';
import { passkeysScreen } from './screens/passkeys.ts';
import { showProblem } from './screens/problem.ts';
import { resetScreen, takeResetToken } from './screens/reset.ts';
import { securityScreen } from './screens/security.ts';
import { termsScreen } from './screens/terms.ts';
import { BrowserSession } from './session.ts';
import { signOut } from './sign-out.ts';
import { setSupportContact, supportLine } from './support.ts';

/** The page's own texts (header, footer) in the chosen language. */
function translateChrome(): void {
  document.documentElement.lang = language();
  const set = (selector: string, text: string) => {
    const element = document.querySelector(selector);
    if (element) element.textContent = text;
  };
  set('.skip-link', t('skip'));
  set('.brand-name', t('appName'));
  set('#nav-help', t('help'));
  set('#nav-home', t('homeTitle'));
  set('#nav-logout', t('logout'));
  document.getElementById('footer-text')?.replaceChildren(...supportLine());
  const switcher = document.getElementById('language-switch')!;
  switcher.textContent = t('switchTo');
  switcher.setAttribute('lang', language() === 'fr' ? 'en' : 'fr');
}

async function main(): Promise<void> {
  // First of all: a reset link's token leaves the address bar before anything else runs.
  if (location.pathname === PATHS.reset) takeResetToken();
  initialLanguage();
  translateChrome();
  const config = (await (await fetch('/config.json')).json()) as PortalConfig;
  configureApi(config.apiBaseUrl);
  setSupportContact(config.support);
  translateChrome();

  const session = new BrowserSession();
  session.onChange((event) => {
    // Signed out in another tab, or the session ended: no page of this tab shows the member any more.
    if (![PATHS.home, PATHS.security, PATHS.passkeys, PATHS.myCode].includes(location.pathname as never)) return;
    if (event === 'signed-out-elsewhere') void navigate(PATHS.login, { replace: true });
    else showProblem({ kind: 'SESSION_ENDED' });
  });
  // The portal's address: Mon espace for a member still signed in (a new tab), else the sign-in.
  route('/', async () => navigate((await session.refresh()) ? PATHS.home : PATHS.login, { replace: true }));
  // Signed in, the header offers Mon espace and Se déconnecter on every page.
  const logout = document.getElementById('nav-logout') as HTMLButtonElement;
  logout.addEventListener('click', () => void signOut(session));
  onRendered(() => {
    for (const id of ['nav-home', 'nav-logout']) document.getElementById(id)!.hidden = !session.signedIn;
  });
  // The back/forward cache: a pending passkey request keeps a page out of it in some browsers
  // (Chromium lists the WebAuthn API among its blockers), so it is dropped on the way out; on the way
  // back the page is shown again as it now is (a sign-in page asks for the passkeys again, a
  // signed-in page checks that the session still stands).
  addEventListener('pagehide', () => cancelPasskeyPrompt());
  addEventListener('pageshow', (event) => {
    if (event.persisted) void render();
  });
  route(PATHS.login, () => loginScreen(session));
  route(PATHS.firstSignIn, codeChangeScreen);
  route(PATHS.terms, () => termsScreen(session));
  route(PATHS.device, () => deviceScreen(session));
  route(PATHS.security, () => securityScreen(session));
  route(PATHS.myCode, () => myCodeScreen(session));
  route(PATHS.passkeys, () => passkeysScreen(session));
  route(PATHS.forgot, forgotScreen);
  route(PATHS.reset, resetScreen);
  route(PATHS.home, () => homeScreen(session));
  route(PATHS.help, helpScreen);
  notFound(() => void showScreen(t('notFoundTitle'), paragraph(t('notFoundBody'))));

  document.getElementById('language-switch')!.addEventListener('click', () => {
    setLanguage((language() === 'fr' ? 'en' : 'fr') satisfies Language);
    translateChrome();
    void render();
  });
  await startRouter();
}

void main();
