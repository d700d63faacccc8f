import type { ResourceRules } from '../common/access/access-policy.js';
import { inScope, NOT_NULL, type Scope } from '../common/access/scope.js';
import type { Caller } from '../common/http/caller.js';
import type { Application } from './application.entity.js';
import type { Party } from './application.state-machine.js';

export type ApplicationAction = 'edit' | 'read_history' | 'upload' | 'read_documents';

declare module '../common/access/access-policy.js' {
  interface Resources {
    application: { object: Application; action: ApplicationAction };
  }
}

/** How the caller stands to this application (admins are both coordinator sides). */
export function partiesOf(caller: Caller, application: Pick<Application, 'studentId' | 'sendingInstitutionId' | 'receivingInstitutionId'>): Party[] {
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
 * SPEC section 2, written once for the object check and the list queries: the student its
 * own; the sending coordinator from submission on; the receiving coordinator from
 * nomination on; the receiving host school from acceptance on (a narrower view, see
 * application.view.ts); admins all. Each branch is one range of one partial index.
 */
export function applicationScope(caller: Caller): Scope<Application> {
  if (caller.role === 'admin') return 'all';
  if (caller.role === 'student') return [{ name: 'own', where: { studentId: caller.id } }];
  const institution = caller.institutionId;
  if (!institution) return [];
  switch (caller.role) {
    case 'coordinator':
      return [
        { name: 'outgoing', where: { sendingInstitutionId: institution, submittedAt: NOT_NULL } },
        { name: 'incoming', where: { receivingInstitutionId: institution, nominatedAt: NOT_NULL } },
      ];
    case 'host_school':
      return [{ name: 'incoming', where: { receivingInstitutionId: institution, acceptedAt: NOT_NULL } }];
    default:
      return [];
  }
}

export const canSeeApplication = (caller: Caller, application: Application): boolean => inScope(applicationScope(caller), application);

/**
 * The institutions whose coordinators see the application as it stands (the same scope):
 * the audit entries about it are theirs to read. A draft is nobody's; a submission the
 * sending side's; the receiving side's from its nomination on.
 */
export function institutionsSeeing(application: Application): string[] {
  return [application.sendingInstitutionId, application.receivingInstitutionId].filter((institutionId) =>
    canSeeApplication({ id: '', role: 'coordinator', institutionId, hostFamilyId: null, locale: 'en' }, application),
  );
}

/** Only students apply (the route says so too: services are also called by the portal). */
export const mayApply = (caller: Caller): boolean => caller.role === 'student';

/** Motivation, levels, profile and the comments of the history: not for host-school staff (SPEC section 2). */
export const seesPrivateFields = (caller: Caller): boolean => caller.role !== 'host_school';

/** Whether the declared levels meet the programme's requirement: shown to coordinators. */
export const seesLanguageCheck = (caller: Caller): boolean => caller.role === 'coordinator' || caller.role === 'admin';

export const applicationRules: ResourceRules<'application'> = {
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
