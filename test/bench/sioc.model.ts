/**
 * Times sioc.simulate() on the largest datastore the notebook allows to run for an hour:
 * 2000 VMs spread over 64 hosts (31–32 per host), 3600 one-second steps, SIOC on, with mixed
 * shares and demands, some IOPS limits and some VMs idling mid-run so every code path is exercised.
 */
import { sioc } from "../../src/index.ts";
import type { SiocConfig, VmConfig } from "../../src/sioc/index.ts";
import { median, timeRuns, type BenchRow, type ModelBench } from "./types.ts";

const HOSTS = 64;
const VMS = 2000;
const STEPS = 3600;
const BUDGET_MS = 1000;

export function benchConfig(): SiocConfig {
  const hosts: SiocConfig["hosts"] = Array.from({ length: HOSTS }, (_, h) => ({ name: `esx-${h + 1}`, vms: [] as VmConfig[] }));
  const shareLevels = [500, 1000, 1000, 2000];
  for (let v = 0; v < VMS; v++) {
    const vm: VmConfig = { shares: shareLevels[v % 4], demandOio: 1 + ((v * 37) % 48) };
    if (v % 10 === 3) vm.limitIops = 50 + (v % 7) * 25;
    if (v % 16 === 5) {
      vm.idleFromStep = 600 + (v % 900);
      vm.idleUntilStep = vm.idleFromStep + 1200;
    }
    hosts[v % HOSTS].vms.push(vm);
  }
  return { hosts, maxIops: 60_000, baseLatencyMs: 1, deviceQueueDepth: 32, thresholdMs: 30, enabled: true, steps: STEPS };
}

const bench: ModelBench = ({ smoke }) => {
  const config = benchConfig();
  const times = timeRuns(() => sioc.simulate(config), smoke ? 3 : 11);
  const value = median(times);
  const row: BenchRow = {
    name: `sioc simulate ${HOSTS} hosts x ${VMS} VMs x ${STEPS} steps`,
    value: Math.round(value * 10) / 10,
    unit: "ms",
    budget: `<= ${BUDGET_MS} ms`,
    pass: value <= BUDGET_MS,
  };
  return [row];
};

export default bench;
