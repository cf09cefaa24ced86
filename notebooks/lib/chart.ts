/**
 * Chart helpers on d3 submodules. Every chart is drawn with the document it is given (the
 * browser's, or happy-dom's at build time), sized by its viewBox so it follows its container,
 * coloured by CSS classes whose colours are CSS variables (light and dark themes), and returned
 * with a title, a sentence summary and a data table: a ChartView.
 *
 * Each helper is one `draw` function written as d3 data joins, so the same code fills an empty
 * SVG or brings an SVG already on the page up to date. A ChartView builds its own SVG only when
 * someone asks for `view.svg` (build time, tests, a first render); on a slider move the page's
 * renderer hands it the SVG that is already there (`view.drawInto`), which keeps every element
 * that did not change instead of rebuilding the chart.
 */
import { scaleLinear, scaleBand, type ScaleLinear } from "d3-scale";
import { pathRound } from "d3-path";
import { axisBottom, type Axis as AxisGenerator, type AxisDomain } from "d3-axis";
import { select, type BaseType, type Selection } from "d3-selection";

// The shapes every figure shares live in view.ts (the page engine needs them without d3);
// re-exported here so notebooks keep importing them from chart.ts.
export { DEFAULT_WIDTH, formatNumber, isRefusal, plural } from "./view.ts";
export type { ChartView, DataTable, FigureValue, Refusal } from "./view.ts";
import { DEFAULT_WIDTH, formatNumber, type ChartView, type DataTable } from "./view.ts";
import { fitText, wrapText } from "./text.ts";
export { fitText, wrapText } from "./text.ts";
import { simplifyPolyline, type Point } from "./simplify.ts";

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
  /** Drawn thin and pale: a line to compare with rather than the one the settings select. */
  faded?: boolean;
}

export interface RuleLine {
  y: number;
  label: string;
}

const SVG_NS = "http://www.w3.org/2000/svg";
/** Charts are drawn for the width they get (the `width` input), between DEFAULT_WIDTH and this. */
/** Narrow enough for the column of a 320 px phone, so the chart is never scaled down there. */
const MIN_WIDTH = 240;
export const MARGIN = { top: 16, right: 16, bottom: 44, left: 56 };
const PALETTE_SIZE = 8;
/** Width of an average 12 px character of the chart font, rounded up (DejaVu Sans is wide). */
const CHAR = 7.4;

export type Svg = Selection<SVGSVGElement, unknown, null, undefined>;
type Parent = Selection<SVGElement, unknown, null, undefined> | Svg | Selection<SVGGElement, unknown, null, undefined>;

/** The drawing width for a container `width` px wide: text stays at its size on a phone. */
export function chartWidth(width: number | undefined): number {
  return Math.round(Math.max(MIN_WIDTH, Math.min(DEFAULT_WIDTH, width ?? DEFAULT_WIDTH)));
}

/** The child of `parent` matching `selector`, created (as `tag` with `className`) the first time. */
function part<E extends SVGElement>(parent: Parent, selector: string, tag: string, className: string): Selection<E, unknown, null, undefined> {
  const found = (parent as Selection<SVGElement, unknown, null, undefined>).selectChild<E>(selector);
  if (!found.empty()) return found as unknown as Selection<E, unknown, null, undefined>;
  return (parent as Selection<SVGElement, unknown, null, undefined>).append(tag).attr("class", className) as unknown as Selection<E, unknown, null, undefined>;
}

/** What every chart takes besides its data: the words around it and its height. */
export interface ChartText {
  title: string;
  height?: number;
  /** The container's width in px (the notebook's `width` input); default 640. */
  width?: number;
  summary: string;
  table: DataTable;
}

/** A ChartView whose SVG is drawn by `draw`: into a new SVG on demand, or into one already drawn. */
export function chartView(doc: Document, kind: string, text: ChartText, draw: (svg: Svg) => void): ChartView {
  let built: SVGSVGElement | undefined;
  return {
    title: text.title,
    summary: text.summary,
    table: text.table,
    chartKind: kind,
    get svg(): SVGSVGElement {
      if (!built) {
        built = doc.createElementNS(SVG_NS, "svg") as SVGSVGElement;
        built.setAttribute("class", "chart");
        built.setAttribute("role", "img");
        built.setAttribute("data-chart", kind);
        draw(select(built));
      }
      return built;
    },
    drawInto: (svg) => draw(select(svg)),
  };
}

let idCounter = 0;

/** The viewBox and the accessible title every chart has; a hand-drawn chart calls it from its `draw`. */
export function frame(svg: Svg, title: string, height: number, width: number): void {
  setAttrs(svg, { viewBox: `0 0 ${width} ${height}` });
  const titleNode = part<SVGTitleElement>(svg, "title", "title", "chart-title");
  if (!titleNode.attr("id")) {
    const titleId = `chart-title-${++idCounter}`;
    titleNode.attr("id", titleId);
    svg.attr("aria-labelledby", titleId);
  }
  if (titleNode.text() !== title) titleNode.text(title);
}

/**
 * A new SVG for a chart drawn by hand in a notebook (a heat map, a timeline): the same class,
 * role, viewBox and title as the helpers' charts. Such a chart is replaced whole on each update.
 */
export function chartSvg(doc: Document, title: string, height: number, width: number): Svg {
  const svg = select(doc.createElementNS(SVG_NS, "svg") as SVGSVGElement).attr("class", "chart").attr("role", "img");
  frame(svg, title, height, width);
  return svg;
}

/** Axes with the standard margins and their labels, for a chart drawn by hand. */
export function plainAxes(svg: Svg, x: { label: string }, y: { label: string }, height: number, width: number,
  xAxis: (g: Selection<SVGGElement, unknown, null, undefined>) => void,
  yAxis: (g: Selection<SVGGElement, unknown, null, undefined>) => void): void {
  svg.append("g").attr("class", "axis x").attr("transform", `translate(0,${height - MARGIN.bottom})`).call(xAxis);
  svg.append("g").attr("class", "axis y").attr("transform", `translate(${MARGIN.left},0)`).call(yAxis);
  svg.append("text").attr("class", "axis-label").attr("x", (MARGIN.left + width - MARGIN.right) / 2)
    .attr("y", height - 6).attr("text-anchor", "middle").text(x.label);
  svg.append("text").attr("class", "axis-label").attr("transform", `translate(14,${(MARGIN.top + height - MARGIN.bottom) / 2}) rotate(-90)`)
    .attr("text-anchor", "middle").text(y.label);
}

/**
 * Where things go in a chart with axes: the plot's top sits under the legend (as many rows as
 * its entries need at this width), and the x-axis label, wrapped to the chart's width, sets how
 * far below the plot the chart ends. Long words never run out of the SVG on a phone.
 */
interface Frame {
  width: number;
  height: number;
  /** Pixel rows of the plot area. */
  top: number;
  bottom: number;
  xLabel: string[];
  /** How far below the plot the x-axis label starts: further when tick labels take several lines. */
  xLabelOffset: number;
  legend: PlacedEntry[];
}

interface PlacedEntry {
  entry: LegendEntry;
  x: number;
  y: number;
  lines: string[];
}

const LINE = 14;

function layOut(width: number, baseHeight: number, xLabel: string, entries: readonly LegendEntry[], tickLines = 1): Frame {
  const center = (MARGIN.left + width - MARGIN.right) / 2;
  const xLines = wrapText(xLabel, (2 * Math.min(center, width - center) - 8) / CHAR);
  const room = width - MARGIN.left - MARGIN.right - 8;
  let x = 0;
  let y = 0;
  let rowHeight = 16;
  const legend = entries.map((entry) => {
    const lines = wrapText(entry.name, (room - 24) / CHAR);
    const entryWidth = 30 + Math.max(...lines.map((l) => l.length)) * CHAR;
    if (x > 0 && x + entryWidth > room) {
      x = 0;
      y += rowHeight;
      rowHeight = 16;
    }
    rowHeight = Math.max(rowHeight, 2 + lines.length * LINE);
    const placed = { entry, x, y, lines };
    x += entryWidth;
    return placed;
  });
  const legendHeight = entries.length ? y + rowHeight : 16;
  const extraTicks = (tickLines - 1) * LINE;
  const extraBottom = (xLines.length - 1) * LINE + extraTicks;
  const extraTop = legendHeight - 16;
  const height = baseHeight + extraBottom + extraTop;
  return { width, height, top: MARGIN.top + 20 + extraTop, bottom: height - MARGIN.bottom - extraBottom, xLabel: xLines, xLabelOffset: 38 + extraTicks, legend };
}

/**
 * What each part of a chart on the page was last drawn from (a key naming everything its drawing
 * depends on), by element. On a slider move most parts come out the same (an axis whose scale did
 * not change, the legend, the axis labels): `redrawn` leaves those alone instead of rewriting every
 * tick and label, which also spares the browser restyling them. A WeakMap, so an entry goes with
 * its element; an SVG it has no entry for (one built at build time) is drawn in full once.
 */
const drawnFrom = new WeakMap<Element, string>();

/** Draws `part` with `draw` unless it was last drawn from the same `key`. */
function redrawn<E extends SVGElement>(part: Selection<E, unknown, null, undefined>, key: string, draw: (part: Selection<E, unknown, null, undefined>) => void): void {
  const node = part.node();
  if (node && drawnFrom.get(node) === key) return;
  draw(part);
  if (node) drawnFrom.set(node, key);
}

/** Sets each element's text unless it already reads so: equal text would still replace the text node. */
function setText<E extends BaseType, D, P extends BaseType, PD>(selection: Selection<E, D, P, PD>, text: (d: D) => string): void {
  selection.each(function (d) {
    const node = this as Element;
    const value = text(d);
    if (node.textContent !== value) node.textContent = value;
  });
}

/** Sets a text element's lines as tspans, each `LINE` below the previous one. */
function setLines<D>(text: Selection<SVGTextElement, D, SVGElement | null, unknown>, lines: (d: D) => string[], x: number): void {
  text.each(function (d) {
    // Written only where they differ: a legend redrawn for one new entry leaves the others' lines alone.
    select(this).selectAll<SVGTSpanElement, string>("tspan").data(lines(d)).join("tspan").each(function (line, i) {
      setAttribute(this, "x", String(x));
      setAttribute(this, "dy", String(i === 0 ? 0 : LINE));
      if (this.textContent !== line) this.textContent = line;
    });
  });
}

/**
 * An axis generator's drawing depends on its scale's domain and range and its tick settings
 * (for a band scale also the band width): the same key, the same ticks and labels.
 */
function axisKey<D extends AxisDomain>(axis: AxisGenerator<D>): string {
  const scale = axis.scale();
  return JSON.stringify([scale.domain(), scale.range(), scale.bandwidth?.() ?? null, axis.tickArguments(), axis.tickValues()]);
}

/** Sets an attribute unless it already has that value: an equal value would still restyle the element. */
function setAttribute(node: Element, name: string, value: string): void {
  if (node.getAttribute(name) !== value) node.setAttribute(name, value);
}

/**
 * selection.attr for the attributes a redraw sets again and again (a part's position, a line's
 * class, a bar's size): each is written only where it differs, as setAttribute does.
 */
function setAttrs<E extends Element, D, P extends BaseType, PD>(selection: Selection<E, D, P, PD>,
  attributes: Record<string, string | number | ((d: D, i: number) => string | number)>): Selection<E, D, P, PD> {
  return selection.each(function (d, i) {
    for (const [name, value] of Object.entries(attributes)) setAttribute(this, name, String(typeof value === "function" ? value(d, i) : value));
  });
}

/** How many ticks a value axis asks its scale for. */
const Y_TICKS = 6;

/**
 * A value scale's axis on the left, drawn as d3-axis's axisLeft(y).ticks(Y_TICKS) draws it (the
 * same elements, classes and attributes, so styles and tests see no difference), except that each
 * tick is kept by its value: d3-axis keeps ticks by their position, so a new domain (a slider that
 * changes the largest value) replaced every tick. Here a tick whose value stays only moves, and its
 * label is left alone.
 */
function valueAxisLeft(g: Selection<SVGGElement, unknown, null, undefined>, y: ScaleLinear<number, number>): void {
  // d3-axis's half-pixel offset, for crisp one-pixel lines on a standard-density screen.
  const offset = typeof window !== "undefined" && window.devicePixelRatio > 1 ? 0 : 0.5;
  const format = y.tickFormat(Y_TICKS);
  const [r0, r1] = y.range();
  if (g.select(".domain").empty()) {
    g.insert("path", ".tick").attr("class", "domain").attr("stroke", "currentColor");
    setAttrs(g, { fill: "none", "font-size": 10, "font-family": "sans-serif", "text-anchor": "end" });
  }
  setAttrs(g.select<SVGPathElement>(".domain"), { d: `M-6,${r0 + offset}H${offset}V${r1 + offset}H-6` });
  g.selectAll<SVGGElement, number>(".tick").data(y.ticks(Y_TICKS), (d) => String(d))
    .join((enter) => {
      const tick = enter.append("g").attr("class", "tick").attr("opacity", 1);
      tick.append("line").attr("stroke", "currentColor").attr("x2", -6);
      tick.append("text").attr("fill", "currentColor").attr("x", -9).attr("dy", "0.32em");
      return tick;
    })
    .each(function (d) {
      setAttribute(this, "transform", `translate(0,${y(d) + offset})`);
      const label = this.querySelector("text")!;
      const text = format(d);
      if (label.textContent !== text) label.textContent = text;
    });
}

/** `xTicks`, if given, finishes the x axis's tick labels each time the axis is redrawn (a bar chart's lines). */
function axes<X extends AxisDomain>(svg: Svg, f: Frame, y: { label: string }, xAxis: AxisGenerator<X>, yScale: ScaleLinear<number, number>,
  xTicks?: (g: Selection<SVGGElement, unknown, null, undefined>) => void): void {
  const xPart = setAttrs(part<SVGGElement>(svg, "g.axis.x", "g", "axis x"), { transform: `translate(0,${f.bottom})` });
  redrawn(xPart, axisKey(xAxis), (g) => {
    g.call(xAxis);
    xTicks?.(g);
  });
  const yPart = setAttrs(part<SVGGElement>(svg, "g.axis.y", "g", "axis y"), { transform: `translate(${MARGIN.left},0)` });
  redrawn(yPart, JSON.stringify([yScale.domain(), yScale.range()]), (g) => valueAxisLeft(g, yScale));
  const xMid = (MARGIN.left + f.width - MARGIN.right) / 2;
  const xLabel = setAttrs(part<SVGTextElement>(svg, "text.x-label", "text", "axis-label x-label"), { y: f.bottom + f.xLabelOffset, "text-anchor": "middle" });
  redrawn(xLabel, JSON.stringify([f.xLabel, xMid]), (label) =>
    setLines(label as Selection<SVGTextElement, unknown, SVGElement | null, unknown>, () => f.xLabel, xMid));
  const yLabel = setAttrs(part<SVGTextElement>(svg, "text.y-label", "text", "axis-label y-label"),
    { transform: `translate(14,${(f.top - 20 + f.bottom) / 2}) rotate(-90)`, "text-anchor": "middle" });
  setText(yLabel, () => y.label);
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

interface LegendEntry {
  name: string;
  colour: number;
  dashed?: boolean;
  faded?: boolean;
}

function legend(svg: Svg, f: Frame): void {
  const box = setAttrs(part(svg, "g.legend", "g", "legend"), { transform: `translate(${MARGIN.left + 8},${MARGIN.top})` });
  redrawn(box, JSON.stringify(f.legend), () => drawLegend(box, f.legend));
}

function drawLegend(box: Selection<SVGElement, unknown, null, undefined>, entries: readonly PlacedEntry[]): void {
  box.selectAll<SVGGElement, PlacedEntry>("g.legend-item")
    .data(entries)
    .join((enter) => {
      const item = enter.append("g").attr("class", "legend-item");
      item.append("line").attr("x1", 0).attr("x2", 16).attr("y1", 0).attr("y2", 0);
      item.append("text").attr("y", 4);
      return item;
    })
    .each(function (d) {
      setAttribute(this, "transform", `translate(${d.x},${d.y})`);
      setAttribute(this.firstElementChild!, "class", d.entry.colour < 0 ? "marker-key" : seriesClass("", d.entry));
    })
    .call((item) => setLines(item.select<SVGTextElement>("text") as Selection<SVGTextElement, PlacedEntry, SVGElement | null, unknown>, (d) => d.lines, 20));
}

function seriesClass(base: string, s: { colour: number; dashed?: boolean; faded?: boolean }): string {
  return `${base}stroke-${s.colour % PALETTE_SIZE}${s.dashed ? " dashed" : ""}${s.faded ? " faded" : ""}`;
}

/** More points than pixels only costs time: 640 px wide charts draw at most this many per line. */
const MAX_POINTS = 160;
/**
 * A line's path leaves out the points within this many pixels of the line through the others: the
 * precision the path is written at (hundredths of a pixel), so what is drawn stays the same.
 */
const PATH_TOLERANCE = 0.01;

/** Evenly spaced indices, always keeping the first and the last point. */
export function sampleIndices(length: number, max: number): number[] {
  if (length <= max) return Array.from({ length }, (_, i) => i);
  const out: number[] = [];
  const stride = (length - 1) / (max - 1);
  for (let k = 0; k < max; k++) out.push(Math.round(k * stride));
  return out;
}

export interface LineChartOptions extends ChartText {
  x: Axis;
  y: Axis;
  series: readonly LineSeries[];
  rules?: readonly RuleLine[];
}

export function lineChart(doc: Document, options: LineChartOptions): ChartView {
  return chartView(doc, "line", options, (svg) => drawLineChart(svg, options));
}

function drawLineChart(svg: Svg, options: LineChartOptions): void {
  const f = layOut(chartWidth(options.width), options.height ?? 300, options.x.label,
    options.series.map((s, i) => ({ name: s.name, colour: s.colour ?? i, dashed: s.dashed, faded: s.faded })));
  const { width, height } = f;
  frame(svg, options.title, height, width);
  const rules = options.rules ?? [];
  const x = scaleLinear(options.x.domain ?? extent(options.series, "x"), [MARGIN.left, width - MARGIN.right]);
  const yDomain = options.y.domain ?? [0, extent(options.series, "y", rules.map((r) => r.y))[1] * 1.1];
  const y = scaleLinear(yDomain, [f.bottom, f.top]).nice();
  // Each line's points in pixels, worked out once: its path and the rule labels' placement use them.
  const drawn = linePoints(options.series, x, y);
  const paths = new Map<readonly Point[], string>();
  axes(svg, f, options.y, axisBottom(x).ticks(width / 80), y);
  // Layers in drawing order, created once: rule lines under the series, their labels over them.
  const ruleLines = part(svg, "g.rule-lines", "g", "rule rule-lines");
  const seriesLayer = part(svg, "g.series-layer", "g", "series-layer");
  const ruleLabels = part(svg, "g.rule-labels", "g", "rule rule-labels");
  ruleLines.selectAll<SVGLineElement, RuleLine>("line").data(rules).join("line")
    .call((line) => setAttrs(line, { x1: MARGIN.left, x2: width - MARGIN.right, y1: (r) => y(r.y), y2: (r) => y(r.y) }));
  ruleLabels.selectAll<SVGTextElement, RuleLine>("text").data(rules).join("text")
    .call((label) => setAttrs(label, { class: "rule-label", "text-anchor": "end", x: width - MARGIN.right - 4, y: (r) => ruleLabelY(r, drawn, y, f) }))
    .call((label) => setText(label, (r) => r.label));
  seriesLayer.selectAll<SVGPathElement, LineSeries>("path").data(options.series)
    .join((enter) => enter.append("path").call((p) => p.append("title")))
    .call((path) => setAttrs(path, { class: (s, i) => seriesClass("series ", { colour: s.colour ?? i, dashed: s.dashed, faded: s.faded }) }))
    .each(function (_, j) {
      // Lines sharing their points (linePoints) share their path too.
      const d = paths.get(drawn[j]) ?? linePath(drawn[j]);
      paths.set(drawn[j], d);
      // A line that did not move keeps its path: the browser would parse and lay out an equal one again.
      setAttribute(this, "d", d);
    })
    .call((p) => setText(p.select("title"), (s) => s.name));
  legend(svg, f);
}

/**
 * Each line's points in pixels (at most MAX_POINTS of them). Lines drawn from the very same values
 * (datastores with as many desktops have the same day) share one array of points, and lines that
 * share their x values (the same minutes) take them through the x scale once.
 */
function linePoints(series: readonly LineSeries[], x: (v: number) => number, y: (v: number) => number): Array<readonly Point[]> {
  const xPixels = new Map<ArrayLike<number>, { length: number; pixels: number[] }>();
  const pointsOf = new Map<ArrayLike<number>, { x: ArrayLike<number>; points: Point[] }>();
  return series.map((s) => {
    const same = pointsOf.get(s.y);
    if (same?.x === s.x) return same.points;
    const length = Math.min(s.x.length, s.y.length);
    const indices = sampleIndices(length, MAX_POINTS);
    let shared = xPixels.get(s.x);
    if (shared?.length !== length) {
      shared = { length, pixels: indices.map((i) => x(s.x[i])) };
      xPixels.set(s.x, shared);
    }
    const pixels = shared.pixels;
    const points = indices.map((i, k): Point => [pixels[k], y(s.y[i])]);
    pointsOf.set(s.y, { x: s.x, points });
    return points;
  });
}

/**
 * A line's path: straight segments through its points. d3-path is all a polyline needs (d3-shape's
 * line generator, with its curves, would add some 5 KB gzip to every page for nothing here).
 * Hundredths of a pixel are finer than any screen shows; full float digits would only make the
 * path text three times longer for the browser to parse on every update. A flat or straight
 * stretch (a steady load, a linear ramp) needs only its ends.
 */
function linePath(points: readonly Point[]): string {
  const path = pathRound(2);
  simplifyPolyline(points, PATH_TOLERANCE).forEach(([px, py], k) => (k === 0 ? path.moveTo(px, py) : path.lineTo(px, py)));
  return path.toString();
}

/**
 * A rule's label sits above its line, unless a series runs through that spot (or the plot's top
 * is too close) and the spot below is clear: a line crossing the label would strike it through.
 */
function ruleLabelY(rule: RuleLine, lines: ReadonlyArray<readonly Point[]>, y: (v: number) => number, f: Frame): number {
  const ry = y(rule.y);
  const right = f.width - MARGIN.right - 4;
  const left = right - rule.label.length * CHAR;
  const crosses = (top: number, bottom: number) =>
    lines.some((points) => points.some((p) => p[0] >= left && p[0] <= right && p[1] >= top && p[1] <= bottom));
  const aboveFits = ry - 16 >= f.top;
  const belowFits = ry + 16 <= f.bottom;
  const above = aboveFits && !crosses(ry - 17, ry - 1);
  if (above || !belowFits) return ry - 5;
  return crosses(ry + 1, ry + 17) && aboveFits ? ry - 5 : ry + 14;
}

export interface BarGroup {
  name: string;
  colour: number;
  /** Drawn pale: the bars to compare with rather than the ones the settings select. */
  faded?: boolean;
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
  return chartView(doc, "bar", options, (svg) => drawBarChart(svg, options));
}

interface Bar {
  category: string;
  group: string;
  value: number;
}

/**
 * The category labels under a bar chart. Few categories: every one is named, a label wider than its
 * band (`step` wide) wrapping onto up to four lines, a hyphen being a place to break too, and a word
 * longer than the band shortened with an ellipsis (the bar's tooltip and the data table name it in
 * full). Too many for that (bands a few characters wide): one line each, and only every `every`-th,
 * as many as fit side by side.
 */
function categoryLabels(categories: readonly string[], step: number): { every: number; lines: Map<string, string[]> } {
  const chars = Math.floor((step - 4) / CHAR);
  const wrapped = categories.map((c) => wrapText(c.replace(/-/g, "- "), chars).map((line) => fitText(line.replace(/- /g, "-"), chars)));
  if (chars >= 4 && wrapped.every((lines) => lines.length <= 4)) {
    return { every: 1, lines: new Map(categories.map((c, i) => [c, wrapped[i]])) };
  }
  const widest = Math.max(1, ...categories.map((c) => c.length)) * CHAR + 8;
  const every = Math.max(1, Math.ceil(widest / step));
  return { every, lines: new Map(categories.map((c) => [c, [c]])) };
}

function drawBarChart(svg: Svg, options: BarChartOptions): void {
  const markers = options.markers;
  const chartW = chartWidth(options.width);
  const x = scaleBand(options.categories, [MARGIN.left, chartW - MARGIN.right]).padding(0.2);
  const labels = categoryLabels(options.categories, x.step());
  const f = layOut(chartW, options.height ?? 300, options.x.label,
    [...options.groups.map((g) => ({ name: g.name, colour: g.colour, faded: g.faded })), ...(markers ? [{ name: markers.name, colour: -1 }] : [])],
    Math.max(1, ...[...labels.lines.values()].map((lines) => lines.length)));
  const { width, height } = f;
  frame(svg, options.title, height, width);
  const inner = scaleBand(options.groups.map((g) => g.name), [0, x.bandwidth()]).padding(0.05);
  let max = 0;
  for (const values of options.values) for (let i = 0; i < values.length; i++) max = Math.max(max, values[i]);
  if (options.markers) for (let i = 0; i < options.markers.values.length; i++) max = Math.max(max, options.markers.values[i]);
  const y = scaleLinear(options.y.domain ?? [0, max > 0 ? max * 1.1 : 1], [f.bottom, f.top]).nice();
  axes(svg, f, options.y, axisBottom(x).tickValues(options.categories.filter((_, i) => i % labels.every === 0)), y,
    (g) => void g.selectAll<SVGTextElement, string>(".tick text").each(function (category) {
      // The axis has just written the category as the text itself: its lines replace that.
      select(this).text(null).selectAll("tspan").data(labels.lines.get(category) ?? [category]).join("tspan")
        .attr("x", 0).attr("dy", (_, i) => (i === 0 ? "0.71em" : LINE)).text((line) => line);
    }));
  part(svg, "g.bars", "g", "bars").selectAll<SVGGElement, BarGroup>("g").data(options.groups).join("g")
    .call((g) => setAttrs(g, { class: (group) => `fill-${group.colour % PALETTE_SIZE}${group.faded ? " faded" : ""}` }))
    .selectAll<SVGRectElement, Bar>("rect")
    .data((group, g) => options.categories.map((category, c) => ({ category, group: group.name, value: options.values[g][c] })))
    .join((enter) => enter.append("rect").call((r) => r.append("title")))
    .call((rect) => setAttrs(rect, { x: (b) => x(b.category)! + inner(b.group)!, width: inner.bandwidth(), y: (b) => y(b.value), height: (b) => Math.max(0, y(0) - y(b.value)) }))
    .call((r) => setText(r.select("title"), (b) => `${b.category}, ${b.group}: ${formatNumber(b.value)}`));
  part(svg, "g.marker", "g", "marker").selectAll<SVGLineElement, Bar>("line")
    .data(markers ? options.categories.map((category, c) => ({ category, group: markers.name, value: markers.values[c] })) : [])
    .join((enter) => enter.append("line").call((l) => l.append("title")))
    .call((line) => setAttrs(line, { x1: (m) => x(m.category)!, x2: (m) => x(m.category)! + x.bandwidth(), y1: (m) => y(m.value), y2: (m) => y(m.value) }))
    .call((l) => setText(l.select("title"), (m) => `${m.category}, ${m.group}: ${formatNumber(m.value)}`));
  legend(svg, f);
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
  /** Drawn pale: the panel to compare with rather than the one the settings select. */
  faded?: boolean;
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
  return chartView(doc, "slot", { ...options, height: undefined }, (svg) => drawSlotChart(svg, options));
}

const SLOT_ROW = 22;
const SLOT_HEADER = 22;
const SLOT_PANEL_GAP = 16;

function drawSlotChart(svg: Svg, options: SlotChartOptions): void {
  const rows = Math.max(...options.panels.map((p) => p.rows.length), 1);
  const panelHeight = SLOT_HEADER + rows * SLOT_ROW + 8;
  const height = options.panels.length * (panelHeight + SLOT_PANEL_GAP);
  const width = chartWidth(options.width);
  frame(svg, options.title, height, width);
  const labelWidth = 8 + Math.max(4, ...options.panels.flatMap((p) => p.rows.map((r) => r.name.length))) * CHAR;
  const maxCapacity = Math.max(1, ...options.panels.flatMap((p) => p.rows.map((r) => r.capacity)));
  // Room on the right for the widest "used / capacity" text.
  const countWidth = 6 + (4 + 3 + String(maxCapacity).length) * CHAR;
  const box = Math.max(0.5, Math.min(16, (width - labelWidth - countWidth) / maxCapacity));
  part(svg, "g.panels", "g", "panels").selectAll<SVGGElement, SlotPanel>("g.slot-panel").data(options.panels)
    .join((enter) => {
      const g = enter.append("g").attr("class", "slot-panel");
      g.append("text").attr("class", "axis-label").attr("x", 0).attr("y", 15);
      return g;
    })
    .attr("transform", (_, p) => `translate(0,${p * (panelHeight + SLOT_PANEL_GAP)})`)
    .classed("faded", (panel) => panel.faded ?? false)
    .call((g) => g.select("text.axis-label").text((panel) => panel.title))
    .selectAll<SVGGElement, SlotRow>("g.slot-row").data((panel) => panel.rows)
    .join((enter) => {
      const row = enter.append("g").attr("class", "slot-row");
      row.append("text").attr("class", "slot-name").attr("text-anchor", "end");
      // Three elements a row whatever the queue depth: the empty queue, the filled window, and
      // one path of slot dividers, so a 128-slot host costs no more to draw than a 16-slot one.
      const slots = row.append("g").attr("class", "slots");
      slots.append("rect").attr("class", "slot-empty").attr("x", 0).attr("y", 2).attr("height", SLOT_ROW - 6);
      slots.append("rect").attr("class", "slot-used").attr("x", 0).attr("y", 2).attr("height", SLOT_ROW - 6);
      slots.append("path").attr("class", "slot");
      row.append("text").attr("class", "slot-count");
      row.append("title");
      return row;
    })
    .attr("transform", (_, r) => `translate(0,${SLOT_HEADER + r * SLOT_ROW})`)
    .call((row) => row.select("text.slot-name").attr("x", labelWidth - 8).attr("y", 14).text((d) => d.name))
    .call((row) => row.select("g.slots").attr("transform", `translate(${labelWidth},0)`))
    .call((row) => row.select("rect.slot-empty").attr("width", (d) => d.capacity * box))
    .call((row) => row.select("rect.slot-used").attr("class", (d) => `slot-used fill-${d.colour % PALETTE_SIZE}`)
      .attr("width", (d) => Math.max(0, Math.min(d.used, d.capacity)) * box))
    .call((row) => row.select("path.slot").attr("d", (d) => {
      let dividers = "";
      for (let i = 1; i < d.capacity; i++) dividers += `M${i * box},2v${SLOT_ROW - 6}`;
      return dividers;
    }))
    .call((row) => row.select("text.slot-count").attr("x", (d) => labelWidth + d.capacity * box + 6).attr("y", 14)
      .text((d) => `${formatNumber(d.used)} / ${d.capacity}`))
    .call((row) => row.select("title").text((d) => `${d.name}: ${formatNumber(d.used)} of ${d.capacity} slots`));
}
