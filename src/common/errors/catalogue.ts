import { agreementCatalogue } from '../../agreements/agreements.errors.js';
import { applicationCatalogue } from '../../applications/applications.errors.js';
import { arrivalCatalogue } from '../../arrivals/arrivals.errors.js';
import { calendarFeedCatalogue } from '../../arrivals/calendar-feeds.errors.js';
import { checklistItemCatalogue } from '../../arrivals/checklist-items.errors.js';
import { authCatalogue } from '../../auth/auth.errors.js';
import { documentCatalogue } from '../../documents/documents.errors.js';
import { hostFamilyCatalogue } from '../../host-families/host-families.errors.js';
import { institutionCatalogue } from '../../institutions/institutions.errors.js';
import { learningAgreementCatalogue } from '../../learning-agreements/learning-agreements.errors.js';
import { notificationCatalogue } from '../../notifications/notifications.errors.js';
import { placementCatalogue } from '../../placements/placements.errors.js';
import { portalCatalogue } from '../../portal/portal.errors.js';
import { privacyCatalogue } from '../../privacy/privacy.errors.js';
import { programCatalogue } from '../../programs/programs.errors.js';
import type { Locale } from '../../users/user.entity.js';
import { userCatalogue } from '../../users/users.errors.js';
import type { Catalogue, Params, Text } from './define-errors.js';
import { commonCatalogue } from './messages.js';

/**
 * Every catalogue of error texts: the common one and one per domain, each defined in its
 * own src/<domain>/<domain>.errors.ts. A new domain's catalogue is added here, or the
 * problem filter answers its codes with the bare HTTP reason phrase (a unit test fails
 * first). The domains' errors files import define-errors (and one another), never this
 * file, so importing them here makes no cycle.
 */
export const catalogues: readonly Catalogue[] = [
  commonCatalogue,
  authCatalogue,
  userCatalogue,
  institutionCatalogue,
  agreementCatalogue,
  programCatalogue,
  applicationCatalogue,
  documentCatalogue,
  learningAgreementCatalogue,
  hostFamilyCatalogue,
  placementCatalogue,
  arrivalCatalogue,
  checklistItemCatalogue,
  calendarFeedCatalogue,
  notificationCatalogue,
  portalCatalogue,
  privacyCatalogue,
];

/** One table of all catalogues; a code or key that two of them define stops the start. */
function merge(part: 'titles' | 'fieldMessages'): Readonly<Record<string, Text>> {
  const merged: Record<string, Text> = {};
  const owners: Record<string, string> = {};
  for (const catalogue of catalogues) {
    for (const [key, text] of Object.entries(catalogue[part])) {
      if (Object.hasOwn(merged, key)) throw new Error(`Error text ${key} is defined by both ${owners[key]} and ${catalogue.domain}`);
      merged[key] = text;
      owners[key] = catalogue.domain;
    }
  }
  return merged;
}

/** Titles of every error code, in the three languages of the product. */
export const titles = merge('titles');
/** Messages of field errors, by class-validator constraint or our own key. */
export const fieldMessages = merge('fieldMessages');

function interpolate(text: string, params: Params = {}): string {
  return text.replace(/\{(\w+)\}/g, (whole, name: string) => (name in params ? String(params[name]) : whole));
}

/** The title of a code; a code missing from every catalogue falls back to its HTTP reason phrase. */
export function titleOf(code: string, locale: Locale, fallback: string, params?: Params): string {
  const text = Object.hasOwn(titles, code) ? titles[code] : undefined;
  return text ? interpolate(text[locale], params) : fallback;
}

export function fieldMessageOf(key: string | null, locale: Locale, fallback: string, params?: Params): string {
  const text = key && Object.hasOwn(fieldMessages, key) ? fieldMessages[key] : undefined;
  return text ? interpolate(text[locale], params) : fallback;
}
