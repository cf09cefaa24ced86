/**
 * The .vmsd snapshot dictionary: the snapshots the Snapshot Manager knows, their tree and the
 * descriptor each one froze per disk.
 * Source: spec section 2 ([3] Broadcom KB 337269, [4] KB 304387; creation time per [17]: one
 * 64-bit count of microseconds since the epoch split into signed 32-bit halves). Simplifications:
 * slot numbers carry no meaning (snapshots are keyed by uid); `type` is kept but not interpreted;
 * an empty file, or one with only `.encoding`, is a VM without snapshots.
 */
import { excerpt, finding, SOURCES, type Finding } from "../../../../src/snapshots/findings.ts";
import { duplicateKey, kvScan, nextKeyValue } from "./kv.ts";
import { equalsLowerAt, hasNul, LineCursor, parseSigned, parseWhole, pushTextFindings, type FileText } from "./text.ts";
import { checkInteger } from "../../../../src/shared/index.ts";
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

/**
 * A snapshot's disk entries by index M (snapshotN.diskM.fileName and .node), made as the VmsdDisk
 * objects the result keeps: `line` is 0 until the fileName key is read, and the node key's line is
 * kept beside them. A plain list while the indices come as 0, 1, 2, ... (as VMware writes them),
 * with a map from index to position once they do not.
 */
class DiskEntries {
  /** Entries in the order their indices were first named (while `positions` is null, list[m] has index m). */
  readonly list: VmsdDisk[] = [];
  /** The line of each entry's node key, 0 when there is none yet. */
  readonly nodeLines: number[] = [];
  private positions: Map<number, number> | null = null;

  /** Position in `list` of the entry for index m, made when first named. */
  position(m: number): number {
    if (this.positions === null) {
      if (m < this.list.length) return m;
      if (m === this.list.length) return this.add(m);
      this.positions = new Map();
      for (let k = 0; k < this.list.length; k++) this.positions.set(this.list[k].index, k);
    }
    const at = this.positions.get(m);
    if (at !== undefined) return at;
    const k = this.add(m);
    this.positions.set(m, k);
    return k;
  }

  private add(m: number): number {
    this.list.push({ index: m, fileName: "", node: null, line: 0 });
    this.nodeLines.push(0);
    return this.list.length - 1;
  }

  /** Every entry, by index ascending. */
  byIndex(): VmsdDisk[] {
    return this.positions === null ? this.list : [...this.list].sort((a, b) => a.index - b.index);
  }
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
  disks: DiskEntries;
  firstLine: number;
}

type PartialField = "uid" | "parent" | "displayName" | "description" | "filename" | "type" | "high" | "low" | "numDisks";

/** The snapshotN.<rest> keys this parser reads, by the rest key[r, end) compared as lower case in place. */
function partialField(key: string, r: number, end: number): PartialField | null {
  switch (end - r) {
    case 3:
      return equalsLowerAt(key, r, "uid") ? "uid" : null;
    case 4:
      return equalsLowerAt(key, r, "type") ? "type" : null;
    case 6:
      return equalsLowerAt(key, r, "parent") ? "parent" : null;
    case 8:
      return equalsLowerAt(key, r, "filename") ? "filename" : equalsLowerAt(key, r, "numdisks") ? "numDisks" : null;
    case 11:
      return equalsLowerAt(key, r, "displayname") ? "displayName" : equalsLowerAt(key, r, "description") ? "description" : null;
    case 13:
      return equalsLowerAt(key, r, "createtimelow") ? "low" : null;
    case 14:
      return equalsLowerAt(key, r, "createtimehigh") ? "high" : null;
    default:
      return null;
  }
}

/** The key and the value of the line nextKeyValue scanned last, as written (sliced only when kept). */
function scannedKey(text: string): string {
  return text.slice(kvScan.keyStart, kvScan.keyEnd);
}

function scannedValue(text: string): string {
  return text.slice(kvScan.valueStart, kvScan.valueEnd);
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
  // long-line findings come first, but are known only once every line was read
  const lines = new LineCursor(text);
  const lineFindings: Finding[] = [];
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

  // one pass, no dictionary of every key: duplicates are noticed where a field is set twice. Keys are
  // compared in place, as their lower case (equalsLowerAt), and sliced only when kept.
  const partials = new Map<number, Partial>();
  const globals = new Map<string, At>();
  // the snapshot of the previous line: its keys come together, so the map is rarely needed
  let last: Partial | undefined;
  while (nextKeyValue(lines, name, lineFindings)) {
    const line = lines.lineNo;
    const key = text;
    const from = kvScan.keyStart;
    const end = kvScan.keyEnd;
    // every key this parser reads starts with "snapshot"
    if (end - from < 8 || !equalsLowerAt(key, from, "snapshot")) continue;
    if (from + 8 < end && key.charCodeAt(from + 8) === 46) {
      const lower = scannedKey(text).toLowerCase();
      const previous = globals.get(lower);
      if (previous) lineFindings.push(duplicateKey(name, scannedKey(text), line, previous.line));
      globals.set(lower, { value: scannedValue(text), line });
      continue;
    }
    let i = from + 8;
    let slot = 0;
    while (i < end && i - from < 17) {
      const c = key.charCodeAt(i) - 48;
      if (c < 0 || c > 9) break;
      slot = slot * 10 + c;
      i++;
    }
    if (i === from + 8 || i >= end || key.charCodeAt(i) !== 46) continue;
    const r = i + 1;
    let p = last !== undefined && last.slot === slot ? last : partials.get(slot);
    if (!p) partials.set(slot, (p = { slot, disks: new DiskEntries(), firstLine: line }));
    last = p;
    const field = partialField(key, r, end);
    if (field !== null) {
      const previous = p[field];
      if (previous) lineFindings.push(duplicateKey(name, scannedKey(text), line, previous.line));
      p[field] = { value: scannedValue(text), line };
      continue;
    }
    if (end - r < 4 || !equalsLowerAt(key, r, "disk")) continue;
    let j = r + 4;
    let m = 0;
    while (j < end && j - r - 4 < 9) {
      const c = key.charCodeAt(j) - 48;
      if (c < 0 || c > 9) break;
      m = m * 10 + c;
      j++;
    }
    if (j === r + 4 || j >= end || key.charCodeAt(j) !== 46) continue;
    const propLength = end - j - 1;
    const isFileName = propLength === 8 && equalsLowerAt(key, j + 1, "filename");
    const isNode = propLength === 4 && equalsLowerAt(key, j + 1, "node");
    if (!isFileName && !isNode) continue;
    const k = p.disks.position(m);
    const d = p.disks.list[k];
    const previous = isFileName ? d.line : p.disks.nodeLines[k];
    if (previous !== 0) lineFindings.push(duplicateKey(name, scannedKey(text), line, previous));
    if (isFileName) {
      d.fileName = scannedValue(text);
      d.line = line;
    } else {
      d.node = scannedValue(text);
      p.disks.nodeLines[k] = line;
    }
  }
  pushTextFindings(findings, name, text, lines.truncated);
  for (const f of lineFindings) findings.push(f);
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
    for (const d of p.disks.byIndex()) {
      if (d.line === 0) continue;
      if (d.node !== null) d.node = d.node.trim().toLowerCase();
      disks.push(d);
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
