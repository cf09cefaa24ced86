/**
 * Section 2, hardware-assisted locking (ATS) against SCSI-2 reservations: controls and cells. The
 * storm itself is src/vaai's simulation on a 1 ms clock; this file picks its inputs and draws it.
 */
import * as vaai from "../../src/vaai/index.ts";
import { cell, figure, text } from "../lib/cells.ts";
import { number, select } from "../lib/params.ts";
import { formatNumber, lineChart, plural } from "../lib/chart.ts";
import { laneChart } from "./lockLanes.ts";
import { seconds } from "./format.ts";

const D = vaai.LOCKING_DEFAULTS;
/** Hosts drawn as lanes; the rest are in the table. */
const MAX_LANES = 16;
/** Points of the "VMs per datastore" sweep. */
const SWEEP_POINTS = 8;

export const lockingParams = {
  lockHosts: number({ label: "ESX hosts sharing the datastore", unit: "hosts", min: 1, max: 64, step: 1, value: D.hosts }),
  lockVms: number({ label: "VMs on the datastore", unit: "VMs", min: 1, max: 1000, step: 1, value: D.vms }),
  workload: select({ label: "What the VMs do at once", value: "power-on", options: vaai.METADATA_WORKLOADS.map((w) => ({ value: w, label: vaai.WORKLOAD_PRESETS[w].label })) }),
  reservationHoldMs: number({ label: "LUN reserved per metadata update (SCSI-2)", unit: "ms", min: 2, max: 100, step: 1, value: D.reservationHoldMs, help: "An assumption: reserve, update the lock, release." }),
  atsMs: number({ label: "One ATS lock update", unit: "ms", min: 0.5, max: 20, step: 0.5, value: D.atsMs, help: "An assumption: one COMPARE AND WRITE and the update." }),
  steadyOpsPerMin: number({ label: "Everyday metadata updates per VM", unit: "per min", min: 0.5, max: 60, step: 0.5, value: vaai.LOCKING_LOAD_DEFAULTS.opsPerVmPerMin, help: "An assumption: snapshot deltas and thin disks growing, outside any storm." }),
};

/** Rough length of a storm, ms, for sizing the timeline: all updates one after another (SCSI-2), or one host's share (ATS). */
function estimateMs(input: StormInput, scheme: vaai.LockScheme): number {
  const perHostMs = Math.ceil(input.vms / input.hosts) * input.opsPerVm * (input.thinkMs + (scheme === "ats" ? input.atsMs : input.reservationHoldMs));
  return scheme === "ats" ? perHostMs : Math.max(input.vms * input.opsPerVm * input.reservationHoldMs, perHostMs);
}

export type StormInput = Partial<vaai.LockingInput> & { hosts: number; vms: number; opsPerVm: number; thinkMs: number; reservationHoldMs: number; atsMs: number };
export type Storm = { scsi2: vaai.LockingResult; ats: vaai.LockingResult };

/** The storm settings as the page's controls give them. */
export function stormInputFor(hosts: number, vms: number, workload: vaai.MetadataWorkload, reservationHoldMs: number, atsMs: number): StormInput {
  const preset = vaai.WORKLOAD_PRESETS[workload] ?? vaai.WORKLOAD_PRESETS["power-on"];
  const input: StormInput = { hosts, vms, opsPerVm: preset.opsPerVm, thinkMs: preset.thinkMs, reservationHoldMs, atsMs };
  // Timeline buckets sized so the longer run has about 80 of them.
  return { ...input, bucketMs: Math.max(10, Math.ceil(estimateMs(input, "scsi2") / 80)) };
}

/**
 * The same storm from one eighth of the VMs up to all of them. The last point is `storm`, the one
 * drawn in the timeline; the others need no timeline (one bucket).
 */
export function stormSweep(input: StormInput, storm: Storm): { counts: number[]; runs: Storm[] } {
  const vms = input.vms;
  const counts = [...new Set(Array.from({ length: SWEEP_POINTS }, (_, k) => Math.max(1, Math.round((vms * (k + 1)) / SWEEP_POINTS))))];
  const runs = counts.map((n) => (n === vms ? storm : vaai.compareLocking({ ...input, vms: n, bucketMs: 600_000 })));
  return { counts, runs };
}

function hostLabel(i: number): string {
  return `esx-${i + 1}`;
}

export const lockingCells = [
  cell("stormInput", ["lockHosts", "lockVms", "workload", "reservationHoldMs", "atsMs"],
    stormInputFor),
  cell("storm", ["stormInput"], (input: StormInput): Storm => vaai.compareLocking(input)),
  text("stormHeadline", ["storm", "lockVms", "lockHosts"], ({ scsi2, ats }: Storm, vms: number, hosts: number) => {
    if (scsi2.finishS === null || ats.finishS === null) return `The storm does not finish within the ${formatNumber(scsi2.simulatedS)} s simulated.`;
    return `${plural(vms, "VM")} on ${plural(hosts, "host")}: with SCSI-2 reservations the storm takes ${seconds(scsi2.finishS)}, the LUN is reserved ${formatNumber(100 * scsi2.reservedFraction)} % of that time ` +
      `and ${Math.round(scsi2.stalledIos).toLocaleString("en-US")} data I/Os of other hosts wait behind reservations (${scsi2.conflicts.toLocaleString("en-US")} reservation conflicts). ` +
      `With ATS it takes ${seconds(ats.finishS)}, no data I/O waits, and ${ats.conflicts.toLocaleString("en-US")} lock attempts collide.`;
  }),
  cell("steadyLoad", ["lockHosts", "lockVms", "steadyOpsPerMin", "reservationHoldMs", "atsMs"],
    (hosts: number, vms: number, opsPerVmPerMin: number, reservationHoldMs: number, atsMs: number) =>
      vaai.lockingLoad({ hosts, vms, opsPerVmPerMin, reservationHoldMs, atsMs })),
  text("densityHeadline", ["steadyLoad", "steadyOpsPerMin"], (r: vaai.LockingLoadResult, perMin: number) => {
    const target = formatNumber(100 * vaai.LOCKING_LOAD_DEFAULTS.targetUtilisation);
    const scsi = r.scsi2.saturated
      ? "with reservations the LUN is already reserved all the time"
      : `with reservations the LUN is reserved ${formatNumber(100 * r.scsi2.utilisation)} % of the time and other hosts' I/O blocked ${formatNumber(100 * r.scsi2.blockedFraction)} %`;
    const limit = (n: number | null) => (n === null ? "no limit from locking" : `at most ${n.toLocaleString("en-US")} VMs`);
    return `Outside a storm, at ${formatNumber(perMin)} metadata updates per VM per minute, ${scsi}. Keeping the busiest lock under ${target} % busy allows ` +
      `${limit(r.scsi2.maxVms)} per datastore with reservations and ${limit(r.ats.maxVms)} with ATS.`;
  }),
  figure("lockTimelineFigure", ["storm", "stormInput", "document", "width"], ({ scsi2, ats }: Storm, input: StormInput, doc: Document, width: number) => {
    const shown = Math.min(MAX_LANES, scsi2.hosts.length);
    const panel = (title: string, r: vaai.LockingResult, colour: number) => ({
      title,
      colour,
      finishS: r.finishS,
      lanes: r.waitFraction.slice(0, shown).map((waits, i) => ({ name: hostLabel(i), waits })),
    });
    const maxS = Math.max(scsi2.simulatedS, ats.simulatedS);
    const meanWait = (r: vaai.LockingResult) => `${formatNumber(r.meanLockWaitMs)} ms`;
    return laneChart(doc, {
      width,
      title: "Boot storm timeline: when each host waits for a lock",
      panels: [panel("SCSI-2 reservations: the whole LUN per update", scsi2, 2), panel("ATS: one on-disk record per update", ats, 0)],
      bucketS: (input.bucketMs ?? 1000) / 1000,
      maxS,
      x: { label: "Time since the storm began (s)" },
      note: scsi2.hosts.length > shown ? `First ${shown} of ${scsi2.hosts.length} hosts drawn; all are in the table.` : undefined,
      summary: `With SCSI-2 each metadata update waits ${meanWait(scsi2)} on average for the LUN and the storm ends at ${formatNumber(scsi2.finishS ?? scsi2.simulatedS)} s; ` +
        `with ATS it waits ${meanWait(ats)} and the storm ends at ${formatNumber(ats.finishS ?? ats.simulatedS)} s.`,
      table: {
        caption: "Per host: VMs, metadata updates, time spent waiting for a lock, conflicts, finish time",
        columns: ["Host", "VMs", "Updates", "SCSI-2 lock wait (s)", "SCSI-2 conflicts", "SCSI-2 done (s)", "ATS lock wait (s)", "ATS collisions", "ATS done (s)"],
        rows: scsi2.hosts.map((h, i) => [hostLabel(i), h.vms, h.ops, h.lockWaitS, h.conflicts, h.finishS ?? "not done", ats.hosts[i].lockWaitS, ats.hosts[i].conflicts, ats.hosts[i].finishS ?? "not done"]),
      },
    });
  }),
  figure("stormSweepFigure", ["storm", "stormInput", "document", "width"], (storm: Storm, input: StormInput, doc: Document, width: number) => {
    const { counts, runs } = stormSweep(input, storm);
    const finish = (r: vaai.LockingResult) => r.finishS ?? r.simulatedS;
    const last = runs[runs.length - 1];
    return lineChart(doc, {
      width,
      title: "Storm duration against VMs per datastore",
      x: { label: "VMs on the datastore" },
      y: { label: "Time until every VM is done (s)" },
      series: [
        { name: "SCSI-2 reservations", x: counts, y: runs.map((r) => finish(r.scsi2)), colour: 2, dashed: true },
        { name: "ATS", x: counts, y: runs.map((r) => finish(r.ats)), colour: 0 },
      ],
      summary: `At ${plural(counts[counts.length - 1], "VM")} the storm takes ${seconds(finish(last.scsi2))} with reservations and ${seconds(finish(last.ats))} with ATS; ` +
        `with reservations the time grows with every VM on the datastore, with ATS only with the VMs on each host.`,
      table: {
        caption: `Storm duration for ${plural(input.hosts, "host")}`,
        columns: ["VMs", "SCSI-2 (s)", "SCSI-2 data I/Os stalled", "ATS (s)"],
        rows: runs.map((r, i) => [counts[i], finish(r.scsi2), Math.round(r.scsi2.stalledIos), finish(r.ats)]),
      },
    });
  }),
];
