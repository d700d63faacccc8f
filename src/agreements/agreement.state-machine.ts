import { Lifecycle, type TransitionRow } from '../common/lifecycle/lifecycle.js';
import type { AgreementStatus } from './agreement.entity.js';

/**
 * The agreement lifecycle (SPEC section 3), in the shape of the application's: a draft
 * becomes active with the last partner's approval (until then an approval leaves it a
 * draft); a partner terminates it. An edit is no transition: it makes a new version (a
 * draft again once any partner had approved), and is refused once terminated.
 */
export const AGREEMENT_TRANSITIONS = ['approve', 'terminate'] as const;
export type AgreementTransitionName = (typeof AGREEMENT_TRANSITIONS)[number];

/** A coordinator of a partner institution (admins act for any partner). */
export type AgreementParty = 'partner';

export type AgreementTransition = TransitionRow<AgreementStatus, AgreementTransitionName, AgreementParty>;

export const agreementLifecycle = new Lifecycle<AgreementStatus, AgreementTransitionName, AgreementParty>('agreement', AGREEMENT_TRANSITIONS, [
  // An active agreement has every approval: approving it again is agreement.already_approved.
  { name: 'approve', from: ['draft', 'active'], to: 'active', by: ['partner'] },
  { name: 'terminate', from: ['draft', 'active'], to: 'terminated', by: ['partner'], needsReason: true },
]);
