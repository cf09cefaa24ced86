/**
 * CPU cost per I/O of each adapter's path through the guest driver, the VMM and the vmkernel:
 * LSI Logic is emulated (c = cEmul + one interrupt), PVSCSI is paravirtual and shares one virtual
 * interrupt among k completions (c = cPara + irq/k).
 * Sources: VMware VROOM! blog, "High Performance PVSCSI Storage Adapter Can Reduce CPIO by
 * 10-30%" (Feb 2010) and the white paper "PVSCSI Storage Performance" (VMware, 2010): the saving
 * band; Mastering VMware vSphere 4, ch. 1 "VMware Paravirtualized SCSI": why PVSCSI is cheaper.
 * Simplifications [A]: the absolute costs (defaults 45, 42 and 15 µs) are assumptions chosen so
 * that the saving lies in the published 10–30 % band once coalescing is on; cost does not depend
 * on I/O size.
 */
import { ModelInputError, checkNumber, checkRecord } from "../shared/index.ts";
import type { Adapter } from "./policy.ts";

export interface CpuCosts {
  /** CPU per I/O of LSI Logic's emulated path, without its interrupt (µs). */
  cEmulUs: number;
  /** CPU per I/O of PVSCSI's paravirtual path, without its interrupt (µs); below cEmulUs. */
  cParaUs: number;
  /** CPU cost of delivering one virtual interrupt (µs). */
  irqCostUs: number;
}

export const DEFAULT_COSTS: Readonly<CpuCosts> = Object.freeze({ cEmulUs: 45, cParaUs: 42, irqCostUs: 15 });

export const COST_RANGES = {
  cEmulUs: { min: 1, max: 200 },
  cParaUs: { min: 1, max: 200 },
  irqCostUs: { min: 0, max: 100 },
} as const;

/** Validates costs (omitted = the defaults); PVSCSI's path must cost less than the emulated one. */
export function checkCosts(value: unknown): CpuCosts {
  if (value === undefined) return DEFAULT_COSTS;
  const r = checkRecord("costs", value);
  const cEmulUs = checkNumber("costs.cEmulUs", r.cEmulUs, COST_RANGES.cEmulUs);
  const cParaUs = checkNumber("costs.cParaUs", r.cParaUs, COST_RANGES.cParaUs);
  const irqCostUs = checkNumber("costs.irqCostUs", r.irqCostUs, COST_RANGES.irqCostUs);
  // The published CPIO savings are what make PVSCSI cheaper; a dearer paravirtual path is outside the model.
  if (!(cParaUs < cEmulUs)) throw new ModelInputError("costs.cParaUs", cParaUs, `a number below costs.cEmulUs (${cEmulUs})`);
  return { cEmulUs, cParaUs, irqCostUs };
}

export function cpuPerIoUsUnchecked(adapter: Adapter, k: number, costs: CpuCosts): number {
  return adapter === "lsi" ? costs.cEmulUs + costs.irqCostUs : costs.cParaUs + costs.irqCostUs / k;
}

/** CPU per I/O (µs) of an adapter whose interrupts each carry k completions (k ≥ 1). */
export function cpuPerIoUs(adapter: Adapter, k: number, costs?: CpuCosts): number {
  if (adapter !== "lsi" && adapter !== "pvscsi") throw new ModelInputError("adapter", adapter, 'one of "lsi", "pvscsi"');
  const kk = checkNumber("k", k, { min: 1, max: 1000 });
  return cpuPerIoUsUnchecked(adapter, kk, checkCosts(costs));
}
