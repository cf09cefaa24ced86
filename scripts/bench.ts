/**
 * `npm run bench`: model benchmarks (test/bench/*.model.ts) and, for every notebook page of the
 * built site, the slider-to-paint latency and JS bytes in Chromium. Prints a table and writes
 * bench/results.json. `--smoke` runs fewer repetitions (CI). Exits non-zero only when a
 * benchmark cannot run; budgets are reported, since timings on shared machines are noisy.
 * Run by Node itself (its TypeScript type stripping), not through a transpiler: tsx's esbuild
 * adds a __name() wrapper to every function, which would slow the models it measures.
 */
import { existsSync, mkdirSync, readdirSync, writeFileSync } from "node:fs";
import { cpus } from "node:os";
import type { BenchRow, ModelBench } from "../test/bench/types.ts";
import { benchNotebookPage } from "../test/bench/browser.ts";
import { launchBrowser, serveSite } from "../test/browser/harness.ts";

const smoke = process.argv.includes("--smoke");
const rows: BenchRow[] = [];

for (const file of readdirSync("test/bench").filter((f) => f.endsWith(".model.ts")).sort()) {
  const bench = (await import(`../test/bench/${file}`)).default as ModelBench;
  rows.push(...(await bench({ smoke })));
}

const notebooks = readdirSync("notebooks", { withFileTypes: true })
  .filter((d) => d.isDirectory() && existsSync(`notebooks/${d.name}/index.mdx`))
  .map((d) => d.name)
  .sort();
const site = await serveSite();
const browser = await launchBrowser();
try {
  for (const notebook of notebooks) rows.push(...(await benchNotebookPage(browser, site, notebook, smoke ? 40 : 200)));
} finally {
  await browser.close();
  await site.stop();
}

const table = rows.map((r) => ({ benchmark: r.name, value: Number(r.value.toPrecision(4)), unit: r.unit, budget: r.budget, ok: r.pass ? "yes" : "NO" }));
console.table(table);
mkdirSync("bench", { recursive: true });
writeFileSync("bench/results.json", `${JSON.stringify({ date: new Date().toISOString(), smoke, node: process.version, cpus: cpus().length, rows }, null, 2)}\n`);
const over = rows.filter((r) => !r.pass);
console.log(over.length ? `${over.length} figure(s) over budget: ${over.map((r) => r.name).join("; ")}` : "All figures within budget.");
