/**
 * VMsafe notebook: can one offline-scanning appliance get through 1,000 desktops a day, what the
 * in-guest alternative does to the hosts' CPU, and what per-host offload with a shared cache
 * changed. Every number comes from src/vmsafe; the charts are drawn in charts.ts.
 */
import * as vmsafe from "../../src/vmsafe/index.ts";
import { cell, defineNotebook, figure, text } from "../lib/cells.ts";
import { observableDefine } from "../lib/define.ts";
import { number, select, toggle } from "../lib/params.ts";
import { formatNumber } from "../lib/chart.ts";
import { appliancesChart, cacheChart, offlineChart, summitChart, type Approach } from "./charts.ts";

/** Fixed figures the page states as assumptions [A] instead of offering as controls. */
const CORE_MHZ = 2600;
const IO_SIZE_KB = 64;
const BASELINE_IOPS_PER_VM = 10;
/** The appliances-needed curve: every half hour from 1 h to 48 h. */
const CURVE_WINDOWS_H = Array.from({ length: 95 }, (_, i) => 1 + i / 2);

export const params = {
  desktops: number({ label: "Desktops", min: 50, max: 20000, step: 50, value: 1000, unit: "desktops" }),
  usedGB: number({ label: "Used disk per desktop", min: 1, max: 60, step: 0.5, value: 6, unit: "GB", help: "6 GB is our Windows XP figure, about 15 GB a Windows 7 one (assumptions)." }),
  sharedPercent: number({ label: "Shared replica (linked clones)", min: 0, max: 95, step: 5, value: 0, unit: "% of used disk", help: "0 for full clones; about 70 % for linked clones (an assumption)." }),
  scanSharedOnce: toggle({ label: "Scan the shared replica once for the pool", value: true }),
  mode: select({ label: "Offline pass", value: "full", options: [
    { value: "full", label: "Full: every used block" }, { value: "incremental", label: "Incremental: only what changed" },
  ] }),
  changedGB: number({ label: "Data each desktop changes per day", min: 0.1, max: 5, step: 0.1, value: 0.5, unit: "GB" }),
  appliances: number({ label: "Scanning appliances", min: 1, max: 64, step: 1, value: 1, unit: "appliances" }),
  coresPerAppliance: number({ label: "Cores per appliance", min: 1, max: 16, step: 1, value: 2, unit: "cores" }),
  scanMBpsPerCore: number({ label: "Scan rate per core", min: 5, max: 60, step: 1, value: 20, unit: "MB/s" }),
  transport: select({ label: "VDDK transport mode", value: "HotAdd", options: vmsafe.TRANSPORT_MODES.map((m) => ({ value: m, label: vmsafe.TRANSPORT_DEFAULTS[m].label })) }),
  parallelStreams: number({ label: "Disks each appliance reads at once", min: 1, max: 16, step: 1, value: 4, unit: "streams" }),
  datastores: number({ label: "Datastores", min: 1, max: 32, step: 1, value: 4, unit: "datastores" }),
  datastoreReadIOPS: number({ label: "Spare read IOPS per datastore", min: 100, max: 10000, step: 100, value: 1500, unit: "IOPS" }),
  windowH: number({ label: "Scan window", min: 1, max: 48, step: 1, value: 24, unit: "h" }),
  hosts: number({ label: "ESX hosts", min: 1, max: 64, step: 1, value: 16, unit: "hosts" }),
  coresPerHost: number({ label: "Cores per host", min: 2, max: 64, step: 2, value: 8, unit: "cores" }),
  scheduleKind: select({ label: "How the scans start", value: "random", options: [
    { value: "random", label: "At random times within the spread" }, { value: "staggered", label: "Staggered: a few per host at a time" },
  ] }),
  spreadH: number({ label: "Spread the scan starts over", min: 0, max: 24, step: 0.25, value: 0, unit: "h", help: "0 h: every desktop starts at the same minute." }),
  scansPerHost: number({ label: "Staggered: scans starting together on each host", min: 1, max: 16, step: 1, value: 1, unit: "desktops" }),
  perVmScanMBps: number({ label: "Scan rate inside one desktop", min: 2, max: 100, step: 1, value: 10, unit: "MB/s" }),
  scanCpuMHz: number({ label: "CPU a scanning desktop adds", min: 100, max: 3000, step: 50, value: 1500, unit: "MHz" }),
  scanIOPS: number({ label: "IOPS a scanning desktop adds", min: 10, max: 1000, step: 10, value: 150, unit: "IOPS" }),
  baselineCpuMHz: number({ label: "CPU an idle desktop uses", min: 0, max: 1000, step: 10, value: 250, unit: "MHz" }),
  svmCores: number({ label: "Cores per security VM", min: 1, max: 8, step: 1, value: 2, unit: "cores" }),
  dupPercent: number({ label: "Files identical across desktops", min: 0, max: 95, step: 5, value: 50, unit: "% of own data" }),
};

const hoursText = (h: number) => (h < 1 ? `${formatNumber(h * 60)} minutes` : `${formatNumber(h)} hours`);

export const notebook = defineNotebook({
  id: "vmsafe",
  params,
  cells: [
    cell("offlineInput", ["desktops", "usedGB", "sharedPercent", "scanSharedOnce", "mode", "changedGB", "appliances", "coresPerAppliance", "scanMBpsPerCore", "transport", "parallelStreams", "datastores", "datastoreReadIOPS", "windowH"],
      (desktops, usedGB, sharedPercent, scanSharedOnce, mode, changedGB, appliances, coresPerAppliance, scanMBpsPerCore, transport, parallelStreams, datastores, datastoreReadIOPS, windowH): vmsafe.OfflineScanInput => ({
        desktops, usedGBPerDesktop: usedGB, linkedCloneShare: sharedPercent / 100, scanSharedOnce, mode, changedGBPerDayPerDesktop: changedGB,
        appliances, coresPerAppliance, scanMBpsPerCore, transport, parallelStreams, datastores, datastoreReadIOPS, ioSizeKB: IO_SIZE_KB, windowH,
      })),
    cell("offline", ["offlineInput"], (input) => vmsafe.offlineScan(input)),
    cell("needed", ["offlineInput"], (input) => vmsafe.appliancesNeeded(input)),
    cell("share", ["hosts", "coresPerHost", "appliances", "coresPerAppliance"], (hosts, coresPerHost, appliances, coresPerAppliance) =>
      vmsafe.cpuShare({ hosts, coresPerHost, appliances, coresPerAppliance })),
    text("headline", ["offline", "needed", "appliances", "desktops", "windowH"], (r: vmsafe.OfflineScanResult, need: vmsafe.AppliancesNeeded, appliances, desktops, windowH) => {
      const who = appliances === 1 ? "one appliance" : `${appliances} appliances`;
      const verdict = r.fitsWindow ? `Yes: ${who} finish${appliances === 1 ? "es" : ""}` : `No: ${who} need${appliances === 1 ? "s" : ""}`;
      const more = need.appliances === null
        ? ` No number of appliances meets a ${windowH} h window: the datastores' spare reads are the limit.`
        : ` The ${windowH} h window needs ${need.appliances} appliance${need.appliances === 1 ? "" : "s"}.`;
      return `${verdict} ${hoursText(r.hours)} for ${formatNumber(desktops)} desktops (${formatNumber(r.bytesToScanGB)} GB at ${formatNumber(r.clusterMBps)} MB/s, bound by ${r.bottleneck}) against a ${windowH} h window. ` +
        `One appliance gets through ${formatNumber(r.desktopsPerWindowPerAppliance)} desktops in that window.${more}`;
    }),
    text("shareSentence", ["share"], (s: vmsafe.CpuShareResult) =>
      `The appliances hold ${s.applianceCores} of the cluster's ${s.clusterCores} cores (${formatNumber(100 * s.share)} %): at the same speed per core, the offline pass takes ${formatNumber(s.slowdown)} times as long as an in-guest scan that could use every core — before storage limits either.`),
    figure("offlineFigure", ["offline", "appliances", "document", "width"], (r, appliances, doc: Document, width: number) => offlineChart(doc, r, appliances, width)),
    cell("curve", ["offlineInput"], (input) => vmsafe.appliancesCurve(input, CURVE_WINDOWS_H)),
    figure("appliancesFigure", ["curve", "windowH", "appliances", "document", "width"], (curve, windowH, appliances, doc: Document, width: number) =>
      appliancesChart(doc, curve, { windowH, appliances }, width)),
    cell("schedule", ["scheduleKind", "spreadH", "scansPerHost", "hosts", "desktops"], (kind, spreadH, scansPerHost, hosts, desktops): vmsafe.ScanSchedule => {
      if (spreadH === 0) return { kind: "simultaneous" };
      return kind === "staggered"
        ? { kind, windowS: spreadH * 3600, batchSize: Math.min(desktops, hosts * scansPerHost) }
        : { kind: "random", windowS: spreadH * 3600 };
    }),
    cell("inGuestInput", ["desktops", "hosts", "coresPerHost", "usedGB", "perVmScanMBps", "scanCpuMHz", "scanIOPS", "baselineCpuMHz"],
      (desktops, hosts, coresPerHost, usedGB, perVmScanMBps, scanCpuMHz, scanIOPS, baselineCpuMHz): Omit<vmsafe.InGuestInput, "schedule"> => ({
        desktops, hosts, hostMHz: coresPerHost * CORE_MHZ, usedGBPerDesktop: usedGB, perVmScanMBps, scanCpuMHz, scanIOPS,
        baselineCpuMHzPerVm: baselineCpuMHz, baselineIOPSPerVm: BASELINE_IOPS_PER_VM,
      })),
    cell("together", ["inGuestInput"], (input) => vmsafe.inGuestScan({ ...input, schedule: { kind: "simultaneous" } })),
    cell("inGuest", ["inGuestInput", "schedule", "together"], (input, schedule: vmsafe.ScanSchedule, together) =>
      schedule.kind === "simultaneous" ? together : vmsafe.inGuestScan({ ...input, schedule })),
    cell("scheduleName", ["schedule", "spreadH", "scansPerHost"], (schedule: vmsafe.ScanSchedule, spreadH, scansPerHost) =>
      schedule.kind === "simultaneous" ? "All at once"
        : schedule.kind === "random" ? `Random over ${formatNumber(spreadH)} h` : `Staggered over ${formatNumber(spreadH)} h, ${scansPerHost} per host`),
    figure("summitFigure", ["inGuest", "together", "scheduleName", "document", "width"], (r, together, name, doc: Document, width: number) =>
      summitChart(doc, r, together, name, width)),
    text("summitSentence", ["inGuest", "together"], (r: vmsafe.InGuestResult, together: vmsafe.InGuestResult) =>
      `All at once, the desktops ask for ${formatNumber(100 * together.peakHostUtil)} % of the hosts' CPU and the scan wave lasts ${hoursText(together.waveDurationS / 3600)}; ` +
      (r === together ? "spread the starts to flatten the summit." : `with this schedule the peak is ${formatNumber(100 * r.peakHostUtil)} % and ${formatNumber(r.peakIops)} IOPS${r.saturated ? ", still above what the hosts have" : ""}.`)),
    cell("offload", ["desktops", "hosts", "usedGB", "sharedPercent", "dupPercent", "svmCores", "scanMBpsPerCore", "changedGB", "windowH"],
      (desktops, hosts, usedGB, sharedPercent, dupPercent, svmCores, scanMBpsPerCore, changedGB, windowH) => vmsafe.offload({
        desktops, hosts, usedGBPerDesktop: usedGB, linkedCloneShare: sharedPercent / 100, dupAcrossDesktops: dupPercent / 100,
        svmCores, scanMBpsPerCore, coreMHz: CORE_MHZ, changedGBPerDayPerDesktop: changedGB, windowH,
      })),
    cell("approaches", ["inGuest", "offline", "offload", "scanCpuMHz", "appliances", "coresPerAppliance", "desktops", "usedGB"],
      (g: vmsafe.InGuestResult, r: vmsafe.OfflineScanResult, o: vmsafe.OffloadResult, scanCpuMHz, appliances, coresPerAppliance, desktops, usedGB): Approach[] => [
        { name: "In-guest agents", scannedGB: desktops * usedGB, hours: g.waveDurationS / 3600, peakScanCpuMHz: g.peakConcurrent * scanCpuMHz },
        { name: "Appliances", scannedGB: r.bytesToScanGB, hours: r.hours, peakScanCpuMHz: appliances * coresPerAppliance * CORE_MHZ },
        { name: "SVMs + cache", scannedGB: o.uniqueGB, hours: o.hours, peakScanCpuMHz: o.peakScanCpuMHz },
      ]),
    figure("cacheFigure", ["approaches", "offload", "document", "width"], (approaches, o, doc: Document, width: number) => cacheChart(doc, approaches, o, width)),
    text("cacheSentence", ["offload", "windowH"], (o: vmsafe.OffloadResult, windowH) =>
      `With the cache, the security VMs scan ${formatNumber(o.uniqueGB)} GB (a dedup ratio of ${formatNumber(o.dedupRatio)}) in ${hoursText(o.hours)}, ${o.fitsWindow ? "inside" : "beyond"} the ${windowH} h window; ` +
      `afterwards they only scan what the desktops change, ${formatNumber(o.onAccessGBPerDay)} GB a day (${hoursText(o.onAccessHoursPerDay)} of their time).`),
  ],
});

/** The Observable embedding form: new Runtime({ document }).module(define, observer). */
export const define = observableDefine(notebook);
