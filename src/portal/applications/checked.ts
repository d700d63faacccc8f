import { StrictValidationPipe } from '../../common/validation/validation.pipe.js';

const pipe = new StrictValidationPipe();

/**
 * A posted action's fields through the API's own DTO and validation pipe; a refusal is
 * thrown as the API's 400 (for `PortalPages.act` to send back), not shown as field errors.
 */
export async function checked<T extends object>(dto: new () => T, fields: Record<string, unknown>): Promise<T> {
  return (await pipe.transform(fields, { type: 'body', metatype: dto })) as T;
}
