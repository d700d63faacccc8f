import type { Application } from '../applications/application.entity.js';
import { partiesOf } from '../applications/application.rules.js';
import type { ResourceRules } from '../common/access/access-policy.js';
import { addDays, type CalendarDate } from '../common/calendar.js';
import type { Caller } from '../common/http/caller.js';
import type { Program } from '../programs/program.entity.js';
import type { LocatedItem } from './arrivals.repository.js';

/** Students may arrive this many days before their programme starts (a language course, finding their feet). */
export const ARRIVAL_WINDOW_DAYS = 30;

/** The days on which the programme's students may arrive, in the receiving institution's time zone. */
export function arrivalWindow(program: Pick<Program, 'startsOn' | 'endsOn'>): { from: CalendarDate; to: CalendarDate } {
  return { from: addDays(program.startsOn, -ARRIVAL_WINDOW_DAYS), to: program.endsOn };
}

/** The board of one institution's arrivals: its host-school staff and coordinators; admins any (the route says so too). */
export function boardInstitutionOf(caller: Caller, requested: string | undefined): { institutionId: string | null } | 'forbidden' {
  if (caller.role === 'admin') return { institutionId: requested ?? null };
  if ((caller.role === 'coordinator' || caller.role === 'host_school') && caller.institutionId) return { institutionId: caller.institutionId };
  return 'forbidden';
}

/** Travel details: the student of the application, or the receiving coordinator on its behalf. */
export const writesTravel = (caller: Caller, application: Application): boolean => partiesOf(caller, application).some((party) => party === 'student' || party === 'receiving');

export type ChecklistAction = 'complete';

declare module '../common/access/access-policy.js' {
  interface Resources {
    checklist_item: { object: LocatedItem; action: ChecklistAction };
  }
}

/**
 * Who reads a student's checklist: the receiving institution's staff, admins, the student,
 * its sending coordinator (duty of care), and the family it lives with now (its accepted
 * placement). Who completes an item: the receiving institution's staff, admins, and that
 * family for the items it answers for.
 */
export function seesChecklist(caller: Caller, item: Pick<LocatedItem, 'receivingInstitutionId' | 'sendingInstitutionId' | 'studentId' | 'currentFamilyId'>): boolean {
  switch (caller.role) {
    case 'admin':
      return true;
    case 'student':
      return caller.id === item.studentId;
    case 'host_family':
      return caller.hostFamilyId !== null && caller.hostFamilyId === item.currentFamilyId;
    case 'host_school':
      return caller.institutionId === item.receivingInstitutionId;
    case 'coordinator':
      return caller.institutionId === item.receivingInstitutionId || caller.institutionId === item.sendingInstitutionId;
  }
}

export function completesItem(caller: Caller, item: LocatedItem): boolean {
  if (caller.role === 'admin') return true;
  if (caller.role === 'host_family') return item.responsible === 'host_family' && caller.hostFamilyId !== null && caller.hostFamilyId === item.currentFamilyId;
  return (caller.role === 'coordinator' || caller.role === 'host_school') && caller.institutionId === item.receivingInstitutionId;
}

export const checklistItemRules: ResourceRules<'checklist_item'> = {
  resource: 'checklist_item',
  canSee: (caller, item) => seesChecklist(caller, item),
  can: (caller, _action, item) => completesItem(caller, item),
};
