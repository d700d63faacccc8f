import type { Catalogue, Text } from './define-errors.js';

/**
 * Titles of the codes that belong to no one domain (malformed requests, access, limits,
 * idempotency, internal errors), and messages of the generic field-error keys: the
 * constraints of class-validator and of our own validators. A domain's codes and keys
 * live in its src/<domain>/<domain>.errors.ts; every catalogue is listed in ./catalogue.ts.
 */
const titles = {
  'validation.failed': { en: 'The request has invalid fields', fr: 'La requête contient des champs invalides', ru: 'Запрос содержит недопустимые поля' },
  'request.malformed_json': { en: 'The body is not valid JSON', fr: "Le corps n'est pas un JSON valide", ru: 'Тело запроса не является корректным JSON' },
  'request.body_too_large': { en: 'The body is too large', fr: 'Le corps de la requête est trop volumineux', ru: 'Тело запроса слишком велико' },
  'request.unsupported_media_type': { en: 'This content type is not accepted', fr: "Ce type de contenu n'est pas accepté", ru: 'Этот тип содержимого не принимается' },
  'request.bad_request': { en: 'The request cannot be processed', fr: 'La requête ne peut pas être traitée', ru: 'Запрос не может быть обработан' },
  'request.headers_too_large': { en: 'The request line and headers are too large', fr: 'La ligne de requête et les en-têtes sont trop volumineux', ru: 'Строка запроса и заголовки слишком велики' },
  'request.timeout': { en: 'The request did not arrive in time', fr: "La requête n'est pas arrivée à temps", ru: 'Запрос не поступил вовремя' },
  'request.too_many_parts': { en: 'The form has too many parts', fr: 'Le formulaire a trop de parties', ru: 'В форме слишком много частей' },
  'request.conflict': { en: 'The request collided with another one; try again', fr: 'La requête est entrée en conflit avec une autre ; réessayez', ru: 'Запрос столкнулся с другим; повторите попытку' },
  'route.not_found': { en: 'No such route', fr: 'Route inconnue', ru: 'Такого маршрута нет' },
  'route.method_not_allowed': { en: 'Method not allowed', fr: 'Méthode non autorisée', ru: 'Метод не разрешён' },
  'access.forbidden': { en: 'You may not do this', fr: "Vous n'êtes pas autorisé à faire cela", ru: 'У вас нет прав на это действие' },
  'rate_limit.exceeded': { en: 'Too many attempts; try again in {retryAfter} s', fr: 'Trop de tentatives ; réessayez dans {retryAfter} s', ru: 'Слишком много попыток; повторите через {retryAfter} с' },
  'idempotency.key_reused': { en: 'This Idempotency-Key was used with another request', fr: 'Cette Idempotency-Key a servi pour une autre requête', ru: 'Этот Idempotency-Key уже использован для другого запроса' },
  'idempotency.in_progress': { en: 'A request with this Idempotency-Key is still running', fr: 'Une requête avec cette Idempotency-Key est encore en cours', ru: 'Запрос с этим Idempotency-Key ещё выполняется' },
  'database.unavailable': { en: 'The database is unavailable; try again shortly', fr: 'La base de données est indisponible ; réessayez dans un instant', ru: 'База данных недоступна; повторите попытку чуть позже' },
  'internal.error': { en: 'Something went wrong on our side', fr: 'Une erreur interne est survenue', ru: 'Внутренняя ошибка сервера' },
} satisfies Record<string, Text>;

const fieldMessages = {
  whitelistValidation: { en: 'is not an allowed field', fr: "n'est pas un champ autorisé", ru: 'недопустимое поле' },
  isDefined: { en: 'is required', fr: 'est obligatoire', ru: 'обязательное поле' },
  isNotEmpty: { en: 'must not be empty', fr: 'ne doit pas être vide', ru: 'не должно быть пустым' },
  isString: { en: 'must be a string', fr: 'doit être une chaîne de caractères', ru: 'должно быть строкой' },
  isEmail: { en: 'must be an e-mail address', fr: 'doit être une adresse e-mail', ru: 'должно быть адресом e-mail' },
  isUuid: { en: 'must be a UUID', fr: 'doit être un UUID', ru: 'должно быть UUID' },
  isInt: { en: 'must be an integer', fr: 'doit être un entier', ru: 'должно быть целым числом' },
  isBoolean: { en: 'must be true or false', fr: 'doit être true ou false', ru: 'должно быть true или false' },
  isNumber: { en: 'must be a number', fr: 'doit être un nombre', ru: 'должно быть числом' },
  isIn: { en: 'must be one of: {values}', fr: 'doit être parmi : {values}', ru: 'должно быть одним из: {values}' },
  isEnum: { en: 'must be one of: {values}', fr: 'doit être parmi : {values}', ru: 'должно быть одним из: {values}' },
  min: { en: 'must be at least {min}', fr: 'doit être au moins {min}', ru: 'должно быть не меньше {min}' },
  max: { en: 'must be at most {max}', fr: 'doit être au plus {max}', ru: 'должно быть не больше {max}' },
  maxLength: { en: 'must be at most {max} characters long', fr: 'doit contenir au plus {max} caractères', ru: 'должно содержать не больше {max} символов' },
  isLength: { en: 'must be {min} to {max} characters long', fr: 'doit contenir de {min} à {max} caractères', ru: 'должно содержать от {min} до {max} символов' },
  isISO31661Alpha2: { en: 'must be an ISO 3166-1 alpha-2 country code', fr: 'doit être un code pays ISO 3166-1 alpha-2', ru: 'должно быть кодом страны ISO 3166-1 alpha-2' },
  isTimeZone: { en: 'must be an IANA time zone such as Europe/Paris', fr: 'doit être un fuseau IANA comme Europe/Paris', ru: 'должно быть часовым поясом IANA, например Europe/Moscow' },
  isObject: { en: 'must be an object', fr: 'doit être un objet', ru: 'должно быть объектом' },
  atMostOneDecimal: { en: 'must have at most one decimal', fr: 'doit avoir au plus une décimale', ru: 'должно иметь не более одного знака после запятой' },
  body: { en: 'the body must be a JSON object', fr: 'le corps doit être un objet JSON', ru: 'тело запроса должно быть JSON-объектом' },
  noNulCharacter: { en: 'must not contain the NUL character', fr: 'ne doit pas contenir le caractère NUL', ru: 'не должно содержать символ NUL' },
  tooDeep: { en: 'is nested more than {max} levels deep', fr: 'est imbriqué sur plus de {max} niveaux', ru: 'вложено глубже {max} уровней' },
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
  after: { en: 'must be after {other}', fr: 'doit suivre {other}', ru: 'должно быть позже {other}' },
  notInside: { en: 'must lie within {range}', fr: 'doit être compris dans {range}', ru: 'должно быть в пределах {range}' },
  inThePast: { en: 'is in the past', fr: 'est dans le passé', ru: 'уже в прошлом' },
  isTaken: { en: 'is already taken', fr: 'est déjà pris', ru: 'уже занято' },
  givenOnce: { en: 'must be given once', fr: 'doit être donné une seule fois', ru: 'должно быть указано один раз' },
  emptyFile: { en: 'is empty', fr: 'est vide', ru: 'пуст' },
  inTheFuture: { en: 'must not be in the future', fr: 'ne doit pas être dans le futur', ru: 'не может быть в будущем' },
} satisfies Record<string, Text>;

/** A generic field-error key, which a domain's `invalidField()` may use too. */
export type CommonFieldKey = keyof typeof fieldMessages;

export const commonCatalogue: Catalogue = { domain: 'common', titles, fieldMessages };
