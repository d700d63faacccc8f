/**
 * The busiest reads cost one statement each besides the caller's: every statement a
 * request sends is counted (TypeORM's logger sees the prepared statements too), by the
 * request's own id, so that the mail worker's polling between two requests is not counted.
 */
import { randomUUID } from 'node:crypto';
import { currentRequest } from '../../src/common/http/request-context.js';
import { startTestApp, type TestApp } from '../harness/app.js';
import { newStudents } from '../harness/applications.js';
import type { Session } from '../harness/factories.js';
import { acceptedApplicationsAtOnce, homestayExchange, proposedPlacement, setVettingExpiry, vettedFamily } from '../harness/host-families.js';
import { YEAR } from '../harness/partnerships.js';

describe('statements per request', () => {
  let t: TestApp;
  let exchange: Awaited<ReturnType<typeof homestayExchange>>;
  let placed: string;
  const sent = new Map<string, string[]>();

  beforeAll(async () => {
    t = await startTestApp({ LOGIN_MAX_PER_IP: '10000' });
    const logger = t.dataSource.logger;
    const logQuery = logger.logQuery.bind(logger);
    logger.logQuery = (query, parameters, runner) => {
      const id = currentRequest()?.id;
      if (id && sent.has(id)) sent.get(id)!.push(query);
      return logQuery(query, parameters, runner);
    };
    exchange = await homestayExchange(t);
    const [{ application }] = await acceptedApplicationsAtOnce(t, exchange, 1);
    const family = await vettedFamily(t, exchange.receiving.coordinator);
    await setVettingExpiry(t, family.id, `${YEAR + 1}-06-30`);
    await proposedPlacement(t, exchange.receiving.coordinator, { applicationId: application.id, hostFamilyId: family.id });
    placed = application.id;
  });
  afterAll(async () => {
    await t?.close();
  });

  /** The answer and the statements the request sent. */
  async function counted(path: string, who?: Session, headers: Record<string, string> = {}) {
    const id = randomUUID();
    sent.set(id, []);
    const response = await t.api.get(path, { token: who?.token, headers: { 'x-request-id': id, ...headers } });
    const statements = sent.get(id)!;
    sent.delete(id);
    return { response, statements };
  }

  it('GET /applications/{id}: the caller, then the application with its student, programme and placement in one statement', async () => {
    const { response, statements } = await counted(`/applications/${placed}`, exchange.receiving.coordinator);
    expect(response.status).toBe(200);
    expect(response.body.placement).toMatchObject({ status: 'proposed', family: { id: expect.any(String) } });
    expect(response.body.meetsLanguageRequirement).not.toBeUndefined();
    expect(statements).toHaveLength(2);
  });

  it('GET /applications: the caller, then the page with its students, programmes and placements in one statement, whichever page', async () => {
    const first = await counted('/applications?direction=incoming&limit=1', exchange.receiving.coordinator);
    expect(first.response.status).toBe(200);
    expect(first.statements).toHaveLength(2);
    const both = await counted('/applications?limit=1', exchange.receiving.coordinator);
    expect(both.statements).toHaveLength(2);
    const mine = await counted('/applications', exchange.sending.coordinator);
    expect(mine.response.body.items.length).toBeGreaterThan(0);
    expect(mine.statements).toHaveLength(2);
  });

  it('GET /applications/{id}/host-family-matches: the caller, the application with its programme, the families', async () => {
    const { response, statements } = await counted(`/applications/${placed}/host-family-matches`, exchange.receiving.coordinator);
    expect(response.status).toBe(200);
    expect(statements).toHaveLength(3);
  });

  it('GET /institutions: the version of the table, then the rows only when it moved; 304 without them', async () => {
    const first = await counted('/institutions');
    expect(first.response.status).toBe(200);
    expect(first.statements.length).toBeLessThanOrEqual(2);
    const again = await counted('/institutions');
    expect(again.response.text).toBe(first.response.text);
    expect(again.statements).toHaveLength(1);
    const held = await counted('/institutions', undefined, { 'if-none-match': first.response.headers.get('etag')! });
    expect(held.response.status).toBe(304);
    expect(held.statements).toHaveLength(1);
  });

  it('GET /programs?open=true as a student, GET /arrivals: the caller, then one statement', async () => {
    const [student] = await newStudents(t, exchange.sending.institutionId, 1);
    const programs = await counted('/programs?open=true', student);
    expect(programs.response.body.items.map((p: { id: string }) => p.id)).toEqual([exchange.program.id]);
    expect(programs.statements).toHaveLength(2);
    const arrivals = await counted('/arrivals?status=expected', exchange.receiving.coordinator);
    expect(arrivals.response.status).toBe(200);
    expect(arrivals.statements).toHaveLength(2);
  });
});
