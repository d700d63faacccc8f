/**
 * Institutions change seldom and are read by every registration form: their answers carry
 * an ETag, a client holding the current one is answered 304 Not Modified without a body,
 * and any write (through the API, on another instance of it, or in the database by hand)
 * gives the next answer its new content and tag.
 */
import { randomBytes } from 'node:crypto';
import type { ApiResponse } from '../harness/api.js';
import { startTestApp, type TestApp } from '../harness/app.js';
import { expectProblem } from '../harness/expect.js';
import { newInstitution, signedIn, type Session } from '../harness/factories.js';

const unique = () => randomBytes(4).toString('hex');
const body = (overrides: Record<string, unknown> = {}) => ({ name: `Institution ${unique()}`, shortName: 'INST', city: 'Karlsruhe', country: 'DE', kind: 'university', timezone: 'Europe/Berlin', ...overrides });

describe('institutions: ETag and 304 Not Modified', () => {
  let t: TestApp;
  let admin: Session;

  beforeAll(async () => {
    t = await startTestApp();
    admin = await signedIn(t.dataSource, t.api, { role: 'admin' });
    for (let i = 0; i < 3; i++) await newInstitution(t.dataSource, { country: 'LU' });
  });
  afterAll(async () => {
    await t?.close();
  });

  const list = (etag?: string, query: Record<string, string> = { country: 'LU' }) => t.api.get('/institutions', { query, headers: etag ? { 'if-none-match': etag } : {} });
  const one = (id: string, etag?: string) => t.api.get(`/institutions/${id}`, { headers: etag ? { 'if-none-match': etag } : {} });
  const etagOf = (response: ApiResponse) => response.headers.get('etag')!;

  function expectNotModified(response: ApiResponse, etag: string): void {
    expect(response.status).toBe(304);
    expect(response.text).toBe('');
    expect(response.headers.get('etag')).toBe(etag);
  }

  it('answers with an ETag; the same tag in If-None-Match (weak, in a list, or *) is 304 without a body; another tag is 200', async () => {
    const first = await list();
    expect(first.status).toBe(200);
    expect(first.headers.get('content-type')).toBe('application/json; charset=utf-8');
    expect(first.headers.get('cache-control')).toBe('no-cache');
    expect(first.body.items).toHaveLength(3);
    const etag = etagOf(first);
    expect(etag).toMatch(/^"[\w-]+"$/);

    const again = await list();
    expect(again.text).toBe(first.text);
    expect(etagOf(again)).toBe(etag);
    expectNotModified(await list(etag), etag);
    expectNotModified(await list(`W/${etag}`), etag);
    expectNotModified(await list(`"other", ${etag}`), etag);
    expectNotModified(await list('*'), etag);
    const other = await list('"other"');
    expect(other.status).toBe(200);
    expect(other.text).toBe(first.text);

    // Each query its own answer and tag; one institution too.
    const page = await list(etag, { country: 'LU', limit: '2' });
    expect(page.status).toBe(200);
    expect(page.body.items).toHaveLength(2);
    expect(etagOf(page)).not.toBe(etag);
    const single = await one(first.body.items[0].id);
    expect(single.body).toEqual(first.body.items[0]);
    expectNotModified(await one(first.body.items[0].id, etagOf(single)), etagOf(single));
  });

  it('PATCH /institutions/{id} gives the list and the institution their new content and tag', async () => {
    const before = await list();
    const target = before.body.items[1];
    const single = await one(target.id);
    const changed = await t.api.patch(`/institutions/${target.id}`, { city: 'Esch-sur-Alzette' }, { token: admin.token });
    expect(changed.status).toBe(200);

    const after = await list(etagOf(before));
    expect(after.status).toBe(200);
    expect(after.body.items[1]).toEqual({ ...target, city: 'Esch-sur-Alzette' });
    expect(etagOf(after)).not.toBe(etagOf(before));
    expectNotModified(await list(etagOf(after)), etagOf(after));
    const singleAfter = await one(target.id, etagOf(single));
    expect(singleAfter.status).toBe(200);
    expect(singleAfter.body.city).toBe('Esch-sur-Alzette');
  });

  it('POST /institutions gives the list its new content and tag', async () => {
    const before = await list();
    const created = await t.api.post('/institutions', body({ country: 'LU', name: 'Université du Luxembourg' }), { token: admin.token });
    expect(created.status).toBe(201);
    const after = await list(etagOf(before));
    expect(after.status).toBe(200);
    expect(after.body.items.map((i: { id: string }) => i.id)).toContain(created.body.id);
    expect(etagOf(after)).not.toBe(etagOf(before));
  });

  it('a refused write changes nothing: the tag stays and 304 still answers', async () => {
    const before = await list();
    const [first, second] = before.body.items;
    expectProblem(await t.api.patch(`/institutions/${second.id}`, { name: first.name }, { token: admin.token }), 409, 'institution.name_taken');
    expectNotModified(await list(etagOf(before)), etagOf(before));
  });

  it('a change made in the database by hand is seen on the next request', async () => {
    const before = await list();
    const target = before.body.items[0];
    await t.dataSource.query('UPDATE institutions SET city = $2 WHERE id = $1', [target.id, 'Differdange']);
    const after = await list(etagOf(before));
    expect(after.status).toBe(200);
    expect(after.body.items[0].city).toBe('Differdange');
  });

  it('two instances on one database: a change through one is seen at once through the other', async () => {
    const other = await startTestApp({}, { databaseUrl: t.settings.databaseUrl! });
    try {
      const list2 = (etag?: string) => other.api.get('/institutions', { query: { country: 'LU' }, headers: etag ? { 'if-none-match': etag } : {} });
      const held = await list2();
      expectNotModified(await list2(etagOf(held)), etagOf(held));
      // Both instances tag the same answer alike.
      expect(etagOf(await list())).toBe(etagOf(held));

      const target = held.body.items[0];
      expect((await t.api.patch(`/institutions/${target.id}`, { city: 'Dudelange' }, { token: admin.token })).status).toBe(200);
      const seen = await list2(etagOf(held));
      expect(seen.status).toBe(200);
      expect(seen.body.items[0].city).toBe('Dudelange');
      const single = await other.api.get(`/institutions/${target.id}`);
      expect(single.body.city).toBe('Dudelange');
    } finally {
      await other.close();
    }
  });

  it('errors are not kept: 404 for an unknown institution, 400 for a forged cursor, each time', async () => {
    for (let i = 0; i < 2; i++) {
      expectProblem(await one('00000000-0000-4000-8000-000000000000'), 404, 'institution.not_found');
      expectProblem(await list(undefined, { cursor: Buffer.from(JSON.stringify(['x', 'not-a-uuid'])).toString('base64url') }), 400, 'validation.failed', ['cursor']);
    }
  });
});
