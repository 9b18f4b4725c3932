import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { Page } from 'playwright-core';
import {
  fill,
  LABELS,
  mailedDeviceCode,
  memberReadyToSignIn,
  type PortalUnderTest,
  startPortalUnderTest,
} from '../support/browser.ts';
import { addMember, uniqueNir } from '../support/members.ts';
import { runOps } from '../support/run-ops.ts';

let p: PortalUnderTest;
beforeAll(async () => {
  p = await startPortalUnderTest();
});
afterAll(async () => {
  await p?.stop();
});

async function tryCode(page: Page, nir: string, code: string): Promise<void> {
  await page.goto(`${p.portal}/connexion`);
  await fill(page, { [LABELS.nir]: nir, [LABELS.code]: code });
  await page.getByRole('button', { name: 'Se connecter', exact: true }).click();
}

/** Presses Tab until the element matching `selector` has the focus (a keyboard user's way there). */
async function tabTo(page: Page, selector: string): Promise<void> {
  for (let i = 0; i < 20; i++) {
    if (await page.evaluate(`document.activeElement?.matches(${JSON.stringify(selector)}) ?? false`)) return;
    await page.keyboard.press('Tab');
  }
  throw new Error(`${selector} cannot be reached with the keyboard`);
}

describe('what goes wrong, told plainly', () => {
  it('a wrong code: the summary takes the focus and says so, nothing more', async () => {
    const member = await memberReadyToSignIn(p);
    const context = await p.newContext();
    const page = await p.newPage(context);
    await tryCode(page, member.nir, '111111');
    const summary = page.locator('.error-summary');
    await summary.waitFor();
    expect(await summary.textContent()).toContain('incorrect');
    expect(await page.evaluate('document.activeElement.className')).toBe('error-summary');
    await p.expectAccessible(page);
    await p.screenshots(page, 'connexion-erreur');
    await context.close();
  });

  it('a mistyped NIR is caught before sending, and the member is told which mistake: no attempt is spent', async () => {
    const context = await p.newContext();
    const page = await p.newPage(context);
    const requests: string[] = [];
    page.on('request', (r) => requests.push(r.url()));
    await tryCode(page, `${uniqueNir().slice(0, 13)}00`, '111111');
    await page.getByText('Les 2 derniers chiffres (la clé) ne correspondent pas', { exact: false }).first().waitFor();
    await tryCode(page, uniqueNir().slice(0, 13), '111111');
    await page.getByText('15 caractères, clé comprise : vous en avez saisi 13.', { exact: false }).first().waitFor();
    expect(requests.filter((u) => u.includes('/v1/login'))).toEqual([]);
    await context.close();
  });

  it('a lock: its own page, with the wait in minutes and the way back', async () => {
    const nir = uniqueNir();
    const context = await p.newContext();
    const page = await p.newPage(context);
    for (let i = 0; i < 6; i++) await tryCode(page, nir, `90817${i}`);
    await page.getByRole('heading', { name: 'Trop de tentatives' }).waitFor();
    expect(await page.locator('main').textContent()).toMatch(/réessayer à \d{1,2} h \d{2}, dans 1[45] minutes\./);
    // Who to call, as the insurer configured it: a number a phone dials.
    await expect(page.locator('main a[href="tel:+33123456789"]').textContent()).resolves.toBe('01 23 45 67 89');
    await p.expectAccessible(page);
    await p.screenshots(page, 'trop-de-tentatives');
    await context.close();
  });

  it('a deactivated member with the right code: the deactivation page (CGU 3.5)', async () => {
    const member = await memberReadyToSignIn(p);
    expect((await runOps(p.api.env, 'deactivate-member', '--nir', member.nir)).code).toBe(0);
    const context = await p.newContext();
    const page = await p.newPage(context);
    await tryCode(page, member.nir, member.personalCode);
    await page.getByRole('heading', { name: 'Accès désactivé' }).waitFor();
    // The terms' articles explained, the number to call, and a way back.
    await page.getByText('votre adhésion, ou le contrat de votre entreprise avec la mutuelle, a pris fin').waitFor();
    await page.locator('main .support a[href^="tel:"]').waitFor();
    await page.getByRole('link', { name: 'Retour à la connexion' }).waitFor();
    await p.expectAccessible(page);
    await p.screenshots(page, 'acces-desactive');
    await context.close();
  });

  it('an unreachable service: a page that says so and offers to try again', async () => {
    const member = await addMember(p.api, { initialCode: '469135' });
    const context = await p.newContext();
    const page = await p.newPage(context);
    await page.route('**/v1/login', (route) => route.abort('connectionrefused'));
    await tryCode(page, member.nir, member.initialCode);
    await page.getByRole('heading', { name: 'Service momentanément indisponible' }).waitFor();
    await page.locator('main .support a[href^="tel:"]').waitFor();
    await p.expectAccessible(page);
    await context.close();
  });
});

describe('the customer-service contact, as the insurer configures it', () => {
  it('is in the footer of every page and on the help page, the number a tel: link', async () => {
    const context = await p.newContext();
    const page = await p.newPage(context);
    await page.goto(`${p.portal}/aide`);
    await page.getByRole('heading', { name: 'Contacter le service clients' }).waitFor();
    const footer = page.locator('footer');
    await footer.locator('a[href="tel:+33123456789"]').waitFor();
    expect(await footer.textContent()).toBe('Service clients : 01 23 45 67 89 (du lundi au vendredi, de 9 h à 18 h)');
    expect(await page.locator('main .support a[href="tel:+33123456789"]').count()).toBe(1);
    await p.expectAccessible(page);
    await context.close();
  });
});

describe('accessible to every member', () => {
  it('in English on request, the page’s language said', async () => {
    const context = await p.newContext();
    const page = await p.newPage(context);
    await page.goto(`${p.portal}/connexion`);
    // The page is ready (its switch listens) once its heading is there.
    await page.getByRole('heading', { name: 'Connexion à votre espace adhérent' }).waitFor();
    await page.getByRole('button', { name: 'English' }).click();
    await page.getByRole('heading', { name: 'Sign in to your member area' }).waitFor();
    expect(await page.locator('html').getAttribute('lang')).toBe('en');
    await p.expectAccessible(page);
    await p.screenshots(page, 'sign-in-en');
    await page.reload();
    await page.getByRole('heading', { name: 'Sign in to your member area' }).waitFor();
    await context.close();
  });

  it('a first sign-in with the keyboard only, pasting the NIR as a password manager would', async () => {
    const member = await addMember(p.api, { initialCode: '469135' });
    const context = await p.newContext();
    const page = await p.newPage(context);
    await page.goto(`${p.portal}/connexion`);
    await tabTo(page, '#field-nir');
    await page.keyboard.insertText(member.nir);
    await tabTo(page, '#field-code');
    await page.keyboard.type(member.initialCode);
    await page.keyboard.press('Enter');
    await page.waitForURL('**/premiere-connexion');
    await tabTo(page, '#field-newCode');
    await page.keyboard.type('583927');
    await tabTo(page, '#field-newCodeConfirmation');
    await page.keyboard.type('583927');
    await page.keyboard.press('Enter');
    await page.waitForURL('**/connexion');
    await tabTo(page, '#field-code');
    await page.keyboard.type('583927');
    await page.keyboard.press('Enter');
    // The mailed code, pasted from the mail as the member would.
    await page.waitForURL('**/connexion/verification');
    await tabTo(page, '#field-deviceCode');
    await page.keyboard.insertText(await mailedDeviceCode(p, member.email));
    await page.keyboard.press('Enter');
    await page.waitForURL('**/cgu');
    await tabTo(page, 'form button[type="submit"]');
    await page.keyboard.press('Enter');
    await page.waitForURL('**/mon-espace');
    // Mon espace drawn (the header's sign-out shows once the page knows the member).
    await page.locator('#nav-logout').waitFor();
    await tabTo(page, '#nav-logout');
    await page.keyboard.press('Enter');
    await page.waitForURL('**/connexion');
    await context.close();
  });

  it('reflows at 320 px and 200 % zoom: no horizontal scrolling', async () => {
    const context = await p.newContext({ width: 320, height: 640 });
    const page = await p.newPage(context);
    for (const path of ['/connexion', '/premiere-connexion', '/mot-de-passe/oublie', '/aide']) {
      await page.goto(`${p.portal}${path}`);
      await page.getByRole('heading', { level: 1 }).waitFor();
      expect({ path, scrolls: await page.evaluate('document.documentElement.scrollWidth > 320') }).toEqual({
        path,
        scrolls: false,
      });
    }
    await context.close();
  });

  it('codes can be pasted, and are named for password managers', async () => {
    const context = await p.newContext();
    const page = await p.newPage(context);
    await page.goto(`${p.portal}/premiere-connexion`);
    // The form is drawn by the portal's script: read its fields once it is there (CI read none once).
    await page.locator('input[name="newCodeConfirmation"]').waitFor();
    const autocomplete = await page.$$eval('input', (inputs) =>
      inputs.map((i) => [i.getAttribute('name'), i.getAttribute('autocomplete'), i.getAttribute('inputmode')]),
    );
    expect(autocomplete).toEqual([
      ['nir', 'username', 'text'],
      ['currentCode', 'one-time-code', 'numeric'],
      ['newCode', 'new-password', 'numeric'],
      ['newCodeConfirmation', 'new-password', 'numeric'],
    ]);
    expect(await page.$$eval('input', (inputs) => inputs.some((i) => i.hasAttribute('onpaste')))).toBe(false);
    await page.getByRole('button', { name: /Afficher le mot de passe « Nouveau/ }).click();
    expect(await page.getByLabel(LABELS.newCode, { exact: true }).getAttribute('type')).toBe('text');
    await context.close();
  });
});
