/**
 * The Observable embedding form of a notebook: `define(runtime, observer)`, as Observable's own
 * notebooks export it, so a notebook can be mounted elsewhere with the standard recipe:
 *   new Runtime({ document }).module(define, (name) => observerFor(name))
 * Controls are real @observablehq/inputs elements at their default values.
 */
import type { Module, Observer, Runtime } from "@observablehq/runtime";
import type { Notebook } from "./cells.ts";
import type { ParamSchema } from "./params.ts";
import { createControl } from "./controls.ts";

export type ObservableDefine = (runtime: Runtime, observer?: (name?: string) => Observer | undefined) => Module;

export function observableDefine<S extends ParamSchema>(notebook: Notebook<S>): ObservableDefine {
  return (runtime, observer) => notebook.instantiate(runtime, { createControl, observer: (name) => observer?.(name) });
}
