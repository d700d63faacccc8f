/**
 * Check-in and the arrival checklist over HTTP: check-in within the programme's days of
 * arrival (in the receiving institution's time zone), the checklist of the receiving
 * country made in its transaction (RU with and without a family, stays of 90 days and more,
 * a year without a decree; FR adults and minors, long and short stays; DE), with due dates
 * written out by hand; who reads it, in which language, open, done or overdue; who
 * completes an item, once; and the end of the stay: the placement ended (or cancelled)
 * with it, the transcript of records added by the receiving side.
 */
import { randomUUID } from 'node:crypto';
import type { ApiResponse } from '../harness/api.js';
import { startTestApp, type TestApp } from '../harness/app.js';
import { confirmedApplication, newStudents, stayBegun, stayDates, transition, uploadDocument } from '../harness/applications.js';
import { expectProblem } from '../harness/expect.js';
import { newUser, login, signedIn, type Session } from '../harness/factories.js';
import { acceptedApplications, dayFromToday, familyUser, homestayExchange, placementTransition, profile, proposedPlacement, today, vettedFamily } from '../harness/host-families.js';
import { newPartner, publishedProgram, YEAR, type Partner } from '../harness/partnerships.js';

type Exchange = Awaited<ReturnType<typeof homestayExchange>>;
interface Arrival {
  student: Session;
  application: Record<string, any>;
}
interface Item {
  code: string;
  sequence: number;
  dueOn: string;
  responsible: string;
  provisional: boolean;
}

const ADULT = { dateOfBirth: '2000-05-01', matchingProfile: profile() };
const item = (code: string, dueOn: string, responsible = 'host_school', extra: Partial<Item> = {}): Item => ({ code, sequence: 1, dueOn, responsible, provisional: false, ...extra });
const welfare = (sequence: number, dueOn: string): Item => item('welfare_check', dueOn, 'host_school', { sequence });

describe('check-in and the arrival checklist', () => {
  let t: TestApp;
  let admin: Session;
  let outsider: Partner;
  let outsiderSchool: Session;

  beforeAll(async () => {
    t = await startTestApp({ LOGIN_MAX_PER_IP: '10000' });
    admin = await signedIn(t.dataSource, t.api, { role: 'admin' });
    outsider = await newPartner(t, { city: 'Krasnodar', country: 'RU', timezone: 'Europe/Moscow' });
    outsiderSchool = await signedIn(t.dataSource, t.api, { role: 'host_school', institutionId: outsider.institutionId });
  });
  afterAll(async () => {
    await t?.close();
  });

  const checkIn = (who: Session, id: string, arrivedAt?: string) => t.api.post(`/applications/${id}/check-in`, arrivedAt ? { arrivedAt } : {}, { token: who.token });
  const checklist = (who: Session, id: string, language?: string) => t.api.get(`/applications/${id}/checklist`, { token: who.token, headers: language ? { 'accept-language': language } : {} });
  /** POST /applications/{id}/complete, whatever it answers. */
  const completeStay = (who: Session, id: string): Promise<ApiResponse> => t.api.post(`/applications/${id}/complete`, {}, { token: who.token });
  const complete = (who: Session, id: string, body: unknown = {}) => t.api.post(`/checklist-items/${id}/complete`, body, { token: who.token });
  const items = async (who: Session, id: string) => (await checklist(who, id)).body.items as Record<string, any>[];
  const shape = (list: Record<string, any>[]): Item[] => list.map(({ code, sequence, dueOn, responsible, provisional }) => ({ code, sequence, dueOn, responsible, provisional }));
  const rowsOf = async (applicationId: string) => ((await t.dataSource.query('SELECT count(*)::int AS n FROM checklist_items WHERE application_id = $1', [applicationId])) as { n: number }[])[0].n;
  const itemRow = async (id: string) =>
    ((await t.dataSource.query('SELECT completed_at AS "completedAt", completed_by AS "completedBy", completed_by_role AS "completedByRole", note FROM checklist_items WHERE id = $1', [id])) as Record<string, unknown>[])[0];
  const history = async (who: Session, id: string) => (await t.api.get(`/applications/${id}/history`, { token: who.token })).body.items as Record<string, any>[];

  /** Another published programme of the exchange (same direction and year, within the quota). */
  const anotherProgram = (ex: Exchange) =>
    publishedProgram(t, ex.sending.coordinator, ex.agreement.id, ex.sending.institutionId, ex.receiving.institutionId, {
      seats: 10,
      requiredDocuments: [],
      requiresLearningAgreement: false,
      accommodation: 'host_family',
      languageRequirement: { language: 'ru', minLevel: 'A2' },
    });

  async function confirmed(ex: Exchange, program: { id: string }, fields: Record<string, unknown> = {}): Promise<Arrival> {
    const [student] = await newStudents(t, ex.sending.institutionId, 1);
    return { student, application: await confirmedApplication(t, student, program, ex.sides, { ...ADULT, ...fields }) };
  }

  /** A confirmed application placed with a vetted family (placement accepted by the family); the family and its user. */
  async function placedArrival(ex: Exchange, program: { id: string }, placement: Record<string, string> = {}) {
    const family = await vettedFamily(t, ex.sides.receiving, { availableFrom: dayFromToday(-400), availableTo: `${YEAR + 1}-12-31` });
    const own = await familyUser(t, ex.receiving.institutionId, family.id);
    const [student] = await newStudents(t, ex.sending.institutionId, 1);
    const accepted = await transition(t, ex.sides.receiving, (await transition(t, ex.sides.sending, (await submitted(student, program)).id, 'nominate')).id, 'accept');
    const proposed = await proposedPlacement(t, ex.sides.receiving, { applicationId: accepted.id, hostFamilyId: family.id, ...placement });
    await placementTransition(t, own, proposed.id, 'accept');
    const application = await transition(t, student, accepted.id, 'confirm');
    return { student, application, family, own, placement: proposed };
  }
  async function submitted(student: Session, program: { id: string }) {
    const draft = await t.api.post('/applications', { programId: program.id, ...ADULT }, { token: student.token });
    if (draft.status !== 201) throw new Error(`draft: ${draft.status} ${draft.text}`);
    return transition(t, student, draft.body.id, 'submit');
  }

  /** Checks in, expecting 200, and returns the checklist as the receiving coordinator reads it. */
  async function checkedIn(ex: Exchange, arrival: { application: Record<string, any> }, arrivedAt?: string) {
    const response = await checkIn(ex.sides.receiving, arrival.application.id, arrivedAt);
    if (response.status !== 200) throw new Error(`check-in: ${response.status} ${response.text}`);
    expect(response.body).toMatchObject({ status: 'arrived', arrivedAt: arrivedAt ? new Date(arrivedAt).toISOString() : expect.any(String) });
    return items(ex.sides.receiving, arrival.application.id);
  }

  describe('the checklist of the receiving country, due dates written out by hand', () => {
    let russia: Exchange;
    beforeAll(async () => {
      russia = await homestayExchange(t, { seats: 20 });
    });

    it('RU, no family: migration registration 7 Russian working days after the day of arrival in Moscow, by the host school; the medical exam for a stay over 90 days; orientation; welfare checks every 30 days to the last day', async () => {
      const program = await anotherProgram(russia);
      const arrival = await confirmed(russia, program);
      await stayDates(t, program.id, { startsOn: '2026-03-10', endsOn: '2026-07-31' });
      // 22:30 UTC on Thursday 5 March is 01:30 on Friday 6 March in Moscow. 7–9 March are off
      // (8 March on a Sunday, the day off moved to Monday 9): 10, 11, 12, 13, 16, 17, 18 March.
      const list = await checkedIn(russia, arrival, '2026-03-05T22:30:00Z');
      expect(shape(list)).toEqual([
        item('orientation', '2026-03-13'),
        item('migration_registration', '2026-03-18'),
        welfare(1, '2026-04-05'),
        welfare(2, '2026-05-05'),
        // 6 March + 90 days; the stay (6 March – 31 July) is 148 days
        item('medical_exam_fingerprinting', '2026-06-04'),
        welfare(3, '2026-06-04'),
        welfare(4, '2026-07-04'),
      ]);
      expect(list.every((i) => i.hostFamilyId === null && i.completedAt === null && i.completedBy === null)).toBe(true);
      // Long past: every item is overdue now.
      expect(new Set(list.map((i) => i.status))).toEqual(new Set(['overdue']));
    });

    it('RU, placed with a family that accepted: the family registers the student (the housing provider) and is welcomed within 3 days; a stay of exactly 90 days has no medical exam, 91 days has one; a proposal still open is decided first', async () => {
      const [ninety, ninetyOne] = [await anotherProgram(russia), await anotherProgram(russia)];
      const placed = await placedArrival(russia, ninety);
      const unplaced = await confirmed(russia, ninetyOne);
      const family = await vettedFamily(t, russia.sides.receiving, { availableFrom: dayFromToday(-400) });
      await proposedPlacement(t, russia.sides.receiving, { applicationId: unplaced.application.id, hostFamilyId: family.id });
      await stayDates(t, ninety.id, { startsOn: '2026-05-01', endsOn: '2026-07-26' });
      await stayDates(t, ninetyOne.id, { startsOn: '2026-05-01', endsOn: '2026-07-27' });

      // Tuesday 28 April: 29, 30 April, (1–3 May off), 4, 5, 6, 7, 8 May. 28 April – 26 July is 90 days.
      const withFamily = await checkedIn(russia, placed, '2026-04-28T09:00:00+03:00');
      expect(shape(withFamily)).toEqual([
        item('host_family_welcome_check', '2026-05-01', 'host_school'),
        item('orientation', '2026-05-05', 'host_family'),
        item('migration_registration', '2026-05-08', 'host_family'),
        welfare(1, '2026-05-28'),
        welfare(2, '2026-06-27'),
      ]);
      expect(withFamily.every((i) => i.hostFamilyId === placed.family.id)).toBe(true);

      // A proposal still open is decided before check-in (who answers for the items depends on it).
      expectProblem(await checkIn(russia.sides.receiving, unplaced.application.id, '2026-04-28T09:00:00+03:00'), 409, 'arrival.placement_undecided');
      const [open] = (await t.dataSource.query("SELECT id FROM placements WHERE application_id = $1 AND status = 'proposed'", [unplaced.application.id])) as { id: string }[];
      expect((await t.api.post(`/placements/${open.id}/decline`, { reason: 'no room after all' }, { token: russia.sides.receiving.token })).status).toBe(200);
      const withoutFamily = await checkedIn(russia, unplaced, '2026-04-28T09:00:00+03:00');
      expect(shape(withoutFamily)).toEqual([
        item('orientation', '2026-05-05'),
        item('migration_registration', '2026-05-08'),
        welfare(1, '2026-05-28'),
        welfare(2, '2026-06-27'),
        item('medical_exam_fingerprinting', '2026-07-27'),
        welfare(3, '2026-07-27'),
      ]);
      expect(withoutFamily.every((i) => i.hostFamilyId === null)).toBe(true);
    });

    it('RU: counting days of a year whose decree is not in the data marks the migration registration provisional (2025: 12 June off by the Labour Code)', async () => {
      const program = await anotherProgram(russia);
      const arrival = await confirmed(russia, program);
      await stayDates(t, program.id, { startsOn: '2025-06-15', endsOn: '2025-08-31' });
      // Tuesday 10 June 2025: 11, (12 off), 13, 16, 17, 18, 19, 20 June. 83 days of stay.
      const list = await checkedIn(russia, arrival, '2025-06-10T12:00:00+03:00');
      expect(shape(list)).toEqual([
        item('orientation', '2025-06-17'),
        item('migration_registration', '2025-06-20', 'host_school', { provisional: true }),
        welfare(1, '2025-07-10'),
        welfare(2, '2025-08-09'),
      ]);
    });

    it('FR: visa validation 3 months after arrival for an adult staying longer (18 on the day of arrival counts), none for a minor or a short stay', async () => {
      const france = await homestayExchange(t, { seats: 20, receiving: { city: 'Nancy', country: 'FR', timezone: 'Europe/Paris' } });
      const [long, short] = [await anotherProgram(france), await anotherProgram(france)];
      const adult = await confirmed(france, long);
      const eighteenToday = await confirmed(france, long, { dateOfBirth: '2008-02-02' });
      const minor = await confirmed(france, long, { dateOfBirth: '2008-02-03' });
      const shortStay = await confirmed(france, short);
      await stayDates(t, long.id, { startsOn: '2026-02-05', endsOn: '2026-06-30' });
      await stayDates(t, short.id, { startsOn: '2026-02-05', endsOn: '2026-04-30' });
      const arrivedAt = '2026-02-02T10:00:00+01:00';

      const welfares = [welfare(1, '2026-03-04'), welfare(2, '2026-04-03'), item('visa_validation', '2026-05-02'), welfare(3, '2026-05-03'), welfare(4, '2026-06-02')];
      for (const arrival of [adult, eighteenToday]) {
        expect(shape(await checkedIn(france, arrival, arrivedAt))).toEqual([item('orientation', '2026-02-09'), ...welfares]);
      }
      expect(shape(await checkedIn(france, minor, arrivedAt))).toEqual([item('orientation', '2026-02-09'), ...welfares.filter((i) => i.code !== 'visa_validation')]);
      // 2 February – 30 April is less than 3 months.
      expect(shape(await checkedIn(france, shortStay, arrivedAt))).toEqual([item('orientation', '2026-02-09'), welfare(1, '2026-03-04'), welfare(2, '2026-04-03')]);
    });

    it("DE: address registration (Anmeldung) within 14 days of the day of arrival in Berlin; placed, the welcome check; a welfare check due on the stay's last day is made", async () => {
      const germany = await homestayExchange(t, { seats: 20, receiving: { city: 'Karlsruhe', country: 'DE', timezone: 'Europe/Berlin' } });
      const program = await anotherProgram(germany);
      const placed = await placedArrival(germany, program);
      await stayDates(t, program.id, { startsOn: '2026-04-01', endsOn: '2026-06-30' });
      // 22:30 UTC on 31 March is 00:30 on 1 April in Berlin (summer time).
      const list = await checkedIn(germany, placed, '2026-03-31T22:30:00Z');
      expect(shape(list).map(({ responsible: _, ...rest }) => rest)).toEqual(
        [
          item('host_family_welcome_check', '2026-04-04'),
          item('orientation', '2026-04-08'),
          item('address_registration', '2026-04-15'),
          welfare(1, '2026-05-01'),
          welfare(2, '2026-05-31'),
          welfare(3, '2026-06-30'),
        ].map(({ responsible: _, ...rest }) => rest),
      );
      expect(list.filter((i) => i.code === 'host_family_welcome_check' || i.code === 'welfare_check').every((i) => i.responsible === 'host_school')).toBe(true);
      expect(list.every((i) => i.hostFamilyId === placed.family.id)).toBe(true);
    });
  });

  describe('check-in', () => {
    it("only within the programme's days of arrival (from 30 days before startsOn to endsOn, in Moscow), not in the future: 400 arrivedAt, and no checklist", async () => {
      const ex = await homestayExchange(t);
      const program = await anotherProgram(ex);
      const [notYet, early, late, future, atOpening, atEnd] = await Promise.all(Array.from({ length: 6 }, () => confirmed(ex, program)));
      // The factories' programme starts next year: today is before its days of arrival.
      const refusedNow = await checkIn(ex.sides.receiving, notYet.application.id);
      expectProblem(refusedNow, 400, 'validation.failed', ['arrivedAt']);
      expect(refusedNow.body.errors[0].message).toContain(`${YEAR}-08-02`);

      await stayDates(t, program.id, { startsOn: '2026-03-10', endsOn: '2026-07-31' });
      const cases: [Arrival, string | undefined][] = [
        [notYet, undefined], // today is after the stay
        [early, '2026-02-07T20:59:00Z'], // 23:59 on 7 February in Moscow; the days of arrival open on 8 February
        [late, '2026-07-31T21:00:00Z'], // 00:00 on 1 August in Moscow
        [future, new Date(Date.now() + 3_600_000).toISOString()],
        [future, '2026-03-05T12:00:00'],
        [future, '2026-02-30T12:00:00Z'],
        [future, 'yesterday'],
      ];
      for (const [{ application }, arrivedAt] of cases) {
        const response = await checkIn(ex.sides.receiving, application.id, arrivedAt);
        expect({ arrivedAt, status: response.status }).toEqual({ arrivedAt, status: 400 });
        expectProblem(response, 400, 'validation.failed', ['arrivedAt']);
      }
      for (const { application } of [notYet, early, late, future]) {
        expect(await rowsOf(application.id)).toBe(0);
        expect((await t.api.get(`/applications/${application.id}`, { token: ex.sides.receiving.token })).body).toMatchObject({ status: 'confirmed', arrivedAt: null });
        expect((await history(ex.sides.receiving, application.id)).map((e) => e.action)).not.toContain('check-in');
      }

      // Both ends are days of arrival: 00:00 on 8 February and 23:59 on 31 July, Moscow time.
      expect(shape(await checkedIn(ex, atOpening, '2026-02-07T21:00:00Z'))[0]).toEqual(item('orientation', '2026-02-15'));
      const last = await checkedIn(ex, atEnd, '2026-07-31T23:59:00+03:00');
      expect(shape(last)).toEqual([item('orientation', '2026-08-07'), item('migration_registration', '2026-08-11')]);
    });

    it('the checklist is written in the transaction of the status change, with the check-in in the history; the sending side, the student and families may not check in (403)', async () => {
      const ex = await homestayExchange(t);
      const school = await signedIn(t.dataSource, t.api, { role: 'host_school', institutionId: ex.receiving.institutionId });
      const placed = await placedArrival(ex, ex.program);
      await stayBegun(t, ex.program.id);
      const sendingSchool = await signedIn(t.dataSource, t.api, { role: 'host_school', institutionId: ex.sending.institutionId });
      for (const who of [ex.sides.sending, placed.student, placed.own, sendingSchool]) {
        const response = await checkIn(who, placed.application.id);
        expect({ role: who.user.role, status: response.status }).toEqual({ role: who.user.role, status: [placed.own, sendingSchool].includes(who) ? 404 : 403 });
      }
      expectProblem(await checkIn(outsider.coordinator, placed.application.id), 404, 'application.not_found');
      expect(await rowsOf(placed.application.id)).toBe(0);

      const before = today();
      const response = await checkIn(school, placed.application.id);
      const after = today();
      expect(response.status).toBe(200);
      expect(response.body.status).toBe('arrived');
      const rows = (await t.dataSource.query('SELECT c.xmin::text AS item, a.xmin::text AS application FROM checklist_items c JOIN applications a ON a.id = c.application_id WHERE a.id = $1', [placed.application.id])) as {
        item: string;
        application: string;
      }[];
      expect(rows.length).toBeGreaterThan(3);
      for (const row of rows) expect(row.item).toBe(row.application);
      expect((await history(ex.sides.receiving, placed.application.id)).at(-1)).toMatchObject({ action: 'check-in', from: 'confirmed', to: 'arrived', role: 'host_school', actorId: school.user.id });
      // Checked in today (in Moscow, on either side of the request's midnight): orientation 7 days later.
      const orientation = (await items(school, placed.application.id)).find((i) => i.code === 'orientation')!;
      const moscowToday = (offsetDays: number, base: string) => new Date(Date.parse(`${base}T00:00:00Z`) + offsetDays * 86_400_000).toISOString().slice(0, 10);
      expect([moscowToday(7, before), moscowToday(7, after), moscowToday(8, before), moscowToday(8, after)]).toContain(orientation.dueOn);
      // Once arrived, no second check-in.
      expectProblem(await checkIn(school, placed.application.id), 409, 'application.invalid_transition');
      expect(await rowsOf(placed.application.id)).toBe(rows.length);
    });
  });

  describe('reading the checklist', () => {
    let ex: Exchange;
    let placed: Awaited<ReturnType<typeof placedArrival>>;
    let school: Session;
    let list: Record<string, any>[];
    beforeAll(async () => {
      ex = await homestayExchange(t);
      school = await signedIn(t.dataSource, t.api, { role: 'host_school', institutionId: ex.receiving.institutionId });
      placed = await placedArrival(ex, ex.program);
      await stayBegun(t, ex.program.id);
      list = await checkedIn(ex, placed);
    });

    it("the student, the receiving staff, the sending coordinator, the family it lives with and admins read it; others get 404", async () => {
      const otherFamily = await familyUser(t, ex.receiving.institutionId, (await vettedFamily(t, ex.sides.receiving)).id);
      const [otherStudent] = await newStudents(t, ex.sending.institutionId, 1);
      const sendingSchool = await signedIn(t.dataSource, t.api, { role: 'host_school', institutionId: ex.sending.institutionId });
      for (const who of [placed.student, school, ex.sides.receiving, ex.sides.sending, placed.own, admin]) {
        const response = await checklist(who, placed.application.id);
        expect({ role: who.user.role, status: response.status }).toEqual({ role: who.user.role, status: 200 });
        expect(response.body.items.map((i: { id: string }) => i.id)).toEqual(list.map((i) => i.id));
        expect(response.body.nextCursor).toBeNull();
      }
      for (const who of [otherStudent, otherFamily, outsiderSchool, outsider.coordinator, sendingSchool]) {
        const response = await checklist(who, placed.application.id);
        expect({ role: who.user.role, status: response.status }).toEqual({ role: who.user.role, status: 404 });
        expectProblem(response, 404, 'application.not_found');
      }
      expectProblem(await checklist(admin, randomUUID()), 404, 'application.not_found');
      expectProblem(await checklist(admin, 'nope'), 400);
      // Before check-in there is nothing to do yet.
      const waiting = await confirmed(ex, ex.program);
      expect((await checklist(waiting.student, waiting.application.id)).body).toEqual({ items: [], nextCursor: null });
    });

    it("titles in the caller's language: Accept-Language first, then the user's locale", async () => {
      const titles = async (who: Session, language?: string) => Object.fromEntries(((await checklist(who, placed.application.id, language)).body.items as Record<string, any>[]).map((i) => [i.code, i.title]));
      expect(await titles(school)).toMatchObject({ migration_registration: 'Migration registration', orientation: 'Orientation', welfare_check: 'Welfare check' });
      expect(await titles(school, 'fr-FR,fr;q=0.9')).toMatchObject({ migration_registration: 'Enregistrement migratoire', welfare_check: 'Point de suivi' });
      expect(await titles(placed.own, 'ru')).toMatchObject({ migration_registration: 'Миграционный учёт', medical_exam_fingerprinting: 'Медицинское освидетельствование и дактилоскопия' });
      const russianSpeaker = await newUser(t.dataSource, { role: 'host_school', institutionId: ex.receiving.institutionId, locale: 'ru' });
      const session = { ...(await login(t.api, russianSpeaker)), user: russianSpeaker };
      expect((await titles(session)).host_family_welcome_check).toBe('Проверка заселения в принимающую семью');
      expect((await titles(session, 'en')).host_family_welcome_check).toBe('Host family welcome check');
    });

    it('each item is open until its due date has passed in Moscow, then overdue; done once completed; not provisional for days of 2026', async () => {
      const [first, second] = list.filter((i) => i.code === 'welfare_check');
      expect(list.every((i) => i.status === 'open' && i.completedAt === null)).toBe(true);
      const dueIn = (id: string, days: number) => t.dataSource.query(`UPDATE checklist_items SET due_on = (now() AT TIME ZONE 'Europe/Moscow')::date + $2::int WHERE id = $1`, [id, days]);
      const statusOf = async (id: string) => (await items(school, placed.application.id)).find((i) => i.id === id)!.status;
      const moscowDay = async () => ((await t.dataSource.query(`SELECT (now() AT TIME ZONE 'Europe/Moscow')::date::text AS day`)) as { day: string }[])[0].day;
      const dayBefore = await moscowDay();
      await dueIn(first.id, 0);
      const dueToday = await statusOf(first.id);
      // (Unless midnight passed in Moscow meanwhile, making today yesterday.)
      if (dayBefore === (await moscowDay())) expect(dueToday).toBe('open');
      await dueIn(first.id, -1);
      expect(await statusOf(first.id)).toBe('overdue');
      expect((await complete(school, first.id)).body.status).toBe('done');
      expect(await statusOf(first.id)).toBe('done');
      expect(await statusOf(second.id)).toBe('open');
      // Checked in today: 7 Russian working days from a day of this year (or the next, near its end).
      const migration = list.find((i) => i.code === 'migration_registration')!;
      expect(migration.provisional).toBe(Number(migration.dueOn.slice(0, 4)) >= 2027);
      expect(list.filter((i) => i.code !== 'migration_registration').every((i) => i.provisional === false)).toBe(true);
    });
  });

  describe('completing an item', () => {
    let ex: Exchange;
    let placed: Awaited<ReturnType<typeof placedArrival>>;
    let school: Session;
    let byCode: (code: string, sequence?: number) => Record<string, any>;
    beforeAll(async () => {
      ex = await homestayExchange(t);
      school = await signedIn(t.dataSource, t.api, { role: 'host_school', institutionId: ex.receiving.institutionId });
      placed = await placedArrival(ex, ex.program);
      await stayBegun(t, ex.program.id);
      const list = await checkedIn(ex, placed);
      byCode = (code, sequence = 1) => list.find((i) => i.code === code && i.sequence === sequence)!;
    });

    it('the responsible family completes its item: 200 with completedAt, completedBy and the note; it may not complete the host school’s (403), another family sees none (404)', async () => {
      const migration = byCode('migration_registration');
      const welcome = byCode('host_family_welcome_check');
      expect({ migration: migration.responsible, welcome: welcome.responsible }).toEqual({ migration: 'host_family', welcome: 'host_school' });
      const otherFamily = await familyUser(t, ex.receiving.institutionId, (await vettedFamily(t, ex.sides.receiving)).id);

      expectProblem(await complete(placed.own, welcome.id), 403, 'access.forbidden');
      expectProblem(await complete(otherFamily, migration.id), 404, 'checklist_item.not_found');
      expect(await itemRow(welcome.id)).toEqual({ completedAt: null, completedBy: null, completedByRole: null, note: null });
      expect(await itemRow(migration.id)).toEqual({ completedAt: null, completedBy: null, completedByRole: null, note: null });

      const startedAt = Date.now();
      const done = await complete(placed.own, migration.id, { note: '  Notice filed at the MVD office, receipt 0042  ' });
      expect(done.status).toBe(200);
      expect(done.body).toMatchObject({ id: migration.id, code: 'migration_registration', status: 'done', completedBy: placed.own.user.id, note: 'Notice filed at the MVD office, receipt 0042' });
      expect(Date.parse(done.body.completedAt)).toBeGreaterThanOrEqual(startedAt - 5_000);
      expect(await itemRow(migration.id)).toMatchObject({ completedBy: placed.own.user.id, completedByRole: 'host_family', note: 'Notice filed at the MVD office, receipt 0042' });
      const seen = (await items(placed.student, placed.application.id)).find((i) => i.id === migration.id)!;
      expect(seen).toMatchObject({ status: 'done', completedAt: done.body.completedAt, completedBy: placed.own.user.id });
    });

    it('the receiving host school, coordinator and admins complete any item; once: 409 checklist_item.already_completed, the first completion kept', async () => {
      const cases: [Session, Record<string, any>][] = [
        [school, byCode('host_family_welcome_check')],
        [ex.sides.receiving, byCode('orientation')],
        [admin, byCode('medical_exam_fingerprinting')],
      ];
      for (const [who, target] of cases) {
        const response = await complete(who, target.id);
        expect({ role: who.user.role, status: response.status }).toEqual({ role: who.user.role, status: 200 });
        expect(response.body).toMatchObject({ status: 'done', completedBy: who.user.id, note: null });
      }
      const [welcomeDone] = cases;
      const first = await itemRow(welcomeDone[1].id);
      for (const who of [school, ex.sides.receiving, admin]) {
        const again = await complete(who, welcomeDone[1].id, { note: 'again' });
        expectProblem(again, 409, 'checklist_item.already_completed');
      }
      expect(await itemRow(welcomeDone[1].id)).toEqual(first);
      // The family's item, done by the school on its behalf.
      const welfare = byCode('welfare_check', 2);
      expect((await complete(school, welfare.id, { note: 'Visited, all well' })).body).toMatchObject({ completedBy: school.user.id, note: 'Visited, all well' });
    });

    it('race: parallel completions of one item give one 200, the others 409', async () => {
      const target = byCode('welfare_check', 3);
      const responses = await Promise.all([school, ex.sides.receiving, admin, school, ex.sides.receiving, admin].map((who) => complete(who, target.id)));
      expect(responses.filter((r) => r.status >= 500)).toEqual([]);
      expect(responses.filter((r) => r.status === 200)).toHaveLength(1);
      for (const r of responses.filter((r) => r.status !== 200)) expectProblem(r, 409, 'checklist_item.already_completed');
    });

    it('the student and the sending coordinator read but do not complete (403); outsiders 404; a bad body 400; nothing changes', async () => {
      const target = byCode('welfare_check', 4);
      const sendingSchool = await signedIn(t.dataSource, t.api, { role: 'host_school', institutionId: ex.sending.institutionId });
      const [otherStudent] = await newStudents(t, ex.sending.institutionId, 1);
      for (const who of [placed.student, ex.sides.sending]) {
        const response = await complete(who, target.id);
        expect({ role: who.user.role, status: response.status }).toEqual({ role: who.user.role, status: 403 });
        expectProblem(response, 403, 'access.forbidden');
      }
      for (const who of [outsiderSchool, outsider.coordinator, sendingSchool, otherStudent]) {
        const response = await complete(who, target.id);
        expect({ role: who.user.role, status: response.status }).toEqual({ role: who.user.role, status: 404 });
        expectProblem(response, 404, 'checklist_item.not_found');
      }
      expectProblem(await complete(school, randomUUID()), 404, 'checklist_item.not_found');
      expectProblem(await complete(school, 'not-an-id'), 400);
      for (const [body, field] of [
        [{ note: 'x'.repeat(2001) }, 'note'],
        [{ note: 42 }, 'note'],
        [{ completedBy: placed.student.user.id }, 'completedBy'],
        [{ completedAt: '2026-01-01T00:00:00Z' }, 'completedAt'],
      ] as [Record<string, unknown>, string][]) {
        expectProblem(await complete(school, target.id, body), 400, 'validation.failed', [field]);
      }
      expect((await t.api.post(`/checklist-items/${target.id}/complete`, {})).status).toBe(401);
      expect(await itemRow(target.id)).toEqual({ completedAt: null, completedBy: null, completedByRole: null, note: null });
    });
  });

  describe('after check-in', () => {
    it("the family off the placement loses the checklist; items of a cancelled stay are not completed; students add no transcript of records", async () => {
      const ex = await homestayExchange(t);
      await stayBegun(t, ex.program.id);
      const [{ startsOn }] = (await t.dataSource.query('SELECT starts_on::text AS "startsOn" FROM programs WHERE id = $1', [ex.program.id])) as { startsOn: string }[];
      const placed = await placedArrival(ex, ex.program, { startsOn });
      const list = await checkedIn(ex, placed);
      const familyItem = list.find((i) => i.responsible === 'host_family')!;
      expect((await t.api.get(`/applications/${placed.application.id}/checklist`, { token: placed.own.token })).status).toBe(200);


      // The student adds no transcript of records: it is the receiving side's.
      expectProblem(await uploadDocument(t, placed.student, placed.application.id, 'transcript_of_records'), 403, 'access.forbidden');

      // The placement ends early: the family no longer reads nor completes the student's checklist.
      expect((await t.api.post(`/placements/${placed.placement.id}/end`, { reason: 'moved to a residence' }, { token: ex.sides.receiving.token })).status).toBe(200);
      expectProblem(await t.api.get(`/applications/${placed.application.id}/checklist`, { token: placed.own.token }), 404, 'application.not_found');
      expectProblem(await t.api.post(`/checklist-items/${familyItem.id}/complete`, {}, { token: placed.own.token }), 404, 'checklist_item.not_found');

      // A cancelled stay has nothing left to complete.
      await transition(t, ex.sides.receiving, placed.application.id, 'cancel', { reason: 'went home' });
      expectProblem(await t.api.post(`/checklist-items/${familyItem.id}/complete`, {}, { token: ex.sides.receiving.token }), 409, 'application.not_editable');
      expect((await itemRow(familyItem.id)).completedAt).toBeNull();
    });
  });

  describe('a programme with placements', () => {
    it("keeps a stay that covers them and its accommodation with families (409 placement.program_has_placements); other edits pass", async () => {
      const ex = await homestayExchange(t);
      const [{ application }] = await acceptedApplications(t, ex, 1);
      const family = await vettedFamily(t, ex.sides.receiving);
      await proposedPlacement(t, ex.sides.receiving, { applicationId: application.id, hostFamilyId: family.id });
      const edit = (body: Record<string, unknown>) => t.api.patch(`/programs/${ex.program.id}`, body, { token: ex.sides.sending.token });
      expectProblem(await edit({ endsOn: `${YEAR + 1}-01-15` }), 409, 'placement.program_has_placements');
      expectProblem(await edit({ startsOn: `${YEAR}-09-10` }), 409, 'placement.program_has_placements');
      expectProblem(await edit({ accommodation: 'residence' }), 409, 'placement.program_has_placements');
      expect((await edit({ endsOn: `${YEAR + 1}-02-15`, title: 'A longer stay' })).status).toBe(200);
    });
  });

  describe('completing the stay', () => {
    it('the receiving coordinator completes: the accepted placement ends (endedOn today) in the same transaction, placement.end in the history; a proposal still open stops the check-in, and is cancelled with its application', async () => {
      const ex = await homestayExchange(t);
      await stayBegun(t, ex.program.id);
      const [{ startsOn }] = (await t.dataSource.query('SELECT starts_on::text AS "startsOn" FROM programs WHERE id = $1', [ex.program.id])) as { startsOn: string }[];
      const placed = await placedArrival(ex, ex.program, { startsOn });
      const [proposedOnly] = await acceptedApplications(t, ex, 1);
      const family = await vettedFamily(t, ex.sides.receiving, { availableFrom: dayFromToday(-400) });
      const proposal = await proposedPlacement(t, ex.sides.receiving, { applicationId: proposedOnly.application.id, hostFamilyId: family.id, startsOn });
      await transition(t, proposedOnly.student, proposedOnly.application.id, 'confirm');
      await checkedIn(ex, placed);
      // A proposal still open is decided before check-in.
      expectProblem(await checkIn(ex.sides.receiving, proposedOnly.application.id), 409, 'arrival.placement_undecided');

      const school = await signedIn(t.dataSource, t.api, { role: 'host_school', institutionId: ex.receiving.institutionId });
      for (const who of [ex.sides.sending, school, placed.student]) expectProblem(await completeStay(who, placed.application.id), 403, 'access.forbidden');
      expect((await t.api.get(`/placements/${placed.placement.id}`, { token: ex.sides.receiving.token })).body.status).toBe('accepted');

      const dayBefore = today();
      const completed = await transition(t, ex.sides.receiving, placed.application.id, 'complete');
      const dayAfter = today();
      expect(completed.status).toBe('completed');
      const placement = (await t.api.get(`/placements/${placed.placement.id}`, { token: ex.sides.receiving.token })).body;
      expect(placement).toMatchObject({ status: 'ended', allowedTransitions: [] });
      expect([dayBefore, dayAfter]).toContain(placement.endedOn);
      const entries = await history(ex.sides.receiving, placed.application.id);
      expect(entries.at(-2)).toMatchObject({ action: 'complete', from: 'arrived', to: 'completed', actorId: ex.sides.receiving.user.id });
      expect(entries.at(-1)).toMatchObject({ action: 'placement.end', actorId: ex.sides.receiving.user.id, details: { placementId: placed.placement.id, hostFamilyId: placed.family.id, from: 'accepted', to: 'ended' } });
      const [row] = (await t.dataSource.query('SELECT a.xmin::text AS application, p.xmin::text AS placement FROM applications a, placements p WHERE a.id = $1 AND p.id = $2', [placed.application.id, placed.placement.id])) as {
        application: string;
        placement: string;
      }[];
      expect(row.placement).toBe(row.application);
      // The family sees its placement ended.
      expect((await t.api.get(`/placements/${placed.placement.id}`, { token: placed.own.token })).body).toMatchObject({ status: 'ended', endedOn: placement.endedOn });

      // The student who was never checked in: cancelling the application cancels the open proposal.
      await transition(t, ex.sides.receiving, proposedOnly.application.id, 'cancel', { reason: 'did not travel' });
      expect((await t.api.get(`/placements/${proposal.id}`, { token: ex.sides.receiving.token })).body).toMatchObject({ status: 'cancelled', endedOn: null });
      expect((await history(ex.sides.receiving, proposedOnly.application.id)).at(-1)).toMatchObject({ action: 'placement.cancel', details: { placementId: proposal.id, from: 'proposed', to: 'cancelled' } });
      // Completed once: 409 from any other status.
      expectProblem(await completeStay(ex.sides.receiving, placed.application.id), 409, 'application.invalid_transition');
      const stillConfirmed = await confirmed(ex, ex.program);
      expectProblem(await completeStay(ex.sides.receiving, stillConfirmed.application.id), 409, 'application.invalid_transition');
    });

    it('an accepted placement whose first day has not come is cancelled with the stay, not ended before it began', async () => {
      const ex = await homestayExchange(t);
      const placed = await placedArrival(ex, ex.program, { startsOn: `${YEAR}-10-01` });
      await stayBegun(t, ex.program.id);
      await checkedIn(ex, placed);
      await transition(t, ex.sides.receiving, placed.application.id, 'complete');
      const placement = (await t.api.get(`/placements/${placed.placement.id}`, { token: ex.sides.receiving.token })).body;
      expect(placement).toMatchObject({ status: 'cancelled', startsOn: `${YEAR}-10-01`, endedOn: null });
      expect((await history(ex.sides.receiving, placed.application.id)).at(-1)).toMatchObject({ action: 'placement.cancel', details: { from: 'accepted', to: 'cancelled' } });
    });

    it('the receiving coordinator adds the transcript of records of an arrived or completed stay; no other document, and not the sending side (403)', async () => {
      const ex = await homestayExchange(t);
      const [arrivedOne, toComplete, notYet] = await Promise.all([confirmed(ex, ex.program), confirmed(ex, ex.program), confirmed(ex, ex.program)]);
      await stayBegun(t, ex.program.id);
      await checkedIn(ex, arrivedOne);
      await checkedIn(ex, toComplete);
      await transition(t, ex.sides.receiving, toComplete.application.id, 'complete');
      const school = await signedIn(t.dataSource, t.api, { role: 'host_school', institutionId: ex.receiving.institutionId });
      const documents = async (id: string) => ((await t.api.get(`/applications/${id}/documents`, { token: ex.sides.receiving.token })).body.items as Record<string, any>[]).map((d) => d.type);

      for (const { application } of [arrivedOne, toComplete]) {
        const response = await uploadDocument(t, ex.sides.receiving, application.id, 'transcript_of_records');
        expect({ status: application.status, code: response.status }).toEqual({ status: application.status, code: 201 });
        expect(response.body).toMatchObject({ type: 'transcript_of_records', mediaType: 'application/pdf' });
      }
      expect(await documents(arrivedOne.application.id)).toEqual(['transcript_of_records']);
      const seenByStudent = (await t.api.get(`/applications/${toComplete.application.id}/documents`, { token: toComplete.student.token })).body.items as Record<string, any>[];
      expect(seenByStudent.map((d) => d.type)).toEqual(['transcript_of_records']);

      expectProblem(await uploadDocument(t, ex.sides.receiving, notYet.application.id, 'transcript_of_records'), 409, 'application.not_editable');
      for (const type of ['transcript', 'other', 'passport']) expectProblem(await uploadDocument(t, ex.sides.receiving, arrivedOne.application.id, type), 403, 'access.forbidden');
      for (const who of [ex.sides.sending, school]) expectProblem(await uploadDocument(t, who, arrivedOne.application.id, 'transcript_of_records'), 403, 'access.forbidden');
      expectProblem(await uploadDocument(t, outsider.coordinator, arrivedOne.application.id, 'transcript_of_records'), 404, 'application.not_found');
      expect(await documents(arrivedOne.application.id)).toEqual(['transcript_of_records']);
      expect(await documents(notYet.application.id)).toEqual([]);
    });
  });
});
