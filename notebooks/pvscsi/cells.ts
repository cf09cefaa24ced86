/**
 * PVSCSI vs LSI Logic notebook: a VM's IOPS and outstanding I/Os in, the adapter with the lower
 * latency out, with the reason; the crossover map over every workload; the completion timeline
 * that shows why; and the Windows Server 2008 boot-from-PVSCSI decision. Every number comes from
 * src/pvscsi; this file only asks the model and hands the answers to the chart and word builders.
 */
import * as pvscsi from "../../src/pvscsi/index.ts";
import { cell, defineNotebook, element, figure, text } from "../lib/cells.ts";
import { observableDefine } from "../lib/define.ts";
import { number, select } from "../lib/params.ts";
import { formatNumber, type DataTable, type Refusal } from "../lib/chart.ts";
import { h } from "../lib/dom.ts";
import { heatmapChart, heatmapLayer, type HeatmapLayer } from "./heatmap.ts";
import { timelineChart } from "./timeline-chart.ts";
import {
  ADAPTER_NAMES, RELEASE_NAMES, balanceWords, bootSentence, holdWords, isRefused, mapSentence, mapTable, modelLineWords, numbersSentence,
  publishedSentence, refusalFor, timelineSummary, timelineTable, verdictSentence, type Refused,
} from "./words.ts";

const RELEASE_OPTIONS = pvscsi.RELEASES.map((value) => ({ value, label: RELEASE_NAMES[value] }));
const IO_SIZES = [4, 8, 16, 32, 64, 256, 512, 1024];

export const params = {
  iops: number({ label: "Your VM's IOPS", unit: "IOPS", min: 100, max: 20_000, step: 10, value: 1000, help: "As esxtop shows it today, with the disk on LSI Logic." }),
  oio: number({ label: "Outstanding I/Os it keeps", unit: "I/Os", min: 1, max: 64, step: 1, value: 8, help: "esxtop's ACTV for the VM's disk: I/Os in flight on average." }),
  release: select({ label: "ESX release", value: "4.0", options: RELEASE_OPTIONS }),
  ioSizeKiB: select({ label: "I/O size", unit: "KiB", value: "8", options: IO_SIZES.map((s) => ({ value: String(s), label: `${s} KiB` })) }),
  cEmulUs: number({ label: "LSI Logic CPU per I/O, without its interrupt", unit: "µs", min: 10, max: 150, step: 1, value: 45, help: "An assumption: see “What this model leaves out”." }),
  cParaUs: number({ label: "PVSCSI CPU per I/O, without its interrupt", unit: "µs", min: 5, max: 150, step: 1, value: 42 }),
  irqCostUs: number({ label: "CPU per virtual interrupt", unit: "µs", min: 0, max: 60, step: 1, value: 15 }),
  guestOs: select({ label: "Guest OS", value: "windows-2008", options: [
    { value: "windows-2008", label: "Windows Server 2008 (and 2008 R2)" }, { value: "windows-2003", label: "Windows Server 2003" },
    { value: "rhel-5", label: "Red Hat Enterprise Linux 5" }, { value: "other", label: "Another guest OS" },
  ] }),
  bootRelease: select({ label: "ESX release of the host", value: "4.0", options: RELEASE_OPTIONS }),
  situation: select({ label: "The VM", value: "new-install", help: "Matters only where a PVSCSI boot disk is allowed: ESX 4.0 Update 1 or later, and a supported guest.", options: [
    { value: "new-install", label: "is being installed now" }, { value: "existing-vm", label: "is already installed on LSI Logic" },
  ] }),
};

type Outcome = pvscsi.Recommendation | Refused;

const refuse = (title: string, r: Refused): Refusal => ({ title, refusal: r.refusal });

export const notebook = defineNotebook({
  id: "pvscsi",
  params,
  cells: [
    cell("costs", ["cEmulUs", "cParaUs", "irqCostUs"], (cEmulUs: number, cParaUs: number, irqCostUs: number): pvscsi.CpuCosts => ({ cEmulUs, cParaUs, irqCostUs })),
    cell("outcome", ["iops", "oio", "release", "ioSizeKiB", "costs"], (iops: number, oio: number, release: pvscsi.Release, size: string, costs: pvscsi.CpuCosts): Outcome => {
      try {
        return pvscsi.recommend({ iops, oio, release, ioSizeKiB: Number(size), costs });
      } catch (error) {
        return refusalFor(error, iops, oio);
      }
    }),
    // ESX 4.0's map: the one the prose about the model's own line reads, whatever release is
    // shown, and the one 4.0 Update 1 shows too (it coalesces as 4.0 does).
    cell("map40", ["costs"], (costs: pvscsi.CpuCosts): pvscsi.CrossoverMap | Refused => {
      try {
        return pvscsi.crossoverMap({ release: "4.0", costs });
      } catch (error) {
        return refusalFor(error);
      }
    }),
    // 4.1's map, only while 4.1 is shown (null otherwise: no work for a map nobody sees).
    cell("map41", ["release", "costs"], (release: pvscsi.Release, costs: pvscsi.CpuCosts): pvscsi.CrossoverMap | Refused | null => {
      if (release !== "4.1+") return null;
      try {
        return pvscsi.crossoverMap({ release, costs });
      } catch (error) {
        return refusalFor(error);
      }
    }),
    cell("timeline", ["iops", "oio", "release", "costs"], (iops: number, oio: number, release: pvscsi.Release, costs: pvscsi.CpuCosts): pvscsi.CompletionTimeline | Refused => {
      try {
        return pvscsi.completionTimeline({ iops, oio, release, costs }, 8);
      } catch (error) {
        return refusalFor(error, iops, oio);
      }
    }),
    text("verdict", ["outcome", "release"], (o: Outcome, release: pvscsi.Release) => (isRefused(o) ? o.refusal : verdictSentence(o, release))),
    text("numbers", ["outcome"], (o: Outcome) => (isRefused(o) ? "No latencies or CPU costs for this workload: the reason is given above." : numbersSentence(o))),
    text("published", ["outcome", "release"], (o: Outcome, release: pvscsi.Release) =>
      (isRefused(o) ? "VMware's published rule is compared with the model once the workload is one the model can run." : publishedSentence(o, release))),
    text("modelLine", ["map40"], (m: pvscsi.CrossoverMap | Refused) => (isRefused(m) ? "nowhere the model can draw with these costs" : modelLineWords(m))),
    text("holdAssumption", [], () => holdWords()),
    text("balanceAt2000", ["costs"], (costs: pvscsi.CpuCosts) => {
      try {
        return balanceWords(pvscsi.compareObserved({ iops: 2000, oio: 8, release: "4.0", costs }));
      } catch (error) {
        return refusalFor(error).refusal;
      }
    }),
    // What the marker does not move (the grid's drawing, the sampled table), computed once per map;
    // 4.0's drawing is kept while 4.1 is shown, so switching back costs nothing.
    cell("layer40", ["map40", "width"], (m: pvscsi.CrossoverMap | Refused, width: number): HeatmapLayer | Refused => (isRefused(m) ? m : heatmapLayer(m, width))),
    cell("heatmapLayer", ["layer40", "map41", "width"], (layer40: HeatmapLayer | Refused, m41: pvscsi.CrossoverMap | Refused | null, width: number): HeatmapLayer | Refused =>
      (m41 === null ? layer40 : isRefused(m41) ? m41 : heatmapLayer(m41, width))),
    cell("heatmapTable", ["release", "costs"], (release: pvscsi.Release, costs: pvscsi.CpuCosts) => mapTable(release, costs)),
    figure("heatmapFigure", ["heatmapLayer", "heatmapTable", "outcome", "iops", "oio", "release", "document"],
      (layer: HeatmapLayer | Refused, table: DataTable, o: Outcome, iops: number, oio: number, release: pvscsi.Release, doc: Document) => {
        const title = `Where PVSCSI is slower than LSI Logic: ${RELEASE_NAMES[release]}`;
        if (isRefused(layer)) return refuse(title, layer);
        const you = isRefused(o)
          ? `Your VM (${formatNumber(iops)} IOPS, ${oio} OIO) is off the model: ${o.refusal}`
          : `Your VM (${formatNumber(iops)} IOPS, ${oio} outstanding I/Os): ${ADAPTER_NAMES[o.adapter]} is faster by ${formatNumber(o.latencySavingMs)} ms; PVSCSI ${formatNumber(o.comparison.pvscsi.latencyMs)} ms and ${formatNumber(o.comparison.pvscsi.cpuPerIoUs)} µs CPU per I/O, LSI Logic ${formatNumber(o.comparison.lsi.latencyMs)} ms and ${formatNumber(o.comparison.lsi.cpuPerIoUs)} µs.`;
        return heatmapChart(doc, {
          layer,
          marker: { iops, oio, label: isRefused(o) ? "your VM (off the model)" : `your VM: ${o.adapter === "lsi" ? "LSI" : "PVSCSI"} +${formatNumber(o.latencySavingMs, 2)} ms` },
          title,
          summary: `${mapSentence(layer.map, release)} ${you}`,
          table,
        });
      }),
    figure("timelineFigure", ["timeline", "oio", "document", "width"], (t: pvscsi.CompletionTimeline | Refused, oio: number, doc: Document, width: number) => {
      const title = "When the guest hears of each completion, without and with coalescing";
      if (isRefused(t)) return refuse(title, t);
      return timelineChart(doc, {
        timeline: t,
        width,
        title,
        lanes: ["Without coalescing (as LSI Logic)", t.k === 1 ? `PVSCSI at ${oio} OIO: no coalescing either` : `PVSCSI: ${t.k} completions per interrupt`],
        summary: timelineSummary(t),
        table: timelineTable(t),
      });
    }),
    cell("boot", ["guestOs", "bootRelease", "situation"], (guestOs: pvscsi.GuestOs, release: pvscsi.Release, situation: pvscsi.Situation) =>
      pvscsi.bootDecision({ guestOs, release, situation })),
    text("bootVerdict", ["boot"], (d: pvscsi.BootDecision) => bootSentence(d)),
    element("bootSteps", ["boot", "document"], (d: pvscsi.BootDecision, doc: Document) =>
      d.steps.length === 0
        ? h(doc, "p", { class: "pvscsi-route" }, d.route === "data-disks-only" ? "Route: boot from LSI Logic; put data disks on a second, PVSCSI controller." : "Route: none; use LSI Logic.")
        : h(doc, "div", { class: "pvscsi-route" },
          h(doc, "p", {}, d.route === "floppy-driver" ? "Route: load the driver from the floppy image during setup" : "Route: install on LSI Logic, then switch after VMware Tools",
            d.assumption ? " (the release it arrived in is our assumption)" : ""),
          h(doc, "ol", {}, ...d.steps.map((s) => h(doc, "li", {}, s))))),
  ],
});

/** The Observable embedding form: new Runtime({ document }).module(define, observer). */
export const define = observableDefine(notebook);
