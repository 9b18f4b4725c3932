import { describe, expect, it } from '@jest/globals';
import { renderMail } from '../../../lambdas/domain/mail-layout.ts';
import { resetMail } from '../../../lambdas/domain/mail-templates.ts';
import type { Member } from '../../../lambdas/domain/member.ts';

const member = { firstName: 'Claire', lastName: 'Dubois' } as Member;
const LINK = 'https://portal.example/mot-de-passe/reinitialiser#token=abc';

describe('one layout for every mail', () => {
  it('a link is a button with what it does, the address beneath it, and the same words in the text part', () => {
    const mail = renderMail(member, 'fr', resetMail('fr', LINK, 30), { phone: '09 69 32 10 00' });
    expect(mail.html).toContain(`<a href="${LINK}"`);
    expect(mail.html).toContain('>Créer mon nouveau mot de passe</a>');
    expect(mail.html).toContain(`Ou ouvrez cette adresse : ${LINK}`);
    expect(mail.html).toContain('lang="fr"');
    expect(mail.text).toContain(`Créer mon nouveau mot de passe :\n${LINK}`);
    for (const part of [mail.html, mail.text]) expect(part).toContain('Service clients : 09 69 32 10 00.');
  });

  it('escapes what it did not write (a member’s name)', () => {
    const mail = renderMail({ firstName: '<b>', lastName: 'O’Neil' } as Member, 'en', resetMail('en', LINK, 30));
    expect(mail.html).toContain('Hello &lt;b&gt; O’Neil,');
    expect(mail.html).not.toContain('<b>');
  });
});
