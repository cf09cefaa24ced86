/**
 * Puts a figure cell's value on the page. The container's structure is stable (caption, chart,
 * live summary, data table, "what this leaves out", embed button) and only its contents change,
 * so screen readers hear the summary update and keyboard focus is not lost. Works with any DOM
 * (the browser's or happy-dom's at build time) and never parses HTML: user-derived text only
 * ever goes through textContent.
 */
import { formatNumber, isRefusal, type DataTable, type FigureValue } from "./view.ts";
import { ModelInputError } from "../../src/shared/errors.ts";
import { setSentence } from "./text.ts";

export interface FigureParts {
  root: HTMLElement;
  caption: HTMLElement;
  chart: HTMLElement;
  summary: HTMLElement;
  message: HTMLElement;
  table: HTMLTableElement;
}

function el<K extends keyof HTMLElementTagNameMap>(doc: Document, tag: K, className?: string, text?: string): HTMLElementTagNameMap[K] {
  const node = doc.createElement(tag);
  if (className) node.className = className;
  if (text !== undefined) node.textContent = text;
  return node;
}

/** Builds the skeleton inside `root` (a <figure>), or finds it when the page was pre-rendered. */
export function figureParts(doc: Document, root: HTMLElement): FigureParts {
  const existing = root.querySelector<HTMLElement>(":scope > .figure-chart");
  if (!existing) {
    root.replaceChildren();
    const caption = el(doc, "figcaption", "figure-title");
    const chart = el(doc, "div", "figure-chart");
    const message = el(doc, "p", "figure-message");
    message.setAttribute("role", "alert");
    message.hidden = true;
    const summary = el(doc, "p", "figure-summary");
    summary.setAttribute("aria-live", "polite");
    const details = el(doc, "details", "figure-data");
    details.append(el(doc, "summary", undefined, "Data table"), el(doc, "table"));
    root.append(caption, chart, message, summary, details);
  }
  return {
    root,
    caption: root.querySelector<HTMLElement>(":scope > .figure-title")!,
    chart: root.querySelector<HTMLElement>(":scope > .figure-chart")!,
    summary: root.querySelector<HTMLElement>(":scope > .figure-summary")!,
    message: root.querySelector<HTMLElement>(":scope > .figure-message")!,
    table: root.querySelector<HTMLTableElement>(":scope > .figure-data table")!,
  };
}

export interface RenderOptions {
  /** Build the data table only when a reader opens it (in the browser; never at build time). */
  lazyTable?: boolean;
  /**
   * Keep each number and its unit on one line in the summary (`setSentence` in text.ts), in the
   * browser; the build-time HTML stays plain text.
   */
  keepUnitsTogether?: boolean;
}

export function renderFigure(doc: Document, root: HTMLElement, value: FigureValue, options: RenderOptions = {}): void {
  const parts = figureParts(doc, root);
  if (parts.caption.textContent !== value.title) parts.caption.textContent = value.title;
  if (isRefusal(value)) {
    showMessage(parts, value.refusal);
    return;
  }
  show(parts.message, false);
  show(parts.summary, true);
  show(parts.chart, true);
  show(parts.table.parentElement!, true);
  // The same helper drew the chart that is there: bring that SVG up to date (a d3 join keeps
  // every element that did not change) instead of building and swapping a new one.
  const current = parts.chart.firstElementChild as SVGSVGElement | null;
  if (value.drawInto && value.chartKind && current && parts.chart.childElementCount === 1 && current.getAttribute("data-chart") === value.chartKind) {
    value.drawInto(current);
  } else {
    parts.chart.replaceChildren(value.svg);
  }
  if (options.keepUnitsTogether) setSentence(parts.summary, value.summary);
  else if (parts.summary.textContent !== value.summary) parts.summary.textContent = value.summary;
  setTable(doc, parts, value.table, options.lazyTable ?? false);
  if (root.dataset.state !== "ready") root.dataset.state = "ready";
}

/** Shows or hides a part, writing `hidden` only when it changes: an equal write still counts as a change of the page. */
function show(part: HTMLElement, shown: boolean): void {
  if (part.hidden === shown) part.hidden = !shown;
}

/** A sentence instead of a chart: bad input, an unsupported setting, a model refusal. */
export function renderFigureError(doc: Document, root: HTMLElement, error: unknown): void {
  const parts = figureParts(doc, root);
  showMessage(parts, explainError(error));
}

function showMessage(parts: FigureParts, sentence: string): void {
  show(parts.chart, false);
  parts.chart.replaceChildren();
  show(parts.message, true);
  parts.message.textContent = sentence;
  // The message box says it (and announces it): the summary would only repeat it.
  show(parts.summary, false);
  parts.summary.textContent = sentence;
  parts.table.replaceChildren();
  // No chart, no data: an empty "Data table" under the sentence would only mislead.
  show(parts.table.parentElement!, false);
  parts.root.dataset.state = "message";
}

export function explainError(error: unknown): string {
  if (error instanceof ModelInputError) {
    return `These settings are outside what the model covers: ${error.field} must be ${error.allowed} (it was ${String(error.value)}).`;
  }
  // The runtime re-throws an upstream cell's failure as a RuntimeError carrying its message.
  if (error instanceof Error && error.name === "RuntimeError") return `This figure cannot be computed: ${error.message}.`;
  return error instanceof Error ? error.message : String(error);
}

const pendingTables = new WeakMap<HTMLTableElement, DataTable>();

/** With `lazy`, a closed table costs nothing on a slider move: it is built when opened. */
function setTable(doc: Document, parts: FigureParts, data: DataTable, lazy: boolean): void {
  const details = parts.table.parentElement as HTMLDetailsElement;
  pendingTables.delete(parts.table);
  if (!lazy || details.open) {
    fillTable(doc, parts.table, data);
    return;
  }
  pendingTables.set(parts.table, data);
  if (!details.dataset.lazy) {
    details.dataset.lazy = "1";
    details.addEventListener("toggle", () => {
      const pending = pendingTables.get(parts.table);
      if (details.open && pending) {
        pendingTables.delete(parts.table);
        fillTable(doc, parts.table, pending);
      }
    });
  }
}

export function fillTable(doc: Document, table: HTMLTableElement, data: DataTable): void {
  const caption = el(doc, "caption", undefined, data.caption);
  const head = el(doc, "thead");
  const headRow = el(doc, "tr");
  for (const column of data.columns) {
    const th = el(doc, "th", undefined, column);
    th.setAttribute("scope", "col");
    headRow.append(th);
  }
  head.append(headRow);
  const body = el(doc, "tbody");
  for (const row of data.rows) {
    const tr = el(doc, "tr");
    for (const cell of row) tr.append(el(doc, "td", typeof cell === "number" ? "num" : undefined, typeof cell === "number" ? formatNumber(cell) : cell));
    body.append(tr);
  }
  table.replaceChildren(caption, head, body);
}
