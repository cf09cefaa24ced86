/**
 * Storage DRS and the VDI boot storm: a datastore cluster serving a VDI farm on a morning. Every
 * number comes from src/vdi (the storm, the array, SIOC at the peak through src/sioc) and src/sdrs
 * (placement, load balancing, move costs through src/vaai); this file only wires them together.
 */
import * as sdrs from "../../src/sdrs/index.ts";
import * as vdi from "../../src/vdi/index.ts";
import { cell, defineNotebook, figure, text } from "../lib/cells.ts";
import { observableDefine } from "../lib/define.ts";
import { number, select, toggle } from "../lib/params.ts";
import { formatNumber, type Refusal } from "../lib/chart.ts";
import { buildFarm, dayP90Ms, farmStorm, SERVER_OIO, type Farm } from "./farm.ts";
import { iopsFigure, latencyFigure, movesFigure, movesSentence, p90Figure, placementFigure, siocFigure } from "./charts.ts";

export const params = {
  desktops: number({ label: "Desktops in the farm", min: 50, max: 5000, step: 50, value: 1000 }),
  datastores: number({ label: "Datastores in the cluster", min: 1, max: 16, step: 1, value: 4 }),
  spindles: number({ label: "Disks behind each datastore", min: 4, max: 200, step: 2, value: 40, unit: "disks" }),
  diskType: select({ label: "Disk type", value: "15k", options: vdi.DISK_TYPES.map((t) => ({ value: t, label: vdi.DISKS[t].label })) }),
  raid: select({ label: "RAID level", value: "raid10", options: [{ value: "raid10", label: "RAID 10 (write penalty 2)" }, { value: "raid5", label: "RAID 5 (write penalty 4)" }] }),
  flashCache: toggle({ label: "Flash cache (FAST Cache) on", value: true }),
  readHitPct: number({ label: "Reads served by the flash cache", min: 0, max: 100, step: 5, value: 80, unit: "%" }),
  writeHitPct: number({ label: "Writes absorbed by the flash cache", min: 0, max: 100, step: 5, value: 50, unit: "%" }),
  bootConcurrencyPct: number({ label: "Desktops booting at the same moment at the peak", min: 10, max: 100, step: 5, value: 100, unit: "%", help: "100 % is the spec's worst case; BP1018's measured peak matches about 45 %." }),
  siocThresholdMs: number({ label: "SIOC congestion threshold", min: 5, max: 100, step: 1, value: 30, unit: "ms" }),
  sdrsLatencyMs: number({ label: "Storage DRS I/O latency threshold", min: 5, max: 100, step: 1, value: 15, unit: "ms" }),
  spaceThresholdPct: number({ label: "Storage DRS space threshold", min: 50, max: 100, step: 1, value: 80, unit: "%" }),
  ioMetric: toggle({ label: "Storage DRS I/O metric on", value: true }),
  capacityGiB: number({ label: "Capacity of each datastore", min: 500, max: 16000, step: 100, value: 2000, unit: "GiB" }),
  diffDiskGiB: number({ label: "Space per desktop (differencing disk and swap)", min: 1, max: 100, step: 1, value: 3, unit: "GiB", help: "BP1018's desktops took 3 GB each: a 2 GB write cache and 1 GB for memory." }),
  serverGiB: number({ label: "Infrastructure servers on the first datastore", min: 0, max: 8000, step: 100, value: 600, unit: "GiB" }),
};

const IMAGE_GIB = 40;

export const notebook = defineNotebook({
  id: "sdrs",
  params,
  cells: [
    cell("array", ["spindles", "diskType", "raid", "flashCache", "readHitPct", "writeHitPct"],
      (spindles, diskType, raid, flashCache, readHitPct, writeHitPct): vdi.ArrayConfig => ({ spindles, diskType, raid, flashCache, readHitPct, writeHitPct })),
    cell("sdrsSettings", ["sdrsLatencyMs", "spaceThresholdPct", "ioMetric"],
      (latencyThresholdMs, spaceThresholdPct, ioMetricEnabled): Partial<sdrs.SdrsSettings> => ({ latencyThresholdMs, spaceThresholdPct, ioMetricEnabled })),
    cell("farm", ["desktops", "datastores", "capacityGiB", "diffDiskGiB", "serverGiB", "array", "sdrsSettings"],
      (desktops, datastores, capacityGiB, diffDiskGiB, serverGiB, array, sdrsSettings) =>
        buildFarm({ desktops, datastores, capacityGiB, imageGiB: IMAGE_GIB, diffDiskGiB, serverGiB, array, sdrs: sdrsSettings })),
    // The storm depends on the farm only through how many desktops each datastore got: an equal
    // count (the same array again, see memo.ts) leaves the storm and everything drawn from it alone.
    cell("desktopsPer", ["farm"], (farm: Farm) => farm.placedPer),
    cell("storm", ["desktopsPer", "array", "bootConcurrencyPct"], (desktopsPer, array, bootConcurrencyPct) =>
      farmStorm(desktopsPer, array, { ...vdi.DEFAULT_SCHEDULE, bootConcurrencyPct })),
    // Storage DRS sees the day only through each datastore's p90: a storm that leaves those alone
    // (the page's point) does not rerun the balancing.
    cell("dayP90Ms", ["storm"], dayP90Ms),
    // Storage DRS reads each datastore's measured p90 from SIOC; the farm's cluster is placePool's, as it returned it.
    cell("balanceRun", ["farm", "dayP90Ms", "sdrsSettings"], (farm: Farm, p90s, settings) => sdrs.balancePlaced(farm, p90s, settings)),
    cell("siocPeak", ["storm", "array", "siocThresholdMs"], (storm: vdi.StormResult, array, thresholdMs): vdi.SiocAtPeak | Refusal => {
      const title = "SIOC at the storm's peak";
      const ds = storm.datastores[0];
      if (ds.desktops === 0) return { title, refusal: `Storage DRS put no desktops on ${ds.name}, where the servers are, so they do not compete with the storm there.` };
      const peak = ds.frontIops.indexOf(ds.peakFrontIops);
      return vdi.siocAtPeak({
        array, desktops: ds.desktops, desktopHosts: 8, desktopIops: ds.frontIops[peak] / ds.desktops, readPct: storm.readPct[peak],
        stormLatencyMs: ds.latencyMs[peak], desktopShares: 1000, serverShares: 2000, serverOio: SERVER_OIO, deviceQueueDepth: 32, thresholdMs,
      });
    }),
    text("headline", ["storm", "balanceRun", "siocPeak", "sdrsLatencyMs"], (storm: vdi.StormResult, run: sdrs.BalanceResult, peak, sdrsMs) => {
      const worst = storm.datastores.reduce((a, b) => (b.peakLatencyMs > a.peakLatencyMs ? b : a));
      const ioMoves = run.recommendations.filter((r) => r.reason === "io").length;
      const sioc = "refusal" in peak ? "" : peak.on.throttled
        ? ` SIOC acts within seconds: it holds ${storm.datastores[0].name}'s device latency at ${formatNumber(peak.on.deviceLatencyMs)} ms.`
        : " SIOC stays idle: no device latency crosses its threshold.";
      return `At 8:00 the farm's I/O rises from ${formatNumber(storm.totalFrontIopsLow)} to ${formatNumber(storm.totalFrontIopsPeak)} IOPS and the worst datastore's latency peaks at ${formatNumber(worst.peakLatencyMs)} ms.${sioc} ` +
        `Storage DRS compares the day's 90th percentile (${formatNumber(worst.p90LatencyMs)} ms) with its ${formatNumber(sdrsMs)} ms threshold and ` +
        (ioMoves === 0 ? "recommends no move for I/O." : `recommends ${ioMoves === 1 ? "one move" : `${ioMoves} moves`} for I/O.`);
    }),
    figure("iopsFigure", ["storm", "document", "width"], (storm, doc: Document, width: number) => iopsFigure(doc, width, storm)),
    figure("latencyFigure", ["storm", "siocThresholdMs", "sdrsLatencyMs", "document", "width"], (storm, siocMs, sdrsMs, doc: Document, width: number) =>
      latencyFigure(doc, width, storm, siocMs, sdrsMs)),
    figure("p90Figure", ["storm", "sdrsLatencyMs", "document", "width"], (storm, sdrsMs, doc: Document, width: number) => p90Figure(doc, width, storm, sdrsMs)),
    figure("siocFigure", ["siocPeak", "storm", "siocThresholdMs", "document", "width"], (peak, storm: vdi.StormResult, thresholdMs, doc: Document, width: number) =>
      "refusal" in peak ? peak : siocFigure(doc, width, peak, storm.datastores[0].name, thresholdMs)),
    // Only the space figures below read the loads: summing the farm's thousands of VMs again waits until one is in view.
    cell("farmLoads", ["farm"], (farm) => sdrs.datastoreLoads(farm.cluster.datastores, farm.cluster.vms), { whenVisible: true }),
    figure("movesFigure", ["balanceRun", "farmLoads", "spaceThresholdPct", "document", "width"], (run: sdrs.BalanceResult, loads, spacePct, doc: Document, width: number) =>
      movesFigure(doc, width, run, loads, sdrs.datastoreLoads(run.after.datastores, run.after.vms), spacePct)),
    text("vaaiSentence", ["balanceRun"], (run: sdrs.BalanceResult) => {
      const moves = run.recommendations;
      if (moves.length === 0) return "With no move recommended, VAAI has nothing to speed up here; make the datastores smaller or the servers larger to make Storage DRS move something.";
      const sum = (pick: (c: sdrs.MoveCost) => number) => moves.reduce((total, r) => total + pick(r.cost), 0);
      return `${movesSentence(run)} Together they take ${formatNumber(sum((c) => c.withoutVaaiS) / 60)} minutes and send ${formatNumber(sum((c) => c.hostTrafficWithoutVaaiMB) / 1024)} GiB through the hosts without VAAI; ` +
        `with full copy offloaded to the array, ${formatNumber(sum((c) => c.withVaaiS) / 60)} minutes and ${formatNumber(sum((c) => c.hostTrafficWithVaaiMB))} MB of copy commands.`;
    }),
    figure("placementFigure", ["farm", "farmLoads", "spaceThresholdPct", "document", "width"], (farm, loads, spacePct, doc: Document, width: number) =>
      placementFigure(doc, width, loads, farm.placedPer, farm.next, spacePct)),
    text("unplacedSentence", ["farm"], (farm) => farm.unplaced === 0
      ? "Every desktop found a datastore."
      : `${formatNumber(farm.unplaced)} ${farm.unplaced === 1 ? "desktop fits" : "desktops fit"} nowhere: the datastores are full.`),
  ],
});

/** The Observable embedding form: new Runtime({ document }).module(define, observer). */
export const define = observableDefine(notebook);
