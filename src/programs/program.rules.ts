import type { ResourceRules } from '../common/access/access-policy.js';
import { inScope, type Scope } from '../common/access/scope.js';
import type { Caller } from '../common/http/caller.js';
import type { Program, ProgramStatus } from './program.entity.js';
import type { ProgramParty } from './program.state-machine.js';

export type ProgramAction = 'edit';

declare module '../common/access/access-policy.js' {
  interface Resources {
    program: { object: Program; action: ProgramAction };
  }
}

/** A published programme whose application window has passed reads as closed, without anyone acting. */
export function effectiveStatus(program: Pick<Program, 'status' | 'applicationClosesAt'>, now = new Date()): ProgramStatus {
  return program.status === 'published' && program.applicationClosesAt.getTime() <= now.getTime() ? 'closed' : program.status;
}

export function isOpen(program: Pick<Program, 'status' | 'applicationOpensAt' | 'applicationClosesAt'>, now = new Date()): boolean {
  return program.status === 'published' && program.applicationOpensAt.getTime() <= now.getTime() && now.getTime() < program.applicationClosesAt.getTime();
}

/**
 * Written once for the object check and the list query: admins see every programme;
 * coordinators those where their institution sends or receives; students the published
 * ones sent from their home institution, as read (one whose window has passed reads as
 * closed, as hidden as one closed by hand).
 */
export function programScope(caller: Caller, now = new Date()): Scope<Program> {
  if (caller.role === 'admin') return 'all';
  const institution = caller.institutionId;
  if (!institution) return [];
  switch (caller.role) {
    case 'coordinator':
      return [
        { name: 'sending', where: { sendingInstitutionId: institution } },
        { name: 'receiving', where: { receivingInstitutionId: institution } },
      ];
    case 'student':
      return [{ name: 'open_to_me', where: { status: 'published', applicationClosesAt: { after: now }, sendingInstitutionId: institution } }];
    default:
      return [];
  }
}

/** Coordinators and admins open programmes (the route says so too: services are also called by the portal). */
export const mayOpenPrograms = (caller: Caller): boolean => caller.role === 'admin' || (caller.role === 'coordinator' && caller.institutionId !== null);

/** How the caller stands to the programme: the side(s) whose coordinator it is. */
export function programPartiesOf(caller: Caller, program: Program): ProgramParty[] {
  if (caller.role === 'admin') return ['sending', 'receiving'];
  if (caller.role !== 'coordinator' || !caller.institutionId) return [];
  const parties: ProgramParty[] = [];
  if (program.sendingInstitutionId === caller.institutionId) parties.push('sending');
  if (program.receivingInstitutionId === caller.institutionId) parties.push('receiving');
  return parties;
}

export const programRules: ResourceRules<'program'> = {
  resource: 'program',
  canSee: (caller, program) => inScope(programScope(caller), program),
  can: (caller, action, program) => programPartiesOf(caller, program).length > 0,
};
