/**
 * OWASP API1:2023, Broken Object Level Authorization. Every route of the API with an id in
 * its path, as the server registers it (not a hand-made list), is called on real objects of
 * one exchange (test/security/world.ts) by every user of the world who may call the route
 * but does not have the object in scope: another institution's staff, another student,
 * another family's user, the other side's host school, lesser roles of the institutions
 * involved. SPEC section 2: the answer is 404, the same as for an id that does not exist,
 * and nothing changes: every table's rows and the stored files are as they were.
 *
 * Roles that may not call a route at all are function-level authorization, API5's
 * (api5-function-level-authorization.spec.ts).
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { existsSync, readdirSync } from 'node:fs';
import type { ApiResponse } from '../harness/api.js';
import { startTestApp, type TestApp } from '../harness/app.js';
import { changedTables, openChecksums, type TableChecksums } from '../harness/checksums.js';
import { familyBody, STAY } from '../harness/host-families.js';
import { agreementBody, programBody, quotasBothWays } from '../harness/partnerships.js';
import { documentedRoutes, isApiRoute, pathOf, registeredApiRoutes, routeKey, type RegisteredRoute } from '../harness/routes.js';
import { documentsFolder } from '../../src/documents/documents.service.js';
import { answerOf, buildWorld, call, CALLER_NAMES, CALLERS, contexts, mayCall, objectsFor, rolesOf, sees, type CallerName, type World } from './world.js';

type Ids = World['ids'];

/**
 * Objects named in a request body rather than in its path. Each case is a caller that may
 * call the route, naming in the body an object of the world: `hidden` when that object is
 * outside the caller's scope, and then the answer must be the one for an id that does not
 * exist (`body` gets the real id, then an unknown one); otherwise the objects are visible
 * but not the caller's to use, and the answer is `status` (403; 400 where the product makes
 * it a rule of the body's fields, naming the field).
 */
interface BodyCase {
  route: string;
  as: CallerName;
  what: string;
  /** the path parameter, when the route has one */
  path?: (ids: Ids) => string;
  body: (ids: Ids, ref: string) => Record<string, unknown>;
  hidden?: (ids: Ids) => string;
  status?: number;
}

const unique = () => randomBytes(4).toString('hex');

const BODY_CASES: BodyCase[] = [
  {
    route: 'POST /api/v1/placements',
    as: 'otherCoordinator',
    what: "places another institution's student with its own family",
    body: (ids, ref) => ({ applicationId: ref, hostFamilyId: ids.otherFamily, startsOn: STAY.startsOn, endsOn: STAY.endsOn }),
    hidden: (ids) => ids.placeableApplication,
  },
  {
    route: 'POST /api/v1/placements',
    as: 'receivingCoordinator',
    what: "places its incoming student with another institution's family",
    body: (ids, ref) => ({ applicationId: ids.placeableApplication, hostFamilyId: ref, startsOn: STAY.startsOn, endsOn: STAY.endsOn }),
    hidden: (ids) => ids.otherFamily,
  },
  {
    route: 'POST /api/v1/placements',
    as: 'sendingCoordinator',
    what: 'places its outgoing student (the receiving side places)',
    body: (ids) => ({ applicationId: ids.placeableApplication, hostFamilyId: ids.family, startsOn: STAY.startsOn, endsOn: STAY.endsOn }),
    status: 403,
  },
  {
    route: 'POST /api/v1/applications',
    as: 'foreignStudent',
    what: "applies to a programme of another home institution's",
    body: (_ids, ref) => ({ programId: ref }),
    hidden: (ids) => ids.thirdProgram,
  },
  {
    route: 'POST /api/v1/programs',
    as: 'otherCoordinator',
    what: "opens a programme under an agreement it is not party to",
    body: (ids, ref) => programBody(ref, ids.outsider, ids.partner),
    hidden: (ids) => ids.agreement,
  },
  {
    route: 'POST /api/v1/users',
    as: 'receivingCoordinator',
    what: "gives an account for another institution's family",
    body: (_ids, ref) => ({ email: `family.${unique()}@security.example`, fullName: 'Family Member', role: 'host_family', hostFamilyId: ref }),
    hidden: (ids) => ids.otherFamily,
  },
  {
    route: 'POST /api/v1/users',
    as: 'otherCoordinator',
    what: "gives an account for the partner's family",
    body: (_ids, ref) => ({ email: `family.${unique()}@security.example`, fullName: 'Family Member', role: 'host_family', hostFamilyId: ref }),
    hidden: (ids) => ids.family,
  },
  {
    route: 'POST /api/v1/agreements',
    as: 'otherCoordinator',
    what: 'proposes an agreement between two other institutions',
    body: (ids) => agreementBody([ids.home, ids.partner]),
    // the partners must include the coordinator's own institution: a field rule, named (test/e2e/agreements.spec.ts)
    status: 400,
  },
  {
    route: 'PATCH /api/v1/agreements/{id}',
    as: 'sendingCoordinator',
    what: 'swaps its own institution out of its agreement for another',
    path: (ids) => ids.agreement,
    body: (ids) => ({ partnerInstitutionIds: [ids.partner, ids.outsider], quotas: quotasBothWays([ids.partner, ids.outsider], 1) }),
    status: 400,
  },
  {
    route: 'POST /api/v1/agreements/{id}/approve',
    as: 'sendingCoordinator',
    what: "approves its agreement on the partner's behalf",
    path: (ids) => ids.agreement,
    body: (ids) => ({ institutionId: ids.partner }),
    status: 403,
  },
  {
    route: 'POST /api/v1/host-families',
    as: 'sendingCoordinator',
    what: "registers a family for the partner institution",
    body: (ids) => ({ ...familyBody(), institutionId: ids.partner }),
    status: 403,
  },
];

/**
 * What the id filters of the lists (`?programId=`, ...) name: the context of the objects of
 * the world that fill them. Institutions are public reference data: filtering by one
 * reveals nothing, and what such a list holds is checked by the list test.
 */
const FILTERS: Record<string, string | 'public'> = {
  programId: '/api/v1/programs/{id}',
  agreementId: '/api/v1/agreements/{id}',
  applicationId: '/api/v1/applications/{id}',
  hostFamilyId: '/api/v1/host-families/{id}',
  // the audit log's: an object, and a person
  targetId: '/api/v1/applications/{id}',
  actorId: '/api/v1/users/{id}',
  institutionId: 'public',
  sendingInstitutionId: 'public',
  receivingInstitutionId: 'public',
};

/**
 * The lists under one object (`GET /x/{id}/y`) and the kind of the objects they hold, or
 * null for those whose items are not objects that another route reads by id.
 */
const NESTED_LISTS: Record<string, string | null> = {
  'GET /api/v1/applications/{id}/documents': '/api/v1/documents/{id}',
  'GET /api/v1/applications/{id}/checklist': '/api/v1/checklist-items/{id}',
  // the application's status changes, in order
  'GET /api/v1/applications/{id}/history': null,
  // earlier versions of the object itself
  'GET /api/v1/applications/{id}/learning-agreement/versions': null,
  'GET /api/v1/agreements/{id}/versions': null,
  // scores of the receiving institution's families, for its coordinators (test/e2e/matching.spec.ts)
  'GET /api/v1/applications/{id}/host-family-matches': null,
};

/** The items of a list page, by id (the arrivals board's by application). */
const itemIds = (response: ApiResponse): string[] => ((response.body?.items ?? []) as { id?: string; applicationId?: string }[]).map((item) => item.id ?? item.applicationId ?? JSON.stringify(item));

describe('API1 object-level authorization: every route with an id, every caller outside the object’s scope', () => {
  let t: TestApp;
  let world: World;
  let routes: RegisteredRoute[];
  let checksums: TableChecksums;

  const storedFiles = () => {
    const folder = documentsFolder(t.settings);
    return existsSync(folder) ? readdirSync(folder).sort().join(',') : '';
  };

  beforeAll(async () => {
    // Many sign-ins from one address: not what is tested here. The mail worker stays idle,
    // so that the only writer of the database between two snapshots is the request.
    t = await startTestApp({ LOGIN_MAX_PER_IP: '10000', MAIL_POLL_MS: '600000' });
    world = await buildWorld(t);
    routes = registeredApiRoutes(t.app).filter((route) => route.params.length > 0);
    checksums = await openChecksums(t.settings.databaseUrl!);
  });
  afterAll(async () => {
    await checksums?.close();
    await t?.close();
  });

  it('has an object of the world, and a declaration of who may call it, for every route with an id', () => {
    expect(routes.length).toBeGreaterThan(40);
    const missing: string[] = [];
    for (const route of routes) {
      try {
        rolesOf(route);
        objectsFor(world, route);
      } catch (error) {
        missing.push((error as Error).message);
      }
    }
    expect(missing).toEqual([]);
  });

  // A visible object may still refuse an action (403: the sending side reading the host-family
  // matches, which are the receiving side's); only a 404 says that the object was not found.
  it('finds each object for the callers in its scope (so that a 404 below means out of scope, not a wrong id)', async () => {
    const issues: string[] = [];
    const before = await checksums.take();
    await Promise.all(
      routes
        .filter((r) => r.method === 'GET')
        .flatMap((route) => objectsFor(world, route).flatMap((object) => CALLER_NAMES.filter((n) => sees(object, n) && mayCall(route, n)).map((name) => ({ route, object, name }))))
        .map(async ({ route, object, name }) => {
          const response = await call(world, route, object.id, world.sessions[name].token);
          if (response.status === 404) issues.push(`${routeKey(route)} on ${object.label} as ${name}: ${response.status} ${response.text.slice(0, 160)}`);
        }),
    );
    expect(issues).toEqual([]);
    // and the checksums see what a request changes: each download of a document is recorded
    expect(changedTables(before, await checksums.take())).toContain('public.document_downloads');
  });

  it('answers 404, as for an unknown id, and changes nothing', async () => {
    const issues: string[] = [];
    const untried = new Set(routes.map(routeKey));
    // One snapshot between two routes: the one after a route is the one before the next.
    let before = await checksums.take();
    let filesBefore = storedFiles();
    for (const route of routes) {
      // An unknown id's answer, once per role: what a caller of that role learns of an id that
      // names nothing (a role's callers differ only in what they see).
      const unknownFor = new Map<string, Promise<ApiResponse>>();
      const unknownAs = (name: CallerName) => {
        const role = CALLERS[name].role;
        if (!unknownFor.has(role)) unknownFor.set(role, call(world, route, randomUUID(), world.sessions[name].token));
        return unknownFor.get(role)!;
      };
      // The callers of one route side by side (the checksums are per route).
      await Promise.all(
        CALLER_NAMES.filter((n) => mayCall(route, n)).map(async (name) => {
          const token = world.sessions[name].token;
          const outsiderOf = objectsFor(world, route).filter((object) => !sees(object, name));
          if (!outsiderOf.length) return;
          untried.delete(routeKey(route));
          const [unknown, ...responses] = await Promise.all([unknownAs(name), ...outsiderOf.map((object) => call(world, route, object.id, token))]);
          outsiderOf.forEach((object, i) => {
            const response = responses[i];
            const answer = answerOf(response);
            const label = `${routeKey(route)} on ${object.label} as ${name} (${CALLERS[name].who})`;
            if (answer.status !== 404) issues.push(`${label}: expected 404, got ${response.status} ${response.text.slice(0, 200)}`);
            else if (JSON.stringify(answer) !== JSON.stringify(answerOf(unknown))) issues.push(`${label}: answers ${JSON.stringify(answer)}, but ${JSON.stringify(answerOf(unknown))} for an unknown id`);
          });
        }),
      );
      const after = await checksums.take();
      const filesAfter = storedFiles();
      const changed = changedTables(before, after);
      if (changed.length) issues.push(`${routeKey(route)}: refused requests changed ${changed.join(', ')}`);
      if (filesAfter !== filesBefore) issues.push(`${routeKey(route)}: refused requests changed the stored files`);
      [before, filesBefore] = [after, filesAfter];
    }
    expect(issues).toEqual([]);
    // Every route with an id was tried by someone outside the object's scope, but those of
    // institutions, which are public reference data (GET) and written by admins only (PATCH,
    // whose other callers are refused by role: API5's).
    expect([...untried].sort()).toEqual(routes.filter((route) => route.template.startsWith('/api/v1/institutions/')).map(routeKey).sort());
  });

  it('refuses objects named in a body that are out of the caller’s scope (404, as for an unknown id) or not its to use (403), and changes nothing', async () => {
    // Every route whose documented body names objects by id has a case (the public sign-up
    // names the student's home institution: institutions are public reference data).
    const document = (await t.api.get('/api/docs-json')).body;
    const schemas = document.components?.schemas ?? {};
    const resolve = (schema: any): any => (schema?.$ref ? resolve(schemas[String(schema.$ref).split('/').pop()!]) : schema);
    const namesIds = (schema: any): boolean =>
      Object.entries(resolve(schema)?.properties ?? {}).some(([name, property]: [string, any]) => /Ids?$/.test(name) || namesIds(resolve(property)?.items ?? (resolve(property)?.properties ? property : undefined)));
    const referencing = documentedRoutes(document)
      .filter((route) => isApiRoute(route) && rolesOf(route) !== 'public')
      .filter((route) => namesIds((document.paths[route.template][route.method.toLowerCase()] as any).requestBody?.content?.['application/json']?.schema))
      .map(routeKey);
    expect(referencing.length).toBeGreaterThan(5);
    expect(referencing.filter((key) => !BODY_CASES.some((c) => c.route === key))).toEqual([]);

    const issues: string[] = [];
    for (const c of BODY_CASES) {
      const route = routes.find((r) => routeKey(r) === c.route) ?? registeredApiRoutes(t.app).find((r) => routeKey(r) === c.route);
      if (!route) {
        issues.push(`${c.route} is not registered`);
        continue;
      }
      if (!mayCall(route, c.as)) issues.push(`${c.route}: ${c.as} may not call it at all (a case for API5, not here)`);
      const path = route.params.length ? pathOf(route, { [route.params[0]]: c.path!(world.ids) }) : route.template;
      const send = (ref: string) => t.api.request(route.method, path, c.body(world.ids, ref), { token: world.sessions[c.as].token });
      const label = `${c.route} as ${c.as}, who ${c.what}`;
      const before = await checksums.take();
      if (c.hidden) {
        const response = await send(c.hidden(world.ids));
        const unknown = await send(randomUUID());
        if (response.status !== 404 && response.status !== 400) issues.push(`${label}: expected 404 (or 400, as for an unknown id), got ${response.status} ${response.text.slice(0, 200)}`);
        else if (JSON.stringify(answerOf(response)) !== JSON.stringify(answerOf(unknown))) issues.push(`${label}: answers ${JSON.stringify(answerOf(response))}, but ${JSON.stringify(answerOf(unknown))} for an unknown id`);
      } else {
        const response = await send('');
        if (response.status !== c.status) issues.push(`${label}: expected ${c.status}, got ${response.status} ${response.text.slice(0, 200)}`);
      }
      const changed = changedTables(before, await checksums.take());
      if (changed.length) issues.push(`${label}: refused requests changed ${changed.join(', ')}`);
    }
    expect(issues).toEqual([]);
  });

  it('lists, on every list route of a kind of object, none outside the caller’s scope and all of the world’s in it', async () => {
    const kinds = contexts(world);
    const lists = registeredApiRoutes(t.app).filter((route) => route.method === 'GET' && !route.params.length && kinds[`${route.template}/{id}`]);
    expect(lists.map(routeKey)).toEqual(expect.arrayContaining(['GET /api/v1/applications', 'GET /api/v1/placements', 'GET /api/v1/host-families', 'GET /api/v1/agreements']));
    const issues: string[] = [];
    for (const route of lists) {
      for (const name of CALLER_NAMES.filter((n) => mayCall(route, n))) {
        const response = await t.api.get(route.template, { token: world.sessions[name].token, query: { limit: 100 } });
        if (response.status !== 200) {
          issues.push(`${routeKey(route)} as ${name}: ${response.status} ${response.text.slice(0, 200)}`);
          continue;
        }
        const listed = itemIds(response);
        for (const object of kinds[`${route.template}/{id}`]) {
          if (!sees(object, name) && listed.includes(object.id)) issues.push(`${routeKey(route)} as ${name} (${CALLERS[name].who}) lists ${object.label}`);
          if (sees(object, name) && !listed.includes(object.id)) issues.push(`${routeKey(route)} as ${name} does not list ${object.label}, which is in its scope`);
        }
      }
    }
    expect(issues).toEqual([]);
  });

  // A filter narrows what the caller sees, never widens it: filtered by an object out of its
  // scope, a list answers as for an unknown id (the same refusal, or a page), and lists only
  // what the caller's unfiltered list holds. (It may list something: the student's own
  // placement, filtered by its family, which the student does not see as a family record.)
  it('never lists more, filtered by an object out of the caller’s scope, than without the filter', async () => {
    const document = (await t.api.get('/api/docs-json')).body;
    const kinds = contexts(world);
    const issues: string[] = [];
    const cases: { route: RegisteredRoute; filter: string }[] = [];
    for (const route of registeredApiRoutes(t.app).filter((r) => r.method === 'GET' && !r.params.length)) {
      const parameters = (document.paths[route.template]?.get?.parameters ?? []) as { in: string; name: string }[];
      // the paginated JSON lists (the arrivals' calendar feed is the board's, as iCalendar)
      if (!parameters.some((p) => p.name === 'limit')) continue;
      for (const { name } of parameters.filter((p) => p.in === 'query' && /Id$/.test(p.name))) {
        if (!FILTERS[name]) issues.push(`${routeKey(route)} filters by ${name}: say in FILTERS which objects of the world it names`);
        else if (FILTERS[name] !== 'public') cases.push({ route, filter: name });
      }
    }
    expect(cases.length).toBeGreaterThan(5);
    /** Every item of the list, following its pages (once per list and caller). */
    const walked = new Map<string, Promise<Set<string>>>();
    const everything = (route: RegisteredRoute, token: string): Promise<Set<string>> => {
      const key = `${routeKey(route)} ${token}`;
      if (!walked.has(key)) walked.set(key, walk(route, token));
      return walked.get(key)!;
    };
    const walk = async (route: RegisteredRoute, token: string): Promise<Set<string>> => {
      const all = new Set<string>();
      let cursor: string | undefined;
      for (let page = 0; page < 20; page++) {
        const response = await t.api.get(route.template, { token, query: { limit: 100, cursor } });
        if (response.status !== 200) throw new Error(`${routeKey(route)}: ${response.status} ${response.text}`);
        itemIds(response).forEach((id) => all.add(id));
        cursor = response.body.nextCursor ?? undefined;
        if (!cursor) return all;
      }
      throw new Error(`${routeKey(route)}: more than 20 pages`);
    };
    await Promise.all(
      cases.flatMap(({ route, filter }) =>
        CALLER_NAMES.filter((name) => mayCall(route, name)).map(async (name) => {
          const hidden = kinds[FILTERS[filter]].filter((object) => !sees(object, name));
          if (!hidden.length) return;
          const token = world.sessions[name].token;
          const ask = (id: string) => t.api.get(route.template, { token, query: { [filter]: id, limit: 100 } });
          const unknown = await ask(randomUUID());
          const seen = await everything(route, token);
          for (const object of hidden) {
            const response = await ask(object.id);
            const label = `${routeKey(route)}?${filter}= ${object.label} as ${name}`;
            if (response.status !== unknown.status || response.body?.code !== unknown.body?.code) issues.push(`${label}: ${response.status} ${response.body?.code}, but ${unknown.status} ${unknown.body?.code} for an unknown id`);
            const extra = response.status === 200 ? itemIds(response).filter((id) => !seen.has(id)) : [];
            if (extra.length) issues.push(`${label}: lists ${extra.join(', ')}, which its unfiltered list does not`);
          }
        }),
      ),
    );
    expect(issues).toEqual([]);
  });

  it('lists, under an object, none of its parts outside the caller’s scope and all of them in it (a host school: the passport, not the transcript)', async () => {
    const kinds = contexts(world);
    const nested = routes.filter((route) => route.method === 'GET');
    // every list under an object is declared: ask each as an admin
    const undeclared: string[] = [];
    for (const route of nested) {
      const response = await call(world, route, objectsFor(world, route)[0].id, world.sessions.admin.token);
      if (Array.isArray(response.body?.items) && !(routeKey(route) in NESTED_LISTS)) undeclared.push(routeKey(route));
    }
    expect(undeclared).toEqual([]);
    expect(Object.keys(NESTED_LISTS).filter((key) => !nested.some((route) => routeKey(route) === key))).toEqual([]);

    const issues: string[] = [];
    let checked = 0;
    for (const route of nested.filter((r) => NESTED_LISTS[routeKey(r)])) {
      for (const parent of objectsFor(world, route)) {
        const parts = kinds[NESTED_LISTS[routeKey(route)]!].filter((object) => object.of === parent.id);
        for (const name of CALLER_NAMES.filter((n) => sees(parent, n) && mayCall(route, n))) {
          const response = await call(world, route, parent.id, world.sessions[name].token);
          if (response.status !== 200) {
            issues.push(`${routeKey(route)} on ${parent.label} as ${name}: ${response.status} ${response.text.slice(0, 160)}`);
            continue;
          }
          const listed = itemIds(response);
          for (const part of parts) {
            checked++;
            if (!sees(part, name) && listed.includes(part.id)) issues.push(`${routeKey(route)} on ${parent.label} as ${name} (${CALLERS[name].who}) lists ${part.label}`);
            if (sees(part, name) && !listed.includes(part.id)) issues.push(`${routeKey(route)} on ${parent.label} as ${name} does not list ${part.label}, which is in its scope`);
          }
        }
      }
    }
    expect(issues).toEqual([]);
    expect(checked).toBeGreaterThan(10);
  });
});
