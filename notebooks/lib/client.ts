/**
 * The browser side of a notebook page: reads the URL, builds the controls, attaches observers to
 * the pre-rendered placeholders, mirrors the controls back into the URL, and (in an embed)
 * reports the page height to the parent. The Observable runtime does all the recomputation.
 */
import { Runtime, type Observer } from "@observablehq/runtime";
import type { Notebook } from "./cells.ts";
import { createControl } from "./controls.ts";
import { renderFigure, renderFigureError } from "./figure.ts";
import { parseParams, serializeParams, type ParamSchema, type ParamValues } from "./params.ts";
import type { FigureValue } from "./chart.ts";
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
  const runtime = new Runtime({ document });
  const bench = window.__explorablesBench;
  const module = notebook.instantiate(runtime, {
    values,
    createControl,
    observer: (name) => (bench ? timedObserver(observerFor(notebook, name), name, bench) : observerFor(notebook, name)),
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

function observerFor<S extends ParamSchema>(notebook: Notebook<S>, name: string): Observer | undefined {
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
  switch (c.kind) {
    case "figure":
      return {
        // The runtime watches this node to resolve the figure's `visibility`.
        _node: slots[0],
        fulfilled: (value) => slots.forEach((slot) => renderFigure(document, slot, value as FigureValue, { lazyTable: true })),
        rejected: (error) => slots.forEach((slot) => renderFigureError(document, slot, error)),
      };
    case "text":
      return {
        fulfilled: (value) => slots.forEach((slot) => (slot.textContent = String(value))),
        rejected: (error) => slots.forEach((slot) => (slot.textContent = error instanceof Error ? error.message : String(error))),
      };
    case "element":
      return {
        _node: slots[0],
        fulfilled: (value) => slots.forEach((slot) => slot.replaceChildren(value as Node)),
        rejected: (error) => slots.forEach((slot) => renderFigureError(document, slot, error)),
      };
    default:
      return undefined;
  }
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
