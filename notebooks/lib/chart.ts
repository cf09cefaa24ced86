/**
 * Chart helpers on d3 submodules. Every chart is built with the document it is given (the
 * browser's, or happy-dom's at build time), sized by its viewBox so it follows its container,
 * coloured by CSS classes whose colours are CSS variables (light and dark themes), and returned
 * with a title, a sentence summary and a data table: a ChartView.
 */
import { scaleLinear, scaleBand } from "d3-scale";
import { path as pathBuilder } from "d3-path";
import { axisBottom, axisLeft } from "d3-axis";
import { select, type Selection } from "d3-selection";

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

export interface Axis {
  label: string;
  domain?: [number, number];
}

export interface LineSeries {
  name: string;
  x: ArrayLike<number>;
  y: ArrayLike<number>;
  /** Index into the theme palette (--series-0 ... --series-7). */
  colour?: number;
  dashed?: boolean;
}

export interface RuleLine {
  y: number;
  label: string;
}

const SVG_NS = "http://www.w3.org/2000/svg";
/** Charts are drawn for the width they get (the `width` input), between these bounds. */
export const DEFAULT_WIDTH = 640;
const MIN_WIDTH = 300;
export const MARGIN = { top: 16, right: 16, bottom: 44, left: 56 };
const PALETTE_SIZE = 8;

export type Svg = Selection<SVGSVGElement, unknown, null, undefined>;

let idCounter = 0;

/** The drawing width for a container `width` px wide: text stays at its size on a phone. */
export function chartWidth(width: number | undefined): number {
  return Math.round(Math.max(MIN_WIDTH, Math.min(DEFAULT_WIDTH, width ?? DEFAULT_WIDTH)));
}

/** An empty chart SVG of the given size, titled for screen readers. */
export function frame(doc: Document, title: string, height: number, width: number): Svg {
  const svg = select(doc.createElementNS(SVG_NS, "svg") as SVGSVGElement)
    .attr("viewBox", `0 0 ${width} ${height}`)
    .attr("class", "chart")
    .attr("role", "img");
  const titleId = `chart-title-${++idCounter}`;
  svg.attr("aria-labelledby", titleId).append("title").attr("id", titleId).text(title);
  return svg;
}

/** Both axes and their labels, for a plot area inside MARGIN. */
export function axes(svg: Svg, x: { label: string }, y: { label: string }, height: number, width: number,
  xAxis: (g: Selection<SVGGElement, unknown, null, undefined>) => void,
  yAxis: (g: Selection<SVGGElement, unknown, null, undefined>) => void): void {
  svg.append("g").attr("class", "axis x").attr("transform", `translate(0,${height - MARGIN.bottom})`).call(xAxis);
  svg.append("g").attr("class", "axis y").attr("transform", `translate(${MARGIN.left},0)`).call(yAxis);
  svg.append("text").attr("class", "axis-label").attr("x", (MARGIN.left + width - MARGIN.right) / 2)
    .attr("y", height - 6).attr("text-anchor", "middle").text(x.label);
  svg.append("text").attr("class", "axis-label").attr("transform", `translate(14,${(MARGIN.top + height - MARGIN.bottom) / 2}) rotate(-90)`)
    .attr("text-anchor", "middle").text(y.label);
}

function extent(series: readonly LineSeries[], key: "x" | "y", extra: number[] = []): [number, number] {
  let lo = Infinity;
  let hi = -Infinity;
  for (const s of series) {
    const values = s[key];
    for (let i = 0; i < values.length; i++) {
      if (values[i] < lo) lo = values[i];
      if (values[i] > hi) hi = values[i];
    }
  }
  for (const v of extra) {
    if (v < lo) lo = v;
    if (v > hi) hi = v;
  }
  if (!Number.isFinite(lo)) return [0, 1];
  return lo === hi ? [lo, lo + 1] : [lo, hi];
}

function legend(svg: Svg, entries: Array<{ name: string; colour: number; dashed?: boolean }>, chartWidth: number): void {
  const g = svg.append("g").attr("class", "legend").attr("transform", `translate(${MARGIN.left + 8},${MARGIN.top})`);
  let x = 0;
  let y = 0;
  for (const entry of entries) {
    const width = 30 + entry.name.length * 7.2;
    if (x + width > chartWidth - MARGIN.left - MARGIN.right - 8) {
      x = 0;
      y += 16;
    }
    const item = g.append("g").attr("transform", `translate(${x},${y})`);
    item.append("line").attr("x1", 0).attr("x2", 16).attr("y1", 0).attr("y2", 0)
      .attr("class", entry.colour < 0 ? "marker-key" : `stroke-${entry.colour % PALETTE_SIZE}${entry.dashed ? " dashed" : ""}`);
    item.append("text").attr("x", 20).attr("y", 4).text(entry.name);
    x += width;
  }
}

/** More points than pixels only costs time: 640 px wide charts draw at most this many per line. */
const MAX_POINTS = 160;

/** Evenly spaced indices, always keeping the first and the last point. */
export function sampleIndices(length: number, max: number): number[] {
  if (length <= max) return Array.from({ length }, (_, i) => i);
  const out: number[] = [];
  const stride = (length - 1) / (max - 1);
  for (let k = 0; k < max; k++) out.push(Math.round(k * stride));
  return out;
}

/** What every chart takes besides its data: the words around it and its height. */
interface ChartText {
  title: string;
  height?: number;
  /** The container's width in px (the notebook's `width` input); default 640. */
  width?: number;
  summary: string;
  table: DataTable;
}

export interface LineChartOptions extends ChartText {
  x: Axis;
  y: Axis;
  series: readonly LineSeries[];
  rules?: readonly RuleLine[];
}

export function lineChart(doc: Document, options: LineChartOptions): ChartView {
  const height = options.height ?? 300;
  const width = chartWidth(options.width);
  const svg = frame(doc, options.title, height, width);
  const ruleValues = (options.rules ?? []).map((r) => r.y);
  const x = scaleLinear(options.x.domain ?? extent(options.series, "x"), [MARGIN.left, width - MARGIN.right]);
  const yDomain = options.y.domain ?? [0, extent(options.series, "y", ruleValues)[1] * 1.1];
  const y = scaleLinear(yDomain, [height - MARGIN.bottom, MARGIN.top + 20]).nice();
  axes(svg, options.x, options.y, height, width, (g) => void g.call(axisBottom(x).ticks(width / 80)), (g) => void g.call(axisLeft(y).ticks(6)));
  for (const rule of options.rules ?? []) {
    const g = svg.append("g").attr("class", "rule");
    g.append("line").attr("x1", MARGIN.left).attr("x2", width - MARGIN.right).attr("y1", y(rule.y)).attr("y2", y(rule.y));
    g.append("text").attr("x", width - MARGIN.right - 4).attr("y", y(rule.y) - 4).attr("text-anchor", "end").text(rule.label);
  }
  options.series.forEach((s, index) => {
    // Straight segments through the points: d3-path is all a polyline needs (d3-shape's line
    // generator, with its curves, would add some 5 KB gzip to every page for nothing here).
    const path = pathBuilder();
    sampleIndices(Math.min(s.x.length, s.y.length), MAX_POINTS).forEach((i, k) =>
      k === 0 ? path.moveTo(x(s.x[i]), y(s.y[i])) : path.lineTo(x(s.x[i]), y(s.y[i])));
    svg.append("path").attr("class", `series stroke-${(s.colour ?? index) % PALETTE_SIZE}${s.dashed ? " dashed" : ""}`)
      .attr("d", path.toString())
      .append("title").text(s.name);
  });
  legend(svg, options.series.map((s, i) => ({ name: s.name, colour: s.colour ?? i, dashed: s.dashed })), width);
  return { title: options.title, svg: svg.node()!, summary: options.summary, table: options.table };
}

export interface BarGroup {
  name: string;
  colour: number;
}

export interface BarChartOptions extends ChartText {
  categories: readonly string[];
  groups: readonly BarGroup[];
  /** values[g][c]: the bar of group g in category c. */
  values: ReadonlyArray<ArrayLike<number>>;
  /** Optional tick per category, e.g. the share entitlement. */
  markers?: { name: string; values: ArrayLike<number> };
  y: Axis;
  x: { label: string };
}

export function barChart(doc: Document, options: BarChartOptions): ChartView {
  const height = options.height ?? 300;
  const width = chartWidth(options.width);
  const svg = frame(doc, options.title, height, width);
  const x = scaleBand(options.categories, [MARGIN.left, width - MARGIN.right]).padding(0.2);
  const inner = scaleBand(options.groups.map((g) => g.name), [0, x.bandwidth()]).padding(0.05);
  let max = 0;
  for (const values of options.values) for (let i = 0; i < values.length; i++) max = Math.max(max, values[i]);
  if (options.markers) for (let i = 0; i < options.markers.values.length; i++) max = Math.max(max, options.markers.values[i]);
  const y = scaleLinear(options.y.domain ?? [0, max > 0 ? max * 1.1 : 1], [height - MARGIN.bottom, MARGIN.top + 20]).nice();
  const every = Math.ceil(options.categories.length / Math.max(4, Math.floor(width / 40)));
  axes(svg, options.x, options.y, height, width,
    (g) => void g.call(axisBottom(x).tickValues(options.categories.filter((_, i) => i % every === 0))),
    (g) => void g.call(axisLeft(y).ticks(6)));
  options.groups.forEach((group, g) => {
    const layer = svg.append("g").attr("class", `fill-${group.colour % PALETTE_SIZE}`);
    options.categories.forEach((category, c) => {
      const value = options.values[g][c];
      layer.append("rect").attr("x", x(category)! + inner(group.name)!).attr("width", inner.bandwidth())
        .attr("y", y(value)).attr("height", Math.max(0, y(0) - y(value)))
        .append("title").text(`${category}, ${group.name}: ${formatNumber(value)}`);
    });
  });
  if (options.markers) {
    const markers = options.markers;
    const layer = svg.append("g").attr("class", "marker");
    options.categories.forEach((category, c) => {
      const v = markers.values[c];
      layer.append("line").attr("x1", x(category)!).attr("x2", x(category)! + x.bandwidth()).attr("y1", y(v)).attr("y2", y(v))
        .append("title").text(`${category}, ${markers.name}: ${formatNumber(v)}`);
    });
  }
  legend(svg, [...options.groups.map((g) => ({ name: g.name, colour: g.colour })), ...(options.markers ? [{ name: options.markers.name, colour: -1 }] : [])], width);
  return { title: options.title, svg: svg.node()!, summary: options.summary, table: options.table };
}

/** Readable numbers for summaries and tables: no more precision than the model deserves. */
export function formatNumber(value: number, digits = 3): string {
  if (!Number.isFinite(value)) return "–";
  if (value === 0) return "0";
  const abs = Math.abs(value);
  if (abs >= 1000) return Math.round(value).toLocaleString("en-US");
  return Number(value.toPrecision(digits)).toString();
}

export interface SlotRow {
  name: string;
  /** Slots in use (drawn filled), out of `capacity` boxes. */
  used: number;
  capacity: number;
  colour: number;
}

export interface SlotPanel {
  title: string;
  rows: readonly SlotRow[];
}

export interface SlotChartOptions extends Omit<ChartText, "height"> {
  panels: readonly SlotPanel[];
}

/**
 * Queue diagrams: per host a row of device-queue slots, filled up to the host's window, one panel
 * per scenario (e.g. SIOC off beside SIOC on), as in the SIOC overview's two queue drawings.
 * A fractional window shows as a partly filled last box.
 */
export function slotChart(doc: Document, options: SlotChartOptions): ChartView {
  const rowHeight = 22;
  const headerHeight = 22;
  const panelGap = 16;
  const rows = Math.max(...options.panels.map((p) => p.rows.length), 1);
  const panelHeight = headerHeight + rows * rowHeight + 8;
  const height = options.panels.length * (panelHeight + panelGap);
  const width = chartWidth(options.width);
  const svg = frame(doc, options.title, height, width);
  const labelWidth = width < 480 ? 64 : 120;
  const maxCapacity = Math.max(1, ...options.panels.flatMap((p) => p.rows.map((r) => r.capacity)));
  const box = Math.min(16, (width - labelWidth - 70) / maxCapacity);
  options.panels.forEach((panel, p) => {
    const g = svg.append("g").attr("transform", `translate(0,${p * (panelHeight + panelGap)})`);
    g.append("text").attr("class", "axis-label").attr("x", 0).attr("y", 15).text(panel.title);
    panel.rows.forEach((row, r) => {
      const y = headerHeight + r * rowHeight;
      g.append("text").attr("x", labelWidth - 8).attr("y", y + 14).attr("text-anchor", "end").text(row.name);
      const slots = g.append("g").attr("transform", `translate(${labelWidth},${y})`);
      // Three elements a row whatever the queue depth: the empty queue, the filled window, and
      // one path of slot dividers, so a 128-slot host costs no more to draw than a 16-slot one.
      slots.append("rect").attr("class", "slot-empty").attr("x", 0).attr("y", 2).attr("width", row.capacity * box).attr("height", rowHeight - 6);
      slots.append("rect").attr("class", `fill-${row.colour % PALETTE_SIZE}`).attr("x", 0).attr("y", 2)
        .attr("width", Math.max(0, Math.min(row.used, row.capacity)) * box).attr("height", rowHeight - 6);
      let dividers = "";
      for (let i = 1; i < row.capacity; i++) dividers += `M${i * box},2v${rowHeight - 6}`;
      slots.append("path").attr("class", "slot").attr("d", dividers);
      g.append("text").attr("x", labelWidth + row.capacity * box + 6).attr("y", y + 14)
        .text(`${formatNumber(row.used)} / ${row.capacity}`)
        .append("title").text(`${row.name}: ${formatNumber(row.used)} of ${row.capacity} slots`);
    });
  });
  return { title: options.title, svg: svg.node()!, summary: options.summary, table: options.table };
}
