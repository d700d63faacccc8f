import { CommonErrors } from '../common/errors/domain-error.js';
import { defineErrors } from '../common/errors/define-errors.js';

export const documentCatalogue = defineErrors('document', {
  codes: {
    'document.not_found': { status: 404, title: { en: 'Document not found', fr: 'Document introuvable', ru: 'Документ не найден' } },
    'document.too_large': { status: 413, title: { en: 'The file is larger than 10 MiB', fr: 'Le fichier dépasse 10 Mio', ru: 'Файл больше 10 МиБ' } },
    'document.unsupported_type': { status: 415, title: { en: 'Only PDF, JPEG and PNG files are accepted, with a matching name', fr: 'Seuls les fichiers PDF, JPEG et PNG sont acceptés, avec un nom correspondant', ru: 'Принимаются только файлы PDF, JPEG и PNG с соответствующим именем' } },
    'document.empty': { status: 400, title: { en: 'The file is empty', fr: 'Le fichier est vide', ru: 'Файл пуст' } },
    'document.limit_reached': {
      status: 409,
      title: { en: 'An application holds at most {max} documents', fr: 'Une candidature contient au plus {max} documents', ru: 'К заявке можно приложить не больше {max} документов' },
    },
  },
  fields: {
    unsupportedFile: {
      en: 'must be a PDF, JPEG or PNG file whose name matches its content',
      fr: 'doit être un fichier PDF, JPEG ou PNG dont le nom correspond au contenu',
      ru: 'должен быть файлом PDF, JPEG или PNG с соответствующим содержимому именем',
    },
  },
});

const { error, invalidField } = documentCatalogue;

export const DocumentErrors = {
  storedFileMissing: () => CommonErrors.notFound('document'),
  unsupportedType: () => error('document.unsupported_type', {}, [{ field: 'file', key: 'unsupportedFile', message: 'must be a PDF, JPEG or PNG file whose name matches its content' }]),
  limitReached: (max: number) => error('document.limit_reached', { max }),
  empty: () => error('document.empty', {}, [{ field: 'file', key: 'emptyFile', message: 'is empty' }]),
  fileMissing: () => invalidField('file', 'required', 'is required'),
  typeInvalid: (values: string) => invalidField('type', 'isIn', `must be one of: ${values}`, { values }),
  unexpectedField: (name: string) => invalidField(name, 'whitelistValidation', 'is not an allowed field'),
  duplicateField: (name: string) => CommonErrors.validation([{ field: name, key: 'givenOnce', message: 'must be given once' }]),
};
