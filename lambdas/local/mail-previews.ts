import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { chromium } from 'playwright-core';
import type { Language } from '../domain/language.ts';
import { renderMail } from '../domain/mail-layout.ts';
import {
  codeChangedMail,
  codeSignInRestoredMail,
  deviceCodeMail,
  lockNoticeMail,
  type MailContent,
  newDeviceMail,
  passkeyMail,
  resetMail,
} from '../domain/mail-templates.ts';
import type { Member } from '../domain/member.ts';
import { LOCAL_DIR, localEnvironment, supportContactOf } from '../runtime/local-environment.ts';

/**
 * `npm run mails`: every mail members get, in French and English, as the local stack renders them
 * (the demo contact of `npm start`), written to `.local/mails/` as HTML, plain text and a PNG of the
 * HTML in Debian's Chromium (`CHROMIUM_PATH` to use another) — to look at them without sending any.
 */
const SAMPLE = { firstName: 'Claire', lastName: 'Dubois' } as Member;
const PORTAL = 'https://espace-adherent.mutuelle.example';
const AT = Date.UTC(2026, 11, 8, 13, 32);

const MAILS: Record<string, (language: Language) => MailContent> = {
  'code-change': (l) => codeChangedMail(l, PORTAL, []),
  'code-change-after-recovery': (l) => codeChangedMail(l, PORTAL, ['Téléphone de Claire']),
  reset: (l) => resetMail(l, `${PORTAL}/mot-de-passe/reinitialiser#token=exemple-de-jeton`, 30),
  'device-code': (l) => deviceCodeMail(l, '482915', 10),
  'new-device': (l) => newDeviceMail(l, 'Chrome · Android', AT),
  'passkey-added': (l) => passkeyMail(l, 'ADDED', 'Téléphone de Claire', AT),
  'passkey-removed': (l) => passkeyMail(l, 'REMOVED', 'Téléphone de Claire', AT),
  'code-sign-in-restored': (l) => codeSignInRestoredMail(l),
  'lock-notice': (l) => lockNoticeMail(l, `${PORTAL}/mot-de-passe/oublie`, AT + 15 * 60_000),
};

const out = join(LOCAL_DIR, 'mails');
await mkdir(out, { recursive: true });
const support = supportContactOf(localEnvironment());
const browser = await chromium.launch({ executablePath: process.env['CHROMIUM_PATH'] ?? '/usr/bin/chromium' });
const page = await browser.newPage({ viewport: { width: 640, height: 480 } });
for (const [name, content] of Object.entries(MAILS)) {
  for (const language of ['fr', 'en'] as const) {
    const mail = renderMail(SAMPLE, language, content(language), support);
    const base = join(out, `${name}.${language}`);
    await writeFile(`${base}.html`, mail.html);
    await writeFile(`${base}.txt`, `Subject: ${mail.subject}\n\n${mail.text}`);
    await page.setContent(mail.html);
    await page.screenshot({ path: `${base}.png`, fullPage: true });
  }
}
await browser.close();
console.log(`${Object.keys(MAILS).length * 2} mails written to ${out} (HTML, text, PNG)`);
