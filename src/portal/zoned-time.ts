/**
 * Times on the clocks of a named zone, for every page: `datetime-local` inputs carry a
 * wall-clock time without a zone while the API takes instants, and instants are shown as
 * the zone they concern reads them (the programme window on the coordinator's institution's
 * clocks, arrivals and check-ins on the receiving institution's, travel on the arrival's).
 */

const LOCAL = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2}))?$/;

const formats = new Map<string, Intl.DateTimeFormat>();

function wallClockOf(instant: number, zone: string): { year: number; month: number; day: number; hour: number; minute: number; second: number } {
  let format = formats.get(zone);
  if (!format) {
    format = new Intl.DateTimeFormat('en-US', { timeZone: zone, hourCycle: 'h23', calendar: 'gregory', numberingSystem: 'latn', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', second: '2-digit' });
    formats.set(zone, format);
  }
  const parts = Object.fromEntries(format.formatToParts(new Date(instant)).map((p) => [p.type, p.value]));
  return { year: Number(parts.year), month: Number(parts.month), day: Number(parts.day), hour: Number(parts.hour), minute: Number(parts.minute), second: Number(parts.second) };
}

/** How far the zone's clocks are ahead of UTC at that instant, in milliseconds. */
function offsetAt(instant: number, zone: string): number {
  const wall = wallClockOf(instant, zone);
  const asUtc = Date.UTC(wall.year, wall.month - 1, wall.day, wall.hour, wall.minute, wall.second);
  return asUtc - Math.floor(instant / 1000) * 1000;
}

/**
 * `2027-03-01T09:00` on the clocks of `zone` → `2027-03-01T08:00:00.000Z`. Null for a value
 * that is not such a time on a real calendar day (left to the API's validator to name).
 * Around a change of the clocks it reads as Temporal's `compatible` does: a time that
 * occurs twice (autumn) is the earlier; a time that never occurs (spring) is read with
 * the offset before the change.
 */
export function localToInstant(local: string, zone: string): string | null {
  const match = LOCAL.exec(local);
  if (!match) return null;
  const [year, month, day, hour, minute, second] = match.slice(1).map((part) => Number(part ?? 0));
  if (hour > 23 || minute > 59 || second > 59) return null;
  const wall = Date.UTC(year, month - 1, day, hour, minute, second);
  const check = new Date(wall);
  if (check.getUTCFullYear() !== year || check.getUTCMonth() !== month - 1 || check.getUTCDate() !== day) return null;
  // The zone's offsets a day before and a day after: no zone changes its clocks twice in two days.
  const DAY = 86_400_000;
  const before = wall - offsetAt(wall - DAY, zone);
  const after = wall - offsetAt(wall + DAY, zone);
  const reads = (instant: number) => {
    const w = wallClockOf(instant, zone);
    return Date.UTC(w.year, w.month - 1, w.day, w.hour, w.minute, w.second) === wall;
  };
  const candidates = [before, after].filter(reads);
  const instant = candidates.length ? Math.min(...candidates) : before;
  return new Date(instant).toISOString();
}

/**
 * The same time with the zone's offset it was read with (`2027-09-01T14:35:00+03:00`): for
 * what keeps the offset it was given in (travel details). Anything else as typed, for the
 * API's validator to name.
 */
export function localToOffsetTime(local: string, zone: string): string {
  const typed = local.trim();
  const instant = localToInstant(typed, zone);
  const match = LOCAL.exec(typed);
  if (!instant || !match) return typed;
  const [year, month, day, hour, minute, second] = match.slice(1).map((part) => Number(part ?? 0));
  const offset = Math.round((Date.UTC(year, month - 1, day, hour, minute, second) - Date.parse(instant)) / 60_000);
  const pad = (n: number) => String(n).padStart(2, '0');
  const abs = Math.abs(offset);
  return `${match[1]}-${match[2]}-${match[3]}T${match[4]}:${match[5]}:${match[6] ?? '00'}${offset < 0 ? '-' : '+'}${pad(Math.floor(abs / 60))}:${pad(abs % 60)}`;
}

/** An instant as a date and time of `zone`, in the reader's language (empty for none). */
export function zonedDateTime(locale: string, zone: string): (value: string | Date | null | undefined) => string {
  const format = new Intl.DateTimeFormat(locale, { dateStyle: 'medium', timeStyle: 'short', timeZone: zone });
  return (value) => (value ? format.format(new Date(value)) : '');
}

/** An instant as the `datetime-local` value (`YYYY-MM-DDTHH:mm`) it reads on the clocks of `zone` (empty for none or no instant). */
export function instantToLocal(instant: string | Date | null | undefined, zone: string): string {
  if (!instant) return '';
  const time = new Date(instant).getTime();
  if (Number.isNaN(time)) return '';
  const wall = wallClockOf(time, zone);
  const pad = (n: number, width = 2) => String(n).padStart(width, '0');
  return `${pad(wall.year, 4)}-${pad(wall.month)}-${pad(wall.day)}T${pad(wall.hour)}:${pad(wall.minute)}`;
}
