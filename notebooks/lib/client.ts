/**
 * The browser side of a notebook page: reads the URL, builds the controls, attaches observers to
 * the pre-rendered placeholders, mirrors the controls back into the URL, and (in an embed)
 * reports the page height to the parent. The Observable runtime does all the recomputation.
 */
import type { Observer, Runtime } from "@observablehq/runtime";
import { PromptRuntime } from "./runtime.ts";
import type { Notebook } from "./cells.ts";
import { createControl } from "./controls.ts";
import { renderFigure, renderFigureError } from "./figure.ts";
import { setSentence } from "./text.ts";
import { parseParams, serializeParams, type ParamSchema, type ParamValues } from "./params.ts";
import type { FigureValue } from "./view.ts";
import { parseTheme, withTheme } from "./embed.ts";
import { reportHeight } from "./embed-frame.ts";
import { updatePageLinks, wireShareButtons } from "./share.ts";

export interface MountOptions {
  /** Base URL of the site ("/" or "/sub/"), for embed snippets. */
  base: string;
  embed?: boolean;
}

declare global {
  interface Window {
    /** Set by the benchmark before the page loads: cell timings are pushed here. */
    __explorablesBench?: { cellTimes: Array<{ name: string; ms: number; at: number }> };
  }
}

export function mount<S extends ParamSchema>(notebook: Notebook<S>, options: MountOptions): Runtime {
  const { values, notes } = parseParams(notebook.params, location.search);
  showUrlNotes(notes);
  const runtime = new PromptRuntime({ document });
  const bench = window.__explorablesBench;
  const fit = fitCharts();
  const module = notebook.instantiate(runtime, {
    values,
    createControl,
    observer: (name) => (bench ? timedObserver(observerFor(notebook, name, fit), name, bench) : observerFor(notebook, name, fit)),
    onCellTime: bench ? (name, ms) => bench.cellTimes.push({ name, ms, at: performance.now() }) : undefined,
  });
  const keys = Object.keys(notebook.params);
  // An embed keeps its ?theme= in the URL it writes back; notebook pages have no theme param.
  const theme = options.embed ? parseTheme(location.search) : undefined;
  let currentQuery = serializeParams(notebook.params, values);
  const share = { notebookId: notebook.id, base: options.base, currentQuery: () => currentQuery };
  let urlTimer: ReturnType<typeof setTimeout> | undefined;
  module.variable(true).define("url state", keys, (...current: unknown[]) => {
    const state = Object.fromEntries(keys.map((k, i) => [k, current[i]])) as Partial<ParamValues<S>>;
    const query = serializeParams(notebook.params, state);
    currentQuery = query;
    const written = withTheme(query, theme);
    // history.replaceState costs about a millisecond in Chromium: write once the slider rests.
    clearTimeout(urlTimer);
    urlTimer = setTimeout(() => {
      history.replaceState(history.state, "", written ? `?${written}${location.hash}` : `${location.pathname}${location.hash}`);
      updatePageLinks(share);
    }, 120);
    return query;
  });
  wireShareButtons(share);
  updatePageLinks(share);
  if (options.embed) reportHeight();
  document.documentElement.dataset.notebook = "live";
  return runtime;
}

function observerFor<S extends ParamSchema>(notebook: Notebook<S>, name: string, fit: (root: HTMLElement) => void): Observer | undefined {
  if (name.startsWith("viewof ")) {
    const key = name.slice("viewof ".length);
    // Params sit in <Control> slots; views (drop zones and the like) in <View> slots.
    const slot = document.querySelector<HTMLElement>(`[data-control="${CSS.escape(key)}"], [data-view="${CSS.escape(key)}"]`);
    // Controls not placed on the page still exist (a cell may read them), just unattached.
    return slot ? { _node: slot, fulfilled: (el) => slot.replaceChildren(el as Node) } : undefined;
  }
  const c = notebook.cellNamed(name);
  if (!c) return undefined;
  const slots = [...document.querySelectorAll<HTMLElement>(`[data-cell="${CSS.escape(name)}"]`)];
  if (slots.length === 0) return undefined;
  // The cell handed back the very value it gave last time (its inputs did not change, see
  // memo.ts): the page already shows it.
  let shown: unknown;
  switch (c.kind) {
    case "figure":
      return {
        // Watched to know whether the figure is in view (visibilityGate in cells.ts).
        _node: slots[0],
        fulfilled: (value) => {
          if (value === shown) return;
          shown = value;
          slots.forEach((slot) => {
            renderFigure(document, slot, value as FigureValue, { lazyTable: true, keepUnitsTogether: true });
            fit(slot);
          });
        },
        rejected: (error) => {
          shown = undefined;
          slots.forEach((slot) => renderFigureError(document, slot, error));
        },
      };
    case "text":
      return {
        fulfilled: (value) => slots.forEach((slot) => {
          setSentence(slot, String(value));
        }),
        rejected: (error) => slots.forEach((slot) => (slot.textContent = error instanceof Error ? error.message : String(error))),
      };
    case "element":
      return {
        _node: slots[0],
        fulfilled: (value) => {
          if (value === shown) return;
          shown = value;
          slots.forEach((slot) => slot.replaceChildren(value as Node));
        },
        rejected: (error) => {
          shown = undefined;
          slots.forEach((slot) => renderFigureError(document, slot, error));
        },
      };
    default:
      return undefined;
  }
}

/**
 * Chart text keeps its CSS size on any screen: an SVG is never shown narrower than it was drawn
 * (charts from chart.ts are drawn at the column's width, so only fixed layouts such as a wide
 * matrix are affected), and a chart box that must scroll sideways becomes a labelled, focusable
 * region so keyboard users can scroll it too. Checked after layout, by a ResizeObserver.
 */
function fitCharts(): (root: HTMLElement) => void {
  const check = (chart: HTMLElement) => {
    const scrolls = chart.scrollWidth > chart.clientWidth + 1;
    if (scrolls === chart.hasAttribute("tabindex")) return;
    if (scrolls) {
      const title = chart.parentElement?.querySelector(":scope > .figure-title")?.textContent ?? "Chart";
      chart.tabIndex = 0;
      chart.setAttribute("role", "group");
      chart.setAttribute("aria-label", `${title} (scroll sideways to see all of it)`);
    } else {
      chart.removeAttribute("tabindex");
      chart.removeAttribute("role");
      chart.removeAttribute("aria-label");
    }
  };
  const observer = new ResizeObserver((entries) => {
    for (const entry of entries) {
      const chart = entry.target.closest<HTMLElement>(".figure-chart");
      if (chart) check(chart);
    }
  });
  const watched = new WeakSet<Element>();
  return (root) => {
    const chart = root.querySelector<HTMLElement>(":scope > .figure-chart");
    const svg = chart?.querySelector<SVGSVGElement>(":scope > svg");
    if (!chart || !svg) return;
    const drawnWidth = svg.viewBox?.baseVal?.width;
    const minWidth = drawnWidth ? `${drawnWidth}px` : "";
    if (svg.style.minWidth !== minWidth) svg.style.minWidth = minWidth;
    for (const node of [chart, svg]) {
      if (watched.has(node)) continue;
      watched.add(node);
      observer.observe(node);
    }
  };
}

/** In bench mode, putting a value on the page counts towards the update's script time too. */
function timedObserver(observer: Observer | undefined, name: string, bench: NonNullable<Window["__explorablesBench"]>): Observer | undefined {
  if (!observer?.fulfilled) return observer;
  const fulfilled = observer.fulfilled;
  return {
    ...observer,
    fulfilled: (value, n) => {
      const start = performance.now();
      fulfilled(value, n);
      bench.cellTimes.push({ name: `render ${name}`, ms: performance.now() - start, at: start });
    },
  };
}

function showUrlNotes(notes: string[]): void {
  const box = document.querySelector<HTMLElement>("[data-url-notes]");
  if (!box || notes.length === 0) return;
  box.hidden = false;
  box.textContent = `Some values in the link were not usable: ${notes.join(" ")}`;
}
