import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import {
  fill,
  LABELS,
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

describe('"Changer mon mot de passe" in Mon espace', () => {
  it('a signed-in member changes the code from Mon espace and stays signed in; the new code signs in, keyboard only', async () => {
    const member = await memberReadyToSignIn(p);
    const context = await p.newContext();
    const page = await p.newPage(context);
    await signIn(p, page, member);

    await page.getByRole('link', { name: 'Changer mon mot de passe' }).click();
    await page.getByRole('heading', { name: 'Changer mon mot de passe' }).waitFor();
    await p.expectAccessible(page);
    await page.getByLabel(LABELS.current, { exact: true }).focus();
    await page.keyboard.type('000001');
    await page.keyboard.press('Tab');
    await page.keyboard.press('Tab');
    await fill(page, { [LABELS.newCode]: '917263', [LABELS.confirm]: '917263' });
    await page.getByLabel(LABELS.confirm, { exact: true }).press('Enter');
    // A wrong current code: said in the summary, and the form stays.
    await page
      .locator('.error-summary')
      .filter({ hasText: /incorrect/i })
      .waitFor();
    await p.expectAccessible(page);

    await fill(page, { [LABELS.current]: member.personalCode });
    await page.getByRole('button', { name: 'Changer mon mot de passe' }).click();
    await page.waitForURL('**/mon-espace');
    await page.getByRole('status').filter({ hasText: 'Votre mot de passe a été changé.' }).waitFor();
    await p.screenshots(page, 'mot-de-passe-change');
    // Still signed in after a reload: the session lives on, bound to the new code.
    await page.reload();
    await page.getByText('Bonjour Claire Dubois').waitFor();

    // The new code signs in from this browser, still trusted: no mailed code.
    const signOut = page.getByRole('button', { name: 'Se déconnecter', exact: true });
    await signOut.click();
    await page.waitForURL('**/connexion');
    await fill(page, { [LABELS.nir]: member.nir, [LABELS.code]: '917263' });
    await page.getByRole('button', { name: 'Se connecter', exact: true }).click();
    await page.waitForURL('**/mon-espace');
    await context.close();
  });

  it('a weak new code is refused on the page before anything is sent', async () => {
    const member = await memberReadyToSignIn(p);
    const context = await p.newContext({ width: 1280, height: 800 });
    const page = await p.newPage(context);
    await signIn(p, page, member);
    await page.goto(`${p.portal}/mon-espace/mot-de-passe`);
    const sent: string[] = [];
    page.on('request', (r) => {
      if (r.url().endsWith('/v1/me/code')) sent.push(r.url());
    });
    await fill(page, { [LABELS.current]: member.personalCode, [LABELS.newCode]: '123456', [LABELS.confirm]: '123456' });
    await page.getByRole('button', { name: 'Changer mon mot de passe' }).click();
    await page
      .locator('.error-summary')
      .filter({ hasText: /trop facile/ })
      .waitFor();
    expect(sent).toEqual([]);
    await p.expectAccessible(page);
    await p.screenshots(page, 'mot-de-passe-trop-facile');
    await context.close();
  });
});
