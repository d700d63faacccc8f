/**
 * Values for the fuzzer: those a route's schema documents (the base a hostile request is
 * made from, so that it gets past the first checks) and the hostile ones put in their
 * place. Every string here is what a client could send; none is built from the time of
 * day, so that a seed gives the same values on every run.
 */
import fc from 'fast-check';
import { ACADEMIC_YEAR, YEAR } from '../harness/partnerships.js';
import { namesOfKind, OBJECT_NAMES, ref, type Kind } from './world.js';
import type { Schema } from './openapi.js';

/** A UUID of no object of the world. */
export const STRANGER_UUID = '3f0d1a52-8c4e-4d8b-9a51-6f2b7c9e0d14';

// ---------------------------------------------------------------------------------------
// Strings

/** Strings that have broken servers: control and invisible characters, scripts, injections, lone surrogates. */
export const NASTY_STRINGS = [
  '',
  ' ',
  '\t',
  '\n',
  '\r\n',
  '\u0000',
  'a\u0000b',
  '\u0007\u001b[31m',
  '\u00a0',
  '\u2028\u2029',
  '\u200b\u200c\u200d',
  '\ufeff',
  '\ufffe\uffff',
  '\ud800',
  'a\udfffb',
  '\u202eevil',
  'Z̤͔ͧ̑̓ä͖̭̈̇lͮ̒ͫǫ̦̖',
  '👩‍👩‍👧‍👦🏳️‍🌈',
  '𝔘𝔫𝔦𝔠𝔬𝔡𝔢',
  'ﷺ',
  'Краснодар',
  'Ünïcödé Straße',
  '日本語テキスト',
  'null',
  'undefined',
  'true',
  'NaN',
  '-0',
  '1e309',
  "' OR '1'='1",
  '1; DROP TABLE users --',
  '$1',
  '\\',
  '\\u0000',
  '%00',
  '%s%s%s%n',
  '${7*7}',
  '{{7*7}}',
  '<%= 7*7 %>',
  '<script>alert(1)</script>',
  '../../../../etc/passwd',
  '..\\..\\windows\\win.ini',
  'file:///etc/passwd',
  'http://169.254.169.254/',
  '__proto__',
  'constructor',
  '{"$gt":""}',
];

export const unicodeString = (maxLength = 40) => fc.oneof(fc.string({ unit: 'binary', maxLength }), fc.string({ unit: 'grapheme', maxLength }));

/** A string of `n` times `ch`, made when the request is assembled (the generated value stays small). */
export interface Huge {
  huge: number;
  ch: string;
}
export const hugeSizes = fc.constantFrom(256, 2_001, 20_001, 70_000, 1_100_000);
export const huge = fc.record({ huge: hugeSizes, ch: fc.constantFrom('x', 'é', '😀', '\u0000', '\\', '"') });

export const anyString = fc.oneof(
  { weight: 3, arbitrary: fc.constantFrom(...NASTY_STRINGS) },
  { weight: 3, arbitrary: unicodeString() },
  { weight: 1, arbitrary: fc.string({ maxLength: 12 }) },
);

// ---------------------------------------------------------------------------------------
// Numbers

/** Numbers that JSON can carry, at the edges. */
export const EXTREME_NUMBERS = [0, -0, -1, 1.5, 0.1, 1e21, 1e308, -1e308, 5e-324, 2 ** 31, 2 ** 31 - 1, -(2 ** 31), 2 ** 32, 2 ** 53, 2 ** 53 + 2, 2 ** 63, 2 ** 64];
/** Number literals JSON.stringify cannot write, put in the body's text as they are (`⟪#1e999⟫`). */
export const RAW_NUMBERS = ['1e999', '-1e999', '1E400', '123456789012345678901234567890', '-0.0', '0e0', '1.0e-400'];
export const rawNumber = (literal: string) => `⟪#${literal}⟫`;

export const extremeNumber = fc.oneof(fc.constantFrom(...EXTREME_NUMBERS), fc.constantFrom(...RAW_NUMBERS).map(rawNumber), fc.double({ noNaN: true, noDefaultInfinity: true }));

// ---------------------------------------------------------------------------------------
// Dates

export const VALID_DATES = [`${YEAR}-09-01`, `${YEAR}-10-15`, `${YEAR + 1}-01-31`, `${YEAR - 1}-12-31`, '2000-05-01', '2024-02-29'];
export const VALID_DATE_TIMES = [`${YEAR}-09-01T14:35:00+03:00`, `${YEAR}-06-30T21:59:59Z`, `${YEAR - 1}-11-05T08:00:00.000Z`, '2020-01-01T00:00:00Z'];
/** Dates that are valid but far out: the year 1, 9999, the epoch, 2038. */
export const EDGE_DATES = ['0001-01-01', '1900-01-01', '1970-01-01', '2038-01-19', '2200-12-31', '2201-01-01', '9999-12-31', '1582-10-10', '+275760-09-13', '-000001-01-01'];
export const EDGE_DATE_TIMES = [
  '0001-01-01T00:00:00Z',
  '9999-12-31T23:59:59.999Z',
  '1970-01-01T00:00:00Z',
  '2038-01-19T03:14:08Z',
  '2200-12-31T23:59:59-23:59',
  '1900-01-01T00:00:00+23:59',
  '+275760-09-13T00:00:00.000Z',
  '-271821-04-20T00:00:00.000Z',
  `${YEAR}-09-01T00:00:00+14:00`,
  `${YEAR}-09-01T00:00:00-12:00`,
  `${YEAR}-09-01T00:00:00.123456+01:00`,
  `${YEAR}-09-01`,
];

/** Not a date, whatever the parser: impossible days and months, other formats. */
export const INVALID_DATES = [
  '2023-02-29',
  '2024-02-30',
  '2025-04-31',
  '2025-13-01',
  '2025-00-10',
  '2025-01-00',
  '2025-01-32',
  '0000-00-00',
  '2025-1-1',
  '25-01-01',
  '2025/01/01',
  '01.02.2025',
  '2025-01-01x',
  ' 2025-01-01',
  'today',
  '',
  '20250101',
  '２０２５-01-01',
  '2025-W01-1',
];
export const INVALID_DATE_TIMES = [
  '2025-02-30T10:00:00Z',
  '2025-13-01T10:00:00Z',
  '2025-01-01T25:00:00Z',
  '2025-01-01T10:60:00Z',
  '2025-01-01T10:00:61Z',
  '2025-01-01T10:00:00+25:00',
  '2025-01-01TT10:00:00Z',
  'yesterday',
  '',
  'Mon, 01 Jan 2025 10:00:00 GMT',
];

// ---------------------------------------------------------------------------------------
// Ids and e-mails

/** Strings that are not UUIDs, whatever is done to them (trimmed, decoded, lower-cased). */
export const NOT_UUIDS = [
  '',
  '0',
  '-1',
  'null',
  'undefined',
  '1 OR 1=1',
  STRANGER_UUID.replace(/-/g, ''),
  `{${STRANGER_UUID}}`,
  `${STRANGER_UUID}x`,
  STRANGER_UUID.slice(0, -1),
  STRANGER_UUID.replace(/-/g, '_'),
  `urn:uuid:${STRANGER_UUID}`,
  'zzzzzzzz-zzzz-zzzz-zzzz-zzzzzzzzzzzz',
  `${STRANGER_UUID}\u0000`,
  `${STRANGER_UUID} `,
];

/** Ids of nothing: random, nil, max. */
export const strangerUuid = fc.oneof(fc.uuid(), fc.constantFrom('00000000-0000-0000-0000-000000000000', 'ffffffff-ffff-ffff-ffff-ffffffffffff', STRANGER_UUID));

/** A body id field's kind, by its name. */
export function kindOfField(name: string): Kind | null {
  if (/institution/i.test(name)) return 'institution';
  if (/^programId$/.test(name)) return 'program';
  if (/^applicationId$/.test(name)) return 'application';
  if (/^hostFamilyId$/.test(name)) return 'hostFamily';
  if (/^agreementId$/.test(name)) return 'agreement';
  return null;
}

/** An id as a client would send it: an object of the right kind mostly, of another kind, or of nothing. */
export function idOf(kind: Kind | null) {
  const right = kind ? namesOfKind(kind) : [];
  return fc.oneof(
    ...(right.length ? [{ weight: 6, arbitrary: fc.constantFrom(...right).map((name) => ref(name)) }] : []),
    { weight: 1, arbitrary: fc.constantFrom(...OBJECT_NAMES).map((name) => ref(name)) },
    { weight: 1, arbitrary: strangerUuid },
  );
}

export const INVALID_EMAILS = ['', 'a', 'a@', '@example.org', 'a@b', 'a b@example.org', 'a@@example.org', 'a@example..org', 'a@-example.org', '<a@example.org>'];
export const email = fc.oneof(
  { weight: 3, arbitrary: fc.constantFrom('student', 'coordinator', 'host_school', 'host_family', 'admin').map((role) => ref(`email.${role}`)) },
  { weight: 1, arbitrary: fc.emailAddress() },
  { weight: 1, arbitrary: fc.constantFrom('ÜSER@EXAMPLE.ORG', 'user+tag@example.org', 'user@xn--bcher-kva.example', 'почта@пример.рф', `${'a'.repeat(64)}@${'b'.repeat(180)}.org`) },
);

// ---------------------------------------------------------------------------------------
// Values a schema documents

const COUNTRIES = ['FR', 'RU', 'DE', 'fr', 'XX', 'GB'];
const TIMEZONES = ['Europe/Paris', 'Europe/Moscow', 'Europe/Berlin', 'UTC', 'Mars/Olympus_Mons'];
const LANGUAGES = ['fr', 'ru', 'de', 'en', 'FR', 'xx'];

/** A value of the schema, as a well-meaning client would write it (a few odd but possible ones included). */
export function validValue(schema: Schema, name = '', depth = 0): fc.Arbitrary<unknown> {
  if (Array.isArray(schema.enum)) return fc.constantFrom(...(schema.enum as unknown[]));
  switch (schema.type) {
    case 'string':
      return validString(schema, name);
    case 'number':
    case 'integer':
      return fc.integer({ min: Math.ceil(schema.minimum ?? 0), max: Math.floor(schema.maximum ?? 100) });
    case 'boolean':
      return fc.boolean();
    case 'array': {
      const min = schema.minItems ?? 0;
      return fc.array(validValue(schema.items ?? { type: 'string' }, singular(name), depth + 1), { minLength: min, maxLength: Math.max(min, 2) });
    }
    case 'object':
    default:
      if (schema.properties && depth < 4) return validObject(schema, depth);
      return fc.constant(schema.example ?? {});
  }
}

const singular = (name: string) => (name.endsWith('Ids') ? name.slice(0, -1) : name);

function validString(schema: Schema, name: string): fc.Arbitrary<unknown> {
  switch (schema.format) {
    case 'uuid':
      return idOf(kindOfField(name));
    case 'date':
      return fc.constantFrom(...VALID_DATES);
    case 'date-time':
      return fc.constantFrom(...VALID_DATE_TIMES);
    case 'email':
      return email;
  }
  if (/password/i.test(name)) return fc.constantFrom(ref('password'), 'another-long-password', 'пароль-достаточно-длинный');
  if (/token/i.test(name)) return fc.oneof(fc.constantFrom('student', 'coordinator', 'admin').map((role) => ref(`refresh.${role}`)), fc.base64String({ minLength: 4, maxLength: 64 }));
  if (/country/i.test(name)) return fc.constantFrom(...COUNTRIES);
  if (/timezone/i.test(name)) return fc.constantFrom(...TIMEZONES);
  if (/academicYear/.test(name)) return fc.constantFrom(ACADEMIC_YEAR, '2027/2029', '2027-2028');
  if (/^languages?$/.test(name)) return fc.constantFrom(...LANGUAGES);
  const max = Math.min(schema.maxLength ?? 30, 30);
  const min = Math.min(schema.minLength ?? 0, max);
  return fc.oneof({ weight: 4, arbitrary: fc.string({ minLength: Math.max(min, 1), maxLength: Math.max(max, 1) }) }, { weight: 1, arbitrary: fc.string({ unit: 'grapheme', minLength: min, maxLength: max }) });
}

function validObject(schema: Schema, depth: number): fc.Arbitrary<Record<string, unknown>> {
  const properties = schema.properties as Record<string, Schema>;
  const required = new Set<string>((schema.required as string[]) ?? []);
  const model: Record<string, fc.Arbitrary<unknown>> = {};
  for (const [name, child] of Object.entries(properties)) {
    if (child.format === 'binary') continue;
    model[name] = validValue(child, name, depth + 1);
  }
  return fc.record(model, { requiredKeys: Object.keys(model).filter((name) => required.has(name)) }) as fc.Arbitrary<Record<string, unknown>>;
}

/** A value of another JSON type than the schema's (never null: some fields take it). */
export function wrongType(schema: Schema): fc.Arbitrary<unknown> {
  const candidates: fc.Arbitrary<unknown>[] = [];
  const type = schema.type ?? (schema.properties ? 'object' : undefined);
  if (type !== 'string') candidates.push(fc.oneof(anyString, fc.constantFrom('1', 'true', '2025-01-01', STRANGER_UUID)));
  if (type !== 'number' && type !== 'integer') candidates.push(fc.oneof(fc.constantFrom(0, 1, -1, 1.5), extremeNumber));
  if (type !== 'boolean') candidates.push(fc.boolean());
  if (type !== 'array' && type !== 'object') candidates.push(fc.constantFrom([], [1], ['a', 'b'], [{}]));
  if (type !== 'object' && type !== 'array') candidates.push(fc.constantFrom({}, { a: 1 }, { value: 'x' }));
  return fc.oneof(...candidates);
}

/** A string the enum does not list: other words, other cases, padding. */
export function notInEnum(values: unknown[]) {
  const strings = values.map(String);
  return fc
    .oneof(
      fc.constantFrom(...strings).map((v) => v.toUpperCase()),
      fc.constantFrom(...strings).map((v) => ` ${v}`),
      fc.constantFrom(...strings).map((v) => `${v}\u0000`),
      fc.constantFrom(...strings).map((v) => `${v}s`),
      anyString,
    )
    .filter((v) => !strings.includes(v));
}
