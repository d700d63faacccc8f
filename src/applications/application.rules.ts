import type { ResourceRules } from '../common/access/access-policy.js';
import type { Caller } from '../common/http/caller.js';
import type { Application } from './application.entity.js';
import type { Party } from './application.state-machine.js';

export type ApplicationAction = 'edit' | 'read_history' | 'upload' | 'read_documents';

/** How the caller stands to this application (admins are both coordinator sides). */
export function partiesOf(caller: Caller, application: Application): Party[] {
  const parties: Party[] = [];
  if (caller.role === 'student' && application.studentId === caller.id) parties.push('student');
  if (caller.role === 'admin') parties.push('sending', 'receiving');
  if (caller.role === 'coordinator' && caller.institutionId) {
    if (application.sendingInstitutionId === caller.institutionId) parties.push('sending');
    if (application.receivingInstitutionId === caller.institutionId) parties.push('receiving');
  }
  if (caller.role === 'host_school' && caller.institutionId === application.receivingInstitutionId) parties.push('host_school');
  return parties;
}

/**
 * SPEC section 2: the student its own; the sending coordinator from submission on; the
 * receiving coordinator from nomination on; the receiving host school from acceptance on
 * (a narrower view, see application.view.ts); admins all.
 */
export function canSeeApplication(caller: Caller, application: Application): boolean {
  switch (caller.role) {
    case 'admin':
      return true;
    case 'student':
      return application.studentId === caller.id;
    case 'coordinator':
      return (
        (application.sendingInstitutionId === caller.institutionId && application.submittedAt !== null) ||
        (application.receivingInstitutionId === caller.institutionId && application.nominatedAt !== null)
      );
    case 'host_school':
      return application.receivingInstitutionId === caller.institutionId && application.acceptedAt !== null;
    default:
      return false;
  }
}

export const applicationRules: ResourceRules<Application, ApplicationAction> = {
  resource: 'application',
  canSee: canSeeApplication,
  can: (caller, action, application) => {
    switch (action) {
      case 'edit':
      case 'upload':
        return caller.role === 'student' && application.studentId === caller.id;
      case 'read_history':
      case 'read_documents':
        return true;
    }
  },
};
