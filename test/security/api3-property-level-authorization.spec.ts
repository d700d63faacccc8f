/**
 * OWASP API3:2023, broken object property level authorization, both ways:
 *
 * - mass assignment: every write route of the API (each POST, PUT and PATCH with a JSON or
 *   multipart body, as listed by the OpenAPI document) refuses a body that carries, beside
 *   valid fields, one a client must not set (role, institutionId, status, studentId,
 *   ownerId, passwordHash, id, createdAt, ...), at the top or nested: 400 naming exactly
 *   those fields, and not a row of the database changed. Fields a route does take but only
 *   some callers may set (the institution of a new family, the partner an approval is for,
 *   the party a signature is for) are refused to the others, and nothing is written.
 * - excessive data exposure: each role's answer for each object carries exactly the
 *   properties of an explicit allow-list (SPEC section 2): never a password hash, a token,
 *   a storage key, a client address; a host school never motivation, language levels,
 *   matching profile, vetting notes or history comments; a host family only the student's
 *   name, age band, dates, travel, diet, allergies and languages.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import type { ApiResponse } from '../harness/api.js';
import { acceptedApplication, draftApplication, newStudents, submittedApplication, transition, uploadDocument, type Sides } from '../harness/applications.js';
import { startTestApp, type TestApp } from '../harness/app.js';
import { changedTables, openChecksums, type ChecksumOptions, type TableChecksums } from '../harness/checksums.js';
import { expectProblem } from '../harness/expect.js';
import { PASSWORD, signedIn, type Session } from '../harness/factories.js';
import { familyUser, homestayExchange, placementTransition, profile, proposedPlacement, vettedFamily } from '../harness/host-families.js';
import { draftAgreement, newProgram, YEAR } from '../harness/partnerships.js';
import { formOf, send } from '../harness/uploads.js';

type Json = Record<string, unknown>;
type Schema = Record<string, any>;

const unique = () => randomBytes(4).toString('hex');

/**
 * What the checksums compare: every table the application writes, to tell that a request
 * wrote nothing (any row added, changed or removed changes them). Left out: the rate limiter's
 * counters; of the mail queue only its size (its worker marks mails sent meanwhile); of the
 * audit log the refusals it records on purpose (`access.*`), and its chain head.
 */
const COMPARED: ChecksumOptions = {
  exclude: ['public.rate_limit_buckets', 'audit.audit_chain'],
  partial: { 'public.mail_jobs': { columns: ['id'] }, 'audit.audit_log': { where: "action NOT LIKE 'access.%'" } },
};

/** Every leaf of a JSON value as a path (`student.fullName`, `items[].id`); lists are one `[]`. */
function pathsOf(value: unknown, prefix = ''): string[] {
  if (Array.isArray(value)) {
    const inner = value.flatMap((item) => pathsOf(item, `${prefix}[]`));
    return inner.length ? [...new Set(inner)] : [`${prefix}[]`];
  }
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value as Json);
    if (!entries.length) return [`${prefix}{}`];
    return entries.flatMap(([key, child]) => pathsOf(child, prefix ? `${prefix}.${key}` : key));
  }
  return [prefix];
}
const sorted = (paths: string[]) => [...new Set(paths)].sort();

/** Nothing an answer may ever carry, whoever asks. */
const NEVER = /passwordHash|password_hash|\$argon2|tokenHash|token_hash|storageKey|storage_key|refreshToken/i;

describe('API3 property level authorization', () => {
  let t: TestApp;
  let x: Awaited<ReturnType<typeof homestayExchange>>;
  let sides: Sides;
  let admin: Session;
  let hostSchool: Session;
  let family: Json & { id: string };
  let familySession: Session;
  let student: Session;
  let application: Json & { id: string };
  let placement: Json & { id: string };
  let checksums: TableChecksums;

  beforeAll(async () => {
    t = await startTestApp({ LOGIN_MAX_PER_IP: '1000' });
    checksums = await openChecksums(t.settings.databaseUrl!, COMPARED);
    x = await homestayExchange(t);
    sides = x.sides;
    [admin, hostSchool] = await Promise.all([signedIn(t.dataSource, t.api, { role: 'admin' }), signedIn(t.dataSource, t.api, { role: 'host_school', institutionId: x.receiving.institutionId })]);
    family = await vettedFamily(t, sides.receiving, { capacity: 3 });
    familySession = await familyUser(t, x.receiving.institutionId, family.id);
    [student] = await newStudents(t, x.sending.institutionId, 1);

    // One exchange with everything a role could see: private fields, documents, comments, a placement, travel.
    const draft = await draftApplication(t, student, x.program, {
      motivation: 'I want to study public economics in Krasnodar.',
      languageLevels: [{ language: 'ru', level: 'B2' }],
      dateOfBirth: '2000-05-01',
      gender: 'female',
      matchingProfile: profile({ languages: ['ru', 'fr'], diet: ['vegetarian'], allergies: ['cats'], notes: 'Plays the cello' }),
    });
    for (const type of ['passport', 'motivation_letter', 'insurance']) expect((await uploadDocument(t, student, draft.id, type)).status).toBe(201);
    await transition(t, student, draft.id, 'submit', { comment: 'Here it is' });
    await transition(t, sides.sending, draft.id, 'nominate', { comment: 'Our best student' });
    await transition(t, sides.receiving, draft.id, 'accept', { comment: 'Welcome' });
    placement = await proposedPlacement(t, sides.receiving, { applicationId: draft.id, hostFamilyId: family.id });
    await placementTransition(t, familySession, placement.id, 'accept', { comment: 'With pleasure' });
    await transition(t, student, draft.id, 'confirm');
    expect((await t.api.put(`/applications/${draft.id}/travel`, { arrivalAt: `${YEAR}-08-30T14:35:00+03:00`, transportMode: 'plane', reference: 'SU 1140', arrivalPoint: 'KRR', needsPickup: true }, { token: student.token })).status).toBe(200);
    application = (await t.api.get(`/applications/${draft.id}`, { token: student.token })).body;
  });
  afterAll(async () => {
    await checksums?.close();
    await t?.close();
  });

  describe('mass assignment', () => {
    /** Fields no client sets, with values of a plausible type. */
    const FORBIDDEN: Json = {
      id: randomUUID(),
      role: 'admin',
      institutionId: randomUUID(),
      status: 'accepted',
      studentId: randomUUID(),
      ownerId: randomUUID(),
      userId: randomUUID(),
      passwordHash: '$argon2id$v=19$m=19456,t=2,p=1$c2FsdHNhbHQ$aGFzaGhhc2g',
      createdAt: '2020-01-01T00:00:00Z',
      updatedAt: '2020-01-01T00:00:00Z',
      createdBy: randomUUID(),
      hostFamilyId: randomUUID(),
      sendingInstitutionId: randomUUID(),
      receivingInstitutionId: randomUUID(),
      isAdmin: true,
    };

    interface Case {
      method: 'POST' | 'PUT' | 'PATCH';
      /** as in the OpenAPI document */
      template: string;
      path: string;
      who: () => Session | undefined;
      /** a body the caller could send as it is */
      body: () => Json;
      /** fields smuggled inside nested objects, as path → the body that carries them */
      nested?: () => [string, Json][];
    }

    let doc: Schema;
    let cases: Case[];
    let ids: Record<string, string>;

    beforeAll(async () => {
      doc = (await t.api.get('/api/docs-json')).body;
      // Objects in the states their routes act on: a draft agreement and programme, applications at each step, a proposed placement.
      const draftAgreementId = (await draftAgreement(t, { partners: [x.sending, x.receiving] })).id;
      const draftProgramId = (await newProgram(t, sides.sending, x.agreement.id, x.sending.institutionId, x.receiving.institutionId, { requiredDocuments: [], requiresLearningAgreement: false })).id;
      const [drafter, submitter, nominee, offered, applicant] = await newStudents(t, x.sending.institutionId, 5);
      const draft = await draftApplication(t, drafter, x.program);
      const submitted = await submittedApplication(t, submitter, x.program);
      const nominated = await transition(t, sides.sending, (await submittedApplication(t, nominee, x.program)).id, 'nominate');
      const accepted = await acceptedApplication(t, offered, x.program, sides, { dateOfBirth: '2001-02-03', matchingProfile: profile() });
      const proposed = await proposedPlacement(t, sides.receiving, { applicationId: accepted.id, hostFamilyId: family.id });
      const [notice] = (await t.api.get('/notifications', { token: familySession.token })).body.items;
      ids = { draftAgreementId, draftProgramId, draft: draft.id, submitted: submitted.id, nominated: nominated.id, accepted: accepted.id, proposed: proposed.id, notice: notice.id };
      const people = { drafter, offered, applicant };
      const profileBody = profile();
      cases = [
        { method: 'POST', template: '/api/v1/auth/register', path: '/auth/register', who: () => undefined, body: () => ({ email: `new.${unique()}@test.example`, password: 'violet-Otter-sings-at-7-dawn', fullName: 'New Student', homeInstitutionId: x.sending.institutionId }) },
        { method: 'POST', template: '/api/v1/auth/login', path: '/auth/login', who: () => undefined, body: () => ({ email: student.user.email, password: PASSWORD }) },
        { method: 'POST', template: '/api/v1/auth/refresh', path: '/auth/refresh', who: () => undefined, body: () => ({ refreshToken: student.refreshToken }) },
        { method: 'POST', template: '/api/v1/auth/set-password', path: '/auth/set-password', who: () => undefined, body: () => ({ token: randomBytes(24).toString('base64url'), password: 'violet-Otter-sings-at-7-dawn' }) },
        { method: 'POST', template: '/api/v1/auth/logout', path: '/auth/logout', who: () => student, body: () => ({ refreshToken: student.refreshToken }) },
        { method: 'PATCH', template: '/api/v1/me', path: '/me', who: () => student, body: () => ({ fullName: 'Anna Petrova', locale: 'ru' }) },
        { method: 'POST', template: '/api/v1/me/erase', path: '/me/erase', who: () => people.applicant, body: () => ({}) },
        { method: 'POST', template: '/api/v1/users', path: '/users', who: () => sides.receiving, body: () => ({ email: `staff.${unique()}@test.example`, fullName: 'Host School Staff', role: 'host_school', institutionId: x.receiving.institutionId }) },
        { method: 'POST', template: '/api/v1/institutions', path: '/institutions', who: () => admin, body: () => ({ name: `School ${unique()}`, shortName: 'SCH', city: 'Nancy', country: 'FR', kind: 'school', timezone: 'Europe/Paris' }) },
        { method: 'PATCH', template: '/api/v1/institutions/{id}', path: `/institutions/${x.receiving.institutionId}`, who: () => admin, body: () => ({ city: 'Krasnodar' }) },
        {
          method: 'POST',
          template: '/api/v1/agreements',
          path: '/agreements',
          who: () => sides.sending,
          body: () => ({ title: `Agreement ${unique()}`, partnerInstitutionIds: [x.sending.institutionId, x.receiving.institutionId], startsOn: `${YEAR - 1}-01-01`, endsOn: `${YEAR + 4}-12-31`, quotas: [quota()] }),
          nested: () => [['quotas[0].approvedBy', { quotas: [{ ...quota(), approvedBy: randomUUID() }] }]],
        },
        { method: 'PATCH', template: '/api/v1/agreements/{id}', path: `/agreements/${ids.draftAgreementId}`, who: () => sides.sending, body: () => ({ title: 'Renamed' }), nested: () => [['quotas[0].id', { quotas: [{ ...quota(), id: randomUUID() }] }]] },
        { method: 'POST', template: '/api/v1/agreements/{id}/approve', path: `/agreements/${ids.draftAgreementId}/approve`, who: () => sides.sending, body: () => ({ comment: 'Agreed' }) },
        { method: 'POST', template: '/api/v1/agreements/{id}/terminate', path: `/agreements/${x.agreement.id}/terminate`, who: () => sides.sending, body: () => ({ reason: 'Ended' }) },
        {
          method: 'POST',
          template: '/api/v1/programs',
          path: '/programs',
          who: () => sides.sending,
          body: () => programBody(),
          nested: () => [['languageRequirement.verified', { ...programBody(), languageRequirement: { language: 'ru', minLevel: 'A2', verified: true } }]],
        },
        { method: 'PATCH', template: '/api/v1/programs/{id}', path: `/programs/${ids.draftProgramId}`, who: () => sides.sending, body: () => ({ title: 'Renamed programme', seats: 2 }) },
        ...['publish', 'close', 'cancel'].map((name): Case => ({ method: 'POST', template: `/api/v1/programs/{id}/${name}`, path: `/programs/${ids.draftProgramId}/${name}`, who: () => sides.sending, body: () => ({ comment: 'Now' }) })),
        {
          method: 'POST',
          template: '/api/v1/applications',
          path: '/applications',
          who: () => people.applicant,
          body: () => ({ programId: x.program.id, motivation: 'Mine', dateOfBirth: '2001-01-01' }),
          nested: () => [
            ['matchingProfile.studentId', { programId: x.program.id, matchingProfile: { ...profileBody, studentId: randomUUID() } }],
            ['languageLevels[0].verified', { programId: x.program.id, languageLevels: [{ language: 'ru', level: 'C2', verified: true }] }],
          ],
        },
        { method: 'PATCH', template: '/api/v1/applications/{id}', path: `/applications/${ids.draft}`, who: () => people.drafter, body: () => ({ motivation: 'Changed' }), nested: () => [['matchingProfile.score', { matchingProfile: { ...profileBody, score: 100 } }]] },
        ...(
          [
            ['submit', ids.draft, () => people.drafter],
            ['withdraw', ids.draft, () => people.drafter],
            ['nominate', ids.submitted, () => sides.sending],
            ['reject', ids.submitted, () => sides.sending],
            ['accept', ids.nominated, () => sides.receiving],
            ['waitlist', ids.nominated, () => sides.receiving],
            ['confirm', ids.accepted, () => people.offered],
            ['decline', ids.accepted, () => people.offered],
            ['cancel', application.id, () => sides.sending],
            ['check-in', application.id, () => sides.receiving],
            ['complete', application.id, () => sides.receiving],
          ] as const
        ).map(([name, id, who]): Case => ({ method: 'POST', template: `/api/v1/applications/{id}/${name}`, path: `/applications/${id}/${name}`, who, body: () => (['reject', 'cancel'].includes(name) ? { reason: 'Because' } : { comment: 'Now' }) })),
        {
          method: 'PUT',
          template: '/api/v1/applications/{id}/learning-agreement',
          path: `/applications/${ids.draft}/learning-agreement`,
          who: () => people.drafter,
          body: () => ({ components: [component()], recognizedComponents: [component()] }),
          nested: () => [['components[0].signedBy', { components: [{ ...component(), signedBy: randomUUID() }], recognizedComponents: [] }]],
        },
        { method: 'POST', template: '/api/v1/applications/{id}/learning-agreement/sign', path: `/applications/${ids.draft}/learning-agreement/sign`, who: () => people.drafter, body: () => ({ comment: 'Signed' }) },
        {
          method: 'PUT',
          template: '/api/v1/applications/{id}/travel',
          path: `/applications/${application.id}/travel`,
          who: () => student,
          body: () => ({ arrivalAt: `${YEAR}-08-31T10:00:00+03:00`, transportMode: 'train', reference: 'RZD 7', arrivalPoint: 'Krasnodar-1', needsPickup: false }),
        },
        { method: 'POST', template: '/api/v1/checklist-items/{id}/complete', path: `/checklist-items/${randomUUID()}/complete`, who: () => hostSchool, body: () => ({ note: 'Done' }) },
        {
          method: 'POST',
          template: '/api/v1/host-families',
          path: '/host-families',
          who: () => sides.receiving,
          body: () => familyBody(),
          nested: () => [['address.verified', { ...familyBody(), address: { line1: '1 Krasnaya', city: 'Krasnodar', postalCode: '350000', country: 'RU', verified: true } }]],
        },
        { method: 'PATCH', template: '/api/v1/host-families/{id}', path: `/host-families/${family.id}`, who: () => familySession, body: () => ({ capacity: 3, availableTo: `${YEAR + 1}-07-31` }) },
        { method: 'PATCH', template: '/api/v1/host-families/{id}', path: `/host-families/${family.id}`, who: () => sides.receiving, body: () => ({ commuteMinutes: 25 }) },
        { method: 'POST', template: '/api/v1/host-families/{id}/vet', path: `/host-families/${family.id}/vet`, who: () => sides.receiving, body: () => ({ backgroundCheckOn: today(), homeVisitOn: today(), outcome: 'approved', notes: 'Fine' }) },
        { method: 'POST', template: '/api/v1/host-families/{id}/suspend', path: `/host-families/${family.id}/suspend`, who: () => sides.receiving, body: () => ({ reason: 'Complaint' }) },
        { method: 'POST', template: '/api/v1/host-families/{id}/erase', path: `/host-families/${family.id}/erase`, who: () => sides.receiving, body: () => ({}) },
        { method: 'POST', template: '/api/v1/placements', path: '/placements', who: () => sides.receiving, body: () => ({ applicationId: ids.submitted, hostFamilyId: family.id }) },
        ...(
          [
            ['accept', ids.proposed, () => familySession],
            ['decline', ids.proposed, () => familySession],
            ['cancel', placement.id, () => sides.receiving],
            ['end', placement.id, () => sides.receiving],
          ] as const
        ).map(([name, id, who]): Case => ({ method: 'POST', template: `/api/v1/placements/{id}/${name}`, path: `/placements/${id}/${name}`, who, body: () => ({ reason: 'Because' }) })),
        { method: 'POST', template: '/api/v1/notifications/read-all', path: '/notifications/read-all', who: () => familySession, body: () => ({}) },
        { method: 'POST', template: '/api/v1/notifications/{id}/read', path: `/notifications/${ids.notice}/read`, who: () => familySession, body: () => ({}) },
      ];
    });

    const quota = () => ({ fromInstitutionId: x.sending.institutionId, toInstitutionId: x.receiving.institutionId, academicYear: `${YEAR}/${YEAR + 1}`, seats: 2 });
    const component = () => ({ code: 'ECO-301', title: 'Public economics', credits: 6, term: 'autumn' });
    const today = () => new Date().toISOString().slice(0, 10);
    const familyBody = () => ({
      displayName: `Famille ${unique()}`,
      contactEmail: `family.${unique()}@test.example`,
      contactPhone: '+7 861 000 00 00',
      address: { line1: '1 Krasnaya', city: 'Krasnodar', postalCode: '350000', country: 'RU' },
      capacity: 1,
      languages: ['ru'],
      availableFrom: `${YEAR}-08-01`,
      availableTo: `${YEAR + 1}-07-31`,
    });
    const programBody = () => ({
      agreementId: x.agreement.id,
      title: `Programme ${unique()}`,
      description: 'A semester.',
      sendingInstitutionId: x.sending.institutionId,
      receivingInstitutionId: x.receiving.institutionId,
      academicYear: `${YEAR}/${YEAR + 1}`,
      startsOn: `${YEAR}-09-01`,
      endsOn: `${YEAR + 1}-01-31`,
      applicationOpensAt: new Date(Date.now() - 86_400_000).toISOString(),
      applicationClosesAt: `${YEAR}-06-30T21:59:59Z`,
      seats: 1,
      requiredDocuments: [],
      accommodation: 'residence',
      requiresLearningAgreement: false,
    });

    const bodyFieldsOf = (template: string, method: string): string[] => {
      const resolve = (schema: Schema | undefined): Schema | undefined => (schema?.$ref ? resolve(doc.components.schemas[String(schema.$ref).split('/').pop()!]) : schema);
      const schema = resolve(doc.paths[template]?.[method.toLowerCase()]?.requestBody?.content?.['application/json']?.schema);
      return Object.keys(schema?.properties ?? {});
    };
    const fieldsNamed = (response: ApiResponse) => sorted(((response.body?.errors ?? []) as { field: string }[]).map((e) => e.field));

    it('has a case for every write route with a JSON body in the OpenAPI document', () => {
      const documented: string[] = [];
      for (const [template, operations] of Object.entries(doc.paths as Record<string, Record<string, Schema>>)) {
        for (const [method, operation] of Object.entries(operations)) {
          if (['post', 'put', 'patch'].includes(method) && operation.requestBody?.content?.['application/json']) documented.push(`${method.toUpperCase()} ${template}`);
        }
      }
      expect(documented.length).toBeGreaterThan(40);
      expect(sorted(documented)).toEqual(sorted(cases.map((c) => `${c.method} ${c.template}`)));
    });

    it('refuses, on every such route, a valid body that also carries a field no client sets: 400 naming exactly those fields, nothing written', async () => {
      const issues: string[] = [];
      for (const c of cases) {
        const taken = bodyFieldsOf(c.template, c.method);
        const extras = Object.fromEntries(Object.entries(FORBIDDEN).filter(([name]) => !taken.includes(name)));
        const probes: [string, Json, string[]][] = [['top level', { ...c.body(), ...extras }, Object.keys(extras)], ...(c.nested?.() ?? []).map(([field, body]): [string, Json, string[]] => [field, body, [field]])];
        for (const [probe, body, expected] of probes) {
          const label = `${c.method} ${c.path} as ${c.who()?.user.role ?? 'anyone'} (${probe})`;
          const before = await checksums.take();
          const response = await t.api.request(c.method, c.path, body, { token: c.who()?.token });
          const after = await checksums.take();
          if (response.status !== 400 || response.body?.code !== 'validation.failed') issues.push(`${label}: ${response.status} ${response.text.slice(0, 200)}`);
          // Exactly those fields: the rest of the body was valid, so without them the request would have been taken.
          else if (probe === 'top level' ? JSON.stringify(fieldsNamed(response)) !== JSON.stringify(sorted(expected)) : !fieldsNamed(response).includes(expected[0]))
            issues.push(`${label}: named ${JSON.stringify(fieldsNamed(response))}, expected ${JSON.stringify(sorted(expected))}`);
          const changed = changedTables(before, after);
          if (changed.length) issues.push(`${label}: wrote to ${changed.join(', ')}`);
        }
      }
      expect(issues).toEqual([]);
    });

    it('refuses an upload form with any field but type and file, naming it, and stores nothing', async () => {
      for (const name of ['studentId', 'applicationId', 'uploadedBy', 'storageKey', 'sha256', 'mediaType']) {
        const before = await checksums.take();
        const form = formOf([
          { name: 'type', value: 'passport' },
          { name, value: name === 'studentId' || name === 'applicationId' || name === 'uploadedBy' ? randomUUID() : 'x' },
          { name: 'file', content: Buffer.from('%PDF-1.4\n%%EOF\n'), fileName: 'passport.pdf', contentType: 'application/pdf' },
        ]);
        const response = await send(t, 'POST', `/applications/${ids.draft}/documents`, form, cases.find((c) => c.template === '/api/v1/applications/{id}')!.who()!.token);
        expectProblem(response, 400, 'validation.failed', [name]);
        expect(changedTables(before, await checksums.take())).toEqual([]);
      }
    });

    it('refuses fields a route takes from some callers only, to the others, and writes nothing', async () => {
      const before = await checksums.take();
      // A family for another institution than the coordinator's own.
      expectProblem(await t.api.post('/host-families', { ...familyBody(), institutionId: x.sending.institutionId }, { token: sides.receiving.token }), 403, 'access.forbidden');
      // An approval on behalf of the other partner.
      expectProblem(await t.api.post(`/agreements/${ids.draftAgreementId}/approve`, { institutionId: x.receiving.institutionId }, { token: sides.sending.token }), 403, 'access.forbidden');
      // A staff account at another institution, or of a role above the coordinator's.
      expectProblem(await t.api.post('/users', { email: `x.${unique()}@test.example`, fullName: 'X', role: 'host_school', institutionId: x.sending.institutionId }, { token: sides.receiving.token }), 403, 'access.forbidden');
      expectProblem(await t.api.post('/users', { email: `x.${unique()}@test.example`, fullName: 'X', role: 'admin' }, { token: sides.receiving.token }), 403, 'access.forbidden');
      // An arrival time on anything but a check-in.
      expectProblem(await t.api.post(`/applications/${ids.draft}/submit`, { arrivedAt: new Date().toISOString() }, { token: cases.find((c) => c.template === '/api/v1/applications/{id}')!.who()!.token }), 400, 'validation.failed', ['arrivedAt']);
      expect(changedTables(before, await checksums.take())).toEqual([]);
    });
  });

  describe('what each role reads of an object (allow-lists, SPEC section 2)', () => {
    const TRAVEL = ['arrivalAt', 'arrivalPoint', 'needsPickup', 'reference', 'transportMode'];
    const under = (prefix: string, paths: string[]) => paths.map((path) => `${prefix}.${path}`);
    const APPLICATION = ['allowedTransitions[]', 'arrivedAt', 'createdAt', 'dateOfBirth', 'id', 'programId', 'receivingInstitutionId', 'sendingInstitutionId', 'status', 'studentId', 'studentName', 'submittedAt', 'updatedAt', ...under('travel', TRAVEL)];
    const PRIVATE = ['gender', 'languageLevels[].language', 'languageLevels[].level', 'motivation', ...under('matchingProfile', ['allergies[]', 'diet[]', 'languages[]', 'notes', 'smoker'])];
    const PLACEMENT = [
      'acceptedAt',
      'allowedTransitions[]',
      'applicationId',
      'createdAt',
      'endedOn',
      'endsOn',
      'hostFamilyId',
      'id',
      'reason',
      'receivingInstitutionId',
      'startsOn',
      'status',
      'updatedAt',
      ...under('family', ['id', 'displayName', 'contactEmail', 'contactPhone', 'address.city', 'address.country', 'address.line1', 'address.postalCode']),
      // Of the student: what a family needs, nothing more (no date of birth, no e-mail, no motivation).
      ...under('student', ['id', 'fullName', 'ageBand', 'languages[]', 'diet[]', 'allergies[]']),
      ...under('travel', TRAVEL),
    ];
    const FAMILY = [
      'acceptsMinors',
      'allowedTransitions[]',
      'availableFrom',
      'availableTo',
      'capacity',
      'commuteMinutes',
      'contactEmail',
      'contactPhone',
      'createdAt',
      'dietsSupported[]',
      'displayName',
      'genderPreference',
      'hasPets',
      'id',
      'institutionId',
      'languages[]',
      'petTypes[]',
      'smokingHousehold',
      'status',
      'updatedAt',
      'vetted',
      'vettingExpired',
      'vettingExpiresOn',
      ...under('address', ['city', 'country', 'line1', 'postalCode']),
    ];
    const VETTINGS = under('vettings[]', ['backgroundCheckOn', 'expiresOn', 'homeVisitOn', 'id', 'notes', 'outcome', 'recordedAt', 'recordedBy', 'recorderRole']);
    const USER = ['createdAt', 'email', 'fullName', 'hostFamilyId', 'id', 'institutionId', 'locale', 'role'];

    const read = async (path: string, who: Session) => {
      const response = await t.api.get(path, { token: who.token });
      expect({ path, role: who.user.role, status: response.status }).toEqual({ path, role: who.user.role, status: 200 });
      expect(response.text).not.toMatch(NEVER);
      return response.body;
    };
    const expectShape = (label: string, body: unknown, allowed: string[]) => expect({ label, paths: sorted(pathsOf(body)) }).toEqual({ label, paths: sorted(allowed) });

    it('an application: the student and coordinators read it whole, a host school identity, dates, travel and placement only', async () => {
      const withPlacement = [...under('placement', PLACEMENT)];
      expectShape('student', await read(`/applications/${application.id}`, student), [...APPLICATION, ...PRIVATE, ...withPlacement]);
      expectShape('sending coordinator', await read(`/applications/${application.id}`, sides.sending), [...APPLICATION, ...PRIVATE, 'meetsLanguageRequirement']);
      expectShape('receiving coordinator', await read(`/applications/${application.id}`, sides.receiving), [...APPLICATION, ...PRIVATE, 'meetsLanguageRequirement', ...withPlacement]);
      expectShape('admin', await read(`/applications/${application.id}`, admin), [...APPLICATION, ...PRIVATE, 'meetsLanguageRequirement', ...withPlacement]);
      const seenBySchool = await read(`/applications/${application.id}`, hostSchool);
      expectShape('host school', seenBySchool, [...APPLICATION, ...withPlacement]);
      // Not the matching profile through the placement either.
      expect(seenBySchool.placement.student).toMatchObject({ languages: [], diet: [], allergies: [] });
      // The same in its list.
      const listed = (await read('/applications?limit=100', hostSchool)).items.find((a: { id: string }) => a.id === application.id);
      expectShape('host school, listed', listed, [...APPLICATION, ...withPlacement]);
    });

    it("an application's history and documents: no comments for a host school, and of documents only passport and insurance", async () => {
      const history = (await read(`/applications/${application.id}/history`, hostSchool)).items as Json[];
      expect(history.length).toBeGreaterThan(5);
      expect(history.filter((entry) => entry.comment !== null || entry.reason !== null)).toEqual([]);
      const coordinatorsView = (await read(`/applications/${application.id}/history`, sides.receiving)).items as Json[];
      expect(coordinatorsView.map((entry) => entry.comment)).toEqual(expect.arrayContaining(['Our best student', 'Welcome']));

      const documents = (await read(`/applications/${application.id}/documents`, hostSchool)).items as Json[];
      expect(documents.map((d) => d.type).sort()).toEqual(['insurance', 'passport']);
      for (const document of documents) expectShape('document', document, ['applicationId', 'createdAt', 'fileName', 'id', 'mediaType', 'sha256', 'size', 'type', 'uploadedBy']);
      expect(((await read(`/applications/${application.id}/documents`, sides.receiving)).items as Json[]).map((d) => d.type).sort()).toEqual(['insurance', 'motivation_letter', 'passport']);
    });

    it('a placement: the family reads of its student the name, age band, languages, diet, allergies, dates and travel', async () => {
      const seenByFamily = await read(`/placements/${placement.id}`, familySession);
      expectShape('host family', seenByFamily, PLACEMENT);
      expect(seenByFamily.student).toEqual({ id: student.user.id, fullName: student.user.fullName, ageBand: 'adult', languages: ['ru', 'fr'], diet: ['vegetarian'], allergies: ['cats'] });
      expectShape('host family, listed', (await read('/placements?limit=100', familySession)).items.find((p: { id: string }) => p.id === placement.id), PLACEMENT);
      for (const who of [student, sides.receiving, admin]) expectShape(who.user.role, await read(`/placements/${placement.id}`, who), PLACEMENT);
      const seenBySchool = await read(`/placements/${placement.id}`, hostSchool);
      expectShape('host school', seenBySchool, PLACEMENT);
      expect(seenBySchool.student).toMatchObject({ languages: [], diet: [], allergies: [] });
    });

    it("a student reads nothing of a family before the family accepted (no placement, no contact)", async () => {
      const [waiting] = await newStudents(t, x.sending.institutionId, 1);
      const accepted = await acceptedApplication(t, waiting, x.program, sides, { dateOfBirth: '2002-02-02', matchingProfile: profile() });
      const proposal = await proposedPlacement(t, sides.receiving, { applicationId: accepted.id, hostFamilyId: family.id });
      const own = await read(`/applications/${accepted.id}`, waiting);
      expect(own).not.toHaveProperty('placement');
      expectProblem(await t.api.get(`/placements/${proposal.id}`, { token: waiting.token }), 404);
      expect(JSON.stringify(own)).not.toContain(String(family.contactEmail));
    });

    it('a host family: its own users read the record but not the vettings; host-school staff read the vettings without their notes', async () => {
      expectShape('host family', await read(`/host-families/${family.id}`, familySession), FAMILY);
      const seenBySchool = await read(`/host-families/${family.id}`, hostSchool);
      expectShape('host school', seenBySchool, [...FAMILY, 'suspensionReason', ...VETTINGS]);
      expect((seenBySchool.vettings as Json[]).map((v) => v.notes)).toEqual([null]);
      const seenByCoordinator = await read(`/host-families/${family.id}`, sides.receiving);
      expectShape('coordinator', seenByCoordinator, [...FAMILY, 'suspensionReason', ...VETTINGS]);
      expect((seenByCoordinator.vettings as Json[]).map((v) => v.notes)).toEqual(['All in order.']);
    });

    it('people: never a password hash or a token; notification preferences only to their owner', async () => {
      for (const who of [student, hostSchool, familySession, sides.receiving, admin]) expectShape(`me as ${who.user.role}`, await read('/me', who), [...USER, ...(who.user.role === 'student' ? ['homeInstitutionId'] : []), 'notificationPreferences{}']);
      const staff = (await read('/users?limit=100', sides.receiving)).items as Json[];
      expect(staff.length).toBeGreaterThan(1);
      for (const user of staff) expectShape(`user ${String(user.role)}`, user, [...USER, ...(user.role === 'student' ? ['homeInstitutionId'] : [])]);
      const signIn = await t.api.post('/auth/login', { email: hostSchool.user.email, password: PASSWORD });
      expectShape('login', signIn.body, ['accessToken', 'expiresIn', 'refreshToken', ...under('user', USER)]);
    });

    it("the audit log: a coordinator reads its institution's entries without client addresses", async () => {
      const entries = (await read('/audit?limit=100', sides.receiving)).items as Json[];
      expect(entries.length).toBeGreaterThan(3);
      for (const entry of entries) expect(entry).not.toHaveProperty('clientAddress');
      // Admins do read them (the platform's operators).
      const asAdmin = (await read('/audit?limit=5', admin)).items as Json[];
      expect(asAdmin[0]).toHaveProperty('clientAddress');
    });

    it("a person's export: all of its own data and no secret", async () => {
      const exported = await read('/me/export', student);
      expect(exported.profile).toMatchObject({ id: student.user.id, email: student.user.email });
      expect(JSON.stringify(exported)).not.toContain(student.refreshToken);
    });
  });
});
