/**
 * Lock-wait lanes: one lane per host, time across, each stretch of time shaded by the share of it
 * the host spent waiting for a lock; one panel per locking scheme on a common time axis, with each
 * scheme's finish time marked. Drawn with d3 data joins like notebooks/lib/chart.ts, so a slider
 * move brings the SVG already on the page up to date (`drawInto`) instead of building a new one.
 * Labels only ever go through .text().
 */
import { scaleLinear } from "d3-scale";
import { axisBottom } from "d3-axis";
import { select, type Selection } from "d3-selection";
import { chartWidth, formatNumber, type ChartView, type DataTable } from "../lib/chart.ts";

const SVG_NS = "http://www.w3.org/2000/svg";
const LANE = 12;
const LANE_GAP = 3;
const HEADER = 22;
const PANEL_GAP = 22;
const LABEL = 56;
const RIGHT = 16;

export interface LanePanel {
  title: string;
  /** Per host: share of each bucket spent waiting for a lock, 0..1. */
  lanes: ReadonlyArray<{ name: string; waits: ArrayLike<number> }>;
  /** When the last operation finished, s (null: not within the run). */
  finishS: number | null;
  colour: number;
}

export interface LaneChartOptions {
  title: string;
  width?: number;
  panels: readonly LanePanel[];
  bucketS: number;
  /** Right end of the time axis, s. */
  maxS: number;
  x: { label: string };
  /** A line under the panels, e.g. how many hosts were left out. */
  note?: string;
  summary: string;
  table: DataTable;
}

let idCounter = 0;

/** Path data for one lane-high box. */
function box(left: number, top: number, width: number): string {
  return `M${left.toFixed(1)},${top}h${width.toFixed(1)}v${LANE}h${(-width).toFixed(1)}z`;
}

function laneY(i: number): number {
  return HEADER + i * (LANE + LANE_GAP);
}

/** Share of a bucket spent waiting, in tenths: the shade it is drawn in (0 = not drawn). */
function shadeOf(wait: number): number {
  return Math.round(wait * 10);
}

function opacity(shade: number): string {
  return (0.15 + (0.85 * shade) / 10).toFixed(2);
}

/**
 * A panel's waiting stretches as one path per shade: a panel costs a dozen elements however many
 * stretches its hosts' waits break into.
 */
function stretchesByShade(panel: LanePanel, x: (s: number) => number, bucketS: number): Array<{ shade: number; d: string }> {
  const byShade = new Map<number, string[]>();
  panel.lanes.forEach((lane, i) => {
    let start = 0;
    for (let b = 1; b <= lane.waits.length; b++) {
      if (b < lane.waits.length && shadeOf(lane.waits[b]) === shadeOf(lane.waits[start])) continue;
      const shade = shadeOf(lane.waits[start]);
      if (shade > 0) {
        const from = x(start * bucketS);
        const boxes = byShade.get(shade) ?? [];
        boxes.push(box(from, laneY(i), Math.max(1, x(b * bucketS) - from)));
        byShade.set(shade, boxes);
      }
      start = b;
    }
  });
  return [...byShade].sort(([a], [b]) => a - b).map(([shade, boxes]) => ({ shade, d: boxes.join("") }));
}

/** The child of `parent` with class `name`, made as a `tag` the first time. */
function child<P extends SVGElement, D>(parent: Selection<P, D, null, undefined>, tag: string, name: string): Selection<SVGElement, D, null, undefined> {
  const found = parent.selectChild<SVGElement>(`.${name.split(" ")[0]}`) as unknown as Selection<SVGElement, D, null, undefined>;
  return found.empty() ? parent.append<SVGElement>(tag).attr("class", name) as unknown as Selection<SVGElement, D, null, undefined> : found;
}

function drawLanes(svg: Selection<SVGSVGElement, unknown, null, undefined>, options: LaneChartOptions): void {
  const width = chartWidth(options.width);
  const title = child(svg, "title", "lanes-title");
  if (!title.attr("id")) {
    const id = `lanes-title-${++idCounter}`;
    title.attr("id", id);
    svg.attr("aria-labelledby", id);
  }
  title.text(options.title);
  const x = scaleLinear([0, Math.max(options.maxS, options.bucketS)], [LABEL, width - RIGHT]).nice();
  const tops: number[] = [];
  let y = 0;
  for (const panel of options.panels) {
    tops.push(y);
    y += laneY(panel.lanes.length) + PANEL_GAP;
  }
  svg.selectAll<SVGGElement, LanePanel>("g.lane-panel").data(options.panels).join("g").attr("class", "lane-panel")
    .attr("transform", (_, i) => `translate(0,${tops[i]})`)
    .each(function (panel) {
      const g = select<SVGGElement, LanePanel>(this);
      child(g, "text", "axis-label").attr("x", 0).attr("y", 15).text(panel.title);
      child(g, "g", "lane-names").selectAll<SVGTextElement, { name: string }>("text").data(panel.lanes).join("text")
        .attr("x", LABEL - 6).attr("y", (_, i) => laneY(i) + LANE - 2).attr("text-anchor", "end").text((lane) => lane.name);
      child(g, "path", "slot-empty").attr("d", panel.lanes.map((_, i) => box(LABEL, laneY(i), x(options.maxS) - LABEL)).join(""));
      child(g, "g", "lane-waits").attr("class", `lane-waits fill-${panel.colour % 8}`)
        .selectAll<SVGPathElement, { shade: number; d: string }>("path").data(stretchesByShade(panel, x, options.bucketS)).join("path")
        .attr("fill-opacity", (s) => opacity(s.shade)).attr("d", (s) => s.d);
      const bottom = laneY(panel.lanes.length);
      const finish = panel.finishS === null ? [] : [panel.finishS];
      const rule = g.selectAll<SVGGElement, number>("g.rule").data(finish).join((enter) => enter.append("g").attr("class", "rule").call((r) => {
        r.append("line");
        r.append("text");
      }));
      rule.select("line").attr("x1", (s) => x(s)).attr("x2", (s) => x(s)).attr("y1", HEADER - 2).attr("y2", bottom + 12);
      rule.select("text").attr("x", (s) => x(s) + (x(s) > width * 0.6 ? -4 : 4)).attr("y", bottom + 10)
        .attr("text-anchor", (s) => (x(s) > width * 0.6 ? "end" : "start")).text((s) => `done at ${formatNumber(s)} s`);
    });
  child(svg, "g", "axis x").attr("transform", `translate(0,${y})`).call((g) => axisBottom(x).ticks(width / 80)(g as unknown as Selection<SVGGElement, unknown, null, undefined>));
  child(svg, "text", "x-label axis-label").attr("x", (LABEL + width - RIGHT) / 2).attr("y", y + 34).attr("text-anchor", "middle").text(options.x.label);
  let height = y + 62;
  // Legend: what the shading means.
  const legend = child(svg, "g", "legend").attr("transform", `translate(0,${height})`);
  const key = legend.selectAll<SVGGElement, number>("g").data([0.25, 1]).join((enter) => enter.append("g").call((k) => {
    k.append("rect");
    k.append("text");
  }));
  key.select("rect").attr("class", `fill-${options.panels[0]?.colour ?? 2}`).attr("x", (_, i) => i * 150).attr("y", -9).attr("width", 18).attr("height", 10)
    .attr("fill-opacity", (f) => opacity(f * 10));
  key.select("text").attr("x", (_, i) => i * 150 + 24).attr("y", 0).text((f) => (f < 1 ? "some time waiting" : "waiting all the time"));
  height += 10;
  const notes = options.note ? [options.note] : [];
  svg.selectAll<SVGTextElement, string>("text.m-chart-note").data(notes).join("text").attr("class", "m-chart-note")
    .attr("x", 0).attr("y", height + 14).text((note) => note);
  if (notes.length) height += 20;
  svg.attr("viewBox", `0 0 ${width} ${Math.ceil(height + 4)}`);
}

export function laneChart(doc: Document, options: LaneChartOptions): ChartView {
  let svg: SVGSVGElement | undefined;
  return {
    title: options.title,
    summary: options.summary,
    table: options.table,
    chartKind: "lanes",
    // Built only when asked for (build time, a first render); on the page a move uses drawInto.
    get svg(): SVGSVGElement {
      if (!svg) {
        svg = doc.createElementNS(SVG_NS, "svg") as SVGSVGElement;
        select(svg).attr("class", "chart").attr("role", "img").attr("data-chart", "lanes");
        drawLanes(select(svg), options);
      }
      return svg;
    },
    drawInto: (existing) => drawLanes(select(existing), options),
  };
}
