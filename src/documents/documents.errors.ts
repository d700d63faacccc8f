import { CommonErrors, DomainError } from '../common/errors/domain-error.js';

export const DocumentErrors = {
  storedFileMissing: () => CommonErrors.notFound('document'),
  unsupportedType: () => new DomainError('document.unsupported_type', 415, {}, [{ field: 'file', key: null, message: 'must be a PDF, JPEG or PNG file whose name matches its content' }]),
  empty: () => new DomainError('document.empty', 400, {}, [{ field: 'file', key: null, message: 'is empty' }]),
  fileMissing: () => CommonErrors.invalidField('file', 'required', 'is required'),
  typeInvalid: (values: string) => CommonErrors.invalidField('type', 'isIn', `must be one of: ${values}`, { values }),
  unexpectedField: (name: string) => CommonErrors.invalidField(name, 'whitelistValidation', 'is not an allowed field'),
  duplicateField: (name: string) => CommonErrors.invalidField(name, 'duplicate', 'must be given once'),
};
