import type { Text } from '../common/errors/define-errors.js';
import type { Locale } from '../users/user.entity.js';

/**
 * The reasons and warnings of matching, in the three languages of the product. `{name}`
 * is replaced by the value of that name; lists of languages and diets are written the way
 * each language writes a list.
 */
export const MATCHING_TEXTS = {
  sharedLanguages: { en: 'speaks {languages}, the student’s language', fr: 'parle {languages}, langue de l’étudiant', ru: 'говорит на языке студента: {languages}' },
  noSharedLanguage: { en: 'speaks none of the student’s languages ({languages})', fr: 'ne parle aucune des langues de l’étudiant ({languages})', ru: 'не говорит ни на одном из языков студента ({languages})' },
  studentGaveNoLanguage: { en: 'the student gave no languages', fr: 'l’étudiant n’a indiqué aucune langue', ru: 'студент не указал языков' },
  programmeLanguageSpoken: { en: 'speaks {language} at home, the programme’s language', fr: 'parle {language} à la maison, langue du programme', ru: 'дома говорят на языке программы: {language}' },
  programmeLanguageNotSpoken: { en: 'does not speak {language}, the programme’s language', fr: 'ne parle pas {language}, langue du programme', ru: 'не говорит на языке программы: {language}' },
  noProgrammeLanguage: { en: 'the programme requires no language', fr: 'le programme n’exige aucune langue', ru: 'программа не требует знания языка' },
  noDietNeeded: { en: 'no special diet needed', fr: 'aucun régime particulier', ru: 'особая диета не нужна' },
  dietsCatered: { en: 'caters for {diets}', fr: 'prévoit les régimes : {diets}', ru: 'учитывает диету: {diets}' },
  dietsNotCatered: { en: 'does not cater for {diets}', fr: 'ne prévoit pas les régimes : {diets}', ru: 'не учитывает диету: {diets}' },
  noSmoking: { en: 'no smoking household', fr: 'foyer non-fumeur', ru: 'в доме не курят' },
  smokingLikeStudent: { en: 'smoking household, as the student smokes', fr: 'foyer fumeur, comme l’étudiant', ru: 'в доме курят, как и студент' },
  smokingStudentDoesNot: { en: 'smoking household, the student does not smoke', fr: 'foyer fumeur, l’étudiant ne fume pas', ru: 'в доме курят, а студент не курит' },
  commute: { en: '{minutes} min to the institution', fr: '{minutes} min jusqu’à l’établissement', ru: '{minutes} мин до учебного заведения' },
  commuteUnknown: { en: 'commute to the institution unknown', fr: 'trajet jusqu’à l’établissement inconnu', ru: 'время в пути до учебного заведения неизвестно' },
  vettingExpiresBeforeStay: { en: 'vetting expires on {date}, before the stay starts: renew it before', fr: 'la vérification expire le {date}, avant le début du séjour : la renouveler avant', ru: 'проверка истекает {date}, до начала пребывания: продлите её заранее' },
  vettingExpiresDuringStay: { en: 'vetting expires on {date}, during the stay: renew it before', fr: 'la vérification expire le {date}, pendant le séjour : la renouveler avant', ru: 'проверка истекает {date}, во время пребывания: продлите её заранее' },
  ageUnknown: { en: 'date of birth unknown: treated as a minor', fr: 'date de naissance inconnue : traité comme mineur', ru: 'дата рождения неизвестна: считается несовершеннолетним' },
  otherAllergies: { en: 'allergies to tell the family about: {allergies}', fr: 'allergies à signaler à la famille : {allergies}', ru: 'аллергии, о которых нужно сообщить семье: {allergies}' },
  lastBed: { en: 'the last free bed on some days of the stay', fr: 'le dernier lit libre certains jours du séjour', ru: 'последнее свободное место в некоторые дни пребывания' },
} as const satisfies Record<string, Text>;

export type MatchingText = keyof typeof MATCHING_TEXTS;

const displayNames = new Map<Locale, Intl.DisplayNames>();

/** `fr` → French / français / французский. */
export function languageName(code: string, locale: Locale): string {
  let names = displayNames.get(locale);
  if (!names) displayNames.set(locale, (names = new Intl.DisplayNames([locale], { type: 'language' })));
  return names.of(code) ?? code;
}

const listFormats = new Map<Locale, Intl.ListFormat>();

/** `a, b and c` / `a, b et c` / `a, b и c`. */
export function listOf(items: readonly string[], locale: Locale): string {
  let format = listFormats.get(locale);
  if (!format) listFormats.set(locale, (format = new Intl.ListFormat([locale], { type: 'conjunction' })));
  return format.format(items);
}

export function say(text: MatchingText, locale: Locale, params: Record<string, string | number> = {}): string {
  return MATCHING_TEXTS[text][locale].replace(/\{(\w+)\}/g, (whole, name: string) => (name in params ? String(params[name]) : whole));
}
