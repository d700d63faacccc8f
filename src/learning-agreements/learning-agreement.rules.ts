import type { Application } from '../applications/application.entity.js';
import { partiesOf } from '../applications/application.rules.js';
import type { Caller } from '../common/http/caller.js';
import { SIGNATORIES, type LearningAgreement } from './learning-agreement.entity.js';

export const LEARNING_AGREEMENT_STATUSES = ['draft', 'awaiting_signatures', 'approved'] as const;
export type LearningAgreementStatus = (typeof LEARNING_AGREEMENT_STATUSES)[number];

/** Derived: no signature yet → draft; some → awaiting_signatures; all three → approved. */
export function learningAgreementStatus(agreement: Pick<LearningAgreement, 'signatures'> | null): LearningAgreementStatus {
  const signed = new Set((agreement?.signatures ?? []).map((s) => s.party));
  if (signed.size === 0) return 'draft';
  return SIGNATORIES.every((party) => signed.has(party)) ? 'approved' : 'awaiting_signatures';
}

/** Learning agreements are the student's and both coordinators' business: host-school staff and families do not see them (404). */
export const seesLearningAgreements = (caller: Caller): boolean => caller.role === 'admin' || caller.role === 'coordinator' || caller.role === 'student';

/** The student and the coordinators of either side (admins too) write it. */
export const writesLearningAgreement = (caller: Caller, application: Application): boolean => partiesOf(caller, application).some((party) => party !== 'host_school');
