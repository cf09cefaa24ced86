/**
 * Build-time rendering: runs a notebook's cells once at given values (its defaults, unless told
 * otherwise) with happy-dom as the document, so every figure and inline number is in the HTML
 * before any script runs. The same cells and chart code run in the browser afterwards.
 */
import { Window } from "happy-dom";
import { Runtime } from "@observablehq/runtime";
import type { Notebook } from "./cells.ts";
import { renderFigure, renderFigureError } from "./figure.ts";
import { isRefusal, type FigureValue } from "./view.ts";
import type { ParamSchema, ParamValues } from "./params.ts";

export interface StaticCell {
  kind: "figure" | "text" | "element";
  /** Serialised HTML of the figure's inside, or the text. */
  html: string;
  /** The bare chart SVG (figures only), for the .svg embed. */
  svg?: string;
  title?: string;
}

export async function renderStatic<S extends ParamSchema>(notebook: Notebook<S>, values?: Partial<ParamValues<S>>): Promise<Map<string, StaticCell>> {
  const window = new Window();
  const doc = window.document as unknown as Document;
  const runtime = new Runtime({ document: doc });
  const module = notebook.instantiate(runtime, { values });
  const out = new Map<string, StaticCell>();
  try {
    for (const c of notebook.cells) {
      if (c.kind === "value" || c.kind === "view") continue;
      const root = doc.createElement("div");
      try {
        const value = await module.value(c.name);
        if (c.kind === "text") {
          out.set(c.name, { kind: "text", html: escapeText(String(value)) });
        } else if (c.kind === "figure") {
          renderFigure(doc, root, value as FigureValue);
          const svg = isRefusal(value) ? undefined : (value as { svg: SVGSVGElement }).svg.outerHTML;
          out.set(c.name, { kind: "figure", html: root.innerHTML, svg, title: (value as FigureValue).title });
        } else {
          out.set(c.name, { kind: "element", html: value instanceof window.Node ? (value as unknown as Element).outerHTML ?? "" : "" });
        }
      } catch (error) {
        renderFigureError(doc, root, error);
        out.set(c.name, { kind: c.kind === "text" ? "text" : "figure", html: root.innerHTML });
      }
    }
  } finally {
    runtime.dispose();
    await window.happyDOM.close();
  }
  return out;
}

function escapeText(value: string): string {
  return value.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
}
