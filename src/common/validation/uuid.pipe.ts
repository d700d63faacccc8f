import { ParseUUIDPipe, type ArgumentMetadata } from '@nestjs/common';
import { CommonErrors } from '../errors/domain-error.js';

/** Path ids must be UUIDs before they reach a query (a malformed one is 400, not 404 or 500); lower-cased. */
class LowerCaseUuidPipe extends ParseUUIDPipe {
  override async transform(value: string, metadata: ArgumentMetadata): Promise<string> {
    return String(await super.transform(value, metadata)).toLowerCase();
  }
}

export const uuidPipe = new LowerCaseUuidPipe({
  version: undefined,
  exceptionFactory: () => CommonErrors.invalidField('id', 'isUuid', 'must be a UUID'),
});
