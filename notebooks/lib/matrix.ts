/**
 * Matrix (heat-map) charts: rows × columns of cells, each cell a state shown by a CSS class
 * (`m-<state>`, coloured by CSS variables in chart.css) and, so that colour is never the only cue,
 * a short mark drawn in it. One chart may hold several panels side by side (e.g. vMotion without
 * and with EVC). Built with d3-selection on the given document, like the helpers in chart.ts, and
 * returned as a ChartView: title, SVG, summary sentence and data table. Labels only ever go
 * through .text(), never as markup.
 */
import { select, type Selection } from "d3-selection";
import type { ChartView, DataTable } from "./chart.ts";

const SVG_NS = "http://www.w3.org/2000/svg";
const WIDTH = 640;
const CHAR = 6.6; // average width of a 12 px system-ui character, for layout
const SMALL_CHAR = 5.8;

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

/** Lays out and draws one panel at (x, y) within `width`; returns its height. */
function drawPanel(g: G, panel: MatrixPanel, options: MatrixChartOptions, width: number, headerHeight: number): number {
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
  return top + panel.rows.length * cellHeight;
}

function drawLegend(svg: Selection<SVGSVGElement, unknown, null, undefined>, entries: readonly MatrixLegendEntry[], y: number): number {
  const g = svg.append("g").attr("class", "legend m-legend").attr("transform", `translate(0,${y})`);
  let x = 0;
  let row = 0;
  for (const entry of entries) {
    const width = 28 + textWidth(entry.label);
    if (x > 0 && x + width > WIDTH) {
      x = 0;
      row += 1;
    }
    const item = g.append("g").attr("class", `m-cell m-${entry.state}`).attr("transform", `translate(${x},${row * 20})`);
    item.append("rect").attr("x", 0).attr("y", 0).attr("width", 18).attr("height", 14).attr("rx", 2);
    if (entry.mark) item.append("text").attr("class", "m-mark").attr("x", 9).attr("y", 11).attr("text-anchor", "middle").text(entry.mark);
    item.append("text").attr("class", "m-legend-label").attr("x", 23).attr("y", 11).text(entry.label);
    x += width;
  }
  return (row + 1) * 20;
}

/** A matrix chart of one or more panels side by side, with a legend of the cell states below. */
export function matrixChart(doc: Document, options: MatrixChartOptions): ChartView {
  const svg = select(doc.createElementNS(SVG_NS, "svg") as SVGSVGElement).attr("class", "chart matrix").attr("role", "img");
  const titleId = `matrix-title-${++idCounter}`;
  svg.attr("aria-labelledby", titleId).append("title").attr("id", titleId).text(options.title);

  let y = 0;
  if (options.note) {
    svg.append("text").attr("class", "m-chart-note").attr("x", 0).attr("y", 12).text(options.note);
    y += 22;
  }
  // The axis names: the rows' over the row labels, the columns' over the columns.
  svg.append("text").attr("class", "axis-label").attr("x", 0).attr("y", y + 13).text(`Rows: ${options.rowAxis}. Columns: ${options.columnAxis}.`);
  y += 24;

  const gap = 16;
  const panelWidth = (WIDTH - gap * (options.panels.length - 1)) / Math.max(1, options.panels.length);
  const headerHeight = options.panels.some((p) => p.title) ? 22 : 0;
  let tallest = 0;
  options.panels.forEach((panel, i) => {
    const g = svg.append("g").attr("class", "m-panel").attr("transform", `translate(${i * (panelWidth + gap)},${y})`);
    tallest = Math.max(tallest, drawPanel(g, panel, options, panelWidth, headerHeight));
  });
  y += tallest + 14;
  y += drawLegend(svg, options.legend, y);
  svg.attr("viewBox", `0 0 ${WIDTH} ${Math.ceil(y + 4)}`);
  return { title: options.title, svg: svg.node()!, summary: options.summary, table: options.table };
}
