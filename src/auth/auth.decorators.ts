import { SetMetadata } from '@nestjs/common';
import type { Role } from '../users/user.entity.js';

export const PUBLIC_KEY = 'auth:public';
export const ROLES_KEY = 'auth:roles';

/** The route needs no access token. */
export const Public = () => SetMetadata(PUBLIC_KEY, true);

/** Only these roles may call the route (403 for the others); scope is checked by the AccessPolicy. */
export const Roles = (...roles: Role[]) => SetMetadata(ROLES_KEY, roles);
