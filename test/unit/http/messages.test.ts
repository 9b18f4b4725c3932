import { describe, expect, it } from '@jest/globals';
import { message, negotiateLanguage } from '../../../lambdas/http/messages.ts';

describe('language negotiation', () => {
  it.each([
    [undefined, 'fr'],
    ['', 'fr'],
    ['en', 'en'],
    ['en-GB,en;q=0.9', 'en'],
    ['fr-FR,fr;q=0.9,en;q=0.8', 'fr'],
    ['de-DE,en;q=0.5', 'en'],
    ['de-DE', 'fr'],
    ['en;q=0.3,fr;q=0.7', 'fr'],
  ])('%p → %s', (header, language) => {
    expect(negotiateLanguage(header)).toBe(language);
  });

  it('addresses the member as « vous » (the guide’s first person stays in its quotes), and keeps the guide’s confirmation', () => {
    expect(message('INVALID_NIR', 'fr')).toContain('Vérifiez que vous l’avez saisi correctement');
    expect(message('INVALID_CODE_FORMAT', 'fr')).toContain('Vérifiez que vous en avez saisi 6');
    expect(message('CODE_CHANGED', 'fr')).toBe(
      'Votre modification a été prise en compte. Vous pouvez vous connecter avec votre nouveau mot de passe.',
    );
  });
});
