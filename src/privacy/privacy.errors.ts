import { defineErrors } from '../common/errors/define-errors.js';

export const privacyCatalogue = defineErrors('privacy', {
  codes: {
    'privacy.mobility_in_progress': {
      status: 409,
      title: {
        en: 'A mobility is under way (an application is {status}): the data cannot be erased before it ends',
        fr: "Une mobilité est en cours (une candidature est au statut {status}) : les données ne peuvent pas être effacées avant sa fin",
        ru: 'Идёт мобильность (заявка в статусе {status}): данные нельзя удалить до её окончания',
      },
    },
    'privacy.last_admin': {
      status: 409,
      title: {
        en: 'This is the last administrator account: erasing it would leave the platform without one',
        fr: "C'est le dernier compte administrateur : l'effacer laisserait la plateforme sans administrateur",
        ru: 'Это последняя учётная запись администратора: её удаление оставит платформу без администратора',
      },
    },
    'privacy.host_family_has_live_placements': {
      status: 409,
      title: {
        en: 'The family has a proposed or accepted placement: end, cancel or decline it before erasing its data',
        fr: "La famille a un placement proposé ou accepté : terminez-le, annulez-le ou refusez-le avant d'effacer ses données",
        ru: 'У семьи есть предложенное или принятое размещение: завершите, отмените или отклоните его перед удалением данных',
      },
    },
  },
});

const { error } = privacyCatalogue;

export const PrivacyErrors = {
  mobilityInProgress: (status: string) => error('privacy.mobility_in_progress', { status }),
  lastAdmin: () => error('privacy.last_admin'),
  familyHasLivePlacements: () => error('privacy.host_family_has_live_placements'),
};
