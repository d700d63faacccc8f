import { Injectable, ValidationPipe, type ArgumentMetadata, type ValidationError } from '@nestjs/common';
import { getMetadataStorage } from 'class-validator';
import { CommonErrors, type FieldError } from '../errors/domain-error.js';
import { UUID } from './uuid.js';

/**
 * The values that the catalogue's templates name ({min}, {max}, {values}), read from the
 * constraint's own arguments: without them a message would show its raw placeholders.
 */
function constraintParams(target: object | undefined, property: string, key: string): Record<string, string | number> {
  if (!target) return {};
  const metadata = getMetadataStorage()
    .getTargetValidationMetadatas(target.constructor, '', true, false)
    .find((m) => m.propertyName === property && m.name === key);
  const args = (metadata?.constraints ?? []) as unknown[];
  switch (key) {
    case 'isLength':
      return { min: args[0] as number, max: args[1] as number };
    case 'min':
      return { min: args[0] as number };
    case 'max':
    case 'maxLength':
      return { max: args[0] as number };
    case 'isIn':
      return Array.isArray(args[0]) ? { values: (args[0] as unknown[]).join(', ') } : {};
    case 'isEnum':
      return Array.isArray(args[1]) ? { values: (args[1] as unknown[]).join(', ') } : {};
    default:
      return {};
  }
}

/** Deeper than this a body is refused, before class-transformer recurses into it (a stack overflow is a 500). */
const MAX_DEPTH = 32;

/**
 * Names of members every object inherits (`constructor`, `toString`, `hasOwnProperty`...),
 * and `prototype`. Nest's ValidationPipe deletes `__proto__`, `prototype` and `constructor`
 * before validating, and class-transformer does not copy a key that names a method of the
 * target: such keys never reach the whitelist and would be ignored rather than refused.
 */
const OBJECT_MEMBERS = new Set([...Object.getOwnPropertyNames(Object.prototype), 'prototype']);

/**
 * Refuses, with the field named, what would otherwise fail deep down as a 500 or slip
 * through: a NUL character in a string (PostgreSQL text cannot hold it), nesting deeper
 * than MAX_DEPTH, and a key named after a member of every object (OBJECT_MEMBERS), which
 * no DTO has. Iterative, so that the check itself cannot overflow the stack.
 */
function checkShape(value: object): void {
  const stack: [unknown, string, number][] = [[value, '', 0]];
  while (stack.length) {
    const [current, path, depth] = stack.pop()!;
    if (typeof current === 'string') {
      if (current.includes('\u0000')) throw CommonErrors.invalidField(path, 'noNulCharacter', 'must not contain the NUL character');
    } else if (current !== null && typeof current === 'object') {
      if (depth >= MAX_DEPTH) throw CommonErrors.invalidField(path, 'tooDeep', `is nested more than ${MAX_DEPTH} levels deep`, { max: MAX_DEPTH });
      const children: [string, unknown][] = Array.isArray(current)
        ? current.map((child, i) => [`${path}[${i}]`, child])
        : Object.entries(current).map(([key, child]) => [path ? `${path}.${key}` : key, child]);
      if (!Array.isArray(current)) {
        const member = Object.keys(current).find((key) => OBJECT_MEMBERS.has(key));
        if (member !== undefined) throw CommonErrors.invalidField(path ? `${path}.${member}` : member, 'whitelistValidation', 'is not an allowed field');
      }
      for (const [childPath, child] of children) stack.push([child, childPath, depth + 1]);
    }
  }
}

/** Fields that hold ids, by the API's naming: `id`, `programId`, `partnerInstitutionIds`... */
const ID_FIELD = /(^id|Id|Ids)$/;

/**
 * Ids are compared as text in the services (partners, sides): an id written in upper case
 * is the same id, so the UUIDs of id fields are lower-cased before validation. Only id
 * fields: a password or a name that happens to look like a UUID is left as typed.
 */
function lowerCaseIds(value: unknown, isId = false): unknown {
  if (typeof value === 'string') return isId && UUID.test(value) ? value.toLowerCase() : value;
  if (Array.isArray(value)) return value.map((item) => lowerCaseIds(item, isId));
  if (value !== null && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([key, child]) => [key, lowerCaseIds(child, ID_FIELD.test(key))]));
  return value;
}

/** Flattens class-validator's tree into `[{field: 'quotas[0].seats', ...}]`. */
export function flattenValidationErrors(errors: ValidationError[], parent = ''): FieldError[] {
  const out: FieldError[] = [];
  for (const error of errors) {
    const field = parent ? (/^\d+$/.test(error.property) ? `${parent}[${error.property}]` : `${parent}.${error.property}`) : error.property;
    const missing = error.target !== undefined && (error.target as Record<string, unknown>)[error.property] === undefined;
    if (missing && error.constraints && !error.constraints.whitelistValidation) {
      // A required field left out: one clear message rather than every rule it fails.
      out.push({ field, key: 'isDefined', message: 'is required' });
      continue;
    }
    for (const [key, message] of Object.entries(error.constraints ?? {})) {
      const params: Record<string, string | number> = constraintParams(error.target, error.property, key);
      const raw = error.contexts?.[key] as Record<string, string | number> | undefined;
      if (raw) Object.assign(params, raw);
      // class-validator messages start with the property name; our field already names it.
      out.push({ field, key, message: message.startsWith(error.property + ' ') ? message.slice(error.property.length + 1) : message, params });
    }
    if (error.children?.length) out.push(...flattenValidationErrors(error.children, field));
  }
  return out;
}

/** How many valid query strings of one DTO are remembered. */
const REMEMBERED_QUERIES = 256;

/** A DTO whose fields are all strings, numbers or booleans: a copy of it shares nothing with it. */
const isFlat = (dto: object) => Object.values(dto).every((value) => value === undefined || value === null || typeof value !== 'object');

/**
 * Whitelisting with unknown fields refused (never silently dropped), nested DTOs validated,
 * no implicit type conversion (query DTOs convert their own numbers explicitly), and a
 * body that is not a JSON object refused with a field error rather than reaching a service.
 *
 * A query string found valid is remembered (the last REMEMBERED_QUERIES of each DTO): the
 * same query again (a list polled, the same page asked again) gets a copy of its DTO
 * without being transformed and validated again, the validators of query DTOs depending on
 * nothing but their value. Refused ones are not remembered.
 */
@Injectable()
export class StrictValidationPipe extends ValidationPipe {
  private readonly validQueries = new WeakMap<object, Map<string, object>>();

  constructor() {
    super({
      whitelist: true,
      forbidNonWhitelisted: true,
      transform: true,
      transformOptions: { enableImplicitConversion: false },
      forbidUnknownValues: true,
      // target: only to read the constraints' arguments (constraintParams); never sent.
      validationError: { target: true, value: false },
      exceptionFactory: (errors) => CommonErrors.validation(flattenValidationErrors(errors)),
    });
  }

  override async transform(value: unknown, metadata: ArgumentMetadata): Promise<unknown> {
    const isDto = typeof metadata.metatype === 'function' && ![String, Number, Boolean, Array, Object].includes(metadata.metatype as never);
    if (isDto && metadata.type === 'query' && value !== null && typeof value === 'object' && !Array.isArray(value)) return this.query(value, metadata);
    return this.checked(value, metadata, isDto);
  }

  /** A query DTO, remembered by its query string once found valid. */
  private async query(value: object, metadata: ArgumentMetadata): Promise<unknown> {
    const metatype = metadata.metatype as new () => object;
    let known = this.validQueries.get(metatype);
    if (!known) this.validQueries.set(metatype, (known = new Map()));
    const key = JSON.stringify(value);
    const dto = known.get(key);
    if (dto) return Object.assign(new metatype(), dto);
    const validated = (await this.checked(value, metadata, true)) as object;
    if (isFlat(validated)) {
      if (known.size >= REMEMBERED_QUERIES) known.delete(known.keys().next().value!);
      known.set(key, Object.assign(new metatype(), validated));
    }
    return validated;
  }

  private async checked(value: unknown, metadata: ArgumentMetadata, isDto: boolean): Promise<unknown> {
    if (isDto && (metadata.type === 'body' || metadata.type === 'query')) {
      if (value === undefined && metadata.type === 'body') value = {};
      if (value === null || typeof value !== 'object' || Array.isArray(value)) {
        throw CommonErrors.invalidField('', 'body', 'the body must be a JSON object');
      }
      checkShape(value);
      value = lowerCaseIds(value);
      // A body class without a single field (EmptyBody): class-validator has nothing to check it against; every field is unknown.
      if (metadata.type === 'body' && !getMetadataStorage().getTargetValidationMetadatas(metadata.metatype!, '', true, false).length) {
        const fields = Object.keys(value as object);
        if (fields.length) throw CommonErrors.validation(fields.map((field) => ({ field, key: 'whitelistValidation', message: 'should not exist' })));
        return Object.assign(new (metadata.metatype as new () => object)(), value);
      }
    }
    return super.transform(value, metadata);
  }
}
