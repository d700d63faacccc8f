/**
 * Times as the receiving institution reads them: arrivals are shown, and check-in times
 * typed, in the institution's time zone (a form's `datetime-local` field has none).
 */

/** An instant as a date and time of `timeZone`, in the reader's language. */
export function zonedDateTime(locale: string, timeZone: string): (value: string | Date | null | undefined) => string {
  const format = new Intl.DateTimeFormat(locale, { dateStyle: 'medium', timeStyle: 'short', timeZone });
  return (value) => (value ? format.format(new Date(value)) : '');
}

/** How far `timeZone`'s clocks are ahead of UTC at that instant, in milliseconds. */
function offsetAt(instant: number, timeZone: string): number {
  const parts = new Intl.DateTimeFormat('en-US', { timeZone, hourCycle: 'h23', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', second: '2-digit' }).formatToParts(new Date(instant));
  const part = (type: string) => Number(parts.find((p) => p.type === type)!.value);
  const wall = Date.UTC(part('year'), part('month') - 1, part('day'), part('hour'), part('minute'), part('second'));
  return wall - Math.floor(instant / 1000) * 1000;
}

/**
 * A `datetime-local` value (`2027-09-01T14:35`) read as a time of `timeZone`, as an ISO
 * instant (`…Z`); anything else is returned as typed, for the API's validation to name.
 */
export function instantOfLocal(value: string | undefined, timeZone: string): string | undefined {
  const match = value ? /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})$/.exec(value) : null;
  if (!match) return value;
  const wall = Date.UTC(Number(match[1]), Number(match[2]) - 1, Number(match[3]), Number(match[4]), Number(match[5]));
  if (Number.isNaN(wall)) return value;
  // Twice: the offset at the first guess may differ from the offset at the answer (a change of summer time in between).
  const guess = wall - offsetAt(wall, timeZone);
  return new Date(wall - offsetAt(guess, timeZone)).toISOString();
}

/** ISO 639-1 codes as language names in the reader's language (`fr` → "French", "français", "французский"). */
export function languageNames(locale: string): (codes: readonly string[] | null | undefined) => string {
  let names: Intl.DisplayNames | null = null;
  try {
    names = new Intl.DisplayNames([locale], { type: 'language' });
  } catch {
    names = null;
  }
  return (codes) => (codes ?? []).map((code) => (names ? (safeName(names, code) ?? code) : code)).join(', ');
}

function safeName(names: Intl.DisplayNames, code: string): string | undefined {
  try {
    return names.of(code);
  } catch {
    return undefined;
  }
}
