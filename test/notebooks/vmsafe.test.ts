import { describe, expect } from "vitest";
import { test, fc } from "@fast-check/vitest";
import { notebook, params } from "../../notebooks/vmsafe/cells.ts";
import { renderStatic } from "../../notebooks/lib/static.ts";
import { expectFiguresComplete } from "./figures.ts";
import { controlValues } from "./url-arbitrary.ts";

const FIGURES = ["offlineFigure", "appliancesFigure", "summitFigure", "cacheFigure"];

function number(html: string, pattern: RegExp): number {
  const match = html.match(pattern);
  if (!match) throw new Error(`no match for ${pattern} in ${html.slice(0, 300)}`);
  return Number(match[1].replace(/,/g, ""));
}

describe("VMsafe notebook, cells run headless", () => {
  test("opens on the source's question and answers it: one appliance needs about 42.7 h for 1,000 XP desktops", async () => {
    const cells = await renderStatic(notebook);
    const headline = cells.get("headline")!.html;
    expect(headline).toMatch(/^No: one appliance needs/);
    // 1000 desktops × 6 GB × 1024 MB / (2 cores × 20 MB/s) / 3600 s = 42.67 h; within 1 %.
    const hours = number(headline, /needs ([\d.]+) hours/);
    expect(Math.abs(hours - 42.67) / 42.67).toBeLessThan(0.01);
    expect(number(headline, /needs (\d+) appliances?\./)).toBe(2);
    expect(cells.get("shareSentence")!.html).toMatch(/2 of the cluster's 128 cores/);
    expectFiguresComplete(cells, FIGURES);
  });

  test("spreading the schedule flattens the summit: the peak CPU in the summary falls", async () => {
    const peak = async (values: Record<string, unknown>) =>
      number((await renderStatic(notebook, values)).get("summitFigure")!.html, /asking for ([\d.,]+) % of the hosts' CPU/);
    const together = await peak({});
    const random8 = await peak({ spreadH: 8 });
    const random16 = await peak({ spreadH: 16 });
    const staggered8 = await peak({ spreadH: 8, scheduleKind: "staggered" });
    expect(together).toBeGreaterThan(500);
    expect(random8).toBeLessThan(together);
    expect(random16).toBeLessThanOrEqual(random8);
    expect(staggered8).toBeLessThan(together);
  });

  test("two appliances fit the day; too few spare IOPS gives a sentence instead of the curve", async () => {
    const two = await renderStatic(notebook, { appliances: 2 });
    expect(two.get("headline")!.html).toMatch(/^Yes: 2 appliances finish/);
    const starved = await renderStatic(notebook, { datastores: 1, datastoreReadIOPS: 100, desktops: 20000, usedGB: 60 });
    expect(starved.get("appliancesFigure")!.svg).toBeUndefined();
    expect(starved.get("appliancesFigure")!.html).toMatch(/datastores' spare read rate is too low/);
    expect(starved.get("headline")!.html).toMatch(/datastores' spare reads are the limit/);
  });

  const { number: anyNumber } = controlValues(params);
  const numbers = Object.fromEntries(Object.entries(params).filter(([, p]) => p.kind === "number").map(([k]) => [k, anyNumber(k as keyof typeof params)]));

  test.prop(
    {
      ...numbers,
      mode: fc.constantFrom("full", "incremental"),
      transport: fc.constantFrom("NBD", "NBDSSL", "HotAdd", "SAN"),
      scheduleKind: fc.constantFrom("random", "staggered"),
      scanSharedOnce: fc.boolean(),
    },
    { numRuns: 60 },
  )("any combination of the controls draws every figure (or says why not) with finite numbers", async (values) => {
    const cells = await renderStatic(notebook, values);
    for (const name of FIGURES) {
      const figure = cells.get(name)!;
      if (name !== "appliancesFigure") expect(figure.svg, `${name} ${JSON.stringify(values)}`).toMatch(/^<svg/);
      expect(figure.html).not.toMatch(/NaN|Infinity|undefined/);
    }
    for (const name of ["headline", "shareSentence", "summitSentence", "cacheSentence"]) expect(cells.get(name)!.html).not.toMatch(/NaN|Infinity|undefined/);
  }, 120_000);
});
