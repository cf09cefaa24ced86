import { describe, expect } from "vitest";
import { test, fc } from "@fast-check/vitest";
import { vaai } from "../../../src/index.ts";
import { expectModelInputError } from "../expect.ts";

const input = fc.record({
  sizeGB: fc.double({ min: 0.01, max: 4000, noNaN: true }),
  linkMBps: fc.double({ min: 1, max: 10_000, noNaN: true }),
  arrayWriteMBps: fc.double({ min: 1, max: 10_000, noNaN: true }),
  arrayZeroMBps: fc.double({ min: 1, max: 100_000, noNaN: true }),
  writeSameSupported: fc.boolean(),
  blockMB: fc.constantFrom(1, 2, 4, 8),
  perCommandOverheadMs: fc.double({ min: 0, max: 1, noNaN: true }),
  commandBytes: fc.double({ min: 0, max: 4096, noNaN: true }),
  firstWriteGB: fc.double({ min: 0, max: 4000, noNaN: true }),
});

describe("block zeroing: worked example", () => {
  test("100 GB eager-zeroed over 800 MB/s: 102 400 MB / 800 = 128 s and 100 GB through the host without VAAI", () => {
    const r = vaai.blockZeroing({ sizeGB: 100, linkMBps: 800, arrayWriteMBps: 800 });
    expect(r.withoutVaai.eagerCreateS).toBeCloseTo(128, 9);
    expect(r.withoutVaai.eagerHostMB).toBe(102_400);
    expect(r.withoutVaai.firstWritePenaltyMs).toBeCloseTo(1.25, 9);
  });
  test("with WRITE SAME at 4000 MB/s + 0.05 ms per 1 MB command: 25.6 s + 5.12 s, and only command bytes", () => {
    const r = vaai.blockZeroing({ sizeGB: 100, arrayZeroMBps: 4000, perCommandOverheadMs: 0.05, commandBytes: 544, blockMB: 1 });
    expect(r.withVaai.eagerCreateS).toBeCloseTo(25.6 + 5.12, 9);
    expect(r.withVaai.eagerHostMB).toBeCloseTo((102_400 * 544) / 2 ** 20, 9);
    expect(r.withVaai.eagerHostMB / r.withoutVaai.eagerHostMB).toBeLessThan(0.01);
  });
});

describe("block zeroing: properties", () => {
  test.prop([input], { numRuns: 1000 })("finite; without support VAAI changes nothing; offload never sends more host bytes when a command is smaller than a block", (p) => {
    const r = vaai.blockZeroing(p);
    for (const path of [r.withoutVaai, r.withVaai]) for (const v of Object.values(path)) expect(Number.isFinite(v)).toBe(true);
    if (!p.writeSameSupported) expect(r.withVaai).toEqual(r.withoutVaai);
    if (p.commandBytes <= p.blockMB * 2 ** 20) expect(r.withVaai.eagerHostMB).toBeLessThanOrEqual(r.withoutVaai.eagerHostMB * (1 + 1e-12) + 1e-9);
  });
  test.prop([input, fc.double({ min: 1.01, max: 10, noNaN: true })], { numRuns: 1000 })("create time grows with size on both paths", (p, f) => {
    const a = vaai.blockZeroing(p);
    const b = vaai.blockZeroing({ ...p, sizeGB: p.sizeGB * f });
    expect(b.withoutVaai.eagerCreateS).toBeGreaterThan(a.withoutVaai.eagerCreateS);
    expect(b.withVaai.eagerCreateS).toBeGreaterThan(a.withVaai.eagerCreateS);
  });
  test.prop([input], { numRuns: 1000 })("WRITE SAME is never slower when the array zeroes at least as fast as the host path and commands are free", (p0) => {
    const p = { ...p0, writeSameSupported: true, perCommandOverheadMs: 0, arrayZeroMBps: Math.max(p0.arrayZeroMBps, p0.linkMBps, p0.arrayWriteMBps) };
    const r = vaai.blockZeroing(p);
    expect(r.withVaai.eagerCreateS).toBeLessThanOrEqual(r.withoutVaai.eagerCreateS * (1 + 1e-12));
    expect(r.withVaai.firstWritePenaltyMs).toBeLessThanOrEqual(r.withoutVaai.firstWritePenaltyMs * (1 + 1e-12));
  });
  test("invalid fields throw ModelInputError", () => {
    expectModelInputError(() => vaai.blockZeroing({ sizeGB: -1 }), "sizeGB");
    expectModelInputError(() => vaai.blockZeroing({ blockMB: 0 }), "blockMB");
    expectModelInputError(() => vaai.blockZeroing({ writeSameSupported: 1 as unknown as boolean }), "writeSameSupported");
  });
});
