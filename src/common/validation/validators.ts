import { Transform, Type } from 'class-transformer';
import { IsObject, registerDecorator, ValidateIf, ValidateNested, type ValidationOptions } from 'class-validator';

/**
 * A class-validator decorator from a predicate: its constraint name is the key of its
 * message in src/common/errors/messages.ts.
 */
export function predicateDecorator(name: string, message: string, validate: (value: unknown) => boolean) {
  return (options?: ValidationOptions): PropertyDecorator =>
    (target, propertyName) =>
      registerDecorator({ name, target: target.constructor, propertyName: propertyName as string, options: { message, ...options }, validator: { validate } });
}

/** An IANA time zone that this runtime knows (e.g. Europe/Paris). */
export const IsTimeZone = predicateDecorator('isTimeZone', '$property must be an IANA time zone', (value) => {
  if (typeof value !== 'string' || !value.includes('/')) return false;
  try {
    new Intl.DateTimeFormat('en', { timeZone: value });
    return true;
  } catch {
    return false;
  }
});

/** Writes a valid IANA zone the way the runtime spells it (`europe/paris` → `Europe/Paris`). */
export function CanonicalTimeZone(): PropertyDecorator {
  return Transform(({ value }) => {
    if (typeof value !== 'string') return value;
    try {
      return new Intl.DateTimeFormat('en', { timeZone: value }).resolvedOptions().timeZone;
    } catch {
      return value;
    }
  });
}

/**
 * At most one decimal (ECTS credits come in halves: 7.5). Not class-validator's
 * IsNumber({ maxDecimalPlaces }), which throws on a number that JavaScript writes with an
 * exponent (5e-324, 1e-7): a 500 instead of a field error.
 */
export const AtMostOneDecimal = predicateDecorator(
  'atMostOneDecimal',
  '$property must have at most one decimal',
  (value) => typeof value === 'number' && Number.isFinite(value) && Number(value.toFixed(1)) === value,
);

/** Query strings are text: converts only a plain run of digits, so "abc" or "1e3" still fail IsInt. */
export function ToInteger(): PropertyDecorator {
  return Transform(({ value }) => (typeof value === 'string' && /^-?\d{1,9}$/.test(value) ? Number(value) : value));
}

/** Trims strings; leaves other types for the validators to refuse. */
export function Trim(): PropertyDecorator {
  return Transform(({ value }) => (typeof value === 'string' ? value.trim() : value));
}

/** Lower-cases and trims an e-mail address. */
export function NormalizeEmail(): PropertyDecorator {
  return Transform(({ value }) => (typeof value === 'string' ? value.trim().toLowerCase() : value));
}

/** Optional, but when present not null: for fields whose column is NOT NULL (PATCH bodies). */
export function OptionalNotNull(): PropertyDecorator {
  return ValidateIf((_object, value) => value !== undefined);
}

/**
 * A nested object of that DTO (`each`: a list of them), validated whole. ValidateNested
 * alone also takes an array where an object is expected and validates its items instead
 * (none, when it is empty), so `"matchingProfile": []` or `"components": [[]]` would pass
 * and be written: the value, or each item, must be an object first.
 */
export function NestedObject(type: () => new () => object, options: { each?: boolean } = {}): PropertyDecorator {
  return (target, propertyName) => {
    IsObject({ each: options.each })(target, propertyName);
    ValidateNested({ each: options.each })(target, propertyName);
    Type(type)(target, propertyName);
  };
}
