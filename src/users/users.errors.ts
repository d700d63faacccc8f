import { CommonErrors } from '../common/errors/domain-error.js';

export const UserErrors = {
  institutionRequired: () => CommonErrors.invalidField('institutionId', 'required', 'is required for this role'),
  unknownInstitution: (field = 'institutionId') => CommonErrors.invalidField(field, 'unknownInstitution', 'is not a known institution'),
  commonPassword: () => CommonErrors.invalidField('password', 'commonPassword', 'is too common; choose another password'),
};
