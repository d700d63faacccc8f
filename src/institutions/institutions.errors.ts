import { defineErrors } from '../common/errors/define-errors.js';

export const institutionCatalogue = defineErrors('institution', {
  codes: {
    'institution.not_found': { status: 404, title: { en: 'Institution not found', fr: 'Établissement introuvable', ru: 'Учреждение не найдено' } },
    'institution.name_taken': { status: 409, title: { en: 'An institution with this name already exists', fr: 'Un établissement porte déjà ce nom', ru: 'Учреждение с таким названием уже существует' } },
  },
  fields: {
    unknownInstitution: { en: 'is not a known institution', fr: "n'est pas un établissement connu", ru: 'не является известным учреждением' },
  },
});

const { error, invalidField } = institutionCatalogue;

export const InstitutionErrors = {
  nameTaken: () => error('institution.name_taken', {}, [{ field: 'name', key: 'isTaken', message: 'is already taken' }]),
  unknown: (field: string) => invalidField(field, 'unknownInstitution', 'is not a known institution'),
};
