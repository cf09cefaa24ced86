/**
 * A thin typed layer over @observablehq/runtime: a notebook is a list of named cells with
 * explicit inputs, plus its controls declared as params. Reactivity, laziness, generators and
 * invalidation are the runtime's own; this file only turns the list into runtime variables.
 */
import type { Module, Observer, Runtime } from "@observablehq/runtime";
import { defaults, type ParamSchema, type ParamValues, type Param } from "./params.ts";
import { DEFAULT_WIDTH } from "./view.ts";
import { reuseEqualResult, sameInputsSameResult } from "./memo.ts";

/** How a cell's value is shown when it is placed on a page. */
export type CellKind = "value" | "figure" | "text" | "element" | "view";

export interface CellDef {
  name: string;
  inputs: readonly string[];
  fn: (...args: any[]) => unknown;
  kind: CellKind;
  /** For views: the value used when there is no page (build time, headless tests). */
  staticValue?: unknown;
  /** Wait until the cell's place on the page is in view (always for figures; opt-in otherwise). */
  whenVisible?: boolean;
}

export interface CellOptions {
  /**
   * Compute only once the cell's place is scrolled into view, as figures do. For a section far
   * down the page whose code is imported on demand, so it is not part of the first download.
   */
  whenVisible?: boolean;
}

export function cell<R>(name: string, inputs: readonly string[], fn: (...args: any[]) => R): CellDef {
  return { name, inputs, fn, kind: "value" };
}

/** A cell whose value is a ChartView (see chart.ts), rendered as a captioned figure. */
export function figure(name: string, inputs: readonly string[], fn: (...args: any[]) => unknown): CellDef {
  return { name, inputs, fn, kind: "figure", whenVisible: true };
}

/** A cell whose value is a sentence shown inline in the prose. */
export function text(name: string, inputs: readonly string[], fn: (...args: any[]) => string): CellDef {
  return { name, inputs, fn, kind: "text" };
}

/** A cell whose value is a DOM element placed as-is (interactive widgets such as a drop zone). */
export function element(name: string, inputs: readonly string[], fn: (...args: any[]) => unknown, options: CellOptions = {}): CellDef {
  return { name, inputs, fn, kind: "element", whenVisible: options.whenVisible ?? false };
}

/**
 * An input that is not mirrored to the URL (a file drop zone, a planner's buttons): `fn` returns
 * an element with a `value` that emits "input" events. As in Observable, `viewof name` is the
 * element (placed on the page) and `name` is its current value. At build time and in headless
 * tests, `staticValue` stands in for the value.
 */
export function view(
  name: string,
  inputs: readonly string[],
  fn: (...args: any[]) => (HTMLElement & { value: unknown }) | Promise<HTMLElement & { value: unknown }>,
  staticValue: unknown,
  options: CellOptions = {},
): CellDef {
  return { name, inputs, fn, kind: "view", staticValue, whenVisible: options.whenVisible ?? false };
}

export interface NotebookDef<S extends ParamSchema> {
  id: string;
  params: S;
  cells: readonly CellDef[];
}

export type ObserverFor = (name: string) => Observer | undefined;
export type ControlFactory = (key: string, param: Param, value: unknown) => HTMLElement & { value: unknown };

export interface InstantiateOptions<S extends ParamSchema> {
  /** Starting values of the controls (defaults when omitted). */
  values?: Partial<ParamValues<S>>;
  /** Builds the control element of a param; without it params are constants (build time, tests). */
  createControl?: ControlFactory;
  observer?: ObserverFor;
  /** Reports how long each cell's own function took: the bench's script-time figure. */
  onCellTime?: (name: string, ms: number) => void;
}

export interface Notebook<S extends ParamSchema> extends NotebookDef<S> {
  cellNamed(name: string): CellDef | undefined;
  instantiate(runtime: Runtime, options?: InstantiateOptions<S>): Module;
}

export function defineNotebook<S extends ParamSchema>(def: NotebookDef<S>): Notebook<S> {
  const names = new Set<string>(Object.keys(def.params));
  for (const c of def.cells) {
    if (names.has(c.name)) throw new Error(`Notebook ${def.id}: cell name ${c.name} is used twice`);
    names.add(c.name);
  }
  return {
    ...def,
    cellNamed: (name) => def.cells.find((c) => c.name === name),
    instantiate(runtime, options = {}) {
      const module = runtime.module();
      const observe = options.observer ?? (() => undefined);
      // `width`, as in Observable: the width charts are drawn for. On a page it follows the
      // content column as the window resizes; without one it is the default chart width.
      module.variable(observe("width")).define("width", [], () => (options.createControl ? observeWidth() : DEFAULT_WIDTH));
      const values = { ...defaults(def.params), ...options.values } as Record<string, unknown>;
      for (const [key, param] of Object.entries(def.params)) {
        if (options.createControl) {
          const control = options.createControl(key, param, values[key]);
          module.variable(observe(`viewof ${key}`) ?? true).define(`viewof ${key}`, [], () => control);
          module.variable(observe(key)).define(key, [`viewof ${key}`], (el: HTMLElement & { value: unknown }) => observeInput(el));
        } else {
          module.variable(observe(key)).define(key, [], () => values[key]);
        }
      }
      for (const c of def.cells) {
        // Values, sentences and figures are functions of their inputs: unchanged inputs, no work.
        // (Elements and views are left alone: they are DOM that keeps its own state.)
        const pure = c.kind === "value" || c.kind === "text" || c.kind === "figure";
        const own = options.onCellTime ? timed(c, options.onCellTime) : c.fn;
        const fn = pure ? sameInputsSameResult(c.kind === "value" ? reuseEqualResult(own) : own) : own;
        if (c.kind === "view") {
          if (options.createControl) {
            const viewof = `viewof ${c.name}`;
            const observer = observe(viewof);
            module.variable(observer ?? true).define(viewof, c.inputs, c.whenVisible ? afterSeen(visibilityGate(observer?._node), fn) : fn);
            module.variable(observe(c.name)).define(c.name, [`viewof ${c.name}`], (el: HTMLElement & { value: unknown }) => observeInput(el));
          } else {
            // No page: no element (cells that talk to it get null) and the stand-in value.
            module.variable(false).define(`viewof ${c.name}`, [], () => null);
            module.variable(observe(c.name)).define(c.name, [], () => c.staticValue);
          }
        } else if (c.whenVisible) {
          const observer = observe(c.name);
          module.variable(observer).define(c.name, c.inputs, afterSeen(visibilityGate(observer?._node), fn));
        } else {
          module.variable(observe(c.name)).define(c.name, c.inputs, fn);
        }
      }
      return module;
    },
  };
}

/**
 * Whether a cell's place on the page is in view, kept for the life of the page: a figure (or an
 * opted-in element or view) scrolled out of view waits until it is seen instead of recomputing on
 * every slider move, and code it imports on demand is fetched only then. One IntersectionObserver
 * per place, not the runtime's `visibility`, which starts a new observer on every recompute and
 * so holds even a figure in plain view back until that observer's first report, a frame later.
 * Without a page, or for a cell with no place, it is open at once.
 */
function visibilityGate(node: Element | undefined): () => Promise<void> {
  if (!node || typeof IntersectionObserver !== "function") return () => Promise.resolve();
  let visible = false;
  let waiting: Array<() => void> = [];
  new IntersectionObserver(([entry]) => {
    visible = entry.isIntersecting;
    if (visible) {
      for (const resume of waiting) resume();
      waiting = [];
    }
  }).observe(node);
  return () => (visible ? Promise.resolve() : new Promise<void>((resume) => waiting.push(resume)));
}

function afterSeen(seen: () => Promise<void>, fn: (...args: unknown[]) => unknown): (...args: unknown[]) => Promise<unknown> {
  return async (...args) => {
    await seen();
    return fn(...args);
  };
}

function timed(c: CellDef, report: (name: string, ms: number) => void): (...args: unknown[]) => unknown {
  return (...args) => {
    const start = performance.now();
    try {
      return c.fn(...args);
    } finally {
      report(c.name, performance.now() - start);
    }
  };
}

/**
 * The value of an input element as a generator that yields on each "input" event, coalescing
 * events between frames: the runtime pulls the next value once per animation frame. This is
 * the part of Observable's standard library (Generators.input) the runtime no longer bundles.
 */
export function observeInput<T>(element: EventTarget & { value: T }): Generator<Promise<T>, void, unknown> {
  let pending: ((value: T) => void) | undefined;
  let fresh = true;
  const onInput = () => {
    if (pending) {
      pending(element.value);
      pending = undefined;
    } else {
      fresh = true;
    }
  };
  element.addEventListener("input", onInput);
  const generator = {
    next(): IteratorResult<Promise<T>, void> {
      if (fresh) {
        fresh = false;
        return { done: false, value: Promise.resolve(element.value) };
      }
      return { done: false, value: new Promise<T>((resolve) => (pending = resolve)) };
    },
    return(): IteratorResult<Promise<T>, void> {
      element.removeEventListener("input", onInput);
      return { done: true, value: undefined };
    },
    throw(error: unknown): IteratorResult<Promise<T>, void> {
      element.removeEventListener("input", onInput);
      throw error;
    },
    [Symbol.iterator]() {
      return generator;
    },
  };
  return generator as unknown as Generator<Promise<T>, void, unknown>;
}

/**
 * The width charts are drawn for: the inside of the page's first figure box (all figures sit in
 * the same column), else the content column, yielding again when it changes size. Drawing at the
 * width a chart is shown at keeps its text at the size the chart CSS gives it, phones included.
 */
function observeWidth(): Generator<Promise<number> | number, void, unknown> | number {
  if (typeof document === "undefined" || typeof ResizeObserver === "undefined") return DEFAULT_WIDTH;
  const column = document.querySelector<HTMLElement>("figure[data-cell]") ?? document.querySelector("main") ?? document.body;
  const inner = (el: HTMLElement) => {
    const style = getComputedStyle(el);
    return el.clientWidth - parseFloat(style.paddingLeft) - parseFloat(style.paddingRight);
  };
  const width = Object.assign(new EventTarget(), { value: Math.floor(inner(column)) || DEFAULT_WIDTH });
  new ResizeObserver((entries) => {
    const now = Math.floor(entries[0]?.contentRect.width ?? 0);
    if (now > 0 && now !== width.value) {
      width.value = now;
      width.dispatchEvent(new Event("input"));
    }
  }).observe(column);
  return observeInput(width);
}
