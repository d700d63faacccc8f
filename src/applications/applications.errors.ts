import { CommonErrors, DomainError } from '../common/errors/domain-error.js';
import type { ApplicationStatus } from './application.entity.js';
import type { TransitionName } from './application.state-machine.js';

export const ApplicationErrors = {
  invalidTransition: (status: ApplicationStatus, transition: TransitionName) => new DomainError('application.invalid_transition', 409, { status, transition }),
  alreadyExists: () => new DomainError('application.already_exists', 409, {}, [{ field: 'programId', key: null, message: 'you already applied to this programme' }]),
  tooManyOpen: (max: number) => new DomainError('application.too_many_open', 409, { max }),
  notEditable: (status: ApplicationStatus) => new DomainError('application.not_editable', 409, { status }),
  seatsExhausted: () => new DomainError('program.seats_exhausted', 409),
  programNotOpen: () => new DomainError('program.not_open', 409),
  unknownProgram: () => CommonErrors.invalidField('programId', 'unknownProgram', 'is not a programme open to you'),
  documentsMissing: (types: string[]) =>
    new DomainError('application.documents_missing', 422, { missing: types.join(', ') }, types.map((type) => ({ field: 'documents', key: 'missingDocument', message: `a ${type} document is required`, params: { type } }))),
  reasonRequired: () => CommonErrors.invalidField('reason', 'required', 'is required'),
  arrivalInFuture: () => CommonErrors.invalidField('arrivedAt', 'inTheFuture', 'must not be in the future'),
  learningAgreementNotApproved: () => new DomainError('learning_agreement.not_approved', 409),
};
