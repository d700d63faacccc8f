import { defineErrors } from '../common/errors/define-errors.js';
import type { ProgramStatus } from './program.entity.js';

export const programCatalogue = defineErrors('program', {
  codes: {
    'program.not_found': { status: 404, title: { en: 'Programme not found', fr: 'Programme introuvable', ru: 'Программа не найдена' } },
    'program.invalid_transition': { status: 409, title: { en: 'This programme cannot do that in its current status ({status})', fr: 'Ce programme ne peut pas faire cela dans son statut actuel ({status})', ru: 'Программа не может этого в текущем статусе ({status})' } },
    'program.has_live_applications': { status: 409, title: { en: 'Applications are still under way in this programme', fr: 'Des candidatures sont encore en cours dans ce programme', ru: 'В программе есть незавершённые заявки' } },
    'program.seats_exhausted': { status: 409, title: { en: 'No seat is left in this programme', fr: 'Plus aucune place dans ce programme', ru: 'В программе не осталось мест' } },
    'program.not_open': { status: 409, title: { en: 'The application window of this programme is not open', fr: "La période de candidature de ce programme n'est pas ouverte", ru: 'Приём заявок на эту программу закрыт' } },
  },
  fields: {
    notOwnSide: { en: 'your institution must be the sending or the receiving one', fr: "votre établissement doit être l'envoyeur ou l'accueillant", ru: 'ваше учреждение должно быть направляющим или принимающим' },
    unknownAgreement: { en: 'is not an agreement of yours', fr: "n'est pas l'un de vos accords", ru: 'не является вашим соглашением' },
    academicYearOfStart: {
      en: "must be the academic year of startsOn ({year}): its seats count against that year's quota",
      fr: "doit être l'année universitaire de startsOn ({year}) : ses places comptent dans le quota de cette année",
      ru: 'должен быть учебный год startsOn ({year}): места программы считаются по квоте этого года',
    },
  },
});

const { error, invalidField } = programCatalogue;

export const ProgramErrors = {
  invalidTransition: (status: ProgramStatus) => error('program.invalid_transition', { status }),
  hasLiveApplications: () => error('program.has_live_applications'),
  seatsExhausted: () => error('program.seats_exhausted'),
  notOpen: () => error('program.not_open'),
  unknownAgreement: () => invalidField('agreementId', 'unknownAgreement', 'is not an agreement of yours'),
};
