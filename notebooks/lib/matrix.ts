/**
 * Matrix (heat-map) charts: rows × columns of cells, each cell a state shown by a CSS class
 * (`m-<state>`, coloured by CSS variables in chart.css) and, so that colour is never the only cue,
 * a short mark drawn in it. One chart may hold several panels side by side (e.g. vMotion without
 * and with EVC). Built with d3-selection on the given document, like the helpers in chart.ts, and
 * returned as a ChartView: title, SVG, summary sentence and data table. Labels only ever go
 * through .text(), never as markup.
 */
import { select, type Selection } from "d3-selection";
import type { ChartView, DataTable } from "./view.ts";

const SVG_NS = "http://www.w3.org/2000/svg";
const WIDTH = 640;
// Average width of a 12 px (and an 11 px) character of the chart font, for layout: rounded up,
// since Linux's usual system-ui (DejaVu Sans) is wide and a label must not run out of the SVG.
const CHAR = 7.4;
const SMALL_CHAR = 6.8;

export interface MatrixCell {
  /** Class suffix: the cell gets class `m-<state>` (see chart.css for the states styled). */
  state: string;
  /** A short mark drawn in the cell (✓, ✗, a count); optional. */
  mark?: string;
  /** The tooltip and accessible description of the cell. */
  title: string;
}

export interface MatrixPanel {
  /** Heading over the panel (e.g. "Without EVC"). */
  title?: string;
  rows: readonly string[];
  columns: readonly string[];
  /** cells[r][c]. */
  cells: ReadonlyArray<ReadonlyArray<MatrixCell>>;
  /** Brackets at the left grouping consecutive rows; `end` is exclusive. */
  rowGroups?: ReadonlyArray<{ label: string; start: number; end: number }>;
  /** Rows drawn with an outline and a bold label (e.g. the chosen baseline). */
  highlightRows?: readonly number[];
  /** A short note right of each row (e.g. the data's confidence); `noteStates` gives each a class. */
  rowNotes?: readonly string[];
  noteStates?: readonly string[];
  notesHeader?: string;
}

export interface MatrixLegendEntry {
  state: string;
  label: string;
  mark?: string;
}

export interface MatrixChartOptions {
  title: string;
  panels: readonly MatrixPanel[];
  /** What the rows are, written over the row labels (e.g. "Source host (VM powered on here)"). */
  rowAxis: string;
  /** What the columns are, written over the column labels. */
  columnAxis: string;
  legend: readonly MatrixLegendEntry[];
  /** Height of a row in SVG units (default 20); square cells when `square` is set. */
  rowHeight?: number;
  square?: boolean;
  /** Widest a column may get (default 64). */
  maxCellWidth?: number;
  /** A line of text under the title inside the SVG, e.g. what rows were left out. */
  note?: string;
  summary: string;
  table: DataTable;
}

type G = Selection<SVGGElement, unknown, null, undefined>;

let idCounter = 0;

function textWidth(text: string, char = CHAR): number {
  return text.length * char;
}

/** Lays out and draws one panel within `width`; returns the width it used and its height. */
function drawPanel(g: G, panel: MatrixPanel, options: MatrixChartOptions, width: number, headerHeight: number): { width: number; height: number } {
  const groups = panel.rowGroups ?? [];
  const groupWidth = groups.length > 0 ? Math.min(110, 12 + Math.max(...groups.map((gr) => textWidth(gr.label, SMALL_CHAR)))) : 0;
  const labelWidth = Math.min(width * 0.45, 10 + Math.max(0, ...panel.rows.map((r) => textWidth(r))));
  const noteWidth = panel.rowNotes ? Math.min(110, 10 + Math.max(textWidth(panel.notesHeader ?? ""), ...panel.rowNotes.map((n) => textWidth(n, SMALL_CHAR)))) : 0;
  const gridLeft = groupWidth + labelWidth;
  const available = Math.max(20, width - gridLeft - noteWidth - 6);
  const columns = Math.max(1, panel.columns.length);
  const cellWidth = Math.max(6, Math.min(options.maxCellWidth ?? 64, available / columns));
  const cellHeight = options.square ? Math.min(cellWidth, 40) : options.rowHeight ?? 20;
  const widestColumnLabel = Math.max(0, ...panel.columns.map((c) => textWidth(c)));
  const rotate = widestColumnLabel > cellWidth - 4;
  const columnLabelHeight = rotate ? Math.min(120, widestColumnLabel * 0.72 + 10) : 18;
  const top = headerHeight + columnLabelHeight;

  if (panel.title) {
    g.append("text").attr("class", "axis-label").attr("x", gridLeft).attr("y", 14).text(panel.title);
  }
  // Column labels, rotated when they do not fit over their column.
  const columnLabels = g.append("g").attr("class", "m-column-labels");
  panel.columns.forEach((label, c) => {
    const cx = gridLeft + c * cellWidth + cellWidth / 2;
    const t = columnLabels.append("text").text(label);
    if (rotate) {
      t.attr("transform", `translate(${cx + 3},${top - 5}) rotate(-45)`).attr("text-anchor", "start");
    } else {
      t.attr("x", cx).attr("y", top - 5).attr("text-anchor", "middle");
    }
  });
  if (panel.notesHeader && panel.rowNotes) {
    g.append("text").attr("class", "m-note-header").attr("x", gridLeft + columns * cellWidth + 8).attr("y", top - 5).text(panel.notesHeader);
  }

  const highlight = new Set(panel.highlightRows ?? []);
  const body = g.append("g").attr("class", "m-body");
  panel.rows.forEach((label, r) => {
    const y = top + r * cellHeight;
    const row = body.append("g").attr("class", highlight.has(r) ? "m-row m-row-highlight" : "m-row");
    row.append("text").attr("class", "m-row-label").attr("x", gridLeft - 6).attr("y", y + cellHeight / 2 + 4).attr("text-anchor", "end").text(label);
    (panel.cells[r] ?? []).forEach((cell, c) => {
      const x = gridLeft + c * cellWidth;
      const box = row.append("g").attr("class", `m-cell m-${cell.state}`);
      box.append("rect").attr("x", x + 1).attr("y", y + 1).attr("width", Math.max(1, cellWidth - 2)).attr("height", Math.max(1, cellHeight - 2)).attr("rx", 2);
      if (cell.mark && cellWidth >= 9) {
        box.append("text").attr("class", "m-mark").attr("x", x + cellWidth / 2).attr("y", y + cellHeight / 2 + 4).attr("text-anchor", "middle").text(cell.mark);
      }
      box.append("title").text(cell.title);
    });
    if (highlight.has(r)) {
      row.append("rect").attr("class", "m-highlight").attr("x", gridLeft - labelWidth + 2).attr("y", y + 0.5)
        .attr("width", labelWidth - 2 + columns * cellWidth).attr("height", cellHeight - 1).attr("rx", 3);
    }
    if (panel.rowNotes?.[r] !== undefined) {
      row.append("text").attr("class", `m-note${panel.noteStates?.[r] ? ` m-note-${panel.noteStates[r]}` : ""}`)
        .attr("x", gridLeft + columns * cellWidth + 8).attr("y", y + cellHeight / 2 + 4).text(panel.rowNotes[r]);
    }
  });
  for (const group of groups) {
    const y0 = top + group.start * cellHeight + 3;
    const y1 = top + group.end * cellHeight - 3;
    const bracket = g.append("g").attr("class", "m-group");
    bracket.append("path").attr("d", `M${groupWidth - 4},${y0}h-4V${y1}h4`);
    bracket.append("text").attr("x", groupWidth - 12).attr("y", y0 + 10).attr("text-anchor", "end").text(group.label);
  }
  const gridRight = gridLeft + columns * cellWidth;
  const used = Math.max(
    gridRight + noteWidth,
    rotate ? gridRight + widestColumnLabel * 0.72 : gridRight,
    panel.title ? gridLeft + textWidth(panel.title) : 0,
  );
  return { width: Math.min(width, used), height: top + panel.rows.length * cellHeight };
}

function legendWidth(entries: readonly MatrixLegendEntry[]): number {
  return entries.reduce((sum, entry) => sum + 28 + textWidth(entry.label), 0);
}

function drawLegend(svg: Selection<SVGSVGElement, unknown, null, undefined>, entries: readonly MatrixLegendEntry[], y: number, width: number): number {
  const g = svg.append("g").attr("class", "legend m-legend").attr("transform", `translate(0,${y})`);
  let x = 0;
  let row = 0;
  for (const entry of entries) {
    const w = 28 + textWidth(entry.label);
    if (x > 0 && x + w > width) {
      x = 0;
      row += 1;
    }
    const item = g.append("g").attr("class", `m-cell m-${entry.state}`).attr("transform", `translate(${x},${row * 20})`);
    item.append("rect").attr("x", 0).attr("y", 0).attr("width", 18).attr("height", 14).attr("rx", 2);
    if (entry.mark) item.append("text").attr("class", "m-mark").attr("x", 9).attr("y", 11).attr("text-anchor", "middle").text(entry.mark);
    item.append("text").attr("class", "m-legend-label").attr("x", 23).attr("y", 11).text(entry.label);
    x += w;
  }
  return (row + 1) * 20;
}

const MIN_WIDTH = 360;
/** How far a narrow matrix may be scaled up on a wide page (text at most 1.3 × 12 px). */
const MAX_SCALE = 1.3;

/**
 * A matrix chart of one or more panels side by side, with a legend of the cell states below. The
 * viewBox is as wide as the content (between 360 and 640 units), and the SVG's max-width keeps a
 * small matrix from being blown up on a wide page, so its text stays a readable size everywhere.
 */
export function matrixChart(doc: Document, options: MatrixChartOptions): ChartView {
  const svg = select(doc.createElementNS(SVG_NS, "svg") as SVGSVGElement).attr("class", "chart matrix").attr("role", "img");
  const titleId = `matrix-title-${++idCounter}`;
  svg.attr("aria-labelledby", titleId).append("title").attr("id", titleId).text(options.title);

  let y = 0;
  const lines = [...(options.note ? [{ cls: "m-chart-note", text: options.note }] : []), { cls: "axis-label", text: `Rows: ${options.rowAxis}.` }, { cls: "axis-label", text: `Columns: ${options.columnAxis}.` }];
  for (const line of lines) {
    svg.append("text").attr("class", line.cls).attr("x", 0).attr("y", y + 13).text(line.text);
    y += 18;
  }
  y += 6;

  const gap = 16;
  const share = (WIDTH - gap * (options.panels.length - 1)) / Math.max(1, options.panels.length);
  const headerHeight = options.panels.some((p) => p.title) ? 22 : 0;
  let tallest = 0;
  let x = 0;
  options.panels.forEach((panel) => {
    const g = svg.append("g").attr("class", "m-panel").attr("transform", `translate(${x},${y})`);
    const size = drawPanel(g, panel, options, share, headerHeight);
    tallest = Math.max(tallest, size.height);
    x += size.width + gap;
  });
  const width = Math.ceil(Math.min(WIDTH, Math.max(MIN_WIDTH, x - gap, ...lines.map((l) => textWidth(l.text, l.cls === "axis-label" ? CHAR * 1.05 : SMALL_CHAR)), Math.min(420, legendWidth(options.legend)))));
  y += tallest + 14;
  y += drawLegend(svg, options.legend, y, width);
  svg.attr("viewBox", `0 0 ${width} ${Math.ceil(y + 4)}`).attr("style", `max-width: ${Math.round(width * MAX_SCALE)}px`);
  return { title: options.title, svg: svg.node()!, summary: options.summary, table: options.table };
}
