import type { OutgoingMail } from '../notifications/mail-queue.js';
import type { Locale, Role, User } from '../users/user.entity.js';

const escapeHtml = (text: string) => text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);

interface Words {
  subject: string;
  hello: (name: string) => string;
  opened: (role: string) => string;
  choose: (days: number) => string;
  how: string;
  roles: Record<Role, string>;
}

const WORDS: Record<Locale, Words> = {
  en: {
    subject: 'Your student exchange account',
    hello: (name) => `Hello ${name},`,
    opened: (role) => `an account (${role}) was opened for you on the student exchange platform.`,
    choose: (days) => `Choose your password within ${days} days with this code:`,
    how: 'Send it with your new password to',
    roles: { admin: 'administrator', coordinator: 'coordinator', host_school: 'host school', host_family: 'host family', student: 'student' },
  },
  fr: {
    subject: 'Votre compte sur la plateforme d’échanges scolaires',
    hello: (name) => `Bonjour ${name},`,
    opened: (role) => `un compte (${role}) vous a été ouvert sur la plateforme d’échanges scolaires.`,
    choose: (days) => `Choisissez votre mot de passe dans les ${days} jours avec ce code :`,
    how: 'Envoyez-le avec votre nouveau mot de passe à',
    roles: { admin: 'administrateur', coordinator: 'coordinateur', host_school: 'établissement d’accueil', host_family: 'famille d’accueil', student: 'élève' },
  },
  ru: {
    subject: 'Ваша учётная запись на платформе обменов',
    hello: (name) => `Здравствуйте, ${name}!`,
    opened: (role) => `Для вас открыта учётная запись (${role}) на платформе студенческих обменов.`,
    choose: (days) => `Выберите пароль в течение ${days} дней с помощью этого кода:`,
    how: 'Отправьте его вместе с новым паролем на',
    roles: { admin: 'администратор', coordinator: 'координатор', host_school: 'принимающая школа', host_family: 'принимающая семья', student: 'студент' },
  },
};

/** The invitation of a new staff account, in its owner's language: the code on a line of its own. */
export function invitationMail(user: Pick<User, 'email' | 'fullName' | 'role' | 'locale'>, code: string, validDays: number, publicUrl: string): OutgoingMail {
  const words = WORDS[user.locale] ?? WORDS.en;
  const role = words.roles[user.role];
  const endpoint = `${publicUrl}/api/v1/auth/set-password`;
  const text =
    `${words.hello(user.fullName)}\n\n${words.opened(role)}\n${words.choose(validDays)}\n\n${code}\n\n` +
    `${words.how} POST ${endpoint} ({"token": "<code>", "password": "<password>"})\n`;
  const html =
    `<p>${escapeHtml(words.hello(user.fullName))}</p>\n<p>${escapeHtml(words.opened(role))}<br>${escapeHtml(words.choose(validDays))}</p>\n` +
    `<p><code>${escapeHtml(code)}</code></p>\n<p>${escapeHtml(words.how)} <code>POST ${escapeHtml(endpoint)}</code></p>\n`;
  return { kind: 'account.invitation', to: user.email, subject: words.subject, text, html };
}
