import type { Agreement, AgreementVersion } from './agreement.entity.js';
import type { AgreementVersionView, AgreementView } from './dto/agreement.dto.js';

/** The agreement with its partners, quotas and approvals, and who has still to approve. */
export function agreementView(agreement: Agreement): AgreementView {
  const partners = (agreement.partners ?? []).map((p) => p.institutionId);
  const approvals = agreement.approvals ?? [];
  return {
    id: agreement.id,
    title: agreement.title,
    status: agreement.status,
    partnerInstitutionIds: partners,
    startsOn: agreement.startsOn,
    endsOn: agreement.endsOn,
    quotas: (agreement.quotas ?? []).map(({ fromInstitutionId, toInstitutionId, academicYear, seats }) => ({ fromInstitutionId, toInstitutionId, academicYear, seats })),
    approvals: approvals.map((a) => ({ institutionId: a.institutionId, approvedBy: a.approvedBy, approvedAt: a.approvedAt.toISOString(), comment: a.comment })),
    awaitingApprovalFrom: partners.filter((id) => !approvals.some((a) => a.institutionId === id)),
    version: agreement.version,
    createdBy: agreement.createdBy,
    terminatedAt: agreement.terminatedAt?.toISOString() ?? null,
    terminatedBy: agreement.terminatedBy,
    terminationReason: agreement.terminationReason,
    createdAt: agreement.createdAt.toISOString(),
    updatedAt: agreement.updatedAt.toISOString(),
  };
}

/** An archived version: the agreement as it stood, and when and by whom it was superseded. */
export function agreementVersionView(version: AgreementVersion): AgreementVersionView {
  return {
    ...(version.snapshot as unknown as AgreementView),
    version: version.version,
    supersededAt: version.supersededAt.toISOString(),
    supersededBy: version.supersededBy,
  };
}
