/**
 * The crossover heat map: PVSCSI − LSI Logic latency per I/O over IOPS (log) × outstanding I/Os
 * (log₂), one colour bin per range of the difference, the line where its sign changes, the
 * published ESX 4.0 zone outlined, and the reader's workload as a marker. Cells of one bin are
 * drawn as a single path (runs along each row merged), so a 100 × 64 grid is a dozen elements;
 * moving the marker over the same map moves the marker only. Colours are CSS classes (light and dark themes); the sign is also
 * carried by the crossover line and the data table, never by colour alone.
 */
import { scaleLog, type ScaleLogarithmic } from "d3-scale";
import { axisBottom, axisLeft } from "d3-axis";
import type { CrossoverMap } from "../../src/pvscsi/index.ts";
import { select } from "d3-selection";
import { MARGIN, chartView, chartWidth, frame, plainAxes, type ChartView, type DataTable, type Svg } from "../lib/chart.ts";

/** Upper edges of the colour bins (ms of PVSCSI − LSI Logic); the last bin is open. */
export const BIN_EDGES_MS = [-0.01, 0, 0.01, 0.03, 0.1] as const;
const BIN_CLASSES = ["hm-pv2", "hm-pv1", "hm-lsi1", "hm-lsi2", "hm-lsi3", "hm-lsi4"];
/** The first bin of differences above 0: PVSCSI slower. */
const SLOWER_BIN = BIN_EDGES_MS.indexOf(0) + 1;

export function binOf(deltaMs: number): number {
  let b = 0;
  while (b < BIN_EDGES_MS.length && deltaMs > BIN_EDGES_MS[b]) b++;
  return b;
}

export interface HeatmapMarker {
  iops: number;
  oio: number;
  label: string;
}

/**
 * What depends on the map and the width only: the scales and the cells' and contour's path data.
 * Computed once per map (a cell of its own), so moving the marker redraws without looping the grid.
 */
export interface HeatmapLayer {
  map: CrossoverMap;
  width: number;
  height: number;
  top: number;
  narrow: boolean;
  x: ScaleLogarithmic<number, number>;
  y: ScaleLogarithmic<number, number>;
  /** Path data per colour bin (BIN_CLASSES order), "" for an empty bin. */
  binPaths: string[];
  contour: string;
  /** The grid's IOPS extent (outer cell edges). */
  iopsExtent: [number, number];
}

const LEGEND_HEIGHT = 62;
const format = (v: number) => (v >= 1000 ? `${v / 1000}k` : String(v));

export function heatmapLayer(map: CrossoverMap, containerWidth?: number): HeatmapLayer {
  const width = chartWidth(containerWidth);
  const narrow = width < 480;
  const height = (narrow ? 360 : 400) + LEGEND_HEIGHT;
  const top = MARGIN.top + LEGEND_HEIGHT;
  const step = Math.sqrt(map.iops[1] / map.iops[0]);
  const edge = (c: number) => (c === 0 ? map.iops[0] / step : c === map.columns ? map.iops[map.columns - 1] * step : Math.sqrt(map.iops[c - 1] * map.iops[c]));
  const iopsExtent: [number, number] = [edge(0), edge(map.columns)];
  const x = scaleLog(iopsExtent, [MARGIN.left, width - MARGIN.right]);
  const y = scaleLog([0.5, map.rows + 0.5], [height - MARGIN.bottom, top]).base(2);
  const xs = Array.from({ length: map.columns + 1 }, (_, c) => x(edge(c)).toFixed(1));
  const ys = Array.from({ length: map.rows + 1 }, (_, r) => y(r + 0.5).toFixed(1));

  // Each cell's colour bin, −1 where unreachable: the fills and the crossover both read it.
  const { rows, columns } = map;
  const bins = new Int8Array(rows * columns);
  for (let i = 0; i < bins.length; i++) bins[i] = map.reachable[i] ? binOf(map.deltaMs[i]) : -1;

  // One path per bin: consecutive cells of a row in the same bin become one rectangle.
  const paths = BIN_CLASSES.map(() => [] as string[]);
  for (let r = 0; r < rows; r++) {
    let c = 0;
    while (c < columns) {
      const bin = bins[r * columns + c];
      let end = c + 1;
      while (end < columns && bins[r * columns + end] === bin) end++;
      if (bin >= 0) paths[bin].push(`M${xs[c]},${ys[r]}H${xs[end]}V${ys[r + 1]}H${xs[c]}Z`);
      c = end;
    }
  }
  // The crossover: cell edges between a reachable cell where PVSCSI is slower and a reachable
  // neighbour where it is not.
  const contour: string[] = [];
  const differ = (i: number, j: number) => bins[i] >= 0 && bins[j] >= 0 && (bins[i] >= SLOWER_BIN) !== (bins[j] >= SLOWER_BIN);
  // Only rows with a slower cell, or under one, can have an edge (none at all on a 4.1+ map).
  const mayCross = (r: number) => map.pvSlowerSomewhere[r] || (r + 1 < rows && map.pvSlowerSomewhere[r + 1]);
  for (let r = 0; r < rows; r++) {
    if (!mayCross(r)) continue;
    for (let c = 0; c < columns; c++) {
      const i = r * columns + c;
      if (c + 1 < columns && differ(i, i + 1)) contour.push(`M${xs[c + 1]},${ys[r]}V${ys[r + 1]}`);
      if (r + 1 < rows && differ(i, i + columns)) contour.push(`M${xs[c]},${ys[r + 1]}H${xs[c + 1]}`);
    }
  }
  return { map, width, height, top, narrow, x, y, binPaths: paths.map((p) => p.join("")), contour: contour.join(""), iopsExtent };
}

export interface HeatmapOptions {
  layer: HeatmapLayer;
  marker: HeatmapMarker | null;
  title: string;
  summary: string;
  table: DataTable;
}

/**
 * The heat map as a ChartView drawn on demand: into a new SVG (build time, tests, first render)
 * or into the one already on the page. There, a moved marker over the same layer only moves the
 * marker; a new map drawn at the same size (another release, other costs) only swaps the cells'
 * paths, the crossover and the zone's label; a new size redraws everything. The SVG's d3 datum
 * records which layer it shows.
 */
export function heatmapChart(doc: Document, options: HeatmapOptions): ChartView {
  const { layer } = options;
  return chartView(doc, "pvscsi-heatmap", { title: options.title, summary: options.summary, table: options.table }, (svg) => {
    frame(svg, options.title, layer.height, layer.width);
    const shown = svg.datum() as HeatmapLayer | undefined;
    if (shown !== layer) {
      if (!shown || !sameGeometry(shown, layer)) {
        svg.selectChildren(":not(title)").remove();
        drawFrame(svg, layer);
      }
      drawCells(svg, layer);
      svg.datum(layer);
    }
    drawMarker(svg, layer, options.marker);
  });
}

/** Same size and axes: only what the map's values decide differs. */
function sameGeometry(a: HeatmapLayer, b: HeatmapLayer): boolean {
  return a.width === b.width && a.height === b.height && a.map.rows === b.map.rows && a.map.columns === b.map.columns &&
    a.iopsExtent[0] === b.iopsExtent[0] && a.iopsExtent[1] === b.iopsExtent[1];
}

/** What the map's values decide: one path per colour bin, the crossover line, the zone's label. */
function drawCells(svg: Svg, layer: HeatmapLayer): void {
  const bins = layer.binPaths.flatMap((d, bin) => (d ? [{ d, bin }] : []));
  svg.select("g.hm-cells").selectAll<SVGPathElement, { d: string; bin: number }>("path").data(bins, (b) => b.bin)
    .join("path").attr("class", (b) => BIN_CLASSES[b.bin]).attr("d", (b) => b.d);
  svg.select("g.hm-line").selectAll<SVGPathElement, string>("path").data(layer.contour ? [layer.contour] : [])
    .join((enter) => {
      const line = enter.append("path").attr("class", "hm-contour");
      line.append("title").text("Model crossover: PVSCSI slower on one side, faster on the other");
      return line;
    })
    .attr("d", (d) => d);
  svg.select("g.hm-kb text").text(layer.map.published.applies ? "KB 1017652 zone" : "KB zone (ESX 4.0 only)");
}

/** What the size decides: the plot's background, the groups the cells go in, the zone, axes, legend. */
function drawFrame(svg: Svg, layer: HeatmapLayer): void {
  const { map, width, height, top, narrow, x, y } = layer;
  svg.append("rect").attr("class", "hm-none").attr("x", MARGIN.left).attr("y", top)
    .attr("width", width - MARGIN.left - MARGIN.right).attr("height", height - MARGIN.bottom - top);
  svg.append("g").attr("class", "hm-cells");
  svg.append("g").attr("class", "hm-line");

  // The published ESX 4.0 zone: below 2,000 IOPS with more than 4 outstanding I/Os.
  const kb = svg.append("g").attr("class", "hm-kb");
  const kbRight = x(map.published.iops);
  const kbBottom = y(map.published.oio + 0.5);
  kb.append("rect").attr("x", MARGIN.left).attr("y", top).attr("width", kbRight - MARGIN.left).attr("height", kbBottom - top);
  kb.append("text").attr("x", MARGIN.left + 4).attr("y", top + 14);

  plainAxes(svg, { label: "VM's IOPS (on LSI Logic, log scale)" }, { label: "Outstanding I/Os (log scale)" }, height, width,
    (g) => void g.call(axisBottom(x).tickValues(narrow ? [100, 500, 2000, 10000] : [100, 200, 500, 1000, 2000, 5000, 10000, 20000]).tickFormat((v) => format(Number(v)))),
    (g) => void g.call(axisLeft(y).tickValues([1, 2, 4, 8, 16, 32, 64].filter((v) => v <= map.rows)).tickFormat((v) => String(v))));
  // d3-axis writes 10 px; on a phone the chart is scaled a little below 1, so draw ticks at 12.
  svg.selectAll(".axis").attr("font-size", 12);
  legend(svg, width);
}

/** The reader's workload: a ring and its label, kept inside the plot (one group, or none). */
function drawMarker(svg: Svg, layer: HeatmapLayer, marker: HeatmapMarker | null): void {
  const { map, width, x, y, iopsExtent } = layer;
  const group = svg.selectChildren<SVGGElement, HeatmapMarker>("g.hm-marker").data(marker ? [marker] : [])
    .join((enter) => {
      const g = enter.append("g").attr("class", "hm-marker");
      g.append("circle").attr("r", 7);
      g.append("text");
      return g;
    });
  group.each(function (m) {
    const mx = x(Math.min(iopsExtent[1], Math.max(iopsExtent[0], m.iops)));
    const my = y(Math.min(map.rows + 0.5, Math.max(0.5, m.oio)));
    // Bold 12 px text is about 7.6 px a character: beside the ring where it fits inside the
    // chart, else centred above (or, at the top, below) it and kept within the chart's edges.
    const textWidth = m.label.length * 7.6;
    const g = select(this);
    g.select("circle").attr("cx", mx).attr("cy", my);
    const text = g.select("text").text(m.label);
    if (mx + 11 + textWidth <= width - MARGIN.right) text.attr("x", mx + 11).attr("y", my + 4).attr("text-anchor", "start");
    else if (mx - 11 - textWidth >= 4) text.attr("x", mx - 11).attr("y", my + 4).attr("text-anchor", "end");
    else {
      const cx = Math.min(width - 4 - textWidth / 2, Math.max(4 + textWidth / 2, mx));
      text.attr("x", cx).attr("y", my - 12 > layer.top + 12 ? my - 12 : my + 22).attr("text-anchor", "middle");
    }
  });
}

function legend(svg: Svg, width: number): void {
  const g = svg.append("g").attr("class", "legend hm-legend").attr("transform", `translate(${MARGIN.left},${MARGIN.top})`);
  const barWidth = Math.min(360, width - MARGIN.left - MARGIN.right);
  const box = barWidth / BIN_CLASSES.length;
  g.append("text").attr("x", 0).attr("y", 0).text("PVSCSI − LSI Logic latency (ms)");
  BIN_CLASSES.forEach((cls, b) => {
    g.append("rect").attr("class", cls).attr("x", b * box).attr("y", 6).attr("width", box).attr("height", 10);
  });
  BIN_EDGES_MS.forEach((v, b) => {
    g.append("text").attr("class", "hm-tick").attr("x", (b + 1) * box).attr("y", 29).attr("text-anchor", "middle").text(String(v));
  });
  const keys = g.append("g").attr("transform", "translate(0,44)");
  keys.append("path").attr("class", "hm-contour").attr("d", "M0,0H18");
  keys.append("text").attr("x", 22).attr("y", 4).text("crossover");
  keys.append("rect").attr("class", "hm-kb-key").attr("x", 96).attr("y", -5).attr("width", 18).attr("height", 10);
  keys.append("text").attr("x", 118).attr("y", 4).text("published zone");
  if (width >= 400) {
    keys.append("rect").attr("class", "hm-none").attr("x", 226).attr("y", -5).attr("width", 18).attr("height", 10);
    keys.append("text").attr("x", 248).attr("y", 4).text("not reachable");
  }
}
