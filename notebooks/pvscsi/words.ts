/**
 * The sentences and tables of the PVSCSI notebook, built from the model's results only. Kept
 * apart from cells.ts so that file stays a list of cells.
 */
import * as pvscsi from "../../src/pvscsi/index.ts";
import { ModelInputError } from "../../src/shared/errors.ts";
import { formatNumber, plural, type DataTable } from "../lib/chart.ts";

export const ADAPTER_NAMES: Record<pvscsi.Verdict, string> = { lsi: "LSI Logic", pvscsi: "PVSCSI" };
export const RELEASE_NAMES: Record<pvscsi.Release, string> = { "4.0": "ESX 4.0", "4.0u1": "ESX 4.0 Update 1", "4.1+": "vSphere 4.1 or later" };

export interface Refused {
  refusal: string;
}

export function isRefused(value: unknown): value is Refused {
  return typeof value === "object" && value !== null && typeof (value as Refused).refusal === "string";
}

/** A model's ModelInputError as a sentence about the controls (other errors are bugs: rethrown). */
export function refusalFor(error: unknown, iops?: number, oio?: number): Refused {
  if (!(error instanceof ModelInputError)) throw error;
  if (error.field === "costs.cParaUs") {
    return { refusal: "PVSCSI's own CPU per I/O must stay below LSI Logic's emulated path: that is what VMware's measured 10–30 % CPIO saving says. Lower it, or raise LSI Logic's." };
  }
  if (error.field === "iops" && iops !== undefined) {
    return { refusal: `LSI Logic cannot deliver ${formatNumber(iops)} IOPS with ${oio} outstanding I/O${oio === 1 ? "" : "s"} in this model: the IOPS must be ${error.allowed}. Deepen the queue or lower the IOPS.` };
  }
  return { refusal: `These settings are outside what the model covers: ${error.field} must be ${error.allowed}.` };
}

const ms = (x: number) => `${formatNumber(x)} ms`;

export function verdictSentence(r: pvscsi.Recommendation, release: pvscsi.Release): string {
  const better = ADAPTER_NAMES[r.adapter];
  const head = `${better}: ${ms(r.latencySavingMs)} (${formatNumber(r.latencySavingPercent, 2)} %) lower latency per I/O on ${RELEASE_NAMES[release]}.`;
  // The model's differences are small next to the device's time: say so where they are below 1 %.
  const scale = r.latencySavingPercent < 1 && r.adapter === "lsi"
    ? ` That is under 1 % of the latency: if the VM's CPU matters more, PVSCSI's ${formatNumber(r.cpuSavingPercent, 2)} % CPU saving may be worth more.`
    : "";
  return `${head} ${r.reason}${scale}`;
}

export function numbersSentence(r: pvscsi.Recommendation): string {
  const { lsi, pvscsi: pv, deviceLatencyMs, pvRequestsPerIo } = r.comparison;
  const split = pvRequestsPerIo > 1 ? ` PVSCSI splits each I/O of this size into ${pvRequestsPerIo} requests (not costed here).` : "";
  return `LSI Logic: ${ms(lsi.latencyMs)} per I/O and ${formatNumber(lsi.cpuPerIoUs)} µs of CPU, one interrupt per completion. ` +
    `PVSCSI: ${ms(pv.latencyMs)} per I/O at ${formatNumber(pv.iops)} IOPS and ${formatNumber(pv.cpuPerIoUs)} µs of CPU ` +
    `(${formatNumber(r.cpuSavingPercent, 2)} % less), ${formatNumber(pv.completionsPerInterrupt, 3)} completion${pv.completionsPerInterrupt === 1 ? "" : "s"} per interrupt. ` +
    `The device time this workload implies is ${ms(deviceLatencyMs)}.${split}`;
}

export function publishedSentence(r: pvscsi.Recommendation, release: pvscsi.Release): string {
  const rule = release === "4.1+"
    ? "From vSphere 4.1 VMware says the low-IOPS problem is resolved: the published rule picks PVSCSI."
    : r.published === "lsi"
      ? "VMware's published rule for ESX 4.0 (fewer than 2,000 IOPS and more than 4 outstanding I/Os) picks LSI Logic for this workload."
      : "VMware's published rule for ESX 4.0 picks PVSCSI here: the workload is outside its LSI Logic zone (fewer than 2,000 IOPS and more than 4 outstanding I/Os).";
  return r.agreesWithPublished
    ? `${rule} The model agrees.`
    : `${rule} The model says ${ADAPTER_NAMES[r.adapter]} by ${ms(r.latencySavingMs)}: its own line, calibrated to the published 2,000 IOPS for the default costs, does not fall exactly on it for this queue depth and these costs (see the map).`;
}

/** The lowest and highest IOPS where a row of the map changes sign, or null when none does. */
function crossoverRange(map: pvscsi.CrossoverMap): [number, number] | null {
  const xs = map.crossoverIops.filter((x): x is number => x !== null);
  return xs.length === 0 ? null : [Math.min(...xs), Math.max(...xs)];
}

const roundIops = (x: number) => formatNumber(Math.round(x / 10) * 10);

/** Where the model's ESX 4.0 line lies, for the prose beside the map. */
export function modelLineWords(map: pvscsi.CrossoverMap): string {
  const range = crossoverRange(map);
  if (range === null) return "nowhere on the map with these costs: PVSCSI is never slower";
  const rows = map.crossoverIops.flatMap((x, r) => (x === null ? [] : [map.oio[r]]));
  const depths = `${Math.min(...rows)} to ${Math.max(...rows)} outstanding I/Os`;
  return Math.abs(range[1] - range[0]) < 10 ? `at about ${roundIops(range[0])} IOPS for ${depths}` : `between about ${roundIops(range[0])} and ${roundIops(range[1])} IOPS for ${depths}`;
}

/** The calibrated hold, in words and in time at two rates. */
export function holdWords(): string {
  const at = (iops: number) => `${formatNumber((pvscsi.HOLD_GAPS * 1e6) / iops)} µs at ${formatNumber(iops)} IOPS`;
  return `${formatNumber(pvscsi.HOLD_GAPS)} of the mean gap between completions (${at(2000)}, ${at(200)})`;
}

/** The two sides of the balance at the published boundary, in the model's numbers. */
export function balanceWords(c: pvscsi.ObservedComparison): string {
  const saved = c.lsi.cpuPathMs - c.pvscsi.cpuPathMs;
  return `At 2,000 IOPS with 8 outstanding I/Os on ESX 4.0 the hold adds ${ms(c.pvscsi.coalesceWaitMs)} per I/O on average and PVSCSI's shorter CPU path saves ${ms(saved)}: ` +
    `${c.deltaLatencyMs > 0 ? "LSI Logic still answers faster" : "PVSCSI answers faster"}, by ${ms(Math.abs(c.deltaLatencyMs))}.`;
}

/** The map in a sentence; `shown` is the release the page shows (4.0 U1 shares 4.0's map). */
export function mapSentence(map: pvscsi.CrossoverMap, shown: pvscsi.Release): string {
  const reachable = map.reachable.reduce((s, v) => s + v, 0);
  const release = RELEASE_NAMES[shown];
  if (map.pvSlowerCells === 0) return `${release}: PVSCSI is never slower than LSI Logic anywhere on the map, and costs less CPU everywhere.`;
  const range = crossoverRange(map);
  const line = range === null ? "up to the map's right edge" : `below the model's crossover, ${modelLineWords(map)}`;
  return `${release}: PVSCSI is slower in ${formatNumber(map.pvSlowerCells)} of ${formatNumber(reachable)} reachable workloads on the map, all with more than 4 outstanding I/Os, ${line}; it is faster everywhere else. Worst case: ${ms(map.maxDeltaMs)} slower; best: ${ms(-map.minDeltaMs)} faster.`;
}

const SAMPLE_OIO = [1, 2, 4, 5, 8, 16, 32, 64];
const SAMPLE_IOPS = [100, 500, 1000, 2000, 5000, 10_000, 20_000];
const SAMPLE_COLUMNS = ["Outstanding I/Os", ...SAMPLE_IOPS.map((x) => `${formatNumber(x)} IOPS`)];

/**
 * The map sampled at round numbers, each cell computed by the model (not read off the grid).
 * The rows are computed the first time something reads them (the build, or a reader opening the
 * data table), not on every slider move; as a class instance the cell memo compares it by identity.
 */
class SampledMapTable implements DataTable {
  readonly caption = "PVSCSI − LSI Logic latency (ms), a sample of the map's 100 × 64 workloads: 8 queue depths × 7 rates. Positive: LSI Logic is faster.";
  readonly columns = SAMPLE_COLUMNS;
  readonly #release: pvscsi.Release;
  readonly #costs: pvscsi.CpuCosts;
  #rows: Array<Array<string | number>> | undefined;

  constructor(release: pvscsi.Release, costs: pvscsi.CpuCosts) {
    this.#release = release;
    this.#costs = costs;
  }

  get rows(): Array<Array<string | number>> {
    this.#rows ??= SAMPLE_OIO.map((oio) => [String(oio), ...SAMPLE_IOPS.map((iops) => {
      try {
        return pvscsi.compareObserved({ iops, oio, release: this.#release, costs: this.#costs }).deltaLatencyMs;
      } catch {
        return "not reachable";
      }
    })]);
    return this.#rows;
  }
}

export function mapTable(release: pvscsi.Release, costs: pvscsi.CpuCosts): DataTable {
  return new SampledMapTable(release, costs);
}

export function timelineSummary(t: pvscsi.CompletionTimeline): string {
  const n = t.withCoalescing.length;
  if (t.k === 1) return `PVSCSI does not coalesce for this workload: each of the ${n} completions (one every ${ms(t.gapMs)}) gets its own interrupt at once, exactly as with LSI Logic.`;
  return `One completion every ${ms(t.gapMs)} on average, coming back in bunches. Without coalescing the guest hears of each at once: ${plural(n, "interrupt")}. With ${t.k} completions per interrupt: ${plural(t.interruptsMs.length, "interrupt")}, and a completion waits ${ms(t.meanWaitMs)} on average before the guest hears of it. The chart shows one batch; the next follows ${ms(t.k * t.gapMs)} later.`;
}

export function timelineTable(t: pvscsi.CompletionTimeline): DataTable {
  return {
    caption: "Each completion: when the device finished it and when the guest was told",
    columns: ["Completion", "Completed (ms)", "Delivered without coalescing (ms)", "Delivered with coalescing (ms)", "Held (ms)"],
    rows: t.withCoalescing.map((e, i) => [e.index + 1, e.completedMs, t.withoutCoalescing[i].deliveredMs, e.deliveredMs, e.deliveredMs - e.completedMs]),
  };
}

export function bootSentence(d: pvscsi.BootDecision): string {
  const verdict = d.canBoot ? "Yes, the boot disk can be on PVSCSI." : d.pvscsiSupported ? "No: keep the boot disk on LSI Logic." : "No: this guest cannot use PVSCSI at all.";
  return `${verdict} ${d.reason}`;
}
