/**
 * The words every notebook puts on the page, at its defaults and at the extremes of its controls
 * (every control at its minimum, then every one at its maximum), rendered headless as the build
 * does. Fails on "1 VMs"-style plurals, on undefined / NaN / Infinity, and on a param's raw key
 * (such as "vmsA") leaking into the text. Notebooks are found by folder, so a new one is covered.
 */
import { readdirSync, existsSync } from "node:fs";
import { describe, expect, test } from "vitest";
import type { Notebook } from "../../notebooks/lib/cells.ts";
import { defaults, formatBareValue, formatParamValue, labelWithUnit, type Param, type ParamSchema } from "../../notebooks/lib/params.ts";
import { renderStatic } from "../../notebooks/lib/static.ts";

const ids = readdirSync("notebooks").filter((d) => existsSync(`notebooks/${d}/cells.ts`) && existsSync(`notebooks/${d}/index.mdx`)).sort();

/** Words after "1 " that end in s but are not plurals (units, verbs, abbreviations). */
const NOT_PLURAL = new Set(["is", "was", "has", "does", "ms", "s", "us", "ns", "its", "this", "thus", "plus", "minus", "IOPS", "MBps", "KBps", "GBps", "Gbps", "Mbps", "bps", "as", "bus", "status", "always", "process", "access", "address", "class", "less"]);

function copyProblems(text: string, keys: readonly string[]): string[] {
  const problems: string[] = [];
  for (const m of text.matchAll(/(?<![\d.,])\b1 ([A-Za-z/]+s)\b/g)) {
    if (!NOT_PLURAL.has(m[1])) problems.push(`plural after 1: "${text.slice(Math.max(0, m.index! - 30), m.index! + 30)}"`);
  }
  for (const word of ["undefined", "NaN", "Infinity", "null", "[object Object]"]) {
    // Part of a hyphenated name (a CPU feature such as "null-sel-clr-base") is not the word.
    const at = text.search(new RegExp(`(?<![\\w-])${word.replace(/[[\]]/g, "\\$&")}(?![\\w-])`));
    if (at >= 0) problems.push(`${word}: "${text.slice(Math.max(0, at - 40), at + 40)}"`);
  }
  // Keys that are not plain words (camelCase or with digits) must never reach a reader.
  for (const key of keys.filter((k) => /[A-Z0-9]/.test(k))) {
    if (new RegExp(`\\b${key}\\b`).test(text)) problems.push(`raw param key ${key}`);
  }
  return problems;
}

/** A label that says a word of its own again in its brackets: "Desktops (desktops)", "Your VM's IOPS (IOPS)". */
function repeatsInBrackets(label: string): boolean {
  return /(?<![\p{L}/%])([\p{L}/%]+)(?![\p{L}/%]).*\(\1\)$/iu.test(label);
}

function extreme(param: Param, end: "min" | "max"): unknown {
  switch (param.kind) {
    case "number":
      return end === "min" ? param.min : param.max;
    case "select":
      return (end === "min" ? param.options[0] : param.options.at(-1)!).value;
    case "toggle":
      return end === "max";
    case "multi":
      return param.value;
  }
}

/** Text a reader gets: text nodes and the words in labels and tooltips, markup removed. */
function readerText(html: string): string {
  const attrs = [...html.matchAll(/\b(?:aria-label|title|alt)="([^"]*)"/g)].map((m) => m[1]);
  return `${html.replace(/<[^>]+>/g, " ")} ${attrs.join(" ")}`.replace(/&amp;/g, "&").replace(/&lt;/g, "<").replace(/&gt;/g, ">").replace(/\s+/g, " ");
}

describe("copy test helper", () => {
  test("a label that repeats its unit is caught, a unit said once is not", () => {
    expect(["Desktops (desktops)", "Your VM's IOPS (IOPS)", "Outstanding I/Os it keeps (I/Os)"].filter(repeatsInBrackets)).toHaveLength(3);
    expect(["Data to copy (GB)", "Hours since the pass started (h)", "Pool already used (%)", "Cores per host"].filter(repeatsInBrackets)).toEqual([]);
  });

  test("flags the problems it is meant to, and not units or verbs", () => {
    expect(copyProblems("Busy VMs on each other host: 1 VMs", [])).toHaveLength(1);
    expect(copyProblems("1 hosts fill", [])).toHaveLength(1);
    expect(copyProblems("latency 1 ms at 1 IOPS; 1 is fine; 11 VMs, 21 hosts, 0.1 snapshots", [])).toEqual([]);
    expect(copyProblems("it was NaN or undefined", [])).toHaveLength(2);
    expect(copyProblems("CPU flags -null-sel-clr-base, null.", [])).toHaveLength(1);
    expect(copyProblems("the vmsA control", ["vmsA", "hosts"])).toEqual(["raw param key vmsA"]);
    expect(copyProblems("two hosts", ["vmsA", "hosts"])).toEqual([]);
  });
});

describe.each(ids)("%s: the words on the page", (id) => {
  test("no control's label says its unit twice", async () => {
    const { notebook } = (await import(`../../notebooks/${id}/cells.ts`)) as { notebook: Notebook<ParamSchema> };
    const labels = Object.values(notebook.params).map(labelWithUnit);
    expect(labels.filter(repeatsInBrackets)).toEqual([]);
  });

  test("at the defaults and with every control at its minimum, then its maximum, no broken copy", async () => {
    const { notebook } = (await import(`../../notebooks/${id}/cells.ts`)) as { notebook: Notebook<ParamSchema> };
    const keys = Object.keys(notebook.params);
    const settings: Array<[string, Record<string, unknown> | undefined]> = [
      ["defaults", undefined],
      ["all min", Object.fromEntries(Object.entries(notebook.params).map(([k, p]) => [k, extreme(p, "min")]))],
      ["all max", Object.fromEntries(Object.entries(notebook.params).map(([k, p]) => [k, extreme(p, "max")]))],
    ];
    const problems: string[] = [];
    for (const [name, values] of settings) {
      // The controls as the page states them without JavaScript (Control.astro) and in URL notes.
      const current = { ...defaults(notebook.params), ...values } as Record<string, unknown>;
      for (const [key, param] of Object.entries(notebook.params)) {
        const said = `${labelWithUnit(param)}: ${formatBareValue(param, current[key])}. Kept ${formatParamValue(param, current[key])}.`;
        for (const problem of copyProblems(said, keys)) problems.push(`${name}, control ${key}: ${problem}`);
      }
      const cells = await renderStatic(notebook, values as never);
      for (const [cell, rendered] of cells) {
        for (const problem of copyProblems(readerText(rendered.html), keys)) problems.push(`${name}, ${cell}: ${problem}`);
      }
    }
    expect(problems, problems.join("\n")).toEqual([]);
  }, 60_000);
});
