import type { ResourceRules } from '../common/access/access-policy.js';
import type { Caller } from '../common/http/caller.js';
import type { User } from './user.entity.js';

export type UserAction = 'read';

/**
 * Admins see every user; coordinators see the users of their institution (its staff and
 * the students whose home it is); everyone sees themself.
 */
export const userRules: ResourceRules<User, UserAction> = {
  resource: 'user',
  canSee: (caller: Caller, user: User) =>
    caller.role === 'admin' || caller.id === user.id || (caller.role === 'coordinator' && caller.institutionId !== null && caller.institutionId === user.institutionId),
  can: () => true,
};
