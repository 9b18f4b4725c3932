import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import {
  fill,
  LABELS,
  mailedDeviceCode,
  memberReadyToSignIn,
  type PortalUnderTest,
  signIn,
  startPortalUnderTest,
} from '../support/browser.ts';

let p: PortalUnderTest;
beforeAll(async () => {
  p = await startPortalUnderTest();
});
afterAll(async () => {
  await p?.stop();
});

/** A member who chose a code, signing in from a new browser: the page of the mailed code. */
async function atDeviceStep() {
  const member = await memberReadyToSignIn(p);
  const context = await p.newContext();
  const page = await p.newPage(context);
  await page.goto(`${p.portal}/connexion`);
  await fill(page, { [LABELS.nir]: member.nir, [LABELS.code]: member.personalCode });
  await page.getByRole('button', { name: 'Se connecter', exact: true }).click();
  await page.waitForURL('**/connexion/verification');
  return { member, context, page };
}

describe('new-device verification in a browser', () => {
  it('a new browser proves the mailbox: a wrong code is shown on the field, the right one signs in and the browser is remembered', async () => {
    const { member, context, page } = await atDeviceStep();
    await page.getByRole('heading', { name: 'Vérification de votre appareil' }).waitFor();
    await page.getByRole('status').filter({ hasText: 'nouvel appareil' }).waitFor();
    const codeField = page.getByLabel(LABELS.deviceCode, { exact: true });
    // A one-time code: filled by the phone's autofill from the mail, pasted, digits keyboard.
    expect(await codeField.getAttribute('autocomplete')).toBe('one-time-code');
    expect(await codeField.getAttribute('inputmode')).toBe('numeric');
    // Unticked: a member on a shared computer does not leave it trusted by not reading.
    expect(await page.getByLabel(LABELS.remember, { exact: true }).isChecked()).toBe(false);
    await p.expectAccessible(page);
    await p.screenshots(page, 'verification-appareil');

    const code = await mailedDeviceCode(p, member.email);
    await codeField.fill(code === '000000' ? '000001' : '000000');
    await page.getByRole('button', { name: 'Valider' }).click();
    await page.locator('.error-summary').waitFor();
    expect(await codeField.getAttribute('aria-invalid')).toBe('true');
    await p.expectAccessible(page);

    await codeField.fill(code);
    await page.getByLabel(LABELS.remember, { exact: true }).check();
    await page.getByRole('button', { name: 'Valider' }).click();
    await page.waitForURL('**/mon-espace');
    await page.getByText(/^Bonjour /).waitFor();

    // Signed out and in again from this browser: no code by mail this time.
    await page.getByRole('button', { name: 'Se déconnecter', exact: true }).click();
    await page.waitForURL('**/connexion');
    await fill(page, { [LABELS.nir]: member.nir, [LABELS.code]: member.personalCode });
    await page.getByRole('button', { name: 'Se connecter', exact: true }).click();
    await page.waitForURL('**/mon-espace');
    await context.close();
  });

  it('three wrong codes end the verification: back to the sign-in page, which says why', async () => {
    const { member, context, page } = await atDeviceStep();
    const code = await mailedDeviceCode(p, member.email);
    const wrong = code === '000000' ? '000001' : '000000';
    for (let i = 0; i < 4; i++) {
      await fill(page, { [LABELS.deviceCode]: wrong });
      await page.getByRole('button', { name: 'Valider' }).click();
      if (i < 3) await page.locator('.error-summary').waitFor();
    }
    await page.waitForURL(/\/connexion$/);
    await page.getByRole('status').filter({ hasText: 'n’est plus valable' }).waitFor();
    await context.close();
  });
});

describe('the Sécurité page', () => {
  it('lists the sign-ins and trusted devices, ends another sign-in and forgets a device', async () => {
    const member = await memberReadyToSignIn(p);
    const context = await p.newContext();
    const page = await p.newPage(context);
    await signIn(p, page, member);
    await page.getByRole('link', { name: 'Sécurité : mes appareils et mes connexions' }).click();
    await page.waitForURL('**/mon-espace/securite');
    await page.getByRole('heading', { name: 'Mes connexions en cours' }).waitFor();
    const sessions = page.locator('.security-list').first().locator('li');
    // This browser, and the sign-in made through the API while the member was set up.
    expect(await sessions.count()).toBe(2);
    expect(await sessions.first().textContent()).toContain('cet appareil (c’est moi)');
    expect(await sessions.first().textContent()).toContain('Adresse IP');
    await p.expectAccessible(page);
    await p.screenshots(page, 'securite');

    await page.getByRole('button', { name: /^Déconnecter — / }).click();
    await page.getByRole('status').filter({ hasText: 'La connexion a été fermée' }).waitFor();
    expect(await page.locator('.security-list').first().locator('li').count()).toBe(1);
    // The ended sign-in's token is refused at once.
    const me = await p.api.call('GET', '/v1/me', {
      headers: { Authorization: `Bearer ${member.session.json.accessToken}` },
    });
    expect(me.status).toBe(401);

    // Two trusted devices: the one the member set up through the API, and this browser (marked).
    const devices = page.locator('.security-list').nth(1).locator('li');
    expect(await devices.count()).toBe(2);
    const other = devices.filter({ hasNotText: 'c’est moi' });
    await other.getByRole('button', { name: /^Oublier cet appareil/ }).click();
    await page.getByRole('status').filter({ hasText: 'L’appareil a été oublié' }).waitFor();
    expect(await page.locator('.security-list').nth(1).locator('li').count()).toBe(1);
    await p.expectAccessible(page);
    // Signing out is at hand here too.
    await page.getByRole('button', { name: 'Se déconnecter', exact: true }).click();
    await page.waitForURL(/\/connexion$/);
    await context.close();
  });

  it('"se déconnecter partout ailleurs" ends the other browser’s session and keeps this one', async () => {
    const member = await memberReadyToSignIn(p);
    const [here, there] = [await p.newContext(), await p.newContext()];
    const [page, other] = [await p.newPage(here), await p.newPage(there)];
    await signIn(p, page, member);
    await signIn(p, other, member);
    await page.goto(`${p.portal}/mon-espace/securite`);
    await page.getByRole('button', { name: 'Se déconnecter partout ailleurs' }).click();
    await page.getByRole('status').filter({ hasText: 'autres connexions ont été fermées' }).waitFor();
    expect(await page.locator('.security-list').first().locator('li').count()).toBe(1);
    // The other browser, opened again, has no session any more: the sign-in page.
    await other.goto(`${p.portal}/mon-espace`);
    await other.waitForURL(/\/connexion$/);
    await page.goto(`${p.portal}/mon-espace`);
    await page.getByText(/^Bonjour /).waitFor();
    await here.close();
    await there.close();
  });
});
