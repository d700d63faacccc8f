import type { Application } from '../applications/application.entity.js';
import { partiesOf } from '../applications/application.rules.js';
import type { Caller } from '../common/http/caller.js';
import { SIGNATORIES, type LearningAgreement, type Signatory } from './learning-agreement.entity.js';

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

/** The party a caller signs for: its own (another one named is forbidden); an admin names the one it signs for (required). */
export function signatoryOf(caller: Caller, application: Application, requested: Signatory | undefined): Signatory | 'required' | 'forbidden' {
  if (caller.role === 'admin') return requested ?? 'required';
  const parties = partiesOf(caller, application);
  const own: Signatory | undefined = parties.includes('student') ? 'student' : parties.includes('sending') ? 'sending_coordinator' : parties.includes('receiving') ? 'receiving_coordinator' : undefined;
  if (!own || (requested && requested !== own)) return 'forbidden';
  return own;
}
