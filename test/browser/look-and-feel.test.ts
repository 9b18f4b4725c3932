import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { Page } from 'playwright-core';
import { fill, LABELS, memberReadyToSignIn, type PortalUnderTest, startPortalUnderTest } from '../support/browser.ts';

let p: PortalUnderTest;
beforeAll(async () => {
  p = await startPortalUnderTest();
});
afterAll(async () => {
  await p?.stop();
});

const box = async (page: Page, selector: string) => (await page.locator(selector).first().boundingBox())!;

describe('the sign-in page as a member sees it', () => {
  it('on a phone: the primary action full width and filled, the passkey button outlined, both fields the same width, the eye inside the code field', async () => {
    const context = await p.newContext({ width: 390, height: 844 });
    const page = await p.newPage(context);
    await page.goto(`${p.portal}/connexion`);
    await page.getByRole('button', { name: 'Se connecter', exact: true }).waitFor();
    const form = await box(page, 'main form');
    const submit = await box(page, 'main form button[type="submit"]');
    expect(Math.abs(submit.width - form.width)).toBeLessThanOrEqual(1);
    const background = async (selector: string) =>
      (await page.locator(selector).count()) === 0
        ? undefined
        : // biome-ignore lint/suspicious/noExplicitAny: the page's own getComputedStyle, in the browser.
          page.locator(selector).evaluate((element) => (globalThis as any).getComputedStyle(element).backgroundColor);
    const primary = await background('main form button[type="submit"]');
    const passkey = await background('.passkey-sign-in .button');
    // The primary is the brand's colour; the passkey button (when offered) is white, outlined.
    expect(primary).toBe('rgb(31, 78, 121)');
    if (passkey) expect(passkey).toBe('rgb(255, 255, 255)');
    const nir = await box(page, `input[name="nir"]`);
    const code = await box(page, `input[name="code"]`);
    expect(code.width).toBeCloseTo(nir.width, 0);
    const eye = await box(page, '.toggle');
    expect(eye.x).toBeGreaterThanOrEqual(code.x);
    expect(eye.x + eye.width).toBeLessThanOrEqual(code.x + code.width);
    expect(eye.y).toBeGreaterThanOrEqual(code.y);
    expect(eye.y + eye.height).toBeLessThanOrEqual(code.y + code.height);
    // The eye is still a button of its own, named after its field, and the typed code is not under it.
    await page.getByRole('button', { name: 'Afficher le mot de passe « Mot de passe (6 chiffres) »' }).waitFor();
    await p.expectAccessible(page);
    await context.close();
  });

  it('on a desktop: the content a centred card, the header and footer on the same column as the page, not at the window’s edges', async () => {
    const context = await p.newContext({ width: 1280, height: 800 });
    const page = await p.newPage(context);
    await page.goto(`${p.portal}/connexion`);
    await page.getByRole('button', { name: 'Se connecter', exact: true }).waitFor();
    const main = await box(page, 'main');
    expect(Math.abs(main.x - (1280 - main.x - main.width))).toBeLessThanOrEqual(1);
    expect(main.width).toBeLessThanOrEqual(41 * 16);
    const brand = await box(page, '.brand');
    const footer = await box(page, '#footer-text');
    // A 60 rem column: 160 px from each edge at 1280 px.
    expect(brand.x).toBeCloseTo(160, -1);
    expect(footer.x).toBeCloseTo(160, -1);
    await p.expectAccessible(page);
    await p.screenshots(page, 'connexion');
    await context.close();
  });

  it('a form being sent says so: its button busy and disabled until the answer, one request for two clicks', async () => {
    const member = await memberReadyToSignIn(p);
    const context = await p.newContext();
    const page = await p.newPage(context);
    let release: () => void = () => undefined;
    const held = new Promise<void>((resolve) => {
      release = resolve;
    });
    let requests = 0;
    await page.route('**/v1/login', async (route) => {
      requests++;
      await held;
      await route.continue();
    });
    await page.goto(`${p.portal}/connexion`);
    await fill(page, { [LABELS.nir]: member.nir, [LABELS.code]: member.personalCode });
    const submit = page.getByRole('button', { name: 'Se connecter', exact: true });
    await submit.click();
    await page.locator('button[aria-busy="true"]').waitFor();
    expect(await submit.isDisabled()).toBe(true);
    await submit.click({ force: true });
    release();
    await page.waitForURL(/\/(mon-espace|connexion\/verification)$/);
    expect(requests).toBe(1);
    await context.close();
  });
});

describe('what a browser and a search engine expect of a sign-in page', () => {
  it('a meta description, and text files compressed for browsers that take it', async () => {
    const page = await (await p.newContext()).newPage();
    await page.goto(`${p.portal}/connexion`);
    const description = await page.locator('meta[name="description"]').getAttribute('content');
    expect(description).toMatch(/espace adhérent.*numéro de sécurité sociale/);
    for (const path of ['/app.js', '/portal.css', '/connexion']) {
      const brotli = await fetch(`${p.portal}${path}`, { headers: { 'Accept-Encoding': 'br' } });
      expect(brotli.headers.get('content-encoding')).toBe('br');
      expect(brotli.headers.get('vary')).toBe('Accept-Encoding');
      const gzip = await fetch(`${p.portal}${path}`, { headers: { 'Accept-Encoding': 'gzip' } });
      expect(gzip.headers.get('content-encoding')).toBe('gzip');
      const plain = await fetch(`${p.portal}${path}`, { headers: { 'Accept-Encoding': 'identity' } });
      expect(plain.headers.get('content-encoding')).toBeNull();
      // Decompressed by fetch: the same bytes.
      expect(await brotli.text()).toBe(await plain.text());
    }
    await page.context().close();
  });

  it('the back/forward cache keeps the sign-in page, passkey autofill and all, and the page asks again on return', async () => {
    const context = await p.newContext();
    const page = await p.newPage(context);
    // A browser with a platform authenticator: the page's passkey autofill request is pending.
    const cdp = await context.newCDPSession(page);
    await cdp.send('WebAuthn.enable', { enableUI: false });
    await cdp.send('WebAuthn.addVirtualAuthenticator', {
      options: { protocol: 'ctap2', transport: 'internal', hasResidentKey: true, hasUserVerification: true },
    });
    let autofillRequests = 0;
    page.on('request', (r) => {
      if (r.url().endsWith('/v1/passkeys/authenticate/options')) autofillRequests++;
    });
    await page.goto(`${p.portal}/connexion`);
    await page.getByRole('button', { name: 'Se connecter', exact: true }).waitFor();
    await page.evaluate(() => {
      // biome-ignore lint/suspicious/noExplicitAny: a mark on the page's own window.
      (globalThis as any).keptInCache = true;
    });
    await page.goto(`${p.portal}/aide`);
    await page.getByRole('heading', { level: 1 }).waitFor();
    // Restored from the cache: no load event, the page as it was.
    await page.goBack({ waitUntil: 'commit' });
    await page.getByRole('button', { name: 'Se connecter', exact: true }).waitFor();
    // biome-ignore lint/suspicious/noExplicitAny: the mark, read back.
    expect(await page.evaluate(() => (globalThis as any).keptInCache)).toBe(true);
    // Asked once on the first visit, once again on return.
    for (let i = 0; i < 50 && autofillRequests < 2; i++) await page.waitForTimeout(100);
    expect(autofillRequests).toBe(2);
    await context.close();
  });
});
