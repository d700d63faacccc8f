/**
 * The texts of error answers: every catalogue complete in the three languages, each domain
 * owning its own codes, every catalogue known to the problem filter, and every code or
 * field-error key that the source throws found in one of them.
 */
import { getMetadataStorage } from 'class-validator';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { catalogues, fieldMessages, titles } from '../../src/common/errors/catalogue.js';
import type { Catalogue, DomainCatalogue } from '../../src/common/errors/define-errors.js';
import type { Locale } from '../../src/users/user.entity.js';

const SRC = fileURLToPath(new URL('../../src/', import.meta.url));
const LOCALES: Locale[] = ['en', 'fr', 'ru'];

function filesUnder(folder: string): string[] {
  return readdirSync(folder).flatMap((name) => {
    const path = join(folder, name);
    return statSync(path).isDirectory() ? filesUnder(path) : path.endsWith('.ts') ? [path] : [];
  });
}
const sources = filesUnder(SRC).map((path) => ({ path: relative(SRC, path), text: readFileSync(path, 'utf8') }));

/** Every first capture of `pattern` in the sources, with the file it was found in. */
function found(pattern: RegExp, only?: (path: string) => boolean): [value: string, path: string][] {
  return sources.filter((source) => !only || only(source.path)).flatMap((source) => [...source.text.matchAll(pattern)].map((match): [string, string] => [match[1], source.path]));
}

const placeholders = (text: string) => [...text.matchAll(/\{(\w+)\}/g)].map((match) => match[1]).sort();

const isDomainCatalogue = (catalogue: Catalogue): catalogue is DomainCatalogue<string, string> => 'codes' in catalogue;
const domainCatalogues = catalogues.filter(isDomainCatalogue);

describe('error catalogues', () => {
  it.each(catalogues.map((catalogue) => [catalogue.domain, catalogue]))('%s: every text is written in en, fr and ru, with the same placeholders', (_domain, catalogue) => {
    const entries = [...Object.entries(catalogue.titles), ...Object.entries(catalogue.fieldMessages)];
    expect(entries.length).toBeGreaterThan(0);
    const problems: string[] = [];
    for (const [key, text] of entries) {
      if (Object.keys(text).sort().join() !== LOCALES.join()) problems.push(`${key}: written in ${Object.keys(text).join(', ')}`);
      for (const locale of LOCALES) if (!text[locale]?.trim()) problems.push(`${key}: no ${locale} text`);
      for (const locale of ['fr', 'ru'] as const) if (placeholders(text[locale] ?? '').join() !== placeholders(text.en).join()) problems.push(`${key}: ${locale} placeholders differ from en`);
    }
    expect(problems).toEqual([]);
  });

  it("prefixes each domain's codes with the domain, and leaves no domain's code to the common catalogue", () => {
    const domains = new Set(domainCatalogues.map((catalogue) => catalogue.domain));
    const misplaced = domainCatalogues.flatMap((catalogue) => Object.keys(catalogue.codes).filter((code) => !code.startsWith(`${catalogue.domain}.`)));
    const common = catalogues.find((catalogue) => catalogue.domain === 'common')!;
    misplaced.push(...Object.keys(common.titles).filter((code) => domains.has(code.split('.')[0])));
    expect(misplaced).toEqual([]);
  });

  it('answers every not_found code with 404', () => {
    const notFound = domainCatalogues.flatMap((catalogue) => Object.entries(catalogue.codes).filter(([code]) => code.endsWith('.not_found')));
    expect(notFound.length).toBeGreaterThan(0);
    expect(notFound.filter(([, definition]) => definition.status !== 404)).toEqual([]);
  });

  it('defines no code or key twice', () => {
    expect(Object.keys(titles)).toHaveLength(catalogues.reduce((sum, catalogue) => sum + Object.keys(catalogue.titles).length, 0));
    expect(Object.keys(fieldMessages)).toHaveLength(catalogues.reduce((sum, catalogue) => sum + Object.keys(catalogue.fieldMessages).length, 0));
  });

  it('lists the catalogue of every src/**/*.errors.ts in src/common/errors/catalogue.ts', async () => {
    const errorFiles = sources.filter((source) => source.path.endsWith('.errors.ts'));
    expect(errorFiles.length).toBeGreaterThan(0);
    const unlisted: string[] = [];
    for (const file of errorFiles) {
      const exported = Object.values(await import(join(SRC, file.path))).filter((value): value is Catalogue => typeof value === 'object' && value !== null && 'titles' in value && 'fieldMessages' in value);
      if (exported.length !== 1 || !catalogues.includes(exported[0])) unlisted.push(`${file.path} (${exported.length} catalogue exported)`);
    }
    expect(unlisted).toEqual([]);
  });
});

describe('every error the source can answer', () => {
  const codes = [
    // literal codes: new DomainError('x.y', ...) and a catalogue's error('x.y', ...)
    ...found(/new DomainError\(\s*'([\w.]+)'/g),
    ...found(/\berror\(\s*'([\w.]+)'/g),
    // CommonErrors.notFound('x') and the access policy's notFound(rules.resource)
    ...found(/notFound\(\s*'(\w+)'\s*\)/g).map(([resource, path]): [string, string] => [`${resource}.not_found`, path]),
    ...found(/\bresource: '(\w+)'/g).map(([resource, path]): [string, string] => [`${resource}.not_found`, path]),
    // the problem filter's tables of Fastify errors and status fallbacks
    ...found(/'([a-z_]+\.[a-z_]+)'/g, (path) => path === 'common/errors/problem.filter.ts'),
  ];

  it('finds the codes it checks', () => {
    expect(codes.map(([code]) => code)).toEqual(expect.arrayContaining(['validation.failed', 'auth.invalid_password_token', 'document.too_large', 'application.not_found', 'learning_agreement.not_found']));
  });

  it('has a title for every code', () => {
    expect(codes.filter(([code]) => !Object.hasOwn(titles, code)).map(([code, path]) => `${code} (${path})`)).toEqual([]);
  });

  const keys = [
    // { field, key: 'x', message } and invalidField(field, 'x', message)
    ...found(/\bkey: '(\w+)',\s*message:/g),
    ...found(/invalidField\(\s*[^,]+,\s*'(\w+)'/g),
    // our own class-validator constraints
    ...found(/predicateDecorator\(\s*'(\w+)'/g),
  ];

  it('finds the field-error keys it checks', () => {
    expect(keys.map(([key]) => key)).toEqual(expect.arrayContaining(['notPartner', 'unknownProgram', 'missingDocument', 'commonPassword', 'isTimeZone', 'isDefined']));
  });

  it('has a message for every field-error key', () => {
    expect(keys.filter(([key]) => !Object.hasOwn(fieldMessages, key)).map(([key, path]) => `${key} (${path})`)).toEqual([]);
  });

  /**
   * Constraints of the DTOs whose message has not been translated yet: their field errors
   * are answered with class-validator's English text in every language. Listed so that a
   * new one does not go unnoticed; write its texts in src/common/errors/messages.ts and
   * take it off the list.
   */
  const UNTRANSLATED = ['matches', 'nestedValidation'];

  it('has a message for every constraint of the DTOs, but for the known untranslated ones', async () => {
    const constraints = new Set<string>();
    for (const file of sources.filter((source) => source.text.includes("from 'class-validator'"))) {
      for (const value of Object.values(await import(join(SRC, file.path)))) {
        if (typeof value !== 'function') continue;
        for (const metadata of getMetadataStorage().getTargetValidationMetadatas(value, '', true, false)) {
          // @IsOptional and @ValidateIf only decide whether the others run
          if (metadata.type !== 'conditionalValidation') constraints.add(metadata.type === 'customValidation' ? metadata.name! : metadata.type);
        }
      }
    }
    expect(constraints.size).toBeGreaterThan(10);
    expect([...constraints].filter((name) => !Object.hasOwn(fieldMessages, name)).sort()).toEqual(UNTRANSLATED);
  });
});
