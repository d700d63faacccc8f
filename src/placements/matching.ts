import type { Application, Gender } from '../applications/application.entity.js';
import { yearsBetween, type CalendarDate } from '../common/calendar.js';
import type { HostFamily } from '../host-families/host-family.entity.js';
import { isVetted, singular } from '../host-families/host-family.rules.js';
import type { Locale } from '../users/user.entity.js';
import { languageName, listOf, say } from './matching.texts.js';
import type { Stay } from './occupancy.js';

/**
 * Matching a student with host families (SPEC section 5), pure: the hard rules that keep a
 * family out, and the soft criteria that score the others 0–100 with one reason each.
 * The hard rules are also written in SQL (placements.repository.ts) so that matching
 * filters among tens of thousands of families in the database; placements check them here
 * for the one family proposed.
 */

/** What matching reads of the student: its matching profile, gender and age at the start of the stay. */
export interface StudentProfile {
  languages: string[];
  diet: string[];
  allergies: string[];
  smoker: boolean;
  gender: Gender | null;
  /** under 18 on the first day of the stay; true when the date of birth is unknown (safeguarding first) */
  minor: boolean;
  ageKnown: boolean;
}

export const ADULT_AGE = 18;

export function studentProfileOf(application: Pick<Application, 'matchingProfile' | 'gender' | 'dateOfBirth'>, stayStartsOn: CalendarDate): StudentProfile {
  const profile = application.matchingProfile;
  const ageKnown = application.dateOfBirth !== null;
  return {
    languages: profile?.languages ?? [],
    diet: (profile?.diet ?? []).map((d) => d.trim().toLowerCase()).filter(Boolean),
    allergies: (profile?.allergies ?? []).map((a) => a.trim()).filter(Boolean),
    smoker: profile?.smoker ?? false,
    gender: application.gender,
    minor: !ageKnown || yearsBetween(application.dateOfBirth!, stayStartsOn) < ADULT_AGE,
    ageKnown,
  };
}

/** Allergies that rule out any pet. */
const ANY_PET = new Set(['pet', 'animal', 'animal dander', 'pet dander', 'dander', 'fur', 'animal hair', 'pet hair']);
/** Pets a family may keep without naming them: an allergy to one of these rules out a family with pets of no stated type. */
export const KNOWN_PETS = new Set(['cat', 'dog', 'rabbit', 'bird', 'parrot', 'hamster', 'guinea pig', 'mouse', 'rat', 'gerbil', 'ferret', 'horse', 'chinchilla']);

/** The student's allergies as pets are stored: lower-case, singular. */
export function allergensOf(student: Pick<StudentProfile, 'allergies'>): { allergens: string[]; anyPet: boolean; knownPet: boolean } {
  const allergens = [...new Set(student.allergies.map((a) => singular(a.toLowerCase())))];
  return { allergens, anyPet: allergens.some((a) => ANY_PET.has(a)), knownPet: allergens.some((a) => KNOWN_PETS.has(a)) };
}

export const HARD_RULES = ['vetted', 'availability', 'beds', 'pets', 'gender', 'minors'] as const;
export type HardRule = (typeof HARD_RULES)[number];

export type MatchableFamily = Pick<
  HostFamily,
  'status' | 'vettingExpiresOn' | 'capacity' | 'languages' | 'hasPets' | 'petTypes' | 'smokingHousehold' | 'dietsSupported' | 'acceptsMinors' | 'genderPreference' | 'availableFrom' | 'availableTo' | 'commuteMinutes'
>;

/**
 * The hard rules a family breaks for this student and stay, in HARD_RULES order: approved
 * with a valid vetting; availability covering the stay; a free bed on every day of it
 * (`peak`: the most beds its other live placements take on one day of the stay); no pets
 * the student is allergic to; its gender preference; minors only where accepted.
 */
export function hardRuleViolations(family: MatchableFamily, student: StudentProfile, stay: Stay, peak: number, today: CalendarDate): HardRule[] {
  const broken: HardRule[] = [];
  if (!isVetted(family, today)) broken.push('vetted');
  if (family.availableFrom > stay.startsOn || family.availableTo < stay.endsOn) broken.push('availability');
  if (peak >= family.capacity) broken.push('beds');
  if (family.hasPets) {
    const { allergens, anyPet, knownPet } = allergensOf(student);
    if (anyPet || family.petTypes.some((pet) => allergens.includes(pet)) || (family.petTypes.length === 0 && knownPet)) broken.push('pets');
  }
  if (family.genderPreference !== 'any' && family.genderPreference !== student.gender) broken.push('gender');
  if (student.minor && !family.acceptsMinors) broken.push('minors');
  return broken;
}

export const CRITERIA = ['languages', 'programme_language', 'diet', 'smoking', 'commute'] as const;
export type Criterion = (typeof CRITERIA)[number];

/** The most each criterion gives; they add up to 100. */
export const MAX_POINTS: Record<Criterion, number> = { languages: 25, programme_language: 25, diet: 20, smoking: 15, commute: 15 };

/** Commute: full points up to this many minutes, none from COMMUTE_NONE on, linear between. */
export const COMMUTE_FULL = 20;
export const COMMUTE_NONE = 60;

export interface CriterionScore {
  criterion: Criterion;
  points: number;
  maxPoints: number;
  reason: string;
}

export interface Match {
  score: number;
  criteria: CriterionScore[];
  reasons: string[];
  warnings: string[];
}

export interface MatchContext {
  programmeLanguage: string | null;
  stay: Stay;
  peak: number;
}

/** A text to write in the caller's language, once it is known to be shown. */
type Say = (locale: Locale) => string;

/** A match scored, its texts not written yet: ranking thousands of families writes only the shown ones. */
export interface Evaluation {
  score: number;
  criteria: (Omit<CriterionScore, 'reason'> & { say: Say })[];
  warnings: Say[];
}

const languageList = (codes: readonly string[], locale: Locale) => listOf(codes.map((c) => languageName(c, locale)), locale);

/**
 * The soft criteria: languages shared with the student, the programme's language spoken at
 * home, the student's diets catered for, smoking, commute. `score` is the sum of their
 * points, 0–100.
 */
export function evaluateMatch(family: MatchableFamily, student: StudentProfile, context: MatchContext): Evaluation {
  const criteria: Evaluation['criteria'] = [];
  // Points as `round(max × part / whole)`, multiplied first: the same integers as MATCH_SCORE computes in SQL (placements.repository.ts).
  const add = (criterion: Criterion, part: number, say: Say, whole = 1) =>
    criteria.push({ criterion, points: Math.round((MAX_POINTS[criterion] * part) / whole), maxPoints: MAX_POINTS[criterion], say });

  const shared = student.languages.filter((l) => family.languages.includes(l));
  if (!student.languages.length) add('languages', 0, (locale) => say('studentGaveNoLanguage', locale));
  else if (shared.length) add('languages', 1, (locale) => say('sharedLanguages', locale, { languages: languageList(shared, locale) }));
  else add('languages', 0, (locale) => say('noSharedLanguage', locale, { languages: languageList(student.languages, locale) }));

  const programmeLanguage = context.programmeLanguage;
  // Nothing to speak is a requirement met (as no diet is one catered for): the points add up to the score.
  if (!programmeLanguage) add('programme_language', 1, (locale) => say('noProgrammeLanguage', locale));
  else if (family.languages.includes(programmeLanguage)) add('programme_language', 1, (locale) => say('programmeLanguageSpoken', locale, { language: languageName(programmeLanguage, locale) }));
  else add('programme_language', 0, (locale) => say('programmeLanguageNotSpoken', locale, { language: languageName(programmeLanguage, locale) }));

  const missing = student.diet.filter((d) => !family.dietsSupported.includes(d));
  if (!student.diet.length) add('diet', 1, (locale) => say('noDietNeeded', locale));
  else if (!missing.length) add('diet', 1, (locale) => say('dietsCatered', locale, { diets: listOf(student.diet, locale) }));
  else add('diet', student.diet.length - missing.length, (locale) => say('dietsNotCatered', locale, { diets: listOf(missing, locale) }), student.diet.length);

  if (!family.smokingHousehold) add('smoking', 1, (locale) => say('noSmoking', locale));
  else if (student.smoker) add('smoking', 2, (locale) => say('smokingLikeStudent', locale), 3);
  else add('smoking', 0, (locale) => say('smokingStudentDoesNot', locale));

  const minutes = family.commuteMinutes;
  if (minutes === null) add('commute', 0, (locale) => say('commuteUnknown', locale));
  else add('commute', COMMUTE_NONE - Math.min(Math.max(minutes, COMMUTE_FULL), COMMUTE_NONE), (locale) => say('commute', locale, { minutes }), COMMUTE_NONE - COMMUTE_FULL);

  // The criteria's most points add up to 100: the score is their sum.
  const score = criteria.reduce((sum, c) => sum + c.points, 0);

  const warnings: Say[] = [];
  const expiresOn = family.vettingExpiresOn;
  if (expiresOn !== null && expiresOn <= context.stay.endsOn) {
    const when = expiresOn <= context.stay.startsOn ? 'vettingExpiresBeforeStay' : 'vettingExpiresDuringStay';
    warnings.push((locale) => say(when, locale, { date: expiresOn }));
  }
  if (!student.ageKnown) warnings.push((locale) => say('ageUnknown', locale));
  // Allergies to animals are the pets rule's; every other one is told, whatever else the student is allergic to.
  const other = student.allergies.filter((a) => {
    const word = singular(a.toLowerCase());
    return !ANY_PET.has(word) && !KNOWN_PETS.has(word) && !family.petTypes.includes(word);
  });
  if (other.length) warnings.push((locale) => say('otherAllergies', locale, { allergies: listOf(other, locale) }));
  if (family.capacity - context.peak === 1 && family.capacity > 1) warnings.push((locale) => say('lastBed', locale));

  return { score, criteria, warnings };
}

/** The evaluation with its reasons (one per criterion) and warnings written in `locale`. */
export function explainMatch(evaluation: Evaluation, locale: Locale): Match {
  const criteria = evaluation.criteria.map(({ say: write, ...criterion }) => ({ ...criterion, reason: write(locale) }));
  return { score: evaluation.score, criteria, reasons: criteria.map((c) => c.reason), warnings: evaluation.warnings.map((write) => write(locale)) };
}

/** The score of a family for this student, with one reason per criterion and the warnings, in `locale`. */
export function scoreMatch(family: MatchableFamily, student: StudentProfile, context: MatchContext & { locale: Locale }): Match {
  return explainMatch(evaluateMatch(family, student, context), context.locale);
}
