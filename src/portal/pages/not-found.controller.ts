import { All } from '@nestjs/common';
import { DomainError } from '../../common/errors/domain-error.js';
import { PortalController } from '../portal-controller.js';
import { OpenPage } from '../portal-session.guard.js';

/**
 * Any other address under `/portal/` (or a page asked with the wrong method): the portal's
 * "does not exist" page, not the API's problem+json. The router tries every real page
 * first, whatever the order they were declared in.
 */
@PortalController('portal')
export class PortalNotFound {
  @OpenPage()
  @All('*')
  notFound(): never {
    throw new DomainError('route.not_found', 404);
  }
}
