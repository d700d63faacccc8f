/**
 * The host-family registry over HTTP: coordinators register, edit, vet and suspend the
 * families of their institution; lists and their filters; vettings kept and expiring;
 * host-family accounts bound to one family; what a family's own users may change.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import type { ApiResponse } from '../harness/api.js';
import { startTestApp, type TestApp } from '../harness/app.js';
import { expectProblem } from '../harness/expect.js';
import { signedIn, type Session } from '../harness/factories.js';
import {
  acceptedApplicationsAtOnce,
  dayFromToday,
  familyBody,
  familyUser,
  homestayExchange,
  newFamily,
  placementTransition,
  proposedPlacement,
  setVettingExpiry,
  today,
  vettedFamily,
  vettingBody,
} from '../harness/host-families.js';
import { newPartner, YEAR, type Partner } from '../harness/partnerships.js';

type Exchange = Awaited<ReturnType<typeof homestayExchange>>;

const ids = (response: ApiResponse): string[] => (response.body.items as { id: string }[]).map((item) => item.id);
const sorted = (values: string[]) => [...values].sort();

/** The first day of the month `months` from this one (UTC). */
function firstOfMonth(months: number): string {
  const now = new Date();
  return new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() + months, 1)).toISOString().slice(0, 10);
}

describe('host families', () => {
  let t: TestApp;
  let admin: Session;
  /** A host-family exchange: its receiving institution manages the families placed here. */
  let exchange: Exchange;
  let coordinator: Session;
  let institutionId: string;
  /** Another institution, with its coordinator. */
  let other: Partner;

  beforeAll(async () => {
    t = await startTestApp({ LOGIN_MAX_PER_IP: '10000' });
    admin = await signedIn(t.dataSource, t.api, { role: 'admin' });
    exchange = await homestayExchange(t, { seats: 60 });
    coordinator = exchange.receiving.coordinator;
    institutionId = exchange.receiving.institutionId;
    other = await newPartner(t);
  });
  afterAll(async () => {
    await t?.close();
  });

  const familyCount = async () => ((await t.dataSource.query('SELECT count(*)::int AS n FROM host_families')) as { n: number }[])[0].n;
  const familyRow = async (id: string) =>
    ((await t.dataSource.query('SELECT status, display_name, capacity, institution_id, available_from::text, available_to::text FROM host_families WHERE id = $1', [id])) as Record<string, unknown>[])[0];
  const get = (who: Session, id: string) => t.api.get(`/host-families/${id}`, { token: who.token });
  const list = (who: Session, query: Record<string, string | number> = {}) => t.api.get('/host-families', { token: who.token, query: { limit: 100, ...query } });

  describe('registration', () => {
    it("a coordinator registers a family of its own institution: pending vetting, not vetted", async () => {
      const body = familyBody({ petTypes: ['Cats', 'dog'], hasPets: true, dietsSupported: ['Vegetarian', 'halal'] });
      const created = await t.api.post('/host-families', body, { token: coordinator.token });
      expect(created.status).toBe(201);
      expect(created.body).toMatchObject({
        ...body,
        id: expect.any(String),
        institutionId,
        petTypes: ['cat', 'dog'],
        dietsSupported: ['vegetarian', 'halal'],
        status: 'pending_vetting',
        vetted: false,
        vettingExpiresOn: null,
        vettingExpired: false,
        suspensionReason: null,
        vettings: [],
      });
      expect(sorted(created.body.allowedTransitions)).toEqual(['suspend', 'vet']);
      expect(await familyRow(created.body.id)).toMatchObject({ status: 'pending_vetting', institution_id: institutionId });
      expect((await get(coordinator, created.body.id)).body).toEqual(created.body);
    });

    it('optional fields take their defaults', async () => {
      const required = familyBody();
      for (const optional of ['hasPets', 'petTypes', 'smokingHousehold', 'dietsSupported', 'acceptsMinors', 'genderPreference', 'commuteMinutes']) delete required[optional];
      const created = await t.api.post('/host-families', required, { token: coordinator.token });
      expect(created.status).toBe(201);
      expect(created.body).toMatchObject({ hasPets: false, petTypes: [], smokingHousehold: false, dietsSupported: [], acceptsMinors: false, genderPreference: 'any', commuteMinutes: null });
    });

    it("a coordinator may not register a family for another institution; an admin names the institution", async () => {
      const before = await familyCount();
      expectProblem(await t.api.post('/host-families', familyBody({ institutionId: other.institutionId }), { token: coordinator.token }), 403, 'access.forbidden');
      expectProblem(await t.api.post('/host-families', familyBody(), { token: admin.token }), 400, 'validation.failed', ['institutionId']);
      expectProblem(await t.api.post('/host-families', familyBody({ institutionId: randomUUID() }), { token: admin.token }), 400, 'validation.failed', ['institutionId']);
      expect(await familyCount()).toBe(before);
      const byAdmin = await t.api.post('/host-families', familyBody({ institutionId: other.institutionId }), { token: admin.token });
      expect(byAdmin.status).toBe(201);
      expect(byAdmin.body.institutionId).toBe(other.institutionId);
    });

    it('host-school staff, host families and students may not register families (403)', async () => {
      const family = await newFamily(t, coordinator);
      const [school, student] = await Promise.all([
        signedIn(t.dataSource, t.api, { role: 'host_school', institutionId }),
        signedIn(t.dataSource, t.api, { role: 'student', institutionId }),
      ]);
      const own = await familyUser(t, institutionId, family.id);
      const before = await familyCount();
      for (const who of [school, own, student]) expectProblem(await t.api.post('/host-families', familyBody(), { token: who.token }), 403, 'access.forbidden');
      expect(await familyCount()).toBe(before);
    });

    it('refuses an invalid body with the field named, and writes nothing', async () => {
      const cases: [overrides: Record<string, unknown>, field: string][] = [
        [{ contactEmail: 'not-an-email' }, 'contactEmail'],
        [{ capacity: 0 }, 'capacity'],
        [{ capacity: 21 }, 'capacity'],
        [{ capacity: 1.5 }, 'capacity'],
        [{ capacity: '2' }, 'capacity'],
        [{ availableFrom: `${YEAR}-09-01`, availableTo: `${YEAR}-08-31` }, 'availableTo'],
        [{ availableFrom: `${YEAR}-02-30` }, 'availableFrom'],
        [{ status: 'approved' }, 'status'],
        [{ vettingExpiresOn: `${YEAR + 5}-01-01` }, 'vettingExpiresOn'],
        [{ displayName: '' }, 'displayName'],
        [{ displayName: undefined }, 'displayName'],
        [{ address: { line1: 'x', city: 'Nancy', postalCode: '54000', country: 'XX' } }, 'address.country'],
        [{ address: { line1: 'x', city: 'Nancy', postalCode: '54000', country: 'FR', floor: 2 } }, 'address.floor'],
        [{ languages: ['French'] }, 'languages'],
        [{ genderPreference: 'nobody' }, 'genderPreference'],
        [{ hasPets: 'false' }, 'hasPets'],
        [{ commuteMinutes: -1 }, 'commuteMinutes'],
        [{ contactPhone: 'call me' }, 'contactPhone'],
      ];
      const before = await familyCount();
      for (const [overrides, field] of cases) {
        const response = await t.api.post('/host-families', familyBody(overrides), { token: coordinator.token });
        expect({ overrides, status: response.status }).toEqual({ overrides, status: 400 });
        expectProblem(response, 400, 'validation.failed', [field]);
      }
      expect(await familyCount()).toBe(before);
    });
  });

  describe('reading and editing', () => {
    it("the managing institution's coordinators and host-school staff read a family; another institution's staff and students get 404", async () => {
      const family = await newFamily(t, coordinator);
      const [school, otherSchool, student] = await Promise.all([
        signedIn(t.dataSource, t.api, { role: 'host_school', institutionId }),
        signedIn(t.dataSource, t.api, { role: 'host_school', institutionId: other.institutionId }),
        signedIn(t.dataSource, t.api, { role: 'student', institutionId }),
      ]);
      for (const who of [coordinator, school, admin]) {
        const seen = await get(who, family.id);
        expect(seen.status).toBe(200);
        expect(seen.body).toMatchObject({ id: family.id, contactEmail: family.contactEmail, address: family.address });
      }
      // Host-school staff read, never act.
      expect((await get(school, family.id)).body.allowedTransitions).toEqual([]);
      for (const who of [other.coordinator, otherSchool, student]) expectProblem(await get(who, family.id), 404, 'host_family.not_found');
      for (const who of [other.coordinator, otherSchool]) expect(ids(await list(who))).not.toContain(family.id);
      // Students see a family only through their accepted placement.
      expectProblem(await list(student), 403, 'access.forbidden');
      expectProblem(await get(coordinator, randomUUID()), 404, 'host_family.not_found');
      expectProblem(await get(coordinator, 'not-a-uuid'), 400);
    });

    it('a coordinator edits any field of the record; status, institution and vetting are not fields of an edit', async () => {
      const family = await vettedFamily(t, coordinator);
      const changes = { displayName: 'Famille Petrova', languages: ['ru'], capacity: 3, commuteMinutes: null, hasPets: true, petTypes: ['Dogs'], address: { line1: 'ul. Krasnaya 1', city: 'Krasnodar', postalCode: '350000', country: 'ru' } };
      const edited = await t.api.patch(`/host-families/${family.id}`, changes, { token: coordinator.token });
      expect(edited.status).toBe(200);
      expect(edited.body).toMatchObject({ ...changes, petTypes: ['dog'], address: { ...changes.address, country: 'RU' }, status: 'approved', vetted: true, contactEmail: family.contactEmail });
      expect((await get(coordinator, family.id)).body).toMatchObject({ displayName: 'Famille Petrova', languages: ['ru'], capacity: 3 });

      for (const [body, field] of [
        [{ status: 'suspended' }, 'status'],
        [{ institutionId: other.institutionId }, 'institutionId'],
        [{ vettingExpiresOn: `${YEAR + 5}-01-01` }, 'vettingExpiresOn'],
        [{ capacity: 0 }, 'capacity'],
        [{ displayName: null }, 'displayName'],
        [{ availableTo: `${YEAR - 1}-01-01` }, 'availableTo'],
        [{ availableFrom: `${YEAR + 2}-01-01` }, 'availableFrom'],
      ] as [Record<string, unknown>, string][]) {
        expectProblem(await t.api.patch(`/host-families/${family.id}`, body, { token: coordinator.token }), 400, 'validation.failed', [field]);
      }
      expect(await familyRow(family.id)).toMatchObject({ status: 'approved', institution_id: institutionId, capacity: 3, display_name: 'Famille Petrova' });

      // Another institution's coordinator cannot even see it; host-school staff may not edit.
      expectProblem(await t.api.patch(`/host-families/${family.id}`, { displayName: 'Mine now' }, { token: other.coordinator.token }), 404, 'host_family.not_found');
      const school = await signedIn(t.dataSource, t.api, { role: 'host_school', institutionId });
      expectProblem(await t.api.patch(`/host-families/${family.id}`, { displayName: 'Mine now' }, { token: school.token }), 403, 'access.forbidden');
      expect((await familyRow(family.id)).display_name).toBe('Famille Petrova');
    });
  });

  describe('lists', () => {
    it('filter by status, language spoken at home and name (any case; % and _ taken literally)', async () => {
      const partner = await newPartner(t);
      const by = partner.coordinator;
      const dupont = await vettedFamily(t, by, { displayName: 'Famille Dupont', languages: ['fr'] });
      const dupontMartin = await newFamily(t, by, { displayName: 'dupont-martin', languages: ['fr', 'de'] });
      const percent = await newFamily(t, by, { displayName: '100% Maison', languages: ['ru'] });
      const hundred = await newFamily(t, by, { displayName: '100 Maison', languages: ['ru', 'en'] });
      const underscore = await newFamily(t, by, { displayName: 'Maison a_b', languages: ['en'] });
      const axb = await newFamily(t, by, { displayName: 'Maison axb', languages: ['en'] });
      const rejected = await newFamily(t, by, { displayName: 'Famille Rejetée', languages: ['de'] });
      expect((await t.api.post(`/host-families/${rejected.id}/vet`, vettingBody({ outcome: 'rejected' }), { token: by.token })).status).toBe(200);
      const suspended = await newFamily(t, by, { displayName: 'Famille Suspendue', languages: ['de'] });
      expect((await t.api.post(`/host-families/${suspended.id}/suspend`, { reason: 'complaint' }, { token: by.token })).status).toBe(200);

      const everyone = [dupont, dupontMartin, percent, hundred, underscore, axb, rejected, suspended].map((f) => f.id);
      expect(sorted(ids(await list(by)))).toEqual(sorted(everyone));
      expect(ids(await list(by, { status: 'approved' }))).toEqual([dupont.id]);
      expect(sorted(ids(await list(by, { status: 'pending_vetting' })))).toEqual(sorted([dupontMartin.id, percent.id, hundred.id, underscore.id, axb.id]));
      expect(ids(await list(by, { status: 'rejected' }))).toEqual([rejected.id]);
      expect(ids(await list(by, { status: 'suspended' }))).toEqual([suspended.id]);
      expect(sorted(ids(await list(by, { language: 'fr' })))).toEqual(sorted([dupont.id, dupontMartin.id]));
      expect(sorted(ids(await list(by, { language: 'en' })))).toEqual(sorted([hundred.id, underscore.id, axb.id]));
      expect(ids(await list(by, { language: 'fr', status: 'approved' }))).toEqual([dupont.id]);
      expect(ids(await list(by, { language: 'it' }))).toEqual([]);

      expect(sorted(ids(await list(by, { q: 'DUPONT' })))).toEqual(sorted([dupont.id, dupontMartin.id]));
      expect(ids(await list(by, { q: 'ont-Mar' }))).toEqual([dupontMartin.id]);
      expect(ids(await list(by, { q: '100%' }))).toEqual([percent.id]);
      expect(ids(await list(by, { q: '%' }))).toEqual([percent.id]);
      expect(ids(await list(by, { q: 'a_b' }))).toEqual([underscore.id]);
      expect(ids(await list(by, { q: 'Famille Rejet' }))).toEqual([rejected.id]);
      expect(ids(await list(by, { q: '\\' }))).toEqual([]);
      expect(ids(await list(by, { q: 'maison', language: 'ru' })).sort()).toEqual(sorted([percent.id, hundred.id]));

      for (const [query, field] of [
        [{ status: 'vetted' }, 'status'],
        [{ language: 'French' }, 'language'],
        [{ availableOn: 'tomorrow' }, 'availableOn'],
        [{ capacityFree: 0 }, 'capacityFree'],
        [{ capacityFree: 'two' }, 'capacityFree'],
        [{ limit: 101 }, 'limit'],
        [{ cursor: 'bm90LWEtY3Vyc29y' }, 'cursor'],
        [{ colour: 'red' }, 'colour'],
      ] as [Record<string, string | number>, string][]) {
        expectProblem(await list(by, query), 400, 'validation.failed', [field]);
      }
    });

    it('availableOn and capacityFree count the beds that proposed and accepted placements take on that day', async () => {
      const local = await homestayExchange(t, { seats: 10 });
      const by = local.receiving.coordinator;
      // Two beds, both taken from 15 to 30 September (one proposed, one accepted); free again from 16 October.
      const busy = await vettedFamily(t, by, { displayName: 'A busy family', capacity: 2 });
      // One bed, whose placement in September was declined: free.
      const declined = await vettedFamily(t, by, { displayName: 'B declined family', capacity: 1 });
      // Three beds, one taken in September.
      const roomy = await vettedFamily(t, by, { displayName: 'C roomy family', capacity: 3 });
      // One bed, available only from October.
      await vettedFamily(t, by, { displayName: 'D late family', capacity: 1, availableFrom: `${YEAR}-10-01` });
      const [a1, a2, a3, a4] = await acceptedApplicationsAtOnce(t, local, 4);
      await proposedPlacement(t, by, { applicationId: a1.application.id, hostFamilyId: busy.id, startsOn: `${YEAR}-09-01`, endsOn: `${YEAR}-09-30` });
      const accepted = await proposedPlacement(t, by, { applicationId: a2.application.id, hostFamilyId: busy.id, startsOn: `${YEAR}-09-15`, endsOn: `${YEAR}-10-15` });
      await placementTransition(t, by, accepted.id, 'accept');
      const refused = await proposedPlacement(t, by, { applicationId: a3.application.id, hostFamilyId: declined.id, startsOn: `${YEAR}-09-01`, endsOn: `${YEAR}-09-30` });
      await placementTransition(t, by, refused.id, 'decline', { reason: 'family away' });
      await proposedPlacement(t, by, { applicationId: a4.application.id, hostFamilyId: roomy.id, startsOn: `${YEAR}-09-01`, endsOn: `${YEAR}-09-30` });

      const names = async (query: Record<string, string | number>) => ((await list(by, query)).body.items as { displayName: string }[]).map((f) => f.displayName[0]);
      expect(await names({ availableOn: `${YEAR}-09-20` })).toEqual(['A', 'B', 'C']);
      expect(await names({ availableOn: `${YEAR}-10-01` })).toEqual(['A', 'B', 'C', 'D']);
      expect(await names({ availableOn: `${YEAR}-09-20`, capacityFree: 1 })).toEqual(['B', 'C']);
      expect(await names({ availableOn: `${YEAR}-09-20`, capacityFree: 2 })).toEqual(['C']);
      expect(await names({ availableOn: `${YEAR}-09-20`, capacityFree: 3 })).toEqual([]);
      // Only A takes a bed on 5 September: one of two left.
      expect(await names({ availableOn: `${YEAR}-09-05`, capacityFree: 1 })).toEqual(['A', 'B', 'C']);
      expect(await names({ availableOn: `${YEAR}-09-05`, capacityFree: 2 })).toEqual(['C']);
      // 15 October is B's last night (included); the 16th is free.
      expect(await names({ availableOn: `${YEAR}-10-15`, capacityFree: 2 })).toEqual(['C']);
      expect(await names({ availableOn: `${YEAR}-10-16`, capacityFree: 2 })).toEqual(['A', 'C']);
      // Without a day, capacityFree counts today: nothing is taken yet.
      expect(await names({ capacityFree: 2 })).toEqual(['A', 'C']);
    });

    it('keyset pagination walks every family once, in name order', async () => {
      const partner = await newPartner(t);
      const made = [];
      for (const name of ['Echo', 'alpha', 'Delta', 'charlie', 'Bravo', 'Foxtrot', 'Bravo']) made.push(await newFamily(t, partner.coordinator, { displayName: name }));
      const all = await list(partner.coordinator);
      expect(all.body.nextCursor).toBeNull();
      expect(sorted(ids(all))).toEqual(sorted(made.map((f) => f.id)));
      const walked: string[] = [];
      let cursor: string | undefined;
      let pages = 0;
      do {
        const page = await t.api.get('/host-families', { token: partner.coordinator.token, query: { limit: 2, cursor } });
        expect(page.status).toBe(200);
        expect(page.body.items.length).toBeLessThanOrEqual(2);
        walked.push(...ids(page));
        cursor = page.body.nextCursor ?? undefined;
        pages += 1;
      } while (cursor && pages < 10);
      expect(walked).toEqual(ids(all));
      expect(pages).toBe(4);
      const defaults = await t.api.get('/host-families', { token: partner.coordinator.token });
      expect(defaults.body.items).toHaveLength(7);
    });
  });

  describe('vetting', () => {
    it('an approval vets the family until 12 months after its background check; a rejection does not', async () => {
      const family = await newFamily(t, coordinator);
      const [checkedOn, expiresOn] = [firstOfMonth(-11), firstOfMonth(1)];
      const visitedOn = today();
      const approved = await t.api.post(`/host-families/${family.id}/vet`, vettingBody({ backgroundCheckOn: checkedOn, homeVisitOn: visitedOn }), { token: coordinator.token });
      expect(approved.status).toBe(200);
      expect(approved.body).toMatchObject({ status: 'approved', vetted: true, vettingExpired: false, vettingExpiresOn: expiresOn });
      expect(approved.body.vettings).toEqual([
        expect.objectContaining({ backgroundCheckOn: checkedOn, homeVisitOn: visitedOn, outcome: 'approved', notes: 'All in order.', expiresOn, recordedBy: coordinator.user.id, recorderRole: 'coordinator', recordedAt: expect.any(String) }),
      ]);

      const other = await newFamily(t, coordinator);
      const rejected = await t.api.post(`/host-families/${other.id}/vet`, vettingBody({ outcome: 'rejected', notes: 'Unsafe stairs.' }), { token: coordinator.token });
      expect(rejected.status).toBe(200);
      // A rejection leaves no validity: no expiry date, never read as expired.
      expect(rejected.body).toMatchObject({ status: 'rejected', vetted: false, vettingExpiresOn: null, vettingExpired: false });
      expect(rejected.body.vettings).toEqual([expect.objectContaining({ outcome: 'rejected', notes: 'Unsafe stairs.' })]);
      expect(rejected.body.allowedTransitions).toEqual(['vet']);
      // A rejection may rest on an old background check.
      const old = await newFamily(t, coordinator);
      expect((await t.api.post(`/host-families/${old.id}/vet`, vettingBody({ outcome: 'rejected', backgroundCheckOn: `${YEAR - 4}-01-10` }), { token: coordinator.token })).body.status).toBe('rejected');
    });

    it('every vetting is kept and shown to staff newest first; the family itself sees neither vettings nor why it was suspended', async () => {
      const family = await newFamily(t, coordinator);
      const steps = [
        vettingBody({ outcome: 'rejected', notes: 'first visit: no smoke detector' }),
        vettingBody({ outcome: 'approved', notes: 'second visit: fixed' }),
      ];
      for (const body of steps) expect((await t.api.post(`/host-families/${family.id}/vet`, body, { token: coordinator.token })).status).toBe(200);
      expect((await t.api.post(`/host-families/${family.id}/suspend`, { reason: 'neighbour complaint' }, { token: coordinator.token })).body.status).toBe('suspended');
      const renewed = await t.api.post(`/host-families/${family.id}/vet`, vettingBody({ outcome: 'approved', notes: 'third visit: complaint unfounded' }), { token: coordinator.token });
      expect(renewed.body).toMatchObject({ status: 'approved', vetted: true, suspensionReason: null });

      const school = await signedIn(t.dataSource, t.api, { role: 'host_school', institutionId });
      for (const who of [coordinator, school, admin]) {
        const seen = await get(who, family.id);
        // What the checks found is the coordinators' and admins': host-school staff see the vettings without their notes.
        const notes = (text: string) => (who === school ? null : text);
        expect(seen.body.vettings.map((v: { outcome: string; notes: string }) => [v.outcome, v.notes])).toEqual([
          ['approved', notes('third visit: complaint unfounded')],
          ['approved', notes('second visit: fixed')],
          ['rejected', notes('first visit: no smoke detector')],
        ]);
        const times = seen.body.vettings.map((v: { recordedAt: string }) => Date.parse(v.recordedAt));
        expect(times).toEqual([...times].sort((a, b) => b - a));
      }
      expect(((await t.dataSource.query('SELECT count(*)::int AS n FROM host_family_vettings WHERE host_family_id = $1', [family.id])) as { n: number }[])[0].n).toBe(3);

      // Lists do not carry the vettings; the family's own users see neither them nor the suspension reason.
      const listed = (await list(coordinator)).body.items.find((f: { id: string }) => f.id === family.id);
      expect(listed).not.toHaveProperty('vettings');
      expect((await t.api.post(`/host-families/${family.id}/suspend`, { reason: 'second complaint' }, { token: coordinator.token })).status).toBe(200);
      const own = await familyUser(t, institutionId, family.id);
      const seenByFamily = await get(own, family.id);
      expect(seenByFamily.status).toBe(200);
      expect(seenByFamily.body).toMatchObject({ id: family.id, status: 'suspended' });
      expect(seenByFamily.body).not.toHaveProperty('vettings');
      expect(seenByFamily.body).not.toHaveProperty('suspensionReason');
      expect(seenByFamily.text).not.toMatch(/complaint|visit/);
      expect((await get(coordinator, family.id)).body.suspensionReason).toBe('second complaint');
    });

    it('a background check in the future, or more than 12 months ago for an approval, is refused on its field', async () => {
      const family = await newFamily(t, coordinator);
      const vet = (body: Record<string, unknown>) => t.api.post(`/host-families/${family.id}/vet`, vettingBody(body), { token: coordinator.token });
      // Two days ahead: still the future should the request cross midnight.
      expectProblem(await vet({ backgroundCheckOn: dayFromToday(2) }), 400, 'validation.failed', ['backgroundCheckOn']);
      expectProblem(await vet({ homeVisitOn: dayFromToday(2) }), 400, 'validation.failed', ['homeVisitOn']);
      const now = new Date();
      const overAYear = new Date(Date.UTC(now.getUTCFullYear() - 1, now.getUTCMonth(), now.getUTCDate() - 1)).toISOString().slice(0, 10);
      expectProblem(await vet({ backgroundCheckOn: overAYear }), 400, 'validation.failed', ['backgroundCheckOn']);
      expectProblem(await vet({ backgroundCheckOn: `${YEAR - 3}-05-05` }), 400, 'validation.failed', ['backgroundCheckOn']);
      expectProblem(await vet({ outcome: 'maybe' }), 400, 'validation.failed', ['outcome']);
      expectProblem(await vet({ backgroundCheckOn: undefined }), 400, 'validation.failed', ['backgroundCheckOn']);
      expectProblem(await vet({ status: 'approved' }), 400, 'validation.failed', ['status']);
      expect((await familyRow(family.id)).status).toBe('pending_vetting');
      expect((await get(coordinator, family.id)).body.vettings).toEqual([]);
    });

    it('suspension needs a reason; a suspended family is not vetted and gets no new placement; a new vetting reinstates it', async () => {
      const family = await vettedFamily(t, coordinator);
      const [{ application }] = await acceptedApplicationsAtOnce(t, exchange, 1);
      expectProblem(await t.api.post(`/host-families/${family.id}/suspend`, {}, { token: coordinator.token }), 400, 'validation.failed', ['reason']);
      expectProblem(await t.api.post(`/host-families/${family.id}/suspend`, { reason: '  ' }, { token: coordinator.token }), 400, 'validation.failed', ['reason']);
      expect((await familyRow(family.id)).status).toBe('approved');

      const suspended = await t.api.post(`/host-families/${family.id}/suspend`, { reason: 'police inquiry' }, { token: coordinator.token });
      expect(suspended.status).toBe(200);
      expect(suspended.body).toMatchObject({ status: 'suspended', vetted: false, suspensionReason: 'police inquiry' });
      expect(suspended.body.allowedTransitions).toEqual(['vet']);
      expectProblem(await t.api.post(`/host-families/${family.id}/suspend`, { reason: 'again' }, { token: coordinator.token }), 409, 'host_family.invalid_transition');
      expectProblem(await t.api.post('/placements', { applicationId: application.id, hostFamilyId: family.id }, { token: coordinator.token }), 409, 'placement.family_not_vetted');
      expect(ids(await t.api.get('/placements', { token: coordinator.token, query: { applicationId: application.id } }))).toEqual([]);

      expect((await t.api.post(`/host-families/${family.id}/vet`, vettingBody(), { token: coordinator.token })).body).toMatchObject({ status: 'approved', vetted: true });
      expect((await t.api.post('/placements', { applicationId: application.id, hostFamilyId: family.id }, { token: coordinator.token })).status).toBe(201);
    });

    it('a rejected family cannot be suspended (409) and gets no placement', async () => {
      const family = await newFamily(t, coordinator);
      await t.api.post(`/host-families/${family.id}/vet`, vettingBody({ outcome: 'rejected' }), { token: coordinator.token });
      expectProblem(await t.api.post(`/host-families/${family.id}/suspend`, { reason: 'x' }, { token: coordinator.token }), 409, 'host_family.invalid_transition');
      const pending = await newFamily(t, coordinator);
      const [{ application }] = await acceptedApplicationsAtOnce(t, exchange, 1);
      for (const f of [family, pending]) expectProblem(await t.api.post('/placements', { applicationId: application.id, hostFamilyId: f.id }, { token: coordinator.token }), 409, 'placement.family_not_vetted');
    });

    it("vet and suspend: 403 for the institution's host-school staff and the family itself, 404 for another institution", async () => {
      const family = await newFamily(t, coordinator);
      const school = await signedIn(t.dataSource, t.api, { role: 'host_school', institutionId });
      const own = await familyUser(t, institutionId, family.id);
      for (const who of [school, own]) {
        expectProblem(await t.api.post(`/host-families/${family.id}/vet`, vettingBody(), { token: who.token }), 403, 'access.forbidden');
        expectProblem(await t.api.post(`/host-families/${family.id}/suspend`, { reason: 'x' }, { token: who.token }), 403, 'access.forbidden');
      }
      expectProblem(await t.api.post(`/host-families/${family.id}/vet`, vettingBody(), { token: other.coordinator.token }), 404, 'host_family.not_found');
      expectProblem(await t.api.post(`/host-families/${family.id}/suspend`, { reason: 'x' }, { token: other.coordinator.token }), 404, 'host_family.not_found');
      expect((await familyRow(family.id)).status).toBe('pending_vetting');
      // An admin vets anywhere.
      expect((await t.api.post(`/host-families/${family.id}/vet`, vettingBody(), { token: admin.token })).body.status).toBe('approved');
    });

    it('a family whose vetting has run out reads as expired and unvetted, and gets no new placement', async () => {
      const family = await vettedFamily(t, coordinator);
      const [{ application }] = await acceptedApplicationsAtOnce(t, exchange, 1);
      const yesterday = dayFromToday(-1);
      await setVettingExpiry(t, family.id, yesterday);
      const seen = await get(coordinator, family.id);
      expect(seen.body).toMatchObject({ status: 'approved', vetted: false, vettingExpired: true, vettingExpiresOn: yesterday });
      const listed = (await list(coordinator)).body.items.find((f: { id: string }) => f.id === family.id);
      expect(listed).toMatchObject({ vetted: false, vettingExpired: true, vettingExpiresOn: yesterday });
      expectProblem(await t.api.post('/placements', { applicationId: application.id, hostFamilyId: family.id }, { token: coordinator.token }), 409, 'placement.family_not_vetted');
      // A new vetting renews it.
      expect((await t.api.post(`/host-families/${family.id}/vet`, vettingBody(), { token: coordinator.token })).body).toMatchObject({ vetted: true, vettingExpired: false });
    });
  });

  describe('host-family accounts (POST /users)', () => {
    const password = () => `Pw-${randomBytes(12).toString('hex')}`;
    const userBody = (overrides: Record<string, unknown> = {}) => ({ email: `family.user.${randomBytes(4).toString('hex')}@test.example`, fullName: 'Marie Martin', role: 'host_family', password: password(), ...overrides });
    const userCount = async () => ((await t.dataSource.query("SELECT count(*)::int AS n FROM users WHERE role = 'host_family'")) as { n: number }[])[0].n;

    it("need a family of the caller's institution: no family 400, an unknown or another institution's family 404", async () => {
      const family = await newFamily(t, coordinator);
      const foreign = await newFamily(t, other.coordinator);
      const before = await userCount();
      expectProblem(await t.api.post('/users', userBody(), { token: coordinator.token }), 400, 'validation.failed', ['hostFamilyId']);
      expectProblem(await t.api.post('/users', userBody({ hostFamilyId: randomUUID() }), { token: coordinator.token }), 404, 'host_family.not_found');
      expectProblem(await t.api.post('/users', userBody({ hostFamilyId: foreign.id }), { token: coordinator.token }), 404, 'host_family.not_found');
      expectProblem(await t.api.post('/users', userBody({ hostFamilyId: 'family-1' }), { token: coordinator.token }), 400, 'validation.failed', ['hostFamilyId']);
      // Only host_family users act for a family.
      expectProblem(await t.api.post('/users', userBody({ role: 'host_school', hostFamilyId: family.id }), { token: coordinator.token }), 400, 'validation.failed', ['hostFamilyId']);
      expectProblem(await t.api.post('/users', userBody({ role: 'coordinator', institutionId, hostFamilyId: family.id }), { token: admin.token }), 400, 'validation.failed', ['hostFamilyId']);
      // An admin names the institution, and the family must be one of its.
      expectProblem(await t.api.post('/users', userBody({ institutionId, hostFamilyId: foreign.id }), { token: admin.token }), 404, 'host_family.not_found');
      expect(await userCount()).toBe(before);
      const byAdmin = await t.api.post('/users', userBody({ institutionId: other.institutionId, hostFamilyId: foreign.id }), { token: admin.token });
      expect(byAdmin.status).toBe(201);
      expect(byAdmin.body).toMatchObject({ role: 'host_family', institutionId: other.institutionId, hostFamilyId: foreign.id });
    });

    it('a host-family user made by its coordinator signs in and sees its own family only, and its placements', async () => {
      const family = await vettedFamily(t, coordinator);
      const neighbour = await vettedFamily(t, coordinator);
      const [a1, a2] = await acceptedApplicationsAtOnce(t, exchange, 2);
      const ours = await proposedPlacement(t, coordinator, { applicationId: a1.application.id, hostFamilyId: family.id });
      const theirs = await proposedPlacement(t, coordinator, { applicationId: a2.application.id, hostFamilyId: neighbour.id });

      const body = userBody({ hostFamilyId: family.id });
      const created = await t.api.post('/users', body, { token: coordinator.token });
      expect(created.status).toBe(201);
      expect(created.body).toMatchObject({ email: body.email, role: 'host_family', institutionId, hostFamilyId: family.id });
      expect(created.text).not.toMatch(/password/i);

      const login = await t.api.post('/auth/login', { email: body.email, password: body.password });
      expect(login.status).toBe(200);
      const token = login.body.accessToken as string;
      expect((await t.api.get('/me', { token })).body).toMatchObject({ role: 'host_family', hostFamilyId: family.id });

      const families = await t.api.get('/host-families', { token });
      expect(families.status).toBe(200);
      expect(ids(families)).toEqual([family.id]);
      expect(families.body.nextCursor).toBeNull();
      expect((await t.api.get(`/host-families/${family.id}`, { token })).body).toMatchObject({ id: family.id, contactEmail: family.contactEmail, address: family.address });
      expectProblem(await t.api.get(`/host-families/${neighbour.id}`, { token }), 404, 'host_family.not_found');
      // Filters do not widen the scope.
      expect(ids(await t.api.get('/host-families', { token, query: { institutionId, status: 'approved' } }))).toEqual([family.id]);

      const placements = await t.api.get('/placements', { token });
      expect(placements.status).toBe(200);
      expect(ids(placements)).toEqual([ours.id]);
      expect(ids(await t.api.get('/placements', { token, query: { hostFamilyId: neighbour.id } }))).toEqual([]);
      expectProblem(await t.api.get(`/placements/${theirs.id}`, { token }), 404, 'placement.not_found');
      expect((await t.api.get(`/placements/${ours.id}`, { token })).body).toMatchObject({ id: ours.id, hostFamilyId: family.id, allowedTransitions: ['accept', 'decline'] });
    });
  });

  describe("what a family's own users may change", () => {
    it('its availability and capacity (200); any other field, vetting or suspension 403, nothing written', async () => {
      const family = await vettedFamily(t, coordinator, { capacity: 2 });
      const own = await familyUser(t, institutionId, family.id);
      const changed = await t.api.patch(`/host-families/${family.id}`, { availableFrom: `${YEAR}-07-01`, availableTo: `${YEAR + 1}-08-31`, capacity: 4 }, { token: own.token });
      expect(changed.status).toBe(200);
      expect(changed.body).toMatchObject({ availableFrom: `${YEAR}-07-01`, availableTo: `${YEAR + 1}-08-31`, capacity: 4, status: 'approved' });
      expect(changed.body).not.toHaveProperty('vettings');
      expect((await t.api.patch(`/host-families/${family.id}`, { capacity: 1 }, { token: own.token })).body.capacity).toBe(1);

      for (const body of [
        { displayName: 'Our family' },
        { languages: ['fr', 'de'] },
        { contactEmail: 'new@test.example' },
        { hasPets: true },
        { acceptsMinors: false },
        { genderPreference: 'female' },
        { commuteMinutes: 5 },
        { capacity: 3, displayName: 'Our family' },
      ]) {
        const response = await t.api.patch(`/host-families/${family.id}`, body, { token: own.token });
        expectProblem(response, 403, 'access.forbidden');
      }
      expectProblem(await t.api.patch(`/host-families/${family.id}`, { status: 'approved' }, { token: own.token }), 400, 'validation.failed', ['status']);
      expectProblem(await t.api.patch(`/host-families/${family.id}`, { availableFrom: `${YEAR + 2}-01-01` }, { token: own.token }), 400, 'validation.failed', ['availableFrom']);
      expect(await familyRow(family.id)).toMatchObject({ display_name: family.displayName, capacity: 1, available_from: `${YEAR}-07-01` });
      expectProblem(await t.api.post(`/host-families/${family.id}/vet`, vettingBody(), { token: own.token }), 403, 'access.forbidden');
      expectProblem(await t.api.post(`/host-families/${family.id}/suspend`, { reason: 'holiday' }, { token: own.token }), 403, 'access.forbidden');

      // Another family's record is out of sight.
      const neighbour = await newFamily(t, coordinator);
      expectProblem(await t.api.patch(`/host-families/${neighbour.id}`, { capacity: 5 }, { token: own.token }), 404, 'host_family.not_found');
    });

    it('never fewer beds than its placements take on one day (409 host_family.capacity_in_use), nor an availability that leaves one out (409 host_family.availability_in_use)', async () => {
      const family = await vettedFamily(t, coordinator, { capacity: 3 });
      const own = await familyUser(t, institutionId, family.id);
      const [a1, a2, a3] = await acceptedApplicationsAtOnce(t, exchange, 3);
      // Two overlap from 15 to 30 September; the third, in December, overlaps neither.
      await proposedPlacement(t, coordinator, { applicationId: a1.application.id, hostFamilyId: family.id, startsOn: `${YEAR}-09-01`, endsOn: `${YEAR}-09-30` });
      const second = await proposedPlacement(t, coordinator, { applicationId: a2.application.id, hostFamilyId: family.id, startsOn: `${YEAR}-09-15`, endsOn: `${YEAR}-10-15` });
      await placementTransition(t, own, second.id, 'accept');
      await proposedPlacement(t, coordinator, { applicationId: a3.application.id, hostFamilyId: family.id, startsOn: `${YEAR}-12-01`, endsOn: `${YEAR + 1}-01-31` });

      expectProblem(await t.api.patch(`/host-families/${family.id}`, { capacity: 1 }, { token: own.token }), 409, 'host_family.capacity_in_use');
      expectProblem(await t.api.patch(`/host-families/${family.id}`, { capacity: 1 }, { token: coordinator.token }), 409, 'host_family.capacity_in_use');
      expect((await t.api.patch(`/host-families/${family.id}`, { capacity: 2 }, { token: own.token })).body.capacity).toBe(2);

      expectProblem(await t.api.patch(`/host-families/${family.id}`, { availableFrom: `${YEAR}-09-02` }, { token: own.token }), 409, 'host_family.availability_in_use');
      expectProblem(await t.api.patch(`/host-families/${family.id}`, { availableTo: `${YEAR + 1}-01-30` }, { token: own.token }), 409, 'host_family.availability_in_use');
      expectProblem(await t.api.patch(`/host-families/${family.id}`, { availableFrom: `${YEAR}-09-01`, availableTo: `${YEAR}-12-31` }, { token: coordinator.token }), 409, 'host_family.availability_in_use');
      expect(await familyRow(family.id)).toMatchObject({ capacity: 2, available_from: `${YEAR}-08-01`, available_to: `${YEAR + 1}-07-31` });
      // Exactly the span of its placements is enough.
      const tight = await t.api.patch(`/host-families/${family.id}`, { availableFrom: `${YEAR}-09-01`, availableTo: `${YEAR + 1}-01-31` }, { token: own.token });
      expect(tight.status).toBe(200);

      // Once the overlap is gone (the accepted one cancelled), one bed is enough.
      await placementTransition(t, coordinator, second.id, 'cancel', { reason: 'student moved to a residence' });
      expect((await t.api.patch(`/host-families/${family.id}`, { capacity: 1 }, { token: own.token })).body.capacity).toBe(1);
    });
  });
});
