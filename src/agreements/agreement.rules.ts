import type { ResourceRules } from '../common/access/access-policy.js';
import type { Caller } from '../common/http/caller.js';
import type { Agreement } from './agreement.entity.js';

export type AgreementAction = 'edit' | 'approve' | 'terminate';

export const isPartner = (agreement: Agreement, institutionId: string | null) =>
  institutionId !== null && (agreement.partners ?? []).some((partner) => partner.institutionId === institutionId);

/** Admins see every agreement; a coordinator those its institution is party to; nobody else any. */
export const agreementRules: ResourceRules<Agreement, AgreementAction> = {
  resource: 'agreement',
  canSee: (caller: Caller, agreement: Agreement) => caller.role === 'admin' || (caller.role === 'coordinator' && isPartner(agreement, caller.institutionId)),
  can: (caller: Caller) => caller.role === 'admin' || caller.role === 'coordinator',
};
