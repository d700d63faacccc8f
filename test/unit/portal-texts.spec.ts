import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { PORTAL_TEXTS_BY_AREA, portalTexts, translator } from '../../src/portal/i18n/index.js';

const placeholders = (text: string) => [...text.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();

function templates(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? templates(path) : path.endsWith('.eta') ? [path] : [];
  });
}

describe("the portal's labels", () => {
  it('every key has English, French and Russian, not empty, with the same placeholders', () => {
    for (const [key, text] of Object.entries(portalTexts)) {
      for (const locale of ['en', 'fr', 'ru'] as const) expect({ key, locale, text: text[locale]?.trim() || null }).toEqual({ key, locale, text: expect.any(String) });
      expect({ key, fr: placeholders(text.fr), ru: placeholders(text.ru) }).toEqual({ key, fr: placeholders(text.en), ru: placeholders(text.en) });
    }
  });

  it('no key is defined in two areas', () => {
    const seen = new Map<string, string>();
    for (const [area, texts] of Object.entries(PORTAL_TEXTS_BY_AREA)) {
      for (const key of Object.keys(texts)) {
        expect({ key, also: seen.get(key) ?? null }).toEqual({ key, also: null });
        seen.set(key, area);
      }
    }
  });

  it("every literal key a template asks for exists (t('…'))", () => {
    const missing: string[] = [];
    for (const file of templates(join(import.meta.dirname, '../../src/portal/views'))) {
      for (const [, key] of readFileSync(file, 'utf8').matchAll(/\bt\('([\w.]+)'\s*[,)]/g)) if (!portalTexts[key]) missing.push(`${file}: ${key}`);
    }
    expect(missing).toEqual([]);
  });

  it('fills placeholders and leaves unknown ones as written', () => {
    expect(translator('fr')('home.title', { name: 'Léa' })).toBe('Bienvenue, Léa');
    expect(translator('ru')('nav.signedInAs', {})).toBe('Вы вошли как {name}');
  });
});
