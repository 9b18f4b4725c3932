import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { Request } from 'playwright-core';
import { memberReadyToSignIn, type PortalUnderTest, signIn, startPortalUnderTest } from '../support/browser.ts';
import { runOps } from '../support/run-ops.ts';

let p: PortalUnderTest;
beforeAll(async () => {
  p = await startPortalUnderTest();
});
afterAll(async () => {
  await p?.stop();
});

const refreshes = (requests: Request[]) => requests.filter((r) => r.url().endsWith('/v1/session/refresh'));

describe('sessions in a browser', () => {
  it('a reload keeps the member signed in: the refresh cookie brings a new access token', async () => {
    const member = await memberReadyToSignIn(p);
    const context = await p.newContext();
    const page = await p.newPage(context);
    await signIn(p, page, member);

    await page.reload();
    await page.getByText('Bonjour Claire Dubois').waitFor();
    // The refresh token is in an HttpOnly cookie: no script of the page can read it.
    expect(await page.evaluate('document.cookie')).toBe('');
    const cookies = await context.cookies(`${p.apiForBrowser}/v1/session/refresh`);
    expect(cookies.find((c) => c.name === '__Secure-mp_refresh')).toMatchObject({
      httpOnly: true,
      secure: true,
      sameSite: 'Strict',
      path: '/v1/session',
    });
    // And the trusted-device cookie the sign-in set, as closed to scripts.
    expect(cookies.find((c) => c.name === '__Secure-mp_device')).toMatchObject({
      httpOnly: true,
      secure: true,
      sameSite: 'Strict',
      path: '/v1',
    });
    await context.close();
  });

  it('the access token is refreshed silently before it expires', async () => {
    const member = await memberReadyToSignIn(p);
    const context = await p.newContext();
    const page = await p.newPage(context);
    await page.clock.install();
    await signIn(p, page, member);
    const requests: Request[] = [];
    page.on('request', (r) => requests.push(r));

    await page.clock.runFor(15 * 60_000);
    await page.waitForResponse((r) => r.url().endsWith('/v1/session/refresh') && r.status() === 200);
    expect(refreshes(requests)).toHaveLength(1);
    await page.getByText('Bonjour Claire Dubois').waitFor();
    await context.close();
  });

  it('a session ended elsewhere (customer service signed the member out): the next refresh says so plainly', async () => {
    const member = await memberReadyToSignIn(p);
    const context = await p.newContext();
    const page = await p.newPage(context);
    await page.clock.install();
    await signIn(p, page, member);
    expect((await runOps(p.api.env, 'sign-out', '--nir', member.nir)).code).toBe(0);

    await page.clock.runFor(15 * 60_000);
    await page.getByRole('heading', { name: 'Session expirée' }).waitFor();
    await p.expectAccessible(page);
    await p.screenshots(page, 'session-expiree');
    await context.close();
  });

  it('two tabs refreshing at once stay signed in (one refresh at a time across tabs)', async () => {
    const member = await memberReadyToSignIn(p);
    const context = await p.newContext();
    const first = await p.newPage(context);
    await signIn(p, first, member);
    const second = await p.newPage(context);

    // Both tabs open Mon espace at the same moment: each needs a token from the same cookie.
    await Promise.all([first.goto(`${p.portal}/mon-espace`), second.goto(`${p.portal}/mon-espace`)]);
    await Promise.all([first, second].map((page) => page.getByText('Bonjour Claire Dubois').waitFor()));
    await first.reload();
    await first.getByText('Bonjour Claire Dubois').waitFor();
    await context.close();
  });

  it('signing out in one tab signs out the other, and the session is over on the server', async () => {
    const member = await memberReadyToSignIn(p);
    const context = await p.newContext();
    const first = await p.newPage(context);
    await signIn(p, first, member);
    const second = await p.newPage(context);
    await second.goto(`${p.portal}/mon-espace`);
    await second.getByText('Bonjour Claire Dubois').waitFor();

    await first.getByRole('button', { name: 'Se déconnecter', exact: true }).click();
    await first.waitForURL('**/connexion');
    await second.waitForURL('**/connexion');
    await second.goto(`${p.portal}/mon-espace`);
    await second.waitForURL('**/connexion');
    await context.close();
  });

  it('signed in, the header offers Mon espace and Se déconnecter; the portal’s address opens Mon espace in a new tab; signing out says so', async () => {
    const member = await memberReadyToSignIn(p);
    const context = await p.newContext();
    const page = await p.newPage(context);
    await page.goto(`${p.portal}/connexion`);
    const header = page.locator('header');
    expect(await header.getByRole('link', { name: 'Mon espace' }).isVisible()).toBe(false);
    await signIn(p, page, member);
    await header.getByRole('link', { name: 'Mon espace' }).waitFor();
    // The address on file, masked: where a reset link would go.
    await page
      .getByText(/^c•••@example\.org$|^[a-z]•••@/)
      .first()
      .waitFor();
    await p.expectAccessible(page);
    await p.screenshots(page, 'mon-espace');

    const other = await p.newPage(context);
    await other.goto(`${p.portal}/`);
    await other.waitForURL('**/mon-espace');
    await other.getByText('Bonjour Claire Dubois').waitFor();

    await header.getByRole('button', { name: 'Se déconnecter', exact: true }).click();
    await page.waitForURL('**/connexion');
    await page.getByRole('status').filter({ hasText: 'Vous êtes déconnecté(e).' }).waitFor();
    expect(await header.getByRole('button', { name: 'Se déconnecter', exact: true }).isVisible()).toBe(false);
    await context.close();
  });
});
