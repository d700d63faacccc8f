import { SIGNATORIES, type LearningAgreement } from './learning-agreement.entity.js';

export const LEARNING_AGREEMENT_STATUSES = ['draft', 'awaiting_signatures', 'approved'] as const;
export type LearningAgreementStatus = (typeof LEARNING_AGREEMENT_STATUSES)[number];

/** Derived: no signature yet → draft; some → awaiting_signatures; all three → approved. */
export function learningAgreementStatus(agreement: Pick<LearningAgreement, 'signatures'> | null): LearningAgreementStatus {
  const signed = new Set((agreement?.signatures ?? []).map((s) => s.party));
  if (signed.size === 0) return 'draft';
  return SIGNATORIES.every((party) => signed.has(party)) ? 'approved' : 'awaiting_signatures';
}
