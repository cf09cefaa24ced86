import { describe, expect } from "vitest";
import { test, fc } from "@fast-check/vitest";
import { evc } from "../../../src/index.ts";
import { ModelInputError } from "../../../src/shared/index.ts";
import { hostMakerArb, hostsArb, vendorArb } from "./arbitraries.ts";

const hostAndBaseline = vendorArb.chain((v) => fc.tuple(hostMakerArb(v).map((make) => make("h")), fc.constantFrom(...evc.listBaselines())));

describe("masking (§2 Masking, §8.7)", () => {
  test.prop([hostAndBaseline], { numRuns: 1000 })("never adds a feature: visible ⊆ host, masked ∩ baseline = ∅, visible ∪ masked = host", ([host, b]) => {
    const m = evc.maskHost(host, b.id);
    for (const f of m.guestVisible) expect(host.features.has(f)).toBe(true);
    for (const f of m.masked) expect(b.features.has(f)).toBe(false);
    expect([...m.guestVisible, ...m.masked].sort()).toEqual([...host.features].sort());
    for (const f of m.missing) expect(host.features.has(f) || !b.features.has(f)).toBe(false);
  });

  test.prop([hostAndBaseline], { numRuns: 1000 })("when the host supports the baseline, VMs see exactly the baseline's flags", ([host, b]) => {
    const m = evc.maskHost(host, b.id);
    expect(m.supported).toBe(evc.supports(host, b.id));
    if (m.supported) expect(m.guestVisible).toEqual([...b.featureList].sort());
  });

  test("the X7460 loses SSE4.1 under Merom; the 7350 loses nothing (§6 example)", () => {
    // The 7350's data entry is the Merom baseline with no extra flags, so Merom hides nothing on it.
    expect(evc.getCpu("Intel Xeon X7350").extraFlags).toEqual([]);
    expect(evc.maskedFeatures(evc.hostFromCpu("Intel Xeon X7350"), "intel-merom")).toEqual([]);
    expect(evc.maskedFeatures(evc.hostFromCpu("Intel Xeon X7460"), "intel-merom")).toEqual(["sse4_1"]);
    expect(evc.guestVisibleFeatures(evc.hostFromCpu("Intel Xeon X7460"), "intel-merom")).not.toContain("sse4_1");
  });

  test("a lower baseline masks at least as much as a higher one", () => {
    const host = evc.hostFromCpu("Intel Xeon Gold 6338");
    const chain = evc.listBaselines("intel").filter((b) => evc.supports(host, b.id));
    for (let i = 1; i < chain.length; i++) {
      const lower = evc.maskedFeatures(host, chain[i - 1].id);
      const higher = evc.maskedFeatures(host, chain[i].id);
      expect(higher.every((f) => lower.includes(f))).toBe(true);
    }
  });
});

describe("feature matrix", () => {
  test.prop([vendorArb.chain((v) => fc.tuple(hostsArb(v), fc.constantFrom(...evc.listBaselines(v))))], { numRuns: 1000 })(
    "cells agree with maskHost: masked cells are exactly the masked flags, missing cells the missing ones",
    ([hosts, b]) => {
      const matrix = evc.featureMatrix(hosts, b.id);
      matrix.rows.forEach((row, i) => {
        const m = evc.maskHost(hosts[i], b.id);
        const flagsWith = (state: evc.FeatureCell) => matrix.columns.filter((_, j) => row.cells[j] === state).map((c) => c.flag).sort();
        expect(flagsWith("masked")).toEqual(m.masked);
        expect(flagsWith("missing")).toEqual(m.missing);
        expect(flagsWith("visible")).toEqual(m.guestVisible);
        expect(row.supported).toBe(m.supported);
        expect(row.maskedCount).toBe(m.masked.length);
      });
    },
  );

  test("with EVC off nothing is masked; the source's cluster at Merom has one masked cell, sse4_1 on the X7460 host", () => {
    const hosts = [evc.hostFromCpu("Intel Xeon X7350", { id: "esx01" }), evc.hostFromCpu("Intel Xeon X7460", { id: "esx02" })];
    const off = evc.featureMatrix(hosts, null);
    expect(off.rows.flatMap((r) => r.cells).filter((c) => c === "masked" || c === "missing")).toEqual([]);
    const merom = evc.featureMatrix(hosts, "intel-merom");
    const masked = merom.rows.flatMap((r) => r.cells.flatMap((c, j) => (c === "masked" ? [`${r.hostId}:${merom.columns[j].flag}`] : [])));
    expect(masked).toEqual(["esx02:sse4_1"]);
    // Columns are ordered by the baseline that introduced each flag: SSE4.1 arrives with Penryn.
    expect(merom.columns.find((c) => c.flag === "sse4_1")?.introducedBy).toBe("intel-penryn");
    expect(merom.columns.at(-1)?.flag).toBe("sse4_1");
  });

  test("bad input is a ModelInputError", () => {
    expect(() => evc.featureMatrix([evc.hostFromCpu("Intel Xeon X7350")], "intel-core2")).toThrow(ModelInputError);
    expect(() => evc.maskHost({} as evc.Host, "intel-merom")).toThrow(ModelInputError);
    expect(() => evc.featureMatrix(null as unknown as evc.Host[])).toThrow(ModelInputError);
  });
});
