import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { mailTo } from '../support/api-under-test.ts';
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

describe('« Renvoyer le code »', () => {
  it('offered after 30 seconds: a new code is mailed and the previous one stops working; a wrong code says the tries left', async () => {
    const member = await memberReadyToSignIn(p);
    const context = await p.newContext();
    // The page's clock, not the test's: 30 seconds pass at once.
    await context.clock.install();
    const page = await p.newPage(context);
    await page.goto(`${p.portal}/connexion`);
    await fill(page, { [LABELS.nir]: member.nir, [LABELS.code]: member.personalCode });
    await page.getByRole('button', { name: 'Se connecter', exact: true }).click();
    await page.waitForURL('**/connexion/verification');
    const mailsBefore = (await mailTo(p.api.sesEndpoint, member.email)).length;
    const first = await mailedDeviceCode(p, member.email);
    const resend = page.getByRole('button', { name: 'Renvoyer le code' });
    expect(await resend.isDisabled()).toBe(true);
    await page.getByText('Vous pourrez demander un nouveau code dans 30 secondes').waitFor();
    await p.expectAccessible(page);
    await page.clock.runFor(31_000);
    await page.getByText('ou demandez un nouveau code').waitFor();
    await resend.click();
    await page.getByRole('status').filter({ hasText: 'Un nouveau code vous a été envoyé' }).waitFor();
    // Not twice in a row: 30 seconds again.
    expect(await resend.isDisabled()).toBe(true);
    for (let i = 0; i < 50 && (await mailTo(p.api.sesEndpoint, member.email)).length === mailsBefore; i++) {
      await new Promise((r) => setTimeout(r, 100));
    }
    const second = await mailedDeviceCode(p, member.email);

    const codeField = page.getByLabel(LABELS.deviceCode, { exact: true });
    if (first !== second) {
      await codeField.fill(first);
      await page.getByRole('button', { name: 'Valider' }).click();
      await page.locator('.error-summary').filter({ hasText: 'Il vous reste 2 essais' }).waitFor();
      await p.expectAccessible(page);
    }
    await codeField.fill(second);
    await page.getByRole('button', { name: 'Valider' }).click();
    await page.waitForURL('**/mon-espace');
    await context.close();
  });
});

describe('the Sécurité page', () => {
  it('one card per device with its sign-ins and its network, never a raw address; ends another sign-in and forgets a device', async () => {
    const member = await memberReadyToSignIn(p);
    const context = await p.newContext();
    const page = await p.newPage(context);
    await signIn(p, page, member);
    await page.getByRole('link', { name: 'Sécurité : mes appareils et mes connexions' }).click();
    await page.waitForURL('**/mon-espace/securite');
    await page.getByRole('heading', { name: 'Mes appareils et mes connexions' }).waitFor();
    // Two trusted devices (the one set up through the API, and this browser), each with its sign-in:
    // two cards, not four; this one first.
    const cards = page.locator('.device-cards > li');
    expect(await cards.count()).toBe(2);
    const mine = cards.first();
    expect(await mine.locator('.security-name').textContent()).toContain('cet appareil (c’est moi)');
    expect(await mine.textContent()).toContain('Connexion en cours (celle-ci)');
    expect(await mine.textContent()).toContain('Appareil de confiance depuis le');
    // The tests' browser comes from this computer: said so, without « 127.0.0.1 » or « ::1 ».
    const text = (await page.locator('main').textContent()) ?? '';
    expect(text).toContain('depuis cet ordinateur');
    expect(text).not.toMatch(/127\.0\.0\.1|::1|Adresse IP/);
    await p.expectAccessible(page);
    await p.screenshots(page, 'securite');

    const other = cards.filter({ hasNotText: 'c’est moi' });
    await other.getByRole('button', { name: /^Déconnecter — / }).click();
    await page.getByRole('status').filter({ hasText: 'La connexion a été fermée' }).waitFor();
    // The device stays, without its sign-in.
    expect(await cards.count()).toBe(2);
    await cards.filter({ hasNotText: 'c’est moi' }).getByText('Aucune connexion ouverte').waitFor();
    // The ended sign-in's token is refused at once.
    const me = await p.api.call('GET', '/v1/me', {
      headers: { Authorization: `Bearer ${member.session.json.accessToken}` },
    });
    expect(me.status).toBe(401);

    await cards
      .filter({ hasNotText: 'c’est moi' })
      .getByRole('button', { name: /^Oublier cet appareil/ })
      .click();
    await page.getByRole('status').filter({ hasText: 'L’appareil a été oublié' }).waitFor();
    expect(await cards.count()).toBe(1);
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
    // The other browser's card is gone with its device (the revocation forgets the other devices too).
    expect(await page.locator('.device-cards > li').count()).toBe(1);
    // The other browser, opened again, has no session any more: the sign-in page.
    await other.goto(`${p.portal}/mon-espace`);
    await other.waitForURL(/\/connexion$/);
    await page.goto(`${p.portal}/mon-espace`);
    await page.getByText(/^Bonjour /).waitFor();
    await here.close();
    await there.close();
  });
});
