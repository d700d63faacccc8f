import type { ResourceRules } from '../common/access/access-policy.js';
import type { Caller } from '../common/http/caller.js';
import type { Program, ProgramStatus } from './program.entity.js';

export type ProgramAction = 'edit' | 'publish' | 'close' | 'cancel';

/** A published programme whose application window has passed reads as closed, without anyone acting. */
export function effectiveStatus(program: Pick<Program, 'status' | 'applicationClosesAt'>, now = new Date()): ProgramStatus {
  return program.status === 'published' && program.applicationClosesAt.getTime() <= now.getTime() ? 'closed' : program.status;
}

export function isOpen(program: Pick<Program, 'status' | 'applicationOpensAt' | 'applicationClosesAt'>, now = new Date()): boolean {
  return program.status === 'published' && program.applicationOpensAt.getTime() <= now.getTime() && now.getTime() < program.applicationClosesAt.getTime();
}

const isSide = (caller: Caller, program: Program) =>
  caller.institutionId !== null && (program.sendingInstitutionId === caller.institutionId || program.receivingInstitutionId === caller.institutionId);

/**
 * Admins see every programme; coordinators those where their institution sends or
 * receives; students the published ones sent from their home institution. Coordinators of
 * either side (and admins) act on them.
 */
export const programRules: ResourceRules<Program, ProgramAction> = {
  resource: 'program',
  canSee: (caller, program) => {
    switch (caller.role) {
      case 'admin':
        return true;
      case 'coordinator':
        return isSide(caller, program);
      case 'student':
        // As read: one whose window has passed reads as closed, as hidden as one closed by hand.
        return effectiveStatus(program) === 'published' && program.sendingInstitutionId === caller.institutionId;
      default:
        return false;
    }
  },
  can: (caller) => caller.role === 'admin' || caller.role === 'coordinator',
};
