import { stringify } from 'csv-stringify/sync';
import { APPLICATION_STATUSES } from '../applications/application.entity.js';
import type { FlowRowView } from './dto/flows.dto.js';

export const CSV_MEDIA_TYPE = 'text/csv; charset=utf-8';

type Cell = string | number;

/** The CSV's columns: the JSON row flattened, each header the path of its field (`from.name`, `counts.accepted`). */
export const FLOW_COLUMNS: readonly [header: string, cell: (row: FlowRowView) => Cell][] = [
  ['agreement.id', (row) => row.agreement.id],
  ['agreement.title', (row) => row.agreement.title],
  ['agreement.status', (row) => row.agreement.status],
  ...(['from', 'to'] as const).flatMap((side): [string, (row: FlowRowView) => Cell][] => [
    [`${side}.id`, (row) => row[side].id],
    [`${side}.name`, (row) => row[side].name],
    [`${side}.shortName`, (row) => row[side].shortName],
    [`${side}.country`, (row) => row[side].country],
  ]),
  ['academicYear', (row) => row.academicYear],
  ['quota', (row) => row.quota],
  ['seatsOffered', (row) => row.seatsOffered],
  ...APPLICATION_STATUSES.map((status): [string, (row: FlowRowView) => Cell] => [`counts.${status}`, (row) => row.counts[status]]),
  ['placed', (row) => row.placed],
  ['balance', (row) => row.balance],
];

/**
 * RFC 4180: a header row, CRLF between records, fields quoted when they hold a comma, a
 * quote or a line break (quotes doubled). Text that a spreadsheet would run as a formula
 * (starting with = + - @, a tab or a carriage return) is prefixed with an apostrophe
 * (OWASP CSV injection): titles and names are typed by other institutions' staff. Numbers
 * are written as they are, negative balances included.
 */
export function flowsCsv(rows: readonly FlowRowView[]): string {
  return stringify(
    rows.map((row) => FLOW_COLUMNS.map(([, cell]) => cell(row))),
    {
      header: true,
      columns: FLOW_COLUMNS.map(([header]) => header),
      record_delimiter: 'windows',
      // With a record delimiter given, csv-stringify quotes only the fields that hold it, unless told to quote a lone \n or \r too (a title may hold one).
      quote_record_delimiter: true,
      escape_formulas: true,
    },
  );
}

/** `flows-2027-2028.csv`, or `flows-all-years.csv` without a year. */
export function flowsFileName(academicYear: string | undefined): string {
  return `flows-${academicYear ? academicYear.replace('/', '-') : 'all-years'}.csv`;
}

interface MediaRange {
  type: string;
  subtype: string;
  q: number;
  order: number;
}

function mediaRanges(accept: string): MediaRange[] {
  return accept.split(',').flatMap((part, order) => {
    const [range, ...params] = part.split(';').map((s) => s.trim().toLowerCase());
    const [type, subtype] = range.split('/');
    if (!type || !subtype) return [];
    const qParam = params.find((p) => p.startsWith('q='));
    const q = qParam ? Number(qParam.slice(2)) : 1;
    return Number.isFinite(q) && q >= 0 && q <= 1 ? [{ type, subtype, q, order }] : [];
  });
}

/** The most specific range of the header that matches the media type (RFC 9110 §12.5.1), or none. */
function matchOf(ranges: MediaRange[], mediaType: string): { q: number; specificity: number; order: number } | null {
  const [type, subtype] = mediaType.split('/');
  let best: { q: number; specificity: number; order: number } | null = null;
  for (const range of ranges) {
    const specificity = range.type === type && range.subtype === subtype ? 2 : range.type === type && range.subtype === '*' ? 1 : range.type === '*' && range.subtype === '*' ? 0 : -1;
    if (specificity >= 0 && (!best || specificity > best.specificity)) best = { q: range.q, specificity, order: range.order };
  }
  return best;
}

/**
 * Whether the caller asked for CSV rather than JSON: text/csv ranks higher in its Accept
 * header (by q, then by how precisely it is named, then by which is listed first). JSON,
 * the API's language, in every other case: no header, * / *, a browser's header, or a type
 * this route does not produce.
 */
export function prefersCsv(accept: string | undefined): boolean {
  if (!accept) return false;
  const ranges = mediaRanges(accept);
  const csv = matchOf(ranges, 'text/csv');
  if (!csv || csv.q === 0) return false;
  const json = matchOf(ranges, 'application/json');
  if (!json || json.q < csv.q) return true;
  if (json.q > csv.q) return false;
  if (json.specificity !== csv.specificity) return csv.specificity > json.specificity;
  return csv.order < json.order;
}
