import { CommonErrors, type FieldError } from '../common/errors/domain-error.js';
import { defineErrors } from '../common/errors/define-errors.js';
import type { AgreementStatus } from './agreement.entity.js';

export const agreementCatalogue = defineErrors('agreement', {
  codes: {
    'agreement.not_found': { status: 404, title: { en: 'Agreement not found', fr: 'Accord introuvable', ru: 'Соглашение не найдено' } },
    'agreement.invalid_transition': { status: 409, title: { en: 'This agreement cannot do that in its current status ({status})', fr: 'Cet accord ne peut pas faire cela dans son statut actuel ({status})', ru: 'Соглашение не может этого в текущем статусе ({status})' } },
    'agreement.already_approved': { status: 409, title: { en: 'Your institution has already approved this version', fr: 'Votre établissement a déjà approuvé cette version', ru: 'Ваше учреждение уже одобрило эту версию' } },
    'agreement.not_active': { status: 409, title: { en: 'The agreement is not active', fr: "L'accord n'est pas actif", ru: 'Соглашение не действует' } },
    'agreement.quota_exceeded': { status: 409, title: { en: 'Not enough seats left in the quota (remaining: {remaining})', fr: 'Pas assez de places dans le quota (restantes : {remaining})', ru: 'Недостаточно мест в квоте (осталось: {remaining})' } },
    'agreement.conflicts_with_programs': { status: 409, title: { en: 'The change would leave existing programmes outside the agreement', fr: "La modification laisserait des programmes existants hors de l'accord", ru: 'Изменение оставит существующие программы вне соглашения' } },
  },
  fields: {
    notPartner: { en: 'must be a partner of the agreement', fr: "doit être partenaire de l'accord", ru: 'должно быть партнёром соглашения' },
    notActive: { en: 'the agreement is not active', fr: "l'accord n'est pas en vigueur", ru: 'соглашение не действует' },
    exceedsQuota: { en: 'exceeds the remaining quota ({remaining})', fr: 'dépasse le quota restant ({remaining})', ru: 'превышает оставшуюся квоту ({remaining})' },
    programmesOffer: {
      en: 'programmes already offer {seats} seats from {from} to {to} in {year}',
      fr: 'des programmes offrent déjà {seats} places de {from} vers {to} en {year}',
      ru: 'программы уже предлагают {seats} мест из {from} в {to} на {year}',
    },
    programStartsOn: { en: 'a programme starts on {date}', fr: 'un programme commence le {date}', ru: 'программа начинается {date}' },
    programEndsOn: { en: 'a programme ends on {date}', fr: 'un programme se termine le {date}', ru: 'программа заканчивается {date}' },
    sameInstitution: { en: 'must differ from the other institution', fr: "doit différer de l'autre établissement", ru: 'должно отличаться от другого учреждения' },
    duplicateQuota: { en: 'repeats a direction and year', fr: 'répète une direction et une année', ru: 'повторяет направление и год' },
    mustIncludeOwn: { en: 'must include your institution', fr: 'doit inclure votre établissement', ru: 'должно включать ваше учреждение' },
  },
});

const { error } = agreementCatalogue;

export const AgreementErrors = {
  invalidTransition: (status: AgreementStatus) => error('agreement.invalid_transition', { status }),
  alreadyApproved: () => error('agreement.already_approved'),
  notActive: () => error('agreement.not_active', {}, [{ field: 'agreementId', key: 'notActive', message: 'the agreement is not active' }]),
  quotaExceeded: (remaining: number, field = 'seats') =>
    error('agreement.quota_exceeded', { remaining }, [{ field, key: 'exceedsQuota', message: `exceeds the remaining quota (${remaining})`, params: { remaining } }]),
  conflictsWithPrograms: (errors: FieldError[]) => error('agreement.conflicts_with_programs', {}, errors),
  invalid: (errors: FieldError[]) => CommonErrors.validation(errors),
};
