import { CommonErrors } from '../common/errors/domain-error.js';
import { defineErrors } from '../common/errors/define-errors.js';

export const learningAgreementCatalogue = defineErrors('learning_agreement', {
  codes: {
    'learning_agreement.not_found': { status: 404, title: { en: 'Learning agreement not found', fr: "Contrat d'études introuvable", ru: 'Учебное соглашение не найдено' } },
    'learning_agreement.not_approved': { status: 409, title: { en: 'The learning agreement is not signed by all three parties yet', fr: "Le contrat d'études n'est pas encore signé par les trois parties", ru: 'Учебное соглашение ещё не подписано всеми тремя сторонами' } },
    'learning_agreement.not_required': { status: 409, title: { en: 'This programme has no learning agreement', fr: "Ce programme n'a pas de contrat d'études", ru: 'Для этой программы учебное соглашение не предусмотрено' } },
    'learning_agreement.already_signed': { status: 409, title: { en: 'You have already signed this version', fr: 'Vous avez déjà signé cette version', ru: 'Вы уже подписали эту версию' } },
  },
});

const { error, invalidField } = learningAgreementCatalogue;

export const LearningAgreementErrors = {
  notFound: () => CommonErrors.notFound('learning_agreement'),
  notRequired: () => error('learning_agreement.not_required'),
  alreadySigned: () => error('learning_agreement.already_signed'),
  notApproved: () => error('learning_agreement.not_approved'),
  empty: () => invalidField('components', 'arrayMinSize', 'must have at least 1 items', { min: 1 }),
};
