/**
 * The routes the running application's HTTP server has registered, read from Fastify's own
 * router (not from the controllers' decorators, nor from the OpenAPI document): what a
 * client can actually reach. Suites that must cover every route generate their cases from
 * this list, so a new route is covered, or named as missing, without anyone listing it.
 */
import type { NestFastifyApplication } from '@nestjs/platform-fastify';

export interface RegisteredRoute {
  /** GET, POST, ... (the HEAD that Fastify adds beside each GET is left out) */
  method: string;
  /** as Fastify has it, e.g. /api/v1/applications/:id/submit */
  path: string;
  /** as the OpenAPI document writes it, e.g. /api/v1/applications/{id}/submit */
  template: string;
  /** the names of its path parameters, in order */
  params: string[];
}

/** Where the versioned JSON API lives (SPEC section 5); everything else is the portal, the documentation or the probes. */
export const API_BASE = '/api/v1/';

export const isApiRoute = (route: Pick<RegisteredRoute, 'template'>): boolean => route.template.startsWith(API_BASE);

/** `GET /api/v1/applications/{id}`: how a route is named in test messages and declared tables. */
export const routeKey = (route: Pick<RegisteredRoute, 'method' | 'template'>): string => `${route.method} ${route.template}`;

const toTemplate = (path: string) => path.replace(/:([A-Za-z0-9_]+)(\([^)]*\))?/g, '{$1}');
const paramsOf = (template: string) => [...template.matchAll(/\{([^}]+)\}/g)].map((m) => m[1]);

/**
 * Reads Fastify's route tree, `printRoutes()`: one node a line, drawn four characters a
 * level deep, the nodes that end a route with the methods registered on it, e.g.
 *
 *     └── / (GET, HEAD)
 *         ├── a
 *         │   ├── ssets/
 *         │   │   └── * (HEAD, GET)
 *         │   └── pi/v1/agreements (POST, GET, HEAD)
 *         │       └── /:id (GET, HEAD, PATCH)
 *
 * A node's path is its ancestors' segments and its own, end to end. (The drawing with
 * `commonPrefix: false` is shorter but loses the path before a `*` whose parent ends no
 * route, find-my-way 9.) Every route read is checked against the router with `hasRoute`,
 * so a change of the drawing fails here rather than quietly losing routes.
 */
export function registeredRoutes(app: NestFastifyApplication): RegisteredRoute[] {
  const fastify = app.getHttpAdapter().getInstance();
  const tree = fastify.printRoutes();
  const segments: string[] = [];
  const methodsByPath = new Map<string, Set<string>>();
  for (const line of tree.split('\n')) {
    if (!line.trim()) continue;
    const drawing = /^[│├└─\s]*/u.exec(line)![0];
    if (drawing.length === 0 || drawing.length % 4 !== 0) throw new Error(`unexpected line in Fastify's route tree: ${JSON.stringify(line)}`);
    const depth = drawing.length / 4;
    const node = line.slice(drawing.length);
    const match = /^(.*) \(([A-Z, ]+)\)$/.exec(node);
    // a route with constraints or metadata is drawn with more after its methods: not read here
    if (!match && node.includes(' (')) throw new Error(`unexpected line in Fastify's route tree: ${JSON.stringify(line)}`);
    segments.length = depth - 1;
    segments.push(match ? match[1] : node);
    if (!match) continue;
    const path = segments.join('');
    const methods = methodsByPath.get(path) ?? new Set<string>();
    for (const method of match[2].split(', ')) methods.add(method);
    methodsByPath.set(path, methods);
  }
  const routes: RegisteredRoute[] = [];
  for (const [path, methods] of methodsByPath) {
    for (const method of methods) {
      if (method === 'HEAD' && methods.has('GET')) continue;
      if (!fastify.hasRoute({ method: method as 'GET', url: path })) throw new Error(`read ${method} ${path} from Fastify's route tree, but the router does not have it`);
      const template = toTemplate(path);
      routes.push({ method, path, template, params: paramsOf(template) });
    }
  }
  return routes.sort((a, b) => a.template.localeCompare(b.template) || a.method.localeCompare(b.method));
}

/** The registered routes of the JSON API (under /api/v1/). */
export const registeredApiRoutes = (app: NestFastifyApplication): RegisteredRoute[] => registeredRoutes(app).filter(isApiRoute);

/** The operations of an OpenAPI document, in the same shape. */
export function documentedRoutes(document: { paths: Record<string, Record<string, unknown>> }): RegisteredRoute[] {
  const routes: RegisteredRoute[] = [];
  for (const [template, operations] of Object.entries(document.paths)) {
    for (const method of Object.keys(operations)) {
      if (!['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace'].includes(method)) continue;
      routes.push({ method: method.toUpperCase(), path: template.replace(/\{([^}]+)\}/g, ':$1'), template, params: paramsOf(template) });
    }
  }
  return routes.sort((a, b) => a.template.localeCompare(b.template) || a.method.localeCompare(b.method));
}

/** The route's path with its parameters filled in (URL-encoded). */
export function pathOf(route: Pick<RegisteredRoute, 'template'>, values: Record<string, string>): string {
  return route.template.replace(/\{([^}]+)\}/g, (_, name: string) => {
    const value = values[name];
    if (value === undefined) throw new Error(`no value for {${name}} of ${route.template}`);
    return encodeURIComponent(value);
  });
}
