/**
 * OWASP API5:2023, Broken Function Level Authorization. Every route of the API, as the
 * server registers it, is called by each role that may not call it (the declared table of
 * test/security/world.ts, from SPEC sections 2 and 4): staff-only routes by the student,
 * admin routes by coordinators, host schools and families, the student's own transitions by
 * staff, and so on. The callers are the people of the exchange itself, who see its objects,
 * with well-formed bodies: only the role can be why they are refused. The answer is 403;
 * 404 only where the object is out of the caller's scope (and then the same as for an id
 * that does not exist); and nothing changes.
 */
import { randomUUID } from 'node:crypto';
import { startTestApp, type TestApp } from '../harness/app.js';
import { changedTables, openChecksums, type TableChecksums } from '../harness/checksums.js';
import { registeredApiRoutes, routeKey, type RegisteredRoute } from '../harness/routes.js';
import { answerOf, buildWorld, call, CALLERS, mayCall, objectsFor, ROUTE_ROLES, sees, type CallerName, type World } from './world.js';

/** One caller of each role, each a party to the exchange (so that it sees what its role may see of it). */
const INSIDERS: readonly CallerName[] = ['admin', 'sendingCoordinator', 'receivingCoordinator', 'receivingHostSchool', 'familyUser', 'student'];

/**
 * SPEC section 4, its "who" column: the side that takes each transition of an application.
 * Within a role that may call the route, the other side may not either: "a caller whose
 * role or side can never take a transition answers 403, whatever the status".
 */
type Side = 'sending' | 'receiving' | 'host_school' | 'student';
const SIDES: Record<string, readonly Side[]> = {
  submit: ['student'],
  nominate: ['sending'],
  reject: ['sending', 'receiving'],
  accept: ['receiving'],
  waitlist: ['receiving'],
  confirm: ['student'],
  decline: ['student'],
  withdraw: ['student'],
  cancel: ['sending', 'receiving'],
  'check-in': ['receiving', 'host_school'],
  complete: ['receiving'],
};
/** The staff of the exchange and the side each is on. */
const STAFF_SIDES: Partial<Record<CallerName, Side>> = {
  sendingCoordinator: 'sending',
  receivingCoordinator: 'receiving',
  receivingHostSchool: 'host_school',
};

describe('API5 function-level authorization: every route, every role that may not call it', () => {
  let t: TestApp;
  let world: World;
  let routes: RegisteredRoute[];
  let checksums: TableChecksums;

  beforeAll(async () => {
    // Many sign-ins from one address: not what is tested here. The mail worker stays idle,
    // so that the only writer of the database between two snapshots is the request.
    t = await startTestApp({ LOGIN_MAX_PER_IP: '10000', MAIL_POLL_MS: '600000' });
    world = await buildWorld(t);
    routes = registeredApiRoutes(t.app);
    checksums = await openChecksums(t.settings.databaseUrl!);
  });
  afterAll(async () => {
    await checksums?.close();
    await t?.close();
  });

  it('declares who may call exactly the routes the server registers', () => {
    const registered = routes.map(routeKey).sort();
    expect(registered.length).toBeGreaterThan(70);
    expect(Object.keys(ROUTE_ROLES).sort()).toEqual(registered);
  });

  it('refuses each route to every role that may not call it (403, or 404 out of scope) and changes nothing', async () => {
    const issues: string[] = [];
    const refusedRoles = new Set<string>();
    // One snapshot between two routes: the one after a route is the one before the next.
    let before = await checksums.take();
    for (const route of routes) {
      const callers = INSIDERS.filter((name) => !mayCall(route, name));
      if (!callers.length) continue;
      // The callers of one route side by side (the checksums are per route).
      await Promise.all(
        callers.map(async (name) => {
          const token = world.sessions[name].token;
          const as = `as ${name} (${CALLERS[name].who})`;
          refusedRoles.add(`${routeKey(route)} ${CALLERS[name].role}`);
          if (!route.params.length) {
            const response = await call(world, route, null, token);
            if (response.status !== 403 || response.body?.code !== 'access.forbidden') issues.push(`${routeKey(route)} ${as}: expected 403 access.forbidden, got ${response.status} ${response.text.slice(0, 200)}`);
            return;
          }
          const objects = objectsFor(world, route);
          // an unknown id's answer, to compare with, only where an object is out of the caller's scope
          const [unknown, ...responses] = await Promise.all([
            objects.every((object) => sees(object, name)) ? null : call(world, route, randomUUID(), token),
            ...objects.map((object) => call(world, route, object.id, token)),
          ]);
          objects.forEach((object, i) => {
            const response = responses[i];
            const answer = answerOf(response);
            const label = `${routeKey(route)} on ${object.label} ${as}`;
            if (sees(object, name)) {
              if (response.status !== 403 || answer.code !== 'access.forbidden') issues.push(`${label}: expected 403 access.forbidden (the object is in its scope), got ${response.status} ${response.text.slice(0, 200)}`);
            } else if (response.status !== 403 && response.status !== 404) {
              issues.push(`${label}: expected 403 or 404, got ${response.status} ${response.text.slice(0, 200)}`);
            } else if (JSON.stringify(answer) !== JSON.stringify(answerOf(unknown!))) {
              issues.push(`${label}: answers ${JSON.stringify(answer)}, but ${JSON.stringify(answerOf(unknown!))} for an unknown id (out of scope, it must not tell that the object exists)`);
            }
          });
        }),
      );
      const after = await checksums.take();
      const changed = changedTables(before, after);
      if (changed.length) issues.push(`${routeKey(route)}: refused requests changed ${changed.join(', ')}`);
      before = after;
    }
    expect(issues).toEqual([]);
    // The admin routes were refused to the three other staff roles, the staff routes to the student.
    for (const key of ['POST /api/v1/institutions', 'PATCH /api/v1/institutions/{id}', 'GET /api/v1/admin/mail-queue', 'GET /api/v1/audit/verify']) {
      for (const role of ['coordinator', 'host_school', 'host_family', 'student']) expect(refusedRoles).toContain(`${key} ${role}`);
    }
    for (const key of ['POST /api/v1/agreements', 'POST /api/v1/programs', 'POST /api/v1/applications/{id}/nominate', 'POST /api/v1/host-families', 'POST /api/v1/placements', 'GET /api/v1/users', 'GET /api/v1/reports/flows']) {
      expect(refusedRoles).toContain(`${key} student`);
    }
  });

  it('refuses each application transition to the staff of the side that never takes it (403 whatever the status) and changes nothing', async () => {
    const transitions = routes.filter((route) => route.method === 'POST' && /^\/api\/v1\/applications\/\{id\}\/[a-z-]+$/.test(route.template) && route.template.split('/').pop()! in SIDES);
    expect(transitions.map((route) => route.template.split('/').pop()).sort()).toEqual(Object.keys(SIDES).sort());
    const issues: string[] = [];
    let tried = 0;
    for (const route of transitions) {
      const sides = SIDES[route.template.split('/').pop()!];
      const before = await checksums.take();
      for (const [name, side] of Object.entries(STAFF_SIDES) as [CallerName, Side][]) {
        if (!mayCall(route, name) || sides.includes(side)) continue;
        for (const object of objectsFor(world, route).filter((o) => sees(o, name))) {
          const response = await call(world, route, object.id, world.sessions[name].token);
          tried++;
          if (response.status !== 403 || response.body?.code !== 'access.forbidden') issues.push(`${routeKey(route)} on ${object.label} as ${name}: expected 403 access.forbidden, got ${response.status} ${response.text.slice(0, 200)}`);
        }
      }
      const changed = changedTables(before, await checksums.take());
      if (changed.length) issues.push(`${routeKey(route)}: refused requests changed ${changed.join(', ')}`);
    }
    expect(issues).toEqual([]);
    expect(tried).toBeGreaterThanOrEqual(5);
  });
});
