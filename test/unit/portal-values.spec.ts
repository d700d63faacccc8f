import { translator } from '../../src/portal/i18n/index.js';
import { localizedParams } from '../../src/portal/i18n/values.js';
import { titleOf } from '../../src/common/errors/catalogue.js';

describe("the API's error values in the reader's words on the portal", () => {
  const sentence = (locale: 'en' | 'fr' | 'ru', code: string, params: Record<string, string>) => {
    const t = translator(locale);
    return titleOf(code, locale, 'error', localizedParams(code, params, t));
  };

  it('names statuses and transitions in English, French and Russian, fitting the sentence', () => {
    expect(sentence('en', 'application.invalid_transition', { status: 'accepted', transition: 'waitlist' })).toBe('An application in status accepted cannot be put on the waiting list');
    expect(sentence('fr', 'application.invalid_transition', { status: 'accepted', transition: 'accept' })).toBe("Une candidature au statut acceptée ne permet pas l'acceptation");
    expect(sentence('ru', 'placement.invalid_transition', { status: 'declined', transition: 'cancel' })).toBe('Размещение в статусе отклонено не допускает отмену');
  });

  it("takes a status of another resource where the error says so, and leaves an unknown value as it is", () => {
    expect(sentence('fr', 'placement.application_not_placeable', { status: 'draft' })).toContain('brouillon');
    expect(sentence('en', 'placement.family_not_vetted', { status: 'vetting_expired' })).toContain('vetting expired');
    expect(localizedParams('application.invalid_transition', { status: 'unheard-of', transition: 'fly' }, translator('en'))).toEqual({ status: 'unheard-of', transition: 'fly' });
  });
});
