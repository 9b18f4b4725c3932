import { describe, expect, it } from '@jest/globals';
import {
  codeChangedMail,
  codeSignInRestoredMail,
  deviceCodeMail,
  lockNoticeMail,
  newDeviceMail,
  passkeyMail,
  resetMail,
} from '../../lambdas/domain/mail-templates.ts';
import { MESSAGES } from '../../lambdas/http/messages.ts';
import { DICTIONARIES } from '../../portal/src/texts.ts';

/** Every French string members read, by where it comes from (docs/content-style.md). */
function frenchTexts(): Array<[string, string]> {
  const mails = [
    codeChangedMail('fr', 'https://portal.example', ['Téléphone']),
    resetMail('fr', 'https://portal.example/#token=x', 30),
    deviceCodeMail('fr', '123456', 10),
    newDeviceMail('fr', 'Firefox · Linux', 0),
    passkeyMail('fr', 'ADDED', 'Téléphone', 0),
    passkeyMail('fr', 'REMOVED', 'Téléphone', 0),
    codeSignInRestoredMail('fr'),
    lockNoticeMail('fr', 'https://portal.example/mot-de-passe/oublie', 0),
  ];
  return [
    ...Object.entries(DICTIONARIES.fr).map(([key, text]): [string, string] => [`portal ${key}`, text]),
    ...Object.entries(MESSAGES).map(([key, texts]): [string, string] => [`API ${key}`, texts.fr]),
    ...mails.flatMap((mail) =>
      [mail.subject, ...mail.paragraphs, ...(mail.after ?? [])].map((text): [string, string] => [
        `mail « ${mail.subject} »`,
        text,
      ]),
    ),
  ];
}

/** The guide's own link text, the one place « code d’accès » is said. */
const GUIDE_LINK = /Vous avez oublié votre code d’accès/;

describe('the French members read (docs/content-style.md)', () => {
  it('uses the typographic apostrophe, never a straight one', () => {
    expect(frenchTexts().filter(([, text]) => text.includes("'"))).toEqual([]);
  });

  it('says « mail », never « e-mail » or « courriel »', () => {
    expect(frenchTexts().filter(([, text]) => /e-mail|courriel/i.test(text))).toEqual([]);
  });

  it('names the credential « mot de passe »: « code d’accès » only in the guide’s own link text', () => {
    expect(
      frenchTexts().filter(([, text]) => /code d[’']accès/i.test(text.replace(new RegExp(GUIDE_LINK, 'g'), ''))),
    ).toEqual([]);
  });

  it('never points to « Mot de passe oublié », a label that appears nowhere', () => {
    expect(frenchTexts().filter(([, text]) => /Mot de passe oublié/.test(text))).toEqual([]);
  });

  it('writes plurals out: no « (s) »', () => {
    expect(frenchTexts().filter(([, text]) => /\w\(s\)/.test(text))).toEqual([]);
  });
});
