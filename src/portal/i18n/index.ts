import type { Text } from '../../common/errors/define-errors.js';
import type { Locale } from '../../users/user.entity.js';
import { admin } from './admin.js';
import { common } from './common.js';
import { coordinator } from './coordinator.js';
import { family } from './family.js';
import { hostSchool } from './host-school.js';
import { partnerships } from './partnerships.js';
import { student } from './student.js';
import { values } from './values.js';

/**
 * Every label of the portal in English, French and Russian, one file per area (a key
 * belongs to one file). `{name}` placeholders are filled by `t()`; a unit test checks that
 * every key has the three languages with the same placeholders.
 */
export const PORTAL_TEXTS_BY_AREA = { common, student, coordinator, partnerships, hostSchool, family, admin, values } as const;

export const portalTexts: Record<string, Text> = Object.assign({}, ...Object.values(PORTAL_TEXTS_BY_AREA));

export type Translate = (key: string, params?: Record<string, string | number>) => string;

/** The portal's labels in `locale`; an unknown key shows itself (a test catches it first). */
export function translator(locale: Locale): Translate {
  return (key, params) => {
    const text = portalTexts[key]?.[locale] ?? portalTexts[key]?.en ?? key;
    return params ? text.replace(/\{(\w+)\}/g, (whole, name: string) => (params[name] !== undefined ? String(params[name]) : whole)) : text;
  };
}
