import { defineErrors } from '../common/errors/define-errors.js';

export const notificationCatalogue = defineErrors('notification', {
  codes: {
    'notification.not_found': { status: 404, title: { en: 'Notification not found', fr: 'Notification introuvable', ru: 'Уведомление не найдено' } },
  },
  fields: {
    notificationPreferences: {
      en: 'must map known kinds of notification to {"email": true|false}',
      fr: 'doit associer des types de notification connus à {"email": true|false}',
      ru: 'должно сопоставлять известные виды уведомлений с {"email": true|false}',
    },
  },
});

export const NotificationErrors = {
  notFound: () => notificationCatalogue.error('notification.not_found'),
};
