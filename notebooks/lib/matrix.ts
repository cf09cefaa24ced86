/**
 * Matrix (heat-map) charts: rows × columns of cells, each cell a state shown by a CSS class
 * (`m-<state>`, coloured by CSS variables in chart.css) and, so that colour is never the only cue,
 * a short mark drawn in it. One chart may hold several panels side by side (e.g. vMotion without
 * and with EVC). Built with d3-selection on the given document, like the helpers in chart.ts, and
 * returned as a ChartView: title, SVG, summary sentence and data table. Labels only ever go
 * through .text(), never as markup.
 *
 * The matrix is laid out for the width it is shown at (the notebook's `width` input), so its text
 * keeps its CSS size: on a phone, panels stack instead of sitting side by side, columns that do
 * not fit wrap into further blocks of the same rows, column labels turn upright, group brackets
 * become lines over their rows, and long labels are shortened (the full text in a tooltip).
 */
import { select, type Selection } from "d3-selection";
import { fitText, wrapText } from "./text.ts";
import { DEFAULT_WIDTH, type ChartView, type DataTable } from "./view.ts";

const SVG_NS = "http://www.w3.org/2000/svg";
/** The narrowest layout: the column of a 320 px phone. */
const MIN_LAYOUT = 240;
/** A column is never narrower than this: room for its mark. More columns wrap into another block. */
const MIN_CELL = 22;
/** Space between two blocks of the same rows, and the height of a group's line over its rows. */
const BLOCK_GAP = 14;
const GROUP_LINE = 17;
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
  /** The container's width in px (the notebook's `width` input); default 640. */
  width?: number;
  summary: string;
  table: DataTable;
}

type G = Selection<SVGGElement, unknown, null, undefined>;

let idCounter = 0;

function textWidth(text: string, char = CHAR): number {
  return text.length * char;
}

/** Where everything of one panel goes, worked out before anything is drawn. */
interface PanelLayout {
  width: number;
  height: number;
  /** Left of the row labels: the group brackets, or the indent under inline group lines. */
  groupWidth: number;
  /** Groups drawn as a line over their first row instead of a bracket at the left. */
  inlineGroups: boolean;
  labelWidth: number;
  labelChars: number;
  noteWidth: number;
  noteChars: number;
  notesHeader: string[];
  gridLeft: number;
  cellWidth: number;
  cellHeight: number;
  /** The column indices of each block; blocks repeat the row labels, one under the other. */
  blocks: number[][];
  columnLabels: "flat" | "slanted" | "upright";
  columnLabelChars: number;
  columnLabelHeight: number;
  /** Each row's top, from the top of a block's grid (inline group lines push rows down). */
  rowTop: number[];
  gridHeight: number;
  titleX: number;
}

function layOutPanel(panel: MatrixPanel, options: MatrixChartOptions, width: number, headerHeight: number): PanelLayout {
  const groups = panel.rowGroups ?? [];
  const bracketWidth = groups.length > 0 ? Math.min(110, 12 + Math.max(...groups.map((gr) => textWidth(gr.label, SMALL_CHAR)))) : 0;
  // Brackets that would take more than a fifth of the width (a phone) give way to group lines.
  const inlineGroups = groups.length > 0 && bracketWidth > width * 0.2;
  const groupWidth = inlineGroups ? 8 : bracketWidth;
  const header = panel.rowNotes ? panel.notesHeader ?? "" : "";
  const noteWidth = panel.rowNotes ? Math.min(110, 10 + Math.max(textWidth(header, SMALL_CHAR), ...panel.rowNotes.map((n) => textWidth(n, SMALL_CHAR)))) : 0;
  const noteChars = Math.floor((noteWidth - 8) / SMALL_CHAR);
  const columns = Math.max(1, panel.columns.length);
  // Row labels take what the columns leave at their narrowest, and at least 45 % of the width.
  const labelRoom = Math.max(width * 0.45, width - groupWidth - noteWidth - 6 - columns * MIN_CELL);
  const labelWidth = Math.min(labelRoom, 10 + Math.max(0, ...panel.rows.map((r) => textWidth(r))));
  const gridLeft = groupWidth + labelWidth;
  const available = Math.max(MIN_CELL, width - gridLeft - noteWidth - 6);
  // As many columns per block as fit at MIN_CELL, spread evenly over the blocks.
  const blockCount = Math.ceil(columns / Math.max(1, Math.floor(available / MIN_CELL)));
  const perBlock = Math.ceil(columns / blockCount);
  const blocks = Array.from({ length: blockCount }, (_, b) => Array.from({ length: Math.min(perBlock, columns - b * perBlock) }, (_, i) => b * perBlock + i));
  const cellWidth = Math.max(6, Math.min(options.maxCellWidth ?? 64, available / perBlock));
  const cellHeight = options.square ? Math.min(cellWidth, 40) : options.rowHeight ?? 20;
  const gridRight = gridLeft + perBlock * cellWidth;

  // Column labels: over their column when they fit, else slanted, else upright (a phone).
  const widestColumnLabel = Math.max(0, ...panel.columns.map((c) => textWidth(c, SMALL_CHAR)));
  const lastCentre = gridRight - cellWidth / 2;
  const columnLabels = widestColumnLabel <= cellWidth - 4 ? "flat" : lastCentre + 3 + widestColumnLabel * 0.72 <= width ? "slanted" : "upright";
  const columnLabelChars = columnLabels === "upright" ? Math.floor(130 / SMALL_CHAR) : Infinity;
  const notesHeader = header ? wrapText(header, noteChars) : [];
  const columnLabelHeight = Math.max(
    columnLabels === "flat" ? 18 : columnLabels === "slanted" ? Math.min(120, widestColumnLabel * 0.72 + 10) : Math.min(130, widestColumnLabel) + 10,
    notesHeader.length * 14 + 4,
  );

  const starts = new Map(groups.map((group) => [group.start, group]));
  const rowTop: number[] = [];
  let y = 0;
  panel.rows.forEach((_, r) => {
    if (inlineGroups && starts.has(r)) y += GROUP_LINE;
    rowTop.push(y);
    y += cellHeight;
  });
  const gridHeight = y;
  const titleWidth = panel.title ? textWidth(panel.title) : 0;
  const titleX = gridLeft + titleWidth <= width ? gridLeft : 0;
  const used = Math.max(
    gridRight + noteWidth,
    columnLabels === "slanted" ? lastCentre + 3 + widestColumnLabel * 0.72 : gridRight,
    titleX + titleWidth,
  );
  return {
    width: Math.min(width, used),
    height: headerHeight + blockCount * (columnLabelHeight + gridHeight) + (blockCount - 1) * BLOCK_GAP,
    groupWidth,
    inlineGroups,
    labelWidth,
    labelChars: Math.floor((labelWidth - 10) / CHAR),
    noteWidth,
    noteChars,
    notesHeader,
    gridLeft,
    cellWidth,
    cellHeight,
    blocks,
    columnLabels,
    columnLabelChars,
    columnLabelHeight,
    rowTop,
    gridHeight,
    titleX,
  };
}

/** A text shortened to `chars`, with the whole of it as a tooltip when it was shortened. */
function shortText<P extends SVGElement>(parent: Selection<P, unknown, null, undefined>, className: string, text: string, chars: number) {
  const shown = fitText(text, chars);
  const node = parent.append("text").attr("class", className).text(shown);
  if (shown !== text) node.append("title").text(text);
  return node;
}

/** Draws one panel as laid out, each block of columns under the one before. */
function drawPanel(g: G, panel: MatrixPanel, layout: PanelLayout, headerHeight: number): void {
  const { gridLeft, cellWidth, cellHeight, labelWidth } = layout;
  if (panel.title) {
    g.append("text").attr("class", "axis-label").attr("x", layout.titleX).attr("y", 14).text(fitText(panel.title, Math.floor(layout.width / CHAR)));
  }
  const highlight = new Set(panel.highlightRows ?? []);
  const groups = panel.rowGroups ?? [];
  layout.blocks.forEach((blockColumns, b) => {
    const top = headerHeight + b * (layout.columnLabelHeight + layout.gridHeight + BLOCK_GAP) + layout.columnLabelHeight;
    const gridRight = gridLeft + blockColumns.length * cellWidth;
    const block = g.append("g").attr("class", "m-columns");

    const columnLabels = block.append("g").attr("class", "m-column-labels");
    blockColumns.forEach((column, i) => {
      const cx = gridLeft + i * cellWidth + cellWidth / 2;
      const t = shortText(columnLabels, "m-column-label", panel.columns[column], layout.columnLabelChars);
      if (layout.columnLabels === "slanted") t.attr("transform", `translate(${cx + 3},${top - 5}) rotate(-45)`).attr("text-anchor", "start");
      else if (layout.columnLabels === "upright") t.attr("transform", `translate(${cx + 4},${top - 5}) rotate(-90)`).attr("text-anchor", "start");
      else t.attr("x", cx).attr("y", top - 5).attr("text-anchor", "middle");
    });
    layout.notesHeader.forEach((line, i) => {
      block.append("text").attr("class", "m-note-header").attr("x", gridRight + 8).attr("y", top - 5 - (layout.notesHeader.length - 1 - i) * 14).text(line);
    });

    const body = block.append("g").attr("class", "m-body");
    panel.rows.forEach((label, r) => {
      const y = top + layout.rowTop[r];
      const row = body.append("g").attr("class", highlight.has(r) ? "m-row m-row-highlight" : "m-row");
      shortText(row, "m-row-label", label, layout.labelChars).attr("x", gridLeft - 6).attr("y", y + cellHeight / 2 + 4).attr("text-anchor", "end");
      blockColumns.forEach((column, i) => {
        const cell = panel.cells[r]?.[column];
        if (!cell) return;
        const x = gridLeft + i * cellWidth;
        const box = row.append("g").attr("class", `m-cell m-${cell.state}`);
        box.append("rect").attr("x", x + 1).attr("y", y + 1).attr("width", Math.max(1, cellWidth - 2)).attr("height", Math.max(1, cellHeight - 2)).attr("rx", 2);
        if (cell.mark && cellWidth >= 9) {
          box.append("text").attr("class", "m-mark").attr("x", x + cellWidth / 2).attr("y", y + cellHeight / 2 + 4).attr("text-anchor", "middle").text(cell.mark);
        }
        box.append("title").text(cell.title);
      });
      if (highlight.has(r)) {
        row.append("rect").attr("class", "m-highlight").attr("x", gridLeft - labelWidth + 2).attr("y", y + 0.5)
          .attr("width", labelWidth - 2 + blockColumns.length * cellWidth).attr("height", cellHeight - 1).attr("rx", 3);
      }
      if (panel.rowNotes?.[r] !== undefined) {
        shortText(row, `m-note${panel.noteStates?.[r] ? ` m-note-${panel.noteStates[r]}` : ""}`, panel.rowNotes[r], layout.noteChars)
          .attr("x", gridRight + 8).attr("y", y + cellHeight / 2 + 4);
      }
    });
    for (const group of groups) {
      const y0 = top + layout.rowTop[group.start] + 3;
      const label = block.append("g").attr("class", "m-group");
      if (layout.inlineGroups) {
        shortText(label, "m-group-label", group.label, Math.floor(gridRight / SMALL_CHAR)).attr("x", 0).attr("y", y0 - 7);
      } else {
        const y1 = top + layout.rowTop[group.end - 1] + cellHeight - 3;
        label.append("path").attr("d", `M${layout.groupWidth - 4},${y0}h-4V${y1}h4`);
        label.append("text").attr("x", layout.groupWidth - 12).attr("y", y0 + 10).attr("text-anchor", "end").text(group.label);
      }
    }
  });
}

function legendEntryWidth(entry: MatrixLegendEntry): number {
  return 28 + textWidth(entry.label);
}

function drawLegend(svg: Selection<SVGSVGElement, unknown, null, undefined>, entries: readonly MatrixLegendEntry[], y: number, width: number): number {
  const g = svg.append("g").attr("class", "legend m-legend").attr("transform", `translate(0,${y})`);
  let x = 0;
  let row = 0;
  for (const entry of entries) {
    const w = legendEntryWidth(entry);
    if (x > 0 && x + w > width) {
      x = 0;
      row += 1;
    }
    const item = g.append("g").attr("class", `m-cell m-${entry.state}`).attr("transform", `translate(${x},${row * 20})`);
    item.append("rect").attr("x", 0).attr("y", 0).attr("width", 18).attr("height", 14).attr("rx", 2);
    if (entry.mark) item.append("text").attr("class", "m-mark").attr("x", 9).attr("y", 11).attr("text-anchor", "middle").text(entry.mark);
    shortText(item, "m-legend-label", entry.label, Math.floor((width - 23) / CHAR)).attr("x", 23).attr("y", 11);
    x += w;
  }
  return (row + 1) * 20;
}

const MIN_WIDTH = 360;
/** How far a narrow matrix may be scaled up on a wide page (text at most 1.3 × 12 px). */
const MAX_SCALE = 1.3;

/**
 * A matrix chart of one or more panels side by side (stacked when they do not fit side by side
 * in one block each), with a legend of the cell states below. The viewBox is as wide as the
 * content (at least 360 units, or the whole width on a phone, and never wider than `width`), and
 * the SVG's max-width keeps a small matrix from being blown up on a wide page, so its text stays
 * a readable size everywhere.
 */
export function matrixChart(doc: Document, options: MatrixChartOptions): ChartView {
  const layoutWidth = Math.round(Math.max(MIN_LAYOUT, Math.min(DEFAULT_WIDTH, options.width ?? DEFAULT_WIDTH)));
  const svg = select(doc.createElementNS(SVG_NS, "svg") as SVGSVGElement).attr("class", "chart matrix").attr("role", "img");
  const titleId = `matrix-title-${++idCounter}`;
  svg.attr("aria-labelledby", titleId).append("title").attr("id", titleId).text(options.title);

  let y = 0;
  const lines = [
    ...(options.note ? wrapText(options.note, Math.floor(layoutWidth / SMALL_CHAR)).map((text) => ({ cls: "m-chart-note", text })) : []),
    ...wrapText(`Rows: ${options.rowAxis}.`, Math.floor(layoutWidth / (CHAR * 1.05))).map((text) => ({ cls: "axis-label", text })),
    ...wrapText(`Columns: ${options.columnAxis}.`, Math.floor(layoutWidth / (CHAR * 1.05))).map((text) => ({ cls: "axis-label", text })),
  ];
  for (const line of lines) {
    svg.append("text").attr("class", line.cls).attr("x", 0).attr("y", y + 13).text(line.text);
    y += 18;
  }
  y += 6;

  const gap = 16;
  const headerHeight = options.panels.some((p) => p.title) ? 22 : 0;
  const count = Math.max(1, options.panels.length);
  const share = (layoutWidth - gap * (count - 1)) / count;
  let layouts = options.panels.map((panel) => layOutPanel(panel, options, share, headerHeight));
  const sideBySide = layouts.every((layout) => layout.blocks.length === 1);
  if (!sideBySide) layouts = options.panels.map((panel) => layOutPanel(panel, options, layoutWidth, headerHeight));

  let x = 0;
  let panelTop = y;
  let tallest = 0;
  let widest = 0;
  options.panels.forEach((panel, i) => {
    const layout = layouts[i];
    const g = svg.append("g").attr("class", "m-panel").attr("transform", `translate(${x},${panelTop})`);
    drawPanel(g, panel, layout, headerHeight);
    if (sideBySide) {
      x += layout.width + gap;
      tallest = Math.max(tallest, layout.height);
      widest = x - gap;
    } else {
      panelTop += layout.height + gap;
      widest = Math.max(widest, layout.width);
    }
  });
  const legendRow = options.legend.reduce((sum, entry) => sum + legendEntryWidth(entry), 0);
  const lineWidths = lines.map((l) => textWidth(l.text, l.cls === "axis-label" ? CHAR * 1.05 : SMALL_CHAR));
  const width = Math.ceil(Math.min(layoutWidth, Math.max(Math.min(MIN_WIDTH, layoutWidth), widest, ...lineWidths, Math.min(420, legendRow))));
  y = sideBySide ? y + tallest + 14 : panelTop - gap + 14;
  y += drawLegend(svg, options.legend, y, width);
  svg.attr("viewBox", `0 0 ${width} ${Math.ceil(y + 4)}`).attr("style", `max-width: ${Math.round(width * MAX_SCALE)}px`);
  return { title: options.title, svg: svg.node()!, summary: options.summary, table: options.table };
}
