import { defineErrors } from '../common/errors/define-errors.js';
import type { ApplicationStatus } from './application.entity.js';
import type { TransitionName } from './application.state-machine.js';

export const applicationCatalogue = defineErrors('application', {
  codes: {
    'application.not_found': { status: 404, title: { en: 'Application not found', fr: 'Candidature introuvable', ru: 'Заявка не найдена' } },
    'application.invalid_transition': { status: 409, title: { en: 'An application in status {status} cannot {transition}', fr: 'Une candidature au statut {status} ne permet pas {transition}', ru: 'Заявка в статусе {status} не допускает {transition}' } },
    'application.already_exists': { status: 409, title: { en: 'You already applied to this programme', fr: 'Vous avez déjà candidaté à ce programme', ru: 'Вы уже подали заявку на эту программу' } },
    'application.too_many_open': { status: 409, title: { en: 'You already have {max} open applications', fr: 'Vous avez déjà {max} candidatures en cours', ru: 'У вас уже {max} незавершённых заявок' } },
    'application.not_editable': { status: 409, title: { en: 'Only a draft can be edited (status: {status})', fr: 'Seul un brouillon peut être modifié (statut : {status})', ru: 'Изменять можно только черновик (статус: {status})' } },
    'application.documents_missing': { status: 422, title: { en: 'Required documents are missing: {missing}', fr: 'Documents obligatoires manquants : {missing}', ru: 'Не хватает обязательных документов: {missing}' } },
  },
  fields: {
    alreadyApplied: { en: 'you already applied to this programme', fr: 'vous avez déjà candidaté à ce programme', ru: 'вы уже подали заявку на эту программу' },
    unknownProgram: { en: 'is not a programme open to you', fr: "n'est pas un programme qui vous est ouvert", ru: 'не является доступной вам программой' },
    missingDocument: { en: 'a {type} document is required', fr: 'un document {type} est requis', ru: 'требуется документ {type}' },
  },
});

const { error, invalidField } = applicationCatalogue;

export const ApplicationErrors = {
  invalidTransition: (status: ApplicationStatus, transition: TransitionName) => error('application.invalid_transition', { status, transition }),
  alreadyExists: () => error('application.already_exists', {}, [{ field: 'programId', key: 'alreadyApplied', message: 'you already applied to this programme' }]),
  tooManyOpen: (max: number) => error('application.too_many_open', { max }),
  notEditable: (status: ApplicationStatus) => error('application.not_editable', { status }),
  // Codes of the programme and of the learning agreement, met while an application moves.
  unknownProgram: () => invalidField('programId', 'unknownProgram', 'is not a programme open to you'),
  documentsMissing: (types: string[]) =>
    error('application.documents_missing', { missing: types.join(', ') }, types.map((type) => ({ field: 'documents', key: 'missingDocument', message: `a ${type} document is required`, params: { type } }))),
  arrivalInFuture: () => invalidField('arrivedAt', 'inTheFuture', 'must not be in the future'),
};
