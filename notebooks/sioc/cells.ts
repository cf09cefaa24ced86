/**
 * Storage I/O Control notebook: controls, the model call and its four figures. Every number
 * shown comes from src/sioc; this file only chooses what to ask the model and how to draw it.
 */
import * as sioc from "../../src/sioc/index.ts";
import { cell, defineNotebook, figure, text } from "../lib/cells.ts";
import { observableDefine } from "../lib/define.ts";
import { number, select, toggle } from "../lib/params.ts";
import { barChart, formatNumber, lineChart, slotChart, type Refusal } from "../lib/chart.ts";

const SHARE_LEVELS = [
  { value: "low", label: "Low (500)" },
  { value: "normal", label: "Normal (1000)" },
  { value: "high", label: "High (2000)" },
  { value: "custom", label: "Custom" },
] as const;
const SHARE_VALUES: Record<string, number> = { low: 500, normal: 1000, high: 2000 };

export const params = {
  version: select({ label: "vSphere version", value: "4.1", options: [
    { value: "4.1", label: "4.1" }, { value: "5.0", label: "5.0" }, { value: "5.1+", label: "5.1 or later" },
  ] }),
  storage: select({ label: "Datastore", value: "fc", options: [
    { value: "fc", label: "VMFS on Fibre Channel" }, { value: "iscsi", label: "VMFS on iSCSI" },
    { value: "nfs", label: "NFS" }, { value: "rdm", label: "Raw device mapping (RDM)" },
    { value: "multi-extent", label: "VMFS spanning several extents" },
  ] }),
  enabled: toggle({ label: "Storage I/O Control on", value: true }),
  hosts: number({ label: "ESX hosts on the datastore", min: 1, max: 16, step: 1, value: 2, unit: "hosts" }),
  vmsA: number({ label: "Busy VMs on host A", min: 1, max: 64, step: 1, value: 2, unit: "VMs" }),
  vmsOther: number({ label: "Busy VMs on each other host", min: 1, max: 64, step: 1, value: 1, unit: "VMs" }),
  sharesA: select({ label: "Disk shares of host A's VMs", value: "normal", options: SHARE_LEVELS }),
  sharesOther: select({ label: "Disk shares of the other VMs", value: "normal", options: SHARE_LEVELS }),
  customShares: number({ label: "Custom shares", min: 100, max: 10000, step: 100, value: 1500, help: "Used wherever Custom is chosen above." }),
  idleA1: toggle({ label: "VM A1 goes idle half-way (at 150 s)", value: false, help: "PARDA's experiment: the idle VM's share passes to the busy ones." }),
  demandOio: number({ label: "Outstanding I/Os each VM keeps", min: 1, max: 128, step: 1, value: 32, unit: "I/Os" }),
  thresholdMode: select({ label: "Threshold setting", value: "manual", options: [
    { value: "manual", label: "Manual (a latency in ms)" }, { value: "automatic", label: "Automatic: % of peak throughput (5.1+)" },
  ] }),
  thresholdMs: number({ label: "Congestion threshold", min: 5, max: 100, step: 1, value: 30, unit: "ms", help: "Manual mode. Default 30 ms; vSphere 4.1 and 5.0 allow 10–100 ms, 5.1 and later 5–100 ms. VMware advises 10–15 ms for SSD." }),
  peakPercent: number({ label: "Automatic threshold at", min: 50, max: 100, step: 1, value: 90, unit: "% of peak", help: "Automatic mode (vSphere 5.1 and later). Default 90 %." }),
  deviceQueueDepth: number({ label: "Host device queue depth (DQLEN)", min: 8, max: 128, step: 8, value: 24, unit: "slots" }),
  maxIops: number({ label: "Array capability", min: 200, max: 20000, step: 100, value: 1200, unit: "IOPS" }),
  baseLatencyMs: number({ label: "Array latency with no queueing", min: 0.5, max: 20, step: 0.5, value: 2, unit: "ms" }),
};

type HostLetter = string;
const hostName = (i: number): HostLetter => `Host ${String.fromCharCode(65 + i)}`;

function sharesOf(level: string, custom: number): number {
  return level === "custom" ? custom : SHARE_VALUES[level];
}

export const notebook = defineNotebook({
  id: "sioc",
  params,
  cells: [
    cell("support", ["version", "storage"], (version, storage) => sioc.supportCheck({ version, storage })),
    cell("threshold", ["thresholdMode", "thresholdMs", "peakPercent", "version", "hosts", "deviceQueueDepth", "maxIops", "baseLatencyMs"],
      (mode, manualMs, peakPercent, version, hosts, deviceQueueDepth, maxIops, baseLatencyMs): { thresholdMs: number; computedMs?: number; refusal?: string } => {
        if (mode === "manual") {
          const range = sioc.manualThresholdRange(version);
          if (manualMs < range.minMs || manualMs > range.maxMs) {
            return { thresholdMs: manualMs, refusal: `In vSphere ${version} a threshold set by hand may be ${range.minMs}–${range.maxMs} ms, so ${manualMs} ms cannot be set there` +
              (version === "5.1+" ? "." : `: raise it to ${range.minMs} ms or more, or choose vSphere 5.1 or later, which allows 5–100 ms.`) };
          }
          return { thresholdMs: manualMs };
        }
        if (version !== "5.1+") {
          return { thresholdMs: manualMs, refusal: `The automatic congestion threshold arrived in vSphere 5.1; in ${version} the threshold is a latency you set (default 30 ms).` };
        }
        const computedMs = sioc.automaticThreshold({ maxIops, baseLatencyMs, totalSlots: hosts * deviceQueueDepth, peakPercent });
        // The API accepts 5–100 ms; we assume the automatic value is held to the same range [A].
        return { thresholdMs: Math.min(100, Math.max(5, computedMs)), computedMs };
      }),
    text("thresholdSentence", ["threshold", "thresholdMode", "peakPercent"], (threshold, mode, peakPercent) =>
      threshold.refusal ?? (mode === "manual"
        ? `The threshold is set by hand to ${threshold.thresholdMs} ms.`
        : `At ${peakPercent} % of this array's peak throughput the latency is ${formatNumber(threshold.computedMs)} ms` +
          (threshold.computedMs === threshold.thresholdMs ? ": that becomes the threshold." : `, outside the 5–100 ms a threshold may take, so the model uses ${threshold.thresholdMs} ms (an assumption).`))),
    // Without `enabled`: the model runs both (sioc.compare), so the toggle only picks what the
    // figures put first and costs no simulation.
    cell("config", ["hosts", "vmsA", "vmsOther", "sharesA", "sharesOther", "customShares", "demandOio", "idleA1", "threshold", "deviceQueueDepth", "maxIops", "baseLatencyMs"],
      (hosts, vmsA, vmsOther, sharesA, sharesOther, customShares, demandOio, idleA1, threshold, deviceQueueDepth, maxIops, baseLatencyMs) => ({
        hosts: Array.from({ length: hosts }, (_, h) => ({
          name: hostName(h),
          vms: Array.from({ length: h === 0 ? vmsA : vmsOther }, (_, v) => ({
            name: `${hostName(h).slice(5)}${v + 1}`,
            shares: sharesOf(h === 0 ? sharesA : sharesOther, customShares),
            demandOio,
            ...(idleA1 && h === 0 && v === 0 ? { idleFromStep: 150 } : {}),
          })),
        })),
        maxIops, baseLatencyMs, deviceQueueDepth, thresholdMs: threshold.thresholdMs, enabled: true, steps: 300,
      })),
    // The simulation depends on the configuration alone, so a control that only changes whether the
    // page may show it (the threshold mode switched to one the version lacks, and back) costs no rerun:
    // the configuration stays the same object (an equal result is reused), and so does this cell's value.
    cell("comparison", ["config"], (config) => sioc.compare(config)),
    cell("refusal", ["support", "threshold"], (support, threshold): string | null =>
      !support.supported ? support.reason : threshold.refusal ?? null),
    cell("outcome", ["refusal", "comparison"], (refusal: string | null, comparison: ReturnType<typeof sioc.compare>): { refusal: string } | ReturnType<typeof sioc.compare> =>
      refusal === null ? comparison : { refusal }),
    text("supportSentence", ["support", "version", "storage"], (support) =>
      support.supported ? `Supported: ${support.reason}` : `Not supported: ${support.reason}`),
    text("headline", ["outcome", "enabled"], (outcome, enabled) => {
      if ("refusal" in outcome) return outcome.refusal;
      const on = outcome.on.steady;
      const off = outcome.off.steady;
      const windows = on.hosts.map((h: { windowSlots: number }, i: number) => `${hostName(i)} ${formatNumber(h.windowSlots, 3)}`).join(", ");
      const offWindows = off.hosts.map((h: { windowSlots: number }, i: number) => `${hostName(i)} ${formatNumber(h.windowSlots, 3)}`).join(", ");
      return enabled
        ? `Without SIOC the hosts fill ${offWindows} queue slots; with SIOC the windows settle at ${windows} slots and the datastore latency at ${formatNumber(on.latencyMs)} ms.`
        : `SIOC is off: the hosts fill ${offWindows} queue slots and the datastore latency sits at ${formatNumber(off.latencyMs)} ms.`;
    }),
    figure("queueFigure", ["outcome", "document", "deviceQueueDepth", "enabled", "width"], (outcome, doc: Document, dqlen: number, enabled: boolean, width: number) => {
      const title = enabled ? "Device queue slots per host: SIOC on (SIOC off below, to compare)" : "Device queue slots per host: SIOC off (SIOC on below, to compare)";
      if ("refusal" in outcome) return { title, refusal: outcome.refusal } satisfies Refusal;
      const panel = (label: string, result: typeof outcome.on, faded: boolean) => ({
        title: label,
        faded,
        rows: result.steady.hosts.map((h: { windowSlots: number }, i: number) => ({ name: hostName(i), used: h.windowSlots, capacity: dqlen, colour: i })),
      });
      const off = outcome.off.steady.hosts;
      const on = outcome.on.steady.hosts;
      const offPanel = panel(enabled ? "SIOC off (to compare): full queues" : "SIOC off (selected): full queues", outcome.off, enabled);
      const onPanel = panel(enabled ? "SIOC on (selected): throttled by shares" : "SIOC on (to compare): throttled by shares", outcome.on, !enabled);
      const uses = (hosts: Array<{ windowSlots: number }>) => `${hosts.map((h, i) => `${hostName(i)} uses ${formatNumber(h.windowSlots, 3)}`).join(", ")} of ${dqlen} slots`;
      return slotChart(doc, {
        width,
        title,
        panels: enabled ? [onPanel, offPanel] : [offPanel, onPanel],
        summary: enabled ? `SIOC on: ${uses(on)}. With SIOC off: ${uses(off)}.` : `SIOC off: ${uses(off)}. With SIOC on: ${uses(on)}.`,
        table: {
          caption: "Steady window per host (outstanding I/Os the host may issue)",
          columns: ["Host", "SIOC off (slots)", "SIOC on (slots)", "Share of all shares"],
          rows: on.map((h: { windowSlots: number; shareOfShares: number }, i: number) => [hostName(i), off[i].windowSlots, h.windowSlots, `${formatNumber(h.shareOfShares * 100)} %`]),
        },
      });
    }),
    figure("windowFigure", ["outcome", "document", "deviceQueueDepth", "enabled", "width"], (outcome, doc: Document, dqlen: number, enabled: boolean, width: number) => {
      const title = enabled ? "Host queue window over time with SIOC on (PARDA control)" : "Host queue window over time with SIOC off (faded: what SIOC on would do)";
      if ("refusal" in outcome) return { title, refusal: outcome.refusal } satisfies Refusal;
      type Host = { windowSlots: ArrayLike<number> };
      const r = outcome.on;
      const shown: Host[] = r.hosts.slice(0, 8);
      const offShown: Host[] = outcome.off.hosts.slice(0, 8);
      const last = r.timeS.length - 1;
      const converge = `${shown.map((h, i) => `${hostName(i)} ${formatNumber(h.windowSlots[last], 3)}`).join(", ")} slots`;
      const drawn = r.hosts.length > shown.length ? ` (first ${shown.length} of ${r.hosts.length} hosts drawn)` : "";
      const onSeries = (faded: boolean) => shown.map((h, i) => ({ name: faded ? `${hostName(i)}, SIOC on` : hostName(i), x: r.timeS, y: h.windowSlots, colour: i, faded, dashed: faded }));
      return lineChart(doc, {
        width,
        title,
        x: { label: "Time (s)" },
        y: { label: "Window (queue slots)", domain: [0, dqlen * 1.08] },
        series: enabled ? onSeries(false) : [...offShown.map((h, i) => ({ name: `${hostName(i)}, SIOC off`, x: outcome.off.timeS, y: h.windowSlots, colour: i })), ...onSeries(true)],
        rules: [{ y: dqlen, label: `DQLEN ${dqlen}` }],
        summary: enabled
          ? `Starting from the full queue of ${dqlen}, the windows converge to ${converge}${drawn}.`
          : `With SIOC off nothing throttles the hosts: every window stays at the full queue of ${dqlen}${drawn}. With SIOC on they would converge to ${converge}.`,
        table: {
          caption: enabled ? "Window per host every 10 s, SIOC on" : "Window per host every 10 s, SIOC off and (for comparison) on",
          columns: ["Time (s)", ...r.hosts.flatMap((_: unknown, i: number) => enabled ? [hostName(i)] : [`${hostName(i)} off`, `${hostName(i)} on`])],
          rows: everyNth(r.timeS.length, 10).map((t) => [r.timeS[t], ...r.hosts.flatMap((h: Host, i: number) => enabled ? [h.windowSlots[t]] : [outcome.off.hosts[i].windowSlots[t], h.windowSlots[t]])]),
        },
      });
    }),
    figure("latencyFigure", ["outcome", "document", "threshold", "enabled", "width"], (outcome, doc: Document, { thresholdMs }: { thresholdMs: number }, enabled: boolean, width: number) => {
      const title = enabled ? "Datastore latency over time: SIOC on (faded: off, to compare)" : "Datastore latency over time: SIOC off (faded: on, to compare)";
      if ("refusal" in outcome) return { title, refusal: outcome.refusal } satisfies Refusal;
      const { on, off } = outcome;
      return lineChart(doc, {
        width,
        title,
        x: { label: "Time (s)" },
        y: { label: "Device latency (ms)" },
        series: [
          { name: "SIOC off", x: off.timeS, y: off.latencyMs, colour: 2, dashed: true, faded: enabled },
          { name: "SIOC on", x: on.timeS, y: on.latencyMs, colour: 0, faded: !enabled },
        ],
        rules: [{ y: thresholdMs, label: `threshold ${formatNumber(thresholdMs)} ms` }],
        summary: enabled
          ? `With SIOC on, latency settles at ${formatNumber(on.steady.latencyMs)} ms for a ${formatNumber(thresholdMs)} ms threshold (${formatNumber(off.steady.latencyMs)} ms with it off); ` +
            `total throughput ${formatNumber(on.steady.totalIops)} IOPS (${formatNumber(off.steady.totalIops)} IOPS with it off).`
          : `With SIOC off, latency settles at ${formatNumber(off.steady.latencyMs)} ms, whatever the ${formatNumber(thresholdMs)} ms threshold (${formatNumber(on.steady.latencyMs)} ms with it on); ` +
            `total throughput ${formatNumber(off.steady.totalIops)} IOPS (${formatNumber(on.steady.totalIops)} IOPS with it on).`,
        table: {
          caption: "Datastore latency every 10 s",
          columns: ["Time (s)", "SIOC off (ms)", "SIOC on (ms)"],
          rows: everyNth(on.timeS.length, 10).map((t) => [on.timeS[t], off.latencyMs[t], on.latencyMs[t]]),
        },
      });
    }),
    figure("vmFigure", ["outcome", "document", "enabled", "width"], (outcome, doc: Document, enabled: boolean, width: number) => {
      const title = `Throughput per VM against its share entitlement, SIOC ${enabled ? "on" : "off"} (faded: ${enabled ? "off" : "on"}, to compare)`;
      if ("refusal" in outcome) return { title, refusal: outcome.refusal } satisfies Refusal;
      const { on, off } = outcome;
      const tooMany = on.vms.length > 40;
      type VmRow = { name: string; host: number; iops: number; entitlementIops: number; shares: number };
      const group = (vms: VmRow[], pick: (v: VmRow) => number) => tooMany
        ? on.hosts.map((_: unknown, h: number) => vms.filter((v) => v.host === h).reduce((s, v) => s + pick(v), 0))
        : vms.map(pick);
      const categories: string[] = tooMany ? on.hosts.map((_: unknown, h: number) => hostName(h)) : on.vms.map((v: VmRow) => v.name);
      const offIops = group(off.vms, (v) => v.iops);
      const onIops = group(on.vms, (v) => v.iops);
      const entitled = group(on.vms, (v) => v.entitlementIops);
      // The VM SIOC helps most: the furthest below its entitlement without SIOC.
      // Idle VMs have no entitlement: they cannot be the worst treated.
      const fraction = (v: VmRow, i: number) => (v.entitlementIops > 0 ? off.vms[i].iops / v.entitlementIops : Infinity);
      const worstIndex = on.vms.reduce((w: number, v: VmRow, i: number) => (fraction(v, i) < fraction(on.vms[w], w) ? i : w), 0);
      const worst: VmRow = on.vms[worstIndex];
      const worstOff: VmRow = off.vms[worstIndex];
      const percent = (x: number) => `${formatNumber((100 * x) / Math.max(worst.entitlementIops, 1e-9), 2)} %`;
      return barChart(doc, {
        width,
        title,
        categories,
        groups: [{ name: "SIOC off", colour: 2, faded: enabled }, { name: "SIOC on", colour: 0, faded: !enabled }],
        values: [offIops, onIops],
        markers: { name: "share entitlement", values: entitled },
        x: { label: tooMany ? "Host (VMs summed: too many to draw one by one)" : "VM (host letter and number)" },
        y: { label: "Throughput (IOPS)" },
        summary: enabled
          ? `With SIOC on, ${worst.name} (${worst.shares} shares), the VM worst treated without it, gets ${formatNumber(worst.iops)} IOPS, ${percent(worst.iops)} of its ${formatNumber(worst.entitlementIops)} IOPS entitlement; with SIOC off it would get ${formatNumber(worstOff.iops)} IOPS (${percent(worstOff.iops)}).`
          : `With SIOC off, the worst-treated VM is ${worst.name} (${worst.shares} shares): ${formatNumber(worstOff.iops)} IOPS, ${percent(worstOff.iops)} of its ${formatNumber(worst.entitlementIops)} IOPS entitlement. With SIOC on it would get ${formatNumber(worst.iops)} IOPS (${percent(worst.iops)}).`,
        table: {
          caption: "Steady throughput per VM",
          columns: ["VM", "Host", "Shares", "SIOC off (IOPS)", "SIOC on (IOPS)", "Entitlement (IOPS)"],
          rows: on.vms.map((v: VmRow, i: number) => [v.name, hostName(v.host), v.shares, off.vms[i].iops, v.iops, v.entitlementIops]),
        },
      });
    }),
  ],
});

function everyNth(length: number, n: number): number[] {
  const out: number[] = [];
  for (let i = 0; i < length; i += n) out.push(i);
  if (out.at(-1) !== length - 1) out.push(length - 1);
  return out;
}

/** The Observable embedding form: new Runtime({ document }).module(define, observer). */
export const define = observableDefine(notebook);
