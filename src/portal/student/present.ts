/** How the student's pages word what the services answer: counts of days, language names, status badges. */
import type { ApplicationStatus } from '../../applications/application.entity.js';
import type { ProgramView } from '../../programs/dto/program.dto.js';
import type { Locale } from '../../users/user.entity.js';
import type { Translate } from '../i18n/index.js';

const DAY_MS = 86_400_000;

/** "Window closing in 3 days", in the reader's language and plural form ("less than a day" on the last day). */
export function closingIn(t: Translate, locale: Locale, closesAt: string, now = new Date()): string {
  const left = new Date(closesAt).getTime() - now.getTime();
  if (left <= 0) return t('student.window.closed');
  if (left < DAY_MS) return t('student.window.closesToday');
  const days = Math.floor(left / DAY_MS);
  const form = new Intl.PluralRules(locale).select(days);
  return t(`student.window.closesIn.${form === 'one' || form === 'few' || form === 'many' ? form : 'other'}`, { n: days });
}

/** A language's name in the reader's language (`fr` → "French", "français", "французский"); the code when unknown. */
export function languageName(locale: Locale, code: string): string {
  try {
    return new Intl.DisplayNames([locale], { type: 'language' }).of(code) ?? code;
  } catch {
    return code;
  }
}

/** The languages offered in the language selects (the student's own are added when missing). */
export const LANGUAGE_CHOICES = ['en', 'fr', 'de', 'ru', 'es', 'it', 'pt', 'pl', 'uk', 'nl', 'tr', 'ar', 'zh', 'ja'] as const;

export function languageOptions(locale: Locale, extra: readonly string[] = []): { code: string; name: string }[] {
  const codes = [...new Set([...LANGUAGE_CHOICES, ...extra.filter((code) => /^[a-z]{2}$/.test(code))])];
  return codes.map((code) => ({ code, name: languageName(locale, code) })).sort((a, b) => a.name.localeCompare(b.name, locale));
}

/** The badge of a status: its words always, the colour only beside them. */
export function statusTone(status: ApplicationStatus): 'ok' | 'bad' | 'warn' | '' {
  if (['accepted', 'confirmed', 'arrived', 'completed'].includes(status)) return 'ok';
  if (['rejected', 'withdrawn', 'declined', 'cancelled'].includes(status)) return 'bad';
  if (status === 'waitlisted') return 'warn';
  return '';
}

/** A programme's language requirement in words ("French, B1 or above"), or null. */
export function requirementOf(t: Translate, locale: Locale, program: Pick<ProgramView, 'languageRequirement'>): string | null {
  const requirement = program.languageRequirement;
  return requirement ? t('student.program.requirement', { language: languageName(locale, requirement.language), level: requirement.minLevel }) : null;
}

/** The path of a notification's link on this site (the link itself starts with PUBLIC_URL, which may name another host than the one the reader came by). */
export function pathOf(link: string): string {
  try {
    const url = new URL(link);
    return url.pathname.startsWith('/portal/') ? url.pathname + url.search : '/';
  } catch {
    return '/';
  }
}
