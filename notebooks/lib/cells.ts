/**
 * A thin typed layer over @observablehq/runtime: a notebook is a list of named cells with
 * explicit inputs, plus its controls declared as params. Reactivity, laziness, generators and
 * invalidation are the runtime's own; this file only turns the list into runtime variables.
 */
import type { Module, Observer, Runtime } from "@observablehq/runtime";
import { defaults, type ParamSchema, type ParamValues, type Param } from "./params.ts";
import { DEFAULT_WIDTH } from "./view.ts";
import { reuseEqualResult, sameInputsSameResult } from "./memo.ts";
import { afterGate, anyGate, OPEN, visibilityGate, type Gate } from "./visibility.ts";

/** How a cell's value is shown when it is placed on a page. */
export type CellKind = "value" | "figure" | "text" | "element" | "view";

export interface CellDef {
  name: string;
  inputs: readonly string[];
  fn: (...args: any[]) => unknown;
  kind: CellKind;
  /** For views: the value used when there is no page (build time, headless tests). */
  staticValue?: unknown;
  /**
   * Wait until the cell's place on the page is in view (always for figures; opt-in otherwise).
   * A value cell has no place: it waits until a place that shows what it feeds is in view.
   */
  whenVisible?: boolean;
}

export interface CellOptions {
  /**
   * Compute only once the cell's place is scrolled into view, as figures do. For a section far
   * down the page whose code is imported on demand, so it is not part of the first download.
   * On a value cell: compute only once one of the cells that read it (directly, or through other
   * value cells) is in view; any reader that does not wait (a text cell) lets it compute at once.
   */
  whenVisible?: boolean;
}

/**
 * A named value computed from its inputs: model results, or code imported on demand. With
 * `{ whenVisible: true }` it waits until a figure (or waiting element) that depends on it is in
 * view, so a model and its lazily imported code stay out of the page's load until then.
 */
export function cell<R>(name: string, inputs: readonly string[], fn: (...args: any[]) => R, options: CellOptions = {}): CellDef {
  return { name, inputs, fn, kind: "value", whenVisible: options.whenVisible ?? false };
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
      // Each name's observer is asked for once: the gates and the definitions below share it.
      const observers = new Map<string, Observer | undefined>();
      const observe = (name: string) => {
        if (!observers.has(name)) observers.set(name, options.observer?.(name));
        return observers.get(name);
      };
      // (A view's element is made even where the page has no place for it: it always counts.)
      const gateOf = gates(def.cells, (c) => (c.kind !== "view" ? observe(c.name) : options.createControl ? (observe(`viewof ${c.name}`) ?? {}) : undefined));
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
        // Values, sentences, figures and elements are functions of their inputs: unchanged inputs,
        // no work (an element handed back again is the same node, with whatever the reader did to
        // it). Views are left alone: an input element is made once and keeps its own state.
        const own = options.onCellTime ? timed(c, options.onCellTime) : c.fn;
        const memo = c.kind === "view" ? own : sameInputsSameResult(c.kind === "value" ? reuseEqualResult(own) : own);
        const fn = c.whenVisible ? afterGate(gateOf(c), memo) : memo;
        if (c.kind === "view") {
          if (options.createControl) {
            const viewof = `viewof ${c.name}`;
            module.variable(observe(viewof) ?? true).define(viewof, c.inputs, fn);
            module.variable(observe(c.name)).define(c.name, [viewof], (el: HTMLElement & { value: unknown }) => observeInput(el));
          } else {
            // No page: no element (cells that talk to it get null) and the stand-in value.
            module.variable(false).define(`viewof ${c.name}`, [], () => null);
            module.variable(observe(c.name)).define(c.name, [], () => c.staticValue);
          }
        } else {
          module.variable(observe(c.name)).define(c.name, c.inputs, fn);
        }
      }
      return module;
    },
  };
}

/**
 * When each cell may compute (see visibility.ts). A waiting figure or element waits for its own
 * place on the page; a waiting view for its own place or any of its readers'. A value cell has no place: its gate opens when any of its readers' gates
 * does, a value cell that reads it counting through its own readers; a reader that does not wait
 * (a text cell, an element without `whenVisible`) opens it at once. Readers the page does not show
 * (no observer) are computed only when asked for, so they do not count; with no reader shown (build
 * time, headless tests) the gate is open. Only cells defined with `whenVisible` use their gate.
 */
function gates(cells: readonly CellDef[], observerOf: (c: CellDef) => Observer | undefined): (c: CellDef) => Gate {
  const readers = new Map<string, CellDef[]>();
  for (const c of cells) {
    for (const input of c.inputs) {
      const name = input.startsWith("viewof ") ? input.slice("viewof ".length) : input;
      readers.set(name, [...(readers.get(name) ?? []), c]);
    }
  }
  // The gate of what the page shows, or null for a cell that feeds nothing shown.
  const known = new Map<CellDef, Gate | null>();
  const shownGate = (c: CellDef): Gate | null => {
    if (known.has(c)) return known.get(c)!;
    // (The runtime refuses circular definitions; this only keeps the walk from going round.)
    known.set(c, null);
    let gate: Gate | null;
    if (c.kind === "value") {
      const shown = (readers.get(c.name) ?? []).map(shownGate).filter((g) => g !== null);
      gate = shown.length > 0 ? anyGate(shown) : null;
    } else {
      const observer = observerOf(c);
      gate = observer === undefined ? null : c.whenVisible ? visibilityGate(observer._node) : OPEN;
      // A waiting view (a stepper above its figure) also opens when what shows its value comes into
      // view: a tall figure may be on screen while the control that drives it is not.
      if (gate !== null && gate !== OPEN && c.kind === "view") {
        const shown = (readers.get(c.name) ?? []).map(shownGate).filter((g) => g !== null);
        gate = anyGate([gate, ...shown]);
      }
    }
    known.set(c, gate);
    return gate;
  };
  return (c) => shownGate(c) ?? OPEN;
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
