/**
 * The routes of the OpenAPI document (GET /api/docs-json) as the fuzzer needs them: the
 * path and query parameters, the JSON body's schema with every `$ref` and `allOf`
 * resolved, whether it reads a multipart body or needs a bearer token, and the kind of
 * object its `{id}` names. test/e2e/openapi.spec.ts proves the document lists exactly the
 * routes the application serves.
 */
import type { Kind } from './world.js';

export type Schema = Record<string, any>;

export interface QueryParam {
  name: string;
  schema: Schema;
}

export interface Route {
  method: string;
  /** as documented, e.g. /api/v1/applications/{id}/submit */
  template: string;
  pathParams: string[];
  query: QueryParam[];
  /** the JSON body's schema, resolved (null: the route takes no JSON body) */
  body: Schema | null;
  multipart: Schema | null;
  /** a bearer token is required */
  secured: boolean;
  /** the kind of object `{id}` names */
  idKind: Kind | null;
  /** reads, answers and changes nothing (GET) */
  safe: boolean;
}

export const routeName = (route: Pick<Route, 'method' | 'template'>) => `${route.method} ${route.template}`;

/** What `{id}` names, by the first segment after /api/v1. */
const ID_KINDS: Record<string, Kind> = {
  users: 'user',
  institutions: 'institution',
  agreements: 'agreement',
  programs: 'program',
  applications: 'application',
  documents: 'document',
  'host-families': 'hostFamily',
  notifications: 'notification',
  placements: 'placement',
  'checklist-items': 'checklistItem',
};

export function resolveSchema(doc: Schema, schema: Schema | undefined): Schema | null {
  if (!schema) return null;
  if (schema.$ref) return resolveSchema(doc, doc.components?.schemas?.[String(schema.$ref).replace('#/components/schemas/', '')]);
  if (schema.allOf) {
    const parts = (schema.allOf as Schema[]).map((part) => resolveSchema(doc, part)).filter((part): part is Schema => part !== null);
    const merged: Schema = { ...schema, type: 'object', properties: {}, required: [] };
    delete merged.allOf;
    for (const part of parts) {
      Object.assign(merged.properties, part.properties ?? {});
      merged.required.push(...((part.required as string[]) ?? []));
    }
    return resolveDeep(doc, merged);
  }
  return resolveDeep(doc, schema);
}

function resolveDeep(doc: Schema, schema: Schema): Schema {
  const out: Schema = { ...schema };
  if (schema.properties) out.properties = Object.fromEntries(Object.entries(schema.properties as Record<string, Schema>).map(([name, child]) => [name, resolveSchema(doc, child)]));
  if (schema.items) out.items = resolveSchema(doc, schema.items);
  return out;
}

export function routesOf(doc: Schema): Route[] {
  const routes: Route[] = [];
  for (const [template, operations] of Object.entries(doc.paths as Record<string, Record<string, Schema>>)) {
    for (const [method, operation] of Object.entries(operations)) {
      if (!['get', 'post', 'put', 'patch', 'delete'].includes(method)) continue;
      const parameters = (operation.parameters ?? []) as Schema[];
      const content = (operation.requestBody?.content ?? {}) as Record<string, { schema?: Schema }>;
      const first = /^\/api\/v1\/([^/{]+)/.exec(template)?.[1] ?? '';
      const pathParams = [...template.matchAll(/\{([^}]+)\}/g)].map((m) => m[1]);
      routes.push({
        method: method.toUpperCase(),
        template,
        pathParams,
        query: parameters.filter((p) => p.in === 'query').map((p) => ({ name: p.name as string, schema: (p.schema ?? {}) as Schema })),
        body: resolveSchema(doc, content['application/json']?.schema),
        multipart: resolveSchema(doc, content['multipart/form-data']?.schema),
        secured: Array.isArray(operation.security) && operation.security.length > 0,
        idKind: pathParams.length ? (ID_KINDS[first] ?? null) : null,
        safe: method === 'get',
      });
    }
  }
  return routes;
}
