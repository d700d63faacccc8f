import type { ResourceRules } from '../common/access/access-policy.js';
import { inScope, NOT_NULL, type Scope } from '../common/access/scope.js';
import type { Caller } from '../common/http/caller.js';
import type { Placement } from './placement.entity.js';
import type { PlacementParty } from './placement.state-machine.js';

export type PlacementAction = 'read';

declare module '../common/access/access-policy.js' {
  interface Resources {
    placement: { object: Placement; action: PlacementAction };
  }
}

/**
 * SPEC section 2, once for the object check and the lists: admins all; the receiving
 * institution's coordinators and host-school staff its placements (it manages the
 * families); a family's users the placements with their family; a student its own, once
 * accepted (before that it sees nothing of families).
 */
export function placementScope(caller: Caller): Scope<Placement> {
  switch (caller.role) {
    case 'admin':
      return 'all';
    case 'student':
      return [{ name: 'own', where: { studentId: caller.id, acceptedAt: NOT_NULL } }];
    case 'host_family':
      return caller.hostFamilyId ? [{ name: 'family', where: { hostFamilyId: caller.hostFamilyId } }] : [];
    case 'coordinator':
    case 'host_school':
      return caller.institutionId ? [{ name: 'institution', where: { receivingInstitutionId: caller.institutionId } }] : [];
  }
}

export function placementPartiesOf(caller: Caller, placement: Pick<Placement, 'hostFamilyId' | 'receivingInstitutionId'>): PlacementParty[] {
  if (caller.role === 'admin') return ['coordinator'];
  if (caller.role === 'coordinator' && caller.institutionId === placement.receivingInstitutionId) return ['coordinator'];
  if (caller.role === 'host_family' && caller.hostFamilyId === placement.hostFamilyId) return ['family'];
  return [];
}

/** Receiving coordinators and admins propose placements and read matches (the routes say so too). */
export const mayPlace = (caller: Caller): boolean => caller.role === 'admin' || (caller.role === 'coordinator' && caller.institutionId !== null);

/**
 * The family's contact and address: the managing institution's staff, admins and the
 * family's own users; the student only while its placement is accepted.
 */
export function seesFamilyContact(caller: Caller, placement: Pick<Placement, 'studentId' | 'status' | 'hostFamilyId' | 'receivingInstitutionId'>): boolean {
  if (caller.role === 'student') return caller.id === placement.studentId && placement.status === 'accepted';
  if (caller.role === 'host_family') return caller.hostFamilyId === placement.hostFamilyId;
  return caller.role === 'admin' || caller.institutionId === placement.receivingInstitutionId;
}

export const placementRules: ResourceRules<'placement'> = {
  resource: 'placement',
  canSee: (caller, placement) => inScope(placementScope(caller), placement),
  can: () => true,
};
