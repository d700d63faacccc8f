import type { ResourceRules } from '../common/access/access-policy.js';
import type { Caller } from '../common/http/caller.js';
import type { Role, User } from './user.entity.js';

export type UserAction = 'read';

declare module '../common/access/access-policy.js' {
  interface Resources {
    user: { object: User; action: UserAction };
  }
}

/**
 * Admins see every user; coordinators see the users of their institution (its staff and
 * the students whose home it is); everyone sees themself.
 */
export const userRules: ResourceRules<'user'> = {
  resource: 'user',
  canSee: (caller: Caller, user: User) =>
    caller.role === 'admin' || caller.id === user.id || (caller.role === 'coordinator' && caller.institutionId !== null && caller.institutionId === user.institutionId),
  can: () => true,
};

/** The roles each role may give to the accounts it creates (a coordinator: its institution's host staff). */
export const CREATABLE_BY: Partial<Record<Role, readonly Role[]>> = {
  admin: ['admin', 'coordinator', 'host_school', 'host_family'],
  coordinator: ['host_school', 'host_family'],
};

/**
 * The institution a caller's user list and new accounts are limited to: an admin's is the
 * one it names (any), a coordinator's its own; `canSee` above checks the same for one user.
 */
export function ownInstitutionOf(caller: Caller, requested: string | null | undefined): { institutionId: string | null } | 'other' {
  if (caller.role === 'admin') return { institutionId: requested ?? null };
  // Only coordinators manage their institution's users (the route says so too).
  if (caller.role !== 'coordinator' || !caller.institutionId || (requested && requested !== caller.institutionId)) return 'other';
  return { institutionId: caller.institutionId };
}
