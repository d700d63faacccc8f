import { resolveLocale } from '../../src/common/http/locale.js';

describe('resolveLocale', () => {
  it.each([
    ['fr-FR,fr;q=0.9,en;q=0.8', null, 'fr'],
    ['de-DE,ru;q=0.5,en;q=0.4', null, 'ru'],
    ['en;q=0.1, fr;q=0.9', null, 'fr'],
    ['de, it', 'ru', 'ru'],
    [undefined, 'fr', 'fr'],
    [undefined, null, 'en'],
    ['*', null, 'en'],
    ['fr;q=0', 'ru', 'ru'],
  ] as const)('Accept-Language %p with user locale %p gives %p', (header, user, expected) => {
    expect(resolveLocale(header, user)).toBe(expected);
  });
});
