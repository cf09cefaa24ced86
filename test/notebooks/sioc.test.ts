import { describe, expect } from "vitest";
import { test, fc } from "@fast-check/vitest";
import { notebook, params } from "../../notebooks/sioc/cells.ts";
import { renderStatic } from "../../notebooks/lib/static.ts";
import { expectFiguresComplete, expectFiguresDrawn } from "./figures.ts";
import { controlValues } from "./url-arbitrary.ts";

const FIGURES = ["queueFigure", "windowFigure", "latencyFigure", "vmFigure"];

function number(html: string, pattern: RegExp): number {
  const match = html.match(pattern);
  if (!match) throw new Error(`no match for ${pattern} in ${html.slice(0, 300)}`);
  return Number(match[1]);
}

describe("SIOC notebook, cells run headless", () => {
  test("opens on the 24 → 12 example: host A keeps its 24 slots, host B is driven to about half", async () => {
    const cells = await renderStatic(notebook);
    const headline = cells.get("headline")!.html;
    expect(headline).toMatch(/Without SIOC the hosts fill Host A 24, Host B 24/);
    const a = number(headline, /settle at Host A ([\d.]+)/);
    const b = number(headline, /Host B ([\d.]+) slots and/);
    // The overview's example: B ends near half of A (12 of 24). Tolerance: ±15 % of the ratio.
    expect(b / a).toBeGreaterThan(0.5 * 0.85);
    expect(b / a).toBeLessThan(0.5 * 1.15);
    expectFiguresComplete(cells, FIGURES);
  });

  test("NFS on vSphere 4.1 is refused with the reason, on every figure", async () => {
    const cells = await renderStatic(notebook, { storage: "nfs", version: "4.1" });
    for (const name of FIGURES) {
      expect(cells.get(name)!.svg, name).toBeUndefined();
      expect(cells.get(name)!.html, name).toMatch(/NFS/);
    }
    expect(cells.get("supportSentence")!.html).toMatch(/^Not supported/);
  });

  test("NFS from vSphere 5.0 is drawn", async () => {
    const cells = await renderStatic(notebook, { storage: "nfs", version: "5.0" });
    expect(cells.get("queueFigure")!.svg).toMatch(/^<svg/);
    expect(cells.get("supportSentence")!.html).toMatch(/^Supported/);
  });

  test("with SIOC off the headline reports the unthrottled queues", async () => {
    const cells = await renderStatic(notebook, { enabled: false });
    expect(cells.get("headline")!.html).toMatch(/^SIOC is off/);
  });

  test("the SIOC toggle changes every figure: the state it selects is drawn in full, the other faded, and the summary leads with it", async () => {
    const on = await renderStatic(notebook);
    const off = await renderStatic(notebook, { enabled: false });
    for (const name of FIGURES) {
      expect(off.get(name)!.svg, name).not.toBe(on.get(name)!.svg);
      expect(off.get(name)!.html, name).not.toBe(on.get(name)!.html);
      // (With SIOC on, the off windows would be flat lines on the DQLEN rule: not drawn.)
      if (name !== "windowFigure") expect(on.get(name)!.svg, name).toMatch(/faded/);
      expect(off.get(name)!.svg, name).toMatch(/faded/);
      expect(off.get(name)!.title, name).toMatch(/SIOC off/);
    }
    const summary = (cells: typeof on, name: string) => cells.get(name)!.html.match(/<p class="figure-summary"[^>]*>([^<]*)</)![1];
    for (const name of ["queueFigure", "latencyFigure", "vmFigure"]) {
      expect(summary(on, name), name).toMatch(/^(SIOC on|With SIOC on)/);
      expect(summary(off, name), name).toMatch(/^(SIOC off|With SIOC off)/);
    }
    // With SIOC off nothing throttles: the window chart says every host keeps its full queue.
    expect(summary(off, "windowFigure")).toMatch(/every window stays at the full queue of 24/);
  });

  test("a threshold set by hand below 10 ms is refused in 4.1 and 5.0 with the release's range, and drawn from 5.1", async () => {
    for (const version of ["4.1", "5.0"]) {
      const cells = await renderStatic(notebook, { version, thresholdMs: 5 });
      expect(cells.get("thresholdSentence")!.html).toMatch(new RegExp(`In vSphere ${version.replace(".", "\\.")} a threshold set by hand may be 10–100 ms`));
      for (const name of FIGURES) expect(cells.get(name)!.svg, name).toBeUndefined();
    }
    const ok = await renderStatic(notebook, { version: "4.1", thresholdMs: 10 });
    expect(ok.get("latencyFigure")!.svg).toMatch(/^<svg/);
    const later = await renderStatic(notebook, { version: "5.1+", thresholdMs: 5 });
    expect(later.get("latencyFigure")!.svg).toMatch(/^<svg/);
  });

  test("the automatic threshold is refused before 5.1 and computed from the array from 5.1", async () => {
    const before = await renderStatic(notebook, { thresholdMode: "automatic", version: "5.0" });
    expect(before.get("latencyFigure")!.html).toMatch(/arrived in vSphere 5\.1/);
    const after = await renderStatic(notebook, { thresholdMode: "automatic", version: "5.1+", peakPercent: 90 });
    const ms = number(after.get("thresholdSentence")!.html, /latency is ([\d.]+) ms/);
    // Closed form for this array (spec §3.4): N* solves N/(L0·C/1000 + N) = p·Xpeak/C.
    const C = 1200, L0 = 2, Nmax = 2 * 24;
    const xPeak = (1000 * Nmax) / (L0 + (1000 * Nmax) / C);
    const ratio = (0.9 * xPeak) / C;
    const nStar = (ratio * L0 * C) / 1000 / (1 - ratio);
    expect(ms).toBeCloseTo(L0 + (1000 * nStar) / C, 1);
  });

  test("when A1 goes idle host B's window grows and A's shrinks (PARDA Figs. 12–13, qualitatively)", async () => {
    const busy = (await renderStatic(notebook)).get("headline")!.html;
    const idle = (await renderStatic(notebook, { idleA1: true })).get("headline")!.html;
    const b = (html: string) => number(html, /Host B ([\d.]+) slots and/);
    const a = (html: string) => number(html, /settle at Host A ([\d.]+)/);
    expect(b(idle)).toBeGreaterThan(b(busy));
    expect(a(idle)).toBeLessThan(a(busy));
  });

  const { number: anyNumber } = controlValues(params);

  test.prop(
    {
      hosts: anyNumber("hosts"), vmsA: anyNumber("vmsA"), vmsOther: anyNumber("vmsOther"),
      sharesA: fc.constantFrom("low", "normal", "high", "custom"), sharesOther: fc.constantFrom("low", "normal", "high", "custom"),
      customShares: anyNumber("customShares"), demandOio: anyNumber("demandOio"), thresholdMs: anyNumber("thresholdMs"),
      thresholdMode: fc.constantFrom("manual", "automatic"), peakPercent: anyNumber("peakPercent"), version: fc.constant("5.1+"),
      deviceQueueDepth: anyNumber("deviceQueueDepth"), maxIops: anyNumber("maxIops"), baseLatencyMs: anyNumber("baseLatencyMs"),
      enabled: fc.boolean(),
    },
    { numRuns: 100 },
  )("any combination of the controls draws every figure with finite numbers", async (values) => {
    const cells = await renderStatic(notebook, values);
    expectFiguresDrawn(cells, FIGURES, JSON.stringify(values));
  }, 60_000);
});
