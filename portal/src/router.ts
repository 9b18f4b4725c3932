/** Paths of the portal (French, as in the mails' links); the History API moves between them without reloading. */
export const PATHS = {
  login: '/connexion',
  firstSignIn: '/premiere-connexion',
  terms: '/cgu',
  device: '/connexion/verification',
  forgot: '/mot-de-passe/oublie',
  reset: '/mot-de-passe/reinitialiser',
  home: '/mon-espace',
  security: '/mon-espace/securite',
  myCode: '/mon-espace/mot-de-passe',
  passkeys: '/mon-espace/cles-d-acces',
  help: '/aide',
} as const;

type Render = () => void | Promise<void>;
const routes = new Map<string, Render>();
let fallback: Render = () => undefined;
let afterRender: () => void = () => undefined;

/** Runs after every page is drawn (the header follows whether the member is signed in). */
export function onRendered(run: () => void): void {
  afterRender = run;
}

export function route(path: string, render: Render): void {
  routes.set(path, render);
}

export function notFound(render: Render): void {
  fallback = render;
}

export async function navigate(path: string, options: { replace?: boolean } = {}): Promise<void> {
  if (options.replace) history.replaceState(null, '', path);
  else history.pushState(null, '', path);
  await render();
}

export async function render(): Promise<void> {
  const path = location.pathname.replace(/\/+$/, '') || '/';
  await (routes.get(path) ?? fallback)();
  afterRender();
}

/** Links marked `data-internal` and the browser's back and forward buttons stay in the page; `#…` links move focus. */
export function startRouter(): Promise<void> {
  document.addEventListener('click', (event) => {
    const link = (event.target as Element | null)?.closest('a');
    if (!link || event.metaKey || event.ctrlKey || event.shiftKey) return;
    const href = link.getAttribute('href') ?? '';
    if (href.startsWith('#')) {
      event.preventDefault();
      document.getElementById(href.slice(1))?.focus();
    } else if (link.hasAttribute('data-internal')) {
      event.preventDefault();
      void navigate(href);
    }
  });
  window.addEventListener('popstate', () => void render());
  return render();
}
