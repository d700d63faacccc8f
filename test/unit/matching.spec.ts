/**
 * Matching a student with host families, pure (src/placements/matching.ts): each soft
 * criterion's points and reason, the score over the criteria that apply, the reasons in
 * the three languages, the warnings; each hard rule on its own, at its boundaries; and the
 * student's profile as matching reads it from the application.
 */
import { CRITERIA, MAX_POINTS, hardRuleViolations, scoreMatch, studentProfileOf, type Criterion, type MatchableFamily, type StudentProfile } from '../../src/placements/matching.js';
import type { Stay } from '../../src/placements/occupancy.js';
import type { Locale } from '../../src/users/user.entity.js';

const STAY: Stay = { startsOn: '2027-09-01', endsOn: '2028-01-31' };
const TODAY = '2027-06-01';

/** Passes every hard rule and scores full marks on every criterion for `student()`. */
const family = (overrides: Partial<MatchableFamily> = {}): MatchableFamily => ({
  status: 'approved',
  vettingExpiresOn: '2028-06-01',
  capacity: 2,
  languages: ['fr', 'en'],
  hasPets: false,
  petTypes: [],
  smokingHousehold: false,
  dietsSupported: ['vegetarian'],
  acceptsMinors: true,
  genderPreference: 'any',
  availableFrom: '2027-08-01',
  availableTo: '2028-07-31',
  commuteMinutes: 20,
  ...overrides,
});

const student = (overrides: Partial<StudentProfile> = {}): StudentProfile => ({
  languages: ['fr'],
  diet: [],
  allergies: [],
  smoker: false,
  gender: 'female',
  minor: false,
  ageKnown: true,
  ...overrides,
});

const score = (f: MatchableFamily, s: StudentProfile, context: { programmeLanguage?: string | null; peak?: number; locale?: Locale; stay?: Stay } = {}) =>
  scoreMatch(f, s, { programmeLanguage: context.programmeLanguage === undefined ? 'fr' : context.programmeLanguage, stay: context.stay ?? STAY, peak: context.peak ?? 0, locale: context.locale ?? 'en' });

const criterion = (match: ReturnType<typeof score>, name: Criterion) => {
  const found = match.criteria.find((c) => c.criterion === name)!;
  return { points: found.points, reason: found.reason };
};

describe('scoreMatch: the soft criteria', () => {
  it('gives at most 25 + 25 + 20 + 15 + 15 = 100, one criterion each, in order', () => {
    expect(MAX_POINTS).toEqual({ languages: 25, programme_language: 25, diet: 20, smoking: 15, commute: 15 });
    const match = score(family(), student());
    expect(match.criteria.map((c) => c.criterion)).toEqual([...CRITERIA]);
    expect(match.criteria.map((c) => c.maxPoints)).toEqual([25, 25, 20, 15, 15]);
    expect(match.score).toBe(100);
    expect(match.reasons).toEqual(match.criteria.map((c) => c.reason));
  });

  describe('languages shared with the student', () => {
    it.each([
      ['a language shared', ['fr'], ['fr', 'en'], 25, 'speaks French, the student’s language'],
      ['several shared, listed', ['de', 'fr', 'en'], ['fr', 'en'], 25, 'speaks French and English, the student’s language'],
      ['none shared: the student’s are named', ['de', 'it'], ['fr', 'en'], 0, 'speaks none of the student’s languages (German and Italian)'],
      ['the student gave none', [], ['fr', 'en'], 0, 'the student gave no languages'],
    ] as const)('%s', (_case, studentLanguages, familyLanguages, points, reason) => {
      expect(criterion(score(family({ languages: [...familyLanguages] }), student({ languages: [...studentLanguages] })), 'languages')).toEqual({ points, reason });
    });
  });

  describe("the programme's language spoken at home", () => {
    it('spoken: 25', () => {
      expect(criterion(score(family(), student(), { programmeLanguage: 'fr' }), 'programme_language')).toEqual({ points: 25, reason: 'speaks French at home, the programme’s language' });
    });

    it('not spoken: 0', () => {
      expect(criterion(score(family(), student(), { programmeLanguage: 'ru' }), 'programme_language')).toEqual({ points: 0, reason: 'does not speak Russian, the programme’s language' });
    });

    it('no requirement: a requirement met, full points (the points still add up to the score)', () => {
      const match = score(family(), student(), { programmeLanguage: null });
      expect(criterion(match, 'programme_language')).toEqual({ points: 25, reason: 'the programme requires no language' });
      expect(match.score).toBe(100);
      // 25 (languages) + 25 + 20 + 0 (smoking, not a smoker) + 15
      expect(score(family({ smokingHousehold: true }), student(), { programmeLanguage: null }).score).toBe(85);
    });
  });

  describe("the student's diets", () => {
    it.each([
      ['no diet: full points', [], ['vegetarian'], 20, 'no special diet needed'],
      ['every diet catered for', ['vegetarian'], ['vegetarian', 'halal'], 20, 'caters for vegetarian'],
      ['several, all catered for', ['vegetarian', 'halal'], ['vegetarian', 'halal'], 20, 'caters for vegetarian and halal'],
      ['one of two: half', ['vegetarian', 'halal'], ['vegetarian'], 10, 'does not cater for halal'],
      ['one of three: a third, rounded', ['vegetarian', 'halal', 'kosher'], ['halal'], 7, 'does not cater for vegetarian and kosher'],
      ['none catered for', ['vegan'], ['vegetarian'], 0, 'does not cater for vegan'],
    ] as const)('%s', (_case, diet, supported, points, reason) => {
      expect(criterion(score(family({ dietsSupported: [...supported] }), student({ diet: [...diet] })), 'diet')).toEqual({ points, reason });
    });
  });

  describe('smoking', () => {
    it.each([
      ['a non-smoking household, smoker or not', false, true, 15, 'no smoking household'],
      ['a non-smoking household, non-smoker', false, false, 15, 'no smoking household'],
      ['a smoking household with a smoker: two thirds', true, true, 10, 'smoking household, as the student smokes'],
      ['a smoking household with a non-smoker: none', true, false, 0, 'smoking household, the student does not smoke'],
    ] as const)('%s', (_case, smokingHousehold, smoker, points, reason) => {
      expect(criterion(score(family({ smokingHousehold }), student({ smoker })), 'smoking')).toEqual({ points, reason });
    });
  });

  describe('commute: full up to 20 minutes, none from 60, linear between', () => {
    it.each([
      [null, 0, 'commute to the institution unknown'],
      [0, 15, '0 min to the institution'],
      [15, 15, '15 min to the institution'],
      [20, 15, '20 min to the institution'],
      [30, 11, '30 min to the institution'],
      [40, 8, '40 min to the institution'],
      [59, 0, '59 min to the institution'],
      [60, 0, '60 min to the institution'],
      [90, 0, '90 min to the institution'],
    ] as const)('%p minutes: %p points', (commuteMinutes, points, reason) => {
      expect(criterion(score(family({ commuteMinutes }), student()), 'commute')).toEqual({ points, reason });
    });
  });

  describe('the score', () => {
    it('is the sum of the criteria points (their most add up to 100)', () => {
      // languages 0, programme 25, diet 10, smoking 10, commute 8: 53 of 100
      const mixed = score(family({ languages: ['fr'], dietsSupported: ['vegetarian'], smokingHousehold: true, commuteMinutes: 40 }), student({ languages: ['de'], diet: ['vegetarian', 'halal'], smoker: true }));
      expect(mixed.criteria.map((c) => c.points)).toEqual([0, 25, 10, 10, 8]);
      expect(mixed.score).toBe(53);
      // without a programme language: 0 + 25 + 10 + 10 + 8
      expect(score(family({ languages: ['fr'], smokingHousehold: true, commuteMinutes: 40 }), student({ languages: ['de'], diet: ['vegetarian', 'halal'], smoker: true }), { programmeLanguage: null }).score).toBe(53);
      // nothing at all
      expect(score(family({ languages: [], smokingHousehold: true, commuteMinutes: null, dietsSupported: [] }), student({ languages: [], diet: ['vegan'] }), { programmeLanguage: 'ru' }).score).toBe(0);
    });

    it('agrees with its criteria on every combination', () => {
      for (const languages of [['fr'], ['de'], []])
        for (const programmeLanguage of ['fr', 'ru', null])
          for (const diet of [[], ['vegetarian'], ['vegetarian', 'halal', 'kosher']])
            for (const [smokingHousehold, smoker] of [[false, false], [true, true], [true, false]])
              for (const commuteMinutes of [null, 10, 33, 45, 70]) {
                const match = score(family({ smokingHousehold, commuteMinutes }), student({ languages, diet, smoker }), { programmeLanguage });
                expect(match.score).toBe(match.criteria.reduce((sum, c) => sum + c.points, 0));
                expect(match.criteria.reduce((sum, c) => sum + c.maxPoints, 0)).toBe(100);
                expect(match.score).toBeGreaterThanOrEqual(0);
                expect(match.score).toBeLessThanOrEqual(100);
                for (const c of match.criteria) expect(c.points).toBeLessThanOrEqual(c.maxPoints);
              }
    });
  });

  describe('reasons in the caller’s language', () => {
    const mixed = () => [family({ smokingHousehold: true, commuteMinutes: 40 }), student({ languages: ['fr', 'en'], diet: ['vegetarian', 'halal'], smoker: true })] as const;

    it.each([
      [
        'en',
        ['speaks French and English, the student’s language', 'does not speak Russian, the programme’s language', 'does not cater for halal', 'smoking household, as the student smokes', '40 min to the institution'],
      ],
      [
        'fr',
        ['parle français et anglais, langue de l’étudiant', 'ne parle pas russe, langue du programme', 'ne prévoit pas les régimes : halal', 'foyer fumeur, comme l’étudiant', '40 min jusqu’à l’établissement'],
      ],
      [
        'ru',
        ['говорит на языке студента: французский и английский', 'не говорит на языке программы: русский', 'не учитывает диету: halal', 'в доме курят, как и студент', '40 мин до учебного заведения'],
      ],
    ] as const)('%s', (locale, reasons) => {
      const [f, s] = mixed();
      const match = score(f, s, { programmeLanguage: 'ru', locale });
      expect(match.reasons).toEqual(reasons);
      // the score does not depend on the language it is explained in
      expect(match.score).toBe(score(f, s, { programmeLanguage: 'ru' }).score);
    });

    it('says the warnings in each language too', () => {
      const f = family({ vettingExpiresOn: '2027-12-01' });
      const s = student({ ageKnown: false, minor: true, allergies: ['peanuts'] });
      expect(score(f, s, { locale: 'fr' }).warnings).toEqual([
        'la vérification expire le 2027-12-01, pendant le séjour : la renouveler avant',
        'date de naissance inconnue : traité comme mineur',
        'allergies à signaler à la famille : peanuts',
      ]);
      expect(score(f, s, { locale: 'ru' }).warnings).toEqual([
        'проверка истекает 2027-12-01, во время пребывания: продлите её заранее',
        'дата рождения неизвестна: считается несовершеннолетним',
        'аллергии, о которых нужно сообщить семье: peanuts',
      ]);
    });
  });

  describe('warnings', () => {
    it('none for a family valid beyond the stay with beds to spare and a student of known age without allergies', () => {
      expect(score(family(), student()).warnings).toEqual([]);
    });

    it('the vetting expiring during the stay (on its last day included, not the day after)', () => {
      expect(score(family({ vettingExpiresOn: '2027-12-01' }), student()).warnings).toEqual(['vetting expires on 2027-12-01, during the stay: renew it before']);
      expect(score(family({ vettingExpiresOn: STAY.endsOn }), student()).warnings).toEqual([`vetting expires on ${STAY.endsOn}, during the stay: renew it before`]);
      expect(score(family({ vettingExpiresOn: '2028-02-01' }), student()).warnings).toEqual([]);
    });

    it('the age unknown', () => {
      expect(score(family(), student({ ageKnown: false, minor: true })).warnings).toEqual(['date of birth unknown: treated as a minor']);
    });

    it('allergies other than to pets, to tell the family about (pets are the hard rule’s)', () => {
      expect(score(family(), student({ allergies: ['peanuts', 'penicillin'] })).warnings).toEqual(['allergies to tell the family about: peanuts and penicillin']);
      expect(score(family(), student({ allergies: ['cats', 'Dog'] })).warnings).toEqual([]);
      // a family with a dog may take a student allergic to cats and to pollen: only the pollen is told
      expect(score(family({ hasPets: true, petTypes: ['dog'] }), student({ allergies: ['cats', 'pollen'] })).warnings).toEqual(['allergies to tell the family about: pollen']);
    });

    it('an allergy to pets in general does not hide the other allergies', () => {
      expect(score(family(), student({ allergies: ['pets', 'peanuts'] })).warnings).toEqual(['allergies to tell the family about: peanuts']);
      expect(score(family(), student({ allergies: ['animal dander', 'Pet hair', 'latex'] })).warnings).toEqual(['allergies to tell the family about: latex']);
      expect(score(family(), student({ allergies: ['pets'] })).warnings).toEqual([]);
    });

    it('the last free bed on some day (never for a family of one bed)', () => {
      expect(score(family({ capacity: 2 }), student(), { peak: 1 }).warnings).toEqual(['the last free bed on some days of the stay']);
      expect(score(family({ capacity: 3 }), student(), { peak: 2 }).warnings).toEqual(['the last free bed on some days of the stay']);
      expect(score(family({ capacity: 3 }), student(), { peak: 1 }).warnings).toEqual([]);
      expect(score(family({ capacity: 1 }), student(), { peak: 0 }).warnings).toEqual([]);
    });

    it('several at once, in order', () => {
      const warnings = score(family({ vettingExpiresOn: '2027-12-01', capacity: 2 }), student({ ageKnown: false, minor: true, allergies: ['nuts'] }), { peak: 1 }).warnings;
      expect(warnings).toEqual([
        'vetting expires on 2027-12-01, during the stay: renew it before',
        'date of birth unknown: treated as a minor',
        'allergies to tell the family about: nuts',
        'the last free bed on some days of the stay',
      ]);
    });
  });
});

describe('hardRuleViolations: each rule on its own', () => {
  const broken = (f: MatchableFamily, s: StudentProfile = student(), peak = 0, today = TODAY, stay = STAY) => hardRuleViolations(f, s, stay, peak, today);

  it('a family that passes everything breaks nothing', () => {
    expect(broken(family())).toEqual([]);
  });

  describe('vetted: approved, with a vetting valid today', () => {
    it.each(['pending_vetting', 'rejected', 'suspended'] as const)('%s: unvetted', (status) => {
      expect(broken(family({ status }))).toEqual(['vetted']);
    });

    it('approved without a vetting date: unvetted', () => {
      expect(broken(family({ vettingExpiresOn: null }))).toEqual(['vetted']);
    });

    it('a vetting expiring today has expired; tomorrow it is still valid', () => {
      expect(broken(family({ vettingExpiresOn: TODAY }))).toEqual(['vetted']);
      expect(broken(family({ vettingExpiresOn: '2027-05-31' }))).toEqual(['vetted']);
      expect(broken(family({ vettingExpiresOn: '2027-06-02' }))).toEqual([]);
    });
  });

  describe('availability covers the stay (both ends included)', () => {
    it.each([
      ['from the first day', STAY.startsOn, '2028-07-31', []],
      ['to the last day', '2027-08-01', STAY.endsOn, []],
      ['exactly the stay', STAY.startsOn, STAY.endsOn, []],
      ['from the second day', '2027-09-02', '2028-07-31', ['availability']],
      ['to the day before the last', '2027-08-01', '2028-01-30', ['availability']],
      ['a range that ends before the stay', '2027-01-01', '2027-06-30', ['availability']],
    ] as const)('%s', (_case, availableFrom, availableTo, expected) => {
      expect(broken(family({ availableFrom, availableTo }))).toEqual(expected);
    });
  });

  describe('beds: a free one on every day', () => {
    it.each([
      [2, 0, []],
      [2, 1, []],
      [2, 2, ['beds']],
      [1, 1, ['beds']],
      [3, 4, ['beds']],
    ] as const)('capacity %p, peak %p', (capacity, peak, expected) => {
      expect(broken(family({ capacity }), student(), peak)).toEqual(expected);
    });
  });

  describe('pets the student is allergic to', () => {
    it.each([
      ['a cat, allergic to cats (plural)', { hasPets: true, petTypes: ['cat'] }, ['cats'], ['pets']],
      ['a cat, allergic to cat', { hasPets: true, petTypes: ['cat'] }, ['cat'], ['pets']],
      ['a cat, allergic to Cats (any case)', { hasPets: true, petTypes: ['cat'] }, ['Cats'], ['pets']],
      ['a guinea pig, allergic to guinea pigs', { hasPets: true, petTypes: ['guinea pig'] }, ['guinea pigs'], ['pets']],
      ['a cat, allergic to dogs', { hasPets: true, petTypes: ['cat'] }, ['dogs'], []],
      ['a cat, allergic to peanuts', { hasPets: true, petTypes: ['cat'] }, ['peanuts'], []],
      ['a dog, allergic to pets in general', { hasPets: true, petTypes: ['dog'] }, ['pets'], ['pets']],
      ['a dog, allergic to animal dander', { hasPets: true, petTypes: ['dog'] }, ['animal dander'], ['pets']],
      ['a dog, allergic to fur', { hasPets: true, petTypes: ['dog'] }, ['Fur'], ['pets']],
      ['pets of no stated type, allergic to a known pet', { hasPets: true, petTypes: [] }, ['dogs'], ['pets']],
      ['pets of no stated type, allergic to hamsters', { hasPets: true, petTypes: [] }, ['hamsters'], ['pets']],
      ['pets of no stated type, allergic to pets', { hasPets: true, petTypes: [] }, ['pets'], ['pets']],
      ['pets of no stated type, allergic to pollen only', { hasPets: true, petTypes: [] }, ['pollen'], []],
      ['no pets, allergic to pets and cats', { hasPets: false, petTypes: [] }, ['pets', 'cats'], []],
      ['a pet not in the list of known pets, allergic to it', { hasPets: true, petTypes: ['tortoise'] }, ['tortoises'], ['pets']],
    ] as const)('%s', (_case, pets, allergies, expected) => {
      expect(broken(family({ ...pets, petTypes: [...pets.petTypes] }), student({ allergies: [...allergies] }))).toEqual(expected);
    });
  });

  describe('gender preference', () => {
    it.each([
      ['any', 'male', []],
      ['any', null, []],
      ['female', 'female', []],
      ['female', 'male', ['gender']],
      ['female', 'other', ['gender']],
      ['male', 'male', []],
      ['male', 'female', ['gender']],
      ['female', null, ['gender']],
    ] as const)('preference %s, student %p', (genderPreference, gender, expected) => {
      expect(broken(family({ genderPreference }), student({ gender }))).toEqual(expected);
    });
  });

  describe('minors only where accepted', () => {
    it.each([
      [true, true, []],
      [true, false, ['minors']],
      [false, false, []],
      [false, true, []],
    ] as const)('minor %p, family accepts minors %p', (minor, acceptsMinors, expected) => {
      expect(broken(family({ acceptsMinors }), student({ minor }))).toEqual(expected);
    });
  });

  it('lists every rule broken, in their order', () => {
    const f = family({ status: 'suspended', availableFrom: '2027-10-01', capacity: 1, hasPets: true, petTypes: ['dog'], genderPreference: 'male', acceptsMinors: false });
    expect(broken(f, student({ allergies: ['dogs'], gender: 'female', minor: true }), 1)).toEqual(['vetted', 'availability', 'beds', 'pets', 'gender', 'minors']);
  });
});

describe('studentProfileOf', () => {
  const application = (overrides: Partial<Parameters<typeof studentProfileOf>[0]> = {}): Parameters<typeof studentProfileOf>[0] => ({
    matchingProfile: { languages: ['fr', 'en'], diet: [' Vegetarian ', 'HALAL', ''], allergies: [' Cats ', '', 'peanuts'], smoker: true, notes: 'Plays the cello' },
    gender: 'male',
    dateOfBirth: '2000-05-01',
    ...overrides,
  });

  it('reads the matching profile: diets lower-cased and trimmed, allergies trimmed, empty entries dropped', () => {
    expect(studentProfileOf(application(), STAY.startsOn)).toEqual({
      languages: ['fr', 'en'],
      diet: ['vegetarian', 'halal'],
      allergies: ['Cats', 'peanuts'],
      smoker: true,
      gender: 'male',
      minor: false,
      ageKnown: true,
    });
  });

  it('no profile: no languages, diets or allergies, not a smoker', () => {
    expect(studentProfileOf(application({ matchingProfile: null, gender: null }), STAY.startsOn)).toEqual({
      languages: [],
      diet: [],
      allergies: [],
      smoker: false,
      gender: null,
      minor: false,
      ageKnown: true,
    });
  });

  it('18 on the first day of the stay is an adult; the day before the 18th birthday a minor', () => {
    expect(studentProfileOf(application({ dateOfBirth: '2009-09-01' }), '2027-09-01')).toMatchObject({ minor: false, ageKnown: true });
    expect(studentProfileOf(application({ dateOfBirth: '2009-09-02' }), '2027-09-01')).toMatchObject({ minor: true, ageKnown: true });
    expect(studentProfileOf(application({ dateOfBirth: '2009-08-31' }), '2027-09-01')).toMatchObject({ minor: false });
  });

  it('born on 29 February: 18 on 1 March of a common year, not on 28 February', () => {
    expect(studentProfileOf(application({ dateOfBirth: '2008-02-29' }), '2026-02-28')).toMatchObject({ minor: true });
    expect(studentProfileOf(application({ dateOfBirth: '2008-02-29' }), '2026-03-01')).toMatchObject({ minor: false });
  });

  it('an unknown date of birth counts as a minor (safeguarding first), and says it is unknown', () => {
    expect(studentProfileOf(application({ dateOfBirth: null }), STAY.startsOn)).toMatchObject({ minor: true, ageKnown: false });
  });
});
