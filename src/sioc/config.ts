/**
 * The SIOC model's input: hosts sharing one datastore, their VMs' disk shares, outstanding-I/O
 * demand and IOPS limits, the array and the controller settings. Validated and defaulted here,
 * once, so every other file can trust it (as Observable Plot normalises mark options in one place).
 * Sources: share values Low 500 / Normal 1000 / High 2000 and limits from the vSphere 5.0 Resource
 * Management guide, "Storage I/O Control Resource Shares and Limits"; threshold 5–100 ms, default
 * 30 ms from the vSphere API `StorageIORMInfo.congestionThreshold`. α, γ, wMin defaults are [A].
 * Simplification: one virtual disk per VM, so a VM's limit is its disk's limit.
 */
import {
  ModelInputError,
  checkArray,
  checkBoolean,
  checkInteger,
  checkNumber,
  checkRecord,
  checkString,
} from "../shared/index.ts";

export interface VmConfig {
  /** Disk shares, 1..1 000 000 (Low 500, Normal 1000, High 2000). */
  shares: number;
  /** Outstanding I/Os the VM keeps in flight, 0..256; 0 means idle. */
  demandOio: number;
  /** IOPS cap; omitted, null or Infinity mean unlimited. */
  limitIops?: number | null;
  /** The VM stops issuing I/O from this step (1 step = 1 s). */
  idleFromStep?: number | null;
  /** …and resumes at this step (exclusive end of the idle period); omitted = stays idle. */
  idleUntilStep?: number | null;
  name?: string;
}

export interface HostConfig {
  vms: VmConfig[];
  name?: string;
}

export interface SiocConfig {
  /** 1..64 hosts, each with 0..2000 VMs. */
  hosts: HostConfig[];
  /** Array saturation throughput C, IOPS. */
  maxIops: number;
  /** Array service latency with no queueing L0, ms. */
  baseLatencyMs: number;
  /** Per-host device queue depth (DQLEN), which is also the window ceiling wMax. */
  deviceQueueDepth: number;
  /** Congestion threshold 𝓛, 5..100 ms. */
  thresholdMs: number;
  enabled: boolean;
  /** Control steps of 1 s, 1..3600, default 300. */
  steps?: number;
  /** EWMA weight of the previous latency estimate, 0..0.99, default 0.5. */
  alpha?: number;
  /** Window smoothing γ, 0.01..1, default 0.2. */
  gamma?: number;
  /** Window floor, 1..deviceQueueDepth, default min(4, deviceQueueDepth). */
  wMin?: number;
}

export interface NormalisedVm {
  name: string;
  shares: number;
  demandOio: number;
  limitIops: number | null;
  idleFromStep: number | null;
  idleUntilStep: number | null;
}

export interface NormalisedHost {
  name: string;
  vms: NormalisedVm[];
}

export interface NormalisedSiocConfig {
  hosts: NormalisedHost[];
  maxIops: number;
  baseLatencyMs: number;
  deviceQueueDepth: number;
  thresholdMs: number;
  enabled: boolean;
  steps: number;
  alpha: number;
  gamma: number;
  wMin: number;
}

export const LIMITS = {
  hosts: { min: 1, max: 64 },
  vmsPerHost: { min: 0, max: 2000 },
  shares: { min: 1, max: 1_000_000 },
  demandOio: { min: 0, max: 256 },
  limitIops: { min: 1, max: 10_000_000 },
  maxIops: { min: 1, max: 10_000_000 },
  baseLatencyMs: { min: 0.01, max: 100 },
  deviceQueueDepth: { min: 1, max: 1024 },
  thresholdMs: { min: 5, max: 100 },
  steps: { min: 1, max: 3600 },
  alpha: { min: 0, max: 0.99 },
  gamma: { min: 0.01, max: 1 },
} as const;

export const DEFAULTS = {
  steps: 300,
  alpha: 0.5,
  gamma: 0.2,
  wMin: 4,
  thresholdMs: 30,
} as const;

function optional(value: unknown): boolean {
  return value === undefined || value === null;
}

function normaliseVm(value: unknown, field: string, hostIndex: number, vmIndex: number, steps: number): NormalisedVm {
  const vm = checkRecord(field, value);
  const shares = checkInteger(`${field}.shares`, vm.shares, LIMITS.shares);
  const demandOio = checkNumber(`${field}.demandOio`, vm.demandOio, LIMITS.demandOio);
  let limitIops: number | null = null;
  if (!optional(vm.limitIops) && vm.limitIops !== Infinity) {
    limitIops = checkNumber(`${field}.limitIops`, vm.limitIops, LIMITS.limitIops);
  }
  const idleFromStep = optional(vm.idleFromStep)
    ? null
    : checkInteger(`${field}.idleFromStep`, vm.idleFromStep, { min: 0, max: steps });
  let idleUntilStep: number | null = null;
  if (!optional(vm.idleUntilStep)) {
    if (idleFromStep === null) {
      throw new ModelInputError(`${field}.idleUntilStep`, vm.idleUntilStep, "omitted unless idleFromStep is set");
    }
    idleUntilStep = checkInteger(`${field}.idleUntilStep`, vm.idleUntilStep, { min: idleFromStep + 1, max: steps });
  }
  const name = optional(vm.name) ? `vm-${hostIndex + 1}.${vmIndex + 1}` : checkString(`${field}.name`, vm.name, { maxLength: 100 });
  return { name, shares, demandOio, limitIops, idleFromStep, idleUntilStep };
}

/** Validates the hosts-and-VMs part of a config; idle steps may range over 0..steps. */
export function normaliseHosts(value: unknown, steps: number): NormalisedHost[] {
  const hostValues = checkArray("hosts", value, (item) => item, { minLength: LIMITS.hosts.min, maxLength: LIMITS.hosts.max });
  return hostValues.map((hostValue, hostIndex): NormalisedHost => {
    const hostField = `hosts[${hostIndex}]`;
    const host = checkRecord(hostField, hostValue);
    const vmValues = checkArray(`${hostField}.vms`, host.vms, (item) => item, {
      minLength: LIMITS.vmsPerHost.min,
      maxLength: LIMITS.vmsPerHost.max,
    });
    const vms = vmValues.map((vmValue, vmIndex) => normaliseVm(vmValue, `${hostField}.vms[${vmIndex}]`, hostIndex, vmIndex, steps));
    const name = optional(host.name) ? `host-${hostIndex + 1}` : checkString(`${hostField}.name`, host.name, { maxLength: 100 });
    return { name, vms };
  });
}

/** Validates a SiocConfig and fills in defaults; throws ModelInputError naming the first bad field. */
export function normaliseConfig(value: unknown): NormalisedSiocConfig {
  const config = checkRecord("config", value);
  const steps = optional(config.steps) ? DEFAULTS.steps : checkInteger("steps", config.steps, LIMITS.steps);
  const maxIops = checkNumber("maxIops", config.maxIops, LIMITS.maxIops);
  const baseLatencyMs = checkNumber("baseLatencyMs", config.baseLatencyMs, LIMITS.baseLatencyMs);
  const deviceQueueDepth = checkInteger("deviceQueueDepth", config.deviceQueueDepth, LIMITS.deviceQueueDepth);
  const thresholdMs = checkNumber("thresholdMs", config.thresholdMs, LIMITS.thresholdMs);
  const enabled = checkBoolean("enabled", config.enabled);
  const alpha = optional(config.alpha) ? DEFAULTS.alpha : checkNumber("alpha", config.alpha, LIMITS.alpha);
  const gamma = optional(config.gamma) ? DEFAULTS.gamma : checkNumber("gamma", config.gamma, LIMITS.gamma);
  const wMin = optional(config.wMin)
    ? Math.min(DEFAULTS.wMin, deviceQueueDepth)
    : checkNumber("wMin", config.wMin, { min: 1, max: deviceQueueDepth });
  const hosts = normaliseHosts(config.hosts, steps);
  return { hosts, maxIops, baseLatencyMs, deviceQueueDepth, thresholdMs, enabled, steps, alpha, gamma, wMin };
}
