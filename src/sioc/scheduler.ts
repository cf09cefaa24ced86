/**
 * The host-local scheduler: a host's window of w slots is divided among its VMs in proportion to
 * their disk shares, no VM getting more than it can use (its outstanding-I/O demand, or the slots
 * its IOPS limit needs at the current latency); what one VM cannot use is re-divided among the rest.
 * Source: PARDA (FAST '09) §4, start-time fair queuing inside each host; spec §3.3.
 * Simplification [A]: a fluid water-filling split stands in for SFQ(D) (and for mClock, 5.5+),
 * so slots are real numbers, not whole I/Os.
 */
import { checkNumbers } from "../shared/fields.ts";
import { checkArray, checkNumber, checkRecord } from "../shared/index.ts";

/**
 * Water-fills `windowSlots` over the VMs with indices [start, end): slots ∝ shares, each capped by
 * caps[v]. A VM with caps[v] = 0 is inactive and gets nothing. Writes out[v] and returns Σ out.
 * `order[start..end)` is a permutation of [start, end) kept between calls: re-sorting it by
 * cap/share with insertion sort costs about O(n) when the keys barely move from step to step, which
 * keeps the simulation loop fast and allocation-free. Caps may be Infinity (entitlement view).
 */
export function waterFillUnchecked(
  windowSlots: number,
  start: number,
  end: number,
  shares: Float64Array,
  caps: Float64Array,
  keys: Float64Array,
  order: Int32Array,
  out: Float64Array,
): number {
  let capTotal = 0;
  let activeShares = 0;
  for (let v = start; v < end; v++) {
    const cap = caps[v];
    if (cap > 0) {
      capTotal += cap;
      activeShares += shares[v];
    }
  }
  if (capTotal <= windowSlots) {
    for (let v = start; v < end; v++) out[v] = caps[v] > 0 ? caps[v] : 0;
    return capTotal;
  }
  for (let v = start; v < end; v++) keys[v] = caps[v] > 0 ? caps[v] / shares[v] : -1;
  for (let k = start + 1; k < end; k++) {
    const v = order[k];
    const key = keys[v];
    let j = k - 1;
    while (j >= start && keys[order[j]] > key) {
      order[j + 1] = order[j];
      j--;
    }
    order[j + 1] = v;
  }
  // Give each VM whose cap lies below the current fair level its cap, in increasing cap/share
  // order; once one does not, every VM left gets the same slots-per-share level.
  let remainingSlots = windowSlots;
  let remainingShares = activeShares;
  let total = 0;
  let k = start;
  for (; k < end; k++) {
    const v = order[k];
    if (keys[v] < 0) {
      out[v] = 0;
      continue;
    }
    if (caps[v] * remainingShares > shares[v] * remainingSlots) break;
    out[v] = caps[v];
    total += caps[v];
    remainingSlots -= caps[v];
    remainingShares -= shares[v];
  }
  const level = remainingShares > 0 && remainingSlots > 0 ? remainingSlots / remainingShares : 0;
  for (; k < end; k++) {
    const v = order[k];
    // rounding (seen at subnormal sizes) can put shares × level a hair above the cap: a VM never gets more than it can use
    const slots = Math.min(caps[v], shares[v] * level);
    out[v] = slots;
    total += slots;
  }
  return total;
}

/** Slots a VM needs to run at exactly `limitIops` when each I/O takes `latencyMs` (Little's law). */
export function limitSlotsUnchecked(limitIops: number, latencyMs: number): number {
  return (limitIops * latencyMs) / 1000;
}

export interface SplitVm {
  shares: number;
  /** The most slots this VM can use: its demand, or fewer if its IOPS limit binds; 0 = idle. */
  capSlots: number;
}

export interface SplitInput {
  windowSlots: number;
  vms: SplitVm[];
}

/** Divides a host's window among its VMs by shares, capped per VM, spare slots re-divided. */
export function splitSlots(input: SplitInput): number[] {
  const r = checkRecord("input", input);
  const windowSlots = checkNumber("windowSlots", r.windowSlots, { min: 0, max: 1e6 });
  const vms = checkArray(
    "vms",
    r.vms,
    (item, field) => {
      const vm = checkRecord(field, item);
      return {
        shares: checkNumber(`${field}.shares`, vm.shares, { min: 1, max: 1_000_000 }),
        capSlots: checkNumber(`${field}.capSlots`, vm.capSlots, { min: 0, max: 1e6 }),
      };
    },
    { maxLength: 100_000 },
  );
  const n = vms.length;
  const shares = new Float64Array(n);
  const caps = new Float64Array(n);
  const order = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    shares[i] = vms[i].shares;
    caps[i] = vms[i].capSlots;
    order[i] = i;
  }
  const out = new Float64Array(n);
  waterFillUnchecked(windowSlots, 0, n, shares, caps, new Float64Array(n), order, out);
  return Array.from(out);
}

export interface LimitSlotsInput {
  limitIops: number;
  latencyMs: number;
}

/** Slots a VM at its IOPS limit keeps busy: limitIops · latencyMs / 1000. */
export function limitSlots(input: LimitSlotsInput): number {
  const { limitIops, latencyMs } = checkNumbers(checkRecord("input", input), {
    limitIops: { min: 0, max: 10_000_000 },
    latencyMs: { min: 0, max: 1e6 },
  });
  return limitSlotsUnchecked(limitIops, latencyMs);
}
