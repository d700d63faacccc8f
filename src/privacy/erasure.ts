/**
 * What an erasure writes in place of a person's data, and how it finds that data in texts
 * others wrote (a notification naming the student, a mail to a coordinator, a comment in a
 * history). Pure: no database, unit-tested in test/unit/privacy-erasure.spec.ts.
 */

/** The name an erased account keeps (its row stays: others' records point to it). */
export const ERASED_NAME = 'Erased user';
/** The name an erased host family keeps. */
export const ERASED_FAMILY_NAME = 'Erased family';
/** What replaces the person's name or e-mail inside someone else's text. */
export const REDACTED = '[erased]';

/**
 * The e-mail an erased account keeps: unique (the unique index holds), never deliverable
 * (`.invalid` is reserved by RFC 2606), and recognisable as erased.
 */
export function erasedAddress(id: string): string {
  return `erased-${id.toLowerCase()}@invalid`;
}

export function isErasedAddress(email: string): boolean {
  return /^erased-[0-9a-f-]{36}@invalid$/.test(email);
}

/** `&`, `<`, `>`, `"` and `'` as the mail templates' HTML escapes them (Eta's autoEscape). */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
}

/** Shorter than this, a "name" would match inside ordinary words: not searched for. */
const SHORTEST_NEEDLE = 3;

/**
 * The strings to look for: the person's values as given, and as the HTML of a mail writes
 * them; blank and very short ones dropped, each once, longest first (so that a full name
 * is replaced before a part of it would be).
 */
export function needlesOf(values: readonly (string | null | undefined)[]): string[] {
  const needles = new Set<string>();
  for (const value of values) {
    const text = value?.trim();
    if (!text || text.length < SHORTEST_NEEDLE) continue;
    needles.add(text);
    needles.add(escapeHtml(text));
  }
  return [...needles].sort((a, b) => b.length - a.length || a.localeCompare(b));
}

const regexEscape = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** The text with every occurrence of a needle, in any case, replaced by REDACTED. */
export function scrubText(text: string, needles: readonly string[]): string {
  if (!needles.length || !text) return text;
  return text.replace(new RegExp(needles.map(regexEscape).join('|'), 'giu'), REDACTED);
}

/** A JSON value with every string in it (keys left alone) scrubbed; the same object when nothing changed. */
export function scrubJson<T>(value: T, needles: readonly string[]): T {
  if (typeof value === 'string') return scrubText(value, needles) as T;
  if (Array.isArray(value)) {
    const items = value.map((item: unknown) => scrubJson(item, needles));
    return items.some((item, i) => item !== value[i]) ? (items as T) : value;
  }
  if (value && typeof value === 'object') {
    let changed = false;
    const entries = Object.entries(value).map(([key, item]) => {
      const scrubbed = scrubJson(item, needles);
      if (scrubbed !== item) changed = true;
      return [key, scrubbed];
    });
    return changed ? (Object.fromEntries(entries) as T) : value;
  }
  return value;
}

/** Whether any needle occurs in the text (case ignored). */
export function mentions(text: string | null | undefined, needles: readonly string[]): boolean {
  return !!text && scrubText(text, needles) !== text;
}

/** `%`, `_` and `\` taken literally in a LIKE pattern. */
export function likeEscape(text: string): string {
  return text.replace(/[\\%_]/g, (c) => `\\${c}`);
}

/**
 * ILIKE patterns that find the values inside a jsonb column read as text: the value as is,
 * and as JSON writes it inside a string (quotes, backslashes and line breaks escaped).
 */
export function jsonLikePatterns(values: readonly (string | null | undefined)[]): string[] {
  const patterns = new Set<string>();
  for (const value of values) {
    const text = value?.trim();
    if (!text || text.length < SHORTEST_NEEDLE) continue;
    patterns.add(`%${likeEscape(text)}%`);
    patterns.add(`%${likeEscape(JSON.stringify(text).slice(1, -1))}%`);
  }
  return [...patterns];
}
