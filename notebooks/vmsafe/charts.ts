/**
 * The VMsafe notebook's four charts, built from model results: offline-scan progress against the
 * window, appliances needed per window length, the in-guest CPU "summit", and the three ways of
 * scanning side by side. Every number here comes from src/vmsafe; this file only draws.
 */
import type { AppliancesNeeded, InGuestResult, OfflineScanResult, OffloadResult } from "../../src/vmsafe/index.ts";
import { progressPercent } from "../../src/vmsafe/index.ts";
import { barChart, formatNumber, lineChart, type ChartView, type Refusal } from "../lib/chart.ts";

const hoursText = (h: number) => (h < 1 ? `${formatNumber(h * 60)} min` : `${formatNumber(h)} h`);

export function offlineChart(doc: Document, r: OfflineScanResult, appliances: number, width: number): ChartView {
  const endH = Math.max(r.hours, r.windowH) * 1.05;
  const timeH = Array.from({ length: 61 }, (_, i) => (endH * i) / 60);
  const who = appliances === 1 ? "One appliance" : `${appliances} appliances`;
  return lineChart(doc, {
    width,
    title: "Offline scan of the pool: progress against the scan window",
    x: { label: "Hours since the pass started (h)", domain: [0, endH] },
    y: { label: "Pool scanned (% of bytes)", domain: [0, 108] },
    series: [
      { name: `${who} (${formatNumber(r.clusterMBps)} MB/s)`, x: timeH, y: timeH.map((t) => progressPercent(r, t)), colour: 0 },
      { name: `Pace that ends at ${formatNumber(r.windowH)} h`, x: [0, r.windowH], y: [0, 100], colour: 2, dashed: true },
    ],
    rules: [{ y: 100, label: "whole pool" }],
    summary: `${who} read${appliances === 1 ? "s" : ""} ${formatNumber(r.bytesToScanGB)} GB at ${formatNumber(r.clusterMBps)} MB/s (bound by ${r.bottleneck}) and finish${appliances === 1 ? "es" : ""} after ${hoursText(r.hours)}: ` +
      (r.fitsWindow ? `inside the ${formatNumber(r.windowH)} h window.` : `${formatNumber(r.hours / r.windowH)} times the ${formatNumber(r.windowH)} h window; ${formatNumber(progressPercent(r, r.windowH))} % is done when the window closes.`),
    table: {
      caption: "Pool scanned over time",
      columns: ["Hours since start", "Scanned (%)", "Scanned (GB)"],
      rows: timeH.filter((_, i) => i % 6 === 0).map((t) => [t, progressPercent(r, t), (progressPercent(r, t) / 100) * r.bytesToScanGB]),
    },
  });
}

export function appliancesChart(doc: Document, curve: readonly AppliancesNeeded[], current: { windowH: number; appliances: number }, width: number): ChartView | Refusal {
  const title = "Appliances needed to finish inside the window";
  const feasible = curve.filter((p) => p.appliances !== null);
  if (feasible.length === 0) {
    return { title, refusal: "The datastores' spare read rate is too low for any window up to 48 h: no number of appliances finishes. Add datastores or spare IOPS, or scan less data (incremental, linked clones)." };
  }
  const here = curve.find((p) => p.windowH === current.windowH);
  const shortest = feasible[0];
  return lineChart(doc, {
    width,
    title,
    x: { label: "Scan window (h)", domain: [0, curve[curve.length - 1].windowH] },
    y: { label: "Appliances needed" },
    series: [{ name: "Appliances needed", x: feasible.map((p) => p.windowH), y: feasible.map((p) => p.appliances!), colour: 0 }],
    rules: [{ y: current.appliances, label: `${current.appliances} in use` }],
    summary: (here?.appliances != null
      ? `A ${formatNumber(current.windowH)} h window needs ${here.appliances} appliance${here.appliances === 1 ? "" : "s"} (you have ${current.appliances}).`
      : `A ${formatNumber(current.windowH)} h window cannot be met: the datastores are the limit.`) +
      (shortest.windowH > curve[0].windowH ? ` Windows shorter than ${formatNumber(shortest.windowH)} h are out of reach at any appliance count: the datastores bind.` : ` A ${formatNumber(shortest.windowH)} h window would need ${shortest.appliances}.`),
    table: {
      caption: "Appliances needed per window",
      columns: ["Window (h)", "Rate needed (MB/s)", "Appliances"],
      rows: curve.filter((p) => Number.isInteger(p.windowH)).map((p) => [p.windowH, p.neededMBps, p.appliances ?? "datastores too slow"]),
    },
  });
}

export function summitChart(doc: Document, r: InGuestResult, together: InGuestResult, scheduleName: string, width: number): ChartView {
  const spread = r !== together;
  const series = [
    ...(spread ? [{ name: "All at once", x: together.timeH, y: together.cpuDemandPercent, colour: 2, dashed: true }] : []),
    { name: spread ? scheduleName : "All at once", x: r.timeH, y: r.cpuDemandPercent, colour: 0 },
  ];
  const peak = (x: ArrayLike<number>) => Math.max(...Array.from(x));
  const waveH = r.waveDurationS / 3600;
  return lineChart(doc, {
    width,
    title: "In-guest scans: CPU the desktops ask of their hosts over the day",
    x: { label: "Hours after the first scheduled scan (h)" },
    y: { label: "CPU asked (% of host capacity)" },
    series,
    rules: [{ y: 100, label: "host capacity" }],
    summary: `${spread ? scheduleName : "Every desktop starts at once"}: at most ${formatNumber(r.peakConcurrent)} desktops scan together, asking for ${formatNumber(100 * r.peakHostUtil)} % of the hosts' CPU ` +
      `(baseline ${formatNumber(r.baselineCpuPercent)} %)${r.saturated ? ": the hosts saturate and every scan stretches" : ""}. ` +
      (r.finished ? `The wave lasts ${hoursText(waveH)}.` : `After a week ${formatNumber(r.unscannedGB)} GB is still unscanned.`) +
      (spread ? ` All at once it would peak at ${formatNumber(peak(together.cpuDemandPercent))} %.` : ""),
    table: {
      caption: "Every 30 minutes: desktops scanning, CPU asked and datastore IOPS",
      columns: ["Hour", "Desktops scanning", "CPU asked (%)", "CPU delivered (%)", "IOPS (all desktops)"],
      rows: Array.from(r.timeH).flatMap((t, i) => (i % 30 === 0 ? [[t, r.scanning[i], r.cpuDemandPercent[i], r.hostCpuPercent[i], r.datastoreIops[i]]] : [])),
    },
  });
}

export interface Approach {
  name: string;
  scannedGB: number;
  hours: number;
  peakScanCpuMHz: number;
}

export function cacheChart(doc: Document, approaches: readonly Approach[], o: OffloadResult, width: number): ChartView {
  return barChart(doc, {
    width,
    title: "One full pass over the pool: data each approach scans",
    categories: approaches.map((a) => a.name),
    groups: [{ name: "Data scanned (GB)", colour: 0 }],
    values: [approaches.map((a) => a.scannedGB)],
    x: { label: "Approach" },
    y: { label: "Data scanned (GB)" },
    summary: `The shared cache leaves ${formatNumber(o.uniqueGB)} of ${formatNumber(o.totalGB)} GB to scan (dedup ratio ${formatNumber(o.dedupRatio)}), ` +
      `${hoursText(o.hours)} for the security VMs, whose scanning never uses more than ${formatNumber(o.peakScanCpuMHz)} MHz in all. ` +
      approaches.map((a) => `${a.name}: ${formatNumber(a.scannedGB)} GB in ${hoursText(a.hours)}`).join("; ") + ".",
    table: {
      caption: "Data, time and peak scanning CPU per approach",
      columns: ["Approach", "Data scanned (GB)", "Time for the pass (h)", "Peak scanning CPU (MHz)"],
      rows: approaches.map((a) => [a.name, a.scannedGB, a.hours, a.peakScanCpuMHz]),
    },
  });
}
