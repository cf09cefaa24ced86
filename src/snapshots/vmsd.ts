/**
 * The .vmsd snapshot dictionary: the snapshots the Snapshot Manager knows, their tree and the
 * descriptor each one froze per disk.
 * Source: spec section 2 ([3] Broadcom KB 337269, [4] KB 304387; creation time per [17]: one
 * 64-bit count of microseconds since the epoch split into signed 32-bit halves). Simplifications:
 * slot numbers carry no meaning (snapshots are keyed by uid); `type` is kept but not interpreted;
 * an empty file, or one with only `.encoding`, is a VM without snapshots.
 */
import { excerpt, finding, SOURCES, type Finding } from "./findings.ts";
import { duplicateKey, forEachKeyValue } from "./kv.ts";
import { hasNul, parseSigned, parseWhole, splitLines, pushTextFindings, type FileText } from "./text.ts";
import { checkInteger } from "../shared/index.ts";
import { checkFileText } from "./validate.ts";

export interface VmsdDisk {
  /** M in snapshotN.diskM.* */
  index: number;
  /** The descriptor that became read-only at this snapshot, as written. */
  fileName: string;
  /** Device key in lower case, e.g. "scsi0:0", or null when absent. */
  node: string | null;
  line: number;
}

export interface VmsdSnapshot {
  /** N in snapshotN.* (an internal slot, no meaning for the hierarchy). */
  slot: number;
  uid: number;
  parentUid: number | null;
  displayName: string;
  description: string;
  /** The memory/state file (.vmsn). */
  filename: string | null;
  type: string | null;
  /** Creation time in milliseconds since the Unix epoch (UTC), or null when not recorded. */
  createdUnixMs: number | null;
  numDisks: number | null;
  disks: VmsdDisk[];
  /** Line of snapshotN.uid. */
  line: number;
}

export interface Vmsd {
  file: string;
  lastUid: number | null;
  currentUid: number | null;
  numSnapshots: number | null;
  needConsolidate: boolean;
  /** Sorted by uid. */
  snapshots: VmsdSnapshot[];
}

/** t = high * 2^32 + (low mod 2^32) microseconds since the epoch [17]; returned in ms. */
export function vmsdCreateTimeMs(high: number, low: number): number {
  checkInteger("high", high, { min: -(2 ** 31), max: 2 ** 32 });
  checkInteger("low", low, { min: -(2 ** 31), max: 2 ** 32 });
  return createTimeMs(high, low);
}

function createTimeMs(high: number, low: number): number {
  const lowUnsigned = ((low % 2 ** 32) + 2 ** 32) % 2 ** 32;
  return (high * 2 ** 32 + lowUnsigned) / 1000;
}

/** A value with the line it came from. */
interface At {
  value: string;
  line: number;
}

interface DiskPartial {
  fileName?: At;
  node?: At;
}

interface Partial {
  slot: number;
  uid?: At;
  parent?: At;
  displayName?: At;
  description?: At;
  filename?: At;
  type?: At;
  high?: At;
  low?: At;
  numDisks?: At;
  disks: Map<number, DiskPartial>;
  firstLine: number;
}

type PartialField = "uid" | "parent" | "displayName" | "description" | "filename" | "type" | "high" | "low" | "numDisks";

/** The snapshotN.<rest> keys this parser reads, by the lower-case rest. */
function partialField(lower: string, r: number): PartialField | null {
  switch (lower.length - r) {
    case 3:
      return lower.startsWith("uid", r) ? "uid" : null;
    case 4:
      return lower.startsWith("type", r) ? "type" : null;
    case 6:
      return lower.startsWith("parent", r) ? "parent" : null;
    case 8:
      return lower.startsWith("filename", r) ? "filename" : lower.startsWith("numdisks", r) ? "numDisks" : null;
    case 11:
      return lower.startsWith("displayname", r) ? "displayName" : lower.startsWith("description", r) ? "description" : null;
    case 13:
      return lower.startsWith("createtimelow", r) ? "low" : null;
    case 14:
      return lower.startsWith("createtimehigh", r) ? "high" : null;
    default:
      return null;
  }
}

export function parseVmsd(file: FileText): { vmsd: Vmsd; findings: Finding[] } {
  const { name, text } = checkFileText("file", file);
  const findings: Finding[] = [];
  const vmsd: Vmsd = { file: name, lastUid: null, currentUid: null, numSnapshots: null, needConsolidate: false, snapshots: [] };
  if (hasNul(text)) {
    findings.push(
      finding("BINARY_FILE", "error", name, `${name}: this is a binary file (found NUL bytes in the first 1 KiB), not a .vmsd text file.`, {
        fix: "Drop the VM's .vmsd snapshot dictionary (a small text file, empty when there are no snapshots).",
      }),
    );
    return { vmsd, findings };
  }
  const lines = splitLines(text);
  pushTextFindings(findings, name, text, lines.truncated);
  const number = (entry: At | undefined, what: string, signed = false): number | null => {
    if (!entry) return null;
    const v = signed ? parseSigned(entry.value.trim()) : parseWhole(entry.value.trim());
    if (v === null) {
      findings.push(
        finding("VMSD_BAD_NUMBER", "warning", name, `${name} line ${entry.line}: ${what} must be a whole number; found "${excerpt(entry.value, 40)}".`, {
          line: entry.line,
        }),
      );
    }
    return v;
  };

  // one pass, no dictionary of every key: duplicates are noticed where a field is set twice
  const partials = new Map<number, Partial>();
  const globals = new Map<string, At>();
  forEachKeyValue(name, lines, findings, (key, value, line) => {
    const lower = key.toLowerCase();
    // every key this parser reads starts with "snapshot"; compare in place, without slicing
    if (lower.charCodeAt(0) !== 115 || !lower.startsWith("snapshot")) return;
    if (lower.charCodeAt(8) === 46) {
      const previous = globals.get(lower);
      if (previous) findings.push(duplicateKey(name, key, line, previous.line));
      globals.set(lower, { value, line });
      return;
    }
    let i = 8;
    let slot = 0;
    while (i < lower.length && i < 17) {
      const c = lower.charCodeAt(i) - 48;
      if (c < 0 || c > 9) break;
      slot = slot * 10 + c;
      i++;
    }
    if (i === 8 || lower.charCodeAt(i) !== 46) return;
    const r = i + 1;
    let p = partials.get(slot);
    if (!p) partials.set(slot, (p = { slot, disks: new Map(), firstLine: line }));
    const field = partialField(lower, r);
    if (field !== null) {
      const previous = p[field];
      if (previous) findings.push(duplicateKey(name, key, line, previous.line));
      p[field] = { value, line };
      return;
    }
    if (!lower.startsWith("disk", r)) return;
    let j = r + 4;
    let m = 0;
    while (j < lower.length && j - r - 4 < 9) {
      const c = lower.charCodeAt(j) - 48;
      if (c < 0 || c > 9) break;
      m = m * 10 + c;
      j++;
    }
    if (j === r + 4 || lower.charCodeAt(j) !== 46) return;
    const propLength = lower.length - j - 1;
    const isFileName = propLength === 8 && lower.startsWith("filename", j + 1);
    const isNode = propLength === 4 && lower.startsWith("node", j + 1);
    if (!isFileName && !isNode) return;
    let d = p.disks.get(m);
    if (!d) p.disks.set(m, (d = {}));
    const previous = isFileName ? d.fileName : d.node;
    if (previous) findings.push(duplicateKey(name, key, line, previous.line));
    if (isFileName) d.fileName = { value, line };
    else d.node = { value, line };
  });
  vmsd.lastUid = number(globals.get("snapshot.lastuid"), "snapshot.lastUID");
  vmsd.currentUid = number(globals.get("snapshot.current"), "snapshot.current");
  vmsd.numSnapshots = number(globals.get("snapshot.numsnapshots"), "snapshot.numSnapshots");
  vmsd.needConsolidate = (globals.get("snapshot.needconsolidate")?.value ?? "").trim().toLowerCase() === "true";

  const byUid = new Map<number, VmsdSnapshot>();
  const slots = [...partials.values()].sort((a, b) => a.slot - b.slot);
  for (const p of slots) {
    const label = `snapshot${p.slot}`;
    if (!p.uid) {
      findings.push(
        finding("VMSD_MISSING_UID", "warning", name, `${name} line ${p.firstLine}: ${label} has no uid; it was ignored.`, { line: p.firstLine }),
      );
      continue;
    }
    const uid = number(p.uid, `${label}.uid`);
    if (uid === null) continue;
    if (byUid.has(uid)) {
      findings.push(
        finding("VMSD_DUPLICATE_UID", "warning", name, `${name} line ${p.uid.line}: ${label}.uid = "${uid}" is used by another snapshot too; only the first is kept.`, {
          line: p.uid.line,
        }),
      );
      continue;
    }
    const high = number(p.high, `${label}.createTimeHigh`, true);
    const low = number(p.low, `${label}.createTimeLow`, true);
    const disks: VmsdDisk[] = [];
    for (const [index, d] of [...p.disks].sort((a, b) => a[0] - b[0])) {
      if (!d.fileName) continue;
      disks.push({ index, fileName: d.fileName.value, node: d.node ? d.node.value.trim().toLowerCase() : null, line: d.fileName.line });
    }
    const snap: VmsdSnapshot = {
      slot: p.slot,
      uid,
      parentUid: number(p.parent, `${label}.parent`),
      displayName: p.displayName?.value ?? "",
      description: p.description?.value ?? "",
      filename: p.filename?.value ?? null,
      type: p.type?.value ?? null,
      createdUnixMs: high !== null && low !== null ? createTimeMs(high, low) : null,
      numDisks: number(p.numDisks, `${label}.numDisks`),
      disks,
      line: p.uid.line,
    };
    if (snap.numDisks !== null && snap.numDisks !== disks.length) {
      findings.push(
        finding(
          "NUMDISKS_MISMATCH",
          "warning",
          name,
          `${name} line ${p.numDisks!.line}: ${label}.numDisks = "${snap.numDisks}" but ${disks.length} disk${disks.length === 1 ? " is" : "s are"} listed for snapshot uid ${uid}.`,
          { line: p.numDisks!.line, source: SOURCES.kbSnapshotManager },
        ),
      );
    }
    byUid.set(uid, snap);
  }
  vmsd.snapshots = [...byUid.values()].sort((a, b) => a.uid - b.uid);

  for (const s of vmsd.snapshots) {
    if (s.parentUid !== null && !byUid.has(s.parentUid)) {
      findings.push(
        finding("VMSD_BAD_PARENT", "warning", name, `${name} line ${s.line}: snapshot${s.slot}.parent = "${s.parentUid}" but no snapshot has uid ${s.parentUid}.`, {
          line: s.line,
          source: SOURCES.kbSnapshotManager,
        }),
      );
    }
  }
  // Loops in the uid -> parent tree: walk each snapshot up, at most n steps.
  const state = new Map<number, number>();
  for (const s of vmsd.snapshots) {
    const path: number[] = [];
    let u: number | null = s.uid;
    while (u !== null && byUid.has(u) && !state.has(u)) {
      state.set(u, s.uid);
      path.push(u);
      u = byUid.get(u)!.parentUid;
    }
    if (u !== null && state.get(u) === s.uid && path.includes(u)) {
      const cycle = path.slice(path.indexOf(u));
      let lowest = cycle[0];
      for (const c of cycle) if (c < lowest) lowest = c;
      const first = byUid.get(lowest)!;
      findings.push(
        finding("VMSD_LOOP", "warning", name, `${name} line ${first.line}: the snapshot parents form a loop (uids ${cycle.join(" -> ")} -> ${u}).`, {
          line: first.line,
        }),
      );
    }
  }
  if (vmsd.numSnapshots !== null && vmsd.numSnapshots !== vmsd.snapshots.length) {
    const line = globals.get("snapshot.numsnapshots")!.line;
    findings.push(
      finding(
        "VMSD_COUNT_MISMATCH",
        "warning",
        name,
        `${name} line ${line}: snapshot.numSnapshots = "${vmsd.numSnapshots}" but ${vmsd.snapshots.length} snapshot${vmsd.snapshots.length === 1 ? " is" : "s are"} defined.`,
        { line },
      ),
    );
  }
  if (vmsd.currentUid !== null && !byUid.has(vmsd.currentUid)) {
    const line = globals.get("snapshot.current")!.line;
    findings.push(
      finding("VMSD_CURRENT_UNKNOWN", "warning", name, `${name} line ${line}: snapshot.current = "${vmsd.currentUid}" but no snapshot has that uid.`, { line }),
    );
  }
  return { vmsd, findings };
}
