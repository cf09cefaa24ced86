/**
 * Times the Storage DRS notebook's whole model pipeline at the largest farm its sliders allow:
 * 5,000 desktops placed one by one by Storage DRS over 16 datastores, the day's boot storm minute
 * by minute on each (1,440 × 16 array evaluations), a load-balancing run on the measured day, and
 * SIOC at the peak. The flash cache is off and the disks few, so the storm saturates and every
 * path (backlog, I/O pass gate) runs.
 */
import { sdrs, vdi } from "../../src/index.ts";
import { buildFarm, dayP90Ms, farmStorm, SERVER_OIO } from "../../notebooks/sdrs/farm.ts";
import { median, timeRuns, type BenchRow, type ModelBench } from "./types.ts";

const DESKTOPS = 5000;
const DATASTORES = 16;
const BUDGET_MS = 100;

function day(): number {
  const array: vdi.ArrayConfig = { ...vdi.DEFAULT_ARRAY, flashCache: false, spindles: 24 };
  const farm = buildFarm({ desktops: DESKTOPS, datastores: DATASTORES, capacityGiB: 2000, imageGiB: 40, diffDiskGiB: 3, serverGiB: 600, array, sdrs: {} });
  const storm = farmStorm(farm.placedPer, array, vdi.DEFAULT_SCHEDULE);
  const run = sdrs.balancePlaced(farm, dayP90Ms(storm));
  const ds = storm.datastores[0];
  const peak = ds.frontIops.indexOf(ds.peakFrontIops);
  const sioc = vdi.siocAtPeak({
    array, desktops: ds.desktops, desktopHosts: 8, desktopIops: ds.frontIops[peak] / ds.desktops, readPct: storm.readPct[peak],
    stormLatencyMs: ds.latencyMs[peak], desktopShares: 1000, serverShares: 2000, serverOio: SERVER_OIO, deviceQueueDepth: 32, thresholdMs: 30,
  });
  return run.recommendations.length + sioc.on.deviceLatencyMs;
}

const bench: ModelBench = ({ smoke }) => {
  const value = median(timeRuns(day, smoke ? 3 : 11));
  const row: BenchRow = {
    name: `sdrs + vdi: ${DESKTOPS} desktops placed on ${DATASTORES} datastores, a 1,440-minute storm day, balancing and SIOC at the peak`,
    value: Math.round(value * 10) / 10,
    unit: "ms",
    budget: `<= ${BUDGET_MS} ms`,
    pass: value <= BUDGET_MS,
  };
  return [row];
};

export default bench;
