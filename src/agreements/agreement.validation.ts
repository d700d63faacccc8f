import type { FieldError } from '../common/errors/domain-error.js';

export interface AgreementTerms {
  partnerInstitutionIds: string[];
  startsOn: string;
  endsOn: string;
  quotas: { fromInstitutionId: string; toInstitutionId: string; academicYear: string; seats: number }[];
}

/** Rules between fields of an agreement (each field is already well-formed). Pure. */
export function validateAgreementTerms(terms: AgreementTerms): FieldError[] {
  const errors: FieldError[] = [];
  if (terms.startsOn >= terms.endsOn) {
    errors.push({ field: 'endsOn', key: 'after', message: 'must be after startsOn', params: { other: 'startsOn' } });
  }
  const partners = new Set(terms.partnerInstitutionIds);
  const seen = new Set<string>();
  terms.quotas.forEach((quota, i) => {
    for (const side of ['fromInstitutionId', 'toInstitutionId'] as const) {
      if (!partners.has(quota[side])) errors.push({ field: `quotas[${i}].${side}`, key: 'notPartner', message: 'must be a partner of the agreement' });
    }
    if (quota.fromInstitutionId === quota.toInstitutionId) {
      errors.push({ field: `quotas[${i}].toInstitutionId`, key: 'sameInstitution', message: 'must differ from fromInstitutionId' });
    }
    const key = `${quota.fromInstitutionId}>${quota.toInstitutionId}@${quota.academicYear}`;
    if (seen.has(key)) errors.push({ field: `quotas[${i}]`, key: 'duplicateQuota', message: 'repeats a direction and year' });
    seen.add(key);
  });
  return errors;
}
