/**
 * Partnership agreements over HTTP: bilateral and trilateral approval, versions on edit,
 * termination, validation with field-level errors, and who may see and do what, checked
 * from the attacker's side.
 */
import { randomUUID } from 'node:crypto';
import type { ApiResponse } from '../harness/api.js';
import { startTestApp, type TestApp } from '../harness/app.js';
import { cast, signedIn, type Session } from '../harness/factories.js';
import {
  AGREEMENT_ENDS_ON,
  AGREEMENT_STARTS_ON,
  NEXT_ACADEMIC_YEAR,
  activeAgreement,
  agreementBody,
  draftAgreement,
  newPartner,
  quota,
  type Partner,
} from '../harness/partnerships.js';
import { expectProblem } from '../harness/expect.js';

type Cast = Awaited<ReturnType<typeof cast>>;

const fieldsOf = (response: ApiResponse): string[] => (response.body.errors ?? []).map((e: { field: string }) => e.field);
const ids = (response: ApiResponse): string[] => (response.body.items as { id: string }[]).map((item) => item.id);
const ISO_INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;

describe('agreements', () => {
  let t: TestApp;
  let c: Cast;
  let home: Partner;
  let other: Partner;
  let third: Partner;
  let outsider: Partner;

  beforeAll(async () => {
    t = await startTestApp();
    c = await cast(t.dataSource, t.api);
    home = { institutionId: c.home.id, coordinator: c.coordinator };
    other = { institutionId: c.other.id, coordinator: c.otherCoordinator };
    [third, outsider] = await Promise.all([newPartner(t, { city: 'Karlsruhe', country: 'DE', timezone: 'Europe/Berlin' }), newPartner(t)]);
  });
  afterAll(async () => {
    await t?.close();
  });

  const approve = (id: string, who: Session, body: Record<string, unknown> = {}) => t.api.post(`/agreements/${id}/approve`, body, { token: who.token });

  describe('approval', () => {
    it('bilateral: a draft awaiting both partners becomes active once each partner coordinator approves, recording who and when', async () => {
      const before = Date.now();
      const body = agreementBody([home.institutionId, other.institutionId], {
        quotas: [quota(home.institutionId, other.institutionId, 4), quota(other.institutionId, home.institutionId, 3, NEXT_ACADEMIC_YEAR)],
      });
      const created = await t.api.post('/agreements', body, { token: home.coordinator.token });
      expect(created.status).toBe(201);
      expect(created.body).toMatchObject({
        id: expect.any(String),
        title: body.title,
        status: 'draft',
        version: 1,
        partnerInstitutionIds: [home.institutionId, other.institutionId],
        startsOn: AGREEMENT_STARTS_ON,
        endsOn: AGREEMENT_ENDS_ON,
        approvals: [],
        awaitingApprovalFrom: [home.institutionId, other.institutionId],
        createdBy: home.coordinator.user.id,
        terminatedAt: null,
        terminationReason: null,
      });
      expect(created.body.quotas).toHaveLength(2);
      expect(created.body.quotas).toEqual(expect.arrayContaining(body.quotas as unknown[]));
      const id = created.body.id as string;

      const first = await approve(id, home.coordinator, { comment: 'signed by the vice-president' });
      expect(first.status).toBe(200);
      expect(first.body).toMatchObject({
        status: 'draft',
        awaitingApprovalFrom: [other.institutionId],
        approvals: [{ institutionId: home.institutionId, approvedBy: home.coordinator.user.id, approvedAt: expect.stringMatching(ISO_INSTANT), comment: 'signed by the vice-president' }],
      });

      const second = await approve(id, other.coordinator);
      expect(second.status).toBe(200);
      expect(second.body.status).toBe('active');
      expect(second.body.awaitingApprovalFrom).toEqual([]);
      expect(second.body.approvals).toEqual([
        expect.objectContaining({ institutionId: home.institutionId, approvedBy: home.coordinator.user.id }),
        expect.objectContaining({ institutionId: other.institutionId, approvedBy: other.coordinator.user.id, comment: null }),
      ]);
      for (const approval of second.body.approvals as { approvedAt: string }[]) {
        expect(Date.parse(approval.approvedAt)).toBeGreaterThanOrEqual(before - 1000);
        expect(Date.parse(approval.approvedAt)).toBeLessThanOrEqual(Date.now() + 1000);
      }

      // Both sides read the same state.
      for (const who of [home.coordinator, other.coordinator, c.admin]) {
        const read = await t.api.get(`/agreements/${id}`, { token: who.token });
        expect(read.status).toBe(200);
        expect(read.body).toMatchObject({ status: 'active', version: 1, awaitingApprovalFrom: [] });
        expect(read.body.approvals).toHaveLength(2);
      }
    });

    it('trilateral: two approvals of three leave it a draft; the third makes it active', async () => {
      const partners = [home, other, third];
      const draft = await draftAgreement(t, { partners, by: third.coordinator });
      expect(draft.partnerInstitutionIds).toEqual(partners.map((p) => p.institutionId));
      expect(draft.awaitingApprovalFrom).toEqual(partners.map((p) => p.institutionId));
      expect(draft.quotas).toHaveLength(6);

      const a = await approve(draft.id, other.coordinator);
      expect(a.status).toBe(200);
      expect(a.body).toMatchObject({ status: 'draft', awaitingApprovalFrom: [home.institutionId, third.institutionId] });
      const b = await approve(draft.id, third.coordinator);
      expect(b.status).toBe(200);
      expect(b.body).toMatchObject({ status: 'draft', awaitingApprovalFrom: [home.institutionId] });
      expect(b.body.approvals.map((x: { institutionId: string }) => x.institutionId)).toEqual([other.institutionId, third.institutionId]);
      expect((await t.api.get(`/agreements/${draft.id}`, { token: home.coordinator.token })).body.status).toBe('draft');

      const last = await approve(draft.id, home.coordinator);
      expect(last.status).toBe(200);
      expect(last.body).toMatchObject({ status: 'active', awaitingApprovalFrom: [] });
      expect(last.body.approvals).toHaveLength(3);
    });

    it('a coordinator cannot approve on behalf of another partner (403) but may name its own institution', async () => {
      const draft = await draftAgreement(t, { partners: [home, other] });
      const forOther = await approve(draft.id, home.coordinator, { institutionId: other.institutionId });
      expectProblem(forOther, 403, 'access.forbidden');
      const forOutsider = await approve(draft.id, home.coordinator, { institutionId: outsider.institutionId });
      expectProblem(forOutsider, 403, 'access.forbidden');
      const unchanged = await t.api.get(`/agreements/${draft.id}`, { token: other.coordinator.token });
      expect(unchanged.body.approvals).toEqual([]);

      const own = await approve(draft.id, home.coordinator, { institutionId: home.institutionId });
      expect(own.status).toBe(200);
      expect(own.body.approvals).toEqual([expect.objectContaining({ institutionId: home.institutionId, approvedBy: home.coordinator.user.id })]);
      expect(own.body.status).toBe('draft');
    });

    it('approving twice for the same partner answers 409 agreement.already_approved, even from a colleague', async () => {
      const draft = await draftAgreement(t, { partners: [home, other] });
      expect((await approve(draft.id, home.coordinator)).status).toBe(200);
      expectProblem(await approve(draft.id, home.coordinator), 409, 'agreement.already_approved');
      const colleague = await signedIn(t.dataSource, t.api, { role: 'coordinator', institutionId: home.institutionId });
      expectProblem(await approve(draft.id, colleague), 409, 'agreement.already_approved');
      // Also once active.
      expect((await approve(draft.id, other.coordinator)).body.status).toBe('active');
      expectProblem(await approve(draft.id, other.coordinator), 409, 'agreement.already_approved');
      const read = await t.api.get(`/agreements/${draft.id}`, { token: home.coordinator.token });
      expect(read.body.approvals).toHaveLength(2);
    });

    it('an admin approves on behalf of a partner named by institutionId (400 without it, 400 for a non-partner)', async () => {
      const draft = await draftAgreement(t, { partners: [home, other] });
      const missing = await approve(draft.id, c.admin);
      expectProblem(missing, 400, 'validation.failed', ['institutionId']);
      const notPartner = await approve(draft.id, c.admin, { institutionId: outsider.institutionId });
      expectProblem(notPartner, 400, 'validation.failed', ['institutionId']);
      const malformed = await approve(draft.id, c.admin, { institutionId: 'not-a-uuid' });
      expectProblem(malformed, 400, 'validation.failed', ['institutionId']);

      const forHome = await approve(draft.id, c.admin, { institutionId: home.institutionId });
      expect(forHome.status).toBe(200);
      expect(forHome.body.approvals).toEqual([expect.objectContaining({ institutionId: home.institutionId, approvedBy: c.admin.user.id })]);
      expectProblem(await approve(draft.id, c.admin, { institutionId: home.institutionId }), 409, 'agreement.already_approved');
      const forOther = await approve(draft.id, c.admin, { institutionId: other.institutionId });
      expect(forOther.status).toBe(200);
      expect(forOther.body.status).toBe('active');
    });

    it('parallel approvals by every partner all count: the agreement ends up active', async () => {
      const draft = await draftAgreement(t, { partners: [home, other, third] });
      const responses = await Promise.all([home, other, third].map((p) => approve(draft.id, p.coordinator)));
      expect(responses.map((r) => r.status)).toEqual([200, 200, 200]);
      const read = await t.api.get(`/agreements/${draft.id}`, { token: home.coordinator.token });
      expect(read.body).toMatchObject({ status: 'active', awaitingApprovalFrom: [] });
      expect(read.body.approvals).toHaveLength(3);
    });

    it('the same partner approving twice at once: one approval, the other 409 (never a 500)', async () => {
      const draft = await draftAgreement(t, { partners: [home, other] });
      const colleague = await signedIn(t.dataSource, t.api, { role: 'coordinator', institutionId: home.institutionId });
      const responses = await Promise.all([approve(draft.id, home.coordinator), approve(draft.id, colleague), approve(draft.id, home.coordinator)]);
      expect(responses.map((r) => r.status).sort()).toEqual([200, 409, 409]);
      for (const response of responses.filter((r) => r.status !== 200)) expectProblem(response, 409, 'agreement.already_approved');
      const read = await t.api.get(`/agreements/${draft.id}`, { token: other.coordinator.token });
      expect(read.body.approvals).toHaveLength(1);
    });

    it('an admin creates an agreement between institutions it does not belong to', async () => {
      const created = await t.api.post('/agreements', agreementBody([other.institutionId, third.institutionId]), { token: c.admin.token });
      expect(created.status).toBe(201);
      expect(created.body).toMatchObject({ status: 'draft', createdBy: c.admin.user.id, awaitingApprovalFrom: [other.institutionId, third.institutionId] });
      // Not party to it: the home coordinator does not see it.
      expectProblem(await t.api.get(`/agreements/${created.body.id}`, { token: home.coordinator.token }), 404, 'agreement.not_found');
    });
  });

  describe('versions', () => {
    it('editing after an approval makes version 2, clears the approvals and returns it to draft; version 1 stays readable', async () => {
      const draft = await draftAgreement(t, { partners: [home, other] });
      const approved = await approve(draft.id, other.coordinator, { comment: 'ok for us' });
      expect(approved.body.approvals).toHaveLength(1);

      const edited = await t.api.patch(`/agreements/${draft.id}`, { title: 'Renamed partnership', quotas: [quota(home.institutionId, other.institutionId, 2)] }, { token: home.coordinator.token });
      expect(edited.status).toBe(200);
      expect(edited.body).toMatchObject({
        title: 'Renamed partnership',
        status: 'draft',
        version: 2,
        approvals: [],
        awaitingApprovalFrom: [home.institutionId, other.institutionId],
        quotas: [quota(home.institutionId, other.institutionId, 2)],
      });

      const versions = await t.api.get(`/agreements/${draft.id}/versions`, { token: other.coordinator.token });
      expect(versions.status).toBe(200);
      expect(versions.body.items).toHaveLength(2);
      const [v1, v2] = versions.body.items;
      expect(v1).toMatchObject({
        version: 1,
        title: draft.title,
        quotas: draft.quotas,
        supersededAt: expect.stringMatching(ISO_INSTANT),
        supersededBy: home.coordinator.user.id,
        approvals: [expect.objectContaining({ institutionId: other.institutionId, approvedBy: other.coordinator.user.id, comment: 'ok for us' })],
      });
      expect(v2).toMatchObject({ version: 2, title: 'Renamed partnership', supersededAt: null, approvals: [] });
    });

    it('editing an active agreement makes it a draft again until every partner approves the new version', async () => {
      const active = await activeAgreement(t, { partners: [home, other, third] });
      expect(active.version).toBe(1);
      const edited = await t.api.patch(`/agreements/${active.id}`, { endsOn: `${Number(AGREEMENT_ENDS_ON.slice(0, 4)) + 1}-06-30` }, { token: third.coordinator.token });
      expect(edited.status).toBe(200);
      expect(edited.body).toMatchObject({ status: 'draft', version: 2, approvals: [], awaitingApprovalFrom: [home.institutionId, other.institutionId, third.institutionId] });

      for (const partner of [home, other]) expect((await approve(active.id, partner.coordinator)).body.status).toBe('draft');
      const done = await approve(active.id, third.coordinator);
      expect(done.body).toMatchObject({ status: 'active', version: 2 });

      const again = await t.api.patch(`/agreements/${active.id}`, { title: 'Third version' }, { token: home.coordinator.token });
      expect(again.body).toMatchObject({ status: 'draft', version: 3, approvals: [] });
      const versions = await t.api.get(`/agreements/${active.id}/versions`, { token: c.admin.token });
      expect(versions.body.items.map((v: { version: number }) => v.version)).toEqual([1, 2, 3]);
      expect(versions.body.items[0].approvals).toHaveLength(3);
      expect(versions.body.items[0].status).toBe('active');
      expect(versions.body.items[1].approvals).toHaveLength(3);
      expect(versions.body.items[2].supersededAt).toBeNull();
    });

    it('an edit that changes nothing is no new version and keeps the approvals', async () => {
      const active = await activeAgreement(t, { partners: [home, other] });
      for (const body of [{}, { title: active.title }, { quotas: [...active.quotas].reverse() }]) {
        const same = await t.api.patch(`/agreements/${active.id}`, body, { token: home.coordinator.token });
        expect(same.status).toBe(200);
        expect(same.body).toMatchObject({ status: 'active', version: 1, approvals: active.approvals });
      }
    });

    it('editing before any approval keeps version 1 and no archived version', async () => {
      const draft = await draftAgreement(t, { partners: [home, other] });
      const edited = await t.api.patch(`/agreements/${draft.id}`, { title: 'Typo fixed', partnerInstitutionIds: [home.institutionId, other.institutionId, third.institutionId] }, { token: other.coordinator.token });
      expect(edited.status).toBe(200);
      expect(edited.body).toMatchObject({ title: 'Typo fixed', version: 1, status: 'draft', partnerInstitutionIds: [home.institutionId, other.institutionId, third.institutionId] });
      const versions = await t.api.get(`/agreements/${draft.id}/versions`, { token: home.coordinator.token });
      expect(versions.status).toBe(200);
      expect(versions.body.items).toEqual([expect.objectContaining({ version: 1, title: 'Typo fixed', supersededAt: null })]);
      // The newly added partner now sees it.
      expect((await t.api.get(`/agreements/${draft.id}`, { token: third.coordinator.token })).status).toBe(200);
    });

    it('an edit validates the resulting terms with field errors', async () => {
      const draft = await draftAgreement(t, { partners: [home, other] });
      expectProblem(await t.api.patch(`/agreements/${draft.id}`, { endsOn: '2000-01-01' }, { token: home.coordinator.token }), 400, 'validation.failed', ['endsOn']);
      expectProblem(
        await t.api.patch(`/agreements/${draft.id}`, { quotas: [quota(home.institutionId, third.institutionId, 1)] }, { token: home.coordinator.token }),
        400,
        'validation.failed',
        ['quotas[0].toInstitutionId'],
      );
      // Dropping your own institution is refused for a coordinator.
      expectProblem(
        await t.api.patch(`/agreements/${draft.id}`, { partnerInstitutionIds: [other.institutionId, third.institutionId], quotas: [] }, { token: home.coordinator.token }),
        400,
        'validation.failed',
        ['partnerInstitutionIds'],
      );
      expectProblem(await t.api.patch(`/agreements/${draft.id}`, { status: 'active' }, { token: home.coordinator.token }), 400, 'validation.failed', ['status']);
      expectProblem(await t.api.patch(`/agreements/${draft.id}`, { title: null }, { token: home.coordinator.token }), 400, 'validation.failed', ['title']);
      const read = await t.api.get(`/agreements/${draft.id}`, { token: home.coordinator.token });
      expect(read.body).toMatchObject({ status: 'draft', version: 1, title: draft.title, endsOn: draft.endsOn, partnerInstitutionIds: draft.partnerInstitutionIds });
    });
  });

  describe('termination', () => {
    it('a partner coordinator terminates with a reason (400 without); afterwards approve, edit and terminate answer 409', async () => {
      const active = await activeAgreement(t, { partners: [home, other] });
      expectProblem(await t.api.post(`/agreements/${active.id}/terminate`, {}, { token: other.coordinator.token }), 400, 'validation.failed', ['reason']);
      expectProblem(await t.api.post(`/agreements/${active.id}/terminate`, { reason: '   ' }, { token: other.coordinator.token }), 400, 'validation.failed', ['reason']);
      expect((await t.api.get(`/agreements/${active.id}`, { token: home.coordinator.token })).body.status).toBe('active');

      const terminated = await t.api.post(`/agreements/${active.id}/terminate`, { reason: 'Programme discontinued' }, { token: other.coordinator.token });
      expect(terminated.status).toBe(200);
      expect(terminated.body).toMatchObject({
        status: 'terminated',
        terminationReason: 'Programme discontinued',
        terminatedBy: other.coordinator.user.id,
        terminatedAt: expect.stringMatching(ISO_INSTANT),
      });

      expectProblem(await approve(active.id, home.coordinator), 409, 'agreement.invalid_transition');
      expectProblem(await approve(active.id, c.admin, { institutionId: home.institutionId }), 409, 'agreement.invalid_transition');
      expectProblem(await t.api.patch(`/agreements/${active.id}`, { title: 'Revived' }, { token: home.coordinator.token }), 409, 'agreement.invalid_transition');
      expectProblem(await t.api.post(`/agreements/${active.id}/terminate`, { reason: 'again' }, { token: home.coordinator.token }), 409, 'agreement.invalid_transition');
      const read = await t.api.get(`/agreements/${active.id}`, { token: home.coordinator.token });
      expect(read.body).toMatchObject({ status: 'terminated', title: active.title, terminationReason: 'Programme discontinued' });
    });

    it('a draft can be terminated too, and an admin may terminate', async () => {
      const draft = await draftAgreement(t, { partners: [home, other] });
      const terminated = await t.api.post(`/agreements/${draft.id}/terminate`, { reason: 'Never signed' }, { token: c.admin.token });
      expect(terminated.status).toBe(200);
      expect(terminated.body).toMatchObject({ status: 'terminated', terminatedBy: c.admin.user.id });
      expectProblem(await approve(draft.id, other.coordinator), 409, 'agreement.invalid_transition');
    });
  });

  describe('visibility from the attacker side', () => {
    let agreementId: string;
    beforeAll(async () => {
      agreementId = (await draftAgreement(t, { partners: [home, other] })).id;
    });

    it('a coordinator of an institution not party to it gets 404 agreement.not_found on every route and does not list it', async () => {
      const token = outsider.coordinator.token;
      expectProblem(await t.api.get(`/agreements/${agreementId}`, { token }), 404, 'agreement.not_found');
      expectProblem(await t.api.patch(`/agreements/${agreementId}`, { title: 'Hijacked' }, { token }), 404, 'agreement.not_found');
      expectProblem(await t.api.post(`/agreements/${agreementId}/approve`, {}, { token }), 404, 'agreement.not_found');
      expectProblem(await t.api.post(`/agreements/${agreementId}/approve`, { institutionId: home.institutionId }, { token }), 404, 'agreement.not_found');
      expectProblem(await t.api.post(`/agreements/${agreementId}/terminate`, { reason: 'because' }, { token }), 404, 'agreement.not_found');
      expectProblem(await t.api.get(`/agreements/${agreementId}/versions`, { token }), 404, 'agreement.not_found');
      // Same answer as for an id that does not exist.
      expectProblem(await t.api.get(`/agreements/${randomUUID()}`, { token }), 404, 'agreement.not_found');
      expectProblem(await t.api.post(`/agreements/${randomUUID()}/approve`, {}, { token: home.coordinator.token }), 404, 'agreement.not_found');

      const list = await t.api.get('/agreements', { token, query: { limit: 100 } });
      expect(list.status).toBe(200);
      expect(ids(list)).not.toContain(agreementId);
      const filtered = await t.api.get('/agreements', { token, query: { institutionId: home.institutionId } });
      expect(filtered.status).toBe(200);
      expect(filtered.body.items).toEqual([]);

      const read = await t.api.get(`/agreements/${agreementId}`, { token: home.coordinator.token });
      expect(read.body).toMatchObject({ title: expect.not.stringMatching('Hijacked'), approvals: [], status: 'draft' });
    });

    it('a coordinator lists exactly the agreements its institution is party to', async () => {
      const list = await t.api.get('/agreements', { token: third.coordinator.token, query: { limit: 100 } });
      expect(list.status).toBe(200);
      expect(list.body.items.length).toBeGreaterThan(0);
      for (const item of list.body.items as { partnerInstitutionIds: string[] }[]) expect(item.partnerInstitutionIds).toContain(third.institutionId);
      expect(ids(list)).not.toContain(agreementId);
    });

    it.each(['hostSchool', 'hostFamily', 'student', 'otherStudent'] as const)('%s gets 403 on every agreements route', async (role) => {
      const token = c[role].token;
      const body = agreementBody([c.home.id, c.other.id]);
      expectProblem(await t.api.post('/agreements', body, { token }), 403, 'access.forbidden');
      expectProblem(await t.api.get('/agreements', { token }), 403, 'access.forbidden');
      expectProblem(await t.api.get(`/agreements/${agreementId}`, { token }), 403, 'access.forbidden');
      expectProblem(await t.api.patch(`/agreements/${agreementId}`, { title: 'x' }, { token }), 403, 'access.forbidden');
      expectProblem(await t.api.post(`/agreements/${agreementId}/approve`, {}, { token }), 403, 'access.forbidden');
      expectProblem(await t.api.post(`/agreements/${agreementId}/terminate`, { reason: 'x' }, { token }), 403, 'access.forbidden');
      expectProblem(await t.api.get(`/agreements/${agreementId}/versions`, { token }), 403, 'access.forbidden');
    });

    it('without a token every route answers 401', async () => {
      expectProblem(await t.api.get('/agreements'), 401, 'auth.unauthenticated');
      expectProblem(await t.api.get(`/agreements/${agreementId}`), 401, 'auth.unauthenticated');
      expectProblem(await t.api.post(`/agreements/${agreementId}/approve`, {}), 401, 'auth.unauthenticated');
    });

    it('an admin sees every agreement', async () => {
      const read = await t.api.get(`/agreements/${agreementId}`, { token: c.admin.token });
      expect(read.status).toBe(200);
      const all: string[] = [];
      let cursor: string | undefined;
      for (let i = 0; i < 20; i++) {
        const page = await t.api.get('/agreements', { token: c.admin.token, query: { limit: 100, cursor } });
        expect(page.status).toBe(200);
        all.push(...ids(page));
        if (!page.body.nextCursor) break;
        cursor = page.body.nextCursor;
      }
      expect(all).toContain(agreementId);
      const [{ count }] = (await t.dataSource.query('SELECT count(*)::int AS count FROM agreements')) as { count: number }[];
      expect(all).toHaveLength(count);
      expect((await t.api.get(`/agreements/${agreementId}/versions`, { token: c.admin.token })).status).toBe(200);
    });
  });

  describe('validation with field-level errors', () => {
    const create = (body: Record<string, unknown>, who: Session = c.coordinator) => t.api.post('/agreements', body, { token: who.token });
    const pair = () => [c.home.id, third.institutionId];

    it('endsOn before (or equal to) startsOn is refused on endsOn', async () => {
      expectProblem(await create(agreementBody(pair(), { startsOn: '2027-09-01', endsOn: '2027-08-31' })), 400, 'validation.failed', ['endsOn']);
      expectProblem(await create(agreementBody(pair(), { startsOn: '2027-09-01', endsOn: '2027-09-01' })), 400, 'validation.failed', ['endsOn']);
      // Year 0000 is no date PostgreSQL stores: refused as invalid, never a 500.
      expectProblem(await create(agreementBody(pair(), { startsOn: '0000-01-01' })), 400, 'validation.failed', ['startsOn']);
      expectProblem(await create(agreementBody(pair(), { startsOn: '2027-02-30' })), 400, 'validation.failed', ['startsOn']);
      expectProblem(await create(agreementBody(pair(), { endsOn: '31.08.2031' })), 400, 'validation.failed', ['endsOn']);
    });

    it('quotas between institutions that are not partners are refused on the offending side', async () => {
      const [a, b] = pair();
      const from = await create(agreementBody(pair(), { quotas: [quota(a, b, 2), quota(outsider.institutionId, b, 2)] }));
      expectProblem(from, 400, 'validation.failed', ['quotas[1].fromInstitutionId']);
      expect(fieldsOf(from)).not.toContain('quotas[1].toInstitutionId');
      const to = await create(agreementBody(pair(), { quotas: [quota(a, outsider.institutionId, 2)] }));
      expectProblem(to, 400, 'validation.failed', ['quotas[0].toInstitutionId']);
      expect(fieldsOf(to)).not.toContain('quotas[0].fromInstitutionId');
      const same = await create(agreementBody(pair(), { quotas: [quota(a, a, 2)] }));
      expectProblem(same, 400, 'validation.failed', ['quotas[0].toInstitutionId']);
      const duplicate = await create(agreementBody(pair(), { quotas: [quota(a, b, 2), quota(a, b, 3)] }));
      expectProblem(duplicate, 400, 'validation.failed', ['quotas[1]']);
    });

    it('negative or fractional seats are refused on quotas[i].seats', async () => {
      const [a, b] = pair();
      expectProblem(await create(agreementBody(pair(), { quotas: [quota(a, b, -1)] })), 400, 'validation.failed', ['quotas[0].seats']);
      expectProblem(await create(agreementBody(pair(), { quotas: [quota(a, b, 1), quota(b, a, 1.5)] })), 400, 'validation.failed', ['quotas[1].seats']);
      expectProblem(await create(agreementBody(pair(), { quotas: [{ ...quota(a, b, 1), seats: '3' }] })), 400, 'validation.failed', ['quotas[0].seats']);
      // Zero is a valid quota (a direction with no seats this year).
      expect((await create(agreementBody(pair(), { quotas: [quota(a, b, 0)] }))).status).toBe(201);
    });

    it.each(['2027-2028', '2027/2029', '2027/2027', '27/28', '2027/28', ' 2027/2028'])('academicYear %p is refused on quotas[0].academicYear', async (year) => {
      const [a, b] = pair();
      expectProblem(await create(agreementBody(pair(), { quotas: [quota(a, b, 1, year)] })), 400, 'validation.failed', ['quotas[0].academicYear']);
    });

    it('duplicate partners, fewer than two partners, or none are refused on partnerInstitutionIds', async () => {
      expectProblem(await create(agreementBody([c.home.id, c.home.id], { quotas: [] })), 400, 'validation.failed', ['partnerInstitutionIds']);
      expectProblem(await create(agreementBody([c.home.id, third.institutionId, c.home.id], { quotas: [] })), 400, 'validation.failed', ['partnerInstitutionIds']);
      expectProblem(await create(agreementBody([c.home.id], { quotas: [] })), 400, 'validation.failed', ['partnerInstitutionIds']);
      expectProblem(await create(agreementBody([], { quotas: [] })), 400, 'validation.failed', ['partnerInstitutionIds']);
      expectProblem(await create(agreementBody(pair(), { partnerInstitutionIds: undefined })), 400, 'validation.failed', ['partnerInstitutionIds']);
    });

    it('the same partner written in another letter case is refused (400, never a 500)', async () => {
      const response = await create(agreementBody([c.home.id, c.home.id.toUpperCase()], { quotas: [] }));
      expectProblem(response, 400, 'validation.failed');
      expect(fieldsOf(response).some((field) => field.startsWith('partnerInstitutionIds'))).toBe(true);
    });

    it('a coordinator may not propose an agreement without its own institution', async () => {
      const response = await create(agreementBody([c.other.id, third.institutionId], { quotas: [] }));
      expectProblem(response, 400, 'validation.failed', ['partnerInstitutionIds']);
    });

    it('an unknown partner id is refused on its index', async () => {
      const response = await create(agreementBody([c.home.id, randomUUID()], { quotas: [] }));
      expectProblem(response, 400, 'validation.failed', ['partnerInstitutionIds[1]']);
      expectProblem(await create(agreementBody([c.home.id, 'not-a-uuid'], { quotas: [] })), 400, 'validation.failed', ['partnerInstitutionIds']);
    });

    it('unknown fields are refused, never written', async () => {
      const [a, b] = pair();
      const top = await create(agreementBody(pair(), { status: 'active' }));
      expectProblem(top, 400, 'validation.failed', ['status']);
      const approvals = await create(agreementBody(pair(), { approvals: [{ institutionId: a }] }));
      expectProblem(approvals, 400, 'validation.failed', ['approvals']);
      const nested = await create(agreementBody(pair(), { quotas: [{ ...quota(a, b, 1), programs: 3 }] }));
      expectProblem(nested, 400, 'validation.failed', ['quotas[0].programs']);
      expectProblem(await create(agreementBody(pair(), { version: 7 })), 400, 'validation.failed', ['version']);
    });

    it('missing fields are each named', async () => {
      const response = await create({});
      expectProblem(response, 400, 'validation.failed', ['title', 'partnerInstitutionIds', 'startsOn', 'endsOn', 'quotas']);
      expect(response.text).not.toMatch(/SELECT|INSERT|at .+\.js:\d+/);
    });

    it('several errors are reported together', async () => {
      const [a] = pair();
      const response = await create(agreementBody(pair(), { startsOn: '2030-01-01', endsOn: '2029-01-01', quotas: [quota(a, outsider.institutionId, 1)] }));
      expectProblem(response, 400, 'validation.failed', ['endsOn', 'quotas[0].toInstitutionId']);
    });

    it('list parameters are validated', async () => {
      expectProblem(await t.api.get('/agreements', { token: c.coordinator.token, query: { limit: 101 } }), 400, 'validation.failed', ['limit']);
      expectProblem(await t.api.get('/agreements', { token: c.coordinator.token, query: { status: 'signed' } }), 400, 'validation.failed', ['status']);
      expectProblem(await t.api.get('/agreements', { token: c.coordinator.token, query: { cursor: 'garbage' } }), 400, 'validation.failed', ['cursor']);
      expectProblem(await t.api.get('/agreements/not-a-uuid', { token: c.coordinator.token }), 400, 'validation.failed', ['id']);
    });
  });

  describe('listing', () => {
    it('filters by status and pages newest first without gaps or repeats', async () => {
      const a = await newPartner(t);
      const b = await newPartner(t);
      const created: string[] = [];
      for (let i = 0; i < 5; i++) created.push((await draftAgreement(t, { partners: [a, b] })).id);
      const active = await activeAgreement(t, { partners: [a, b] });
      created.push(active.id);

      const seen: string[] = [];
      let cursor: string | undefined;
      let pages = 0;
      do {
        const page = await t.api.get('/agreements', { token: a.coordinator.token, query: { limit: 2, cursor } });
        expect(page.status).toBe(200);
        expect(page.body.items.length).toBeLessThanOrEqual(2);
        seen.push(...ids(page));
        cursor = page.body.nextCursor ?? undefined;
        pages++;
      } while (cursor && pages < 10);
      expect(pages).toBe(3);
      expect(seen).toEqual([...created].reverse());

      const activeOnly = await t.api.get('/agreements', { token: b.coordinator.token, query: { status: 'active' } });
      expect(ids(activeOnly)).toEqual([active.id]);
      const drafts = await t.api.get('/agreements', { token: b.coordinator.token, query: { status: 'draft' } });
      expect(ids(drafts)).toHaveLength(5);
    });
  });
});
