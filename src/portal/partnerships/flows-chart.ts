import type { FlowRowView } from '../../reports/dto/flows.dto.js';

/**
 * The geometry of the flows report's bar chart, drawn by the server as SVG (no script):
 * one group per direction and year, three horizontal bars each — the quota, the seats
 * offered and the students placed — on one scale. Every bar is named in words beside it
 * with its value, so the colours (and the quota's outline) are never the only cue.
 */
export const CHART_MEASURES = ['quota', 'seatsOffered', 'placed'] as const;
export type ChartMeasure = (typeof CHART_MEASURES)[number];

export interface ChartBar {
  measure: ChartMeasure;
  value: number;
  y: number;
  width: number;
  /** where the words "Quota: 10" begin, after the bar */
  textX: number;
}

export interface ChartGroup {
  /** first line: the agreement */
  title: string;
  /** second line: from → to, year */
  direction: string;
  y: number;
  bars: ChartBar[];
}

export interface FlowsChart {
  width: number;
  height: number;
  barHeight: number;
  groups: ChartGroup[];
}

const WIDTH = 420;
/** Room kept right of the longest bar for its words ("Places offertes : 10"). */
const TEXT_ROOM = 170;
const BAR = 16;
const BAR_GAP = 6;
const LINE = 18;
const GROUP_GAP = 18;
const TITLE_CHARS = 44;

const shortened = (text: string, max: number) => (text.length > max ? `${text.slice(0, max - 1)}…` : text);

export function flowsChart(rows: readonly FlowRowView[]): FlowsChart {
  const largest = Math.max(1, ...rows.flatMap((row) => CHART_MEASURES.map((measure) => row[measure])));
  const scale = (WIDTH - TEXT_ROOM) / largest;
  let y = 0;
  const groups = rows.map((row): ChartGroup => {
    const top = y;
    const barsTop = top + 2 * LINE + 4;
    const bars = CHART_MEASURES.map((measure, i): ChartBar => {
      const value = row[measure];
      // A zero is drawn as a hairline, so that the bar's place (and its words) still show.
      const width = Math.max(value > 0 ? 2 : 1, Math.round(value * scale));
      return { measure, value, y: barsTop + i * (BAR + BAR_GAP), width, textX: width + 6 };
    });
    y = barsTop + CHART_MEASURES.length * (BAR + BAR_GAP) - BAR_GAP + GROUP_GAP;
    return {
      title: shortened(row.agreement.title, TITLE_CHARS),
      direction: `${row.from.shortName} → ${row.to.shortName} · ${row.academicYear}`,
      y: top,
      bars,
    };
  });
  return { width: WIDTH, height: Math.max(y - GROUP_GAP, 1), barHeight: BAR, groups };
}
