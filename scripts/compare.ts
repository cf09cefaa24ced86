/**
 * `npx node scripts/compare.ts <reference checkout> analyze [pairs]`
 * `npx node scripts/compare.ts <reference checkout> page <page> <control> [rounds]`
 *
 * This checkout against another one on the same machine, for judging a budget on a machine other
 * than the one it was measured on. The README's table was measured at one commit on one machine;
 * machines of this kind differ by two to three times, and their speed changes from minute to minute,
 * so a figure from another machine cannot be set against the budget, and `npm run bench`'s machine
 * reference row (a sort) did not track this project's code between machines. Measured alternately
 * with a worktree of that commit (`git worktree add ../reference <commit>`, its node_modules linked
 * or installed, and for `page` its site built), load changes hit both alike, and the ratio carries
 * over: the figure there times this ratio estimates this checkout on that machine.
 *
 * analyze: snapshots.analyze() of the bench folder (test/bench/snapshots-run.ts of each checkout)
 * in fresh Node processes, this checkout and the reference in turn (each first every other time),
 * `pairs` times (default 20).
 * page: both built sites served at once; rounds of 8 moves of one control (a full cycle of the
 * values test/bench/browser.ts moves it through), this site and the reference in turn, `rounds`
 * times (default 25); script time per update as the bench measures it.
 * Prints each side's figures and the ratio this ÷ reference (below 1: this checkout is faster).
 */
import { execFileSync } from "node:child_process";
import { resolve } from "node:path";
import type { RunResult } from "../test/bench/snapshots-run.ts";
import { benchControl, QUIET_MOVES, WARM_UP_MOVES } from "../test/bench/browser.ts";
import { median, percentile } from "../test/bench/types.ts";
import { launchBrowser, serveSite, waitForLive } from "../test/browser/harness.ts";

const [referenceArg, mode, ...rest] = process.argv.slice(2);
const usage = "Usage: npx node scripts/compare.ts <reference checkout> analyze [pairs] | page <page> <control> [rounds]";
if (!referenceArg || (mode !== "analyze" && mode !== "page")) throw new Error(usage);
const sides = [{ name: "this", root: process.cwd() }, { name: "reference", root: resolve(referenceArg) }];

/** Which side goes first in pair or round i: each in turn, so neither always runs after the other. */
const inTurn = (i: number) => (i % 2 === 0 ? [0, 1] : [1, 0]);

const ratioLine = (what: string, mine: number, theirs: number) => `${what}: this ${mine.toFixed(2)}, reference ${theirs.toFixed(2)}, ratio ${(mine / theirs).toFixed(3)}`;

if (mode === "analyze") {
  const pairs = Number(rest[0] ?? 20);
  // Each process's median of 30 runs after 10 warm-up runs, as the bench takes it.
  const medians = sides.map(() => ({ wall: [] as number[], cpu: [] as number[] }));
  for (let i = 0; i < pairs; i++) {
    for (const s of inTurn(i)) {
      const out = execFileSync(process.execPath, ["test/bench/snapshots-run.ts", "analyze", "200", "10", "30"], { cwd: sides[s].root, encoding: "utf8", maxBuffer: 1 << 20 });
      const run = JSON.parse(out) as RunResult;
      medians[s].wall.push(median(run.wallMs));
      medians[s].cpu.push(median(run.cpuMs));
    }
  }
  const pairwise = medians[0].wall.map((t, i) => t / medians[1].wall[i]);
  console.log(`snapshots analyze(), ${pairs} fresh processes each, alternating; median over processes of each process's median run (ms):`);
  console.log(ratioLine("wall-clock", median(medians[0].wall), median(medians[1].wall)));
  console.log(ratioLine("CPU time", median(medians[0].cpu), median(medians[1].cpu)));
  console.log(`pairwise wall-clock ratios: median ${median(pairwise).toFixed(3)}, from ${Math.min(...pairwise).toFixed(2)} to ${Math.max(...pairwise).toFixed(2)}`);
  console.log("A time ratio r turns the reference's MB/s into about (its MB/s) / r for this checkout.");
} else {
  const [pageName, control, roundsArg] = rest;
  if (!pageName || !control) throw new Error(usage);
  const rounds = Number(roundsArg ?? 25);
  const sites = await Promise.all(sides.map((side, s) => serveSite(4900 + s, side.root)));
  const browser = await launchBrowser();
  try {
    const pages = [];
    for (const site of sites) {
      const page = await browser.newPage();
      await page.addInitScript(() => {
        window.__explorablesBench = { cellTimes: [] };
      });
      await page.goto(`${site.origin}${site.base}${pageName}/`);
      await waitForLive(page);
      pages.push(page);
    }
    const samples = sides.map(() => [] as number[]);
    for (let r = 0; r < rounds; r++) {
      for (const s of inTurn(r)) {
        const result = await pages[s].evaluate(benchControl, { key: control, count: 8, warmUp: r === 0 ? WARM_UP_MOVES : 0, quietLimit: QUIET_MOVES });
        samples[s].push(...result.samples.map((sample) => sample.scriptMs));
      }
    }
    console.log(`${pageName} ${control}: script time per update (ms), ${rounds} rounds of 8 moves on each site, alternating:`);
    for (const p of [50, 75, 95]) console.log(ratioLine(`p${p}`, percentile(samples[0], p), percentile(samples[1], p)));
    const mean = (values: number[]) => values.reduce((a, b) => a + b, 0) / values.length;
    console.log(ratioLine("mean", mean(samples[0]), mean(samples[1])));
  } finally {
    await browser.close();
    for (const site of sites) await site.stop();
  }
}
