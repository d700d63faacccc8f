import type { ResourceRules } from '../common/access/access-policy.js';
import { inScope, type Scope } from '../common/access/scope.js';
import { addMonths, todayUtc, type CalendarDate } from '../common/calendar.js';
import type { Caller } from '../common/http/caller.js';
import type { HostFamily } from './host-family.entity.js';
import type { HostFamilyParty } from './host-family.state-machine.js';

/**
 * `edit`: the record (coordinators); `edit_availability`: availability and capacity (also
 * the family's own users); `vet`: vetting and suspension; `read_vettings`: the vetting
 * records with their notes (the managing institution's staff).
 */
export type HostFamilyAction = 'edit' | 'edit_availability' | 'vet' | 'read_vettings';

declare module '../common/access/access-policy.js' {
  interface Resources {
    host_family: { object: HostFamily; action: HostFamilyAction };
  }
}

/** The fields a family's own users may change (SPEC section 2); the rest is its coordinators'. */
export const FAMILY_EDITABLE = ['availableFrom', 'availableTo', 'capacity'] as const;

/** `cats` → `cat`: pets are stored, and compared with students' allergies, in the singular. */
export function singular(word: string): string {
  return word.length > 3 && word.endsWith('s') && !word.endsWith('ss') ? word.slice(0, -1) : word;
}

/** A vetting is valid 12 months from its background check. */
export const VETTING_VALID_MONTHS = 12;

export const vettingExpiry = (backgroundCheckOn: CalendarDate): CalendarDate => addMonths(backgroundCheckOn, VETTING_VALID_MONTHS);

/** Whether the latest vetting has run out (from its expiry day on, the family counts as unvetted). */
export function vettingExpired(family: Pick<HostFamily, 'vettingExpiresOn'>, today = todayUtc()): boolean {
  return family.vettingExpiresOn !== null && family.vettingExpiresOn <= today;
}

/** Approved, with a vetting still valid today: the only families matched and placed. */
export function isVetted(family: Pick<HostFamily, 'status' | 'vettingExpiresOn'>, today = todayUtc()): boolean {
  return family.status === 'approved' && family.vettingExpiresOn !== null && today < family.vettingExpiresOn;
}

/**
 * SPEC section 2, once for the object check and the list query: admins all families; the
 * managing institution's coordinators and host-school staff its families; a host_family
 * user its own; nobody else (students see their family through an accepted placement).
 */
export function hostFamilyScope(caller: Caller): Scope<HostFamily> {
  if (caller.role === 'admin') return 'all';
  if (caller.role === 'host_family') return caller.hostFamilyId ? [{ name: 'own', where: { id: caller.hostFamilyId } }] : [];
  if ((caller.role === 'coordinator' || caller.role === 'host_school') && caller.institutionId) return [{ name: 'institution', where: { institutionId: caller.institutionId } }];
  return [];
}

/** Coordinators (of an institution) and admins create and vet families; the route says so too. */
export const mayManageFamilies = (caller: Caller): boolean => caller.role === 'admin' || (caller.role === 'coordinator' && caller.institutionId !== null);

export function familyPartiesOf(caller: Caller, family: HostFamily): HostFamilyParty[] {
  if (caller.role === 'admin') return ['manager'];
  if (caller.role === 'coordinator' && caller.institutionId === family.institutionId) return ['manager'];
  if (caller.role === 'host_family' && caller.hostFamilyId === family.id) return ['family'];
  return [];
}

export const hostFamilyRules: ResourceRules<'host_family'> = {
  resource: 'host_family',
  canSee: (caller, family) => inScope(hostFamilyScope(caller), family),
  can: (caller, action, family) => {
    const parties = familyPartiesOf(caller, family);
    switch (action) {
      case 'edit':
      case 'vet':
        return parties.includes('manager');
      case 'edit_availability':
        return parties.length > 0;
      case 'read_vettings':
        return caller.role !== 'host_family';
    }
  },
};
