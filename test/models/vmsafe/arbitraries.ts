/**
 * fast-check generators for the VMsafe models, and the spec's arithmetic re-derived from scratch
 * (transport table, datastore rate), so tests never take an expected number from the implementation.
 */
import { fc } from "@fast-check/vitest";
import type { InGuestInput, OfflineScanInput, OffloadInput, ScanSchedule, TransportMode } from "../../../src/vmsafe/index.ts";

/** Spec §2 per-stream defaults and our link assumptions (1 GbE ≈ 117 MB/s, 8 Gb FC ≈ 800 MB/s). */
export const TRANSPORT: Record<TransportMode, { streamMBps: number; linkMBps: number }> = {
  NBD: { streamMBps: 60, linkMBps: 117 },
  NBDSSL: { streamMBps: 36, linkMBps: 117 },
  HotAdd: { streamMBps: 200, linkMBps: Number.POSITIVE_INFINITY },
  SAN: { streamMBps: 300, linkMBps: 800 },
};

export const offlineInput = (): fc.Arbitrary<OfflineScanInput> =>
  fc.record({
    desktops: fc.integer({ min: 1, max: 19_000 }),
    usedGBPerDesktop: fc.double({ min: 0.5, max: 200, noNaN: true }),
    mode: fc.constantFrom("full" as const, "incremental" as const),
    changedGBPerDayPerDesktop: fc.double({ min: 0.01, max: 10, noNaN: true }),
    linkedCloneShare: fc.double({ min: 0, max: 0.95, noNaN: true }),
    scanSharedOnce: fc.boolean(),
    appliances: fc.integer({ min: 1, max: 63 }),
    coresPerAppliance: fc.integer({ min: 1, max: 16 }),
    scanMBpsPerCore: fc.double({ min: 5, max: 60, noNaN: true }),
    transport: fc.constantFrom<TransportMode>("NBD", "NBDSSL", "HotAdd", "SAN"),
    parallelStreams: fc.integer({ min: 1, max: 16 }),
    datastores: fc.integer({ min: 1, max: 32 }),
    datastoreReadIOPS: fc.double({ min: 100, max: 10_000, noNaN: true }),
    ioSizeKB: fc.constantFrom(4, 8, 16, 32, 64, 256, 1024),
    windowH: fc.double({ min: 1, max: 48, noNaN: true }),
  });

/** Independent ceilings of spec §3, MB/s. */
export function ceilings(i: OfflineScanInput): { cpu: number; transport: number; datastore: number } {
  const t = TRANSPORT[i.transport];
  return {
    cpu: i.appliances * i.coresPerAppliance * i.scanMBpsPerCore,
    transport: i.appliances * Math.min(i.parallelStreams * t.streamMBps, t.linkMBps),
    datastore: (i.datastores * i.datastoreReadIOPS * i.ioSizeKB) / 1024,
  };
}

export function expectedBytesGB(i: OfflineScanInput): number {
  if (i.mode === "incremental") return i.desktops * i.changedGBPerDayPerDesktop;
  const s = i.linkedCloneShare;
  return i.desktops * i.usedGBPerDesktop * (1 - s) + i.usedGBPerDesktop * s * (i.scanSharedOnce ? 1 : i.desktops);
}

export const relClose = (a: number, b: number, tol = 1e-9) => Math.abs(a - b) <= tol * Math.max(1, Math.abs(a), Math.abs(b));

export const windowS = () => fc.double({ min: 60, max: 86_400, noNaN: true });

export const schedule = (desktops: number): fc.Arbitrary<ScanSchedule> =>
  fc.oneof(
    fc.constant<ScanSchedule>({ kind: "simultaneous" }),
    windowS().map((w): ScanSchedule => ({ kind: "random", windowS: w })),
    fc.tuple(windowS(), fc.integer({ min: 1, max: desktops })).map(([w, k]): ScanSchedule => ({ kind: "staggered", windowS: w, batchSize: k })),
  );

/** In-guest settings without a schedule; `saturating` false gives hosts far above any demand. */
export const inGuestBase = (saturating = true): fc.Arbitrary<Omit<InGuestInput, "schedule">> =>
  fc.record({
    desktops: fc.integer({ min: 1, max: 5000 }),
    hosts: fc.integer({ min: 1, max: 64 }),
    hostMHz: saturating ? fc.double({ min: 2000, max: 200_000, noNaN: true }) : fc.constant(1_000_000),
    usedGBPerDesktop: fc.double({ min: 0.5, max: 40, noNaN: true }),
    perVmScanMBps: fc.double({ min: 2, max: 100, noNaN: true }),
    scanCpuMHz: fc.double({ min: 100, max: 3000, noNaN: true }),
    scanIOPS: fc.double({ min: 0, max: 1000, noNaN: true }),
    baselineCpuMHzPerVm: saturating ? fc.double({ min: 0, max: 1000, noNaN: true }) : fc.double({ min: 0, max: 1, noNaN: true }),
    baselineIOPSPerVm: fc.double({ min: 0, max: 100, noNaN: true }),
  }).filter((b) => saturating || b.desktops * (b.scanCpuMHz + b.baselineCpuMHzPerVm) <= b.hosts * b.hostMHz);

export const offloadInput = (): fc.Arbitrary<OffloadInput> =>
  fc.record({
    desktops: fc.integer({ min: 1, max: 20_000 }),
    hosts: fc.integer({ min: 1, max: 64 }),
    usedGBPerDesktop: fc.double({ min: 0.5, max: 200, noNaN: true }),
    linkedCloneShare: fc.double({ min: 0, max: 0.95, noNaN: true }),
    dupAcrossDesktops: fc.double({ min: 0, max: 0.95, noNaN: true }),
    svmCores: fc.integer({ min: 1, max: 8 }),
    scanMBpsPerCore: fc.double({ min: 5, max: 60, noNaN: true }),
    coreMHz: fc.double({ min: 1000, max: 4000, noNaN: true }),
    changedGBPerDayPerDesktop: fc.double({ min: 0.01, max: 10, noNaN: true }),
    windowH: fc.double({ min: 1, max: 48, noNaN: true }),
  });
