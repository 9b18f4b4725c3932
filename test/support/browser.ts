import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from '@jest/globals';
import { type Browser, type BrowserContext, chromium, type Page } from 'playwright-core';
import { supportContactOf } from '../../lambdas/runtime/local-environment.ts';
import { buildPortal } from '../../portal/build.ts';
import { createPortalServer } from '../../portal/server.ts';
import { type ApiUnderTest, startApiWithTerms } from './api-under-test.ts';
import { mailedDeviceCode as mailedDeviceCodeTo, signedInMember } from './members.ts';

/** Debian's chromium (`.ci/run` installs it when absent); no browser is downloaded. */
const CHROMIUM = process.env['CHROMIUM_PATH'] ?? '/usr/bin/chromium';

/** Where the tests write the screenshots of each screen (the README shows the main ones, copied to docs/). */
const SCREENSHOTS = join(process.cwd(), '.local', 'screenshots');

const PHONE = { width: 390, height: 844 } as const;
const DESKTOP = { width: 1280, height: 800 } as const;

/**
 * The portal as a member meets it: built from source and served like `npm start` serves it, over
 * the API under test (whose mails link to this portal), in a real Chromium.
 */
export async function startPortalUnderTest(overrides: Record<string, string> = {}) {
  if (!existsSync(CHROMIUM))
    throw new Error(`no browser at ${CHROMIUM}: apt-get install chromium (or set CHROMIUM_PATH)`);
  const dir = await buildPortal(await mkdtemp(join(tmpdir(), 'portal-')));
  let apiBaseUrl = '';
  let support = {};
  const server = createPortalServer(dir, () => ({ apiBaseUrl, support }));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  // Pages on `localhost` (a WebAuthn relying party must be a host name, never an IP address), the
  // API on `localhost` too, so that the portal and the API are one site for the SameSite cookies.
  const portal = `http://localhost:${(server.address() as AddressInfo).port}`;
  const api: ApiUnderTest = await startApiWithTerms({ PORTAL_BASE_URL: portal, PORTAL_ORIGINS: portal, ...overrides });
  apiBaseUrl = api.base.replace('127.0.0.1', 'localhost');
  support = supportContactOf(api.env);
  const browser: Browser = await chromium.launch({
    executablePath: CHROMIUM,
    // The back/forward cache as members' browsers have it (Playwright turns it off by default).
    ignoreDefaultArgs: ['--disable-back-forward-cache'],
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-dev-shm-usage',
      '--disable-background-networking',
      '--host-resolver-rules=MAP localhost 127.0.0.1',
    ],
  });
  const axeSource = await readFile(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');
  await mkdir(SCREENSHOTS, { recursive: true });

  return {
    api,
    portal,
    /** The API's URL as the pages call it. */
    apiForBrowser: apiBaseUrl,
    browser,
    /** A new browser profile (its own cookies), at the phone's size unless told; `userAgent` to be another device. */
    async newContext(viewport: { width: number; height: number } = PHONE, userAgent?: string): Promise<BrowserContext> {
      return browser.newContext({ viewport, locale: 'fr-FR', ...(userAgent ? { userAgent } : {}) });
    },
    /** A page that fails the test on a CSP violation or a script error. */
    async newPage(context: BrowserContext): Promise<Page> {
      const page = await context.newPage();
      page.on('console', (message) => {
        if (message.type() === 'error' && /Content Security Policy|Refused to/.test(message.text()))
          throw new Error(`CSP violation: ${message.text()}`);
      });
      page.on('pageerror', (error) => {
        throw error;
      });
      return page;
    },
    /** axe-core on the page as it is now: no WCAG 2.x A/AA violation. */
    async expectAccessible(page: Page): Promise<void> {
      await page.evaluate(axeSource);
      const violations = await page.evaluate(async () => {
        // biome-ignore lint/suspicious/noExplicitAny: axe and the page's document live in the browser.
        const { axe, document } = globalThis as any;
        const result = await axe.run(document, {
          runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa'] },
        });
        return result.violations.map((v: { id: string; nodes: Array<{ target: string[] }> }) => ({
          id: v.id,
          targets: v.nodes.map((n) => n.target.join(' ')),
        }));
      });
      expect(violations).toEqual([]);
    },
    /** The page at both sizes, as `<name>-390x844.png` and `<name>-1280x800.png`. */
    async screenshots(page: Page, name: string): Promise<void> {
      const size = page.viewportSize();
      for (const viewport of [PHONE, DESKTOP]) {
        await page.setViewportSize(viewport);
        await page.screenshot({
          path: join(SCREENSHOTS, `${name}-${viewport.width}x${viewport.height}.png`),
          fullPage: true,
        });
      }
      if (size) await page.setViewportSize(size);
    },
    async stop(): Promise<void> {
      await browser.close();
      await api.stop();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

export type PortalUnderTest = Awaited<ReturnType<typeof startPortalUnderTest>>;

/** Fills labelled fields, by their exact visible label. */
export async function fill(page: Page, values: Record<string, string>): Promise<void> {
  for (const [label, value] of Object.entries(values)) await page.getByLabel(label, { exact: true }).fill(value);
}

export const LABELS = {
  nir: 'N° de Sécurité Sociale',
  code: 'Mot de passe (6 chiffres)',
  current: 'Mot de passe actuel',
  newCode: 'Nouveau mot de passe (6 chiffres)',
  confirm: 'Confirmation nouveau mot de passe (6 chiffres)',
  deviceCode: 'Code reçu par mail (6 chiffres)',
  remember: 'Se souvenir de cet appareil',
} as const;

/** A member who chose a personal code and accepted the terms (through the API), ready to sign in. */
export const memberReadyToSignIn = (p: PortalUnderTest) => signedInMember(p.api);

/** The 6 digits of the newest new-device mail to `email` (from the SES emulator's store). */
export const mailedDeviceCode = (p: PortalUnderTest, email: string): Promise<string> =>
  mailedDeviceCodeTo(p.api, email);

/**
 * Signs in through the portal's page and waits for *Mon espace*. A browser the member never
 * trusted gets the new-device step: the code is read from the mail, and the browser remembered.
 */
export async function signIn(
  p: PortalUnderTest,
  page: Page,
  member: { nir: string; personalCode: string; email: string },
): Promise<void> {
  await page.goto(`${p.portal}/connexion`);
  await fill(page, { [LABELS.nir]: member.nir, [LABELS.code]: member.personalCode });
  await page.getByRole('button', { name: 'Se connecter', exact: true }).click();
  await page.waitForURL(/\/(mon-espace|connexion\/verification)$/);
  if (page.url().endsWith('/connexion/verification')) {
    await fill(page, { [LABELS.deviceCode]: await mailedDeviceCode(p, member.email) });
    await page.getByLabel(LABELS.remember, { exact: true }).check();
    await page.getByRole('button', { name: 'Valider' }).click();
    await page.waitForURL('**/mon-espace');
  }
  await page.getByText(/^Bonjour /).waitFor();
}
