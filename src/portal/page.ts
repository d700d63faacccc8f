import { Injectable } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { DomainError } from '../common/errors/domain-error.js';
import { fieldMessageOf, titleOf } from '../common/errors/catalogue.js';
import { resolveLocale } from '../common/http/locale.js';
import { StrictValidationPipe } from '../common/validation/validation.pipe.js';
import { LOCALES, type Locale } from '../users/user.entity.js';
import { UsersRepository } from '../users/users.repository.js';
import { translator, type Translate } from './i18n/index.js';
import { localizedParams } from './i18n/values.js';
import { NAV } from './nav.js';
import { csrfUserInfo, LANGUAGE_COOKIE } from './portal-setup.js';

/** Field errors of a form, by field name, in the reader's language. */
export type FieldErrors = Record<string, string>;

/** The language of a page: the signed-in user's, else the one chosen before signing in, else the browser's. */
export function localeOf(request: FastifyRequest): Locale {
  if (request.caller) return request.caller.locale;
  const chosen = request.cookies?.[LANGUAGE_COOKIE];
  if (chosen && (LOCALES as readonly string[]).includes(chosen)) return chosen as Locale;
  return resolveLocale(request.headers['accept-language']);
}

/** Dates as the reader writes them. */
function formatters(locale: Locale, timeZone?: string) {
  const date = new Intl.DateTimeFormat(locale, { dateStyle: 'medium', timeZone: 'UTC' });
  const dateTime = new Intl.DateTimeFormat(locale, { dateStyle: 'medium', timeStyle: 'short', timeZone: timeZone ?? 'UTC' });
  return {
    /** a `YYYY-MM-DD` date */
    date: (value: string | null | undefined) => (value ? date.format(new Date(`${value.slice(0, 10)}T00:00:00Z`)) : ''),
    /** an instant */
    dateTime: (value: string | Date | null | undefined) => (value ? dateTime.format(new Date(value)) : ''),
    number: (value: number) => new Intl.NumberFormat(locale).format(value),
  };
}

/**
 * Renders the portal's pages: every template gets `it.t` (labels in the reader's
 * language), `it.fmt` (dates and numbers), `it.caller`, `it.userName`, `it.nav`, `it.csrf`
 * (the token every form posts as `_csrf`), `it.path` and `it.flash` (what the last action
 * did, from `?done=` or `?error=` after its redirect), plus the page's own data.
 * Presentation only: the pages' data comes from the same services as the API's.
 */
@Injectable()
export class PortalPages {
  private readonly pipe = new StrictValidationPipe();

  constructor(private readonly users: UsersRepository) {}

  t(request: FastifyRequest): Translate {
    return translator(localeOf(request));
  }

  async render(request: FastifyRequest, reply: FastifyReply, template: string, data: Record<string, unknown> = {}, status = 200): Promise<void> {
    const locale = localeOf(request);
    const t = translator(locale);
    const caller = request.caller ?? null;
    const user = caller ? await this.users.findById(caller.id) : null;
    const query = (request.query ?? {}) as Record<string, unknown>;
    const flash = {
      done: typeof query.done === 'string' && /^[\w.]{1,60}$/.test(query.done) ? t(`done.${query.done}`) : null,
      error: typeof query.error === 'string' && /^[\w.]{1,80}$/.test(query.error) ? titleOf(query.error, locale, t('error.title'), localizedParams(query.error, errorParamsOf(query), t)) : null,
    };
    const path = request.url.split('?')[0];
    const nav = NAV[caller?.role ?? 'anonymous'].map((link) => ({ ...link, label: t(link.key), current: link.href === '/' ? path === '/' : path.startsWith(link.href) }));
    reply.header('Cache-Control', 'no-store');
    reply.status(status);
    await reply.view(template, {
      t,
      locale,
      locales: LOCALES,
      fmt: formatters(locale),
      caller,
      userName: user?.fullName ?? null,
      nav,
      csrf: reply.generateCsrf({ userInfo: csrfUserInfo(request) }),
      path,
      flash,
      ...data,
    });
  }

  /**
   * A form's fields through the API's own DTO and validation pipe (whitelist, unknown
   * fields refused, nested DTOs), so that the portal accepts exactly what the API does.
   * `_csrf` is the guard's, not the DTO's. Field errors come back in the reader's language.
   */
  async validate<T extends object>(request: FastifyRequest, dto: new () => T, fields: Record<string, unknown>): Promise<{ value: T } | { errors: FieldErrors; message: string }> {
    try {
      return { value: (await this.pipe.transform(fields, { type: 'body', metatype: dto })) as T };
    } catch (error) {
      if (error instanceof DomainError) return this.errorsOf(request, error);
      throw error;
    }
  }

  /** A DomainError's field errors and title in the reader's language, for a form shown again. */
  errorsOf(request: FastifyRequest, error: DomainError): { errors: FieldErrors; message: string } {
    const locale = localeOf(request);
    const errors: FieldErrors = {};
    for (const e of error.errors) errors[e.field || '_'] = fieldMessageOf(e.key, locale, e.message, e.params);
    const t = translator(locale);
    return { errors, message: titleOf(error.code, locale, t('error.title'), localizedParams(error.code, error.params, t)) };
  }

  /**
   * A POSTed action: on success, back to `back` with `?done=<doneKey>`; a refusal the user
   * can understand (a DomainError that is not a sign-in or access matter) back with
   * `?error=<code>` (and its values, `e.<name>=`, for the text's placeholders: a status,
   * a date, a number), whose text the page shows in the reader's language. Success goes to
   * `next` when given (e.g. the object just made), else back. Post/redirect/get.
   */
  async act(reply: FastifyReply, back: string, doneKey: string, work: () => Promise<unknown>, next: string = back): Promise<void> {
    try {
      await work();
    } catch (error) {
      if (error instanceof DomainError && error.status !== 401 && error.status !== 404 && !(error.status === 403 && error.refusal)) {
        return void reply.redirect(`${back}${back.includes('?') ? '&' : '?'}${errorQueryOf(error)}`, 303);
      }
      throw error;
    }
    reply.redirect(`${next}${next.includes('?') ? '&' : '?'}done=${encodeURIComponent(doneKey)}`, 303);
  }
}

/**
 * The values of an error's text carried through its redirect (`e.status=accepted`): single
 * words, dates and numbers only, or a short list of them (`e.missing=transcript, passport`),
 * so that a link made by someone else cannot put a sentence of its own on the page.
 */
const ERROR_PARAM_VALUE = /^[\w.:+-]{1,40}(, [\w.:+-]{1,40}){0,10}$/;

function errorParamsQuery(params: Record<string, string | number>): string {
  return Object.entries(params)
    .filter(([name, value]) => /^\w{1,30}$/.test(name) && ERROR_PARAM_VALUE.test(String(value)))
    .map(([name, value]) => `&e.${name}=${encodeURIComponent(String(value))}`)
    .join('');
}

/** `error=<code>` and its values (`&e.<name>=`), for a page that redirects after a refusal without `act`. */
export function errorQueryOf(error: DomainError): string {
  return `error=${encodeURIComponent(error.code)}${errorParamsQuery(error.params)}`;
}

function errorParamsOf(query: Record<string, unknown>): Record<string, string> {
  const params: Record<string, string> = {};
  for (const [key, value] of Object.entries(query)) {
    const name = /^e\.(\w{1,30})$/.exec(key)?.[1];
    if (name && typeof value === 'string' && ERROR_PARAM_VALUE.test(value)) params[name] = value;
  }
  return params;
}

/** A form field as one string (a repeated field: its last value). */
export function field(body: unknown, name: string): string | undefined {
  const value = (body as Record<string, unknown> | null)?.[name];
  if (Array.isArray(value)) return value.length ? String(value[value.length - 1]) : undefined;
  return typeof value === 'string' ? value : undefined;
}

/** A form field that may be left empty: undefined when it is. */
export function optionalField(body: unknown, name: string): string | undefined {
  const value = field(body, name)?.trim();
  return value ? value : undefined;
}
