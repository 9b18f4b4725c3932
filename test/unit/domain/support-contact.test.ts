import { describe, expect, it } from '@jest/globals';
import { supportSentence, telHref } from '../../../lambdas/domain/support-contact.ts';
import { domainWorld, SOURCE } from '../../support/domain-world.ts';

describe('the customer-service contact', () => {
  it('dials a French number in international form, and keeps an international one', () => {
    expect(telHref('09 69 32 10 00')).toBe('tel:+33969321000');
    expect(telHref('01.23.45.67.89')).toBe('tel:+33123456789');
    expect(telHref('+33 9 69 32 10 00')).toBe('tel:+33969321000');
  });

  it('is one sentence at a mail’s foot, in the member’s language, and nothing when none is configured', () => {
    const support = { phone: '09 69 32 10 00', hours: 'du lundi au vendredi, de 9 h à 18 h' };
    expect(supportSentence(support, 'fr')).toBe(
      'Service clients : 09 69 32 10 00 (du lundi au vendredi, de 9 h à 18 h).',
    );
    expect(supportSentence({ url: 'https://mutuelle.example/contact' }, 'en')).toBe(
      'Customer service: https://mutuelle.example/contact.',
    );
    expect(supportSentence({}, 'fr')).toBe('');
  });

  it('ends every mail a member gets, as configured (no number written in code)', async () => {
    const w = await domainWorld();
    const { nir, initialCode } = await w.addMember();
    await w.codeChange.change(
      { nir, currentCode: initialCode, newCode: '583927', newCodeConfirmation: '583927' },
      SOURCE,
    );
    const notice = w.mailer.sent.at(-1)!;
    expect(notice.text).toContain('Service clients : 09 69 32 10 00 (du lundi au vendredi, de 9 h à 18 h).');
    expect(notice.html).toContain('09 69 32 10 00');
  });
});
