/**
 * Lock-wait lanes: one lane per host, time across, each stretch of time shaded by the share of it
 * the host spent waiting for a lock; one panel per locking scheme on a common time axis, with each
 * scheme's finish time marked. Built with d3 on the given document like notebooks/lib/chart.ts and
 * returned as a ChartView. Labels only ever go through .text().
 */
import { scaleLinear } from "d3-scale";
import { axisBottom } from "d3-axis";
import { select } from "d3-selection";
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

export function laneChart(doc: Document, options: LaneChartOptions): ChartView {
  const width = chartWidth(options.width);
  const svg = select(doc.createElementNS(SVG_NS, "svg") as SVGSVGElement).attr("class", "chart").attr("role", "img");
  const titleId = `lanes-title-${++idCounter}`;
  svg.attr("aria-labelledby", titleId).append("title").attr("id", titleId).text(options.title);
  const x = scaleLinear([0, Math.max(options.maxS, options.bucketS)], [LABEL, width - RIGHT]).nice();
  let y = 0;
  for (const panel of options.panels) {
    const g = svg.append("g").attr("transform", `translate(0,${y})`);
    g.append("text").attr("class", "axis-label").attr("x", 0).attr("y", 15).text(panel.title);
    const top = HEADER;
    const laneY = (i: number) => top + i * (LANE + LANE_GAP);
    panel.lanes.forEach((lane, i) => {
      g.append("text").attr("x", LABEL - 6).attr("y", laneY(i) + LANE - 2).attr("text-anchor", "end").text(lane.name);
    });
    // The empty lanes, then one path per shade of waiting: a panel costs a dozen elements
    // however many stretches its hosts' waits break into.
    const laneWidth = x(options.maxS) - LABEL;
    g.append("path").attr("class", "slot-empty").attr("d", panel.lanes.map((_, i) => box(LABEL, laneY(i), laneWidth)).join(""));
    const byShade = new Map<number, string[]>();
    panel.lanes.forEach((lane, i) => {
      const shade = (k: number) => Math.round(lane.waits[k] * 10);
      let start = 0;
      for (let b = 1; b <= lane.waits.length; b++) {
        if (b < lane.waits.length && shade(b) === shade(start)) continue;
        if (shade(start) > 0) {
          const from = x(start * options.bucketS);
          const boxes = byShade.get(shade(start)) ?? [];
          boxes.push(box(from, laneY(i), Math.max(1, x(b * options.bucketS) - from)));
          byShade.set(shade(start), boxes);
        }
        start = b;
      }
    });
    for (const [shade, boxes] of [...byShade].sort(([a], [b]) => a - b)) {
      g.append("path").attr("class", `fill-${panel.colour % 8}`).attr("fill-opacity", (0.15 + 0.85 * shade / 10).toFixed(2)).attr("d", boxes.join(""));
    }
    const bottom = laneY(panel.lanes.length);
    if (panel.finishS !== null) {
      const rule = g.append("g").attr("class", "rule");
      rule.append("line").attr("x1", x(panel.finishS)).attr("x2", x(panel.finishS)).attr("y1", top - 2).attr("y2", bottom + 12);
      const right = x(panel.finishS) > width * 0.6;
      rule.append("text").attr("x", x(panel.finishS) + (right ? -4 : 4)).attr("y", bottom + 10).attr("text-anchor", right ? "end" : "start")
        .text(`done at ${formatNumber(panel.finishS)} s`);
    }
    y += bottom + PANEL_GAP;
  }
  svg.append("g").attr("class", "axis x").attr("transform", `translate(0,${y})`).call(axisBottom(x).ticks(width / 80));
  svg.append("text").attr("class", "axis-label").attr("x", (LABEL + width - RIGHT) / 2).attr("y", y + 34).attr("text-anchor", "middle").text(options.x.label);
  let height = y + 62;
  // Legend: what the shading means.
  const legend = svg.append("g").attr("class", "legend").attr("transform", `translate(0,${height})`);
  [0.25, 1].forEach((f, i) => {
    legend.append("rect").attr("class", `fill-${options.panels[0]?.colour ?? 2}`).attr("x", i * 150).attr("y", -9).attr("width", 18).attr("height", 10)
      .attr("fill-opacity", (0.15 + 0.85 * f).toFixed(2));
    legend.append("text").attr("x", i * 150 + 24).attr("y", 0).text(f < 1 ? "some time waiting" : "waiting all the time");
  });
  height += 10;
  if (options.note) {
    svg.append("text").attr("class", "m-chart-note").attr("x", 0).attr("y", height + 14).text(options.note);
    height += 20;
  }
  svg.attr("viewBox", `0 0 ${width} ${Math.ceil(height + 4)}`);
  return { title: options.title, svg: svg.node()!, summary: options.summary, table: options.table };
}
