import { defineErrors } from '../common/errors/define-errors.js';

export const calendarFeedCatalogue = defineErrors('calendar_feed', {
  codes: {
    'calendar_feed.not_found': {
      status: 404,
      title: { en: 'No such calendar link: it may have been replaced by a new one', fr: "Ce lien d'agenda n'existe pas : il a peut-être été remplacé par un nouveau", ru: 'Такой ссылки на календарь нет: возможно, её заменили новой' },
    },
  },
});
