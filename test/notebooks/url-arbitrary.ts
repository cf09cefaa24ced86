/**
 * Random query strings for a notebook's URL, as readers, link shorteners and attackers write
 * them: known keys with good, out-of-range, malformed and hostile values, unknown keys, repeats,
 * raw percent-junk. Shared by the headless fuzz test and its browser sample.
 */
import { readdirSync, existsSync } from "node:fs";
import { fc } from "@fast-check/vitest";
import type { Notebook } from "../../notebooks/lib/cells.ts";
import { clampToParam, type Param, type ParamSchema } from "../../notebooks/lib/params.ts";

/** Every notebook (a folder with index.mdx and cells.ts; not lib/), in name order. */
export const notebookIds = readdirSync("notebooks").filter((d) => existsSync(`notebooks/${d}/cells.ts`) && existsSync(`notebooks/${d}/index.mdx`)).sort();

export async function loadNotebook(id: string): Promise<Notebook<ParamSchema>> {
  return ((await import(`../../notebooks/${id}/cells.ts`)) as { notebook: Notebook<ParamSchema> }).notebook;
}

const hostile = fc.constantFrom("", " ", "NaN", "Infinity", "-Infinity", "1e400", "-0", "0x10", "1,2", "null", "undefined",
  "<script>alert(1)</script>", "\"'><img src=x>", "%00", "☃", "1".repeat(80), "__proto__", "constructor", "true", "false", "1", "0");

function valueFor(param: Param): fc.Arbitrary<string> {
  const anyNumber = fc.oneof(fc.integer({ min: -1e9, max: 1e9 }), fc.double({ noNaN: false })).map(String);
  switch (param.kind) {
    case "number":
      return fc.oneof(
        fc.double({ min: param.min - 10 * param.step, max: param.max + 10 * param.step, noNaN: true }).map(String),
        fc.integer({ min: Math.floor(param.min), max: Math.ceil(param.max) }).map(String),
        anyNumber,
        hostile,
      );
    case "select":
      return fc.oneof(fc.constantFrom(...param.options.map((o) => o.value)), hostile, fc.string({ maxLength: 20 }));
    case "toggle":
      return fc.oneof(fc.constantFrom("1", "0", "true", "false", "yes", "on"), hostile);
    case "multi": {
      const item = fc.oneof({ weight: 4, arbitrary: fc.constantFrom(...param.options.map((o) => o.value)) }, { weight: 1, arbitrary: hostile });
      return fc.oneof(fc.array(item, { maxLength: param.maxItems + 3 }).map((items) => items.join(",")), hostile, fc.string({ maxLength: 30 }));
    }
  }
}

export function queryArbitrary(schema: ParamSchema): fc.Arbitrary<string> {
  const keys = Object.keys(schema);
  const known = keys.length
    ? fc.constantFrom(...keys).chain((key) => valueFor(schema[key]).map((value) => [key, value] as const))
    : fc.constant(["junk", "1"] as const);
  const unknown = fc.tuple(fc.oneof(fc.constantFrom("theme", "utm_source", "__proto__", "hosts[]"), fc.string({ maxLength: 12 })), fc.string({ maxLength: 20 }));
  const pairs = fc.array(fc.oneof({ weight: 5, arbitrary: known }, { weight: 1, arbitrary: unknown }), { maxLength: keys.length + 4 }).map((list) => {
    const search = new URLSearchParams();
    for (const [key, value] of list) search.append(key, value);
    return search.toString();
  });
  // Raw strings too: unencoded, half-encoded, broken escapes.
  const raw = fc.array(fc.oneof(fc.constantFrom(...keys, "=", "&", "%", "%zz", "+", "#", "?"), fc.string({ maxLength: 8 })), { maxLength: 12 }).map((parts) => parts.join(""));
  return fc.oneof({ weight: 4, arbitrary: pairs }, { weight: 1, arbitrary: raw });
}

/**
 * Arbitraries of the values a notebook's controls can really hold (not URL text): a number within
 * its slider's range, on its step; one of a select's options. For tests over any combination.
 */
export function controlValues<S extends ParamSchema>(params: S): { number: (key: keyof S & string) => fc.Arbitrary<number>; option: (key: keyof S & string) => fc.Arbitrary<string> } {
  return {
    number: (key) => {
      const p = params[key];
      if (p.kind !== "number") throw new Error(`${key} is not a number control`);
      return fc.double({ min: p.min, max: p.max, noNaN: true }).map((v) => clampToParam(p, v));
    },
    option: (key) => {
      const p = params[key];
      if (p.kind !== "select") throw new Error(`${key} is not a select control`);
      return fc.constantFrom(...p.options.map((o) => o.value));
    },
  };
}
