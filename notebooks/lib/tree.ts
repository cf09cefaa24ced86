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
import { fitText, wrapText } from "./text.ts";
import type { ChartView, DataTable } from "./view.ts";

const SVG_NS = "http://www.w3.org/2000/svg";
const BOX_WIDTH = 224;
const GAP_X = 18;
const LINE = 15;
const PAD = 7;
const GAP_Y = 34;
const CHAR = 6.5; // average width of a 12 px system-ui character
const MIN_WIDTH = 360;
/** The narrowest layout: the column of a 320 px phone. */
const MIN_LAYOUT = 240;
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
  /** The container's width in px (the notebook's `width` input): the tree is laid out to fit it. */
  width?: number;
  summary: string;
  table: DataTable;
}

type G = Selection<SVGGElement, unknown, null, undefined>;
type Root = { virtual: true; children: readonly TreeChartNode[] };
type Datum = TreeChartNode | Root;

let idCounter = 0;

/** Shortens text to `max` characters with an ellipsis (the full text stays in the tooltip). */
export const fit = fitText;

/** Notes wrap at this many characters, so that they fit the narrowest tree (360 units). */
const NOTE_CHARS = 58;

/** Splits text into lines of at most `max` characters at spaces (a longer word is shortened). */
export function wrap(text: string, max: number): string[] {
  return wrapText(text, max).filter((l) => l !== "").map((l) => fit(l, max));
}

function boxHeight(lines: number, fill: boolean): number {
  return PAD * 2 + lines * LINE + (fill ? 8 : 0);
}

/** Where one node's box goes and how it hangs from its parent's box. */
interface Placed {
  node: HierarchyPointNode<Datum>;
  x: number;
  y: number;
}

/** No box gets narrower than this: a file name and a CID still fit on a line. */
const MIN_BOX = 160;
/** Width of a character of a link's label (11 px bold). */
const LINK_CHAR = 6.8;
/** In the stacked layout, how far a branch's children are indented. */
const INDENT = 22;

/**
 * The tree layout (roots at the top, children side by side below their parent) with boxes as
 * wide as `width` allows, or, when the tree is still too wide (several branches on a phone), a
 * stacked layout: every box under the one before, the children of a branching node indented
 * one step and hung from a line at its left.
 */
function placeNodes(roots: readonly TreeChartNode[], h: number, width: number | undefined): { placed: Placed[]; boxWidth: number; stacked: boolean } {
  const root = hierarchy<Datum>({ virtual: true, children: roots }, (d) => d.children as Datum[]);
  const unit = treeLayout<Datum>().nodeSize([1, 1]).separation((a, b) => (a.parent === b.parent ? 1 : 1.08))(root);
  const nodes = unit.descendants().slice(1);
  let minX = Infinity;
  let maxX = -Infinity;
  for (const n of nodes) {
    minX = Math.min(minX, n.x);
    maxX = Math.max(maxX, n.x);
  }
  const span = maxX - minX;
  const fitted = width === undefined ? BOX_WIDTH : Math.min(BOX_WIDTH, Math.floor((width - 2 - span * GAP_X) / (span + 1)));
  if (fitted >= MIN_BOX) {
    const rowStep = h + GAP_Y;
    return {
      boxWidth: fitted,
      stacked: false,
      placed: nodes.map((node) => ({ node, x: (node.x - minX) * (fitted + GAP_X) + 1, y: (node.depth - 1) * rowStep + 10 })),
    };
  }
  const level = new Map<HierarchyPointNode<Datum>, number>();
  const order: HierarchyPointNode<Datum>[] = [];
  unit.eachBefore((node) => {
    if (node.depth === 0) return;
    const parent = node.parent!;
    level.set(node, node.depth === 1 ? 0 : level.get(parent)! + ((parent.children?.length ?? 0) > 1 ? 1 : 0));
    order.push(node);
  });
  // Deeply nested branches indent less, so that the innermost box keeps MIN_BOX.
  const room = (width ?? BOX_WIDTH) - 2;
  const deepest = Math.max(0, ...level.values());
  const indent = deepest === 0 ? INDENT : Math.max(0, Math.min(INDENT, Math.floor((room - MIN_BOX) / deepest)));
  return {
    boxWidth: Math.max(MIN_BOX, Math.min(BOX_WIDTH, room - deepest * indent)),
    stacked: true,
    placed: order.map((node, i) => ({ node, x: level.get(node)! * indent + 1, y: 10 + i * (h + GAP_Y) })),
  };
}

/** Draws one panel's forest at the top of `g`, within `width` when given; returns its width and height. */
function drawForest(g: G, roots: readonly TreeChartNode[], width: number | undefined): { width: number; height: number } {
  const all = hierarchy<Datum>({ virtual: true, children: roots }, (d) => d.children as Datum[]).descendants().slice(1);
  let lines = 1;
  let anyFill = false;
  for (const n of all) {
    const d = n.data as TreeChartNode;
    lines = Math.max(lines, 1 + d.details.length);
    if (d.fill !== undefined && d.fill !== null) anyFill = true;
  }
  const h = boxHeight(lines, anyFill);
  const { placed, boxWidth, stacked } = placeNodes(roots, h, width);
  const where = new Map(placed.map((p) => [p.node, p]));

  let right = 0;
  let bottom = 0;
  const links = g.append("g").attr("class", "t-links");
  const boxes = g.append("g").attr("class", "t-nodes");
  const maxChars = Math.floor((boxWidth - 2 * PAD) / CHAR);
  for (const { node: n, x, y } of placed) {
    const d = n.data as TreeChartNode;
    const parent = n.parent && n.depth > 1 ? where.get(n.parent) : undefined;
    if (parent) {
      const state = d.link?.state ?? "ok";
      const link = links.append("g").attr("class", `t-link t-link-${state}`);
      const py = parent.y + h;
      let label: { x: number; y: number } | undefined;
      if (!stacked) {
        const px = parent.x + boxWidth / 2;
        const cx = x + boxWidth / 2;
        const mid = (py + y) / 2;
        link.append("path").attr("d", `M${px},${py}C${px},${mid} ${cx},${mid} ${cx},${y}`);
        label = { x: (px + cx) / 2 + 6, y: mid + 4 };
      } else if ((n.parent!.children?.length ?? 0) === 1) {
        // An only child, straight under its parent.
        link.append("path").attr("d", `M${x + 10},${py}V${y}`);
        label = { x: x + 16, y: y - GAP_Y / 2 + 4 };
      } else {
        link.append("path").attr("d", `M${parent.x + 10},${py}V${y + h / 2}H${x}`);
        label = { x: x + 6, y: y - 8 };
      }
      if (d.link?.label) {
        // Within a width, a long label takes two lines in the gap between the boxes.
        const chars = width === undefined ? Infinity : Math.floor((width - label.x - 2) / LINK_CHAR);
        const lines = d.link.label.length <= chars ? [d.link.label] : wrapText(d.link.label, chars);
        const shown = lines.length > 2 ? [lines[0], fit(lines.slice(1).join(" "), chars)] : lines.map((l) => fit(l, chars));
        const text = link.append("text").attr("class", "t-link-label").attr("y", label.y - (shown.length - 1) * 6);
        shown.forEach((line, i) => text.append("tspan").attr("x", label.x).attr("dy", i === 0 ? 0 : 12).text(line));
        if (shown.join(" ") !== d.link.label) text.append("title").text(d.link.label);
        right = Math.max(right, label.x + Math.max(...shown.map((l) => l.length)) * LINK_CHAR);
      }
    }
    const box = boxes.append("g").attr("class", `t-node t-${d.state}`).attr("transform", `translate(${x},${y})`);
    box.append("title").text(d.title);
    box.append("rect").attr("class", "t-box").attr("width", boxWidth).attr("height", h).attr("rx", 5);
    box.append("text").attr("class", "t-label").attr("x", PAD).attr("y", PAD + 11).text(fit(d.label, d.badge ? maxChars - d.badge.length - 3 : maxChars));
    d.details.forEach((line, i) => {
      box.append("text").attr("class", "t-detail").attr("x", PAD).attr("y", PAD + 11 + (i + 1) * LINE).text(fit(line, maxChars + 2));
    });
    if (d.badge) {
      const w = d.badge.length * 6 + 10;
      const tag = box.append("g").attr("class", "t-badge").attr("transform", `translate(${boxWidth - w - 4},${-7})`);
      tag.append("rect").attr("width", w).attr("height", 15).attr("rx", 7);
      tag.append("text").attr("x", w / 2).attr("y", 11).attr("text-anchor", "middle").text(d.badge);
    }
    if (d.fill !== undefined && d.fill !== null) {
      const fraction = Math.max(0, Math.min(1, Number.isFinite(d.fill) ? d.fill : 0));
      const barWidth = boxWidth - 2 * PAD;
      box.append("rect").attr("class", "t-fill-bg").attr("x", PAD).attr("y", h - PAD - 5).attr("width", barWidth).attr("height", 5);
      box.append("rect").attr("class", "t-fill").attr("x", PAD).attr("y", h - PAD - 5).attr("width", Math.max(fraction > 0 ? 1 : 0, fraction * barWidth)).attr("height", 5);
    }
    right = Math.max(right, x + boxWidth + 1);
    bottom = Math.max(bottom, y + h);
  }
  return { width: right, height: bottom + 2 };
}

function legendItems(svg: Selection<SVGSVGElement, unknown, null, undefined>, entries: readonly TreeLegendEntry[], y: number, width: number): number {
  const g = svg.append("g").attr("class", "t-legend").attr("transform", `translate(0,${y})`);
  let x = 0;
  let row = 0;
  for (const entry of entries) {
    const label = fit(entry.label, Math.floor((width - 32) / CHAR));
    const w = 34 + label.length * CHAR + 14;
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
    item.append("text").attr("x", 32).attr("y", 11).text(label);
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
  // With a width (on a page), the tree is laid out to fit it: on a phone, narrower boxes or the
  // stacked layout, and notes and titles wrapped or shortened to the width.
  const fitWidth = options.width === undefined ? undefined : Math.round(Math.max(MIN_LAYOUT, Math.min(MAX_WIDTH, options.width)));
  const noteChars = Math.min(NOTE_CHARS, Math.floor((fitWidth ?? MAX_WIDTH) / CHAR));
  let y = 0;
  let width = Math.min(MIN_WIDTH, fitWidth ?? MIN_WIDTH);
  for (const panel of options.panels) {
    const g = svg.append("g").attr("class", "t-panel").attr("transform", `translate(0,${y})`);
    const title = fit(panel.title, Math.floor((fitWidth ?? MAX_WIDTH) / (CHAR * 1.1)));
    g.append("text").attr("class", "axis-label").attr("x", 0).attr("y", 14).text(title);
    let inner = 24;
    for (const note of panel.notes ?? []) {
      for (const line of wrap(note, noteChars)) {
        g.append("text").attr("class", "t-note").attr("x", 0).attr("y", inner + 10).text(line);
        inner += 15;
      }
    }
    const forest = g.append("g").attr("transform", `translate(0,${inner + 4})`);
    const size = panel.roots.length > 0 ? drawForest(forest, panel.roots, fitWidth) : { width: 0, height: 0 };
    width = Math.max(width, size.width, title.length * CHAR * 1.05);
    y += inner + 4 + size.height + 18;
  }
  width = Math.ceil(Math.min(MAX_WIDTH, width));
  y += legendItems(svg, options.legend, y, width);
  svg.attr("viewBox", `0 0 ${width} ${Math.ceil(y)}`).attr("style", `max-width: ${Math.round(width * MAX_SCALE)}px`);
  return { title: options.title, svg: svg.node()!, summary: options.summary, table: options.table };
}
