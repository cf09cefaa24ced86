/**
 * Tree charts: one or more panels stacked top to bottom, each a forest laid out by d3-hierarchy
 * (roots at the top, children below), every node a box of text lines with an optional badge and
 * an optional fill bar, every link drawn by its state (a CSS class `t-link-<state>`, with a dash
 * pattern and an optional label, so colour is never the only cue). Built with d3-selection on the
 * given document like the helpers in chart.ts, and returned as a ChartView. Labels only ever go
 * through .text(), never as markup: file names from a reader's own files are safe here.
 */
import { hierarchy, tree as treeLayout, type HierarchyPointNode } from "d3-hierarchy";
import { select, type Selection } from "d3-selection";
import type { ChartView, DataTable } from "./view.ts";

const SVG_NS = "http://www.w3.org/2000/svg";
const BOX_WIDTH = 224;
const GAP_X = 18;
const LINE = 15;
const PAD = 7;
const GAP_Y = 34;
const CHAR = 6.5; // average width of a 12 px system-ui character
const MIN_WIDTH = 360;
const MAX_WIDTH = 1400;
/** A small tree is not blown up on a wide page: at most this many pixels per viewBox unit. */
const MAX_SCALE = 1.3;

export type LinkState = "ok" | "broken" | "gap" | "off";

export interface TreeChartNode {
  /** First line, bold (e.g. the file name). */
  label: string;
  /** Further lines under the label. */
  details: readonly string[];
  /** Class suffix: the box gets `t-<state>` (styled in chart.css). */
  state: string;
  /** A short tag at the box's top-right corner, e.g. "current". */
  badge?: string;
  /** A bar along the bottom of the box, filled to this fraction (0-1); omitted when null. */
  fill?: number | null;
  /** How this node hangs from its parent; roots ignore it. */
  link?: { state: LinkState; label?: string };
  /** Tooltip and accessible description of the box. */
  title: string;
  children: readonly TreeChartNode[];
}

export interface TreePanel {
  title: string;
  /** Lines of small text under the panel title. */
  notes?: readonly string[];
  /** Several roots are laid out side by side (e.g. a chain and a part cut off from it). */
  roots: readonly TreeChartNode[];
}

export interface TreeLegendEntry {
  kind: "node" | "link";
  state: string;
  label: string;
}

export interface TreeChartOptions {
  title: string;
  panels: readonly TreePanel[];
  legend: readonly TreeLegendEntry[];
  summary: string;
  table: DataTable;
}

type G = Selection<SVGGElement, unknown, null, undefined>;
type Root = { virtual: true; children: readonly TreeChartNode[] };
type Datum = TreeChartNode | Root;

let idCounter = 0;

/** Shortens text to `max` characters with an ellipsis (the full text stays in the tooltip). */
export function fit(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, Math.max(1, max - 1))}…`;
}

/** Notes wrap at this many characters, so that they fit the narrowest tree (360 units). */
const NOTE_CHARS = 58;

/** Splits text into lines of at most `max` characters at spaces (a longer word gets a line of its own). */
export function wrap(text: string, max: number): string[] {
  const lines: string[] = [];
  let current = "";
  for (const word of text.split(" ")) {
    if (current !== "" && current.length + 1 + word.length > max) {
      lines.push(current);
      current = word;
    } else current = current === "" ? word : `${current} ${word}`;
  }
  if (current !== "") lines.push(current);
  return lines.map((l) => fit(l, max + 12));
}

function boxHeight(lines: number, fill: boolean): number {
  return PAD * 2 + lines * LINE + (fill ? 8 : 0);
}

/** Draws one panel's forest at the top of `g`; returns its width and height. */
function drawForest(g: G, roots: readonly TreeChartNode[]): { width: number; height: number } {
  const root = hierarchy<Datum>({ virtual: true, children: roots }, (d) => d.children as Datum[]);
  const nodes = root.descendants().slice(1) as HierarchyPointNode<Datum>[];
  let lines = 1;
  let anyFill = false;
  for (const n of nodes) {
    const d = n.data as TreeChartNode;
    lines = Math.max(lines, 1 + d.details.length);
    if (d.fill !== undefined && d.fill !== null) anyFill = true;
  }
  const h = boxHeight(lines, anyFill);
  const rowStep = h + GAP_Y;
  const laid = treeLayout<Datum>().nodeSize([BOX_WIDTH + GAP_X, rowStep]).separation((a, b) => (a.parent === b.parent ? 1 : 1.08))(root);
  let minX = Infinity;
  let maxX = -Infinity;
  let maxDepth = 1;
  for (const n of laid.descendants().slice(1)) {
    minX = Math.min(minX, n.x);
    maxX = Math.max(maxX, n.x);
    maxDepth = Math.max(maxDepth, n.depth);
  }
  const left = (x: number) => x - minX + 1;
  const top = (depth: number) => (depth - 1) * rowStep + 10;

  let labelRight = 0;
  const links = g.append("g").attr("class", "t-links");
  const boxes = g.append("g").attr("class", "t-nodes");
  for (const n of laid.descendants().slice(1)) {
    const d = n.data as TreeChartNode;
    const x = left(n.x);
    const y = top(n.depth);
    if (n.parent && n.depth > 1) {
      const px = left(n.parent.x) + BOX_WIDTH / 2;
      const py = top(n.parent.depth) + h;
      const cx = x + BOX_WIDTH / 2;
      const mid = (py + y) / 2;
      const state = d.link?.state ?? "ok";
      const link = links.append("g").attr("class", `t-link t-link-${state}`);
      link.append("path").attr("d", `M${px},${py}C${px},${mid} ${cx},${mid} ${cx},${y}`);
      if (d.link?.label) {
        labelRight = Math.max(labelRight, (px + cx) / 2 + 6 + d.link.label.length * CHAR);
        link.append("text").attr("class", "t-link-label").attr("x", (px + cx) / 2 + 6).attr("y", mid + 4).text(d.link.label);
      }
    }
    const box = boxes.append("g").attr("class", `t-node t-${d.state}`).attr("transform", `translate(${x},${y})`);
    box.append("title").text(d.title);
    box.append("rect").attr("class", "t-box").attr("width", BOX_WIDTH).attr("height", h).attr("rx", 5);
    const maxChars = Math.floor((BOX_WIDTH - 2 * PAD) / CHAR);
    box.append("text").attr("class", "t-label").attr("x", PAD).attr("y", PAD + 11).text(fit(d.label, d.badge ? maxChars - d.badge.length - 3 : maxChars));
    d.details.forEach((line, i) => {
      box.append("text").attr("class", "t-detail").attr("x", PAD).attr("y", PAD + 11 + (i + 1) * LINE).text(fit(line, maxChars + 2));
    });
    if (d.badge) {
      const w = d.badge.length * 6 + 10;
      const tag = box.append("g").attr("class", "t-badge").attr("transform", `translate(${BOX_WIDTH - w - 4},${-7})`);
      tag.append("rect").attr("width", w).attr("height", 15).attr("rx", 7);
      tag.append("text").attr("x", w / 2).attr("y", 11).attr("text-anchor", "middle").text(d.badge);
    }
    if (d.fill !== undefined && d.fill !== null) {
      const fraction = Math.max(0, Math.min(1, Number.isFinite(d.fill) ? d.fill : 0));
      const width = BOX_WIDTH - 2 * PAD;
      box.append("rect").attr("class", "t-fill-bg").attr("x", PAD).attr("y", h - PAD - 5).attr("width", width).attr("height", 5);
      box.append("rect").attr("class", "t-fill").attr("x", PAD).attr("y", h - PAD - 5).attr("width", Math.max(fraction > 0 ? 1 : 0, fraction * width)).attr("height", 5);
    }
  }
  return { width: Math.max(maxX - minX + BOX_WIDTH + 2, labelRight), height: (maxDepth - 1) * rowStep + h + 12 };
}

function legendItems(svg: Selection<SVGSVGElement, unknown, null, undefined>, entries: readonly TreeLegendEntry[], y: number, width: number): number {
  const g = svg.append("g").attr("class", "t-legend").attr("transform", `translate(0,${y})`);
  let x = 0;
  let row = 0;
  for (const entry of entries) {
    const w = 34 + entry.label.length * CHAR + 14;
    if (x > 0 && x + w > width) {
      x = 0;
      row += 20;
    }
    const item = g.append("g").attr("transform", `translate(${x},${row})`);
    if (entry.kind === "node") {
      item.append("g").attr("class", `t-node t-${entry.state}`).append("rect").attr("class", "t-box").attr("width", 26).attr("height", 14).attr("rx", 3);
    } else {
      item.append("g").attr("class", `t-link t-link-${entry.state}`).append("path").attr("d", "M0,7H26");
    }
    item.append("text").attr("x", 32).attr("y", 11).text(entry.label);
    x += w;
  }
  return row + 22;
}

/**
 * A tree chart of one or more panels stacked vertically, with a legend below. The viewBox is as
 * wide as the widest panel (at least 360 units), and the SVG's max-width keeps a narrow tree from
 * being blown up on a wide page, so its text stays a readable size on phones and desktops alike.
 */
export function treeChart(doc: Document, options: TreeChartOptions): ChartView {
  const svg = select(doc.createElementNS(SVG_NS, "svg") as SVGSVGElement).attr("class", "chart tree").attr("role", "img");
  const titleId = `tree-title-${++idCounter}`;
  svg.attr("aria-labelledby", titleId).append("title").attr("id", titleId).text(options.title);
  let y = 0;
  let width = MIN_WIDTH;
  for (const panel of options.panels) {
    const g = svg.append("g").attr("class", "t-panel").attr("transform", `translate(0,${y})`);
    g.append("text").attr("class", "axis-label").attr("x", 0).attr("y", 14).text(panel.title);
    let inner = 24;
    for (const note of panel.notes ?? []) {
      for (const line of wrap(note, NOTE_CHARS)) {
        g.append("text").attr("class", "t-note").attr("x", 0).attr("y", inner + 10).text(line);
        inner += 15;
      }
    }
    const forest = g.append("g").attr("transform", `translate(0,${inner + 4})`);
    const size = panel.roots.length > 0 ? drawForest(forest, panel.roots) : { width: 0, height: 0 };
    width = Math.max(width, size.width, panel.title.length * CHAR * 1.05);
    y += inner + 4 + size.height + 18;
  }
  width = Math.ceil(Math.min(MAX_WIDTH, width));
  y += legendItems(svg, options.legend, y, width);
  svg.attr("viewBox", `0 0 ${width} ${Math.ceil(y)}`).attr("style", `max-width: ${Math.round(width * MAX_SCALE)}px`);
  return { title: options.title, svg: svg.node()!, summary: options.summary, table: options.table };
}
