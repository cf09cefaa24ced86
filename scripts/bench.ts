/**
 * `npm run bench`: model benchmarks (test/bench/*.model.ts) and, for every notebook page of the
 * built site and every control on it, the input-to-paint latency and the script time of one
 * update, plus each page's JS bytes and the JS it loads but does not run at load
 * (test/bench/unused-js.ts), in Chromium, after a machine reference row (test/bench/machine.ts).
 * Prints the tables and writes bench/results.json.
 * `--smoke` runs fewer repetitions (CI); `--only <word>` keeps the model benchmarks and pages
 * whose file or page name contains the word (repeatable), for working on one topic; `--models`
 * skips the pages. Exits non-zero only when a benchmark cannot run; budgets are reported, since
 * timings on shared machines are noisy.
 * Run by Node itself (its TypeScript type stripping), not through a transpiler: tsx's esbuild
 * adds a __name() wrapper to every function, which would slow the models it measures.
 */
import { mkdirSync, readdirSync, writeFileSync } from "node:fs";
import { cpus } from "node:os";
import type { BenchRow, ModelBench } from "../test/bench/types.ts";
import { benchNotebookPage, notebookPages, FRAME_BUDGET_MS, SCRIPT_BUDGET_MS, TIMED_MOVES, type ControlBench } from "../test/bench/browser.ts";
import { benchUnusedJs } from "../test/bench/unused-js.ts";
import { machineReference } from "../test/bench/machine.ts";
import { launchBrowser, serveSite } from "../test/browser/harness.ts";

const smoke = process.argv.includes("--smoke");
const modelsOnly = process.argv.includes("--models");
const only = process.argv.flatMap((arg, i, all) => (all[i - 1] === "--only" ? [arg] : []));
const wanted = (name: string) => only.length === 0 || only.some((word) => name.includes(word));
const rows: BenchRow[] = [machineReference(smoke)];

for (const file of readdirSync("test/bench").filter((f) => f.endsWith(".model.ts") && wanted(f)).sort()) {
  const bench = (await import(`../test/bench/${file}`)).default as ModelBench;
  rows.push(...(await bench({ smoke })));
}

const notebooks = modelsOnly ? [] : notebookPages().filter(wanted);
const controls: ControlBench[] = [];
if (notebooks.length > 0) {
  const site = await serveSite();
  const browser = await launchBrowser();
  try {
    for (const notebook of notebooks) {
      const result = await benchNotebookPage(browser, site, notebook, smoke ? 8 : TIMED_MOVES);
      rows.push(...result.rows, ...(await benchUnusedJs(browser, site, notebook)));
      controls.push(...result.controls);
    }
  } finally {
    await browser.close();
    await site.stop();
  }
}

const round = (v: number) => Number(v.toFixed(1));
console.log(`Every control of every notebook page: input → DOM (budget p95 <= ${FRAME_BUDGET_MS} ms: one frame) and script per update (budget p95 <= ${SCRIPT_BUDGET_MS} ms), in ms.`);
console.log("\"unchanged\": moves after which nothing on the page changed within 250 ms (nothing depends on the control there, or the result was equal); their script time still counts.");
console.table(controls.map((c) => ({
  page: c.page, control: c.control, kind: c.kind, moves: c.moves, unchanged: c.unchanged,
  "DOM p50": round(c.domP50), "DOM p95": round(c.domP95), "script p50": round(c.scriptP50), "script p95": round(c.scriptP95), "script p99": round(c.scriptP99),
  ok: c.domP95 <= FRAME_BUDGET_MS && c.scriptP95 <= SCRIPT_BUDGET_MS ? "yes" : "NO",
})));

const table = rows.map((r) => ({ benchmark: r.name, value: Number(r.value.toPrecision(4)), unit: r.unit, budget: r.budget, ok: r.pass ? "yes" : "NO" }));
console.table(table);
mkdirSync("bench", { recursive: true });
writeFileSync("bench/results.json", `${JSON.stringify({ date: new Date().toISOString(), smoke, only, modelsOnly, node: process.version, cpus: cpus().length, rows, controls }, null, 2)}\n`);
const over = rows.filter((r) => !r.pass);
console.log(over.length ? `${over.length} figure(s) over budget: ${over.map((r) => r.name).join("; ")}` : "All figures within budget.");
