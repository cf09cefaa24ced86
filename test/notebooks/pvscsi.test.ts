import { describe, expect } from "vitest";
import { test, fc } from "@fast-check/vitest";
import { notebook, params } from "../../notebooks/pvscsi/cells.ts";
import { renderStatic } from "../../notebooks/lib/static.ts";
import { expectFiguresComplete } from "./figures.ts";
import { pvscsi } from "../../src/index.ts";
import { controlValues } from "./url-arbitrary.ts";

const FIGURES = ["heatmapFigure", "timelineFigure"];

describe("PVSCSI notebook, cells run headless", { timeout: 30_000 }, () => {
  test("opens on 1,000 IOPS at 8 OIO on ESX 4.0: inside the published zone, LSI Logic recommended, the model agreeing", async () => {
    const cells = await renderStatic(notebook);
    const expected = pvscsi.recommend({ iops: 1000, oio: 8, release: "4.0" });
    expect(expected.adapter).toBe("lsi");
    expect(cells.get("verdict")!.html).toMatch(/^LSI Logic: [\d.]+ ms \([\d.]+ %\) lower latency per I\/O on ESX 4\.0\. PVSCSI holds completions back until 2 can share one interrupt/);
    expect(cells.get("published")!.html).toMatch(/picks LSI Logic for this workload\. The model agrees\./);
    expect(cells.get("numbers")!.html).toMatch(/LSI Logic: 8 ms per I\/O and 60 µs of CPU/);
    expectFiguresComplete(cells, FIGURES);
    const heat = cells.get("heatmapFigure")!;
    expect(heat.svg).toContain("hm-contour");
    expect(heat.svg).toContain("hm-marker");
    expect(heat.svg).toContain("KB 1017652 zone");
    expect(heat.html).toMatch(/Your VM \(1,000 IOPS, 8 outstanding I\/Os\): LSI Logic is faster/);
    // The sampled table: 8 queue depths, 7 rates, as its caption says.
    expect(heat.html).toMatch(/a sample of the map's 100 × 64 workloads: 8 queue depths × 7 rates/);
    expect(heat.html.match(/<tr>/g)!.length).toBe(9);
    expect(cells.get("timelineFigure")!.html).toMatch(/8 interrupts\. With 2 completions per interrupt: 4 interrupts, and a completion waits [\d.]+ ms on average before the guest hears of it\. The chart shows one batch; the next follows 2 ms later\./);
    expect(cells.get("bootVerdict")!.html).toMatch(/^No: keep the boot disk on LSI Logic\. In ESX 4\.0/);
    // The published boundary beside the model's own line, both in the page's words.
    const v40 = pvscsi.crossoverMap({ release: "4.0" });
    const xs = v40.crossoverIops.filter((x): x is number => x !== null);
    expect(Math.min(...xs)).toBeGreaterThan(1700);
    expect(Math.max(...xs)).toBeLessThan(2300);
    expect(cells.get("modelLine")!.html).toMatch(/^between about 1,[89]\d0 and 2,[01]\d0 IOPS for 5 to 64 outstanding I\/Os$/);
    expect(cells.get("holdAssumption")!.html).toBe(`${pvscsi.HOLD_GAPS} of the mean gap between completions (24.5 µs at 2,000 IOPS, 245 µs at 200 IOPS)`);
    const at2000 = pvscsi.compareObserved({ iops: 2000, oio: 8, release: "4.0" });
    expect(cells.get("balanceAt2000")!.html).toMatch(/^At 2,000 IOPS with 8 outstanding I\/Os on ESX 4\.0 the hold adds [\d.]+ ms per I\/O on average and PVSCSI's shorter CPU path saves [\d.]+ ms/);
    expect(at2000.deltaLatencyMs).toBeLessThan(0); // 8 OIO's line lies a little below 2,000 IOPS
  });

  test("on vSphere 4.1 the same workload goes to PVSCSI, and the published rule agrees", async () => {
    const cells = await renderStatic(notebook, { release: "4.1+" });
    expect(cells.get("verdict")!.html).toMatch(/^PVSCSI: .*From vSphere 4\.1 PVSCSI does not coalesce interrupts below 2,000 IOPS/);
    expect(cells.get("published")!.html).toMatch(/resolved.*The model agrees/);
    expect(cells.get("heatmapFigure")!.svg).toContain("KB zone (ESX 4.0 only)");
  });

  test("on ESX 4.0 just above 2,000 IOPS at 64 OIO the model's line differs from the published one, and the page says so", async () => {
    const cells = await renderStatic(notebook, { iops: 2050, oio: 64 });
    const r = pvscsi.recommend({ iops: 2050, oio: 64, release: "4.0" });
    expect(r.published).toBe("pvscsi");
    expect(r.agreesWithPublished).toBe(false);
    expect(cells.get("published")!.html).toMatch(/picks PVSCSI here.*The model says LSI Logic by .*calibrated to the published 2,000 IOPS/);
  });

  test("well above the line, 5,000 IOPS at 16 OIO, model and published rule both pick PVSCSI", async () => {
    const cells = await renderStatic(notebook, { iops: 5000, oio: 16 });
    expect(cells.get("verdict")!.html).toMatch(/^PVSCSI: /);
    expect(cells.get("published")!.html).toMatch(/picks PVSCSI here.*The model agrees\./);
  });

  test("at 4 outstanding I/Os nothing is coalesced: PVSCSI wins on CPU alone, and the timeline says so", async () => {
    const cells = await renderStatic(notebook, { oio: 4 });
    expect(cells.get("verdict")!.html).toMatch(/^PVSCSI: .*With 4 outstanding I\/Os \(not more than 4\) PVSCSI does not coalesce/);
    expect(cells.get("timelineFigure")!.html).toMatch(/PVSCSI does not coalesce for this workload/);
  });

  test("a workload LSI Logic cannot reach gives a sentence, not a chart; the map still draws", async () => {
    const cells = await renderStatic(notebook, { iops: 20_000, oio: 1 });
    expect(cells.get("verdict")!.html).toMatch(/^LSI Logic cannot deliver 20,000 IOPS with 1 outstanding I\/O in this model/);
    expect(cells.get("timelineFigure")!.svg).toBeUndefined();
    expect(cells.get("timelineFigure")!.html).toMatch(/LSI Logic cannot deliver/);
    expect(cells.get("heatmapFigure")!.svg).toMatch(/^<svg/);
    expect(cells.get("heatmapFigure")!.html).toMatch(/off the model/);
  });

  test("a PVSCSI CPU cost above LSI Logic's is refused in words on every figure", async () => {
    const cells = await renderStatic(notebook, { cEmulUs: 40, cParaUs: 60 });
    for (const name of FIGURES) {
      expect(cells.get(name)!.svg, name).toBeUndefined();
      expect(cells.get(name)!.html, name).toMatch(/must stay below LSI Logic's emulated path/);
    }
  });

  test("the boot decision: Windows 2008 on 4.0 U1, new install → floppy route with its steps", async () => {
    const cells = await renderStatic(notebook, { bootRelease: "4.0u1" });
    expect(cells.get("bootVerdict")!.html).toMatch(/^Yes, the boot disk can be on PVSCSI/);
    expect(cells.get("bootSteps")!.html).toMatch(/load the driver from the floppy image.*<ol><li>/);
    const existing = await renderStatic(notebook, { bootRelease: "4.1+", situation: "existing-vm" });
    expect(existing.get("bootSteps")!.html).toMatch(/install on LSI Logic, then switch after VMware Tools/);
  });

  const { number: anyNumber, option: anyOption } = controlValues(params);

  test.prop(
    {
      iops: anyNumber("iops"), oio: anyNumber("oio"), release: anyOption("release"), ioSizeKiB: anyOption("ioSizeKiB"),
      cEmulUs: anyNumber("cEmulUs"), cParaUs: anyNumber("cParaUs"), irqCostUs: anyNumber("irqCostUs"),
      guestOs: anyOption("guestOs"), bootRelease: anyOption("bootRelease"), situation: anyOption("situation"),
    },
    { numRuns: 60 },
  )("any combination of the controls gives a figure or a sentence, never NaN or undefined", async (values) => {
    const cells = await renderStatic(notebook, values as never);
    for (const [name, c] of cells) {
      expect(c.html, `${name} ${JSON.stringify(values)}`).not.toMatch(/NaN|Infinity|undefined/);
      if (c.kind === "figure") expect(c.svg !== undefined || /figure-message/.test(c.html)).toBe(true);
    }
  }, 120_000);
});
