import { describe, expect } from "vitest";
import { test, fc } from "@fast-check/vitest";
import { notebook, params } from "../../notebooks/vaai/cells.ts";
import { pointsWorthDrawing } from "../../notebooks/vaai/thinCells.ts";
import * as vaai from "../../src/vaai/index.ts";
import { renderStatic } from "../../notebooks/lib/static.ts";
import { expectFiguresComplete, expectFiguresDrawn } from "./figures.ts";
import { controlValues } from "./url-arbitrary.ts";

const FIGURES = ["copyTimeFigure", "copyCostFigure", "lockTimelineFigure", "stormSweepFigure", "zeroingFigure", "poolFigure", "vmStateFigure"];

function number(html: string, pattern: RegExp): number {
  const match = html.match(pattern);
  if (!match) throw new Error(`no match for ${pattern} in ${html.slice(0, 300)}`);
  return Number(match[1].replace(/,/g, ""));
}

describe("VAAI notebook, cells run headless", { timeout: 30_000 }, () => {
  test("opens on the EMC example: about 141 s without VAAI, 27 s with, ≥ 99 % less host traffic, about 50 % less CPU", async () => {
    const cells = await renderStatic(notebook);
    const headline = cells.get("copyHeadline")!.html;
    // Source figures (2010 blog citing EMC): 141 s → 27 s, 99 % less host I/O, ~50 % less CPU. Tolerance ±5 % on times.
    const without = number(headline, /copy takes ([\d.]+) s;/);
    const withVaai = number(headline, /with VAAI ([\d.]+) s,/);
    expect(Math.abs(without - 141) / 141).toBeLessThanOrEqual(0.05);
    expect(Math.abs(withVaai - 27) / 27).toBeLessThanOrEqual(0.05);
    expect(number(headline, /with ([\d.]+) % less traffic/)).toBeGreaterThanOrEqual(99);
    const cpu = number(headline, /and ([\d.]+) % less host CPU/);
    expect(cpu).toBeGreaterThanOrEqual(45);
    expect(cpu).toBeLessThanOrEqual(55);
    expectFiguresComplete(cells, FIGURES);
  });

  test("an array that refuses the offload: VAAI falls back to FS3DM and both copies take as long", async () => {
    const cells = await renderStatic(notebook, { copyCase: "refused" });
    const headline = cells.get("copyHeadline")!.html;
    expect(headline).toMatch(/falls back to the FS3DM software datamover/);
    expect(cells.get("copyCommands")!.html).toMatch(/No XCOPY command/);
    const differ = await renderStatic(notebook, { copyCase: "blocksize" });
    expect(differ.get("copyHeadline")!.html).toMatch(/FSDM/);
  });

  test("the boot storm: ATS finishes first and stalls no data I/O; more VMs make the reservation storm longer", async () => {
    const small = (await renderStatic(notebook)).get("stormHeadline")!.html;
    const scsi = number(small, /storm takes ([\d.]+) s, the LUN/);
    const ats = number(small, /With ATS it takes ([\d.]+) s/);
    expect(ats).toBeLessThan(scsi);
    expect(small).toMatch(/no data I\/O waits/);
    const density = (await renderStatic(notebook)).get("densityHeadline")!.html;
    // Spec §3: 64 VMs × 6/min × 20 ms = 12.8 % reserved; 0.3 / (0.1/s × 0.02 s) = 150 VMs with reservations.
    expect(density).toMatch(/reserved 12\.8 % of the time/);
    expect(number(density, /allows at most ([\d,]+) VMs per datastore with reservations/)).toBe(150);
    expect(number(density, /and at most ([\d,]+) VMs with ATS/)).toBeGreaterThan(150);
    const big = (await renderStatic(notebook, { lockVms: 128 })).get("stormHeadline")!.html;
    expect(number(big, /storm takes ([\d.]+) s, the LUN/)).toBeGreaterThan(scsi);
  });

  test("the storm controls at their largest (64 hosts, 1000 VMs, thin growth, 100 ms reservations) draw every locking figure", async () => {
    // The sweep once asked the model for steps longer than it allows here and showed an error instead.
    const cells = await renderStatic(notebook, { lockHosts: 64, lockVms: 1000, workload: "thin-growth", reservationHoldMs: 100, atsMs: 20 });
    for (const name of ["lockTimelineFigure", "stormSweepFigure"]) {
      expect(cells.get(name)!.svg, name).toMatch(/^<svg/);
      expect(cells.get(name)!.html, name).not.toMatch(/cannot be computed|outside what the model covers|NaN|undefined/);
    }
    // 1000 VMs × 32 updates, one 100 ms reservation each, end to end: 3,200 s = 53.3 min.
    expect(cells.get("stormSweepFigure")!.html).toMatch(/At 1,000 VMs the storm takes 53\.3 min with reservations/);
  });

  test("thin pool: without the API the VMs crash at the full moment, with it they are stunned later and resume", async () => {
    const cells = await renderStatic(notebook);
    const headline = cells.get("thinHeadline")!.html;
    expect(headline).toMatch(/get write errors and crash/);
    expect(headline).toMatch(/stunned \(paused\)/);
    expect(cells.get("vmStateFigure")!.html).toMatch(/none crash/);
    const quick = await renderStatic(notebook, { adminResponseH: 0, addTB: 20 });
    expect(quick.get("thinHeadline")!.html).toMatch(/no VM is ever stopped/);
  });

  test("an input outside the model's range gives a sentence, not a chart", async () => {
    const cells = await renderStatic(notebook, { copySizeGB: 0 });
    const figure = cells.get("copyTimeFigure")!;
    expect(figure.svg).toBeUndefined();
    expect(figure.html).toMatch(/cannot be computed: sizeGB = 0 is not allowed/);
  });

  test.prop(
    {
      poolGB: fc.integer({ min: 1024, max: 20_480 }), usedPct: fc.integer({ min: 0, max: 99 }), vms: fc.integer({ min: 1, max: 300 }),
      overwritePct: fc.integer({ min: 0, max: 100 }), growth: fc.double({ min: 0, max: 5, noNaN: true }), soft: fc.integer({ min: 50, max: 100 }),
      adminResponseH: fc.integer({ min: 0, max: 168 }), addGB: fc.integer({ min: 0, max: 20_480 }),
    },
    { numRuns: 1000 },
  )("thin charts drawn through the kept points only: every simulated point lies on the lines drawn", (s) => {
    const input = {
      poolGB: s.poolGB, initialUsedGB: (s.usedPct / 100) * s.poolGB, vms: s.vms, overwriteOnlyVms: Math.round((s.overwritePct / 100) * s.vms),
      growthGBPerHourPerVm: s.growth, softThresholdPct: s.soft, adminResponseH: s.adminResponseH, addGB: s.addGB,
    };
    const withApi = vaai.simulateThin({ ...input, vaaiTP: true });
    const without = vaai.simulateThin({ ...input, vaaiTP: false });
    const lines = [withApi.series.map((p) => p.usedGB), without.series.map((p) => p.usedGB), withApi.series.map((p) => p.capacityGB), withApi.series.map((p) => p.stunned), without.series.map((p) => p.crashed)];
    const kept = pointsWorthDrawing(lines);
    expect(kept[0]).toBe(0);
    expect(kept[kept.length - 1]).toBe(withApi.series.length - 1);
    // The points left out, each as far off the line drawn between its kept neighbours as it is.
    const offLine: Array<{ i: number; off: number }> = [];
    for (const line of lines) {
      for (let k = 1; k < kept.length; k++) {
        const [a, b] = [kept[k - 1], kept[k]];
        for (let i = a + 1; i < b; i++) {
          const drawn = line[a] + ((line[b] - line[a]) * (i - a)) / (b - a);
          const off = Math.abs(drawn - line[i]);
          if (off > 1e-6 * Math.max(1, Math.abs(line[i]))) offLine.push({ i, off });
        }
      }
    }
    expect(offLine).toEqual([]);
  }, 60_000);

  const { number: anyNumber, option: choice } = controlValues(params);

  test.prop(
    {
      copySizeGB: anyNumber("copySizeGB"), link: choice("link"), datamoverMBps: anyNumber("datamoverMBps"), arrayCopyMBps: anyNumber("arrayCopyMBps"),
      segmentMB: anyNumber("segmentMB"), copyCase: choice("copyCase"), refusedPct: anyNumber("refusedPct"),
      lockHosts: anyNumber("lockHosts"), lockVms: fc.integer({ min: 1, max: 200 }), workload: choice("workload"),
      reservationHoldMs: anyNumber("reservationHoldMs"), atsMs: anyNumber("atsMs"), steadyOpsPerMin: anyNumber("steadyOpsPerMin"),
      zeroSizeGB: anyNumber("zeroSizeGB"), zeroWriteMBps: anyNumber("zeroWriteMBps"), arrayZeroMBps: anyNumber("arrayZeroMBps"),
      writeSame: fc.boolean(), firstWriteGB: anyNumber("firstWriteGB"),
      poolTB: anyNumber("poolTB"), usedPct: anyNumber("usedPct"), thinVms: anyNumber("thinVms"), overwritePct: anyNumber("overwritePct"),
      growthGBPerHour: anyNumber("growthGBPerHour"), softThresholdPct: anyNumber("softThresholdPct"), adminResponseH: anyNumber("adminResponseH"), addTB: anyNumber("addTB"),
    },
    { numRuns: 25 },
  )("any combination of the controls draws every figure with finite numbers", async (values) => {
    const cells = await renderStatic(notebook, values);
    expectFiguresDrawn(cells, FIGURES, JSON.stringify(values));
    for (const name of ["copyHeadline", "stormHeadline", "densityHeadline", "zeroingHeadline", "thinHeadline", "closingCopy", "closingDensity"]) {
      expect(cells.get(name)!.html, name).not.toMatch(/NaN|Infinity|undefined/);
    }
  }, 120_000);
});
