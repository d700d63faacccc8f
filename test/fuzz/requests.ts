/**
 * Generated requests for one route and one role: a body built from the route's documented
 * schema and then mutated, path parameters, query parameters, headers and credentials.
 *
 * A request that could change something (anything but GET) carries at least one defect
 * that the API must refuse it for — an unknown field, a value of the wrong type, a missing
 * required field, a string over its length, a date that does not exist, a body that is not
 * a JSON object, a content type the route does not read, a path id of no object, a
 * transition its object's state rules out, a forged token... — named in `mustRefuse`. So a
 * successful answer to it is a defect of its own, and the objects the requests rely on
 * never change: a seed and a path replay the same requests against the same objects. The
 * exceptions are the edits and creations of MAY_SUCCEED, sent without a defect one time in
 * three; GET requests carry one one time in two.
 *
 * Everything is data (strings, numbers, plain objects), so that a counterexample prints
 * as the request it stands for; ids are `⟪name⟫` tokens of the world (world.ts).
 */
import fc from 'fast-check';
import type { QueryParam, Route, Schema } from './openapi.js';
import {
  anyString,
  EDGE_DATE_TIMES,
  EDGE_DATES,
  extremeNumber,
  huge,
  idOf,
  INVALID_DATE_TIMES,
  INVALID_DATES,
  INVALID_EMAILS,
  kindOfField,
  NOT_UUIDS,
  notInEnum,
  rawNumber,
  strangerUuid,
  unicodeString,
  validValue,
  wrongType,
  type Huge,
} from './values.js';
import { namesOfKind, OBJECT_NAMES, OBJECTS, ref, type Role } from './world.js';

// ---------------------------------------------------------------------------------------
// The request

export type AuthSpec =
  /** the role's own access token (none for anonymous) */
  | { kind: 'own' }
  | { kind: 'none' }
  /** this Authorization header as it is (`⟪token.admin⟫` tokens resolved) */
  | { kind: 'header'; value: string }
  /** a JWT made when the request is sent */
  | { kind: 'jwt'; scheme: string; alg: 'HS256' | 'HS512' | 'none'; secret: 'right' | 'wrong'; claims: Record<string, unknown>; expiresInSeconds: number | null };

export interface Part {
  name: string;
  /** null: a field; otherwise a file with this name */
  fileName: string | null;
  contentType?: string;
  /** latin1 bytes, or a Huge */
  content: string | Huge;
}

export type BodySpec = { kind: 'text'; contentType: string | null; text: string } | { kind: 'multipart'; contentType: string | null; parts: Part[] };

export interface FuzzRequest {
  role: Role;
  method: string;
  /** from the root, ready for a URL (percent-encoding done); may hold `⟪name⟫` tokens */
  path: string;
  /** without the `?`; may hold tokens */
  query: string;
  headers: Record<string, string>;
  auth: AuthSpec;
  body: BodySpec | null;
  /** why the API must refuse it (empty: it may serve it) */
  mustRefuse: string[];
}

// ---------------------------------------------------------------------------------------
// JSON bodies: fields of a schema and mutations of a body

type Key = string | number;

interface Field {
  path: Key[];
  schema: Schema;
  required: boolean;
  name: string;
}

/** Every field of the schema, nested objects and the first item of arrays of objects included. */
function fieldsOf(schema: Schema, prefix: Key[] = [], depth = 0): Field[] {
  const out: Field[] = [];
  const required = new Set<string>((schema.required as string[]) ?? []);
  for (const [name, child] of Object.entries((schema.properties ?? {}) as Record<string, Schema>)) {
    if (!child || child.format === 'binary') continue;
    const path = [...prefix, name];
    out.push({ path, schema: child, required: required.has(name), name });
    if (depth > 3) continue;
    if (child.properties) out.push(...fieldsOf(child, path, depth + 1));
    if (child.items?.properties) out.push(...fieldsOf(child.items, [...path, 0], depth + 1));
  }
  return out;
}

/** The objects of the schema that list their properties (where an unknown one can be put). */
function objectsOf(schema: Schema): { path: Key[]; schema: Schema }[] {
  const out = [{ path: [] as Key[], schema }];
  for (const field of fieldsOf(schema)) {
    if (field.schema.properties) out.push({ path: field.path, schema: field.schema });
    if (field.schema.items?.properties) out.push({ path: [...field.path, 0], schema: field.schema.items });
  }
  return out;
}

/** A value put in a body: JSON as it is, a huge string, or nesting deeper than any body needs. */
type Val = { json: unknown } | Huge | { deep: number; shape: 'object' | 'array' };

export type Mutation = { op: 'set'; path: Key[]; val: Val; label: string } | { op: 'delete'; path: Key[]; label: string } | { op: 'add'; path: Key[]; key: string; val: Val; label: string };

const json = (value: unknown): Val => ({ json: value });
const at = (path: Key[]) => path.map((key) => (typeof key === 'number' ? `[${key}]` : `.${key}`)).join('').replace(/^\./, '') || '(body)';

function materialize(val: Val): unknown {
  if ('json' in val) return val.json;
  if ('huge' in val) return val.ch.repeat(val.huge);
  let value: unknown = 1;
  for (let i = 0; i < val.deep; i++) value = val.shape === 'object' ? { a: value } : [value];
  return value;
}

/** A copy in which every key, `__proto__` included, is an own enumerable property (JSON.stringify writes it). */
function copy(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(copy);
  if (value === null || typeof value !== 'object') return value;
  const out: Record<string, unknown> = {};
  for (const key of Object.keys(value)) Object.defineProperty(out, key, { value: copy((value as Record<string, unknown>)[key]), enumerable: true, writable: true, configurable: true });
  return out;
}

function put(container: Record<string, unknown> | unknown[], key: Key, value: unknown): void {
  Object.defineProperty(container, key, { value, enumerable: true, writable: true, configurable: true });
}

/** The container at `path`, made (or replaced by one of the right shape) on the way. */
function containerAt(root: Record<string, unknown>, path: Key[]): Record<string, unknown> | unknown[] {
  let current: Record<string, unknown> | unknown[] = root;
  for (let i = 0; i < path.length; i++) {
    const key = path[i];
    const wantArray = typeof path[i + 1] === 'number';
    let next = (current as Record<string, unknown>)[key as string];
    const ok = wantArray ? Array.isArray(next) : next !== null && typeof next === 'object' && !Array.isArray(next);
    if (!ok || !Object.prototype.hasOwnProperty.call(current, key)) {
      next = wantArray ? [] : {};
      put(current, key, next);
    }
    current = next as Record<string, unknown> | unknown[];
  }
  return current;
}

export function applyMutation(body: Record<string, unknown>, mutation: Mutation): void {
  if (mutation.op === 'add') {
    put(containerAt(body, mutation.path), mutation.key, materialize(mutation.val));
    return;
  }
  const parent = containerAt(body, mutation.path.slice(0, -1));
  const key = mutation.path[mutation.path.length - 1];
  if (mutation.op === 'delete') delete (parent as Record<string, unknown>)[key as string];
  else put(parent, key, materialize(mutation.val));
}

/** Writes the body as JSON; `⟪#literal⟫` strings become the number literal they stand for. */
export function jsonText(value: unknown): string {
  return JSON.stringify(value).replace(/"⟪#([^⟫"]+)⟫"/g, '$1');
}

const UNKNOWN_KEYS = [
  'role',
  'status',
  'id',
  'ownerId',
  'studentId',
  'createdBy',
  'createdAt',
  'passwordHash',
  'isAdmin',
  'approvals',
  'version',
  '__proto__',
  'constructor',
  'prototype',
  'toString',
  'hasOwnProperty',
  'valueOf',
  '$where',
  'a.b',
  'a[0]',
  '',
  ' ',
  'ключ',
  '\u0000',
];

const sample = <T>(items: readonly T[]) => fc.constantFrom(...items);

/** The value one time in `n`, otherwise null. */
const sometimes = <T>(arbitrary: fc.Arbitrary<T>, n: number): fc.Arbitrary<T | null> => fc.oneof({ weight: n - 1, arbitrary: fc.constant(null) }, { weight: 1, arbitrary });

/** Mutations that make the body one the API must refuse (each labelled with the rule it breaks). */
function refusingMutations(schema: Schema): fc.Arbitrary<Mutation>[] {
  const fields = fieldsOf(schema);
  const out: fc.Arbitrary<Mutation>[] = [];
  const of = (predicate: (field: Field) => boolean) => fields.filter(predicate);
  const choose = (list: Field[], make: (field: Field) => fc.Arbitrary<Mutation>) => {
    if (list.length) out.push(sample(list).chain(make));
  };

  // An unknown field, at the top or in a nested object: refused, never ignored (SPEC section 5).
  const objects = objectsOf(schema);
  out.push(
    fc
      .record({ object: sample(objects), key: fc.oneof(sample(UNKNOWN_KEYS), unicodeString(12)), value: fc.oneof(anyString, extremeNumber, fc.constantFrom(null, true, {}, [], { role: 'admin' })) })
      .filter(({ object, key }) => !Object.prototype.hasOwnProperty.call(object.schema.properties ?? {}, key))
      .map(({ object, key, value }) => ({ op: 'add' as const, path: object.path, key, val: json(value), label: `unknown field ${JSON.stringify(key)} at ${at(object.path)}` })),
  );
  out.push(
    fc.record({ object: sample(objects), depth: fc.constantFrom(33, 100, 2_000), shape: fc.constantFrom('object' as const, 'array' as const) }).map(({ object, depth, shape }) => ({
      op: 'add' as const,
      path: object.path,
      key: 'nested',
      val: { deep: depth, shape },
      label: `unknown field nested ${depth} levels deep at ${at(object.path)}`,
    })),
  );
  choose(
    of((f) => f.required && f.path.length === 1),
    (f) => fc.constant({ op: 'delete' as const, path: f.path, label: `required ${at(f.path)} left out` }),
  );
  choose(
    of((f) => typeof f.schema.type === 'string' || !!f.schema.properties),
    (f) => wrongType(f.schema).map((value) => ({ op: 'set' as const, path: f.path, val: json(value), label: `${at(f.path)} of the wrong type` })),
  );
  choose(
    of((f) => !!f.schema.properties),
    (f) => fc.oneof(fc.constant([]), validValue(f.schema).map((value) => [value])).map((value) => ({ op: 'set' as const, path: f.path, val: json(value), label: `an array for the object ${at(f.path)}` })),
  );
  choose(
    of((f) => f.schema.type === 'array' && !!f.schema.items?.properties),
    (f) =>
      fc
        .oneof(fc.constant([]), validValue(f.schema.items).map((value) => [value]), wrongType(f.schema.items))
        .map((value) => ({ op: 'set' as const, path: [...f.path, 0], val: json(value), label: `${at([...f.path, 0])}, an item of objects, not an object` })),
  );
  choose(
    of((f) => f.schema.type === 'string' && typeof f.schema.maxLength === 'number'),
    (f) => fc.integer({ min: 1, max: 300 }).map((extra) => ({ op: 'set' as const, path: f.path, val: json('x'.repeat(f.schema.maxLength + extra)), label: `${at(f.path)} over its ${f.schema.maxLength} characters` })),
  );
  choose(
    of((f) => f.schema.type === 'string' && (f.schema.minLength ?? 0) > 0),
    (f) => fc.integer({ min: 0, max: f.schema.minLength - 1 }).map((n) => ({ op: 'set' as const, path: f.path, val: json('x'.repeat(n)), label: `${at(f.path)} under its ${f.schema.minLength} characters` })),
  );
  choose(
    of((f) => f.schema.type === 'string' && f.schema.format !== 'binary'),
    (f) => fc.constantFrom('\u0000', 'a\u0000', '\u0000b', 'Nul\u0000Byte').map((value) => ({ op: 'set' as const, path: f.path, val: json(value), label: `a NUL character in ${at(f.path)}` })),
  );
  choose(
    of((f) => (f.schema.type === 'number' || f.schema.type === 'integer') && (f.schema.minimum !== undefined || f.schema.maximum !== undefined)),
    (f) => {
      const below = f.schema.minimum !== undefined ? [f.schema.minimum - 1, f.schema.minimum - 0.5, -1e308, rawNumber('-1e999')] : [];
      const above = f.schema.maximum !== undefined ? [f.schema.maximum + 1, f.schema.maximum + 0.5, 1e308, 2 ** 53 + 2, rawNumber('1e999')] : [];
      return sample([...below, ...above]).map((value) => ({ op: 'set' as const, path: f.path, val: json(value), label: `${at(f.path)} out of its range` }));
    },
  );
  choose(
    of((f) => Array.isArray(f.schema.enum)),
    (f) => notInEnum(f.schema.enum).map((value) => ({ op: 'set' as const, path: f.path, val: json(value), label: `${at(f.path)} not one of its values` })),
  );
  choose(
    of((f) => f.schema.format === 'uuid'),
    (f) => sample(NOT_UUIDS).map((value) => ({ op: 'set' as const, path: f.path, val: json(value), label: `${at(f.path)} not a UUID` })),
  );
  choose(
    of((f) => f.schema.type === 'array' && f.schema.items?.format === 'uuid'),
    (f) => sample(NOT_UUIDS).map((value) => ({ op: 'set' as const, path: f.path, val: json([ref('institution.home'), value]), label: `an item of ${at(f.path)} not a UUID` })),
  );
  // An id of no object of that kind (of nothing, or of another kind): the body gets past
  // validation and is refused by the service that looks it up.
  choose(
    of((f) => f.schema.format === 'uuid'),
    (f) => {
      const kind = kindOfField(f.name);
      const others = OBJECT_NAMES.filter((name) => kind !== null && OBJECTS[name] !== kind).map((name) => ref(name));
      return fc.oneof(strangerUuid, ...(others.length ? [sample(others)] : [])).map((value) => ({ op: 'set' as const, path: f.path, val: json(value), label: `${at(f.path)} the id of no ${kind ?? 'object'}` }));
    },
  );
  choose(
    of((f) => f.schema.type === 'array' && f.schema.items?.format === 'uuid'),
    (f) => strangerUuid.map((value) => ({ op: 'set' as const, path: f.path, val: json([ref('institution.home'), ref('institution.other'), value]), label: `an item of ${at(f.path)} the id of no object` })),
  );
  choose(
    of((f) => f.schema.format === 'date'),
    (f) => sample(INVALID_DATES).map((value) => ({ op: 'set' as const, path: f.path, val: json(value), label: `${at(f.path)} not a date` })),
  );
  choose(
    of((f) => f.schema.format === 'date-time'),
    (f) => sample(INVALID_DATE_TIMES).map((value) => ({ op: 'set' as const, path: f.path, val: json(value), label: `${at(f.path)} not a date-time` })),
  );
  choose(
    of((f) => f.schema.format === 'email'),
    (f) => sample(INVALID_EMAILS).map((value) => ({ op: 'set' as const, path: f.path, val: json(value), label: `${at(f.path)} not an e-mail address` })),
  );
  choose(
    of((f) => f.schema.type === 'array' && typeof f.schema.maxItems === 'number'),
    (f) =>
      validValue(f.schema.items ?? { type: 'string' }, f.name.replace(/s$/, '')).map((item) => ({
        op: 'set' as const,
        path: f.path,
        val: json(Array.from({ length: f.schema.maxItems + 1 }, () => item)),
        label: `${at(f.path)} over its ${f.schema.maxItems} items`,
      })),
  );
  choose(
    of((f) => f.schema.type === 'array' && (f.schema.minItems ?? 0) > 0),
    (f) => fc.constant({ op: 'set' as const, path: f.path, val: json([]), label: `${at(f.path)} under its ${f.schema.minItems} items` }),
  );
  return out;
}

/** Mutations that may or may not make the body invalid: nulls, odd strings, numbers and dates at the edges, other ids, fields left out. */
function otherMutations(schema: Schema): fc.Arbitrary<Mutation>[] {
  const fields = fieldsOf(schema);
  const out: fc.Arbitrary<Mutation>[] = [];
  const choose = (predicate: (field: Field) => boolean, make: (field: Field) => fc.Arbitrary<Mutation>) => {
    const list = fields.filter(predicate);
    if (list.length) out.push(sample(list).chain(make));
  };
  choose(
    () => true,
    (f) => fc.constant({ op: 'set' as const, path: f.path, val: json(null), label: `${at(f.path)} null` }),
  );
  // At the very limits that validation takes: what the columns behind it must hold too.
  choose(
    (f) => f.schema.type === 'string' && typeof f.schema.maxLength === 'number' && !f.schema.format && !f.schema.enum,
    (f) =>
      fc.constantFrom('x', 'é', 'Я', '😀', '\u00a0x', "'", '\\').map((unit) => ({
        op: 'set' as const,
        path: f.path,
        val: json(unit.repeat(Math.floor(f.schema.maxLength / unit.length)).slice(0, f.schema.maxLength)),
        label: `${at(f.path)} at its ${f.schema.maxLength} characters`,
      })),
  );
  choose(
    (f) => (f.schema.type === 'number' || f.schema.type === 'integer') && (f.schema.minimum !== undefined || f.schema.maximum !== undefined),
    (f) => sample([f.schema.minimum, f.schema.maximum].filter((n) => n !== undefined)).map((value) => ({ op: 'set' as const, path: f.path, val: json(value), label: `${at(f.path)} at its limit` })),
  );
  choose(
    (f) => f.schema.format === 'date' || f.schema.format === 'date-time',
    (f) =>
      sample(f.schema.format === 'date' ? ['1900-01-01', '2200-12-31'] : ['1900-01-01T00:00:00+14:00', '2200-12-31T23:59:59.999999-14:00', '2200-12-31T23:59:59Z']).map((value) => ({
        op: 'set' as const,
        path: f.path,
        val: json(value),
        label: `${at(f.path)} at the last or first day taken`,
      })),
  );
  choose(
    (f) => !f.required,
    (f) => fc.constant({ op: 'delete' as const, path: f.path, label: `${at(f.path)} left out` }),
  );
  choose(
    (f) => f.schema.type === 'string' && !f.schema.format && !f.schema.enum,
    (f) => fc.oneof({ weight: 4, arbitrary: anyString.map(json) }, { weight: 1, arbitrary: huge }).map((val) => ({ op: 'set' as const, path: f.path, val, label: `${at(f.path)} odd or huge` })),
  );
  choose(
    (f) => f.schema.type === 'number' || f.schema.type === 'integer',
    (f) => extremeNumber.map((value) => ({ op: 'set' as const, path: f.path, val: json(value), label: `${at(f.path)} an extreme number` })),
  );
  choose(
    (f) => f.schema.format === 'date' || f.schema.format === 'date-time',
    (f) => sample(f.schema.format === 'date' ? EDGE_DATES : EDGE_DATE_TIMES).map((value) => ({ op: 'set' as const, path: f.path, val: json(value), label: `${at(f.path)} a date far out` })),
  );
  choose(
    (f) => f.schema.format === 'uuid',
    (f) => fc.oneof(strangerUuid, sample(OBJECT_NAMES).map((name) => ref(name)), sample(OBJECT_NAMES).map((name) => ref(name, true))).map((value) => ({ op: 'set' as const, path: f.path, val: json(value), label: `${at(f.path)} another id` })),
  );
  choose(
    (f) => f.schema.type === 'array' && !f.schema.items?.properties,
    (f) =>
      fc
        .array(fc.oneof(anyString, validValue(f.schema.items ?? {}, kindOfField(f.name) ? f.name : '')), { maxLength: 30 })
        .map((value) => ({ op: 'set' as const, path: f.path, val: json(value), label: `${at(f.path)} odd items` })),
  );
  return out;
}

// ---------------------------------------------------------------------------------------
// Body-level defects

/** Content types a JSON route does not read. */
const OTHER_CONTENT_TYPES = ['text/plain', 'text/html', 'application/xml', 'application/x-www-form-urlencoded', 'application/octet-stream', 'image/png', 'multipart/form-data; boundary=x', 'application/javascript'];
/** JSON, written oddly: each may or may not be read. */
const ODD_JSON_TYPES = ['application/json; charset=utf-8', 'application/json; charset=UTF-8', 'APPLICATION/JSON', 'application/json;', 'application/json ; charset=utf-8', 'application/json; charset=latin1', 'application/json; boundary=x', 'application/vnd.api+json', 'application/merge-patch+json', ''];

// ---------------------------------------------------------------------------------------
// Multipart bodies (document uploads)

const PDF_MAGIC = '%PDF-1.4\n';
const PNG_MAGIC = '\x89PNG\r\n\x1a\n';
const JPEG_MAGIC = '\xff\xd8\xff\xe0';
const latin1 = fc.string({ unit: fc.integer({ min: 0, max: 255 }).map((code) => String.fromCharCode(code)), maxLength: 200 });
const fileContent = fc.oneof(
  { weight: 15, arbitrary: fc.tuple(fc.constantFrom(PDF_MAGIC, PNG_MAGIC, JPEG_MAGIC), latin1).map(([magic, rest]) => magic + rest) },
  { weight: 1, arbitrary: fc.constant({ huge: 10 * 1024 * 1024 + 1, ch: '%' }) },
);
const HOSTILE_FILE_NAMES = ['', '.', '..', '../../etc/passwd', '..\\..\\boot.ini', 'a\u0000.pdf', 'CON', 'passport.pdf.exe', 'passport.png', '"quoted".pdf', 'semi;colon.pdf', 'ünïcödé.pdf', '😀.pdf', 'a'.repeat(300) + '.pdf', ' .pdf', '\r\n.pdf'];

function multipartArbitrary(types: string[]) {
  const base = fc.record({
    type: fc.constantFrom(...types),
    fileName: fc.oneof({ weight: 3, arbitrary: fc.constantFrom('passport.pdf', 'scan.png', 'photo.jpg') }, { weight: 2, arbitrary: fc.constantFrom(...HOSTILE_FILE_NAMES) }, { weight: 1, arbitrary: unicodeString(20) }),
    partType: sometimes(fc.constantFrom('application/pdf', 'image/png', 'text/plain', 'application/x-msdownload', 'garbage/', ''), 2).map((value) => value ?? undefined),
    content: fileContent,
    fileFirst: fc.boolean(),
  });
  // Each breaks what an upload must be: exactly a `type` of the list and one PDF, PNG or JPEG `file`.
  const defect = fc.oneof(
    fc.record({ label: fc.constant('an unknown part'), name: fc.oneof(fc.constantFrom('comment', 'role', '__proto__', '', 'file[]', 'type '), unicodeString(10)), asFile: fc.boolean() }),
    fc.record({ label: fc.constant('no file') }),
    fc.record({ label: fc.constant('no type') }),
    fc.record({ label: fc.constant('a type not in the list'), value: notInEnum(types) }),
    fc.record({ label: fc.constant('the type twice'), value: fc.constantFrom(...types) }),
    fc.record({ label: fc.constant('two files') }),
    fc.record({ label: fc.constant('a file neither PDF, PNG nor JPEG'), content: latin1.map((rest) => `X${rest}`) }),
    fc.record({ label: fc.constant('no boundary in the content type') }),
    fc.record({ label: fc.constant('another boundary in the content type') }),
    fc.record({ label: fc.constant('an empty boundary in the content type') }),
    fc.record({ label: fc.constant('a boundary over 256 characters in the content type') }),
    fc.record({ label: fc.constant('multipart text sent as JSON') }),
  );
  return { base, defect };
}

type MultipartBase = { type: string; fileName: string; partType: string | undefined; content: string | Huge; fileFirst: boolean };
type MultipartDefect = { label: string; name?: string; asFile?: boolean; value?: string; content?: string };

function multipartBody(base: MultipartBase, defect: MultipartDefect | null): { body: BodySpec; label: string | null } {
  const typePart: Part = { name: 'type', fileName: null, content: base.type };
  const filePart: Part = { name: 'file', fileName: base.fileName, contentType: base.partType, content: base.content };
  let parts = base.fileFirst ? [filePart, typePart] : [typePart, filePart];
  let contentType: string | null = 'multipart/form-data; boundary=----fuzz-boundary';
  switch (defect?.label) {
    case 'an unknown part':
      parts = [...parts, { name: defect.name!, fileName: defect.asFile ? 'extra.pdf' : null, content: defect.asFile ? PDF_MAGIC : 'x' }];
      break;
    case 'no file':
      parts = parts.filter((part) => part !== filePart);
      break;
    case 'no type':
      parts = parts.filter((part) => part !== typePart);
      break;
    case 'a type not in the list':
      parts = parts.map((part) => (part === typePart ? { ...typePart, content: defect.value! } : part));
      break;
    case 'the type twice':
      parts = [...parts, { ...typePart, content: defect.value! }];
      break;
    case 'two files':
      parts = [...parts, { ...filePart, fileName: 'second.pdf', content: PDF_MAGIC }];
      break;
    case 'a file neither PDF, PNG nor JPEG':
      parts = parts.map((part) => (part === filePart ? { ...filePart, content: defect.content! } : part));
      break;
    case 'no boundary in the content type':
      contentType = 'multipart/form-data';
      break;
    case 'another boundary in the content type':
      contentType = 'multipart/form-data; boundary=----another-boundary';
      break;
    case 'an empty boundary in the content type':
      contentType = 'multipart/form-data; boundary=';
      break;
    case 'a boundary over 256 characters in the content type':
      contentType = `multipart/form-data; boundary=${'b'.repeat(300)}`;
      break;
    case 'multipart text sent as JSON':
      contentType = 'application/json';
      break;
  }
  return { body: { kind: 'multipart', contentType, parts }, label: defect ? `upload with ${defect.label}` : null };
}

// ---------------------------------------------------------------------------------------
// Path parameters

/**
 * Encodes as a client would, lone surrogates included (as the invalid UTF-8 they would be);
 * `⟪name⟫` tokens of the world are kept as they are, to be resolved when sent.
 */
export function encodeComponent(value: string): string {
  return value
    .split(/(⟪[^⟪⟫]+⟫)/)
    .map((piece) => (/^⟪[^⟪⟫]+⟫$/.test(piece) ? piece : encodePlain(piece)))
    .join('');
}

function encodePlain(value: string): string {
  let out = '';
  for (const char of value) {
    const code = char.codePointAt(0)!;
    if (code >= 0xd800 && code <= 0xdfff) out += `%ED%${(0xa0 | ((code >> 6) & 0x1f)).toString(16).toUpperCase()}%${(0x80 | (code & 0x3f)).toString(16).toUpperCase()}`;
    else out += encodeURIComponent(char);
  }
  return out;
}

/** Path segments, already encoded, that are no UUID whatever the server decodes. */
const HOSTILE_SEGMENTS = [
  '',
  '%20',
  '%2F',
  'a%2Fb',
  '%2e%2e',
  '..',
  '.',
  '%00',
  '%',
  '%zz',
  '%C0%AF',
  '%ED%A0%80',
  '%FF%FE',
  'null',
  'undefined',
  '-1',
  '1e9',
  '%7Bid%7D',
  '*',
  ';a=b',
  'a,b',
  '%27%20OR%20%271%27%3D%271',
  '%E2%80%AE',
  '%F0%9F%98%80',
];

function pathSegment(route: Route) {
  const own = route.idKind ? namesOfKind(route.idKind) : OBJECT_NAMES;
  const others = OBJECT_NAMES.filter((name) => !own.includes(name));
  const valid = fc.oneof({ weight: 5, arbitrary: sample(own).map((name) => ref(name)) }, { weight: 1, arbitrary: sample(own).map((name) => ref(name, true)) });
  const stranger = strangerUuid.map((value) => ({ value, label: 'a path id of no object' }));
  const notUuid = fc
    .oneof(
      sample(HOSTILE_SEGMENTS),
      sample(NOT_UUIDS).map(encodeComponent),
      unicodeString(20).map(encodeComponent),
      fc.constantFrom(101, 1_000, 9_000).map((n) => 'a'.repeat(n)),
      sample(own).map((name) => `${ref(name)}%00`),
      sample(own).map((name) => `${ref(name)}%2F`),
      sample(own).map((name) => `${ref(name)}x`),
    )
    .filter((value) => !/^⟪[^⟫]+⟫$/.test(value))
    .map((value) => ({ value, label: `a path id that is no UUID (${JSON.stringify(value.slice(0, 40))})` }));
  const otherKind = others.length ? [sample(others).map((name) => ({ value: ref(name), label: `a path id of another kind of object (${name})` }))] : [];
  return { valid, refusing: fc.oneof(stranger, notUuid, ...otherKind) };
}

// ---------------------------------------------------------------------------------------
// Query parameters

type Pair = [name: string, value: string];

/** A cursor as a client could forge one: base64url JSON of keys of any type, or not even that. */
const forgedCursor = fc.oneof(
  fc
    .array(
      fc.oneof(
        strangerUuid,
        fc.constantFrom('2027-09-01', '2027-09-01T10:00:00.000Z', '9999-12-31T23:59:59Z', '2025-13-01', '', '\u0000', 'x'.repeat(300), "' OR 1=1 --"),
        fc.constantFrom(0, -1, 1.5, 1e308, 2 ** 63, -0),
        fc.constantFrom(true, null, {}, [], ['nested']),
      ),
      { maxLength: 4 },
    )
    .map((values) => Buffer.from(JSON.stringify(values)).toString('base64url')),
  fc.base64String({ maxLength: 40 }),
  fc.constantFrom('abc', '!!!', '%00', 'W10', 'bnVsbA', 'e30', 'WyJ4Il0'),
);

function validQueryValue(param: QueryParam): fc.Arbitrary<string> {
  const schema = param.schema;
  if (param.name === 'cursor') return forgedCursor;
  if (Array.isArray(schema.enum)) return sample(schema.enum.map(String));
  if (schema.format === 'uuid') return idOf(/institution/i.test(param.name) ? 'institution' : kindOfField(param.name)) as fc.Arbitrary<string>;
  if (schema.format === 'date-time') return sample([...EDGE_DATE_TIMES, '2025-01-01T00:00:00Z']);
  if (schema.format === 'date') return sample(EDGE_DATES);
  if (schema.type === 'number' || schema.type === 'integer') return fc.integer({ min: schema.minimum ?? 0, max: schema.maximum ?? 100 }).map(String);
  if (param.name === 'from' || param.name === 'to') return sample([...EDGE_DATES, '2025-09-01', '2025-09-01T00:00:00Z']);
  if (param.name === 'open' || param.name === 'unread') return sample(['true', 'false']);
  if (param.name === 'academicYear') return sample(['2027/2028', '2025/2026']);
  return validValue(schema, param.name).map(String);
}

/** A value the parameter's schema rules out, for the parameters whose schema rules something out. */
function refusedQueryValue(param: QueryParam): fc.Arbitrary<string> | null {
  const schema = param.schema;
  if (Array.isArray(schema.enum)) return notInEnum(schema.enum).map(String);
  if (schema.format === 'uuid') return sample(NOT_UUIDS).filter((value) => value !== '');
  if (schema.format === 'date-time') return sample(INVALID_DATE_TIMES).filter((value) => value !== '');
  if (schema.format === 'date') return sample(INVALID_DATES).filter((value) => value !== '');
  if ((schema.type === 'number' || schema.type === 'integer') && schema.minimum !== undefined && schema.maximum !== undefined) {
    return sample([String(schema.minimum - 1), String(schema.maximum + 1), 'abc', '1.5', '-5', '99999999999999999999', 'Infinity', 'NaN', '0x10', '1,2']);
  }
  return null;
}

const hostileQueryValue = fc.oneof(
  { weight: 4, arbitrary: anyString.map(encodeComponent) },
  { weight: 3, arbitrary: sample(['%zz', '%', '%00', '%ED%A0%80', '+', '%2B', '&', '%26', '=', '%3D', '[]', "'%20OR%201=1--", '%5C', '%25', '_', '%25_%5C', 'a%5C%5C', '%22']) },
  { weight: 1, arbitrary: fc.constantFrom(1_000, 17_000).map((n) => 'x'.repeat(n)) },
  { weight: 2, arbitrary: extremeNumber.map((n) => (typeof n === 'number' ? String(n) : n.replace(/[⟪#⟫]/g, ''))) },
);

/** Whole fragments of a query string, written as they come. */
const RAW_FRAGMENTS = ['a[b]=1', 'a[]=1&a[]=2', '__proto__[x]=1', 'constructor[prototype][x]=1', '%zz=1', '=x', '&&&', 'limit', 'limit=', 'cursor=%00', 'x=' + 'y'.repeat(3000)];

// ---------------------------------------------------------------------------------------
// Headers and credentials

const headerChar = fc.integer({ min: 0x20, max: 0xff }).filter((code) => code !== 0x7f).map((code) => String.fromCharCode(code));
/** What a header can carry (no CR, LF or NUL): printable ASCII and Latin-1. */
const headerText = (maxLength = 60) => fc.string({ unit: headerChar, maxLength });
const bigHeader = fc.constantFrom(300, 9_000, 17_000).map((n) => 'k'.repeat(n));

const ACCEPT_LANGUAGES = ['*', 'ru', 'fr-FR,fr;q=0.9,en;q=0.8', 'de-DE', 'xx-YY', 'en;q=abc', 'ru;q=1.5', ';;;', ',', 'q=0', 'zh-Hant-TW-x-private', 'en-US,en;q=0.0', 'fr;q=-1', '-', 'EN-gb', 'i-klingon'];
const ACCEPTS = ['application/json', '*/*', 'text/csv', 'text/html', 'application/xml', 'application/problem+json', 'text/calendar', 'image/*', 'application/json;q=0', ';;;', 'garbage'];

/** Each header now and then; one request in a few dozen has headers over Node's 16 KiB limit. */
const headersArbitrary = (route: Route) =>
  fc.record({
    'accept-language': sometimes(fc.oneof({ weight: 8, arbitrary: sample(ACCEPT_LANGUAGES) }, { weight: 4, arbitrary: headerText() }, { weight: 1, arbitrary: bigHeader }), 3),
    accept: sometimes(fc.oneof(sample(ACCEPTS), headerText()), 4),
    'idempotency-key': route.method === 'POST' ? sometimes(fc.oneof({ weight: 3, arbitrary: fc.constantFrom('key-1', 'key-2') }, { weight: 3, arbitrary: headerText() }, { weight: 1, arbitrary: fc.constantFrom(256, 300, 9_000).map((n) => 'k'.repeat(n)) }, { weight: 2, arbitrary: fc.constantFrom('has spaces', 'naïve-key', '') }), 3) : fc.constant(null),
    'x-request-id': sometimes(fc.oneof(headerText(), fc.constant('x'.repeat(101))), 6),
    'x-forwarded-for': sometimes(fc.oneof(headerText(), fc.constantFrom('127.0.0.1', '::1', '1.2.3.4, 5.6.7.8', 'unknown')), 8),
    cookie: sometimes(fc.oneof(headerText(), fc.constantFrom('session=x', 'exchange_session=%00; _csrf=1', '__proto__=1')), 8),
    origin: sometimes(fc.constantFrom('https://evil.example', 'null'), 10),
  });

const TOKENS = ['student', 'coordinator', 'host_school', 'host_family', 'admin'].map((role) => ref(`token.${role}`));

/** Credentials the API must refuse: no scheme, another scheme, a token that is broken, forged, expired, of nobody. */
function refusedCredentials(role: Role): fc.Arbitrary<{ auth: AuthSpec; label: string }> {
  const own = role === 'anonymous' ? ref('token.student') : ref(`token.${role}`);
  const sub = role === 'anonymous' ? ref('user.student') : ref(`user.${role}`);
  const claims = { sub, role: 'admin' };
  const header = (value: string, label: string) => ({ auth: { kind: 'header' as const, value }, label: `Authorization: ${label}` });
  const jwt = (spec: Omit<Extract<AuthSpec, { kind: 'jwt' }>, 'kind' | 'scheme'>, label: string) => ({ auth: { kind: 'jwt' as const, scheme: 'Bearer', ...spec }, label: `a token ${label}` });
  return fc.oneof(
    sample([
      header('Bearer', 'a scheme without token'),
      header('Bearer ', 'a scheme without token'),
      header('Basic dXNlcjpwYXNz', 'Basic'),
      header(`Token ${own}`, 'another scheme'),
      header(own, 'a token without scheme'),
      header(`Bearer ${own}x`, 'a token with a broken signature'),
      header(`Bearer ${own}.x`, 'a token of four parts'),
      header('Bearer x.y.z', 'a token that is no JWT'),
      header('Bearer ' + 'a'.repeat(5000), 'a huge token'),
      header('Bearer eyJhbGciOiJub25lIn0.eyJzdWIiOiJ4In0.', 'alg none'),
      jwt({ alg: 'HS256', secret: 'wrong', claims, expiresInSeconds: 600 }, 'signed with another key'),
      jwt({ alg: 'none', secret: 'right', claims, expiresInSeconds: 600 }, 'without signature (alg none)'),
      jwt({ alg: 'HS512', secret: 'right', claims, expiresInSeconds: 600 }, 'signed with HS512'),
      jwt({ alg: 'HS256', secret: 'right', claims, expiresInSeconds: -60 }, 'that has expired'),
      jwt({ alg: 'HS256', secret: 'right', claims: { ...claims, aud: 'someone-else' }, expiresInSeconds: 600 }, 'for another audience'),
      jwt({ alg: 'HS256', secret: 'right', claims: { ...claims, iss: 'someone-else' }, expiresInSeconds: 600 }, 'of another issuer'),
      jwt({ alg: 'HS256', secret: 'right', claims: { ...claims, nbf: 4_102_444_800 }, expiresInSeconds: 600 }, 'not valid before 2100'),
      jwt({ alg: 'HS256', secret: 'right', claims: { role: 'admin' }, expiresInSeconds: 600 }, 'of no subject'),
      jwt({ alg: 'HS256', secret: 'right', claims: { sub: 'admin', role: 'admin' }, expiresInSeconds: 600 }, 'whose subject is no UUID'),
      jwt({ alg: 'HS256', secret: 'right', claims: { sub: 42 }, expiresInSeconds: 600 }, 'whose subject is a number'),
      jwt({ alg: 'HS256', secret: 'right', claims: { sub: '3f0d1a52-8c4e-4d8b-9a51-6f2b7c9e0d14', role: 'admin' }, expiresInSeconds: 600 }, 'of nobody'),
    ]),
    headerText(80)
      .filter((value) => !/^\s*bearer\s+\S+\s*$/i.test(value))
      .map((value) => header(value, 'garbage')),
  );
}

/** Credentials that are odd but may be good: another case, more spaces, another user's token, a role claim that lies. */
function oddCredentials(role: Exclude<Role, 'anonymous'>): fc.Arbitrary<AuthSpec> {
  const own = ref(`token.${role}`);
  return fc.oneof(
    fc.constant({ kind: 'header' as const, value: `bearer ${own}` }),
    fc.constant({ kind: 'header' as const, value: `Bearer   ${own}` }),
    sample(TOKENS).map((token) => ({ kind: 'header' as const, value: `Bearer ${token}` })),
    fc.constant({ kind: 'jwt' as const, scheme: 'Bearer', alg: 'HS256' as const, secret: 'right' as const, claims: { sub: ref(`user.${role}`), role: 'admin' }, expiresInSeconds: 600 }),
  );
}

// ---------------------------------------------------------------------------------------
// The request of a route and a role

type Defect =
  | { where: 'body'; mutation: Mutation }
  | { where: 'text'; how: 'not an object' | 'malformed JSON' | 'empty' }
  | { where: 'content-type'; value: string }
  | { where: 'upload'; defect: MultipartDefect }
  | { where: 'path'; index: number; value: string; label: string }
  | { where: 'query'; pair: Pair; label: string }
  | { where: 'auth'; auth: AuthSpec; label: string };

/**
 * Transitions that the state of an object of the world rules out, whoever asks (SPEC
 * section 4 for applications; a programme is published from draft and closed once
 * published; a placement is accepted or declined while proposed). The world never changes
 * (every request that could change it is refused), so these objects stay in these states:
 * with a body that is otherwise valid, such a request gets through validation to the
 * lifecycle, which must refuse it (403, 404 or 409) and write nothing.
 */
const RULED_OUT_BY_STATE: Record<string, string[]> = {
  'POST /api/v1/applications/{id}/submit': ['application.submitted', 'application.accepted', 'application.arrived'],
  'POST /api/v1/applications/{id}/nominate': ['application.draft', 'application.accepted', 'application.arrived'],
  'POST /api/v1/applications/{id}/reject': ['application.draft', 'application.accepted', 'application.arrived'],
  'POST /api/v1/applications/{id}/accept': ['application.draft', 'application.submitted', 'application.accepted', 'application.arrived'],
  'POST /api/v1/applications/{id}/waitlist': ['application.draft', 'application.submitted', 'application.accepted', 'application.arrived'],
  'POST /api/v1/applications/{id}/confirm': ['application.draft', 'application.submitted', 'application.arrived'],
  'POST /api/v1/applications/{id}/decline': ['application.draft', 'application.submitted', 'application.arrived'],
  'POST /api/v1/applications/{id}/withdraw': ['application.arrived'],
  'POST /api/v1/applications/{id}/cancel': ['application.draft'],
  'POST /api/v1/applications/{id}/check-in': ['application.draft', 'application.submitted', 'application.accepted', 'application.arrived'],
  'POST /api/v1/applications/{id}/complete': ['application.draft', 'application.submitted', 'application.accepted'],
  'POST /api/v1/programs/{id}/publish': ['program.outgoing', 'program.incoming'],
  'POST /api/v1/programs/{id}/close': ['program.draft'],
  'POST /api/v1/placements/{id}/accept': ['placement.accepted'],
  'POST /api/v1/placements/{id}/decline': ['placement.accepted'],
};

/**
 * Routes whose success changes nothing that the other requests rely on (no lifecycle
 * state, no session, no object of RULED_OUT_BY_STATE), with the objects they may change
 * (null: no path id). One request in three to them carries no defect and may be served,
 * with values up to the limits validation takes (edits and creations reach the database
 * whole: a column shorter than its DTO's limit, a value PostgreSQL cannot hold...). After
 * a success the checksums are taken again; the world grows or its editable objects change,
 * so a replay of such a request may meet them in another state than the first time.
 */
const MAY_SUCCEED: Record<string, string[] | null> = {
  'PATCH /api/v1/me': null,
  'POST /api/v1/institutions': null,
  'PATCH /api/v1/institutions/{id}': ['institution.other'],
  'POST /api/v1/users': null,
  'POST /api/v1/auth/register': null,
  'POST /api/v1/agreements': null,
  'PATCH /api/v1/agreements/{id}': ['agreement.draft'],
  'POST /api/v1/programs': null,
  'PATCH /api/v1/programs/{id}': ['program.draft'],
  'PATCH /api/v1/applications/{id}': ['application.draft'],
  'PUT /api/v1/applications/{id}/travel': ['application.accepted', 'application.arrived'],
  'PUT /api/v1/applications/{id}/learning-agreement': ['application.accepted'],
  'POST /api/v1/host-families': null,
  'PATCH /api/v1/host-families/{id}': ['hostFamily.pending'],
  'POST /api/v1/checklist-items/{id}/complete': ['checklistItem.first', 'checklistItem.last'],
  'POST /api/v1/notifications/{id}/read': ['notification.coordinator', 'notification.host_family', 'notification.otherStudent'],
  'POST /api/v1/notifications/read-all': null,
};

/** Variations of the route's own path: case, encoding, slashes. Each may route elsewhere (404) or to the same route. */
const PATH_STYLES = ['as documented', 'trailing slash', 'double slash', 'upper case', 'percent-encoded letter'] as const;

function styled(path: string, style: (typeof PATH_STYLES)[number]): string {
  switch (style) {
    case 'trailing slash':
      return `${path}/`;
    case 'double slash':
      return path.replace('/api/v1/', '/api/v1//');
    case 'upper case':
      return path.replace('/api/v1/', '/API/V1/');
    case 'percent-encoded letter':
      return path.replace(/\/api\/v1\/([a-z])/, (_, letter: string) => `/api/v1/%${letter.charCodeAt(0).toString(16).toUpperCase()}`);
    default:
      return path;
  }
}

export function requestArbitrary(route: Route, role: Role): fc.Arbitrary<FuzzRequest> {
  const segments = route.pathParams.map(() => pathSegment(route));
  const schema = route.body;
  const extrasOf = schema ? otherMutations(schema) : [];
  const refusingOf = schema ? refusingMutations(schema) : [];
  const upload = route.multipart ? multipartArbitrary((route.multipart.properties?.type?.enum as string[]) ?? ['passport']) : null;

  // Every defect the route can be given, each one that the API must refuse it for.
  const defects: fc.Arbitrary<Defect>[] = [];
  if (schema) {
    for (const mutation of refusingOf) defects.push(mutation.map((m) => ({ where: 'body' as const, mutation: m })));
    defects.push(fc.constantFrom(...OTHER_CONTENT_TYPES).map((value) => ({ where: 'content-type' as const, value })));
    defects.push(fc.constantFrom('empty' as const, 'not an object' as const, 'malformed JSON' as const).map((how) => ({ where: 'text' as const, how })));
  }
  if (upload) defects.push(upload.defect.map((defect) => ({ where: 'upload' as const, defect })));
  segments.forEach((segment, index) => defects.push(segment.refusing.map(({ value, label }) => ({ where: 'path' as const, index, value, label }))));
  const ruledOut = RULED_OUT_BY_STATE[`${route.method} ${route.template}`];
  if (ruledOut) {
    // As likely as all the other defects together: the lifecycle is where the depth is.
    const transition = route.template.split('/').pop();
    const byState = sample(ruledOut).map((name) => ({ where: 'path' as const, index: 0, value: ref(name), label: `${transition} of ${name}, whose state rules it out` }));
    for (let i = 0, n = defects.length; i < n; i++) defects.push(byState);
  }
  if (route.query.length) {
    const names = new Set(route.query.map((p) => p.name));
    defects.push(
      fc
        .tuple(fc.oneof(fc.constantFrom('notAParameter', 'role', 'userId', '__proto__', 'constructor', 'toString', 'LIMIT', 'limit ', 'unread[]'), fc.string({ unit: 'grapheme-ascii', minLength: 1, maxLength: 10 })), fc.oneof(fc.constant('1'), anyString))
        .filter(([name]) => !names.has(name))
        .map(([name, value]) => ({ where: 'query' as const, pair: [encodeComponent(name), encodeComponent(value)] as Pair, label: `unknown query parameter ${JSON.stringify(name)}` })),
    );
    for (const param of route.query) {
      const refused = refusedQueryValue(param);
      if (refused) defects.push(refused.map((value) => ({ where: 'query' as const, pair: [param.name, encodeComponent(value)] as Pair, label: `?${param.name} not a valid value` })));
    }
  }
  if (route.secured) defects.push(refusedCredentials(role).map(({ auth, label }) => ({ where: 'auth' as const, auth, label })));

  // Without a token a secured route is refused anyway; anything else that is not a GET carries a defect.
  const anonymousOnSecured = route.secured && role === 'anonymous';
  const editable = MAY_SUCCEED[`${route.method} ${route.template}`];
  const mayServe = route.safe || anonymousOnSecured || editable !== undefined;
  const anyDefect = defects.length ? fc.oneof(...defects) : null;
  const defect: fc.Arbitrary<Defect | null> =
    anyDefect === null
      ? fc.constant(null)
      : !mayServe
        ? anyDefect
        : route.safe || anonymousOnSecured
          ? sometimes(anyDefect, 2)
          : fc.oneof({ weight: 2, arbitrary: anyDefect }, { weight: 1, arbitrary: fc.constant(null) });
  // Served, an edit only changes the objects listed for it.
  const validSegments = editable ? segments.map(() => sample(editable).map((name) => ref(name))) : segments.map((segment) => segment.valid);

  // Each documented parameter one time in two (a hostile value one time in five), a
  // parameter given twice or an unknown one now and then, a raw fragment rarely.
  const queryPairs = fc.tuple(
    fc.tuple(...route.query.map((param) => sometimes(fc.oneof({ weight: 4, arbitrary: validQueryValue(param) }, { weight: 1, arbitrary: hostileQueryValue.map((v) => ({ raw: v })) }), 2))),
    sometimes(
      fc.array(
        fc.oneof(
          ...(route.query.length ? [sample(route.query.map((p) => p.name)).chain((name) => fc.tuple(fc.constant(name), fc.oneof(hostileQueryValue, fc.constant('1'))))] : []),
          fc.tuple(fc.constantFrom('x', 'debug'), hostileQueryValue),
        ),
        { minLength: 1, maxLength: 3 },
      ),
      5,
    ),
    sometimes(sample(RAW_FRAGMENTS), 10),
  );

  return fc
    .record({
      defect,
      segments: fc.tuple(...validSegments),
      pathStyle: fc.oneof({ weight: 15, arbitrary: fc.constant('as documented' as const) }, { weight: 1, arbitrary: fc.constantFrom(...PATH_STYLES) }),
      query: queryPairs,
      headers: headersArbitrary(route),
      // Anonymous stays anonymous (but for the refused credentials of a defect).
      auth:
        role === 'anonymous'
          ? fc.constant({ kind: 'none' } as AuthSpec)
          : fc.oneof({ weight: 12, arbitrary: fc.constant({ kind: 'own' } as AuthSpec) }, { weight: 1, arbitrary: oddCredentials(role) }, { weight: 1, arbitrary: fc.constant({ kind: 'none' } as AuthSpec) }),
      base: schema ? validValue(schema) : fc.constant(null),
      extras: extrasOf.length ? fc.array(fc.oneof(...extrasOf), { maxLength: 3 }) : fc.constant([] as Mutation[]),
      contentType: fc.oneof({ weight: 8, arbitrary: fc.constant('application/json') }, { weight: 1, arbitrary: fc.constantFrom(...ODD_JSON_TYPES) }),
      textDefect: fc.record({ notObject: fc.nat(), malformed: fc.nat() }),
      upload: upload ? upload.base.map((b) => b as MultipartBase | null) : fc.constant(null),
    })
    .map((draft) => {
      const mustRefuse: string[] = [];
      const d = draft.defect;
      if (anonymousOnSecured) mustRefuse.push('no credentials on a route that needs them');

      // path
      const values = [...draft.segments];
      if (d?.where === 'path') {
        values[d.index] = d.value;
        mustRefuse.push(d.label);
      }
      let i = 0;
      const path = styled(
        route.template.replace(/\{[^}]+\}/g, () => values[i++]),
        draft.pathStyle,
      );

      // query
      const pairs: Pair[] = [];
      const [documented, extra, fragment] = draft.query;
      route.query.forEach((param, index) => {
        const value = documented[index];
        if (value === null) return;
        pairs.push([param.name, typeof value === 'string' ? encodeComponent(value) : value.raw]);
      });
      for (const [name, value] of extra ?? []) pairs.push([encodeComponent(name), value]);
      if (d?.where === 'query') {
        pairs.push(d.pair);
        mustRefuse.push(d.label);
      }
      let query = pairs.map(([name, value]) => `${name}=${value}`).join('&');
      if (fragment) query = query ? `${query}&${fragment}` : fragment;

      // headers
      const headers: Record<string, string> = {};
      for (const [name, value] of Object.entries(draft.headers)) if (value !== null && value !== '') headers[name] = value;

      // credentials
      let auth = draft.auth;
      if (route.secured && auth.kind === 'none' && !anonymousOnSecured) mustRefuse.push('no credentials on a route that needs them');
      if (d?.where === 'auth') {
        auth = d.auth;
        mustRefuse.push(d.label);
      }

      // body
      let body: BodySpec | null = null;
      if (schema) {
        const value = copy(draft.base) as Record<string, unknown>;
        for (const mutation of draft.extras) applyMutation(value, mutation);
        if (d?.where === 'body') {
          applyMutation(value, d.mutation);
          mustRefuse.push(d.mutation.label);
        }
        let text = jsonText(value);
        let contentType: string | null = draft.contentType || null;
        if (d?.where === 'text') {
          if (d.how === 'empty') text = '';
          else {
            const choices = d.how === 'not an object' ? ['[]', '[{}]', '"a string"', '0', '-1', 'true', 'null', `[${text}]`, JSON.stringify(text)] : malformedOf(text);
            text = choices[(d.how === 'not an object' ? draft.textDefect.notObject : draft.textDefect.malformed) % choices.length];
          }
          contentType = 'application/json';
          mustRefuse.push(d.how === 'empty' ? 'an empty JSON body' : `a body that is ${d.how === 'not an object' ? 'not a JSON object' : 'malformed JSON'}`);
        }
        if (d?.where === 'content-type') {
          contentType = d.value;
          mustRefuse.push(`a ${d.value} body`);
        }
        body = { kind: 'text', contentType, text };
      } else if (upload && draft.upload) {
        const built = multipartBody(draft.upload, d?.where === 'upload' ? d.defect : null);
        body = built.body;
        if (built.label) mustRefuse.push(built.label);
      }
      return { role, method: route.method, path, query, headers, auth, body, mustRefuse };
    });
}

function malformedOf(text: string): string[] {
  return ['{', '{"a":', '{"a":1,}', "{'a':1}", '{"a":01}', '{"a":"\\x"}', '{"a":"\t"}', 'undefined', 'NaN', `${text}}`, `${text}x`, text.slice(0, -1), `${text.slice(0, -1)},}`, `{}${text}`, `\u0000${text}`];
}
