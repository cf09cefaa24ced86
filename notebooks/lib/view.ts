/**
 * What a figure cell gives the page: a ChartView (title, SVG, summary sentence, data table) or a
 * Refusal (a sentence instead of a chart), and the number format summaries and tables share.
 * Kept apart from the d3 chart helpers so that the page engine (figure.ts, client.ts), which
 * every page loads, does not pull d3 into pages whose charts do not use it.
 */

export interface DataTable {
  caption: string;
  columns: string[];
  rows: Array<Array<string | number>>;
}

export interface ChartView {
  title: string;
  svg: SVGSVGElement;
  /** What the chart shows now, in one or two sentences, from the model's numbers. */
  summary: string;
  table: DataTable;
  /**
   * Set by the helpers in this file: which helper drew the chart (also the SVG's `data-chart`),
   * and a way to draw the same view into an SVG that helper drew earlier. Charts built by other
   * code leave both out and are swapped in whole.
   */
  chartKind?: string;
  drawInto?: (svg: SVGSVGElement) => void;
}

/** A figure that cannot be drawn for these settings, with the reason in plain words. */
export interface Refusal {
  title: string;
  refusal: string;
}

export type FigureValue = ChartView | Refusal;

export function isRefusal(value: unknown): value is Refusal {
  return typeof value === "object" && value !== null && typeof (value as Refusal).refusal === "string";
}

/** Charts are drawn for the width they get (the `width` input); this one without a page. */
export const DEFAULT_WIDTH = 640;

/** Readable numbers for summaries and tables: no more precision than the model deserves. */
/** A count with its noun in the right number: "1 VM", "2 VMs", "1,000 desktops". */
export function plural(n: number, one: string, many = `${one}s`): string {
  return `${formatNumber(n)} ${n === 1 ? one : many}`;
}

/**
 * Thousands grouped as "1,270". One formatter for the page: `toLocaleString` sets one up on every
 * call, which made a summary of a few dozen numbers cost a good part of a slider move's budget.
 */
const GROUPED = new Intl.NumberFormat("en-US", { maximumFractionDigits: 0 });

export function formatNumber(value: number, digits = 3): string {
  if (!Number.isFinite(value)) return "–";
  if (value === 0) return "0";
  const abs = Math.abs(value);
  if (abs >= 1000) return GROUPED.format(Math.round(value));
  return Number(value.toPrecision(digits)).toString();
}
