/**
 * The flows report over HTTP: a known data set (a bilateral and a trilateral agreement,
 * quotas both ways, programmes in every status, applications in every status) and the
 * exact rows it gives; the same rows as CSV, parsed back by the RFC's grammar; the year
 * filter and its validation; and who sees which rows, from the attacker's side.
 */
import { randomBytes } from 'node:crypto';
import { APPLICATION_STATUSES, type ApplicationStatus } from '../../src/applications/application.entity.js';
import type { ApiResponse } from '../harness/api.js';
import { startTestApp, type TestApp } from '../harness/app.js';
import { draftApplication, newStudents, stayBegun, submittedApplication, transition, type Sides } from '../harness/applications.js';
import { expectProblem } from '../harness/expect.js';
import { signedIn, type Session } from '../harness/factories.js';
import {
  ACADEMIC_YEAR,
  NEXT_ACADEMIC_YEAR,
  YEAR,
  activeAgreement,
  draftAgreement,
  newPartner,
  newProgram,
  publishedProgram,
  quota,
  quotasBothWays,
  type Partner,
} from '../harness/partnerships.js';

const unique = () => randomBytes(4).toString('hex');

type Counts = Record<ApplicationStatus, number>;
interface Institution {
  id: string;
  name: string;
  shortName: string;
  country: string;
}
interface Row {
  agreement: { id: string; title: string; status: string };
  from: Institution;
  to: Institution;
  academicYear: string;
  quota: number;
  seatsOffered: number;
  counts: Counts;
  placed: number;
  balance: number;
}

const zeros = (): Counts => Object.fromEntries(APPLICATION_STATUSES.map((status) => [status, 0])) as Counts;

/**
 * RFC 4180, strictly: records end with CRLF, a field holding a comma, a quote or a line
 * break is quoted, a quote inside is doubled. A bare line break outside quotes, a quote in
 * an unquoted field or an unterminated quote is an error, not a guess.
 */
function parseCsv(text: string): string[][] {
  const records: string[][] = [];
  let record: string[] = [];
  let field = '';
  let quoted = false;
  let wasQuoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (quoted) {
      if (c !== '"') field += c;
      else if (text[i + 1] === '"') field += text[++i];
      else quoted = false;
    } else if (c === '"') {
      if (field !== '' || wasQuoted) throw new Error(`a quote inside an unquoted field at ${i}`);
      quoted = wasQuoted = true;
    } else if (c === ',') {
      record.push(field);
      field = '';
      wasQuoted = false;
    } else if (c === '\r' && text[i + 1] === '\n') {
      record.push(field);
      records.push(record);
      record = [];
      field = '';
      wasQuoted = false;
      i++;
    } else if (c === '\r' || c === '\n') {
      throw new Error(`a bare line break outside quotes at ${i}`);
    } else {
      if (wasQuoted) throw new Error(`text after a closing quote at ${i}`);
      field += c;
    }
  }
  if (quoted) throw new Error('an unterminated quote');
  if (field !== '' || record.length) throw new Error('the last record does not end with CRLF');
  return records;
}

/** The columns of the CSV, in order: the JSON fields flattened by their paths. */
const CSV_HEADER = [
  'agreement.id',
  'agreement.title',
  'agreement.status',
  'from.id',
  'from.name',
  'from.shortName',
  'from.country',
  'to.id',
  'to.name',
  'to.shortName',
  'to.country',
  'academicYear',
  'quota',
  'seatsOffered',
  ...APPLICATION_STATUSES.map((status) => `counts.${status}`),
  'placed',
  'balance',
];

/** What a spreadsheet would run as a formula is written with a leading apostrophe; numbers as they are. */
const cellOf = (value: string | number) => (typeof value === 'string' && /^[=+\-@\t\r]/.test(value) ? `'${value}` : String(value));

/** A JSON row as the CSV must write it, by column. */
function flatten(row: Row): Record<string, string> {
  const out: Record<string, string> = {};
  const walk = (value: unknown, path: string) => {
    if (value !== null && typeof value === 'object') for (const [key, child] of Object.entries(value)) walk(child, path ? `${path}.${key}` : key);
    else out[path] = cellOf(value as string | number);
  };
  walk(row, '');
  return out;
}

describe('Flows report (GET /reports/flows)', () => {
  let t: TestApp;
  let admin: Session;
  let alpha: Partner;
  let beta: Partner;
  let gamma: Partner;
  let delta: Partner;
  let epsilon: Partner;
  let inst: Record<'alpha' | 'beta' | 'gamma', Institution>;
  let bilateral: { id: string; title: string; status: string };
  let trilateral: { id: string; title: string; status: string };
  let outsiders: { id: string; title: string; status: string };
  /** the application of each status from alpha to beta under the bilateral agreement, this year */
  const alphaToBeta: Partial<Record<ApplicationStatus, string>> = {};

  const flows = (who: Session | null, query: Record<string, string> = {}, accept?: string) =>
    t.api.get('/reports/flows', { token: who?.token, query, headers: accept ? { accept } : {} });
  const mine = () => [bilateral.id, trilateral.id];
  /** The rows of the given agreements, in the answer's order. */
  const rowsOf = (response: ApiResponse, agreementIds: string[] = mine()): Row[] => {
    expect(response.status).toBe(200);
    return (response.body.items as Row[]).filter((row) => agreementIds.includes(row.agreement.id));
  };

  /** The programme terms that keep these scenarios short: no documents, no learning agreement, no host family. */
  const plain = (seats: number, overrides: Record<string, unknown> = {}) => ({
    seats,
    requiredDocuments: [],
    requiresLearningAgreement: false,
    accommodation: 'none',
    languageRequirement: null,
    ...overrides,
  });
  const nextYear = {
    academicYear: NEXT_ACADEMIC_YEAR,
    startsOn: `${YEAR + 1}-09-01`,
    endsOn: `${YEAR + 2}-01-31`,
    applicationClosesAt: `${YEAR + 1}-06-30T21:59:59Z`,
  };

  /** Drives a fresh student of the sending side to `status` on the programme; returns the application id. */
  async function applicationIn(status: ApplicationStatus, program: { id: string }, student: Session, sides: Sides): Promise<string> {
    if (status === 'draft') return (await draftApplication(t, student, program)).id;
    const id = (await submittedApplication(t, student, program)).id as string;
    const path: Record<Exclude<ApplicationStatus, 'draft'>, [Session | 'student', string, Record<string, unknown>?][]> = {
      submitted: [],
      nominated: [[sides.sending, 'nominate']],
      waitlisted: [
        [sides.sending, 'nominate'],
        [sides.receiving, 'waitlist'],
      ],
      rejected: [[sides.sending, 'reject', { reason: 'Grades too low' }]],
      withdrawn: [['student', 'withdraw']],
      accepted: [
        [sides.sending, 'nominate'],
        [sides.receiving, 'accept'],
      ],
      declined: [
        [sides.sending, 'nominate'],
        [sides.receiving, 'accept'],
        ['student', 'decline', { reason: 'Another offer' }],
      ],
      cancelled: [
        [sides.sending, 'nominate'],
        [sides.receiving, 'accept'],
        [sides.sending, 'cancel', { reason: 'Visa refused' }],
      ],
      confirmed: [
        [sides.sending, 'nominate'],
        [sides.receiving, 'accept'],
        ['student', 'confirm'],
      ],
      arrived: [
        [sides.sending, 'nominate'],
        [sides.receiving, 'accept'],
        ['student', 'confirm'],
        [sides.receiving, 'check-in'],
      ],
      completed: [
        [sides.sending, 'nominate'],
        [sides.receiving, 'accept'],
        ['student', 'confirm'],
        [sides.receiving, 'check-in'],
        [sides.receiving, 'complete'],
      ],
    };
    for (const [who, name, body] of path[status]) await transition(t, who === 'student' ? student : who, id, name, body);
    return id;
  }

  beforeAll(async () => {
    t = await startTestApp({ LOGIN_MAX_PER_IP: '10000' });
    admin = await signedIn(t.dataSource, t.api, { role: 'admin', institutionId: null });
    const u = unique();
    // Names chosen so that their order is the same in every collation.
    alpha = await newPartner(t, { name: `Alpha University ${u}`, shortName: 'ALPHA', country: 'FR', city: 'Nancy' });
    beta = await newPartner(t, { name: `Beta University ${u}`, shortName: 'BETA', country: 'RU', city: 'Krasnodar', timezone: 'Europe/Moscow' });
    // A short name a spreadsheet would take for a formula.
    gamma = await newPartner(t, { name: `Gamma Institute ${u}`, shortName: '=GAMMA', country: 'DE', city: 'Karlsruhe', timezone: 'Europe/Berlin' });
    delta = await newPartner(t, { name: `Delta School ${u}` });
    epsilon = await newPartner(t, { name: `Epsilon School ${u}` });
    const institution = (p: Partner, name: string, shortName: string, country: string): Institution => ({ id: p.institutionId, name, shortName, country });
    inst = {
      alpha: institution(alpha, `Alpha University ${u}`, 'ALPHA', 'FR'),
      beta: institution(beta, `Beta University ${u}`, 'BETA', 'RU'),
      gamma: institution(gamma, `Gamma Institute ${u}`, '=GAMMA', 'DE'),
    };
    const [A, B, C] = [alpha.institutionId, beta.institutionId, gamma.institutionId];
    const ab: Sides = { sending: alpha.coordinator, receiving: beta.coordinator };
    const ba: Sides = { sending: beta.coordinator, receiving: alpha.coordinator };
    const ac: Sides = { sending: alpha.coordinator, receiving: gamma.coordinator };
    const ca: Sides = { sending: gamma.coordinator, receiving: alpha.coordinator };

    // The bilateral agreement: a title with a comma, quotes and a line break; a quota of 0 one way next year.
    const bilateralTitle = `Bilateral, "Lorraine–Kuban"\nsecond line ${u}`;
    const b = await activeAgreement(t, {
      partners: [alpha, beta],
      quotas: [quota(A, B, 6), quota(B, A, 4), quota(A, B, 3, NEXT_ACADEMIC_YEAR), quota(B, A, 0, NEXT_ACADEMIC_YEAR)],
      body: { title: bilateralTitle },
    });
    bilateral = { id: b.id, title: bilateralTitle, status: 'active' };
    // alpha → beta this year: 4 published + 1 closed offered; a cancelled and a draft one offer nothing.
    const p1 = await publishedProgram(t, alpha.coordinator, b.id, A, B, plain(4));
    const cancelled = await newProgram(t, alpha.coordinator, b.id, A, B, plain(1));
    expect((await t.api.post(`/programs/${cancelled.id}/cancel`, {}, { token: alpha.coordinator.token })).status).toBe(200);
    const p2 = await publishedProgram(t, alpha.coordinator, b.id, A, B, plain(1));
    await newProgram(t, alpha.coordinator, b.id, A, B, plain(1));
    const p5 = await publishedProgram(t, beta.coordinator, b.id, B, A, plain(2));
    const p6 = await publishedProgram(t, alpha.coordinator, b.id, A, B, plain(1, nextYear));

    // One application of every status alpha → beta; the seat holders are 3 on P1 and 1 on P2 (P1 has 4 seats: declined and cancelled freed theirs).
    const students = await newStudents(t, A, APPLICATION_STATUSES.length + 1);
    const onP1: ApplicationStatus[] = ['draft', 'submitted', 'nominated', 'waitlisted', 'rejected', 'withdrawn', 'declined', 'cancelled'];
    for (const [i, status] of onP1.entries()) alphaToBeta[status] = await applicationIn(status, p1, students[i], ab);
    alphaToBeta.accepted = await applicationIn('accepted', p2, students[8], ab);
    expect((await t.api.post(`/programs/${p2.id}/close`, {}, { token: alpha.coordinator.token })).status).toBe(200);
    await stayBegun(t, p1.id);
    for (const [i, status] of (['confirmed', 'arrived', 'completed'] as const).entries()) alphaToBeta[status] = await applicationIn(status, p1, students[9 + i], ab);
    // next year: one draft
    await applicationIn('draft', p6, students[12], ab);
    // beta → alpha this year: 2 placed, 1 submitted
    const betaStudents = await newStudents(t, B, 3);
    for (const [i, status] of (['submitted', 'accepted', 'confirmed'] as const).entries()) await applicationIn(status, p5, betaStudents[i], ba);

    // The trilateral agreement: 2 seats every way; alpha → gamma 2 placed, gamma → alpha 1, beta → alpha 1.
    // A line break alone (no comma, no quote) must be quoted too.
    const tTitle = `Trilateral ${u}\nschools and universities`;
    const tri = await activeAgreement(t, { partners: [alpha, beta, gamma], quotas: quotasBothWays([A, B, C], 2), body: { title: tTitle } });
    trilateral = { id: tri.id, title: tTitle, status: 'active' };
    const pac = await publishedProgram(t, alpha.coordinator, tri.id, A, C, plain(2));
    const pca = await publishedProgram(t, gamma.coordinator, tri.id, C, A, plain(1));
    const pba = await publishedProgram(t, beta.coordinator, tri.id, B, A, plain(1));
    const more = await newStudents(t, A, 2);
    for (const student of more) await applicationIn('accepted', pac, student, ac);
    await applicationIn('confirmed', pca, (await newStudents(t, C, 1))[0], ca);
    await applicationIn('accepted', pba, (await newStudents(t, B, 1))[0], { sending: beta.coordinator, receiving: alpha.coordinator });

    // An agreement of two other institutions (a draft: rows from its quotas alone).
    const o = await draftAgreement(t, { partners: [delta, epsilon], quotas: quotasBothWays([delta.institutionId, epsilon.institutionId], 5) });
    outsiders = { id: o.id, title: o.title, status: 'draft' };
  });
  afterAll(async () => {
    await t?.close();
  });

  const row = (agreement: typeof bilateral, from: Institution, to: Institution, academicYear: string, figures: { quota: number; seatsOffered: number; counts?: Partial<Counts>; placed: number; balance: number }): Row => ({
    agreement,
    from,
    to,
    academicYear,
    quota: figures.quota,
    seatsOffered: figures.seatsOffered,
    counts: { ...zeros(), ...figures.counts },
    placed: figures.placed,
    balance: figures.balance,
  });
  const everyStatusOnce = () => Object.fromEntries(APPLICATION_STATUSES.map((status) => [status, 1])) as Counts;

  /** Every row of the two agreements, all years, in the report's order. */
  const expectedRows = (): Row[] => {
    const { alpha: A, beta: B, gamma: C } = inst;
    return [
      row(bilateral, A, B, ACADEMIC_YEAR, { quota: 6, seatsOffered: 5, counts: everyStatusOnce(), placed: 4, balance: 2 }),
      row(bilateral, A, B, NEXT_ACADEMIC_YEAR, { quota: 3, seatsOffered: 1, counts: { draft: 1 }, placed: 0, balance: 0 }),
      row(bilateral, B, A, ACADEMIC_YEAR, { quota: 4, seatsOffered: 2, counts: { submitted: 1, accepted: 1, confirmed: 1 }, placed: 2, balance: -2 }),
      row(bilateral, B, A, NEXT_ACADEMIC_YEAR, { quota: 0, seatsOffered: 0, placed: 0, balance: 0 }),
      row(trilateral, A, B, ACADEMIC_YEAR, { quota: 2, seatsOffered: 0, placed: 0, balance: -1 }),
      row(trilateral, A, C, ACADEMIC_YEAR, { quota: 2, seatsOffered: 2, counts: { accepted: 2 }, placed: 2, balance: 1 }),
      row(trilateral, B, A, ACADEMIC_YEAR, { quota: 2, seatsOffered: 1, counts: { accepted: 1 }, placed: 1, balance: 1 }),
      row(trilateral, B, C, ACADEMIC_YEAR, { quota: 2, seatsOffered: 0, placed: 0, balance: 0 }),
      row(trilateral, C, A, ACADEMIC_YEAR, { quota: 2, seatsOffered: 1, counts: { confirmed: 1 }, placed: 1, balance: -1 }),
      row(trilateral, C, B, ACADEMIC_YEAR, { quota: 2, seatsOffered: 0, placed: 0, balance: 0 }),
    ];
  };

  it('gives per agreement direction and year the quota, the seats offered (published and closed programmes), every status count, the students placed and the balance with the opposite direction', async () => {
    const response = await flows(admin);
    expect(response.headers.get('content-type')).toMatch(/^application\/json/);
    expect(response.headers.get('vary')).toMatch(/accept/i);
    expect(rowsOf(response)).toEqual(expectedRows());
    // every status of the lifecycle is a key of counts, and nothing else
    for (const item of response.body.items as Row[]) expect(Object.keys(item.counts).sort()).toEqual([...APPLICATION_STATUSES].sort());
  });

  it('filters by academic year; refuses a malformed year naming the field, unknown parameters and pages', async () => {
    const thisYear = rowsOf(await flows(admin, { academicYear: ACADEMIC_YEAR }));
    expect(thisYear).toEqual(expectedRows().filter((r) => r.academicYear === ACADEMIC_YEAR));
    expect(rowsOf(await flows(admin, { academicYear: NEXT_ACADEMIC_YEAR }))).toEqual(expectedRows().filter((r) => r.academicYear === NEXT_ACADEMIC_YEAR));
    const allRowsOfYear = (await flows(admin, { academicYear: NEXT_ACADEMIC_YEAR })).body.items as Row[];
    expect(allRowsOfYear.every((r) => r.academicYear === NEXT_ACADEMIC_YEAR)).toBe(true);
    expect(rowsOf(await flows(admin, { academicYear: '1999/2000' }))).toEqual([]);

    for (const bad of ['2027-2028', '2027/2029', '2027', '27/28', '', `${ACADEMIC_YEAR} `, 'x'.repeat(500)]) {
      const response = await flows(admin, { academicYear: bad });
      expectProblem(response, 400, 'validation.failed', ['academicYear']);
      // asked for CSV, a refusal is still problem+json
      expectProblem(await flows(alpha.coordinator, { academicYear: bad }, 'text/csv'), 400, 'validation.failed', ['academicYear']);
    }
    expectProblem(await flows(admin, { sort: 'title' }), 400, 'validation.failed', ['sort']);
    // one answer with every row: no pages to ask for
    expectProblem(await flows(admin, { limit: '10' }), 400, 'validation.failed', ['limit']);
    expectProblem(await flows(admin, { cursor: 'abc' }), 400, 'validation.failed', ['cursor']);
  });

  it('with Accept: text/csv gives the same rows as an RFC 4180 attachment, one column per field and per count', async () => {
    const response = await flows(alpha.coordinator, { academicYear: ACADEMIC_YEAR }, 'text/csv');
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('text/csv; charset=utf-8');
    expect(response.headers.get('content-disposition')).toBe(`attachment; filename="flows-${YEAR}-${YEAR + 1}.csv"`);
    expect(response.headers.get('vary')).toMatch(/accept/i);

    const [header, ...records] = parseCsv(response.text);
    expect(header).toEqual(CSV_HEADER);
    for (const record of records) expect(record).toHaveLength(CSV_HEADER.length);
    const csvRows = records.map((record) => Object.fromEntries(header.map((column, i) => [column, record[i]])));
    const json = (await flows(alpha.coordinator, { academicYear: ACADEMIC_YEAR })).body.items as Row[];
    expect(json).toEqual(expectedRows().filter((r) => r.academicYear === ACADEMIC_YEAR));
    // every row of the JSON, in its order, and no other
    expect(csvRows).toEqual(json.map(flatten));

    // the title kept its comma, quotes and line break; the formula-like short name and the negative balance
    const first = csvRows.find((r) => r['agreement.id'] === bilateral.id && r['from.id'] === alpha.institutionId)!;
    expect(first['agreement.title']).toBe(bilateral.title);
    expect(response.text).toContain(`"Bilateral, ""Lorraine–Kuban""\nsecond line`);
    expect(response.text).toContain(`"${trilateral.title}"`);
    expect(csvRows.filter((r) => r['agreement.title'] === trilateral.title)).toHaveLength(6);
    const fromGamma = csvRows.find((r) => r['agreement.id'] === trilateral.id && r['from.id'] === gamma.institutionId && r['to.id'] === alpha.institutionId)!;
    expect(fromGamma['from.shortName']).toBe("'=GAMMA");
    expect(fromGamma.balance).toBe('-1');
    expect(fromGamma['counts.confirmed']).toBe('1');

    // without a year: every year, and a file name that says so
    const everyYear = await flows(alpha.coordinator, {}, 'text/csv');
    expect(everyYear.headers.get('content-disposition')).toBe('attachment; filename="flows-all-years.csv"');
    const everyYearRows = parseCsv(everyYear.text).slice(1);
    const everyYearJson = (await flows(alpha.coordinator)).body.items as Row[];
    expect(everyYearRows.map((record) => Object.fromEntries(CSV_HEADER.map((column, i) => [column, record[i]])))).toEqual(everyYearJson.map(flatten));
    expect(everyYearJson).toEqual(expectedRows());

    // no row: the header alone
    const none = await flows(alpha.coordinator, { academicYear: '1999/2000' }, 'text/csv');
    expect(parseCsv(none.text)).toEqual([CSV_HEADER]);
  });

  it('answers CSV when text/csv is preferred, JSON otherwise', async () => {
    const cases: [accept: string | undefined, csv: boolean][] = [
      [undefined, false],
      ['application/json', false],
      ['*/*', false],
      ['text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8', false],
      ['text/csv', true],
      ['Text/CSV; charset=utf-8', true],
      ['text/csv, application/json', true],
      ['application/json, text/csv', false],
      ['application/json;q=0.5, text/csv', true],
      ['text/csv;q=0.5, application/json', false],
      ['text/csv, */*;q=0.1', true],
      ['text/*', true],
      ['text/csv;q=0', false],
    ];
    for (const [accept, csv] of cases) {
      const response = await flows(beta.coordinator, { academicYear: ACADEMIC_YEAR }, accept);
      expect({ accept, status: response.status, type: response.headers.get('content-type') }).toEqual({
        accept,
        status: 200,
        type: csv ? 'text/csv; charset=utf-8' : expect.stringMatching(/^application\/json/),
      });
    }
  });

  it('shows coordinators every row of the agreements their institution is party to and none other; admins all; other roles 403, anonymous 401', async () => {
    const everything = rowsOf(await flows(admin), [bilateral.id, trilateral.id, outsiders.id]);
    expect(everything.filter((r) => r.agreement.id === outsiders.id)).toHaveLength(2);
    expect(everything.find((r) => r.agreement.id === outsiders.id)!.agreement.status).toBe('draft');

    // alpha and beta are party to both; gamma to the trilateral one only, with the rows between the others too.
    for (const who of [alpha.coordinator, beta.coordinator]) {
      const response = await flows(who);
      expect((response.body.items as Row[]).map((r) => r.agreement.id).filter((id) => id !== bilateral.id && id !== trilateral.id)).toEqual([]);
      expect(rowsOf(response)).toEqual(expectedRows());
    }
    const seenByGamma = (await flows(gamma.coordinator)).body.items as Row[];
    expect(seenByGamma).toEqual(expectedRows().filter((r) => r.agreement.id === trilateral.id));

    // A coordinator of an institution that is party to neither: none of their rows, in JSON or CSV, with or without a year.
    for (const query of [{}, { academicYear: ACADEMIC_YEAR }] as Record<string, string>[]) {
      const outsider = await flows(delta.coordinator, query);
      expect((outsider.body.items as Row[]).map((r) => r.agreement.id)).toEqual([outsiders.id, outsiders.id]);
      const csv = await flows(delta.coordinator, query, 'text/csv');
      expect(csv.status).toBe(200);
      expect(parseCsv(csv.text).slice(1).map((record) => record[0])).toEqual([outsiders.id, outsiders.id]);
      for (const secret of [bilateral.id, trilateral.id, bilateral.title.split(',')[0], inst.alpha.name]) expect(csv.text).not.toContain(secret);
    }

    const others = await Promise.all(
      (['student', 'host_school', 'host_family'] as const).map((role) => signedIn(t.dataSource, t.api, { role, institutionId: alpha.institutionId })),
    );
    for (const who of others) {
      expectProblem(await flows(who), 403, 'access.forbidden');
      expectProblem(await flows(who, {}, 'text/csv'), 403, 'access.forbidden');
      expectProblem(await flows(who, { academicYear: ACADEMIC_YEAR }), 403, 'access.forbidden');
    }
    expectProblem(await flows(null), 401);
    expectProblem(await flows(null, {}, 'text/csv'), 401);
  });

  it('keeps counting the applications of a student whose personal data was erased', async () => {
    const before = rowsOf(await flows(admin));
    // The rows stay; what identifies the student is overwritten (as an erasure does).
    await t.dataSource.query(
      `UPDATE users SET email = 'erased.' || id || '@erased.invalid', full_name = 'Erased' WHERE id = (SELECT student_id FROM applications WHERE id = $1)`,
      [alphaToBeta.completed],
    );
    await t.dataSource.query(`UPDATE applications SET motivation = '', date_of_birth = NULL WHERE id = $1`, [alphaToBeta.completed]);
    expect(rowsOf(await flows(admin))).toEqual(before);
  });
});
