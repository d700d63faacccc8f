/**
 * Matching over HTTP: GET /applications/{id}/host-family-matches lists the receiving
 * institution's families that break no hard rule, scored best first by the soft criteria,
 * with one reason per criterion and warnings in the caller's language; and who may ask.
 */
import { randomUUID } from 'node:crypto';
import type { ApiResponse } from '../harness/api.js';
import { startTestApp, type TestApp } from '../harness/app.js';
import { nominatedApplication, newStudents, submittedApplication, transition } from '../harness/applications.js';
import { expectProblem } from '../harness/expect.js';
import { signedIn, type Session } from '../harness/factories.js';
import {
  acceptedApplicationsAtOnce,
  dayFromToday,
  familyUser,
  homestayExchange,
  newFamily,
  profile,
  proposedPlacement,
  setVettingExpiry,
  STAY,
  vettedFamily,
  vettingBody,
} from '../harness/host-families.js';
import { newPartner, YEAR } from '../harness/partnerships.js';

type Exchange = Awaited<ReturnType<typeof homestayExchange>>;
interface Match {
  hostFamilyId: string;
  score: number;
  reasons: string[];
  warnings: string[];
  criteria: { criterion: string; points: number; maxPoints: number; reason: string }[];
}

/** A vetting that runs well past the stay, so that no warning about it is given. */
const PAST_THE_STAY = `${YEAR + 1}-06-30`;
const familyIds = (response: ApiResponse): string[] => (response.body.items as Match[]).map((m) => m.hostFamilyId);
const sorted = (values: string[]) => [...values].sort();

describe('matching', () => {
  let t: TestApp;
  let admin: Session;

  beforeAll(async () => {
    t = await startTestApp({ LOGIN_MAX_PER_IP: '10000' });
    admin = await signedIn(t.dataSource, t.api, { role: 'admin' });
  });
  afterAll(async () => {
    await t?.close();
  });

  const matches = (who: Session, applicationId: string, headers: Record<string, string> = {}) => t.api.get(`/applications/${applicationId}/host-family-matches`, { token: who.token, headers });
  /** An approved family of the exchange's receiving institution whose vetting outlasts the stay. */
  const family = async (exchange: Exchange, overrides: Record<string, unknown> = {}) => {
    const made = await vettedFamily(t, exchange.receiving.coordinator, overrides);
    await setVettingExpiry(t, made.id, PAST_THE_STAY);
    return made;
  };
  const application = async (exchange: Exchange, fields: Record<string, unknown> = {}) => (await acceptedApplicationsAtOnce(t, exchange, 1, fields))[0];

  describe('hard rules', () => {
    it('each hard rule keeps a family out; the rest are listed', async () => {
      const exchange = await homestayExchange(t);
      const by = exchange.receiving.coordinator;
      const good = await family(exchange, { displayName: 'good' });
      const pending = await newFamily(t, by, { displayName: 'pending vetting' });
      const rejected = await newFamily(t, by, { displayName: 'rejected' });
      await t.api.post(`/host-families/${rejected.id}/vet`, vettingBody({ outcome: 'rejected' }), { token: by.token });
      const suspended = await family(exchange, { displayName: 'suspended' });
      await t.api.post(`/host-families/${suspended.id}/suspend`, { reason: 'inquiry' }, { token: by.token });
      const expired = await family(exchange, { displayName: 'expired vetting' });
      await setVettingExpiry(t, expired.id, dayFromToday(-1));
      const late = await family(exchange, { displayName: 'available from October', availableFrom: `${YEAR}-10-01` });
      const early = await family(exchange, { displayName: 'available until December', availableTo: `${YEAR}-12-31` });
      const full = await family(exchange, { displayName: 'no bed in October', capacity: 1 });
      const cat = await family(exchange, { displayName: 'cat', hasPets: true, petTypes: ['cat'] });
      const unnamedPets = await family(exchange, { displayName: 'pets of no stated type', hasPets: true, petTypes: [] });
      const dog = await family(exchange, { displayName: 'dog', hasPets: true, petTypes: ['dog'] });
      const women = await family(exchange, { displayName: 'women only', genderPreference: 'female' });
      const men = await family(exchange, { displayName: 'men only', genderPreference: 'male' });
      const adults = await family(exchange, { displayName: 'adults only', acceptsMinors: false });
      // Another institution's family, however suitable, is not the receiving institution's to place.
      const elsewhere = await newPartner(t);
      await vettedFamily(t, elsewhere.coordinator);

      // One bed, taken by another student for ten days of October: no free bed on some day of the stay.
      const other = await application(exchange);
      await proposedPlacement(t, by, { applicationId: other.application.id, hostFamilyId: full.id, startsOn: `${YEAR}-10-01`, endsOn: `${YEAR}-10-10` });

      const male = await application(exchange, { gender: 'male', matchingProfile: profile({ allergies: ['cats'] }) });
      const seenForMale = await matches(by, male.application.id);
      expect(seenForMale.status).toBe(200);
      expect(seenForMale.body).toMatchObject({ applicationId: male.application.id, startsOn: STAY.startsOn, endsOn: STAY.endsOn });
      expect(sorted(familyIds(seenForMale))).toEqual(sorted([good.id, dog.id, men.id, adults.id]));
      for (const absent of [pending, rejected, suspended, expired, late, early, full, cat, unnamedPets, women]) expect(familyIds(seenForMale)).not.toContain(absent.id);

      // A girl who turns 18 the day after the stay starts: no family that refuses minors; cats and women-only welcome.
      const minor = await application(exchange, { gender: 'female', dateOfBirth: `${YEAR - 18}-09-02` });
      expect(sorted(familyIds(await matches(by, minor.application.id)))).toEqual(sorted([good.id, cat.id, unnamedPets.id, dog.id, women.id]));
      // 18 on the first day: an adult.
      const justAdult = await application(exchange, { gender: 'female', dateOfBirth: `${YEAR - 18}-09-01` });
      expect(familyIds(await matches(by, justAdult.application.id))).toContain(adults.id);
    });

    it('a student whose date of birth is unknown is matched as a minor, with a warning', async () => {
      const exchange = await homestayExchange(t);
      const welcoming = await family(exchange, { acceptsMinors: true });
      const adults = await family(exchange, { acceptsMinors: false });
      const unknown = await application(exchange, { dateOfBirth: null });
      const seen = await matches(exchange.receiving.coordinator, unknown.application.id);
      expect(familyIds(seen)).toEqual([welcoming.id]);
      expect(seen.body.items[0].warnings).toContain('date of birth unknown: treated as a minor');
      expect(familyIds(await matches(exchange.receiving.coordinator, (await application(exchange)).application.id)).sort()).toEqual(sorted([welcoming.id, adults.id]));
    });

    it("an application's own placement does not take its bed from its matches; another student's does", async () => {
      const exchange = await homestayExchange(t);
      const single = await family(exchange, { capacity: 1 });
      const [placed, waiting] = await acceptedApplicationsAtOnce(t, exchange, 2);
      await proposedPlacement(t, exchange.receiving.coordinator, { applicationId: placed.application.id, hostFamilyId: single.id });
      expect(familyIds(await matches(exchange.receiving.coordinator, placed.application.id))).toEqual([single.id]);
      expect(familyIds(await matches(exchange.receiving.coordinator, waiting.application.id))).toEqual([]);
    });
  });

  describe('scores', () => {
    it('best first, ties by hostFamilyId ascending; one reason per criterion; the criteria add up to the score', async () => {
      const exchange = await homestayExchange(t);
      // The programme's language is Russian (homestayExchange); the student speaks French and eats vegetarian.
      const best = await family(exchange, { displayName: 'best', languages: ['ru', 'fr'], dietsSupported: ['vegetarian'], commuteMinutes: 10 });
      const twin1 = await family(exchange, { displayName: 'twin', languages: ['fr'], dietsSupported: ['vegetarian'], commuteMinutes: 22 });
      const twin2 = await family(exchange, { displayName: 'twin', languages: ['fr'], dietsSupported: ['vegetarian'], commuteMinutes: 22 });
      const worst = await family(exchange, { displayName: 'worst', languages: ['de'], dietsSupported: [], smokingHousehold: true, commuteMinutes: 50 });
      const unknownCommute = await family(exchange, { displayName: 'unknown commute', languages: ['ru'], dietsSupported: ['vegetarian'], commuteMinutes: null });
      const { application: student } = await application(exchange, { matchingProfile: profile({ languages: ['fr'], diet: ['vegetarian'] }) });

      const seen = await matches(exchange.receiving.coordinator, student.id);
      expect(seen.status).toBe(200);
      const items = seen.body.items as Match[];
      const twins = sorted([twin1.id, twin2.id]);
      expect(items.map((m) => m.hostFamilyId)).toEqual([best.id, ...twins, unknownCommute.id, worst.id]);
      // languages 25 + programme language 25 + diet 20 + smoking 15 + commute 15 (full up to 20 min, none from 60).
      expect(items.map((m) => m.score)).toEqual([100, 74, 74, 60, 4]);
      const byId = new Map(items.map((m) => [m.hostFamilyId, m]));
      expect(byId.get(twin1.id)!.criteria.map((c) => [c.criterion, c.points, c.maxPoints])).toEqual([
        ['languages', 25, 25],
        ['programme_language', 0, 25],
        ['diet', 20, 20],
        ['smoking', 15, 15],
        ['commute', 14, 15],
      ]);
      for (const m of items) {
        expect(m.score).toBeGreaterThanOrEqual(0);
        expect(m.score).toBeLessThanOrEqual(100);
        expect(m.criteria.map((c) => c.criterion)).toEqual(['languages', 'programme_language', 'diet', 'smoking', 'commute']);
        expect(m.reasons).toEqual(m.criteria.map((c) => c.reason));
        expect(m.criteria.reduce((sum, c) => sum + c.points, 0)).toBe(m.score);
        expect(m.criteria.reduce((sum, c) => sum + c.maxPoints, 0)).toBe(100);
      }
      expect(byId.get(worst.id)!.reasons).toEqual(['speaks none of the student’s languages (French)', 'does not speak Russian, the programme’s language', 'does not cater for vegetarian', 'smoking household, the student does not smoke', '50 min to the institution']);
      expect(byId.get(unknownCommute.id)!.reasons.at(-1)).toBe('commute to the institution unknown');

      // `limit` keeps the best.
      const top = await t.api.get(`/applications/${student.id}/host-family-matches`, { token: exchange.receiving.coordinator.token, query: { limit: 2 } });
      expect(familyIds(top)).toEqual([best.id, twins[0]]);
      expectProblem(await t.api.get(`/applications/${student.id}/host-family-matches`, { token: exchange.receiving.coordinator.token, query: { limit: 0 } }), 400, 'validation.failed', ['limit']);
    });

    it('the database ranks as the criteria score: over a grid of families, the best page is in score order and holds the best scores', async () => {
      const exchange = await homestayExchange(t);
      const grid: Record<string, unknown>[] = [];
      for (const languages of [['ru'], ['fr', 'de'], ['de']])
        for (const dietsSupported of [[], ['vegetarian'], ['vegetarian', 'halal', 'kosher']])
          for (const [smokingHousehold, commuteMinutes] of [[false, 10], [true, 33], [false, 41], [true, null], [false, 75]] as const) grid.push({ languages, dietsSupported, smokingHousehold, commuteMinutes });
      const families = await Promise.all(grid.map((fields) => family(exchange, fields)));
      // Three diets (one catered for by some), a smoker: the parts that round.
      const { application: student } = await application(exchange, { matchingProfile: profile({ languages: ['fr'], diet: ['vegetarian', 'halal', 'vegan'], smoker: true }) });
      const best = (limit: number) => t.api.get(`/applications/${student.id}/host-family-matches`, { token: exchange.receiving.coordinator.token, query: { limit } });
      const all = (await best(100)).body.items as Match[];
      expect(all).toHaveLength(families.length);
      const order = (a: Match, b: Match) => b.score - a.score || (a.hostFamilyId < b.hostFamilyId ? -1 : 1);
      expect(all.map((m) => m.hostFamilyId)).toEqual([...all].sort(order).map((m) => m.hostFamilyId));
      for (const m of all) expect(m.criteria.reduce((sum, c) => sum + c.points, 0)).toBe(m.score);
      const page = (await best(7)).body.items as Match[];
      expect(page.map((m) => m.hostFamilyId)).toEqual(all.slice(0, 7).map((m) => m.hostFamilyId));
    });

    it('a programme that requires no language: that criterion is met, and the criteria still add up to the score', async () => {
      const exchange = await homestayExchange(t, { program: { languageRequirement: null } });
      const perfect = await family(exchange, { languages: ['fr'], commuteMinutes: 15 });
      const far = await family(exchange, { languages: ['de'], commuteMinutes: 40 });
      const { application: student } = await application(exchange);
      const items = (await matches(exchange.receiving.coordinator, student.id)).body.items as Match[];
      expect(items.map((m) => [m.hostFamilyId, m.score])).toEqual([
        [perfect.id, 100],
        [far.id, 68],
      ]);
      for (const m of items) {
        expect(m.criteria.find((c) => c.criterion === 'programme_language')).toMatchObject({ points: 25, maxPoints: 25, reason: 'the programme requires no language' });
        expect(m.criteria.reduce((sum, c) => sum + c.points, 0)).toBe(m.score);
      }
    });

    it("reasons are given in the caller's language: Accept-Language first, then the user's locale", async () => {
      const exchange = await homestayExchange(t);
      const chosen = await family(exchange, { languages: ['fr', 'en'], commuteMinutes: 22, smokingHousehold: false });
      const { application: student } = await application(exchange, { matchingProfile: profile({ languages: ['fr'], allergies: ['peanuts'] }) });
      const reasonsIn = async (who: Session, headers: Record<string, string>) => {
        const response = await matches(who, student.id, headers);
        expect(response.status).toBe(200);
        expect(familyIds(response)).toEqual([chosen.id]);
        return response.body.items[0] as Match;
      };
      const by = exchange.receiving.coordinator;

      const en = await reasonsIn(by, { 'accept-language': 'en-GB,en;q=0.9' });
      expect(en.reasons).toHaveLength(5);
      expect(en.reasons).toEqual([
        expect.stringContaining('speaks French'),
        expect.stringContaining('does not speak Russian'),
        'no special diet needed',
        'no smoking household',
        '22 min to the institution',
      ]);
      expect(en.warnings).toEqual(['allergies to tell the family about: peanuts']);

      const fr = await reasonsIn(by, { 'accept-language': 'fr-FR' });
      expect(fr.reasons).toEqual([expect.stringContaining('parle français'), expect.stringContaining('ne parle pas russe'), 'aucun régime particulier', 'foyer non-fumeur', '22 min jusqu’à l’établissement']);
      expect(fr.warnings).toEqual(['allergies à signaler à la famille : peanuts']);

      const ru = await reasonsIn(by, { 'accept-language': 'de-DE, ru;q=0.8, en;q=0.5' });
      expect(ru.reasons).toEqual([expect.stringContaining('французский'), expect.stringContaining('русский'), 'особая диета не нужна', 'в доме не курят', '22 мин до учебного заведения']);
      expect(ru.score).toBe(en.score);
      expect(ru.criteria.map((c) => c.points)).toEqual(en.criteria.map((c) => c.points));

      // Without the header, the user's own locale.
      const french = await signedIn(t.dataSource, t.api, { role: 'coordinator', institutionId: exchange.receiving.institutionId, locale: 'fr' });
      expect((await reasonsIn(french, {})).reasons).toContain('foyer non-fumeur');
      expect((await reasonsIn(french, { 'accept-language': 'ru' })).reasons).toContain('в доме не курят');
    });

    it('warns of a vetting that runs out before the stay ends, of the last free bed, and of allergies the family should know', async () => {
      const exchange = await homestayExchange(t);
      const by = exchange.receiving.coordinator;
      const expiring = await family(exchange, { displayName: 'expiring', capacity: 1 });
      await setVettingExpiry(t, expiring.id, `${YEAR}-11-15`);
      const lastBed = await family(exchange, { displayName: 'last bed', capacity: 2 });
      const quiet = await family(exchange, { displayName: 'quiet', capacity: 3 });
      const beforeStay = await family(exchange, { displayName: 'expires before the stay' });
      await setVettingExpiry(t, beforeStay.id, `${YEAR}-08-15`);
      const [occupant, { application: student }] = await acceptedApplicationsAtOnce(t, exchange, 2, { matchingProfile: profile({ allergies: ['cats', 'peanuts'] }) });
      await proposedPlacement(t, by, { applicationId: occupant.application.id, hostFamilyId: lastBed.id, startsOn: `${YEAR}-12-01`, endsOn: `${YEAR}-12-20` });
      await proposedPlacement(t, by, { applicationId: (await application(exchange)).application.id, hostFamilyId: quiet.id });

      const items = (await matches(by, student.id)).body.items as Match[];
      const warningsOf = (id: string) => items.find((m) => m.hostFamilyId === id)!.warnings;
      expect(sorted(items.map((m) => m.hostFamilyId))).toEqual(sorted([expiring.id, lastBed.id, quiet.id, beforeStay.id]));
      expect(warningsOf(beforeStay.id)).toEqual([`vetting expires on ${YEAR}-08-15, before the stay starts: renew it before`, 'allergies to tell the family about: peanuts']);
      expect(warningsOf(expiring.id)).toEqual([`vetting expires on ${YEAR}-11-15, during the stay: renew it before`, 'allergies to tell the family about: peanuts']);
      expect(warningsOf(lastBed.id)).toEqual(['allergies to tell the family about: peanuts', 'the last free bed on some days of the stay']);
      expect(warningsOf(quiet.id)).toEqual(['allergies to tell the family about: peanuts']);
      expect(items.find((m) => m.hostFamilyId === expiring.id)).toMatchObject({ vettingExpiresOn: `${YEAR}-11-15`, freeBeds: 1 });
      expect(items.find((m) => m.hostFamilyId === lastBed.id)).toMatchObject({ freeBeds: 1 });
      expect(items.find((m) => m.hostFamilyId === quiet.id)).toMatchObject({ freeBeds: 2 });
      // A warning does not keep the family out: the expiring one is still placed.
      expect((await t.api.post('/placements', { applicationId: student.id, hostFamilyId: expiring.id }, { token: by.token })).status).toBe(201);
    });
  });

  describe('who may ask, and when', () => {
    it('before acceptance, and once the application is over, answers 409 placement.application_not_placeable', async () => {
      const exchange = await homestayExchange(t);
      await family(exchange);
      const by = exchange.receiving.coordinator;
      const [s1, s2, s3, s4] = await newStudents(t, exchange.sending.institutionId, 4);
      const submitted = await submittedApplication(t, s1, exchange.program);
      const nominated = await nominatedApplication(t, s2, exchange.program, exchange.sides);
      const waitlisted = await transition(t, by, (await nominatedApplication(t, s3, exchange.program, exchange.sides)).id, 'waitlist');
      expectProblem(await matches(by, nominated.id), 409, 'placement.application_not_placeable');
      expectProblem(await matches(by, waitlisted.id), 409, 'placement.application_not_placeable');
      // The receiving side does not see it before nomination.
      expectProblem(await matches(by, submitted.id), 404, 'application.not_found');
      expectProblem(await matches(admin, submitted.id), 409, 'placement.application_not_placeable');

      const [{ application: declined, student }] = await acceptedApplicationsAtOnce(t, exchange, 1);
      expect((await matches(by, declined.id)).status).toBe(200);
      await transition(t, student, declined.id, 'decline');
      expectProblem(await matches(by, declined.id), 409, 'placement.application_not_placeable');
      const cancelled = await nominatedApplication(t, s4, exchange.program, exchange.sides);
      await transition(t, by, cancelled.id, 'accept');
      await transition(t, by, cancelled.id, 'cancel', { reason: 'visa refused' });
      expectProblem(await matches(by, cancelled.id), 409, 'placement.application_not_placeable');
    });

    it('the receiving coordinator and admins read the matches; the sending side, host-school staff, families and the student 403; other institutions 404', async () => {
      const exchange = await homestayExchange(t);
      const chosen = await family(exchange);
      const { application: accepted, student } = await application(exchange);
      const outsider = await newPartner(t);
      const [school, own] = await Promise.all([signedIn(t.dataSource, t.api, { role: 'host_school', institutionId: exchange.receiving.institutionId }), familyUser(t, exchange.receiving.institutionId, chosen.id)]);

      for (const who of [exchange.receiving.coordinator, admin]) expect(familyIds(await matches(who, accepted.id))).toEqual([chosen.id]);
      for (const who of [exchange.sides.sending, school, own, student]) expectProblem(await matches(who, accepted.id), 403, 'access.forbidden');
      expectProblem(await matches(outsider.coordinator, accepted.id), 404, 'application.not_found');
      const [stranger] = await newStudents(t, exchange.sending.institutionId, 1);
      expectProblem(await matches(stranger, accepted.id), 403, 'access.forbidden');
      expectProblem(await matches(exchange.receiving.coordinator, 'not-a-uuid'), 400);
      const missing = await t.api.get(`/applications/${randomUUID()}/host-family-matches`, { token: admin.token });
      expectProblem(missing, 404, 'application.not_found');
      expect(missing.text).not.toContain(chosen.displayName);
    });
  });
});
