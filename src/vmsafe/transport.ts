/**
 * The read path of an offline-scanning appliance: VDDK (VixDiskLib) transport modes and the rate
 * one appliance can pull desktop disks through them, min(streams × per-stream rate, link).
 * Sources: VMware, "Virtual Disk Development Kit Programming Guide" (VDDK 5.5), Virtual Disk
 * Transport Methods; "Best Practices for NBD Transport" (VDDK 6.x/7.x); spec vmsafe.md §2.
 * Simplifications: VMware publishes only the ordering SAN/HotAdd > NBD > NBDSSL, so every rate
 * here is our assumption [A]; NFC connection limits per host and snapshot overhead are ignored.
 */
import { checkInteger, checkNumber, checkOneOf, checkRecord } from "../shared/index.ts";

export const TRANSPORT_MODES = ["NBD", "NBDSSL", "HotAdd", "SAN"] as const;
export type TransportMode = (typeof TRANSPORT_MODES)[number];

export interface TransportDefaults {
  label: string;
  /** One read stream's rate, MB/s [A]. */
  streamMBps: number;
  /** The appliance's network or HBA link, MB/s; null where the read path has no link of its own (HotAdd). */
  linkMBps: number | null;
}

/** 1 GbE carries about 117 MB/s of payload; 8 Gb FC about 800 MB/s [A]. */
const GIGABIT_ETHERNET_MBPS = 117;
const FC_8GB_MBPS = 800;
const NBD_STREAM_MBPS = 60;

export const TRANSPORT_DEFAULTS: Readonly<Record<TransportMode, TransportDefaults>> = {
  NBD: { label: "NBD (host sends the disk over the management network)", streamMBps: NBD_STREAM_MBPS, linkMBps: GIGABIT_ETHERNET_MBPS },
  // Encryption costs the host and the appliance CPU: 0.6 × NBD [A].
  NBDSSL: { label: "NBDSSL (NBD encrypted with TLS)", streamMBps: 0.6 * NBD_STREAM_MBPS, linkMBps: GIGABIT_ETHERNET_MBPS },
  HotAdd: { label: "HotAdd (disk attached to the appliance VM)", streamMBps: 200, linkMBps: null },
  SAN: { label: "SAN (physical appliance reads the LUN over FC)", streamMBps: 300, linkMBps: FC_8GB_MBPS },
};

export interface TransportInput {
  mode: TransportMode;
  /** Disks one appliance reads at once. */
  parallelStreams: number;
  /** Override of the mode's per-stream rate, MB/s. */
  streamMBps?: number;
  /** Override of the mode's link, MB/s; null for no separate link. */
  linkMBps?: number | null;
}

export interface TransportRate {
  mode: TransportMode;
  streamMBps: number;
  linkMBps: number | null;
  /** What one appliance can read per second: min(streams × stream rate, link). */
  applianceMBps: number;
}

/** `modeField` names the mode in errors: "mode" here, "transport" in an offline scan's input. */
export function checkTransport(value: unknown, modeField = "mode"): TransportRate {
  const r = checkRecord("transport", value);
  const mode = checkOneOf(modeField, r.mode, TRANSPORT_MODES);
  const streams = checkInteger("parallelStreams", r.parallelStreams, { min: 1, max: 64 });
  const streamMBps = r.streamMBps === undefined ? TRANSPORT_DEFAULTS[mode].streamMBps
    : checkNumber("streamMBps", r.streamMBps, { min: 0, exclusiveMin: true, max: 100_000 });
  const linkMBps = r.linkMBps === undefined ? TRANSPORT_DEFAULTS[mode].linkMBps
    : r.linkMBps === null ? null : checkNumber("linkMBps", r.linkMBps, { min: 0, exclusiveMin: true, max: 1_000_000 });
  const streamsMBps = streams * streamMBps;
  return { mode, streamMBps, linkMBps, applianceMBps: linkMBps === null ? streamsMBps : Math.min(streamsMBps, linkMBps) };
}

/** The transport's ceiling on one appliance's read rate, MB/s. */
export function transportMBps(input: TransportInput): TransportRate {
  return checkTransport(input);
}
