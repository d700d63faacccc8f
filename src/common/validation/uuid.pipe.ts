import { ParseUUIDPipe } from '@nestjs/common';
import { CommonErrors } from '../errors/domain-error.js';

/** Path ids must be UUIDs before they reach a query (a malformed one is 400, not 404 or 500). */
export const uuidPipe = new ParseUUIDPipe({
  version: undefined,
  exceptionFactory: () => CommonErrors.invalidField('id', 'isUuid', 'must be a UUID'),
});
