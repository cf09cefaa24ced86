/**
 * The .vmsd snapshot dictionary: the snapshots the Snapshot Manager knows, their tree and the
 * descriptor each one froze per disk.
 * Source: spec section 2 ([3] Broadcom KB 337269, [4] KB 304387; creation time per [17]: one
 * 64-bit count of microseconds since the epoch split into signed 32-bit halves). Simplifications:
 * slot numbers carry no meaning (snapshots are keyed by uid); `type` is kept but not interpreted;
 * an empty file, or one with only `.encoding`, is a VM without snapshots.
 */
import { excerpt, finding, insertFindings, SOURCES, type Finding } from "./findings.ts";
import { duplicateKey, readKeyValues } from "./kv.ts";
import { hasNul, parseSigned, parseWhole, TextReader, textFileFindings, type FileText } from "./text.ts";
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

/** A snapshot's disk entry as it is read: the node key's line is kept beside it (0 until the key is read). */
interface DiskEntry {
  disk: VmsdDisk;
  nodeLine: number;
}

/** The keys of one snapshotN as they are read. */
interface SnapshotKeys {
  slot: number;
  fields: Partial<Record<SnapshotField, At>>;
  /** By index M; an entry's `disk.line` is 0 until its fileName key is read. */
  disks: Map<number, DiskEntry>;
  firstLine: number;
}

type SnapshotField = "uid" | "parent" | "displayName" | "description" | "filename" | "type" | "high" | "low" | "numDisks";

/** The snapshotN.<field> keys this parser reads, by the field's lower case. */
const SNAPSHOT_FIELDS: ReadonlyMap<string, SnapshotField> = new Map([
  ["uid", "uid"],
  ["type", "type"],
  ["parent", "parent"],
  ["filename", "filename"],
  ["numdisks", "numDisks"],
  ["displayname", "displayName"],
  ["description", "description"],
  ["createtimelow", "low"],
  ["createtimehigh", "high"],
]);

/**
 * snapshotN.<rest> (N: 1 to 9 digits, group 1) in any ASCII case, read with one match on the key as
 * written: a disk entry snapshotN.diskM.fileName / .node (M: 1 to 9 digits) gives group 2, and
 * group 3 only for fileName; any other rest (a snapshot field, or a key this parser does not read)
 * gives group 4.
 */
const SNAPSHOT_KEY = /^snapshot([0-9]{1,9})\.(?:disk([0-9]{1,9})\.(?:(filename)|node)$|([\s\S]*)$)/i;

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
  const lines = new TextReader(name, text);
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

  // duplicates are noticed where a field is set twice; keys compare by their lower case
  const partials = new Map<number, SnapshotKeys>();
  const globals = new Map<string, At>();
  readKeyValues(lines, findings, (kv, { no: line }) => {
    const key = SNAPSHOT_KEY.exec(kv.key);
    if (key === null) {
      const lower = kv.key.toLowerCase();
      if (!lower.startsWith("snapshot.")) return;
      const previous = globals.get(lower);
      if (previous) findings.push(duplicateKey(name, kv.key, line, previous.line));
      globals.set(lower, { value: kv.value, line });
      return;
    }
    const slot = Number(key[1]);
    let p = partials.get(slot);
    if (!p) partials.set(slot, (p = { slot, fields: {}, disks: new Map(), firstLine: line }));
    if (key[2] === undefined) {
      const field = SNAPSHOT_FIELDS.get(key[4].toLowerCase());
      if (field === undefined) return;
      const previous = p.fields[field];
      if (previous) findings.push(duplicateKey(name, kv.key, line, previous.line));
      p.fields[field] = { value: kv.value, line };
      return;
    }
    const index = Number(key[2]);
    let entry = p.disks.get(index);
    if (!entry) p.disks.set(index, (entry = { disk: { index, fileName: "", node: null, line: 0 }, nodeLine: 0 }));
    if (key[3] !== undefined) {
      if (entry.disk.line !== 0) findings.push(duplicateKey(name, kv.key, line, entry.disk.line));
      entry.disk.fileName = kv.value;
      entry.disk.line = line;
    } else {
      if (entry.nodeLine !== 0) findings.push(duplicateKey(name, kv.key, line, entry.nodeLine));
      entry.disk.node = kv.value;
      entry.nodeLine = line;
    }
  });
  // the notices every text file gets come before its line findings
  insertFindings(findings, 0, textFileFindings(lines));
  vmsd.lastUid = number(globals.get("snapshot.lastuid"), "snapshot.lastUID");
  vmsd.currentUid = number(globals.get("snapshot.current"), "snapshot.current");
  vmsd.numSnapshots = number(globals.get("snapshot.numsnapshots"), "snapshot.numSnapshots");
  vmsd.needConsolidate = (globals.get("snapshot.needconsolidate")?.value ?? "").trim().toLowerCase() === "true";

  const byUid = new Map<number, VmsdSnapshot>();
  const slots = [...partials.values()].sort((a, b) => a.slot - b.slot);
  for (const p of slots) {
    const label = `snapshot${p.slot}`;
    if (!p.fields.uid) {
      findings.push(
        finding("VMSD_MISSING_UID", "warning", name, `${name} line ${p.firstLine}: ${label} has no uid; it was ignored.`, { line: p.firstLine }),
      );
      continue;
    }
    const uid = number(p.fields.uid, `${label}.uid`);
    if (uid === null) continue;
    if (byUid.has(uid)) {
      findings.push(
        finding("VMSD_DUPLICATE_UID", "warning", name, `${name} line ${p.fields.uid.line}: ${label}.uid = "${uid}" is used by another snapshot too; only the first is kept.`, {
          line: p.fields.uid.line,
        }),
      );
      continue;
    }
    const high = number(p.fields.high, `${label}.createTimeHigh`, true);
    const low = number(p.fields.low, `${label}.createTimeLow`, true);
    const disks: VmsdDisk[] = [];
    for (const { disk } of [...p.disks.values()].sort((a, b) => a.disk.index - b.disk.index)) {
      // an entry with a node but no fileName names no descriptor
      if (disk.line === 0) continue;
      if (disk.node !== null) disk.node = disk.node.trim().toLowerCase();
      disks.push(disk);
    }
    const snap: VmsdSnapshot = {
      slot: p.slot,
      uid,
      parentUid: number(p.fields.parent, `${label}.parent`),
      displayName: p.fields.displayName?.value ?? "",
      description: p.fields.description?.value ?? "",
      filename: p.fields.filename?.value ?? null,
      type: p.fields.type?.value ?? null,
      createdUnixMs: high !== null && low !== null ? createTimeMs(high, low) : null,
      numDisks: number(p.fields.numDisks, `${label}.numDisks`),
      disks,
      line: p.fields.uid.line,
    };
    if (snap.numDisks !== null && snap.numDisks !== disks.length) {
      findings.push(
        finding(
          "NUMDISKS_MISMATCH",
          "warning",
          name,
          `${name} line ${p.fields.numDisks!.line}: ${label}.numDisks = "${snap.numDisks}" but ${disks.length} disk${disks.length === 1 ? " is" : "s are"} listed for snapshot uid ${uid}.`,
          { line: p.fields.numDisks!.line, source: SOURCES.kbSnapshotManager },
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
