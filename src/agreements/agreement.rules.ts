import type { ResourceRules } from '../common/access/access-policy.js';
import type { Caller } from '../common/http/caller.js';
import type { Agreement } from './agreement.entity.js';
import type { AgreementParty } from './agreement.state-machine.js';

export type AgreementAction = 'edit';

declare module '../common/access/access-policy.js' {
  interface Resources {
    agreement: { object: Agreement; action: AgreementAction };
  }
}

export const isPartner = (agreement: Agreement, institutionId: string | null) =>
  institutionId !== null && (agreement.partners ?? []).some((partner) => partner.institutionId === institutionId);

/**
 * The institution a coordinator's list is limited to (its own), or null for an admin
 * (every agreement). Written beside `canSee`: the list query (agreements.repository.ts)
 * keeps the agreements this institution is party to, which is what `canSee` checks;
 * test/integration/access-scopes.spec.ts holds the two together.
 */
export function agreementListScope(caller: Caller): { institutionId: string | null } | 'none' {
  if (caller.role === 'admin') return { institutionId: null };
  if (caller.role === 'coordinator' && caller.institutionId) return { institutionId: caller.institutionId };
  return 'none';
}

export function agreementPartiesOf(caller: Caller, agreement: Agreement): AgreementParty[] {
  return caller.role === 'admin' || (caller.role === 'coordinator' && isPartner(agreement, caller.institutionId)) ? ['partner'] : [];
}

/** Coordinators and admins make agreements (the route says so too: services are also called by the portal). */
export const mayProposeAgreements = (caller: Caller): boolean => caller.role === 'admin' || (caller.role === 'coordinator' && caller.institutionId !== null);

/** A coordinator proposes agreements of its own institution; an admin any. */
export const mustIncludeOwnInstitution = (caller: Caller): string | null => (caller.role === 'admin' ? null : caller.institutionId);

/**
 * The partner an approval is given for: a coordinator's own institution (another one named
 * is forbidden); an admin acts on behalf of the partner it names (required).
 */
export function approvingInstitution(caller: Caller, requested: string | undefined): { institutionId: string } | 'required' | 'forbidden' {
  if (caller.role === 'admin') return requested ? { institutionId: requested } : 'required';
  if (!caller.institutionId || (requested && requested !== caller.institutionId)) return 'forbidden';
  return { institutionId: caller.institutionId };
}

/** Admins see every agreement; a coordinator those its institution is party to; nobody else any. */
export const agreementRules: ResourceRules<'agreement'> = {
  resource: 'agreement',
  canSee: (caller, agreement) => caller.role === 'admin' || (caller.role === 'coordinator' && isPartner(agreement, caller.institutionId)),
  can: (caller, _action, agreement) => agreementPartiesOf(caller, agreement).length > 0,
};
