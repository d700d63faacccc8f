import type { Locale } from '../../users/user.entity.js';

/**
 * Titles of every error code, and messages of validation constraints, in the three
 * languages of the product. `{name}` is replaced by the error's parameter of that name.
 * A code missing here falls back to its HTTP reason phrase.
 */
type Text = Record<Locale, string>;

export const titles: Record<string, Text> = {
  'validation.failed': { en: 'The request has invalid fields', fr: 'La requête contient des champs invalides', ru: 'Запрос содержит недопустимые поля' },
  'request.malformed_json': { en: 'The body is not valid JSON', fr: "Le corps n'est pas un JSON valide", ru: 'Тело запроса не является корректным JSON' },
  'request.body_too_large': { en: 'The body is too large', fr: 'Le corps de la requête est trop volumineux', ru: 'Тело запроса слишком велико' },
  'request.unsupported_media_type': { en: 'This content type is not accepted', fr: "Ce type de contenu n'est pas accepté", ru: 'Этот тип содержимого не принимается' },
  'request.bad_request': { en: 'The request cannot be processed', fr: 'La requête ne peut pas être traitée', ru: 'Запрос не может быть обработан' },
  'request.too_many_parts': { en: 'The form has too many parts', fr: 'Le formulaire a trop de parties', ru: 'В форме слишком много частей' },
  'request.conflict': { en: 'The request collided with another one; try again', fr: 'La requête est entrée en conflit avec une autre ; réessayez', ru: 'Запрос столкнулся с другим; повторите попытку' },
  'route.not_found': { en: 'No such route', fr: 'Route inconnue', ru: 'Такого маршрута нет' },
  'route.method_not_allowed': { en: 'Method not allowed', fr: 'Méthode non autorisée', ru: 'Метод не разрешён' },
  'auth.unauthenticated': { en: 'Authentication is required', fr: 'Authentification requise', ru: 'Требуется аутентификация' },
  'auth.invalid_token': { en: 'The access token is invalid or expired', fr: "Le jeton d'accès est invalide ou expiré", ru: 'Токен доступа недействителен или истёк' },
  'auth.invalid_credentials': { en: 'Wrong e-mail or password', fr: 'E-mail ou mot de passe incorrect', ru: 'Неверный e-mail или пароль' },
  'auth.invalid_refresh_token': { en: 'The refresh token is invalid or expired', fr: 'Le jeton de rafraîchissement est invalide ou expiré', ru: 'Токен обновления недействителен или истёк' },
  'auth.refresh_token_reused': { en: 'This refresh token was already used; the session was closed', fr: 'Ce jeton de rafraîchissement a déjà servi ; la session a été fermée', ru: 'Этот токен обновления уже использован; сеанс закрыт' },
  'auth.email_taken': { en: 'An account with this e-mail already exists', fr: 'Un compte existe déjà avec cet e-mail', ru: 'Учётная запись с таким e-mail уже существует' },
  'auth.invalid_password_token': { en: 'This invitation code is invalid, used or expired', fr: "Ce code d'invitation est invalide, déjà utilisé ou expiré", ru: 'Код приглашения недействителен, использован или истёк' },
  'access.forbidden': { en: 'You may not do this', fr: "Vous n'êtes pas autorisé à faire cela", ru: 'У вас нет прав на это действие' },
  'rate_limit.exceeded': { en: 'Too many attempts; try again in {retryAfter} s', fr: 'Trop de tentatives ; réessayez dans {retryAfter} s', ru: 'Слишком много попыток; повторите через {retryAfter} с' },
  'idempotency.key_reused': { en: 'This Idempotency-Key was used with another request', fr: 'Cette Idempotency-Key a servi pour une autre requête', ru: 'Этот Idempotency-Key уже использован для другого запроса' },
  'idempotency.in_progress': { en: 'A request with this Idempotency-Key is still running', fr: 'Une requête avec cette Idempotency-Key est encore en cours', ru: 'Запрос с этим Idempotency-Key ещё выполняется' },
  'user.not_found': { en: 'User not found', fr: 'Utilisateur introuvable', ru: 'Пользователь не найден' },
  'institution.not_found': { en: 'Institution not found', fr: 'Établissement introuvable', ru: 'Учреждение не найдено' },
  'institution.name_taken': { en: 'An institution with this name already exists', fr: 'Un établissement porte déjà ce nom', ru: 'Учреждение с таким названием уже существует' },
  'agreement.not_found': { en: 'Agreement not found', fr: 'Accord introuvable', ru: 'Соглашение не найдено' },
  'agreement.invalid_transition': { en: 'This agreement cannot do that in its current status ({status})', fr: 'Cet accord ne peut pas faire cela dans son statut actuel ({status})', ru: 'Соглашение не может этого в текущем статусе ({status})' },
  'agreement.already_approved': { en: 'Your institution has already approved this version', fr: 'Votre établissement a déjà approuvé cette version', ru: 'Ваше учреждение уже одобрило эту версию' },
  'agreement.not_active': { en: 'The agreement is not active', fr: "L'accord n'est pas actif", ru: 'Соглашение не действует' },
  'agreement.quota_exceeded': { en: 'Not enough seats left in the quota (remaining: {remaining})', fr: 'Pas assez de places dans le quota (restantes : {remaining})', ru: 'Недостаточно мест в квоте (осталось: {remaining})' },
  'agreement.conflicts_with_programs': { en: 'The change would leave existing programmes outside the agreement', fr: "La modification laisserait des programmes existants hors de l'accord", ru: 'Изменение оставит существующие программы вне соглашения' },
  'program.has_live_applications': { en: 'Applications are still under way in this programme', fr: 'Des candidatures sont encore en cours dans ce programme', ru: 'В программе есть незавершённые заявки' },
  'program.not_found': { en: 'Programme not found', fr: 'Programme introuvable', ru: 'Программа не найдена' },
  'program.invalid_transition': { en: 'This programme cannot do that in its current status ({status})', fr: 'Ce programme ne peut pas faire cela dans son statut actuel ({status})', ru: 'Программа не может этого в текущем статусе ({status})' },
  'application.not_found': { en: 'Application not found', fr: 'Candidature introuvable', ru: 'Заявка не найдена' },
  'application.invalid_transition': { en: 'An application in status {status} cannot {transition}', fr: 'Une candidature au statut {status} ne permet pas {transition}', ru: 'Заявка в статусе {status} не допускает {transition}' },
  'application.already_exists': { en: 'You already applied to this programme', fr: 'Vous avez déjà candidaté à ce programme', ru: 'Вы уже подали заявку на эту программу' },
  'application.too_many_open': { en: 'You already have {max} open applications', fr: 'Vous avez déjà {max} candidatures en cours', ru: 'У вас уже {max} незавершённых заявок' },
  'application.not_editable': { en: 'Only a draft can be edited (status: {status})', fr: 'Seul un brouillon peut être modifié (statut : {status})', ru: 'Изменять можно только черновик (статус: {status})' },
  'application.documents_missing': { en: 'Required documents are missing: {missing}', fr: 'Documents obligatoires manquants : {missing}', ru: 'Не хватает обязательных документов: {missing}' },
  'program.seats_exhausted': { en: 'No seat is left in this programme', fr: 'Plus aucune place dans ce programme', ru: 'В программе не осталось мест' },
  'program.not_open': { en: 'The application window of this programme is not open', fr: "La période de candidature de ce programme n'est pas ouverte", ru: 'Приём заявок на эту программу закрыт' },
  'learning_agreement.not_found': { en: 'Learning agreement not found', fr: "Contrat d'études introuvable", ru: 'Учебное соглашение не найдено' },
  'learning_agreement.not_approved': { en: 'The learning agreement is not signed by all three parties yet', fr: "Le contrat d'études n'est pas encore signé par les trois parties", ru: 'Учебное соглашение ещё не подписано всеми тремя сторонами' },
  'learning_agreement.not_required': { en: 'This programme has no learning agreement', fr: "Ce programme n'a pas de contrat d'études", ru: 'Для этой программы учебное соглашение не предусмотрено' },
  'learning_agreement.already_signed': { en: 'You have already signed this version', fr: 'Vous avez déjà signé cette version', ru: 'Вы уже подписали эту версию' },
  'document.not_found': { en: 'Document not found', fr: 'Document introuvable', ru: 'Документ не найден' },
  'document.too_large': { en: 'The file is larger than 10 MiB', fr: 'Le fichier dépasse 10 Mio', ru: 'Файл больше 10 МиБ' },
  'document.unsupported_type': { en: 'Only PDF, JPEG and PNG files are accepted, with a matching name', fr: 'Seuls les fichiers PDF, JPEG et PNG sont acceptés, avec un nom correspondant', ru: 'Принимаются только файлы PDF, JPEG и PNG с соответствующим именем' },
  'document.empty': { en: 'The file is empty', fr: 'Le fichier est vide', ru: 'Файл пуст' },
  'database.unavailable': { en: 'The database is unavailable; try again shortly', fr: 'La base de données est indisponible ; réessayez dans un instant', ru: 'База данных недоступна; повторите попытку чуть позже' },
  'internal.error': { en: 'Something went wrong on our side', fr: 'Une erreur interne est survenue', ru: 'Внутренняя ошибка сервера' },
};

/** Messages of field errors, by class-validator constraint or our own key. */
export const fieldMessages: Record<string, Text> = {
  whitelistValidation: { en: 'is not an allowed field', fr: "n'est pas un champ autorisé", ru: 'недопустимое поле' },
  isDefined: { en: 'is required', fr: 'est obligatoire', ru: 'обязательное поле' },
  isNotEmpty: { en: 'must not be empty', fr: 'ne doit pas être vide', ru: 'не должно быть пустым' },
  isString: { en: 'must be a string', fr: 'doit être une chaîne de caractères', ru: 'должно быть строкой' },
  isEmail: { en: 'must be an e-mail address', fr: 'doit être une adresse e-mail', ru: 'должно быть адресом e-mail' },
  isUuid: { en: 'must be a UUID', fr: 'doit être un UUID', ru: 'должно быть UUID' },
  isInt: { en: 'must be an integer', fr: 'doit être un entier', ru: 'должно быть целым числом' },
  isBoolean: { en: 'must be true or false', fr: 'doit être true ou false', ru: 'должно быть true или false' },
  isIn: { en: 'must be one of: {values}', fr: 'doit être parmi : {values}', ru: 'должно быть одним из: {values}' },
  isEnum: { en: 'must be one of: {values}', fr: 'doit être parmi : {values}', ru: 'должно быть одним из: {values}' },
  min: { en: 'must be at least {min}', fr: 'doit être au moins {min}', ru: 'должно быть не меньше {min}' },
  max: { en: 'must be at most {max}', fr: 'doit être au plus {max}', ru: 'должно быть не больше {max}' },
  isLength: { en: 'must be {min} to {max} characters long', fr: 'doit contenir de {min} à {max} caractères', ru: 'должно содержать от {min} до {max} символов' },
  isISO31661Alpha2: { en: 'must be an ISO 3166-1 alpha-2 country code', fr: 'doit être un code pays ISO 3166-1 alpha-2', ru: 'должно быть кодом страны ISO 3166-1 alpha-2' },
  isTimeZone: { en: 'must be an IANA time zone such as Europe/Paris', fr: 'doit être un fuseau IANA comme Europe/Paris', ru: 'должно быть часовым поясом IANA, например Europe/Moscow' },
  isObject: { en: 'must be an object', fr: 'doit être un objet', ru: 'должно быть объектом' },
  body: { en: 'the body must be a JSON object', fr: 'le corps doit être un objet JSON', ru: 'тело запроса должно быть JSON-объектом' },
  noNulCharacter: { en: 'must not contain the NUL character', fr: 'ne doit pas contenir le caractère NUL', ru: 'не должно содержать символ NUL' },
  tooDeep: { en: 'is nested more than {max} levels deep', fr: 'est imbriqué sur plus de {max} niveaux', ru: 'вложено глубже {max} уровней' },
  commonPassword: { en: 'is too common; choose another password', fr: 'est trop courant ; choisissez un autre mot de passe', ru: 'слишком распространён; выберите другой пароль' },
  invalidCursor: { en: 'is not a cursor returned by this list', fr: "n'est pas un curseur renvoyé par cette liste", ru: 'не является курсором этого списка' },
  required: { en: 'is required', fr: 'est obligatoire', ru: 'обязательное поле' },
  isAcademicYear: { en: 'must be an academic year such as 2027/2028', fr: 'doit être une année universitaire comme 2027/2028', ru: 'должно быть учебным годом, например 2027/2028' },
  isCalendarDate: { en: 'must be a date YYYY-MM-DD', fr: 'doit être une date AAAA-MM-JJ', ru: 'должно быть датой ГГГГ-ММ-ДД' },
  isInstant: { en: 'must be an ISO 8601 date-time with an offset', fr: 'doit être une date-heure ISO 8601 avec décalage', ru: 'должно быть датой-временем ISO 8601 со смещением' },
  isArray: { en: 'must be a list', fr: 'doit être une liste', ru: 'должно быть списком' },
  arrayMinSize: { en: 'must have at least {min} items', fr: 'doit contenir au moins {min} éléments', ru: 'должно содержать не меньше {min} элементов' },
  arrayMaxSize: { en: 'must have at most {max} items', fr: 'doit contenir au plus {max} éléments', ru: 'должно содержать не больше {max} элементов' },
  arrayUnique: { en: 'must not repeat an item', fr: 'ne doit pas contenir de doublon', ru: 'не должно содержать повторов' },
  notAfter: { en: 'must be before {other}', fr: 'doit précéder {other}', ru: 'должно быть раньше {other}' },
  notInside: { en: 'must lie within {range}', fr: 'doit être compris dans {range}', ru: 'должно быть в пределах {range}' },
  notPartner: { en: 'must be a partner of the agreement', fr: "doit être partenaire de l'accord", ru: 'должно быть партнёром соглашения' },
  sameInstitution: { en: 'must differ from the other institution', fr: "doit différer de l'autre établissement", ru: 'должно отличаться от другого учреждения' },
  duplicateQuota: { en: 'repeats a direction and year', fr: 'répète une direction et une année', ru: 'повторяет направление и год' },
  mustIncludeOwn: { en: 'must include your institution', fr: 'doit inclure votre établissement', ru: 'должно включать ваше учреждение' },
  notOwnSide: { en: 'your institution must be the sending or the receiving one', fr: "votre établissement doit être l'envoyeur ou l'accueillant", ru: 'ваше учреждение должно быть направляющим или принимающим' },
  unknownAgreement: { en: 'is not an agreement of yours', fr: "n'est pas l'un de vos accords", ru: 'не является вашим соглашением' },
  inThePast: { en: 'is in the past', fr: 'est dans le passé', ru: 'уже в прошлом' },
  unknownProgram: { en: 'is not a programme open to you', fr: "n'est pas un programme qui vous est ouvert", ru: 'не является доступной вам программой' },
  missingDocument: { en: 'a {type} document is required', fr: 'un document {type} est requis', ru: 'требуется документ {type}' },
  inTheFuture: { en: 'must not be in the future', fr: 'ne doit pas être dans le futur', ru: 'не может быть в будущем' },
  unknownInstitution: { en: 'is not a known institution', fr: "n'est pas un établissement connu", ru: 'не является известным учреждением' },
};

function interpolate(text: string, params: Record<string, string | number> = {}): string {
  return text.replace(/\{(\w+)\}/g, (whole, name: string) => (name in params ? String(params[name]) : whole));
}

export function titleOf(code: string, locale: Locale, fallback: string, params?: Record<string, string | number>): string {
  const text = titles[code];
  return text ? interpolate(text[locale], params) : fallback;
}

export function fieldMessageOf(key: string | null, locale: Locale, fallback: string, params?: Record<string, string | number>): string {
  const text = key ? fieldMessages[key] : undefined;
  return text ? interpolate(text[locale], params) : fallback;
}
