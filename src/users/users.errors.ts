import { defineErrors } from '../common/errors/define-errors.js';
import { InstitutionErrors } from '../institutions/institutions.errors.js';

export const userCatalogue = defineErrors('user', {
  codes: {
    'user.not_found': { status: 404, title: { en: 'User not found', fr: 'Utilisateur introuvable', ru: 'Пользователь не найден' } },
  },
  fields: {
    onlyForHostFamilies: { en: 'is only for host_family users', fr: 'est réservé aux utilisateurs host_family', ru: 'только для пользователей host_family' },
    commonPassword: { en: 'is too common; choose another password', fr: 'est trop courant ; choisissez un autre mot de passe', ru: 'слишком распространён; выберите другой пароль' },
  },
});

const { invalidField } = userCatalogue;

export const UserErrors = {
  institutionRequired: () => invalidField('institutionId', 'required', 'is required for this role'),
  unknownInstitution: (field = 'institutionId') => InstitutionErrors.unknown(field),
  hostFamilyRequired: () => invalidField('hostFamilyId', 'required', 'is required for a host_family user'),
  hostFamilyOnlyForFamilies: () => invalidField('hostFamilyId', 'onlyForHostFamilies', 'is only for host_family users'),
  commonPassword: () => invalidField('password', 'commonPassword', 'is too common; choose another password'),
};
