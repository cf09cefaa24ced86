/**
 * Gauge charts: horizontal bars per row (e.g. the free space a commit needs, per disk, in two
 * orders), each labelled with its value in words so that a bar too short to see still reads, and
 * one vertical rule for the quantity they are measured against (e.g. the datastore's free space).
 * Built with d3-scale, d3-axis and d3-selection on the given document like chart.ts, returned as a
 * ChartView. Labels only ever go through .text().
 */
import { scaleLinear } from "d3-scale";
import { axisBottom } from "d3-axis";
import { select } from "d3-selection";
import { fitText, wrapText } from "./text.ts";
import type { ChartView, DataTable } from "./view.ts";

const SVG_NS = "http://www.w3.org/2000/svg";
/** Narrower than chart.ts's 640: a gauge has short labels, and its text stays readable on phones. */
const WIDTH = 440;
/** The narrowest layout: the column of a 320 px phone. */
const MIN_WIDTH = 240;
/** A gauge is not blown up on a wide page beyond this many pixels per viewBox unit. */
const MAX_SCALE = 1.4;
const CHAR = 6.6;
/** The row labels are 12 px semi-bold: wider than CHAR (DejaVu Sans is wide). */
const LABEL_CHAR = 7.8;
const BAR = 16;
const BAR_GAP = 4;
const ROW_GAP = 14;
/** A value above 0 is drawn at least this wide (viewBox units), so 16 MiB on a 100 GiB axis still shows; its label gives the number. */
const MIN_MARK = 4;

export interface GaugeBar {
  /** Series name (legend and tooltip). */
  name: string;
  value: number;
  /** Index into the theme palette. */
  colour: number;
  /** The value in words, drawn at the bar's end (e.g. "16 MiB"). */
  text: string;
}

export interface GaugeRow {
  label: string;
  bars: readonly GaugeBar[];
}

export interface GaugeChartOptions {
  title: string;
  rows: readonly GaugeRow[];
  /** The line the bars are compared with. */
  rule: { value: number; label: string };
  x: { label: string };
  /** The container's width in px (the notebook's `width` input): drawn at most 440 wide, narrower on a phone. */
  width?: number;
  summary: string;
  table: DataTable;
}

let idCounter = 0;

export function gaugeChart(doc: Document, options: GaugeChartOptions): ChartView {
  const svg = select(doc.createElementNS(SVG_NS, "svg") as SVGSVGElement).attr("class", "chart gauge").attr("role", "img");
  const titleId = `gauge-title-${++idCounter}`;
  svg.attr("aria-labelledby", titleId).append("title").attr("id", titleId).text(options.title);

  // Drawn at the width it is shown at (never wider than WIDTH), so its text keeps its CSS size.
  const width = Math.round(Math.max(MIN_WIDTH, Math.min(WIDTH, options.width ?? WIDTH)));
  // Labels get their own length, up to 30 % of the width (180 at most); counted in whole characters, so
  // a label that fits is never shortened by a rounding error in the width.
  const longest = Math.max(0, ...options.rows.map((r) => r.label.length));
  const labelChars = Math.max(1, Math.min(longest, Math.floor((Math.min(180, width * 0.3) - 12) / LABEL_CHAR)));
  const labelWidth = 12 + Math.max(40, labelChars * LABEL_CHAR);
  const textRoom = 12 + Math.max(0, ...options.rows.flatMap((r) => r.bars.map((b) => b.text.length * CHAR)));
  let max = Math.max(options.rule.value, 0);
  for (const row of options.rows) for (const bar of row.bars) max = Math.max(max, bar.value);
  const x = scaleLinear([0, max > 0 ? max : 1], [labelWidth, width - Math.min(140, textRoom)]).nice();

  // Legend on top: one swatch per series, then the rule.
  const series = options.rows[0]?.bars ?? [];
  const legend = svg.append("g").attr("class", "legend").attr("transform", "translate(0,10)");
  let lx = 0;
  let ly = 0;
  for (const entry of [...series.map((b) => ({ name: b.name, cls: `fill-${b.colour % 8}`, rule: false })), { name: options.rule.label, cls: "", rule: true }]) {
    const name = fitText(entry.name, Math.floor((width - 24) / CHAR));
    const w = 26 + name.length * CHAR + 14;
    if (lx > 0 && lx + w > width) {
      lx = 0;
      ly += 18;
    }
    const item = legend.append("g").attr("transform", `translate(${lx},${ly})`);
    if (entry.rule) item.append("line").attr("class", "gauge-rule-key").attr("x1", 8).attr("x2", 8).attr("y1", -6).attr("y2", 8);
    else item.append("rect").attr("class", entry.cls).attr("x", 0).attr("y", -5).attr("width", 18).attr("height", 10);
    item.append("text").attr("x", 24).attr("y", 4).text(name);
    lx += w;
  }
  let y = 10 + ly + 22;
  const top = y;
  for (const row of options.rows) {
    const rowHeight = row.bars.length * (BAR + BAR_GAP) - BAR_GAP;
    const g = svg.append("g").attr("class", "gauge-row").attr("transform", `translate(0,${y})`);
    g.append("text").attr("class", "gauge-label").attr("x", labelWidth - 8).attr("y", rowHeight / 2 + 4).attr("text-anchor", "end").text(fitText(row.label, labelChars));
    row.bars.forEach((bar, i) => {
      const by = i * (BAR + BAR_GAP);
      const width = Math.max(bar.value > 0 ? MIN_MARK : 0, x(bar.value) - x(0));
      g.append("rect").attr("class", `fill-${bar.colour % 8}`).attr("x", x(0)).attr("y", by).attr("width", width).attr("height", BAR)
        .append("title").text(`${row.label}, ${bar.name}: ${bar.text}`);
      g.append("text").attr("class", "gauge-value").attr("x", x(0) + width + 5).attr("y", by + BAR - 4).text(bar.text);
    });
    y += rowHeight + ROW_GAP;
  }
  const bottom = y - ROW_GAP + 6;
  const rx = x(options.rule.value);
  const rule = svg.append("g").attr("class", "gauge-rule");
  rule.append("line").attr("x1", rx).attr("x2", rx).attr("y1", top - 6).attr("y2", bottom);
  svg.append("g").attr("class", "axis x").attr("transform", `translate(0,${bottom})`).call(axisBottom(x).ticks(width < 400 ? 4 : 5));
  // The axis label, centred under the bars, on as many lines as the width needs.
  const centre = (labelWidth + width) / 2;
  const labelLines = wrapText(options.x.label, Math.floor((2 * Math.min(centre, width - centre) - 8) / (CHAR * 1.1)));
  labelLines.forEach((line, i) => {
    svg.append("text").attr("class", "axis-label").attr("x", centre).attr("y", bottom + 36 + i * 15).attr("text-anchor", "middle").text(line);
  });
  svg.attr("viewBox", `0 0 ${width} ${Math.ceil(bottom + 44 + (labelLines.length - 1) * 15)}`).attr("style", `max-width: ${Math.round(width * MAX_SCALE)}px`);
  return { title: options.title, svg: svg.node()!, summary: options.summary, table: options.table };
}
