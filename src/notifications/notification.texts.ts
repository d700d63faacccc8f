import type { Text } from '../common/errors/define-errors.js';
import type { NotificationKind } from './notification.entity.js';

/**
 * What each kind of notification says, in the three languages of the product: a subject
 * (the in-app title) and a body (the in-app text; the mail's paragraphs, one per line).
 * `{name}` is replaced by the notification's parameter of that name; a parameter missing
 * or null leaves its line out when the line is marked optional with `?` in front.
 * These texts are plain: the HTML layout escapes the whole of them, user-typed values
 * included.
 */
export interface KindTexts {
  subject: Text;
  body: Text;
}

export const NOTIFICATION_TEXTS = {
  'application.submitted': {
    subject: { en: 'New application: {studentName}', fr: 'Nouvelle candidature : {studentName}', ru: 'Новая заявка: {studentName}' },
    body: {
      en: '{studentName} applied to the programme “{programTitle}”. It waits for your nomination.',
      fr: '{studentName} a candidaté au programme « {programTitle} ». La candidature attend votre nomination.',
      ru: '{studentName} подал(а) заявку на программу «{programTitle}». Она ждёт вашего выдвижения.',
    },
  },
  'application.nominated': {
    subject: { en: 'Nominated: {studentName}, “{programTitle}”', fr: 'Nomination : {studentName}, « {programTitle} »', ru: 'Выдвижение: {studentName}, «{programTitle}»' },
    body: {
      en: '{studentName} was nominated for the programme “{programTitle}” by {sendingInstitution}.\n?Comment: {comment}',
      fr: '{studentName} a été nommé(e) pour le programme « {programTitle} » par {sendingInstitution}.\n?Commentaire : {comment}',
      ru: '{studentName} выдвинут(а) на программу «{programTitle}» учреждением {sendingInstitution}.\n?Комментарий: {comment}',
    },
  },
  'application.accepted': {
    subject: { en: 'Accepted: “{programTitle}”', fr: 'Acceptée : « {programTitle} »', ru: 'Принята: «{programTitle}»' },
    body: {
      en: 'Your application to the programme “{programTitle}” was accepted by {receivingInstitution}. Confirm or decline your place.',
      fr: 'Votre candidature au programme « {programTitle} » a été acceptée par {receivingInstitution}. Confirmez ou déclinez votre place.',
      ru: 'Ваша заявка на программу «{programTitle}» принята учреждением {receivingInstitution}. Подтвердите место или откажитесь от него.',
    },
  },
  'application.waitlisted': {
    subject: { en: 'On the waiting list: “{programTitle}”', fr: 'Liste d’attente : « {programTitle} »', ru: 'Лист ожидания: «{programTitle}»' },
    body: {
      en: 'Your application to the programme “{programTitle}” is on the waiting list of {receivingInstitution}.',
      fr: 'Votre candidature au programme « {programTitle} » est sur la liste d’attente de {receivingInstitution}.',
      ru: 'Ваша заявка на программу «{programTitle}» внесена в лист ожидания учреждения {receivingInstitution}.',
    },
  },
  'application.rejected': {
    subject: { en: 'Not retained: “{programTitle}”', fr: 'Non retenue : « {programTitle} »', ru: 'Отклонена: «{programTitle}»' },
    body: {
      en: 'Your application to the programme “{programTitle}” was not retained.\n?Reason: {reason}',
      fr: 'Votre candidature au programme « {programTitle} » n’a pas été retenue.\n?Motif : {reason}',
      ru: 'Ваша заявка на программу «{programTitle}» отклонена.\n?Причина: {reason}',
    },
  },
  'application.cancelled': {
    subject: { en: 'Cancelled: “{programTitle}”', fr: 'Annulée : « {programTitle} »', ru: 'Отменена: «{programTitle}»' },
    body: {
      en: 'Your application to the programme “{programTitle}” was cancelled.\n?Reason: {reason}',
      fr: 'Votre candidature au programme « {programTitle} » a été annulée.\n?Motif : {reason}',
      ru: 'Ваша заявка на программу «{programTitle}» отменена.\n?Причина: {reason}',
    },
  },
  'application.confirmed': {
    subject: { en: 'Place confirmed: {studentName}', fr: 'Place confirmée : {studentName}', ru: 'Место подтверждено: {studentName}' },
    body: {
      en: '{studentName} confirmed the place on the programme “{programTitle}” ({startsOn} – {endsOn}).',
      fr: '{studentName} a confirmé sa place au programme « {programTitle} » ({startsOn} – {endsOn}).',
      ru: '{studentName} подтвердил(а) место на программе «{programTitle}» ({startsOn} – {endsOn}).',
    },
  },
  'application.declined': {
    subject: { en: 'Place declined: {studentName}', fr: 'Place déclinée : {studentName}', ru: 'Отказ от места: {studentName}' },
    body: {
      en: '{studentName} declined the place offered on the programme “{programTitle}”. The seat is free again.',
      fr: '{studentName} a décliné la place offerte au programme « {programTitle} ». La place est de nouveau libre.',
      ru: '{studentName} отказался(лась) от места на программе «{programTitle}». Место снова свободно.',
    },
  },
  'application.withdrawn': {
    subject: { en: 'Application withdrawn: {studentName}', fr: 'Candidature retirée : {studentName}', ru: 'Заявка отозвана: {studentName}' },
    body: {
      en: '{studentName} withdrew the application to the programme “{programTitle}”.\n?Comment: {comment}',
      fr: '{studentName} a retiré sa candidature au programme « {programTitle} ».\n?Commentaire : {comment}',
      ru: '{studentName} отозвал(а) заявку на программу «{programTitle}».\n?Комментарий: {comment}',
    },
  },
  'agreement.awaiting_approval': {
    subject: { en: 'Agreement to approve: “{agreementTitle}”', fr: 'Accord à approuver : « {agreementTitle} »', ru: 'Соглашение ждёт одобрения: «{agreementTitle}»' },
    body: {
      en: 'The agreement “{agreementTitle}” (version {version}, {startsOn} – {endsOn}) waits for your institution’s approval.',
      fr: 'L’accord « {agreementTitle} » (version {version}, {startsOn} – {endsOn}) attend l’approbation de votre établissement.',
      ru: 'Соглашение «{agreementTitle}» (версия {version}, {startsOn} – {endsOn}) ждёт одобрения вашего учреждения.',
    },
  },
  'agreement.approved': {
    subject: { en: 'Agreement in force: “{agreementTitle}”', fr: 'Accord en vigueur : « {agreementTitle} »', ru: 'Соглашение вступило в силу: «{agreementTitle}»' },
    body: {
      en: 'Every partner approved the agreement “{agreementTitle}”: it is active from {startsOn} to {endsOn}.',
      fr: 'Tous les partenaires ont approuvé l’accord « {agreementTitle} » : il est actif du {startsOn} au {endsOn}.',
      ru: 'Все партнёры одобрили соглашение «{agreementTitle}»: оно действует с {startsOn} по {endsOn}.',
    },
  },
  'agreement.terminated': {
    subject: { en: 'Agreement terminated: “{agreementTitle}”', fr: 'Accord résilié : « {agreementTitle} »', ru: 'Соглашение расторгнуто: «{agreementTitle}»' },
    body: {
      en: 'The agreement “{agreementTitle}” was terminated.\n?Reason: {reason}',
      fr: 'L’accord « {agreementTitle} » a été résilié.\n?Motif : {reason}',
      ru: 'Соглашение «{agreementTitle}» расторгнуто.\n?Причина: {reason}',
    },
  },
  'placement.proposed': {
    subject: { en: 'A student to host: {studentName}', fr: 'Un étudiant à accueillir : {studentName}', ru: 'Предложено разместить студента: {studentName}' },
    body: {
      en: '{receivingInstitution} proposes that you host {studentName} ({programTitle}) from {startsOn} to {endsOn}. Accept or decline the placement.',
      fr: '{receivingInstitution} vous propose d’accueillir {studentName} ({programTitle}) du {startsOn} au {endsOn}. Acceptez ou refusez le placement.',
      ru: '{receivingInstitution} предлагает вам принять студента {studentName} ({programTitle}) с {startsOn} по {endsOn}. Примите или отклоните размещение.',
    },
  },
  'placement.accepted': {
    subject: { en: 'Placement accepted: {studentName} with {familyName}', fr: 'Placement accepté : {studentName} chez {familyName}', ru: 'Размещение принято: {studentName}, семья {familyName}' },
    body: {
      en: 'The host family {familyName} accepted to host {studentName} from {startsOn} to {endsOn}.',
      fr: 'La famille d’accueil {familyName} a accepté d’accueillir {studentName} du {startsOn} au {endsOn}.',
      ru: 'Принимающая семья {familyName} согласилась принять студента {studentName} с {startsOn} по {endsOn}.',
    },
  },
  'placement.declined': {
    subject: { en: 'Placement declined: {studentName} with {familyName}', fr: 'Placement refusé : {studentName} chez {familyName}', ru: 'Размещение отклонено: {studentName}, семья {familyName}' },
    body: {
      en: 'The host family {familyName} declined to host {studentName}. Propose another family.\n?Reason: {reason}',
      fr: 'La famille d’accueil {familyName} a refusé d’accueillir {studentName}. Proposez une autre famille.\n?Motif : {reason}',
      ru: 'Принимающая семья {familyName} отказалась принять студента {studentName}. Предложите другую семью.\n?Причина: {reason}',
    },
  },
  'arrival.expected': {
    subject: { en: 'Arriving soon: {studentName}', fr: 'Arrivée prochaine : {studentName}', ru: 'Скоро прибытие: {studentName}' },
    body: {
      en: '{studentName} ({programTitle}) arrives on {arrivalAt}.\n?Arrival point: {arrivalPoint}\n?Reference: {reference}',
      fr: '{studentName} ({programTitle}) arrive le {arrivalAt}.\n?Lieu d’arrivée : {arrivalPoint}\n?Référence : {reference}',
      ru: '{studentName} ({programTitle}) прибывает {arrivalAt}.\n?Место прибытия: {arrivalPoint}\n?Рейс / поезд: {reference}',
    },
  },
  'checklist.due_soon': {
    subject: { en: 'Due on {dueOn}: {itemTitle} for {studentName}', fr: 'À faire avant le {dueOn} : {itemTitle} pour {studentName}', ru: 'Срок {dueOn}: {itemTitle}, {studentName}' },
    body: {
      en: 'The arrival formality “{itemTitle}” of {studentName} is due on {dueOn}.',
      fr: 'La formalité d’arrivée « {itemTitle} » de {studentName} est à accomplir avant le {dueOn}.',
      ru: 'Формальность по прибытии «{itemTitle}» для студента {studentName} нужно выполнить до {dueOn}.',
    },
  },
  'checklist.overdue': {
    subject: { en: 'Overdue: {itemTitle} for {studentName}', fr: 'En retard : {itemTitle} pour {studentName}', ru: 'Просрочено: {itemTitle}, {studentName}' },
    body: {
      en: 'The arrival formality “{itemTitle}” of {studentName} was due on {dueOn} and is not done.',
      fr: 'La formalité d’arrivée « {itemTitle} » de {studentName} était à accomplir avant le {dueOn} et ne l’est pas.',
      ru: 'Формальность по прибытии «{itemTitle}» для студента {studentName} нужно было выполнить до {dueOn}, она не выполнена.',
    },
  },
  'host_family.vetting_expiring': {
    subject: { en: 'Vetting expires on {expiresOn}: {familyName}', fr: 'La vérification expire le {expiresOn} : {familyName}', ru: 'Проверка истекает {expiresOn}: {familyName}' },
    body: {
      en: 'The vetting of the host family {familyName} expires on {expiresOn}. Record a new one before, or the family can no longer be placed with.',
      fr: 'La vérification de la famille d’accueil {familyName} expire le {expiresOn}. Enregistrez-en une nouvelle avant, sans quoi aucun étudiant ne pourra y être placé.',
      ru: 'Проверка принимающей семьи {familyName} истекает {expiresOn}. Проведите новую до этой даты, иначе к семье нельзя будет разместить студентов.',
    },
  },
  'account.invitation': {
    subject: { en: 'Your account', fr: 'Votre compte', ru: 'Ваша учётная запись' },
    body: { en: 'An account was made for you.', fr: 'Un compte a été créé pour vous.', ru: 'Для вас создана учётная запись.' },
  },
} as const satisfies Record<NotificationKind, KindTexts>;

/** The words of the mail layout around a notification's own texts. */
export const LAYOUT_TEXTS = {
  greeting: { en: 'Hello {name},', fr: 'Bonjour {name},', ru: 'Здравствуйте, {name}!' },
  open: { en: 'Open in the exchange platform', fr: 'Ouvrir dans la plateforme d’échanges', ru: 'Открыть на платформе обменов' },
  footer: {
    en: 'You receive this mail because of your role in the student exchange platform. You can turn off the e-mails of this kind in your profile; the message stays in your notifications.',
    fr: 'Vous recevez ce message en raison de votre rôle dans la plateforme d’échanges. Vous pouvez désactiver les e-mails de ce type dans votre profil ; le message reste dans vos notifications.',
    ru: 'Вы получили это письмо в связи с вашей ролью на платформе студенческих обменов. Письма этого вида можно отключить в профиле; сообщение останется в ваших уведомлениях.',
  },
} as const satisfies Record<string, Text>;
