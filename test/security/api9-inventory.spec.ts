/**
 * OWASP API9:2023, Improper Inventory Management. The API's inventory is its OpenAPI
 * document (GET /api/docs-json, SPEC section 5): it must list exactly the routes the server
 * registers under /api/v1, each of which must answer, and the server must expose nothing
 * else: no undocumented route, no other version, no method beside the documented ones.
 *
 * Outside the API document, by design, and told apart by rule rather than by list:
 * - the web portal, served by the same application (SPEC section 5): `/`, and every path
 *   under one of the portal's roots (`/portal/...`, `/sign-in`, `/sign-out`, `/register`,
 *   `/language`: PORTAL_ROOTS of src/portal/portal-setup.ts) and its assets under `/assets/`;
 * - the API's documentation itself, under `/api/docs`;
 * - the liveness and readiness probes under `/health` (SPEC section 6), which the document
 *   may name but which are not of the versioned API.
 */
import { randomUUID } from 'node:crypto';
import type { ApiResponse } from '../harness/api.js';
import { startTestApp, type TestApp } from '../harness/app.js';
import { API_BASE, documentedRoutes, isApiRoute, pathOf, registeredRoutes, routeKey, type RegisteredRoute } from '../harness/routes.js';
import { PORTAL_ROOTS } from '../../src/portal/portal-setup.js';

type Operation = { security?: Record<string, unknown>[] };

/** A registered route that is not of the API, by the rules above; null when it is none of them. */
function outsideTheApi(route: RegisteredRoute): string | null {
  const first = route.path.split('/')[1] ?? '';
  if (route.path === '/') return 'the portal';
  if (PORTAL_ROOTS.includes(first)) return 'the portal';
  if (route.path.startsWith('/assets/')) return "the portal's assets";
  if (route.path === '/api/docs' || route.path.startsWith('/api/docs/') || route.path.startsWith('/api/docs-')) return 'the API documentation';
  if (first === 'health') return 'the health probes';
  return null;
}

const isRouteNotFound = (response: ApiResponse) => response.status === 404 && response.body?.code === 'route.not_found';

describe('API9 inventory: the OpenAPI document and the routes the server registers', () => {
  let t: TestApp;
  let document: { paths: Record<string, Record<string, Operation>> };
  let registered: RegisteredRoute[];
  let documented: RegisteredRoute[];

  beforeAll(async () => {
    t = await startTestApp({ MAIL_POLL_MS: '600000' });
    const response = await t.api.get('/api/docs-json');
    if (response.status !== 200) throw new Error(`no OpenAPI document: ${response.status}`);
    document = response.body;
    registered = registeredRoutes(t.app);
    documented = documentedRoutes(document);
  });
  afterAll(async () => {
    await t?.close();
  });

  it('documents exactly the routes the server registers under /api/v1', () => {
    const served = registered.filter(isApiRoute).map(routeKey);
    const listed = documented.filter(isApiRoute).map(routeKey);
    expect(served.length).toBeGreaterThan(70);
    const undocumented = served.filter((key) => !listed.includes(key));
    const notServed = listed.filter((key) => !served.includes(key));
    expect({ undocumented, notServed }).toEqual({ undocumented: [], notServed: [] });
  });

  it('registers nothing outside /api/v1 but the portal, its assets, the API documentation and the health probes', () => {
    const unaccounted = registered.filter((route) => !isApiRoute(route) && outsideTheApi(route) === null).map(routeKey);
    expect(unaccounted).toEqual([]);
    // and nothing of the API hides under those: the rules do not overlap the API's base
    expect(registered.filter((route) => isApiRoute(route) && outsideTheApi(route) !== null).map(routeKey)).toEqual([]);
  });

  it('documents nothing outside /api/v1 but the health probes', () => {
    const others = documented.filter((route) => !isApiRoute(route));
    expect(others.filter((route) => outsideTheApi(route) !== 'the health probes').map(routeKey)).toEqual([]);
  });

  it('answers every documented operation (never 404 route.not_found), asking for a token exactly where the document says', async () => {
    const issues: string[] = [];
    for (const route of documented) {
      const operation = document.paths[route.template][route.method.toLowerCase()];
      const needsToken = (operation.security ?? []).some((requirement) => 'bearer' in requirement);
      const path = pathOf(route, Object.fromEntries(route.params.map((name) => [name, randomUUID()])));
      // Anonymous, with an empty body: nothing is run, and no answer depends on what is stored.
      const response = await t.api.request(route.method, path, ['POST', 'PUT', 'PATCH'].includes(route.method) ? {} : undefined);
      const label = routeKey(route);
      if (isRouteNotFound(response) || response.status === 405) issues.push(`${label}: documented, but answers ${response.status} ${response.text.slice(0, 160)}`);
      else if (needsToken && response.status !== 401) issues.push(`${label}: documented as needing a bearer token, but answers ${response.status} without one`);
      else if (!needsToken && response.status === 401) issues.push(`${label}: documented as public, but answers 401 without a token`);
      if (response.status >= 500) issues.push(`${label}: ${response.status}`);
    }
    expect(issues).toEqual([]);
  });

  it('answers 404 route.not_found for methods the document does not list on its paths, and for other versions of the API', async () => {
    const issues: string[] = [];
    const api = documented.filter(isApiRoute);
    const paths = [...new Set(api.map((route) => route.template))];
    const versions = ['v0', 'v2', 'V1', 'latest', 'internal'];
    for (const template of paths) {
      const path = pathOf({ template }, Object.fromEntries([...template.matchAll(/\{([^}]+)\}/g)].map((m) => [m[1], randomUUID()])));
      const listed = api.filter((route) => route.template === template).map((route) => route.method);
      const probes: [string, string][] = [
        ...['GET', 'POST', 'PUT', 'PATCH', 'DELETE'].filter((method) => !listed.includes(method)).map((method): [string, string] => [method, path]),
        ...versions.map((version): [string, string] => [listed[0], path.replace(API_BASE, `/api/${version}/`)]),
      ];
      for (const [method, probe] of probes) {
        const response = await t.api.request(method, probe, ['POST', 'PUT', 'PATCH'].includes(method) ? {} : undefined);
        if (!isRouteNotFound(response) && response.status !== 405) issues.push(`${method} ${probe}: expected 404 route.not_found, got ${response.status} ${response.text.slice(0, 160)}`);
      }
    }
    expect(issues).toEqual([]);
  });
});
