/**
 * Programmes over HTTP: creation under an active agreement, quotas per direction and year
 * (also under concurrent requests), the lifecycle with the window closing by itself, and
 * who may see and do what, checked from the attacker's side.
 */
import { randomUUID } from 'node:crypto';
import type { ApiResponse } from '../harness/api.js';
import { startTestApp, type TestApp } from '../harness/app.js';
import { cast, signedIn, type Session } from '../harness/factories.js';
import {
  ACADEMIC_YEAR,
  AGREEMENT_ENDS_ON,
  NEXT_ACADEMIC_YEAR,
  YEAR,
  activeAgreement,
  daysFromNow,
  draftAgreement,
  newPartner,
  newProgram,
  programBody,
  publishedProgram,
  quota,
  quotasBothWays,
  type Partner,
} from '../harness/partnerships.js';
import { expectProblem } from '../harness/expect.js';

type Cast = Awaited<ReturnType<typeof cast>>;

const ids = (response: ApiResponse): string[] => (response.body.items as { id: string }[]).map((item) => item.id);

/** Every item of a list, following nextCursor. */
async function listAll(t: TestApp, token: string, query: Record<string, string | number> = {}): Promise<{ id: string; status: string; isOpen: boolean }[]> {
  const items: { id: string; status: string; isOpen: boolean }[] = [];
  let cursor: string | undefined;
  for (let i = 0; i < 50; i++) {
    const page = await t.api.get('/programs', { token, query: { limit: 100, ...query, cursor } });
    expect(page.status).toBe(200);
    items.push(...page.body.items);
    if (!page.body.nextCursor) return items;
    cursor = page.body.nextCursor;
  }
  throw new Error('list did not end');
}

async function seatsInDb(t: TestApp, agreementId: string, from: string, to: string, academicYear = ACADEMIC_YEAR): Promise<number> {
  const [row] = (await t.dataSource.query(
    `SELECT COALESCE(SUM(seats), 0)::int AS seats FROM programs
      WHERE agreement_id = $1 AND sending_institution_id = $2 AND receiving_institution_id = $3 AND academic_year = $4 AND status <> 'cancelled'`,
    [agreementId, from, to, academicYear],
  )) as { seats: number }[];
  return row.seats;
}

describe('programmes', () => {
  let t: TestApp;
  let c: Cast;
  let home: Partner;
  let other: Partner;
  let third: Partner;
  let outsider: Partner;
  /** Active, home ↔ other, 100 seats each way this year: for tests that do not count seats. */
  let roomy: { id: string };

  beforeAll(async () => {
    t = await startTestApp();
    c = await cast(t.dataSource, t.api);
    home = { institutionId: c.home.id, coordinator: c.coordinator };
    other = { institutionId: c.other.id, coordinator: c.otherCoordinator };
    [third, outsider] = await Promise.all([newPartner(t, { city: 'Karlsruhe', country: 'DE', timezone: 'Europe/Berlin' }), newPartner(t)]);
    roomy = await activeAgreement(t, { partners: [home, other], quotas: quotasBothWays([home.institutionId, other.institutionId], 100) });
  });
  afterAll(async () => {
    await t?.close();
  });

  const post = (body: Record<string, unknown>, who: Session) => t.api.post('/programs', body, { token: who.token });
  const act = (id: string, action: 'publish' | 'close' | 'cancel', who: Session, body: Record<string, unknown> = {}) => t.api.post(`/programs/${id}/${action}`, body, { token: who.token });

  describe('creation', () => {
    it('a coordinator of either side opens a draft programme under an active agreement', async () => {
      const body = programBody(roomy.id, home.institutionId, other.institutionId, { seats: 3 });
      const created = await post(body, home.coordinator);
      expect(created.status).toBe(201);
      expect(created.body).toMatchObject({
        id: expect.any(String),
        agreementId: roomy.id,
        title: body.title,
        description: body.description,
        sendingInstitutionId: home.institutionId,
        receivingInstitutionId: other.institutionId,
        academicYear: ACADEMIC_YEAR,
        startsOn: body.startsOn,
        endsOn: body.endsOn,
        applicationOpensAt: new Date(body.applicationOpensAt as string).toISOString(),
        applicationClosesAt: new Date(body.applicationClosesAt as string).toISOString(),
        seats: 3,
        languageRequirement: { language: 'fr', minLevel: 'B1' },
        requiredDocuments: ['transcript', 'passport'],
        accommodation: 'host_family',
        requiresLearningAgreement: true,
        status: 'draft',
        isOpen: false,
      });

      // The receiving side's coordinator may open one in that direction too, and an admin anywhere.
      const byReceiver = await post(programBody(roomy.id, home.institutionId, other.institutionId), other.coordinator);
      expect(byReceiver.status).toBe(201);
      const byAdmin = await post(programBody(roomy.id, other.institutionId, home.institutionId), c.admin);
      expect(byAdmin.status).toBe(201);
      // Optional fields take their defaults.
      const minimal = programBody(roomy.id, other.institutionId, home.institutionId);
      for (const field of ['description', 'languageRequirement', 'requiredDocuments', 'accommodation', 'requiresLearningAgreement']) delete minimal[field];
      const defaults = await post(minimal, other.coordinator);
      expect(defaults.status).toBe(201);
      expect(defaults.body).toMatchObject({ description: '', languageRequirement: null, requiredDocuments: [], accommodation: 'none', requiresLearningAgreement: false });
    });

    it('needs an active agreement: a draft, re-opened or terminated agreement answers 409 agreement.not_active', async () => {
      const draft = await draftAgreement(t, { partners: [home, other] });
      expectProblem(await post(programBody(draft.id, home.institutionId, other.institutionId), home.coordinator), 409, 'agreement.not_active', ['agreementId']);

      // Approved by one of two partners: still a draft.
      await t.api.post(`/agreements/${draft.id}/approve`, {}, { token: other.coordinator.token });
      expectProblem(await post(programBody(draft.id, home.institutionId, other.institutionId), other.coordinator), 409, 'agreement.not_active', ['agreementId']);

      // Active, then edited: a draft again until both approve the new version.
      const reopened = await activeAgreement(t, { partners: [home, other] });
      expect((await t.api.patch(`/agreements/${reopened.id}`, { title: 'New terms' }, { token: home.coordinator.token })).body.status).toBe('draft');
      expectProblem(await post(programBody(reopened.id, home.institutionId, other.institutionId), home.coordinator), 409, 'agreement.not_active', ['agreementId']);

      const terminated = await activeAgreement(t, { partners: [home, other] });
      expect((await t.api.post(`/agreements/${terminated.id}/terminate`, { reason: 'ended' }, { token: other.coordinator.token })).status).toBe(200);
      expectProblem(await post(programBody(terminated.id, home.institutionId, other.institutionId), home.coordinator), 409, 'agreement.not_active', ['agreementId']);
      expectProblem(await post(programBody(terminated.id, home.institutionId, other.institutionId), c.admin), 409, 'agreement.not_active', ['agreementId']);

      const [{ count }] = (await t.dataSource.query('SELECT count(*)::int AS count FROM programs WHERE agreement_id = ANY($1)', [[draft.id, reopened.id, terminated.id]])) as { count: number }[];
      expect(count).toBe(0);
    });

    it('takes no more seats from the quota once the agreement is no longer active', async () => {
      const agreement = await activeAgreement(t, { partners: [home, other] });
      const program = await post(programBody(agreement.id, home.institutionId, other.institutionId, { seats: 1 }), home.coordinator);
      expect(program.status).toBe(201);
      expect((await t.api.post(`/agreements/${agreement.id}/terminate`, { reason: 'ended' }, { token: other.coordinator.token })).status).toBe(200);
      expectProblem(await t.api.patch(`/programs/${program.body.id}`, { seats: 2 }, { token: home.coordinator.token }), 409, 'agreement.not_active', ['agreementId']);
      // Fewer seats, or a new title, are still fine.
      expect((await t.api.patch(`/programs/${program.body.id}`, { title: 'Renamed' }, { token: home.coordinator.token })).status).toBe(200);
    });

    it('an agreement that does not exist or that the coordinator is not party to is refused on agreementId', async () => {
      expectProblem(await post(programBody(randomUUID(), home.institutionId, other.institutionId), home.coordinator), 400, 'validation.failed', ['agreementId']);
      expectProblem(await post(programBody(roomy.id, home.institutionId, other.institutionId), outsider.coordinator), 400, 'validation.failed', ['agreementId']);
      expectProblem(await post(programBody('nope', home.institutionId, other.institutionId), home.coordinator), 400, 'validation.failed', ['agreementId']);
    });

    it('sending and receiving institutions must be two different partners of the agreement', async () => {
      const notPartnerSending = await post(programBody(roomy.id, third.institutionId, other.institutionId), c.admin);
      expectProblem(notPartnerSending, 400, 'validation.failed', ['sendingInstitutionId']);
      const notPartnerReceiving = await post(programBody(roomy.id, home.institutionId, third.institutionId), home.coordinator);
      expectProblem(notPartnerReceiving, 400, 'validation.failed', ['receivingInstitutionId']);
      const same = await post(programBody(roomy.id, home.institutionId, home.institutionId), home.coordinator);
      expectProblem(same, 400, 'validation.failed', ['receivingInstitutionId']);

      // A partner of a trilateral agreement opens programmes only where it sends or receives.
      const trilateral = await activeAgreement(t, { partners: [home, other, third] });
      const notOwnSide = await post(programBody(trilateral.id, home.institutionId, other.institutionId), third.coordinator);
      expectProblem(notOwnSide, 400, 'validation.failed', ['sendingInstitutionId']);
      expect((await post(programBody(trilateral.id, third.institutionId, other.institutionId), third.coordinator)).status).toBe(201);
    });

    it('dates must be in order, inside the agreement, and the window must close before the start', async () => {
      const make = (overrides: Record<string, unknown>) => post(programBody(roomy.id, home.institutionId, other.institutionId, overrides), home.coordinator);
      expectProblem(await make({ startsOn: `${YEAR - 2}-09-01`, applicationOpensAt: `${YEAR - 2}-01-01T00:00:00Z`, applicationClosesAt: `${YEAR - 2}-06-01T00:00:00Z` }), 400, 'validation.failed', ['startsOn']);
      expectProblem(await make({ endsOn: `${YEAR + 5}-01-31` }), 400, 'validation.failed', ['endsOn']);
      expectProblem(await make({ startsOn: `${YEAR}-09-01`, endsOn: `${YEAR}-08-01` }), 400, 'validation.failed', ['endsOn']);
      expectProblem(await make({ startsOn: `${YEAR}-09-01`, endsOn: `${YEAR}-09-01` }), 400, 'validation.failed', ['endsOn']);
      // Window closing after the programme starts.
      expectProblem(await make({ applicationClosesAt: `${YEAR}-09-15T00:00:00Z` }), 400, 'validation.failed', ['applicationClosesAt']);
      // Window the wrong way round.
      expectProblem(await make({ applicationOpensAt: `${YEAR}-06-01T00:00:00Z`, applicationClosesAt: `${YEAR}-05-01T00:00:00Z` }), 400, 'validation.failed', ['applicationClosesAt']);
      expectProblem(await make({ applicationOpensAt: `${YEAR}-05-01T00:00:00Z`, applicationClosesAt: `${YEAR}-05-01T00:00:00Z` }), 400, 'validation.failed', ['applicationClosesAt']);
      // Malformed values are named too.
      expectProblem(await make({ applicationOpensAt: `${YEAR}-01-01T00:00:00` }), 400, 'validation.failed', ['applicationOpensAt']);
      expectProblem(await make({ startsOn: `${YEAR}-02-30` }), 400, 'validation.failed', ['startsOn']);
      expectProblem(await make({ academicYear: `${YEAR}-${YEAR + 1}` }), 400, 'validation.failed', ['academicYear']);
      expectProblem(await make({ academicYear: `${YEAR}/${YEAR + 2}` }), 400, 'validation.failed', ['academicYear']);
      // The academic year is the one the programme starts in: its seats count against that year's quota.
      expectProblem(await make({ startsOn: `${YEAR + 1}-09-01`, endsOn: `${YEAR + 2}-01-31` }), 400, 'validation.failed', ['academicYear']);
      // Boundaries: the agreement's last day is inside (its first day is checked with the dates above).
      const edge = await make({ endsOn: AGREEMENT_ENDS_ON });
      expect(edge.status).toBe(201);
    });

    it('the other fields are validated with field names, and unknown fields are refused', async () => {
      const make = (overrides: Record<string, unknown>) => post(programBody(roomy.id, home.institutionId, other.institutionId, overrides), home.coordinator);
      expectProblem(await make({ seats: 0 }), 400, 'validation.failed', ['seats']);
      expectProblem(await make({ seats: -2 }), 400, 'validation.failed', ['seats']);
      expectProblem(await make({ seats: 1.5 }), 400, 'validation.failed', ['seats']);
      expectProblem(await make({ languageRequirement: { language: 'fr', minLevel: 'D1' } }), 400, 'validation.failed', ['languageRequirement.minLevel']);
      expectProblem(await make({ languageRequirement: { language: 'French', minLevel: 'B1' } }), 400, 'validation.failed', ['languageRequirement.language']);
      expectProblem(await make({ requiredDocuments: ['passport', 'selfie'] }), 400, 'validation.failed', ['requiredDocuments']);
      expectProblem(await make({ accommodation: 'hotel' }), 400, 'validation.failed', ['accommodation']);
      expectProblem(await make({ requiresLearningAgreement: 'yes' }), 400, 'validation.failed', ['requiresLearningAgreement']);
      expectProblem(await make({ status: 'published' }), 400, 'validation.failed', ['status']);
      expectProblem(await make({ createdBy: c.admin.user.id }), 400, 'validation.failed', ['createdBy']);
      expectProblem(await make({ languageRequirement: { language: 'fr', minLevel: 'B1', certified: true } }), 400, 'validation.failed', ['languageRequirement.certified']);
      const empty = await post({}, home.coordinator);
      expectProblem(empty, 400, 'validation.failed', ['agreementId', 'sendingInstitutionId', 'receivingInstitutionId', 'title', 'academicYear', 'startsOn', 'endsOn', 'applicationOpensAt', 'applicationClosesAt', 'seats']);
    });
  });

  describe('quotas', () => {
    it('seats above the remaining quota answer 409 agreement.quota_exceeded, counted over all programmes of that direction and year', async () => {
      const agreement = await activeAgreement(t, {
        partners: [home, other],
        quotas: [quota(home.institutionId, other.institutionId, 10), quota(other.institutionId, home.institutionId, 2)],
      });
      const make = (seats: number, who: Session, from = home.institutionId, to = other.institutionId, overrides: Record<string, unknown> = {}) =>
        post(programBody(agreement.id, from, to, { seats, ...overrides }), who);

      expectProblem(await make(11, home.coordinator), 409, 'agreement.quota_exceeded', ['seats']);
      const six = await make(6, home.coordinator);
      expect(six.status).toBe(201);
      const four = await make(4, other.coordinator);
      expect(four.status).toBe(201);
      expect((await act(four.body.id, 'publish', other.coordinator)).body.status).toBe('published');
      // Drafts and published programmes both count, whoever created them.
      expectProblem(await make(1, home.coordinator), 409, 'agreement.quota_exceeded', ['seats']);
      expectProblem(await make(1, c.admin), 409, 'agreement.quota_exceeded', ['seats']);

      // The other direction has its own quota.
      expectProblem(await make(3, other.coordinator, other.institutionId, home.institutionId), 409, 'agreement.quota_exceeded', ['seats']);
      expect((await make(2, other.coordinator, other.institutionId, home.institutionId)).status).toBe(201);

      // A direction or year without a quota has none to give.
      const nextYear = { academicYear: NEXT_ACADEMIC_YEAR, startsOn: `${YEAR + 1}-09-01`, endsOn: `${YEAR + 2}-01-31`, applicationClosesAt: `${YEAR + 1}-06-30T00:00:00Z` };
      expectProblem(await make(1, home.coordinator, home.institutionId, other.institutionId, nextYear), 409, 'agreement.quota_exceeded', ['seats']);

      // A closed programme still holds its seats; a cancelled one frees them.
      expect((await act(four.body.id, 'close', home.coordinator)).body.status).toBe('closed');
      expectProblem(await make(1, home.coordinator), 409, 'agreement.quota_exceeded');
      expect((await act(six.body.id, 'cancel', other.coordinator)).body.status).toBe('cancelled');
      expectProblem(await make(7, home.coordinator), 409, 'agreement.quota_exceeded', ['seats']);
      expect((await make(6, home.coordinator)).status).toBe(201);
      expect(await seatsInDb(t, agreement.id, home.institutionId, other.institutionId)).toBe(10);
    });

    it('a direction with a zero quota or a trilateral direction without one opens nothing', async () => {
      const trilateral = await activeAgreement(t, {
        partners: [home, other, third],
        quotas: [quota(home.institutionId, third.institutionId, 2), quota(third.institutionId, home.institutionId, 0)],
      });
      expectProblem(await post(programBody(trilateral.id, third.institutionId, home.institutionId), third.coordinator), 409, 'agreement.quota_exceeded', ['seats']);
      expectProblem(await post(programBody(trilateral.id, other.institutionId, third.institutionId), third.coordinator), 409, 'agreement.quota_exceeded', ['seats']);
      expect((await post(programBody(trilateral.id, home.institutionId, third.institutionId, { seats: 2 }), third.coordinator)).status).toBe(201);
    });

    it('enlarging a programme past the quota answers 409; shrinking gives seats back', async () => {
      const agreement = await activeAgreement(t, { partners: [home, other], quotas: [quota(home.institutionId, other.institutionId, 5)] });
      const a = await newProgram(t, home.coordinator, agreement.id, home.institutionId, other.institutionId, { seats: 3 });
      const b = await newProgram(t, other.coordinator, agreement.id, home.institutionId, other.institutionId, { seats: 1 });

      expectProblem(await t.api.patch(`/programs/${a.id}`, { seats: 5 }, { token: home.coordinator.token }), 409, 'agreement.quota_exceeded', ['seats']);
      const grown = await t.api.patch(`/programs/${a.id}`, { seats: 4 }, { token: other.coordinator.token });
      expect(grown.status).toBe(200);
      expect(grown.body.seats).toBe(4);
      expectProblem(await t.api.patch(`/programs/${b.id}`, { seats: 2 }, { token: home.coordinator.token }), 409, 'agreement.quota_exceeded', ['seats']);

      const shrunk = await t.api.patch(`/programs/${a.id}`, { seats: 2 }, { token: home.coordinator.token });
      expect(shrunk.body.seats).toBe(2);
      expect((await t.api.patch(`/programs/${b.id}`, { seats: 3 }, { token: home.coordinator.token })).body.seats).toBe(3);

      // Moving a programme to a year without a quota is refused as well.
      expectProblem(
        await t.api.patch(`/programs/${b.id}`, { academicYear: NEXT_ACADEMIC_YEAR, startsOn: `${YEAR + 1}-09-01`, endsOn: `${YEAR + 2}-01-31` }, { token: home.coordinator.token }),
        409,
        'agreement.quota_exceeded',
        ['seats'],
      );
      expect((await t.api.get(`/programs/${b.id}`, { token: home.coordinator.token })).body).toMatchObject({ seats: 3, academicYear: ACADEMIC_YEAR });
      expect(await seatsInDb(t, agreement.id, home.institutionId, other.institutionId)).toBe(5);
    });

    it('an agreement edit may not take away seats or dates that programmes already use (409 agreement.conflicts_with_programs)', async () => {
      const agreement = await activeAgreement(t, { partners: [home, other], quotas: [quota(home.institutionId, other.institutionId, 5)] });
      await newProgram(t, home.coordinator, agreement.id, home.institutionId, other.institutionId, { seats: 4 });
      expectProblem(
        await t.api.patch(`/agreements/${agreement.id}`, { quotas: [quota(home.institutionId, other.institutionId, 3)] }, { token: home.coordinator.token }),
        409,
        'agreement.conflicts_with_programs',
        ['quotas[0].seats'],
      );
      expectProblem(await t.api.patch(`/agreements/${agreement.id}`, { quotas: [] }, { token: home.coordinator.token }), 409, 'agreement.conflicts_with_programs', ['quotas']);
      expectProblem(await t.api.patch(`/agreements/${agreement.id}`, { endsOn: `${YEAR}-12-31` }, { token: other.coordinator.token }), 409, 'agreement.conflicts_with_programs', ['endsOn']);
      const read = await t.api.get(`/agreements/${agreement.id}`, { token: home.coordinator.token });
      expect(read.body).toMatchObject({ status: 'active', version: 1, quotas: [quota(home.institutionId, other.institutionId, 5)] });
    });

    it('race: 20 parallel creations of 1 seat from both sides against a quota of 5 give exactly 5 programmes', async () => {
      const agreement = await activeAgreement(t, { partners: [home, other], quotas: [quota(home.institutionId, other.institutionId, 5)] });
      const responses = await Promise.all(
        Array.from({ length: 20 }, (_, i) => post(programBody(agreement.id, home.institutionId, other.institutionId, { seats: 1, title: `Race ${i}` }), i % 2 ? other.coordinator : home.coordinator)),
      );
      const statuses = responses.map((r) => r.status);
      expect(statuses.filter((s) => s >= 500)).toEqual([]);
      expect(statuses.filter((s) => s === 201)).toHaveLength(5);
      const refused = responses.filter((r) => r.status !== 201);
      expect(refused).toHaveLength(15);
      for (const response of refused) expectProblem(response, 409, 'agreement.quota_exceeded', ['seats']);
      expect(await seatsInDb(t, agreement.id, home.institutionId, other.institutionId)).toBe(5);
      const [{ count }] = (await t.dataSource.query('SELECT count(*)::int AS count FROM programs WHERE agreement_id = $1', [agreement.id])) as { count: number }[];
      expect(count).toBe(5);
    });

    it('race: parallel enlargements and creations never exceed the quota', async () => {
      const agreement = await activeAgreement(t, { partners: [home, other], quotas: [quota(home.institutionId, other.institutionId, 15)] });
      const programs = await Promise.all(
        Array.from({ length: 10 }, (_, i) => newProgram(t, i % 2 ? other.coordinator : home.coordinator, agreement.id, home.institutionId, other.institutionId, { seats: 1 })),
      );
      expect(await seatsInDb(t, agreement.id, home.institutionId, other.institutionId)).toBe(10);

      // 5 seats left; 10 enlargements by one seat and 5 creations of one seat race for them.
      const responses = await Promise.all([
        ...programs.map((p, i) => t.api.patch(`/programs/${p.id}`, { seats: 2 }, { token: (i % 2 ? home : other).coordinator.token })),
        ...Array.from({ length: 5 }, (_, i) => post(programBody(agreement.id, home.institutionId, other.institutionId, { seats: 1 }), i % 2 ? other.coordinator : home.coordinator)),
      ]);
      const statuses = responses.map((r) => r.status);
      expect(statuses.filter((s) => s >= 500)).toEqual([]);
      expect(statuses.filter((s) => s === 200 || s === 201)).toHaveLength(5);
      for (const response of responses.filter((r) => r.status !== 200 && r.status !== 201)) expectProblem(response, 409, 'agreement.quota_exceeded', ['seats']);
      expect(await seatsInDb(t, agreement.id, home.institutionId, other.institutionId)).toBe(15);
    });

    it('race: parallel enlargements alone give out exactly the seats left', async () => {
      const agreement = await activeAgreement(t, { partners: [home, other], quotas: [quota(other.institutionId, home.institutionId, 12)] });
      const programs = await Promise.all(Array.from({ length: 8 }, () => newProgram(t, other.coordinator, agreement.id, other.institutionId, home.institutionId, { seats: 1 })));
      // 4 left: each enlargement asks for 2 more, so exactly 2 of 8 fit.
      const responses = await Promise.all(programs.map((p, i) => t.api.patch(`/programs/${p.id}`, { seats: 3 }, { token: (i % 2 ? home : other).coordinator.token })));
      const statuses = responses.map((r) => r.status);
      expect(statuses.filter((s) => s >= 500)).toEqual([]);
      expect(statuses.filter((s) => s === 200)).toHaveLength(2);
      for (const response of responses.filter((r) => r.status !== 200)) expectProblem(response, 409, 'agreement.quota_exceeded', ['seats']);
      expect(await seatsInDb(t, agreement.id, other.institutionId, home.institutionId)).toBe(12);
    });
  });

  describe('lifecycle', () => {
    it('draft → published → closed; every other move answers 409 program.invalid_transition', async () => {
      const program = await newProgram(t, home.coordinator, roomy.id, home.institutionId, other.institutionId);
      expectProblem(await act(program.id, 'close', home.coordinator), 409, 'program.invalid_transition');

      const published = await act(program.id, 'publish', other.coordinator, { comment: 'go' });
      expect(published.status).toBe(200);
      expect(published.body).toMatchObject({ id: program.id, status: 'published', isOpen: true });
      expectProblem(await act(program.id, 'publish', home.coordinator), 409, 'program.invalid_transition');

      const closed = await act(program.id, 'close', home.coordinator);
      expect(closed.status).toBe(200);
      expect(closed.body).toMatchObject({ status: 'closed', isOpen: false });
      expectProblem(await act(program.id, 'close', home.coordinator), 409, 'program.invalid_transition');
      expectProblem(await act(program.id, 'publish', home.coordinator), 409, 'program.invalid_transition');
      expectProblem(await act(program.id, 'cancel', home.coordinator), 409, 'program.invalid_transition');
      expectProblem(await t.api.patch(`/programs/${program.id}`, { title: 'Reopened' }, { token: home.coordinator.token }), 409, 'program.invalid_transition');
      expect((await t.api.get(`/programs/${program.id}`, { token: home.coordinator.token })).body).toMatchObject({ status: 'closed', title: program.title });
    });

    it('cancel from draft and from published; a cancelled programme moves no further', async () => {
      const draft = await newProgram(t, home.coordinator, roomy.id, home.institutionId, other.institutionId);
      const cancelledDraft = await act(draft.id, 'cancel', other.coordinator, { reason: 'no interest' });
      expect(cancelledDraft.status).toBe(200);
      expect(cancelledDraft.body.status).toBe('cancelled');

      const published = await publishedProgram(t, home.coordinator, roomy.id, home.institutionId, other.institutionId);
      const cancelledPublished = await act(published.id, 'cancel', c.admin);
      expect(cancelledPublished.body).toMatchObject({ status: 'cancelled', isOpen: false });

      for (const id of [draft.id, published.id]) {
        for (const action of ['publish', 'close', 'cancel'] as const) expectProblem(await act(id, action, home.coordinator), 409, 'program.invalid_transition');
        expectProblem(await t.api.patch(`/programs/${id}`, { seats: 2 }, { token: home.coordinator.token }), 409, 'program.invalid_transition');
      }
      expectProblem(await act(draft.id, 'publish', home.coordinator, { status: 'published' }), 400, 'validation.failed', ['status']);
    });

    it('publishing needs the agreement still active and the window not yet passed', async () => {
      const agreement = await activeAgreement(t, { partners: [home, other] });
      const program = await newProgram(t, home.coordinator, agreement.id, home.institutionId, other.institutionId);
      expect((await t.api.patch(`/agreements/${agreement.id}`, { title: 'Renegotiated' }, { token: other.coordinator.token })).body.status).toBe('draft');
      expectProblem(await act(program.id, 'publish', home.coordinator), 409, 'agreement.not_active');
      for (const partner of [home, other]) await t.api.post(`/agreements/${agreement.id}/approve`, {}, { token: partner.coordinator.token });
      expect((await act(program.id, 'publish', home.coordinator)).body.status).toBe('published');

      const stale = await newProgram(t, home.coordinator, roomy.id, home.institutionId, other.institutionId);
      await t.dataSource.query('UPDATE programs SET application_opens_at = $2, application_closes_at = $3 WHERE id = $1', [stale.id, daysFromNow(-20), daysFromNow(-10)]);
      expectProblem(await act(stale.id, 'publish', home.coordinator), 400, 'validation.failed', ['applicationClosesAt']);
      expect((await t.api.get(`/programs/${stale.id}`, { token: home.coordinator.token })).body.status).toBe('draft');
    });

    it('a published programme whose window has passed reads as closed, with nobody acting', async () => {
      const program = await publishedProgram(t, home.coordinator, roomy.id, home.institutionId, other.institutionId, { title: 'Window passing' });
      const before = await t.api.get(`/programs/${program.id}`, { token: other.coordinator.token });
      expect(before.body).toMatchObject({ status: 'published', isOpen: true });
      expect((await listAll(t, c.student.token, { open: 'true' })).map((p) => p.id)).toContain(program.id);

      await t.dataSource.query('UPDATE programs SET application_opens_at = $2, application_closes_at = $3 WHERE id = $1', [program.id, daysFromNow(-30), daysFromNow(-1)]);

      const after = await t.api.get(`/programs/${program.id}`, { token: other.coordinator.token });
      expect(after.status).toBe(200);
      expect(after.body).toMatchObject({ status: 'closed', isOpen: false });
      const closedList = await listAll(t, home.coordinator.token, { status: 'closed' });
      expect(closedList.find((p) => p.id === program.id)).toMatchObject({ status: 'closed', isOpen: false });
      expect((await listAll(t, home.coordinator.token, { status: 'published' })).map((p) => p.id)).not.toContain(program.id);
      expect((await listAll(t, home.coordinator.token, { open: 'true' })).map((p) => p.id)).not.toContain(program.id);

      // Students see only published programmes: one that reads closed is gone for them as well.
      expect((await listAll(t, c.student.token, { open: 'true' })).map((p) => p.id)).not.toContain(program.id);
      expect((await listAll(t, c.student.token)).map((p) => p.id)).not.toContain(program.id);
      expectProblem(await t.api.get(`/programs/${program.id}`, { token: c.student.token }), 404, 'program.not_found');

      // It cannot be published again, nor reopened by moving its window; closing it for good is allowed.
      expectProblem(await act(program.id, 'publish', home.coordinator), 409, 'program.invalid_transition');
      expectProblem(await t.api.patch(`/programs/${program.id}`, { applicationClosesAt: daysFromNow(20) }, { token: home.coordinator.token }), 409, 'program.invalid_transition');
      // Other edits stay possible (a seat more for a waitlisted student).
      expect((await t.api.patch(`/programs/${program.id}`, { seats: program.seats + 1 }, { token: home.coordinator.token })).body).toMatchObject({ seats: program.seats + 1, status: 'closed' });
      const closed = await act(program.id, 'close', home.coordinator);
      expect(closed.status).toBe(200);
      expect(closed.body.status).toBe('closed');
    });

    it('a published programme whose window opens later is published but not open', async () => {
      const program = await publishedProgram(t, home.coordinator, roomy.id, home.institutionId, other.institutionId, { applicationOpensAt: daysFromNow(10) });
      expect(program).toMatchObject({ status: 'published', isOpen: false });
      const studentView = await t.api.get(`/programs/${program.id}`, { token: c.student.token });
      expect(studentView.status).toBe(200);
      expect(studentView.body).toMatchObject({ status: 'published', isOpen: false });
      expect((await listAll(t, c.student.token)).map((p) => p.id)).toContain(program.id);
      expect((await listAll(t, c.student.token, { open: 'true' })).map((p) => p.id)).not.toContain(program.id);
      expect((await listAll(t, c.student.token, { open: 'false' })).map((p) => p.id)).toContain(program.id);
    });
  });

  describe('visibility from the attacker side', () => {
    let draft: { id: string };
    let outgoing: { id: string };
    let incoming: { id: string };
    let cancelled: { id: string };
    let thirdStudent: Session;

    beforeAll(async () => {
      draft = await newProgram(t, home.coordinator, roomy.id, home.institutionId, other.institutionId, { title: 'Hidden draft' });
      outgoing = await publishedProgram(t, home.coordinator, roomy.id, home.institutionId, other.institutionId, { title: 'Outgoing from home' });
      incoming = await publishedProgram(t, other.coordinator, roomy.id, other.institutionId, home.institutionId, { title: 'Outgoing from other' });
      cancelled = await publishedProgram(t, home.coordinator, roomy.id, home.institutionId, other.institutionId, { title: 'Cancelled' });
      await act(cancelled.id, 'cancel', home.coordinator);
      thirdStudent = await signedIn(t.dataSource, t.api, { role: 'student', institutionId: third.institutionId });
    });

    it('a student sees only published programmes sent from its home institution', async () => {
      const token = c.student.token;
      const seen = await t.api.get(`/programs/${outgoing.id}`, { token });
      expect(seen.status).toBe(200);
      expect(seen.body).toMatchObject({ id: outgoing.id, status: 'published', isOpen: true });
      expectProblem(await t.api.get(`/programs/${draft.id}`, { token }), 404, 'program.not_found');
      expectProblem(await t.api.get(`/programs/${cancelled.id}`, { token }), 404, 'program.not_found');
      // Its institution receives this one: not for its students.
      expectProblem(await t.api.get(`/programs/${incoming.id}`, { token }), 404, 'program.not_found');

      const list = await listAll(t, token);
      expect(list.map((p) => p.id)).toContain(outgoing.id);
      expect(list.map((p) => p.id)).not.toEqual(expect.arrayContaining([draft.id]));
      expect(list.map((p) => p.id)).not.toContain(incoming.id);
      expect(list.map((p) => p.id)).not.toContain(cancelled.id);
      for (const item of list) expect(item.status).toBe('published');
      const [{ count }] = (await t.dataSource.query('SELECT count(*)::int AS count FROM programs WHERE id = ANY($1) AND sending_institution_id <> $2', [list.map((p) => p.id), c.home.id])) as { count: number }[];
      expect(count).toBe(0);
      // Filters cannot widen the scope.
      expect((await listAll(t, token, { status: 'draft' })).map((p) => p.id)).toEqual([]);
      expect((await listAll(t, token, { receivingInstitutionId: c.home.id })).map((p) => p.id)).toEqual([]);
    });

    it("the receiving side's student and another institution's student get 404", async () => {
      for (const student of [c.otherStudent, thirdStudent]) {
        expectProblem(await t.api.get(`/programs/${outgoing.id}`, { token: student.token }), 404, 'program.not_found');
        expectProblem(await t.api.get(`/programs/${draft.id}`, { token: student.token }), 404, 'program.not_found');
        expectProblem(await t.api.patch(`/programs/${outgoing.id}`, { title: 'x' }, { token: student.token }), 404, 'program.not_found');
        expect((await listAll(t, student.token)).map((p) => p.id)).not.toContain(outgoing.id);
      }
      // The programme sent from the other institution is its students' to see.
      expect((await t.api.get(`/programs/${incoming.id}`, { token: c.otherStudent.token })).status).toBe(200);
      expect((await listAll(t, thirdStudent.token)).map((p) => p.id)).toEqual([]);
    });

    it('a student may not create, edit or move a programme it can see (403)', async () => {
      const token = c.student.token;
      expectProblem(await post(programBody(roomy.id, home.institutionId, other.institutionId), c.student), 403, 'access.forbidden');
      expectProblem(await t.api.patch(`/programs/${outgoing.id}`, { seats: 50 }, { token }), 403, 'access.forbidden');
      for (const action of ['publish', 'close', 'cancel'] as const) expectProblem(await act(outgoing.id, action, c.student, { reason: 'x' }), 403, 'access.forbidden');
      // One it cannot see stays 404.
      expectProblem(await t.api.patch(`/programs/${draft.id}`, { seats: 50 }, { token }), 404, 'program.not_found');
      expect((await t.api.get(`/programs/${outgoing.id}`, { token: home.coordinator.token })).body).toMatchObject({ status: 'published', seats: 1 });
    });

    it('coordinators of either side see and edit; any other coordinator gets 404 and does not list them', async () => {
      for (const coordinator of [home.coordinator, other.coordinator]) {
        expect((await t.api.get(`/programs/${draft.id}`, { token: coordinator.token })).status).toBe(200);
        expect((await listAll(t, coordinator.token)).map((p) => p.id)).toEqual(expect.arrayContaining([draft.id, outgoing.id, incoming.id, cancelled.id]));
      }
      const edited = await t.api.patch(`/programs/${draft.id}`, { title: 'Edited by the receiver', description: 'Now with details.' }, { token: other.coordinator.token });
      expect(edited.status).toBe(200);
      expect(edited.body).toMatchObject({ title: 'Edited by the receiver', description: 'Now with details.', status: 'draft' });

      // An outsider, and a partner of another agreement that is neither side here.
      for (const coordinator of [outsider.coordinator, third.coordinator]) {
        const token = coordinator.token;
        expectProblem(await t.api.get(`/programs/${draft.id}`, { token }), 404, 'program.not_found');
        expectProblem(await t.api.get(`/programs/${outgoing.id}`, { token }), 404, 'program.not_found');
        expectProblem(await t.api.patch(`/programs/${draft.id}`, { title: 'Hijacked' }, { token }), 404, 'program.not_found');
        expectProblem(await act(draft.id, 'publish', coordinator), 404, 'program.not_found');
        expectProblem(await act(outgoing.id, 'close', coordinator), 404, 'program.not_found');
        expectProblem(await act(outgoing.id, 'cancel', coordinator), 404, 'program.not_found');
        const listed = (await listAll(t, token)).map((p) => p.id);
        for (const id of [draft.id, outgoing.id, incoming.id, cancelled.id]) expect(listed).not.toContain(id);
      }
      expectProblem(await t.api.get(`/programs/${randomUUID()}`, { token: home.coordinator.token }), 404, 'program.not_found');
      expect((await t.api.get(`/programs/${draft.id}`, { token: home.coordinator.token })).body).toMatchObject({ title: 'Edited by the receiver', status: 'draft' });
      expect((await t.api.get(`/programs/${outgoing.id}`, { token: home.coordinator.token })).body.status).toBe('published');
    });

    it('an edit is validated like a creation; the agreement, the two sides and the status cannot be changed by PATCH', async () => {
      const program = await newProgram(t, home.coordinator, roomy.id, home.institutionId, other.institutionId);
      const patch = (body: Record<string, unknown>) => t.api.patch(`/programs/${program.id}`, body, { token: other.coordinator.token });
      expectProblem(await patch({ endsOn: `${YEAR + 5}-06-30` }), 400, 'validation.failed', ['endsOn']);
      expectProblem(await patch({ startsOn: `${YEAR + 1}-03-01` }), 400, 'validation.failed', ['endsOn']);
      expectProblem(await patch({ applicationClosesAt: `${YEAR}-10-01T00:00:00Z` }), 400, 'validation.failed', ['applicationClosesAt']);
      expectProblem(await patch({ applicationOpensAt: `${YEAR}-07-01T00:00:00Z` }), 400, 'validation.failed', ['applicationClosesAt']);
      expectProblem(await patch({ seats: 0 }), 400, 'validation.failed', ['seats']);
      expectProblem(await patch({ title: null }), 400, 'validation.failed', ['title']);
      for (const field of ['agreementId', 'sendingInstitutionId', 'receivingInstitutionId', 'status', 'createdBy', 'isOpen']) {
        const value = field === 'isOpen' ? true : field === 'status' ? 'published' : third.institutionId;
        expectProblem(await patch({ [field]: value }), 400, 'validation.failed', [field]);
      }
      const read = await t.api.get(`/programs/${program.id}`, { token: home.coordinator.token });
      expect(read.body).toMatchObject({ ...program, updatedAt: expect.any(String) });

      const moved = await patch({ startsOn: `${YEAR}-10-01`, endsOn: `${YEAR + 1}-02-28`, languageRequirement: null, requiredDocuments: [], accommodation: 'residence' });
      expect(moved.status).toBe(200);
      expect(moved.body).toMatchObject({ startsOn: `${YEAR}-10-01`, endsOn: `${YEAR + 1}-02-28`, languageRequirement: null, requiredDocuments: [], accommodation: 'residence', seats: 1 });
    });

    it('a third partner of a trilateral agreement does not see programmes between the other two', async () => {
      const trilateral = await activeAgreement(t, { partners: [home, other, third] });
      const between = await newProgram(t, home.coordinator, trilateral.id, home.institutionId, other.institutionId);
      expectProblem(await t.api.get(`/programs/${between.id}`, { token: third.coordinator.token }), 404, 'program.not_found');
      expectProblem(await t.api.patch(`/programs/${between.id}`, { seats: 2 }, { token: third.coordinator.token }), 404, 'program.not_found');
      expect((await t.api.get(`/programs/${between.id}`, { token: other.coordinator.token })).status).toBe(200);
    });

    it.each(['hostSchool', 'hostFamily'] as const)('%s gets 403 on the list, 404 on a programme and 403 on creation', async (role) => {
      const who = c[role];
      expectProblem(await t.api.get('/programs', { token: who.token }), 403, 'access.forbidden');
      for (const id of [draft.id, outgoing.id, incoming.id]) expectProblem(await t.api.get(`/programs/${id}`, { token: who.token }), 404, 'program.not_found');
      expectProblem(await t.api.patch(`/programs/${outgoing.id}`, { seats: 9 }, { token: who.token }), 404, 'program.not_found');
      expectProblem(await act(outgoing.id, 'cancel', who), 404, 'program.not_found');
      expectProblem(await post(programBody(roomy.id, home.institutionId, other.institutionId), who), 403, 'access.forbidden');
    });

    it('an admin sees every programme', async () => {
      const listed = (await listAll(t, c.admin.token)).map((p) => p.id);
      expect(listed).toEqual(expect.arrayContaining([draft.id, outgoing.id, incoming.id, cancelled.id]));
      const [{ count }] = (await t.dataSource.query('SELECT count(*)::int AS count FROM programs')) as { count: number }[];
      expect(listed).toHaveLength(count);
      expect((await t.api.get(`/programs/${draft.id}`, { token: c.admin.token })).status).toBe(200);
    });

    it('without a token the routes answer 401', async () => {
      expectProblem(await t.api.get('/programs'), 401, 'auth.unauthenticated');
      expectProblem(await t.api.get(`/programs/${outgoing.id}`), 401, 'auth.unauthenticated');
    });
  });

  describe('lists', () => {
    let a: Partner;
    let b: Partner;
    let agreement: { id: string };
    beforeAll(async () => {
      [a, b] = await Promise.all([newPartner(t), newPartner(t)]);
      agreement = await activeAgreement(t, {
        partners: [a, b],
        quotas: [...quotasBothWays([a.institutionId, b.institutionId], 20), ...quotasBothWays([a.institutionId, b.institutionId], 20, NEXT_ACADEMIC_YEAR)],
      });
    });

    it('filter by status, academicYear and receivingInstitutionId', async () => {
      const nextYear = { academicYear: NEXT_ACADEMIC_YEAR, startsOn: `${YEAR + 1}-09-01`, endsOn: `${YEAR + 2}-01-31`, applicationClosesAt: `${YEAR + 1}-06-30T00:00:00Z` };
      const draftAB = await newProgram(t, a.coordinator, agreement.id, a.institutionId, b.institutionId);
      const publishedAB = await publishedProgram(t, a.coordinator, agreement.id, a.institutionId, b.institutionId);
      const publishedBA = await publishedProgram(t, b.coordinator, agreement.id, b.institutionId, a.institutionId);
      const nextYearAB = await publishedProgram(t, a.coordinator, agreement.id, a.institutionId, b.institutionId, nextYear);
      const cancelledBA = await newProgram(t, b.coordinator, agreement.id, b.institutionId, a.institutionId);
      await act(cancelledBA.id, 'cancel', b.coordinator);
      const closedAB = await publishedProgram(t, a.coordinator, agreement.id, a.institutionId, b.institutionId);
      await act(closedAB.id, 'close', b.coordinator);

      const query = async (q: Record<string, string>) => (await listAll(t, a.coordinator.token, q)).map((p) => p.id).sort();
      const sorted = (...xs: { id: string }[]) => xs.map((x) => x.id).sort();
      expect(await query({})).toEqual(sorted(draftAB, publishedAB, publishedBA, nextYearAB, cancelledBA, closedAB));
      expect(await query({ status: 'draft' })).toEqual(sorted(draftAB));
      expect(await query({ status: 'published' })).toEqual(sorted(publishedAB, publishedBA, nextYearAB));
      expect(await query({ status: 'cancelled' })).toEqual(sorted(cancelledBA));
      expect(await query({ status: 'closed' })).toEqual(sorted(closedAB));
      expect(await query({ academicYear: NEXT_ACADEMIC_YEAR })).toEqual(sorted(nextYearAB));
      expect(await query({ academicYear: ACADEMIC_YEAR, status: 'published' })).toEqual(sorted(publishedAB, publishedBA));
      expect(await query({ receivingInstitutionId: a.institutionId })).toEqual(sorted(publishedBA, cancelledBA));
      expect(await query({ receivingInstitutionId: b.institutionId, status: 'published' })).toEqual(sorted(publishedAB, nextYearAB));
      expect(await query({ open: 'true' })).toEqual(sorted(publishedAB, publishedBA, nextYearAB));

      expectProblem(await t.api.get('/programs', { token: a.coordinator.token, query: { status: 'open' } }), 400, 'validation.failed', ['status']);
      expectProblem(await t.api.get('/programs', { token: a.coordinator.token, query: { academicYear: '2027-2028' } }), 400, 'validation.failed', ['academicYear']);
      expectProblem(await t.api.get('/programs', { token: a.coordinator.token, query: { receivingInstitutionId: 'x' } }), 400, 'validation.failed', ['receivingInstitutionId']);
      expectProblem(await t.api.get('/programs', { token: a.coordinator.token, query: { open: 'yes' } }), 400, 'validation.failed', ['open']);
      expectProblem(await t.api.get('/programs', { token: a.coordinator.token, query: { limit: 101 } }), 400, 'validation.failed', ['limit']);
      expectProblem(await t.api.get('/programs', { token: a.coordinator.token, query: { limit: 0 } }), 400, 'validation.failed', ['limit']);
      expectProblem(await t.api.get('/programs', { token: a.coordinator.token, query: { cursor: 'bm90LWEtY3Vyc29y' } }), 400, 'validation.failed', ['cursor']);
    });

    it('keyset pagination walks every page once, in start-date order', async () => {
      const [c1, c2] = await Promise.all([newPartner(t), newPartner(t)]);
      const pagedAgreement = await activeAgreement(t, { partners: [c1, c2], quotas: quotasBothWays([c1.institutionId, c2.institutionId], 50) });
      const created: { id: string; startsOn: string }[] = [];
      for (let i = 0; i < 7; i++) {
        // Two programmes share each start date, so the id breaks ties across page boundaries.
        const day = String(1 + Math.floor(i / 2)).padStart(2, '0');
        created.push(await newProgram(t, c1.coordinator, pagedAgreement.id, c1.institutionId, c2.institutionId, { startsOn: `${YEAR}-09-${day}` }));
      }
      const expected = [...created].sort((x, y) => (x.startsOn === y.startsOn ? (x.id < y.id ? -1 : 1) : x.startsOn < y.startsOn ? -1 : 1)).map((p) => p.id);

      const seen: string[] = [];
      const sizes: number[] = [];
      let cursor: string | undefined;
      for (let page = 0; page < 10; page++) {
        const response = await t.api.get('/programs', { token: c2.coordinator.token, query: { limit: 3, cursor } });
        expect(response.status).toBe(200);
        sizes.push(response.body.items.length);
        seen.push(...ids(response));
        cursor = response.body.nextCursor ?? undefined;
        if (!cursor) break;
      }
      expect(sizes).toEqual([3, 3, 1]);
      expect(seen).toEqual(expected);
      const exact = await t.api.get('/programs', { token: c2.coordinator.token, query: { limit: 7 } });
      expect(exact.body).toMatchObject({ nextCursor: null });
      expect(ids(exact)).toEqual(expected);
    });
  });
});
