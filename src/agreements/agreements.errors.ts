import { CommonErrors, DomainError, type FieldError } from '../common/errors/domain-error.js';
import type { AgreementStatus } from './agreement.entity.js';

export const AgreementErrors = {
  invalidTransition: (status: AgreementStatus) => new DomainError('agreement.invalid_transition', 409, { status }),
  alreadyApproved: () => new DomainError('agreement.already_approved', 409),
  notActive: () => new DomainError('agreement.not_active', 409, {}, [{ field: 'agreementId', key: null, message: 'the agreement is not active' }]),
  quotaExceeded: (remaining: number, field = 'seats') =>
    new DomainError('agreement.quota_exceeded', 409, { remaining }, [{ field, key: null, message: `exceeds the remaining quota (${remaining})` }]),
  conflictsWithPrograms: (errors: FieldError[]) => new DomainError('agreement.conflicts_with_programs', 409, {}, errors),
  invalid: (errors: FieldError[]) => CommonErrors.validation(errors),
};
