/**
 * Form values on their way to the API's DTOs. A form posts strings only; the DTOs validate
 * typed JSON. These turn what a browser sends into what a JSON client would, and nothing
 * more: whether a value is acceptable is the DTO's to say (in the reader's language).
 */

/** Every value of a repeated field (checkboxes), in order. */
export function fieldList(body: unknown, name: string): string[] {
  const value = (body as Record<string, unknown> | null)?.[name];
  if (Array.isArray(value)) return value.filter((v): v is string => typeof v === 'string');
  return typeof value === 'string' ? [value] : [];
}

/** An empty input is a field left out (the DTO says "is required" where it is). */
export const orUndefined = (value: string): string | undefined => (value.trim() === '' ? undefined : value.trim());

/** A number input: an integer as a number, anything else as typed (the DTO says "must be an integer"), empty as left out. */
export function integerOrRaw(value: string): number | string | undefined {
  const trimmed = value.trim();
  if (trimmed === '') return undefined;
  return /^-?\d{1,9}$/.test(trimmed) ? Number(trimmed) : trimmed;
}
