import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { Page } from 'playwright-core';
import { mailedDeviceCode, type PortalUnderTest, startPortalUnderTest } from '../support/browser.ts';
import { addMember } from '../support/members.ts';

let p: PortalUnderTest;
beforeAll(async () => {
  p = await startPortalUnderTest();
});
afterAll(async () => {
  await p?.stop();
});

const PERSONAL = '583927';

async function fill(page: Page, values: Record<string, string>): Promise<void> {
  for (const [label, value] of Object.entries(values)) await page.getByLabel(label, { exact: true }).fill(value);
}

describe('first sign-in in a browser: initial code → own code → terms → Mon espace', () => {
  it('walks the seed’s first sign-in, every screen accessible', async () => {
    const member = await addMember(p.api, { initialCode: '469135' });
    const context = await p.newContext();
    const page = await p.newPage(context);
    const response = await page.goto(`${p.portal}/`);
    await page.getByRole('heading', { level: 1 }).waitFor();
    // The page runs under the strict policy: no inline script, no request but to itself and the API.
    const headers = response!.headers();
    expect(headers['content-security-policy']).toContain("script-src 'self'");
    expect(headers['content-security-policy']).toContain(`connect-src 'self' ${p.apiForBrowser}`);
    expect(headers['referrer-policy']).toBe('no-referrer');
    expect(await page.title()).toContain('Connexion');
    expect(await page.locator('html').getAttribute('lang')).toBe('fr');
    await p.expectAccessible(page);
    await p.screenshots(page, 'connexion');

    await fill(page, { 'N° de Sécurité Sociale': member.nir, 'Mot de passe (6 chiffres)': member.initialCode });
    await page.getByRole('button', { name: 'Se connecter', exact: true }).click();
    await page.waitForURL('**/premiere-connexion');
    await expect(page.getByRole('status').textContent()).resolves.toContain('Première connexion');
    // The NIR and the code just typed are carried over; only the new code is left to choose.
    expect(await page.getByLabel('N° de Sécurité Sociale', { exact: true }).inputValue()).toBe(member.nir);
    await p.expectAccessible(page);

    // A weak code is refused before anything is sent: the summary takes the focus, the field says why.
    await fill(page, {
      'Nouveau mot de passe (6 chiffres)': '123456',
      'Confirmation nouveau mot de passe (6 chiffres)': '123456',
    });
    await page.getByRole('button', { name: 'Valider' }).click();
    const summary = page.locator('.error-summary');
    await summary.waitFor();
    expect(await page.evaluate('document.activeElement.className')).toBe('error-summary');
    expect(
      await page.getByLabel('Nouveau mot de passe (6 chiffres)', { exact: true }).getAttribute('aria-invalid'),
    ).toBe('true');
    await p.expectAccessible(page);
    await p.screenshots(page, 'premiere-connexion-erreur');

    await fill(page, {
      'Nouveau mot de passe (6 chiffres)': PERSONAL,
      'Confirmation nouveau mot de passe (6 chiffres)': PERSONAL,
    });
    await page.getByRole('button', { name: 'Valider' }).click();
    await page.waitForURL('**/connexion');
    await expect(page.getByRole('status').textContent()).resolves.toContain('Votre modification a été prise en compte');

    await fill(page, { 'Mot de passe (6 chiffres)': PERSONAL });
    await page.getByRole('button', { name: 'Se connecter', exact: true }).click();
    // The statement's code never replaces the mailbox: this new browser proves it with the mailed code.
    await page.waitForURL('**/connexion/verification');
    await p.expectAccessible(page);
    await fill(page, { 'Code reçu par mail (6 chiffres)': await mailedDeviceCode(p, member.email) });
    await page.getByRole('button', { name: 'Valider' }).click();
    await page.waitForURL('**/cgu');
    await p.expectAccessible(page);
    await p.screenshots(page, 'cgu');
    // The terms in force, dated, and one action that accepts them.
    await page.getByText(/conditions générales d’utilisation en vigueur au \d/).waitFor();
    await page.getByRole('button', { name: 'J’accepte les conditions générales d’utilisation' }).click();

    await page.waitForURL('**/mon-espace');
    await page.getByText('Bonjour Claire Dubois').waitFor();
    expect(await page.locator('dl').textContent()).toContain('** ** *** ***');
    await p.expectAccessible(page);
    await p.screenshots(page, 'mon-espace');
    // The access token lives in memory only.
    expect(await page.evaluate('JSON.stringify({ ...localStorage, ...sessionStorage })')).not.toMatch(/eyJ/);
    await context.close();
  });
});
