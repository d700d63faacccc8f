import { defineErrors } from '../common/errors/define-errors.js';

export const portalCatalogue = defineErrors('portal', {
  codes: {
    'portal.sign_in_required': { status: 401, title: { en: 'Please sign in', fr: 'Veuillez vous connecter', ru: 'Пожалуйста, войдите' } },
    'portal.csrf_invalid': {
      status: 403,
      title: {
        en: 'This form has expired or did not come from this site; reload the page and try again',
        fr: "Ce formulaire a expiré ou ne vient pas de ce site ; rechargez la page et réessayez",
        ru: 'Срок действия формы истёк или она отправлена не с этого сайта; обновите страницу и повторите',
      },
    },
  },
});

export const PortalErrors = {
  signInRequired: () => portalCatalogue.error('portal.sign_in_required'),
  csrfInvalid: () => portalCatalogue.error('portal.csrf_invalid'),
};
