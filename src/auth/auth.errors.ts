import { defineErrors } from '../common/errors/define-errors.js';

export const authCatalogue = defineErrors('auth', {
  codes: {
    'auth.unauthenticated': { status: 401, title: { en: 'Authentication is required', fr: 'Authentification requise', ru: 'Требуется аутентификация' } },
    'auth.invalid_token': { status: 401, title: { en: 'The access token is invalid or expired', fr: "Le jeton d'accès est invalide ou expiré", ru: 'Токен доступа недействителен или истёк' } },
    'auth.invalid_credentials': { status: 401, title: { en: 'Wrong e-mail or password', fr: 'E-mail ou mot de passe incorrect', ru: 'Неверный e-mail или пароль' } },
    'auth.invalid_refresh_token': { status: 401, title: { en: 'The refresh token is invalid or expired', fr: 'Le jeton de rafraîchissement est invalide ou expiré', ru: 'Токен обновления недействителен или истёк' } },
    'auth.refresh_token_reused': { status: 401, title: { en: 'This refresh token was already used; the session was closed', fr: 'Ce jeton de rafraîchissement a déjà servi ; la session a été fermée', ru: 'Этот токен обновления уже использован; сеанс закрыт' } },
    'auth.email_taken': { status: 409, title: { en: 'An account with this e-mail already exists', fr: 'Un compte existe déjà avec cet e-mail', ru: 'Учётная запись с таким e-mail уже существует' } },
    'auth.invalid_password_token': { status: 400, title: { en: 'This invitation code is invalid, used or expired', fr: "Ce code d'invitation est invalide, déjà utilisé ou expiré", ru: 'Код приглашения недействителен, использован или истёк' } },
  },
  fields: {
    invalidInvitationCode: { en: 'is not a valid invitation code', fr: "n'est pas un code d'invitation valide", ru: 'не является действительным кодом приглашения' },
  },
});

const { error } = authCatalogue;

export const AuthErrors = {
  unauthenticated: () => error('auth.unauthenticated'),
  invalidToken: () => error('auth.invalid_token'),
  invalidCredentials: () => error('auth.invalid_credentials'),
  invalidRefreshToken: () => error('auth.invalid_refresh_token'),
  refreshTokenReused: () => error('auth.refresh_token_reused'),
  emailTaken: () => error('auth.email_taken'),
  invalidPasswordToken: () => error('auth.invalid_password_token', {}, [{ field: 'token', key: 'invalidInvitationCode', message: 'is not a valid invitation code' }]),
};
