/**
 * Shareable states survive any URL: for every notebook, 10,000 random query strings go through
 * the params layer (what the page does first with location.search), and a sample of them through
 * every cell, headless. No throw, every value within its control's range, the URL written back
 * canonical, and no NaN or undefined in anything the page would show.
 */
import { describe, expect, test } from "vitest";
import { fc } from "@fast-check/vitest";
import { parseParams, serializeParams, type Param, type ParamSchema } from "../../notebooks/lib/params.ts";
import { renderStatic } from "../../notebooks/lib/static.ts";
import { notebookIds, loadNotebook, queryArbitrary } from "./url-arbitrary.ts";

const RUNS = 10_000;
const RENDERED = 12;

function allowed(param: Param, value: unknown): boolean {
  switch (param.kind) {
    case "number": {
      if (typeof value !== "number" || !Number.isFinite(value) || value < param.min || value > param.max) return false;
      const steps = (value - param.min) / param.step;
      return Math.abs(steps - Math.round(steps)) < 1e-6;
    }
    case "select":
      return param.options.some((o) => o.value === value);
    case "toggle":
      return typeof value === "boolean";
    case "multi":
      return Array.isArray(value) && value.length >= param.minItems && value.length <= param.maxItems && value.every((v) => param.options.some((o) => o.value === v));
  }
}

const SHOWN_JUNK = /\bNaN\b|\bundefined\b|\bInfinity\b|\[object Object\]/;

describe.each(notebookIds)("%s: random URLs", (id) => {
  test(`${RUNS} query strings: values clamped, URL written back canonical`, { timeout: 120_000 }, async () => {
    const schema: ParamSchema = (await loadNotebook(id)).params;
    fc.assert(
      fc.property(queryArbitrary(schema), (query) => {
        const { values, notes } = parseParams(schema, query);
        for (const [key, param] of Object.entries(schema)) expect(allowed(param, values[key]), `${key} from ?${query}`).toBe(true);
        // A note quotes what the link said (“NaN” may be just that); the rest must be clean.
        for (const note of notes) expect(note.replace(/“[^”]*”/g, "“…”")).not.toMatch(SHOWN_JUNK);
        const written = serializeParams(schema, values);
        // Canonical: reading the written URL gives the same state, with nothing to note, and
        // writes the same URL again; only param keys, in declaration order.
        const reread = parseParams(schema, written);
        expect(reread.values).toEqual(values);
        expect(reread.notes).toEqual([]);
        expect(serializeParams(schema, reread.values)).toBe(written);
        const keys = [...new URLSearchParams(written).keys()];
        expect(keys).toEqual(Object.keys(schema).filter((k) => keys.includes(k)));
        expect(written).not.toMatch(SHOWN_JUNK);
      }),
      { numRuns: RUNS },
    );
  });

  test(`${RENDERED} of them rendered headless: no error escapes, no NaN or undefined shown`, { timeout: 120_000 }, async () => {
    const notebook = await loadNotebook(id);
    const queries = fc.sample(queryArbitrary(notebook.params), { numRuns: RENDERED, seed: 13 });
    for (const query of queries) {
      const { values } = parseParams(notebook.params, query);
      const cells = await renderStatic(notebook, values);
      for (const [name, rendered] of cells) {
        const text = rendered.html.replace(/<[^>]*>/g, " ");
        expect(text, `${id} ${name} at ?${query}`).not.toMatch(SHOWN_JUNK);
        expect(text.trim().length, `${id} ${name} at ?${query} shows something`).toBeGreaterThan(0);
      }
    }
  });
});
