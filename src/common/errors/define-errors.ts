import type { Locale } from '../../users/user.entity.js';
import { CommonErrors, DomainError, type FieldError } from './domain-error.js';
import type { CommonFieldKey } from './messages.js';

/** A text in the three languages of the product; `{name}` is replaced by the parameter of that name. */
export type Text = Record<Locale, string>;

export type Params = Record<string, string | number>;

/** What the problem filter looks texts up in: the titles of codes and the messages of field-error keys. */
export interface Catalogue {
  /** who owns these texts: a domain (the prefix of its codes) or `common` */
  readonly domain: string;
  readonly titles: Readonly<Record<string, Text>>;
  readonly fieldMessages: Readonly<Record<string, Text>>;
}

export interface CodeDefinition {
  /** the HTTP status the code is answered with */
  status: number;
  title: Text;
}

export interface DomainCatalogue<C extends string, K extends string> extends Catalogue {
  readonly codes: Readonly<Record<C, CodeDefinition>>;
  /** A DomainError of one of this domain's codes, with the status defined for it. */
  error(code: C, params?: Params, errors?: FieldError[]): DomainError;
  /** A validation.failed error on one field, whose message key is one of this domain's or a common one. */
  invalidField(field: string, key: K | CommonFieldKey, message: string, params?: Params): DomainError;
}

/**
 * Defines a domain's error codes (`<domain>.<reason>`, public API: never renamed) with their
 * status and title, and the messages of its own field-error keys. The domain's factories
 * build their errors with `error()` and `invalidField()`, so a code or key without a text
 * in all three languages does not compile. Each catalogue is listed in ./catalogue.ts.
 */
export function defineErrors<C extends string, K extends string = never>(
  domain: string,
  definitions: { codes: Record<C, CodeDefinition>; fields?: Record<K, Text> },
): DomainCatalogue<C, K> {
  const codes = definitions.codes;
  const titles = Object.fromEntries(Object.entries<CodeDefinition>(codes).map(([code, definition]) => [code, definition.title]));
  return {
    domain,
    codes,
    titles,
    fieldMessages: definitions.fields ?? {},
    error: (code, params = {}, errors = []) => new DomainError(code, codes[code].status, params, errors),
    invalidField: (field, key, message, params) => CommonErrors.invalidField(field, key, message, params),
  };
}
