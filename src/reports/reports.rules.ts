import { agreementListScope } from '../agreements/agreement.rules.js';
import type { ApplicationStatus } from '../applications/application.entity.js';
import { SEAT_HOLDING } from '../applications/application.state-machine.js';
import type { Caller } from '../common/http/caller.js';
import type { ProgramStatus } from '../programs/program.entity.js';

/**
 * Who reads the flows report, and which rows: admins every agreement's, coordinators those
 * of the agreements their institution is party to — the agreements they see in
 * GET /agreements (agreementListScope), with every direction of them, so that partners read
 * the same figures. Nobody else (the route says so too: services are also called by the
 * portal). A coordinator without an institution sees no row.
 */
export function flowsScope(caller: Caller): { institutionId: string | null } | 'none' | 'forbidden' {
  if (caller.role !== 'admin' && caller.role !== 'coordinator') return 'forbidden';
  return agreementListScope(caller);
}

/**
 * The programme statuses whose seats are offered to students: published (also one whose
 * window has passed, which reads as closed) and closed. A draft offers nothing yet, a
 * cancelled programme nothing any more — unlike the quota check, which reserves the seats
 * of drafts too (agreements.repository.ts offeredSeats).
 */
export const OFFERING: readonly ProgramStatus[] = ['published', 'closed'];

/**
 * Students placed: applications holding one of the programme's seats (accepted, confirmed,
 * arrived, completed). The balance of a direction is its students placed minus those of the
 * opposite direction, in the same agreement and academic year.
 */
export const PLACED: readonly ApplicationStatus[] = SEAT_HOLDING;
