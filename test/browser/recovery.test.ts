import { mkdtemp, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { Page } from 'playwright-core';
import { DEMO_TERMS } from '../../lambdas/local/demo-data.ts';
import { mailTo } from '../support/api-under-test.ts';
import {
  fill,
  LABELS,
  mailedDeviceCode,
  memberReadyToSignIn,
  type PortalUnderTest,
  startPortalUnderTest,
} from '../support/browser.ts';
import { addMember } from '../support/members.ts';
import { runOps } from '../support/run-ops.ts';

let p: PortalUnderTest;
beforeAll(async () => {
  p = await startPortalUnderTest();
});
afterAll(async () => {
  await p?.stop();
});

const drainJobs = () => p.api.jobs.drain();

/** « Vous avez oublié votre code d’accès… » for this NIR, and the worker's job done (a mail, or a letter queued). */
async function askForANewCode(page: Page, nir: string): Promise<void> {
  await page.goto(`${p.portal}/mot-de-passe/oublie`);
  await fill(page, { [LABELS.nir]: nir });
  await page.getByRole('button', { name: 'Demander un nouveau mot de passe' }).click();
  await page.getByRole('status').waitFor();
  await drainJobs();
}

describe('a forgotten code, in a browser', () => {
  it('by email: the mail’s link opens the reset page, the token leaves the address bar, the new code signs in', async () => {
    const member = await addMember(p.api, { initialCode: '469135' });
    const context = await p.newContext();
    const page = await p.newPage(context);
    await page.goto(`${p.portal}/connexion`);
    await page.getByRole('link', { name: 'Vous avez oublié votre code d’accès ou vous souhaitez l’obtenir ?' }).click();
    await page.waitForURL('**/mot-de-passe/oublie');
    await p.expectAccessible(page);
    await p.screenshots(page, 'mot-de-passe-oublie');
    await fill(page, { [LABELS.nir]: member.nir });
    await page.getByRole('button', { name: 'Demander un nouveau mot de passe' }).click();
    await expect(page.getByRole('status').textContent()).resolves.toContain('Votre demande a été prise en compte');
    await p.expectAccessible(page);
    await drainJobs();

    const [mail] = (await mailTo(p.api.sesEndpoint, member.email)).filter((m) => m.subject.includes('initialisation'));
    const link = /(http\S+#token=[\w-]+)/.exec(mail!.body.text)![1]!;
    expect(link.startsWith(`${p.portal}/mot-de-passe/reinitialiser#token=`)).toBe(true);
    await page.goto(link);
    await page.getByRole('heading', { name: 'Créer mon mot de passe personnalisé' }).waitFor();
    expect(page.url()).toBe(`${p.portal}/mot-de-passe/reinitialiser`);
    await p.expectAccessible(page);
    await p.screenshots(page, 'reinitialiser');
    await fill(page, { [LABELS.nir]: member.nir, [LABELS.newCode]: '740386', [LABELS.confirm]: '740386' });
    await page.getByRole('button', { name: 'Enregistrer mon mot de passe' }).click();
    await page.waitForURL('**/connexion');
    await expect(page.getByRole('status').textContent()).resolves.toContain('Votre modification a été prise en compte');

    await fill(page, { [LABELS.code]: '740386' });
    await page.getByRole('button', { name: 'Se connecter', exact: true }).click();
    // A reset trusts no browser: this one proves the mailbox with the code mailed now.
    await page.waitForURL('**/connexion/verification');
    await fill(page, { [LABELS.deviceCode]: await mailedDeviceCode(p, member.email) });
    await page.getByRole('button', { name: 'Valider' }).click();
    await page.waitForURL('**/cgu');
    await context.close();
  });

  it('one trip to the mailbox: the reset link trusts the browser it was used in when asked, and the next sign-in mails no code', async () => {
    const member = await memberReadyToSignIn(p);
    const context = await p.newContext();
    const page = await p.newPage(context);
    await askForANewCode(page, member.nir);
    const link = /https?:\/\/\S+#token=[\w-]+/.exec(
      (await mailTo(p.api.sesEndpoint, member.email)).filter((m) => m.subject.includes('initialisation')).at(-1)!.body
        .text,
    )![0];
    await page.goto(link);
    await fill(page, { [LABELS.nir]: member.nir, [LABELS.newCode]: '740386', [LABELS.confirm]: '740386' });
    const remember = page.getByLabel(LABELS.remember, { exact: true });
    expect(await remember.isChecked()).toBe(false);
    await remember.check();
    await p.expectAccessible(page);
    await page.getByRole('button', { name: 'Enregistrer mon mot de passe' }).click();
    await page.waitForURL('**/connexion');
    const mailsBefore = (await mailTo(p.api.sesEndpoint, member.email)).length;
    await fill(page, { [LABELS.code]: '740386' });
    await page.getByRole('button', { name: 'Se connecter', exact: true }).click();
    await page.waitForURL('**/mon-espace');
    // No verification code was mailed: the link was the one trip to the mailbox.
    const mails = await mailTo(p.api.sesEndpoint, member.email);
    expect(mails.slice(mailsBefore).filter((m) => /vérification/i.test(m.subject))).toEqual([]);
    await context.close();
  });

  it('by letter: the exported temporary code opens the code-change form, then the new code signs in', async () => {
    const member = await addMember(p.api, { initialCode: '469135', email: '' });
    const context = await p.newContext();
    const page = await p.newPage(context);
    await askForANewCode(page, member.nir);
    const out = await mkdtemp(join(tmpdir(), 'letters-browser-'));
    const exported = await runOps(p.api.env, 'export-letters', '--out', out);
    expect(exported.code).toBe(0);
    const csv = await readFile(/(\S+\.csv)/.exec(exported.stdout)![1]!, 'utf8');
    const temporaryCode = csv.trim().split('\r\n')[1]!.split(',')[8]!;

    await page.goto(`${p.portal}/connexion`);
    await fill(page, { [LABELS.nir]: member.nir, [LABELS.code]: temporaryCode });
    await page.getByRole('button', { name: 'Se connecter', exact: true }).click();
    await page.waitForURL('**/premiere-connexion');
    await fill(page, { [LABELS.newCode]: '740386', [LABELS.confirm]: '740386' });
    await page.getByRole('button', { name: 'Valider' }).click();
    await page.waitForURL('**/connexion');
    await fill(page, { [LABELS.code]: '740386' });
    await page.getByRole('button', { name: 'Se connecter', exact: true }).click();
    await page.waitForURL('**/cgu');
    await page.getByRole('button', { name: 'J’accepte les conditions générales d’utilisation' }).click();
    await page.waitForURL('**/mon-espace');
    await page.getByText('non — en cas d’oubli').waitFor();
    await context.close();
  });

  it('a used link says so on arrival, before any field is filled, and offers a new one', async () => {
    const member = await addMember(p.api, { initialCode: '469135' });
    const context = await p.newContext();
    const page = await p.newPage(context);
    await askForANewCode(page, member.nir);
    const [mail] = (await mailTo(p.api.sesEndpoint, member.email)).filter((m) => m.subject.includes('initialisation'));
    const link = /(http\S+#token=[\w-]+)/.exec(mail!.body.text)![1]!;
    // A good link: the form, and until when it works.
    await page.goto(link);
    await page.getByText(/^Ce lien est valable jusqu’à \d{1,2} h \d{2}\.$/).waitFor();
    await fill(page, { [LABELS.nir]: member.nir, [LABELS.newCode]: '740386', [LABELS.confirm]: '740386' });
    await page.getByRole('button', { name: 'Enregistrer mon mot de passe' }).click();
    await page.waitForURL('**/connexion');
    // The same link again (the mail opened a second time): said dead at once, no form.
    await page.goto(link);
    await page.getByText('Ce lien n’est plus valide').waitFor();
    expect(await page.getByLabel(LABELS.nir, { exact: true }).count()).toBe(0);
    await p.expectAccessible(page);
    await p.screenshots(page, 'lien-deja-utilise');
    await page.getByRole('link', { name: 'Demander un nouveau lien' }).click();
    await page.waitForURL('**/mot-de-passe/oublie');
    await context.close();
  });

  it('an incomplete link says so and leads to a new request', async () => {
    const context = await p.newContext();
    const page = await p.newPage(context);
    await page.goto(`${p.portal}/mot-de-passe/reinitialiser`);
    await page.getByText('Ce lien est incomplet').waitFor();
    await p.expectAccessible(page);
    await context.close();
  });
});

describe('help', () => {
  it('the seed’s troubleshooting is a page', async () => {
    const context = await p.newContext();
    const page = await p.newPage(context);
    await page.goto(`${p.portal}/connexion`);
    await page.getByRole('link', { name: 'Aide' }).click();
    await page
      .getByRole('heading', { name: 'J’ai personnalisé mon mot de passe mais la connexion ne fonctionne pas' })
      .waitFor();
    await p.expectAccessible(page);
    await p.screenshots(page, 'aide');
    await context.close();
  });

  it('the example terms npm start publishes open as a page of the portal, not as its “page not found”', async () => {
    const context = await p.newContext();
    const page = await p.newPage(context);
    await page.goto(`${p.portal}${new URL(DEMO_TERMS.url).pathname}`);
    await page.getByRole('heading', { name: /Conditions générales d’utilisation — version 2026-01/ }).waitFor();
    expect(await page.locator('main').textContent()).toContain('3.5 Le Membre du personnel');
    await p.expectAccessible(page);
    await context.close();
  });
});
