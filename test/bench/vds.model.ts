/**
 * Times what one update of the vDS page asks of the model: every combination of the page's six
 * failure toggles (64 states) built from the example by events, with the outcome table (11
 * operations × 2 hosts), the traffic of every VM and the net-dvs listing of one host for each.
 * The page asks for one state per update, so a 64th of this is its model share of the frame.
 */
import { vds } from "../../src/index.ts";
import { median, timeRuns, type BenchRow, type ModelBench } from "./types.ts";

const BUDGET_MS_PER_UPDATE = 1;

function everyState(): number {
  let cells = 0;
  for (let bits = 0; bits < 64; bits++) {
    let s = bits & 32 ? vds.exampleState() : vds.vcenterElsewhere();
    const events: vds.VdsEvent[] = [];
    if (bits & 1) events.push({ type: "hostLosesDatastore", host: "esx01", datastore: "ds1" });
    if (bits & 2) events.push({ type: "vcenterDown" });
    if (bits & 4) events.push({ type: "mgmtNetworkLoss", host: "esx01" });
    if (bits & 8) events.push({ type: "hostReboot", host: "esx01" });
    if (bits & 16) events.push({ type: "haRestart", vm: "app01", toHost: "esx02" });
    for (const e of events) s = vds.apply(s, e);
    cells += vds.outcomeTable(s).length;
    for (const vm of s.vms) if (vds.trafficOf(s, vm.id).flows) cells++;
    cells += vds.netDvs(s, "esx01").length;
  }
  return cells;
}

const bench: ModelBench = ({ smoke }) => {
  for (let i = 0; i < 3; i++) everyState();
  const perUpdate = median(timeRuns(everyState, smoke ? 5 : 31)) / 64;
  const row: BenchRow = {
    name: "vds model per page update: state from the failure toggles + outcome table (11 × 2) + traffic + net-dvs (mean of all 64 toggle combinations)",
    value: Math.round(perUpdate * 1000) / 1000,
    unit: "ms",
    budget: `<= ${BUDGET_MS_PER_UPDATE} ms`,
    pass: perUpdate <= BUDGET_MS_PER_UPDATE,
  };
  return [row];
};

export default bench;
