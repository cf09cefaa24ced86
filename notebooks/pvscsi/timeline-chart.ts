/**
 * Completion delivery for one workload: two lanes, without and with interrupt coalescing. A dot
 * is a completion at the device; a tall bar is a virtual interrupt that tells the guest; with
 * coalescing, a line runs from each held completion to the interrupt that finally delivers it,
 * so the wait the model adds is visible as the lines' length. A batch's completions come back
 * bunched, far closer together than the batches follow each other, so with coalescing the chart
 * zooms into one batch (in µs); without it, it shows the whole window (in ms).
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
  const batch = timeline.k > 1;
  // One batch, in µs from its first completion; or every completion, in ms.
  const lanes = [timeline.withoutCoalescing, timeline.withCoalescing].map((events) => (batch ? events.slice(0, timeline.k) : events));
  const start = batch ? lanes[1][0].completedMs : 0;
  const unit = batch ? "µs" : "ms";
  const scale = batch ? 1000 : 1;
  const at = (ms: number) => (ms - start) * scale;
  const span = at(lanes[1].at(-1)!.deliveredMs);
  const x = scaleLinear(batch ? [-0.2 * span, 1.2 * span] : [0, span * 1.03], [left, width - MARGIN.right]);
  lanes.forEach((events, lane) => {
    const y0 = 30 + lane * LANE;
    const g = svg.append("g").attr("class", `tl-lane tl-lane-${lane}`);
    g.append("text").attr("class", "axis-label").attr("x", left).attr("y", y0 - 8).text(options.lanes[lane]);
    g.append("line").attr("class", "tl-base").attr("x1", left).attr("x2", width - MARGIN.right).attr("y1", y0 + 26).attr("y2", y0 + 26);
    let holds = "";
    let irqs = "";
    const delivered = new Set<number>();
    for (const e of events) {
      if (e.deliveredMs > e.completedMs) holds += `M${x(at(e.completedMs)).toFixed(1)},${y0 + 26}H${x(at(e.deliveredMs)).toFixed(1)}`;
      if (!delivered.has(e.deliveredMs)) {
        delivered.add(e.deliveredMs);
        irqs += `M${x(at(e.deliveredMs)).toFixed(1)},${y0 + 4}V${y0 + 30}`;
      }
    }
    if (holds) g.append("path").attr("class", "tl-hold").attr("d", holds);
    g.append("path").attr("class", "tl-irq").attr("d", irqs).append("title").text(`${delivered.size} interrupt${delivered.size === 1 ? "" : "s"}`);
    for (const e of events) {
      g.append("circle").attr("class", "tl-done").attr("cx", x(at(e.completedMs))).attr("cy", y0 + 26).attr("r", 3.5)
        .append("title").text(`Completion ${e.index + 1} at ${at(e.completedMs).toFixed(2)} ${unit}, delivered at ${at(e.deliveredMs).toFixed(2)} ${unit}`);
    }
  });
  svg.append("g").attr("class", "axis x").attr("transform", `translate(0,${height - MARGIN.bottom})`).call(axisBottom(x).ticks(width / 90)).attr("font-size", 12);
  const label = batch ? "Time from the batch's first completion (µs)" : "Time (ms)";
  const key = batch ? "bars: interrupts, lines: held" : "dots: completions, bars: interrupts, lines: held";
  svg.append("text").attr("class", "axis-label").attr("x", (left + width - MARGIN.right) / 2).attr("y", height - 6).attr("text-anchor", "middle")
    .text(width < 480 ? label : `${label}; ${key}`);
}
