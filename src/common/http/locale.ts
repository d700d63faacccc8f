import { LOCALES, type Locale } from '../../users/user.entity.js';

/** Accept-Language first (by q-value), then the user's saved locale, then English. */
export function resolveLocale(acceptLanguage: string | undefined, userLocale?: Locale | null): Locale {
  if (acceptLanguage) {
    const ranked = acceptLanguage
      .split(',')
      .map((part, index) => {
        const [tag, ...attrs] = part.trim().split(';');
        const q = attrs.map((a) => a.trim()).find((a) => a.startsWith('q='));
        const weight = q ? Number(q.slice(2)) : 1;
        return { lang: tag.trim().toLowerCase().split('-')[0], weight: Number.isFinite(weight) ? weight : 0, index };
      })
      .filter((entry) => entry.weight > 0)
      .sort((a, b) => b.weight - a.weight || a.index - b.index);
    const match = ranked.find((entry) => (LOCALES as readonly string[]).includes(entry.lang));
    if (match) return match.lang as Locale;
  }
  return userLocale ?? 'en';
}
