import { CommonErrors, DomainError } from '../common/errors/domain-error.js';
import type { ProgramStatus } from './program.entity.js';

export const ProgramErrors = {
  invalidTransition: (status: ProgramStatus) => new DomainError('program.invalid_transition', 409, { status }),
  hasLiveApplications: () => new DomainError('program.has_live_applications', 409),
  unknownAgreement: () => CommonErrors.invalidField('agreementId', 'unknownAgreement', 'is not an agreement of yours'),
};
