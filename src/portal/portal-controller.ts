import { applyDecorators, Controller, UseFilters, UseGuards } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import { Public } from '../auth/auth.decorators.js';
import { PortalErrorFilter } from './portal.filter.js';
import { PortalSessionGuard } from './portal-session.guard.js';

/**
 * A controller of the portal's pages: outside the API's bearer authentication (@Public) and
 * its OpenAPI document; the session cookie and CSRF check instead (PortalSessionGuard), and
 * errors as pages (PortalErrorFilter). `path` is under one of PORTAL_ROOTS (`portal/...`).
 */
export function PortalController(path = ''): ClassDecorator {
  return applyDecorators(ApiExcludeController(), Public(), UseGuards(PortalSessionGuard), UseFilters(PortalErrorFilter), Controller(path));
}
