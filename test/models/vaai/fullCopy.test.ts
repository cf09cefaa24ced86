import { describe, expect } from "vitest";
import { test, fc } from "@fast-check/vitest";
import { vaai } from "../../../src/index.ts";
import { expectModelInputError } from "../expect.ts";

const rate = (max = 10_000) => fc.double({ min: 1, max, noNaN: true });
/** Any valid full-copy input (every field present). */
const anyInput = fc.record({
  sizeGB: fc.double({ min: 0.01, max: 4000, noNaN: true }),
  linkMBps: rate(),
  fullDuplex: fc.boolean(),
  hostDatamoverMBps: rate(),
  arrayReadMBps: rate(),
  arrayWriteMBps: rate(),
  arrayCopyMBps: rate(),
  segmentMB: fc.double({ min: 1, max: 16, noNaN: true }),
  offloadSupported: fc.boolean(),
  eligible: fc.boolean(),
  sameBlockSize: fc.boolean(),
  offloadFailFraction: fc.double({ min: 0, max: 1, noNaN: true }),
  concurrentCopies: fc.integer({ min: 1, max: 32 }),
  perCommandOverheadMs: fc.double({ min: 0, max: 5, noNaN: true }),
  descriptorBytes: fc.double({ min: 0, max: 512, noNaN: true }),
  fsdmRateFraction: fc.double({ min: 0.01, max: 1, noNaN: true }),
  cpuMsPerMBCopied: fc.double({ min: 0, max: 10, noNaN: true }),
  cpuMsPerMBAllocated: fc.double({ min: 0, max: 10, noNaN: true }),
  cpuMsPerCommand: fc.double({ min: 0, max: 1, noNaN: true }),
});
const offloading = anyInput.map((p) => ({ ...p, offloadSupported: true, eligible: true, sameBlockSize: true }));
const finiteNumbers = (value: unknown): boolean =>
  typeof value === "number" ? Number.isFinite(value) : typeof value === "object" && value !== null ? Object.values(value).every(finiteNumbers) : true;
const relClose = (a: number, b: number, tol: number) => Math.abs(a - b) <= tol * Math.max(Math.abs(a), Math.abs(b), 1e-300);

describe("full copy: the source's quoted figures from the documented defaults", () => {
  // Source: a 2010 blog citing EMC lab tests, Storage vMotion 141 s without VAAI, 27 s with it;
  // 99 % less I/O through the host and ~50 % less host CPU. Tolerance: ±5 % on each time.
  const r = vaai.fullCopy();
  test("141 s without VAAI, within 5 %", () => {
    expect(Math.abs(r.withoutVaai.timeS - 141) / 141).toBeLessThanOrEqual(0.05);
  });
  test("27 s with VAAI, within 5 %; a speedup of about 5× (141/27 = 5.2, within 10 %)", () => {
    expect(Math.abs(r.withVaai.timeS - 27) / 27).toBeLessThanOrEqual(0.05);
    expect(Math.abs(r.speedup - 141 / 27) / (141 / 27)).toBeLessThanOrEqual(0.1);
    expect(r.mode).toBe("offload");
  });
  test("at least 99 % less traffic through the host", () => {
    expect(r.hostTrafficReduction).toBeGreaterThanOrEqual(0.99);
    expect(r.withVaai.hostPayloadMB).toBe(0);
  });
  test("about 50 % less host CPU (45–55 %)", () => {
    expect(r.hostCpuReduction).toBeGreaterThanOrEqual(0.45);
    expect(r.hostCpuReduction).toBeLessThanOrEqual(0.55);
  });
  test("the defaults are the documented ones: 4 MB segments (MaxHWTransferSize 4096 KB), 8 Gb FC", () => {
    expect(vaai.FULL_COPY_DEFAULTS.segmentMB).toBe(4);
    expect(r.withVaai.xcopyCommands).toBe((40 * 1024) / 4);
  });
  test("IBM XIV clone (S12): 145 GB at 75 MB/s read + 75 MB/s write takes about 32 min without VAAI", () => {
    const xiv = vaai.fullCopy({ sizeGB: 145, hostDatamoverMBps: 75 });
    expect(Math.abs(xiv.withoutVaai.timeS / 60 - 32) / 32).toBeLessThanOrEqual(0.05);
  });
});

describe("full copy: spec §6 invariants", () => {
  test.prop([anyInput], { numRuns: 1000 })("never NaN or Infinity; bytes conserved; host copy moves 2× size", (p) => {
    const r = vaai.fullCopy(p);
    expect(finiteNumbers(r)).toBe(true);
    const sizeMB = p.sizeGB * 1024;
    expect(r.withoutVaai.writtenMB).toBe(sizeMB);
    expect(r.withVaai.writtenMB).toBe(sizeMB);
    expect(r.withoutVaai.hostPayloadMB).toBe(2 * sizeMB);
    expect(r.withoutVaai.xcopyCommands).toBe(0);
  });
  test.prop([anyInput], { numRuns: 1000 })("an offloaded copy never moves more host bytes than a host copy", (p) => {
    const r = vaai.fullCopy(p);
    expect(r.withVaai.hostPayloadMB).toBeLessThanOrEqual(r.withoutVaai.hostPayloadMB);
  });
  test.prop([offloading], { numRuns: 1000 })("full offload: no payload through the host, ceil(size/segment) commands", (p0) => {
    const p = { ...p0, offloadFailFraction: 0 };
    const r = vaai.fullCopy(p);
    expect(r.mode).toBe("offload");
    expect(r.withVaai.hostPayloadMB).toBe(0);
    expect(r.withVaai.xcopyCommands).toBe(Math.ceil((p.sizeGB * 1024) / p.segmentMB));
  });
  test.prop([offloading], { numRuns: 1000 })("offload is never slower when the array copies at least as fast as the host path (no overhead)", (p0) => {
    const hostMBps = Math.min(p0.fullDuplex ? p0.linkMBps : p0.linkMBps / 2, p0.hostDatamoverMBps, p0.arrayReadMBps, p0.arrayWriteMBps);
    const p = { ...p0, perCommandOverheadMs: 0, arrayCopyMBps: Math.max(1, Math.min(1_000_000, hostMBps * (1 + p0.offloadFailFraction))) };
    fc.pre(Math.min(p.arrayCopyMBps, p.arrayWriteMBps) >= hostMBps);
    const r = vaai.fullCopy(p);
    expect(r.withVaai.timeS).toBeLessThanOrEqual(r.withoutVaai.timeS * (1 + 1e-12));
  });
  test.prop([offloading], { numRuns: 1000 })("the issue's form: with the array copy rate at least the link rate (and free commands), offload is never slower", (p0) => {
    const p = { ...p0, perCommandOverheadMs: 0, arrayCopyMBps: Math.max(p0.arrayCopyMBps, p0.linkMBps) };
    const r = vaai.fullCopy(p);
    expect(r.withVaai.timeS).toBeLessThanOrEqual(r.withoutVaai.timeS * (1 + 1e-12));
  });
  test.prop([anyInput], { numRuns: 1000 })("unsupported or ineligible: same time as the host copy and not 'offload'", (p0) => {
    const p = { ...p0, eligible: false };
    const r = vaai.fullCopy(p);
    expect(r.mode).not.toBe("offload");
    expect(r.withVaai.timeS).toBe(r.withoutVaai.timeS);
    expect(r.mode).toBe(p.sameBlockSize ? "fallback FS3DM" : "fallback FSDM");
    const q = vaai.fullCopy({ ...p0, offloadSupported: false });
    expect(q.withVaai.timeS).toBe(q.withoutVaai.timeS);
  });
  test.prop([anyInput, fc.double({ min: 1.01, max: 10, noNaN: true })], { numRuns: 1000 })(
    "time grows strictly and linearly with size (within the per-command overhead); host time ignores the array copy rate",
    (p, factor) => {
      fc.pre(p.sizeGB * factor <= 63_488);
      const a = vaai.fullCopy(p);
      const b = vaai.fullCopy({ ...p, sizeGB: p.sizeGB * factor });
      expect(b.withoutVaai.timeS).toBeGreaterThan(a.withoutVaai.timeS);
      expect(relClose(b.withoutVaai.timeS, a.withoutVaai.timeS * factor, 1e-9)).toBe(true);
      expect(b.withVaai.timeS).toBeGreaterThan(a.withVaai.timeS);
      // ceil() adds at most one command's overhead to the linear scaling.
      const slackS = (2 * p.perCommandOverheadMs) / 1000;
      expect(b.withVaai.timeS).toBeLessThanOrEqual((a.withVaai.timeS + slackS) * factor * (1 + 1e-12));
      const c = vaai.fullCopy({ ...p, arrayCopyMBps: Math.min(1_000_000, p.arrayCopyMBps * 2) });
      expect(c.withoutVaai.timeS).toBe(a.withoutVaai.timeS);
    },
  );
  test.prop([anyInput, fc.double({ min: 1, max: 10, noNaN: true })], { numRuns: 1000 })("a faster link never makes a copy slower", (p, factor) => {
    fc.pre(p.linkMBps * factor <= 100_000);
    const a = vaai.fullCopy(p);
    const b = vaai.fullCopy({ ...p, linkMBps: p.linkMBps * factor });
    expect(b.withoutVaai.timeS).toBeLessThanOrEqual(a.withoutVaai.timeS);
    expect(b.withVaai.timeS).toBeLessThanOrEqual(a.withVaai.timeS);
  });
  test.prop([offloading, fc.double({ min: 1, max: 16, noNaN: true }), fc.double({ min: 1, max: 16, noNaN: true })], { numRuns: 1000 })(
    "larger segments never need more commands",
    (p, s1, s2) => {
      const [small, large] = s1 <= s2 ? [s1, s2] : [s2, s1];
      const a = vaai.fullCopy({ ...p, segmentMB: small, offloadFailFraction: 0 });
      const b = vaai.fullCopy({ ...p, segmentMB: large, offloadFailFraction: 0 });
      expect(b.withVaai.xcopyCommands).toBeLessThanOrEqual(a.withVaai.xcopyCommands);
    },
  );
  test.prop([anyInput, fc.integer({ min: 1, max: 32 })], { numRuns: 1000 })(
    "k concurrent copies: per-copy host time scales by k, the aggregate never exceeds the bottleneck",
    (p, k) => {
      const one = vaai.fullCopy({ ...p, concurrentCopies: 1 });
      const many = vaai.fullCopy({ ...p, concurrentCopies: k });
      expect(relClose(many.withoutVaai.timeS, one.withoutVaai.timeS * k, 1e-9)).toBe(true);
      const bottleneck = p.offloadSupported && p.eligible && p.sameBlockSize
        ? Math.max(Math.min(p.arrayCopyMBps, p.arrayWriteMBps), one.withoutVaai.rateMBps)
        : one.withoutVaai.rateMBps;
      expect(many.aggregateMBps).toBeLessThanOrEqual(bottleneck * (1 + 1e-9));
    },
  );
  test.prop([offloading, fc.double({ min: 0, max: 1, noNaN: true }), fc.double({ min: 0, max: 1, noNaN: true })], { numRuns: 1000 })(
    "partial refusal: time monotone in the refused fraction, equal to the endpoints at 0 and 1",
    (p, f1, f2) => {
      const at = (f: number) => vaai.fullCopy({ ...p, offloadFailFraction: f }).withVaai.timeS;
      const r = vaai.fullCopy(p);
      const off = at(0);
      const host = r.withoutVaai.timeS;
      expect(relClose(at(1), host, 1e-12)).toBe(true);
      const [lo, hi] = f1 <= f2 ? [f1, f2] : [f2, f1];
      if (host >= off) expect(at(hi)).toBeGreaterThanOrEqual(at(lo) * (1 - 1e-12));
      else expect(at(hi)).toBeLessThanOrEqual(at(lo) * (1 + 1e-12));
    },
  );
});

describe("full copy: input validation", () => {
  test("invalid fields throw ModelInputError naming the field", () => {
    expectModelInputError(() => vaai.fullCopy({ sizeGB: 0 }), "sizeGB");
    expectModelInputError(() => vaai.fullCopy({ sizeGB: Number.NaN }), "sizeGB");
    expectModelInputError(() => vaai.fullCopy({ segmentMB: 32 }), "segmentMB");
    expectModelInputError(() => vaai.fullCopy({ segmentMB: 0.5 }), "segmentMB");
    expectModelInputError(() => vaai.fullCopy({ linkMBps: Infinity }), "linkMBps");
    expectModelInputError(() => vaai.fullCopy({ concurrentCopies: 1.5 }), "concurrentCopies");
    expectModelInputError(() => vaai.fullCopy({ offloadFailFraction: 1.1 }), "offloadFailFraction");
    expectModelInputError(() => vaai.fullCopy({ fullDuplex: "yes" as unknown as boolean }), "fullDuplex");
    expectModelInputError(() => vaai.fullCopy(null as unknown as object), "input");
  });
});
