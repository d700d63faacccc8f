/**
 * The coordinators' pages of agreements, programmes and the flows report, over HTTP as a
 * browser sends them: what each user reads after each step, the form errors beside their
 * fields, the 409s in words, and the attacker's side (another institution, lesser roles,
 * forms without their CSRF token).
 */
import { acceptedApplication, newStudents, submittedApplication } from '../harness/applications.js';
import { login, newInstitution, newUser, PASSWORD } from '../harness/factories.js';
import { ACADEMIC_YEAR, activeAgreement, AGREEMENT_ENDS_ON, AGREEMENT_STARTS_ON, draftAgreement, newPartner, newProgram, publishedProgram, quotasBothWays, YEAR, type Partner } from '../harness/partnerships.js';
import { startTestApp, type TestApp } from '../harness/app.js';
import { PortalClient, textOf } from '../harness/portal.js';

const NOT_YOURS = 'This page does not exist, or it is not yours to see';

describe('portal: agreements, programmes and the flows report', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await startTestApp({ LOGIN_MAX_PER_IP: '10000' });
  });
  afterAll(async () => {
    await t.close();
  });

  const browserOf = async (email: string) => {
    const browser = new PortalClient(t.baseUrl);
    await browser.signIn(email, PASSWORD);
    return browser;
  };
  const agreementRow = async (id: string) => {
    const [row] = await t.dataSource.query('SELECT status, version, (SELECT count(*)::int FROM agreement_approvals WHERE agreement_id = $1) AS approvals FROM agreements WHERE id = $1', [id]);
    return row as { status: string; version: number; approvals: number };
  };
  const programStatus = async (id: string) => ((await t.dataSource.query('SELECT status FROM programs WHERE id = $1', [id])) as { status: string }[])[0].status;

  it('a coordinator proposes a bilateral agreement with quotas (a quota row refused first, beside its field), the partner approves it and it is active', async () => {
    const home = await newInstitution(t.dataSource, { name: 'Université du Portail', shortName: 'UPortail' });
    const partner = await newInstitution(t.dataSource, { name: 'Kuban Portal University', shortName: 'KPU', country: 'RU', city: 'Krasnodar', timezone: 'Europe/Moscow' });
    const camille = await newUser(t.dataSource, { role: 'coordinator', institutionId: home.id, fullName: 'Camille Martin' });
    const ivan = await newUser(t.dataSource, { role: 'coordinator', institutionId: partner.id, fullName: 'Ivan Petrov' });
    const title = 'Portail – Kuban exchange';

    const a = await browserOf(camille.email);
    const form = await a.get('/portal/agreements/new');
    expect(form.status).toBe(200);
    expect(textOf(form.html)).toContain('Your institution: Université du Portail');
    expect(form.html).toContain('<label for="partner1">');

    const fields = {
      title,
      partner1: partner.id,
      partner2: '',
      startsOn: AGREEMENT_STARTS_ON,
      endsOn: AGREEMENT_ENDS_ON,
      'quotas[0].fromInstitutionId': home.id,
      'quotas[0].toInstitutionId': partner.id,
      'quotas[0].academicYear': ACADEMIC_YEAR,
      'quotas[0].seats': '2',
      'quotas[1].fromInstitutionId': partner.id,
      'quotas[1].toInstitutionId': home.id,
      'quotas[1].academicYear': ACADEMIC_YEAR,
      'quotas[1].seats': '-3',
    };
    const refused = await a.post('/portal/agreements', fields);
    expect(refused.status).toBe(400);
    expect(textOf(refused.html)).toContain('Please correct the fields marked below');
    // The error is beside the seats of the second row, bound to its input; the first row is kept as typed.
    expect(refused.html).toMatch(/id="q1-seats" name="quotas\[1\]\.seats"[^>]*value="-3" aria-invalid="true" aria-describedby="q1-seats-error"/);
    expect(refused.html).toMatch(/<p class="field-error" id="q1-seats-error">must be at least 0<\/p>/);
    expect(refused.html).not.toContain('id="q0-seats-error"');
    expect(refused.html).toMatch(/id="q0-seats" name="quotas\[0\]\.seats"[^>]*value="2"/);
    expect(await t.dataSource.query('SELECT id FROM agreements WHERE title = $1', [title])).toEqual([]);

    const proposed = await a.post('/portal/agreements', { ...fields, 'quotas[1].seats': '2' });
    expect(proposed.status).toBe(303);
    const id = /^\/portal\/agreements\/([0-9a-f-]{36})\?done=agreementProposed$/.exec(proposed.location!)![1];
    let page = textOf((await a.get(proposed.location!)).html);
    expect(page).toContain('The agreement is proposed');
    expect(page).toContain(title);
    expect(page).toContain('Draft: awaiting approvals');
    expect(page).toContain('Still to approve: Université du Portail, Kuban Portal University');
    expect(page).toContain(`Université du Portail Kuban Portal University ${ACADEMIC_YEAR} 2`);
    expect(page).toContain(`Kuban Portal University Université du Portail ${ACADEMIC_YEAR} 2`);
    expect(page).toContain('by Camille Martin on');

    const approved = await a.post(`/portal/agreements/${id}/approve`, { comment: 'Fine for Nancy' });
    expect(approved.status).toBe(303);
    expect(approved.location).toBe(`/portal/agreements/${id}?done=agreementApproved`);
    page = textOf((await a.get(approved.location!)).html);
    expect(page).toContain('Your approval is recorded');
    expect(page).toMatch(/Université du Portail Approved by Camille Martin on .+ Fine for Nancy Kuban Portal University Not approved yet/);
    expect(page).toContain('Still to approve: Kuban Portal University');
    expect(page).not.toContain('Approve this version');
    expect(await agreementRow(id)).toEqual({ status: 'draft', version: 1, approvals: 1 });

    const b = await browserOf(ivan.email);
    const list = textOf((await b.get('/portal/agreements')).html);
    expect(list).toContain(`${title}`);
    expect(list).toContain('1 of 2 partners approved');
    expect(list).toContain('Awaiting: KPU');
    expect((await b.get(`/portal/agreements/${id}`)).html).toContain(`action="/portal/agreements/${id}/approve"`);
    const last = await b.post(`/portal/agreements/${id}/approve`, {});
    expect(last.status).toBe(303);
    page = textOf((await b.get(last.location!)).html);
    expect(page).toContain('Active');
    expect(page).toMatch(/Kuban Portal University Approved by Ivan Petrov on /);
    expect(await agreementRow(id)).toEqual({ status: 'active', version: 1, approvals: 2 });

    // Editing an approved agreement: the page says first that it clears the approvals.
    const edit = await a.get(`/portal/agreements/${id}/edit`);
    expect(textOf(edit.html)).toContain('Saving a change makes version 2 and clears every approval');
    expect(edit.html).toMatch(/id="q1-seats" name="quotas\[1\]\.seats"[^>]*value="2"/);
    const saved = await a.post(`/portal/agreements/${id}/edit`, { ...fields, 'quotas[1].seats': '4' });
    expect(saved.status).toBe(303);
    page = textOf((await a.get(saved.location!)).html);
    expect(page).toContain('The agreement is saved');
    expect(page).toContain('Version 2');
    expect(page).toContain('Still to approve: Université du Portail, Kuban Portal University');
    // The versions: the current one, and version 1 with its approvals and who replaced it.
    expect(page).toMatch(/2 \(current\) .+ None .*1 .+ UPortail: by Camille Martin on .+ KPU: by Ivan Petrov on .+ by Camille Martin on/);
    expect(await agreementRow(id)).toEqual({ status: 'draft', version: 2, approvals: 0 });
  });

  it('opens a programme under an active agreement (the quota exceeded said in words beside the seats), publishes and closes it', async () => {
    const p1 = await newPartner(t, { name: 'Lycée du Portail', timezone: 'Europe/Paris' });
    const p2 = await newPartner(t, { name: 'Gymnasium Portal', country: 'RU', timezone: 'Europe/Moscow' });
    const agreement = await activeAgreement(t, { partners: [p1, p2], quotas: quotasBothWays([p1.institutionId, p2.institutionId], 3) });
    const a = await browserOf(p1.coordinator.user.email);

    const form = await a.get(`/portal/programs/new?agreementId=${agreement.id}`);
    expect(form.status).toBe(200);
    expect(textOf(form.html)).toContain('Times are read in Europe/Paris, the time zone of your institution');
    expect(form.html).toContain(`<option value="${agreement.id}" selected>`);
    expect(form.html).toContain('type="datetime-local"');

    const fields = {
      agreementId: agreement.id,
      title: 'Semester in Krasnodar',
      description: 'Autumn term.',
      sendingInstitutionId: p1.institutionId,
      receivingInstitutionId: p2.institutionId,
      academicYear: ACADEMIC_YEAR,
      startsOn: `${YEAR}-09-01`,
      endsOn: `${YEAR + 1}-01-31`,
      applicationOpensAt: `${YEAR}-01-15T09:00`,
      applicationClosesAt: `${YEAR}-06-30T18:00`,
      seats: '5',
      'languageRequirement.language': 'ru',
      'languageRequirement.minLevel': 'A2',
      requiredDocuments: ['passport', 'parental_consent'],
      accommodation: 'host_family',
      requiresLearningAgreement: 'true',
    };
    const tooMany = await a.post('/portal/programs', fields);
    expect(tooMany.status).toBe(409);
    expect(textOf(tooMany.html)).toContain('Not enough seats left in the quota (remaining: 3)');
    expect(tooMany.html).toMatch(/<p class="field-error" id="seats-error">exceeds the remaining quota \(3\)<\/p>/);
    expect(textOf(tooMany.html)).toContain('Not enough seats left in the quota (remaining: 3)');
    expect(tooMany.html).toMatch(/id="seats"[^>]*value="5"[^>]*aria-invalid="true"/);
    expect(tooMany.html).toMatch(/id="doc-parental_consent" name="requiredDocuments" value="parental_consent" checked/);

    const created = await a.post('/portal/programs', { ...fields, seats: '3' });
    expect(created.status).toBe(303);
    const id = /^\/portal\/programs\/([0-9a-f-]{36})\?done=programCreated$/.exec(created.location!)![1];
    // The window typed on Paris clocks: winter (UTC+1) and summer (UTC+2) time.
    const [stored] = await t.dataSource.query('SELECT application_opens_at AS opens, application_closes_at AS closes, required_documents AS docs, language_requirement AS lang FROM programs WHERE id = $1', [id]);
    expect(stored.opens.toISOString()).toBe(`${YEAR}-01-15T08:00:00.000Z`);
    expect(stored.closes.toISOString()).toBe(`${YEAR}-06-30T16:00:00.000Z`);
    expect(stored.docs).toEqual(['passport', 'parental_consent']);
    expect(stored.lang).toEqual({ language: 'ru', minLevel: 'A2' });
    let page = textOf((await a.get(created.location!)).html);
    expect(page).toContain('The programme is created as a draft');
    expect(page).toContain('Semester in Krasnodar Draft');
    expect(page).toContain('(Europe/Paris)');
    expect(page).toContain('RU A2');
    expect(page).toContain('Passport, Parental consent');
    expect(page).toContain(agreement.title);

    // The edit form shows the window as typed, and an untouched form changes nothing.
    const edit = await a.get(`/portal/programs/${id}/edit`);
    expect(edit.html).toContain(`value="${YEAR}-01-15T09:00"`);
    const unchanged = await a.post(`/portal/programs/${id}/edit`, { ...fields, seats: '3' });
    expect(unchanged.status).toBe(303);
    const [after] = await t.dataSource.query('SELECT application_closes_at AS closes, seats FROM programs WHERE id = $1', [id]);
    expect({ closes: after.closes.toISOString(), seats: after.seats }).toEqual({ closes: `${YEAR}-06-30T16:00:00.000Z`, seats: 3 });

    const published = await a.post(`/portal/programs/${id}/publish`);
    expect(published.location).toBe(`/portal/programs/${id}?done=programPublished`);
    page = textOf((await a.get(published.location!)).html);
    expect(page).toContain('The programme is published');
    expect(page).toContain('Semester in Krasnodar Published');
    expect(textOf((await a.get('/portal/programs?status=published')).html)).toContain('Semester in Krasnodar');

    const closed = await a.post(`/portal/programs/${id}/close`);
    page = textOf((await a.get(closed.location!)).html);
    expect(page).toContain('Applications to the programme are closed');
    expect(page).toContain('Semester in Krasnodar Closed');
    expect(page).not.toContain('Publish');
    expect(await programStatus(id)).toBe('closed');
    const closedList = textOf((await a.get('/portal/programs?status=closed')).html);
    expect(closedList).toContain('Semester in Krasnodar');
    expect(closedList).toContain('you send');
    // Publishing again is refused in words, and nothing changes.
    const again = await a.post(`/portal/programs/${id}/publish`);
    expect(again.location).toBe(`/portal/programs/${id}?error=program.invalid_transition&e.status=closed`);
    expect(textOf((await a.get(again.location!)).html)).toContain('This programme cannot do that in its current status (closed)');
    expect(await programStatus(id)).toBe('closed');
  });

  it('shows a programme form’s field errors beside their fields, in the reader’s language', async () => {
    const p1 = await newPartner(t);
    const p2 = await newPartner(t);
    const agreement = await activeAgreement(t, { partners: [p1, p2] });
    await t.dataSource.query("UPDATE users SET locale = 'fr' WHERE id = $1", [p1.coordinator.user.id]);
    const a = await browserOf(p1.coordinator.user.email);
    await a.get('/portal/programs/new');
    const response = await a.post('/portal/programs', {
      agreementId: agreement.id,
      title: '',
      sendingInstitutionId: p1.institutionId,
      receivingInstitutionId: p2.institutionId,
      academicYear: '2027-2028',
      startsOn: `${YEAR}-09-01`,
      endsOn: `${YEAR + 1}-01-31`,
      applicationOpensAt: `${YEAR}-01-15T09:00`,
      applicationClosesAt: `${YEAR}-06-30T18:00`,
      seats: '1',
      'languageRequirement.language': 'French',
      'languageRequirement.minLevel': 'B1',
      accommodation: 'none',
    });
    expect(response.status).toBe(400);
    const text = textOf(response.html);
    expect(text).toContain('Veuillez corriger les champs signalés ci-dessous');
    expect(response.html).toMatch(/<p class="field-error" id="title-error">ne doit pas être vide<\/p>/);
    expect(response.html).toMatch(/<p class="field-error" id="academicYear-error">doit être une année universitaire comme 2027\/2028<\/p>/);
    expect(response.html).toContain('id="language-error"');
    expect(await t.dataSource.query('SELECT id FROM programs WHERE agreement_id = $1', [agreement.id])).toEqual([]);
  });

  it('shows the flows report as a table and an SVG bar chart, and downloads the API’s CSV', async () => {
    const p1 = await newPartner(t, { name: 'Flows Sender University', shortName: 'FSU' });
    const p2 = await newPartner(t, { name: 'Flows Receiver University', shortName: 'FRU', country: 'RU', timezone: 'Europe/Moscow' });
    const agreement = await activeAgreement(t, { partners: [p1, p2], quotas: quotasBothWays([p1.institutionId, p2.institutionId], 4), body: { title: 'Flows, "quoted" agreement' } });
    const program = await publishedProgram(t, p1.coordinator, agreement.id, p1.institutionId, p2.institutionId, { seats: 2, requiredDocuments: [], requiresLearningAgreement: false });
    const [first, second] = await newStudents(t, p1.institutionId, 2);
    await submittedApplication(t, first, program);
    await acceptedApplication(t, second, program, { sending: p1.coordinator, receiving: p2.coordinator });

    const a = await browserOf(p1.coordinator.user.email);
    const response = await a.get(`/portal/reports/flows?academicYear=${encodeURIComponent(ACADEMIC_YEAR)}`);
    expect(response.status).toBe(200);
    const text = textOf(response.html);
    expect(text).toContain('Flows report');
    // agreement, from → to, year, quota, seats offered, applications by status, placed, balance
    expect(text).toContain(`Flows, "quoted" agreement Flows Sender University → Flows Receiver University ${ACADEMIC_YEAR} 4 2 Submitted: 1 Accepted: 1 1 +1 sends more than it receives`);
    expect(text).toContain(`Flows, "quoted" agreement Flows Receiver University → Flows Sender University ${ACADEMIC_YEAR} 4 0 None 0 -1 receives more than it sends`);
    expect(response.html).toContain('<th scope="col">Seats offered</th>');
    const svg = /<svg xmlns="http:\/\/www\.w3\.org\/2000\/svg" role="img"[\s\S]*?<\/svg>/.exec(response.html)![0];
    expect(svg).toContain('aria-label="Bar chart: quota, seats offered and students placed per direction"');
    expect(svg).toMatch(/<title id="flows-chart-title">/);
    expect(svg).toContain('Flows, &quot;quoted&quot; agreement');
    expect(svg).toContain(`FSU → FRU · ${ACADEMIC_YEAR}`);
    expect(textOf(svg)).toContain(`FSU → FRU · ${ACADEMIC_YEAR} Quota: 4 Seats offered: 2 Placed: 1`);
    expect(textOf(svg)).toContain(`FRU → FSU · ${ACADEMIC_YEAR} Quota: 4 Seats offered: 0 Placed: 0`);
    expect(svg.match(/<rect /g)).toHaveLength(6);
    expect(response.html).toContain(`href="/portal/reports/flows.csv?academicYear=${encodeURIComponent(ACADEMIC_YEAR)}"`);

    const csv = await a.get(`/portal/reports/flows.csv?academicYear=${encodeURIComponent(ACADEMIC_YEAR)}`);
    expect(csv.status).toBe(200);
    expect(csv.headers.get('content-type')).toBe('text/csv; charset=utf-8');
    const fileName = `flows-${ACADEMIC_YEAR.replace('/', '-')}.csv`;
    expect(csv.headers.get('content-disposition')).toBe(`attachment; filename="${fileName}"`);
    const api = await t.api.get('/reports/flows', { token: p1.coordinator.token, headers: { accept: 'text/csv' }, query: { academicYear: ACADEMIC_YEAR } });
    expect(api.status).toBe(200);
    expect(csv.html).toBe(api.text);
    expect(csv.html).toContain('"Flows, ""quoted"" agreement"');

    // Every year: the API's all-years file too.
    const all = await a.get('/portal/reports/flows.csv');
    expect(all.headers.get('content-disposition')).toBe('attachment; filename="flows-all-years.csv"');
    expect(all.html).toBe((await t.api.get('/reports/flows', { token: p1.coordinator.token, headers: { accept: 'text/csv' } })).text);
    // A bad year: said beside the filter.
    const bad = await a.get('/portal/reports/flows?academicYear=2027');
    expect(bad.status).toBe(400);
    expect(bad.html).toMatch(/id="academicYear-error">must be an academic year such as 2027\/2028</);
  });

  describe('from the attacker’s side', () => {
    let p1: Partner;
    let p2: Partner;
    let outsider: Partner;
    let active: { id: string; title: string };
    let draft: { id: string; title: string };
    let program: { id: string };

    beforeAll(async () => {
      p1 = await newPartner(t);
      p2 = await newPartner(t);
      outsider = await newPartner(t);
      active = await activeAgreement(t, { partners: [p1, p2] });
      draft = await draftAgreement(t, { partners: [p1, p2], body: { title: `Draft ${Date.now()}` } });
      program = await newProgram(t, p1.coordinator, active.id, p1.institutionId, p2.institutionId);
    });

    it('another institution’s coordinator: 404 on the agreement and programme pages and their actions, and nothing changes', async () => {
      const c = await browserOf(outsider.coordinator.user.email);
      const before = { active: await agreementRow(active.id), draft: await agreementRow(draft.id), program: await programStatus(program.id) };
      for (const path of [`/portal/agreements/${active.id}`, `/portal/agreements/${draft.id}`, `/portal/agreements/${draft.id}/edit`, `/portal/programs/${program.id}`, `/portal/programs/${program.id}/edit`]) {
        const response = await c.get(path);
        expect({ path, status: response.status }).toEqual({ path, status: 404 });
        expect(textOf(response.html)).toContain(NOT_YOURS);
      }
      const posts: [string, Record<string, string>][] = [
        [`/portal/agreements/${draft.id}/approve`, {}],
        [`/portal/agreements/${active.id}/terminate`, { reason: 'Hostile' }],
        [`/portal/agreements/${draft.id}/edit`, { title: 'Hijacked', startsOn: AGREEMENT_STARTS_ON, endsOn: AGREEMENT_ENDS_ON }],
        [`/portal/programs/${program.id}/publish`, {}],
        [`/portal/programs/${program.id}/cancel`, {}],
        [`/portal/programs/${program.id}/edit`, { title: 'Hijacked' }],
      ];
      for (const [path, fields] of posts) {
        await c.get('/portal/agreements');
        const response = await c.post(path, fields);
        expect({ path, status: response.status }).toEqual({ path, status: 404 });
      }
      expect({ active: await agreementRow(active.id), draft: await agreementRow(draft.id), program: await programStatus(program.id) }).toEqual(before);
      const [titles] = await t.dataSource.query("SELECT count(*)::int AS n FROM agreements WHERE title = 'Hijacked'");
      expect(titles.n).toBe(0);
      // Its lists do not show them either.
      expect(textOf((await c.get('/portal/agreements')).html)).not.toContain(active.title);
      expect((await c.get('/portal/programs')).html).not.toContain(program.id);
    });

    it('a student, a host school or a host family: 403 on these pages and their actions', async () => {
      for (const role of ['student', 'host_school', 'host_family'] as const) {
        const user = await newUser(t.dataSource, { role, institutionId: p1.institutionId });
        const browser = await browserOf(user.email);
        for (const path of ['/portal/agreements', '/portal/agreements/new', `/portal/agreements/${active.id}`, '/portal/programs', '/portal/programs/new', `/portal/programs/${program.id}`, '/portal/reports/flows', '/portal/reports/flows.csv']) {
          const response = await browser.get(path);
          expect({ role, path, status: response.status }).toEqual({ role, path, status: 403 });
        }
        for (const path of [`/portal/agreements/${draft.id}/approve`, `/portal/agreements/${active.id}/terminate`, `/portal/programs/${program.id}/publish`, '/portal/agreements']) {
          const response = await browser.post(path, { reason: 'x' });
          expect({ role, path, status: response.status }).toEqual({ role, path, status: 403 });
        }
        // Their menu does not offer the pages.
        expect((await browser.get('/')).html).not.toContain('href="/portal/agreements"');
      }
      expect(await agreementRow(draft.id)).toMatchObject({ status: 'draft', approvals: 0 });
      expect(await agreementRow(active.id)).toMatchObject({ status: 'active' });
      expect(await programStatus(program.id)).toBe('draft');
    });

    it('refuses the forms posted without their CSRF token (403), and changes nothing', async () => {
      const b = await browserOf(p2.coordinator.user.email);
      await b.get(`/portal/agreements/${draft.id}`);
      const count = async () => ((await t.dataSource.query('SELECT count(*)::int AS n FROM agreements')) as { n: number }[])[0].n;
      const agreements = await count();
      for (const [path, fields] of [
        [`/portal/agreements/${draft.id}/approve`, {}],
        [`/portal/agreements/${active.id}/terminate`, { reason: 'No token' }],
        [`/portal/agreements/${draft.id}/edit`, { title: 'No token', startsOn: AGREEMENT_STARTS_ON, endsOn: AGREEMENT_ENDS_ON }],
        ['/portal/agreements', { title: 'No token', partner1: p1.institutionId, startsOn: AGREEMENT_STARTS_ON, endsOn: AGREEMENT_ENDS_ON }],
        [`/portal/programs/${program.id}/publish`, {}],
        ['/portal/programs', { title: 'No token' }],
      ] as [string, Record<string, string>][]) {
        const response = await b.post(path, fields, { csrf: null });
        expect({ path, status: response.status }).toEqual({ path, status: 403 });
        expect(textOf(response.html)).toContain('This form has expired or did not come from this site');
      }
      expect(await count()).toBe(agreements);
      expect(await agreementRow(draft.id)).toMatchObject({ status: 'draft', approvals: 0 });
      expect(await agreementRow(active.id)).toMatchObject({ status: 'active' });
      expect(await programStatus(program.id)).toBe('draft');
    });
  });

  it('terminates an agreement with the reason given in its dialog; without a reason nothing happens', async () => {
    const p1 = await newPartner(t);
    const p2 = await newPartner(t);
    const agreement = await activeAgreement(t, { partners: [p1, p2] });
    const b = await browserOf(p2.coordinator.user.email);
    const page = await b.get(`/portal/agreements/${agreement.id}`);
    expect(page.html).toMatch(/<details class="dialog">\s*<summary>Terminate the agreement…<\/summary>\s*<form method="post" action="\/portal\/agreements\/[0-9a-f-]+\/terminate"/);
    expect(page.html).toContain('<label for="terminate-reason">Reason (required)</label>');
    const empty = await b.post(`/portal/agreements/${agreement.id}/terminate`, { reason: '  ' });
    expect(empty.location).toBe(`/portal/agreements/${agreement.id}?error=validation.failed`);
    expect(await agreementRow(agreement.id)).toMatchObject({ status: 'active' });
    const done = await b.post(`/portal/agreements/${agreement.id}/terminate`, { reason: 'The partner school closed its French section.' });
    expect(done.location).toBe(`/portal/agreements/${agreement.id}?done=agreementTerminated`);
    const text = textOf((await b.get(done.location!)).html);
    expect(text).toContain('The agreement is terminated');
    expect(text).toContain('Reason The partner school closed its French section.');
    expect(text).not.toContain('Edit the terms');
    expect(await agreementRow(agreement.id)).toMatchObject({ status: 'terminated' });
  });

  it('an admin sees every agreement and approves on behalf of a partner it names', async () => {
    const p1 = await newPartner(t, { name: 'Admin Side One' });
    const p2 = await newPartner(t, { name: 'Admin Side Two' });
    const draft = await draftAgreement(t, { partners: [p1, p2] });
    const admin = await newUser(t.dataSource, { role: 'admin' });
    const browser = await browserOf(admin.email);
    expect(textOf((await browser.get('/portal/agreements')).html)).toContain(draft.title);
    const page = await browser.get(`/portal/agreements/${draft.id}`);
    expect(page.html).toContain('<label for="approve-institution">Approve on behalf of</label>');
    const approved = await browser.post(`/portal/agreements/${draft.id}/approve`, { institutionId: p2.institutionId });
    expect(approved.location).toBe(`/portal/agreements/${draft.id}?done=agreementApproved`);
    expect(textOf((await browser.get(approved.location!)).html)).toContain('Still to approve: Admin Side One');
    expect(textOf((await browser.get('/portal/programs/new')).html)).toContain('Times are read in UTC');
  });

  it('renders the agreement page in French and in Russian', async () => {
    const p1 = await newPartner(t, { name: 'Université Langues' });
    const p2 = await newPartner(t, { name: 'Университет Языков', country: 'RU', timezone: 'Europe/Moscow' });
    const agreement = await activeAgreement(t, { partners: [p1, p2] });
    await t.dataSource.query("UPDATE users SET locale = 'fr' WHERE id = $1", [p1.coordinator.user.id]);
    const browser = await browserOf(p1.coordinator.user.email);
    const fr = await browser.get(`/portal/agreements/${agreement.id}`);
    expect(fr.html).toContain('<html lang="fr">');
    const frText = textOf(fr.html);
    expect(frText).toContain('En vigueur');
    expect(frText).toContain('Partenaires et approbations');
    expect(frText).toContain('Résilier l’accord…');
    expect(frText).toContain('Accords');
    await browser.post('/language', { locale: 'ru', next: `/portal/agreements/${agreement.id}` });
    const ru = await browser.get(`/portal/agreements/${agreement.id}`);
    expect(ru.html).toContain('<html lang="ru">');
    const ruText = textOf(ru.html);
    expect(ruText).toContain('Действует');
    expect(ruText).toContain('Партнёры и одобрения');
    expect(ruText).toContain('Университет Языков');
    expect(textOf((await browser.get('/portal/reports/flows')).html)).toContain('Отчёт о потоках');
    const session = await login(t.api, p1.coordinator.user);
    expect((await t.api.get('/me', { token: session.token })).body.locale).toBe('ru');
  });
});
