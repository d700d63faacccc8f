import { defineErrors } from '../common/errors/define-errors.js';
import { DomainError } from '../common/errors/domain-error.js';
import type { HostFamilyStatus } from './host-family.entity.js';

export const hostFamilyCatalogue = defineErrors('host_family', {
  codes: {
    'host_family.not_found': { status: 404, title: { en: 'Host family not found', fr: "Famille d'accueil introuvable", ru: 'Принимающая семья не найдена' } },
    'host_family.invalid_transition': { status: 409, title: { en: 'A host family in status {status} cannot {transition}', fr: "Une famille d'accueil au statut {status} ne permet pas {transition}", ru: 'Принимающая семья в статусе {status} не допускает {transition}' } },
    'host_family.capacity_in_use': {
      status: 409,
      title: { en: 'Its placements take {taken} beds on {day}: the capacity cannot be lower', fr: 'Ses placements occupent {taken} lits le {day} : la capacité ne peut pas être inférieure', ru: 'Размещения занимают {taken} мест {day}: вместимость не может быть меньше' },
    },
    'host_family.availability_in_use': {
      status: 409,
      title: { en: 'A placement runs from {startsOn} to {endsOn}: the availability must cover it', fr: 'Un placement court du {startsOn} au {endsOn} : la disponibilité doit le couvrir', ru: 'Размещение длится с {startsOn} по {endsOn}: доступность должна его охватывать' },
    },
  },
  fields: {
    familyReadOnly: { en: 'cannot be changed by the family (its coordinators change it)', fr: 'ne peut pas être modifié par la famille (ses coordinateurs le modifient)', ru: 'не может быть изменено семьёй (это делают её координаторы)' },
    notBefore: { en: 'must not be before {other}', fr: 'ne doit pas être antérieur à {other}', ru: 'не может быть раньше {other}' },
    vettingTooOld: { en: 'is more than 12 months ago: the vetting would already have expired', fr: "date de plus de 12 mois : la vérification aurait déjà expiré", ru: 'более 12 месяцев назад: проверка уже истекла бы' },
    unknownHostFamily: { en: 'is not a host family of this institution', fr: "n'est pas une famille d'accueil de cet établissement", ru: 'не является принимающей семьёй этого учреждения' },
  },
});

const { error, invalidField } = hostFamilyCatalogue;

export const HostFamilyErrors = {
  invalidTransition: (status: HostFamilyStatus, transition: string) => error('host_family.invalid_transition', { status, transition }),
  capacityInUse: (taken: number, day: string) => error('host_family.capacity_in_use', { taken, day }),
  availabilityInUse: (startsOn: string, endsOn: string) => error('host_family.availability_in_use', { startsOn, endsOn }),
  /** 403 (an action the role may not take), naming the fields. */
  familyReadOnly: (fields: string[]) =>
    new DomainError('access.forbidden', 403, {}, fields.map((field) => ({ field, key: 'familyReadOnly', message: 'cannot be changed by the family (its coordinators change it)' }))),
  notBefore: (field: string, other: string) => invalidField(field, 'notBefore', `must not be before ${other}`, { other }),
  inTheFuture: (field: string) => invalidField(field, 'inTheFuture', 'must not be in the future'),
  vettingTooOld: () => invalidField('backgroundCheckOn', 'vettingTooOld', 'is more than 12 months ago: the vetting would already have expired'),
  unknownHostFamily: () => invalidField('hostFamilyId', 'unknownHostFamily', 'is not a host family of this institution'),
};
