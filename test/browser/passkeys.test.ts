import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { BrowserContext, CDPSession, Page } from 'playwright-core';
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

/**
 * Chromium's virtual authenticator (DevTools Protocol): a platform authenticator with resident keys
 * and user verification, answering every ceremony of the page as a member's phone would.
 */
async function virtualAuthenticator(context: BrowserContext, page: Page): Promise<CDPSession> {
  const cdp = await context.newCDPSession(page);
  await cdp.send('WebAuthn.enable', { enableUI: false });
  const { authenticatorId } = await cdp.send('WebAuthn.addVirtualAuthenticator', {
    options: {
      protocol: 'ctap2',
      transport: 'internal',
      hasResidentKey: true,
      hasUserVerification: true,
      isUserVerified: true,
      automaticPresenceSimulation: true,
    },
  });
  expect(authenticatorId).toBeTruthy();
  return cdp;
}

const PIXEL =
  'Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0 Mobile Safari/537.36';

async function signOut(page: Page): Promise<void> {
  await page.getByRole('button', { name: 'Se déconnecter', exact: true }).click();
  await page.waitForURL(/\/connexion$/);
}

describe('passkeys in a browser (virtual authenticator)', () => {
  it('enrols after a code sign-in, signs in with the button and from the autofill, goes passkey-only, recovers with a reset link that removes the passkey, enrols again and deletes it', async () => {
    const member = await memberReadyToSignIn(p);
    const context = await p.newContext();
    const page = await p.newPage(context);
    await virtualAuthenticator(context, page);
    await signIn(p, page, member);

    // Offered on Mon espace after a sign-in with the code; enrolled from there.
    await page.getByRole('heading', { name: 'Connectez-vous plus simplement' }).waitFor();
    await page.getByRole('link', { name: /Mes clés d’accès/ }).click();
    await page.waitForURL('**/mon-espace/cles-d-acces');
    await p.expectAccessible(page);
    await fill(page, { 'Nom de la clé d’accès': 'Téléphone de test' });
    await page.getByRole('button', { name: 'Créer une clé d’accès' }).click();
    await page.getByRole('status').filter({ hasText: 'Votre clé d’accès est créée' }).waitFor();
    const listed = await page.locator('.security-list li').first().textContent();
    expect(listed).toContain('Téléphone de test');
    expect(listed).toContain('Créée le');
    expect(listed).toContain('sur un seul appareil');
    await p.expectAccessible(page);
    await p.screenshots(page, 'cles-d-acces');
    // The Sécurité page lists it beside the sessions and devices (issue 19, N3).
    await page.goto(`${p.portal}/mon-espace/securite`);
    await page.getByRole('heading', { name: 'Mes clés d’accès' }).waitFor();
    expect(await page.locator('.security-list').last().textContent()).toContain('Téléphone de test');
    await p.expectAccessible(page);

    // From the NIR field's autofill (conditional mediation): the sign-in page asks as it opens, and
    // the virtual authenticator answers the autofill request as a member picking their passkey would.
    const requests: string[] = [];
    page.on('request', (r) => requests.push(new URL(r.url()).pathname));
    await signOut(page);
    expect(await page.getByLabel(LABELS.nir, { exact: true }).getAttribute('autocomplete')).toBe('username webauthn');
    await page.waitForURL('**/mon-espace');
    await page.getByText(/^Bonjour /).waitFor();
    expect(requests).toContain('/v1/passkeys/authenticate');
    expect(requests).not.toContain('/v1/login');

    // With the button, in a browser without passkey autofill (as some still are): reloaded so that
    // the page knows, then signed out.
    await page.addInitScript(() => {
      // biome-ignore lint/suspicious/noExplicitAny: the page's own PublicKeyCredential, in the browser.
      (globalThis as any).PublicKeyCredential.isConditionalMediationAvailable = async () => false;
    });
    await page.goto(`${p.portal}/mon-espace`);
    await page.getByText(/^Bonjour /).waitFor();
    await signOut(page);
    await page.getByRole('button', { name: 'Se connecter avec une clé d’accès' }).click();
    await page.waitForURL('**/mon-espace');
    await page.getByText(/^Bonjour /).waitFor();

    // Passkey only: the right code is refused like a wrong one.
    await page.getByRole('link', { name: /Mes clés d’accès/ }).click();
    await page
      .getByLabel('Ne plus accepter mon mot de passe : me connecter uniquement avec une clé d’accès', { exact: true })
      .check();
    await page.getByRole('button', { name: 'Enregistrer ce choix' }).click();
    await page.getByRole('status').filter({ hasText: 'Votre mot de passe n’ouvre plus votre espace' }).waitFor();
    await signOut(page);
    // Another browser, without the passkey: the right code is refused like a wrong one.
    const elsewhere = await p.newContext();
    const other = await p.newPage(elsewhere);
    await other.goto(`${p.portal}/connexion`);
    await fill(other, { [LABELS.nir]: member.nir, [LABELS.code]: member.personalCode });
    await other.getByRole('button', { name: 'Se connecter', exact: true }).click();
    await other.locator('.error-summary').filter({ hasText: 'incorrect' }).waitFor();

    // Recovery: a reset link turns code sign-in back on.
    await other.goto(`${p.portal}/mot-de-passe/oublie`);
    await fill(other, { [LABELS.nir]: member.nir });
    await other.getByRole('button', { name: 'Demander un nouveau mot de passe' }).click();
    await other.getByRole('status').waitFor();
    let link: string | undefined;
    for (let i = 0; i < 50 && !link; i++) {
      link = (await mailTo(p.api.sesEndpoint, member.email))
        .map((m) => /(http\S+#token=[\w-]{43})/.exec(m.body.text)?.[1])
        .find(Boolean);
      if (!link) await new Promise((r) => setTimeout(r, 100));
    }
    await other.goto(link!);
    await fill(other, { [LABELS.nir]: member.nir, [LABELS.newCode]: '740386', [LABELS.confirm]: '740386' });
    await other.getByRole('button', { name: 'Enregistrer mon mot de passe' }).click();
    await other.waitForURL(/\/connexion$/);
    await fill(other, { [LABELS.code]: '740386' });
    await other.getByRole('button', { name: 'Se connecter', exact: true }).click();
    await other.waitForURL('**/connexion/verification');
    await fill(other, { [LABELS.deviceCode]: await mailedDeviceCode(p, member.email) });
    await other.getByRole('button', { name: 'Valider' }).click();
    await other.waitForURL('**/mon-espace');
    const mails = await mailTo(p.api.sesEndpoint, member.email);
    expect(mails.map((m) => m.subject)).toContain(
      'La connexion par mot de passe est réactivée sur votre espace adhérent',
    );
    // The recovery removed every passkey — an intruder's would not survive it — and the notice names them.
    expect(mails.some((m) => m.body.text.includes('« Téléphone de test »'))).toBe(true);
    await other.getByRole('link', { name: /Mes clés d’accès/ }).click();
    await other.getByText('Vous n’avez pas encore de clé d’accès.').waitFor();
    await elsewhere.close();

    // Back on the phone: a new browser again (the reset forgot every device); enrol again, then delete.
    await signIn(p, page, { ...member, personalCode: '740386' });
    await page.getByRole('link', { name: /Mes clés d’accès/ }).click();
    await fill(page, { 'Nom de la clé d’accès': 'Téléphone de test' });
    await page.getByRole('button', { name: 'Créer une clé d’accès' }).click();
    await page.getByRole('status').filter({ hasText: 'Votre clé d’accès est créée' }).waitFor();
    await page.getByRole('button', { name: 'Supprimer la clé d’accès « Téléphone de test »' }).click();
    await page.getByRole('button', { name: 'Oui, supprimer' }).click();
    await page.getByRole('status').filter({ hasText: 'La clé d’accès a été supprimée' }).waitFor();
    await page.getByText('Vous n’avez pas encore de clé d’accès.').waitFor();
    await context.close();
  });

  it('« Mes clés d’accès » on a phone: one primary action, renaming folded away, a delete that asks first, no second key offered on this device, a key without a name named after the device', async () => {
    const member = await memberReadyToSignIn(p);
    const context = await p.newContext({ width: 390, height: 844 }, PIXEL);
    const page = await p.newPage(context);
    await virtualAuthenticator(context, page);
    await signIn(p, page, member);
    await page.goto(`${p.portal}/mon-espace/cles-d-acces`);
    await page.getByRole('button', { name: 'Créer une clé d’accès' }).click();
    await page.getByRole('status').filter({ hasText: 'Votre clé d’accès est créée' }).waitFor();
    const card = page.locator('.security-list li').first();
    // Named after the browser and system it was made on; marked as this device's.
    expect(await card.locator('.security-name').textContent()).toBe('Chrome · Android — cet appareil (c’est moi)');
    // This device has its key: no second one is offered here.
    expect(await page.getByRole('button', { name: 'Créer une clé d’accès' }).count()).toBe(0);
    await page.getByText('Cet appareil a déjà une clé d’accès').waitFor();
    // One primary button on the page (« Enregistrer ce choix »); the rename form is folded away.
    expect(await page.locator('button.button:not(.button-secondary):not(.button-danger)').count()).toBe(1);
    const rename = page.getByLabel('Nouveau nom', { exact: true });
    expect(await rename.isVisible()).toBe(false);
    await p.expectAccessible(page);
    await p.screenshots(page, 'cles-d-acces-telephone');

    // Renamed from the fold, with the keyboard.
    await page.getByText('Renommer « Chrome · Android »').click();
    await rename.fill('Mon téléphone');
    await rename.press('Enter');
    await page.getByRole('status').filter({ hasText: 'La clé d’accès a été renommée' }).waitFor();

    // Deleting asks first; « Annuler » leaves it; « Oui, supprimer » deletes it.
    await page.getByRole('button', { name: 'Supprimer la clé d’accès « Mon téléphone »' }).click();
    await page.getByText('Supprimer la clé d’accès « Mon téléphone » ?').waitFor();
    await p.expectAccessible(page);
    await page.getByRole('button', { name: 'Annuler' }).click();
    expect(await page.locator('.security-list li').count()).toBe(1);
    await page.getByRole('button', { name: 'Supprimer la clé d’accès « Mon téléphone »' }).click();
    await page.getByRole('button', { name: 'Oui, supprimer' }).click();
    await page.getByRole('status').filter({ hasText: 'La clé d’accès a été supprimée' }).waitFor();
    // Gone from here: creating one is offered again.
    await page.getByRole('button', { name: 'Créer une clé d’accès' }).waitFor();
    await context.close();
  });
});
