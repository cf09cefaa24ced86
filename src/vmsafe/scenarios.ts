/**
 * The seed blog's scenario as named presets: 1,000 Windows XP desktops, one scanning appliance, a
 * 24-hour window; the same pool scanned by agents in every desktop; and the same pool behind
 * per-host security VMs with a shared cache. Every figure the source does not give is one of the
 * spec's slider defaults, tagged [A].
 * Sources: seed blog (1,000 desktops, one appliance, "longer than a day"); spec vmsafe.md §3–§5.
 */
import { checkOneOf } from "../shared/index.ts";
import type { OfflineScanInput } from "./offline.ts";
import type { InGuestInput } from "./inguest.ts";
import type { OffloadInput } from "./offload.ts";

export const SCENARIO_IDS = ["seed-1000-xp", "seed-1000-xp-linked-clones"] as const;
export type ScenarioId = (typeof SCENARIO_IDS)[number];

export interface VmsafeScenario {
  id: ScenarioId;
  title: string;
  /** Modelling choices that are not in the source, tagged [A] as in the spec. */
  assumptions: string[];
  offline: OfflineScanInput;
  inGuest: InGuestInput;
  offload: OffloadInput;
}

const XP_USED_GB = 6;
const HOSTS = 16;
const CORES_PER_HOST = 8;
const CORE_MHZ = 2600;

const ASSUMPTIONS = [
  "[A] a Windows XP desktop holds 6 GB of used disk",
  "[A] an appliance has 2 cores that each scan 20 MB/s",
  "[A] HotAdd transport, 4 streams of 200 MB/s",
  "[A] 4 datastores, each sparing 1500 read IOPS of 64 KB for scanning",
  "[A] 16 hosts of 8 cores at 2600 MHz",
  "[A] a scanning desktop reads 10 MB/s, uses 1500 MHz and 150 IOPS more than its 250 MHz and 10 IOPS baseline",
];

function build(id: ScenarioId): VmsafeScenario {
  const linked = id === "seed-1000-xp-linked-clones";
  const linkedCloneShare = linked ? 0.7 : 0;
  return {
    id,
    title: linked ? "1,000 XP linked clones (70 % shared replica), one appliance, 24 h" : "1,000 XP desktops (full clones), one appliance, 24 h",
    assumptions: linked ? [...ASSUMPTIONS, "[A] 70 % of each desktop is the shared replica, scanned once"] : ASSUMPTIONS,
    offline: {
      desktops: 1000, usedGBPerDesktop: XP_USED_GB, mode: "full", changedGBPerDayPerDesktop: 0.5,
      linkedCloneShare, scanSharedOnce: true,
      appliances: 1, coresPerAppliance: 2, scanMBpsPerCore: 20, transport: "HotAdd", parallelStreams: 4,
      datastores: 4, datastoreReadIOPS: 1500, ioSizeKB: 64, windowH: 24,
    },
    inGuest: {
      desktops: 1000, hosts: HOSTS, hostMHz: CORES_PER_HOST * CORE_MHZ, usedGBPerDesktop: XP_USED_GB,
      perVmScanMBps: 10, scanCpuMHz: 1500, scanIOPS: 150, baselineCpuMHzPerVm: 250, baselineIOPSPerVm: 10,
      schedule: { kind: "simultaneous" },
    },
    offload: {
      desktops: 1000, hosts: HOSTS, usedGBPerDesktop: XP_USED_GB, linkedCloneShare, dupAcrossDesktops: 0.5,
      svmCores: 2, scanMBpsPerCore: 20, coreMHz: CORE_MHZ, changedGBPerDayPerDesktop: 0.5, windowH: 24,
    },
  };
}

/** A fresh copy of a named preset (callers may change it). */
export function scenario(id: ScenarioId): VmsafeScenario {
  return build(checkOneOf("id", id, SCENARIO_IDS));
}
