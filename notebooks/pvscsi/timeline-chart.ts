/**
 * Completion delivery over a few milliseconds for one workload: two lanes, without and with
 * interrupt coalescing. A dot is a completion at the device; a tall bar is a virtual interrupt
 * that tells the guest; with coalescing, a line runs from each held completion to the interrupt
 * that finally delivers it, so the wait the model adds is visible as the lines' length.
 */
import { scaleLinear } from "d3-scale";
import { axisBottom } from "d3-axis";
import type { CompletionTimeline } from "../../src/pvscsi/index.ts";
import { MARGIN, chartView, chartWidth, frame, type ChartView, type DataTable, type Svg } from "../lib/chart.ts";

export interface TimelineOptions {
  timeline: CompletionTimeline;
  width?: number;
  title: string;
  summary: string;
  table: DataTable;
  lanes: [string, string];
}

const LANE = 58;

/** Drawn on demand, into a new SVG or the one on the page (cleared first: a few dozen elements). */
export function timelineChart(doc: Document, options: TimelineOptions): ChartView {
  return chartView(doc, "pvscsi-timeline", { title: options.title, summary: options.summary, table: options.table }, (svg) => {
    svg.selectChildren(":not(title)").remove();
    drawTimeline(svg, options);
  });
}

function drawTimeline(svg: Svg, options: TimelineOptions): void {
  const { timeline } = options;
  const width = chartWidth(options.width);
  const height = 34 + 2 * LANE + MARGIN.bottom;
  frame(svg, options.title, height, width);
  const left = 12;
  const end = timeline.withCoalescing.at(-1)!.deliveredMs;
  const x = scaleLinear([0, end * 1.03], [left, width - MARGIN.right]);
  const lanes = [timeline.withoutCoalescing, timeline.withCoalescing];
  lanes.forEach((events, lane) => {
    const y0 = 30 + lane * LANE;
    const g = svg.append("g").attr("class", `tl-lane tl-lane-${lane}`);
    g.append("text").attr("class", "axis-label").attr("x", left).attr("y", y0 - 8).text(options.lanes[lane]);
    g.append("line").attr("class", "tl-base").attr("x1", left).attr("x2", width - MARGIN.right).attr("y1", y0 + 26).attr("y2", y0 + 26);
    let holds = "";
    let irqs = "";
    const delivered = new Set<number>();
    for (const e of events) {
      if (e.deliveredMs > e.completedMs) holds += `M${x(e.completedMs).toFixed(1)},${y0 + 26}H${x(e.deliveredMs).toFixed(1)}`;
      if (!delivered.has(e.deliveredMs)) {
        delivered.add(e.deliveredMs);
        irqs += `M${x(e.deliveredMs).toFixed(1)},${y0 + 4}V${y0 + 30}`;
      }
    }
    if (holds) g.append("path").attr("class", "tl-hold").attr("d", holds);
    g.append("path").attr("class", "tl-irq").attr("d", irqs).append("title").text(`${delivered.size} interrupts`);
    for (const e of events) {
      g.append("circle").attr("class", "tl-done").attr("cx", x(e.completedMs)).attr("cy", y0 + 26).attr("r", 3.5)
        .append("title").text(`Completion ${e.index + 1} at ${e.completedMs.toFixed(2)} ms, delivered at ${e.deliveredMs.toFixed(2)} ms`);
    }
  });
  svg.append("g").attr("class", "axis x").attr("transform", `translate(0,${height - MARGIN.bottom})`).call(axisBottom(x).ticks(width / 90)).attr("font-size", 12);
  svg.append("text").attr("class", "axis-label").attr("x", (left + width - MARGIN.right) / 2).attr("y", height - 6).attr("text-anchor", "middle")
    .text(width < 480 ? "Time (ms)" : "Time (ms); dots: completions, bars: interrupts, lines: held");
}
