/**
 * The .vmx disk keys: which descriptor each virtual disk writes to now, and its mode.
 * Source: spec section 3 ([4] Broadcom KB 304387; [9] vSphere API VirtualDiskMode): keys
 * `<bus><c>:<u>.present|fileName|mode|deviceType` for scsi, ide, sata and nvme; independent disks
 * are not affected by snapshots. Simplifications: CD-ROM, floppy and passthrough devices are skipped;
 * a device counts as a disk when its fileName ends in .vmdk or its deviceType names a disk;
 * `workingDir` and `snapshot.redoNotWithParent` only raise an info that deltas may live elsewhere.
 */
import { finding, excerpt, insertFindings, type Finding } from "./findings.ts";
import { parseKeyValues } from "./kv.ts";
import { hasNul, TextReader, textFileFindings, type FileText } from "./text.ts";
import { checkFileText } from "./validate.ts";

export const DISK_MODES = [
  "persistent",
  "independent-persistent",
  "independent-nonpersistent",
  "nonpersistent",
  "undoable",
  "append",
] as const;
export type DiskMode = (typeof DISK_MODES)[number];

export interface VmxDisk {
  /** Device key as written in lower case, e.g. "scsi0:1". */
  key: string;
  bus: "scsi" | "ide" | "sata" | "nvme";
  controller: number;
  unit: number;
  /** The descriptor the VM writes to now (the leaf of the current branch), as written. */
  fileName: string;
  mode: DiskMode;
  /** Independent disks are skipped by snapshots [9]. */
  independent: boolean;
  deviceType: string | null;
  /** Line of the fileName key. */
  line: number;
  /** Line of the mode key, when there is one. */
  modeLine: number | null;
}

export interface Vmx {
  file: string;
  displayName: string | null;
  disks: VmxDisk[];
  workingDir: string | null;
  redoNotWithParent: boolean;
}

const BUSES = ["scsi", "ide", "sata", "nvme"] as const;

interface DeviceKey {
  bus: VmxDisk["bus"];
  controller: number;
  unit: number;
  prop: string;
}

/** Splits "scsi0:1.filename" into its parts, or null for any other key (linear, no regex). */
function deviceKey(lower: string): DeviceKey | null {
  let bus: VmxDisk["bus"] | null = null;
  for (const b of BUSES) if (lower.startsWith(b)) bus = b;
  if (bus === null) return null;
  let i = bus.length;
  const c0 = i;
  while (i < lower.length && i - c0 < 4 && lower.charCodeAt(i) >= 48 && lower.charCodeAt(i) <= 57) i++;
  if (i === c0 || lower[i] !== ":") return null;
  const controller = Number(lower.slice(c0, i));
  const u0 = ++i;
  while (i < lower.length && i - u0 < 4 && lower.charCodeAt(i) >= 48 && lower.charCodeAt(i) <= 57) i++;
  if (i === u0 || lower[i] !== ".") return null;
  return { bus, controller, unit: Number(lower.slice(u0, i)), prop: lower.slice(i + 1) };
}

function normaliseMode(text: string): DiskMode | null {
  const m = text.trim().toLowerCase().replace(/_/g, "-");
  return (DISK_MODES as readonly string[]).includes(m) ? (m as DiskMode) : null;
}

export function parseVmx(file: FileText): { vmx: Vmx; findings: Finding[] } {
  const { name, text } = checkFileText("file", file);
  const findings: Finding[] = [];
  const vmx: Vmx = { file: name, displayName: null, disks: [], workingDir: null, redoNotWithParent: false };
  if (hasNul(text)) {
    findings.push(
      finding("BINARY_FILE", "error", name, `${name}: this is a binary file (found NUL bytes in the first 1 KiB), not a .vmx text file.`, {
        fix: "Drop the VM's .vmx configuration file (a few KB of text).",
      }),
    );
    return { vmx, findings };
  }
  const lines = new TextReader(name, text);
  const kv = parseKeyValues(lines, findings);
  // the notices every text file gets come before its line findings
  insertFindings(findings, 0, textFileFindings(lines));

  interface Dev {
    key: DeviceKey;
    fileName?: { value: string; line: number };
    mode?: { value: string; line: number };
    present?: string;
    deviceType?: string;
  }
  const devices = new Map<string, Dev>();
  const controllerPresent = new Map<string, string>();
  for (const [lower, entry] of kv) {
    if (lower === "displayname") vmx.displayName = entry.value;
    else if (lower === "workingdir") vmx.workingDir = entry.value;
    else if (lower === "snapshot.redonotwithparent") vmx.redoNotWithParent = entry.value.trim().toLowerCase() === "true";
    const dk = deviceKey(lower);
    if (dk === null) {
      // controller flags such as scsi0.present
      for (const b of BUSES) {
        if (lower.startsWith(b) && lower.endsWith(".present")) controllerPresent.set(lower.slice(0, -".present".length), entry.value);
      }
      continue;
    }
    const id = `${dk.bus}${dk.controller}:${dk.unit}`;
    let dev = devices.get(id);
    if (!dev) devices.set(id, (dev = { key: dk }));
    if (dk.prop === "filename") dev.fileName = { value: entry.value, line: entry.line };
    else if (dk.prop === "mode") dev.mode = { value: entry.value, line: entry.line };
    else if (dk.prop === "present") dev.present = entry.value;
    else if (dk.prop === "devicetype") dev.deviceType = entry.value;
  }

  for (const [id, dev] of devices) {
    if (!dev.fileName) continue;
    if (dev.present !== undefined && dev.present.trim().toLowerCase() !== "true") continue;
    const ctrl = controllerPresent.get(`${dev.key.bus}${dev.key.controller}`);
    if (ctrl !== undefined && ctrl.trim().toLowerCase() !== "true") continue;
    const type = (dev.deviceType ?? "").toLowerCase();
    if (type.includes("cdrom") || type.includes("floppy") || type.includes("passthru")) continue;
    const isVmdk = dev.fileName.value.toLowerCase().endsWith(".vmdk");
    if (!isVmdk && !type.includes("disk")) continue;
    let mode: DiskMode = "persistent";
    if (dev.mode) {
      const m = normaliseMode(dev.mode.value);
      if (m === null) {
        findings.push(
          finding(
            "UNKNOWN_DISK_MODE",
            "warning",
            name,
            `${name} line ${dev.mode.line}: ${id}.mode = "${excerpt(dev.mode.value, 40)}" is not a known disk mode (${DISK_MODES.join(", ")}); treated as persistent.`,
            { line: dev.mode.line, disk: id, source: "[9] vSphere API, VirtualDiskMode" },
          ),
        );
      } else mode = m;
    }
    vmx.disks.push({
      key: id,
      bus: dev.key.bus,
      controller: dev.key.controller,
      unit: dev.key.unit,
      fileName: dev.fileName.value,
      mode,
      independent: mode === "independent-persistent" || mode === "independent-nonpersistent",
      deviceType: dev.deviceType ?? null,
      line: dev.fileName.line,
      modeLine: dev.mode ? dev.mode.line : null,
    });
  }
  vmx.disks.sort((a, b) => BUSES.indexOf(a.bus) - BUSES.indexOf(b.bus) || a.controller - b.controller || a.unit - b.unit);

  if (vmx.workingDir !== null || vmx.redoNotWithParent) {
    const line = (kv.get("workingdir") ?? kv.get("snapshot.redonotwithparent"))?.line;
    findings.push(
      finding(
        "DELTAS_ELSEWHERE",
        "info",
        name,
        `${name}: ${vmx.workingDir !== null ? `workingDir is set ("${excerpt(vmx.workingDir)}")` : "snapshot.redoNotWithParent is TRUE"}, so snapshot deltas may be stored in another folder.`,
        { line, fix: "Drop the descriptors from the working directory too, or the chain will show missing parents." },
      ),
    );
  }
  return { vmx, findings };
}
