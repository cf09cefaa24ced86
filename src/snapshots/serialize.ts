/**
 * Writing a VM folder back to text: descriptor .vmdk files, the .vmx disk keys, the .vmsd and an
 * `ls -l` listing. Used by the round-trip tests and by the notebook's "show me the files" view.
 * Source: the layouts of spec sections 1-3 as ESXi writes them ([1], [10]: `CID=...` unquoted,
 * other header values quoted, extents, then `ddb.key = "value"`). Simplification: values cannot
 * contain double quotes or line breaks (ESXi escapes those; this writer refuses them).
 */
import { checkArray, checkInteger, checkNumber, checkOneOf, checkRecord, checkString, ModelInputError } from "../shared/index.ts";
import { SECTOR_BYTES } from "./descriptor.ts";
import { DISK_MODES, type DiskMode } from "./vmx.ts";
import type { FileText } from "./text.ts";

/** What a descriptor needs; a parsed Descriptor fits this shape. */
export interface DescriptorSpec {
  version?: number | null;
  encoding?: string | null;
  cid: string | null;
  parentCid: string | null;
  isNativeSnapshot?: string | null;
  createType: string | null;
  parentFileNameHint?: string | null;
  changeTrackPath?: string | null;
  extents: readonly { access: string; sectors: number; type: string; file: string | null; offset?: number | null }[];
  ddb?: readonly { key: string; value: string }[];
  otherKeys?: readonly { key: string; value: string }[];
}

function plain(field: string, value: unknown): string {
  const s = checkString(field, value, { maxLength: 4096 });
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c === 34 || c === 10 || c === 13) throw new ModelInputError(field, value, "a string without double quotes or line breaks");
  }
  return s;
}

export function serializeDescriptor(spec: DescriptorSpec): string {
  const rec = checkRecord("spec", spec);
  const extents = checkArray("spec.extents", rec.extents, (v, f) => checkRecord(f, v), { maxLength: 10_000 });
  const pairs = (field: string, v: unknown) =>
    v === undefined || v === null
      ? []
      : checkArray(field, v, (x, f) => {
          const r = checkRecord(f, x);
          return { key: plain(`${f}.key`, r.key), value: plain(`${f}.value`, r.value) };
        }, { maxLength: 100_000 });
  /** undefined -> the default, null -> the line is left out, else a plain string. */
  const opt = (field: string, v: unknown, fallback: string | null): string | null => (v === undefined ? fallback : v === null ? null : plain(field, v));
  const version = rec.version === undefined || rec.version === null ? 1 : checkInteger("spec.version", rec.version, { min: 0, max: 2 ** 31 });
  const encoding = opt("spec.encoding", rec.encoding, "UTF-8");
  const cid = opt("spec.cid", rec.cid, null);
  const parentCid = opt("spec.parentCid", rec.parentCid, null);
  const native = opt("spec.isNativeSnapshot", rec.isNativeSnapshot, "no");
  const createType = opt("spec.createType", rec.createType, null);
  const hint = opt("spec.parentFileNameHint", rec.parentFileNameHint, null);
  const ctk = opt("spec.changeTrackPath", rec.changeTrackPath, null);
  const out: string[] = ["# Disk DescriptorFile", `version=${version}`];
  if (encoding !== null) out.push(`encoding="${encoding}"`);
  if (cid !== null) out.push(`CID=${cid}`);
  if (parentCid !== null) out.push(`parentCID=${parentCid}`);
  if (native !== null) out.push(`isNativeSnapshot="${native}"`);
  if (createType !== null) out.push(`createType="${createType}"`);
  if (hint) out.push(`parentFileNameHint="${hint}"`);
  if (ctk) out.push(`changeTrackPath="${ctk}"`);
  for (const k of pairs("spec.otherKeys", rec.otherKeys)) out.push(`${k.key}="${k.value}"`);
  out.push("# Extent description");
  extents.forEach((e, i) => {
    const sectors = checkInteger(`spec.extents[${i}].sectors`, e.sectors, { min: 0, max: Number.MAX_SAFE_INTEGER });
    const access = plain(`spec.extents[${i}].access`, e.access);
    const type = plain(`spec.extents[${i}].type`, e.type);
    let line = `${access} ${sectors} ${type}`;
    if (e.file !== null && e.file !== undefined) line += ` "${plain(`spec.extents[${i}].file`, e.file)}"`;
    if (e.offset !== null && e.offset !== undefined) line += ` ${checkInteger(`spec.extents[${i}].offset`, e.offset, { min: 0, max: Number.MAX_SAFE_INTEGER })}`;
    out.push(line);
  });
  out.push("", "# The Disk Data Base", "#DDB", "");
  for (const e of pairs("spec.ddb", rec.ddb)) out.push(`ddb.${e.key} = "${e.value}"`);
  return `${out.join("\n")}\n`;
}

/** One descriptor of a generated folder; the parent's CID is filled in from `parent`. */
export interface NodeSpec {
  name: string;
  cid: string;
  /** Parent descriptor's name, or null for the base. */
  parent: string | null;
  createType: string;
  /** Extent type, e.g. VMFS, VMFSSPARSE, SESPARSE, VMFSRDM. */
  extentType: string;
  dataFile: string;
  /** Base only: write ddb.thinProvisioned = "1". */
  thin?: boolean;
  /** Data file size for the listing (a thin base's apparent size is its capacity). */
  sizeBytes?: number;
  /** Thin base: allocated bytes, written as a `# allocated` listing line. */
  allocatedBytes?: number;
}

export interface DiskSpec {
  /** e.g. "scsi0:1" */
  key: string;
  mode?: DiskMode;
  capacitySectors: number;
  /** The current leaf (the .vmx fileName). */
  leaf: string;
  nodes: NodeSpec[];
}

export interface SnapshotSpec {
  uid: number;
  parentUid: number | null;
  displayName: string;
  createdUnixMs?: number;
  disks: { node: string; fileName: string }[];
}

export interface FolderSpec {
  vmName: string;
  disks: DiskSpec[];
  snapshots: SnapshotSpec[];
  currentUid: number | null;
}

function diskDescriptor(node: NodeSpec, disk: DiskSpec, byName: Map<string, NodeSpec>): string {
  const parent = node.parent === null ? null : byName.get(node.parent);
  if (node.parent !== null && !parent) throw new ModelInputError(`${disk.key}.nodes.${node.name}.parent`, node.parent, "the name of another node of the same disk");
  const ddb: { key: string; value: string }[] = [];
  if (parent === null) {
    ddb.push({ key: "adapterType", value: "lsilogic" }, { key: "deletable", value: "true" });
  }
  ddb.push({ key: "longContentID", value: `0123456789abcdef01234567${node.cid}` });
  if (parent === null && node.thin) ddb.push({ key: "thinProvisioned", value: "1" });
  if (parent === null) ddb.push({ key: "virtualHWVersion", value: "8" });
  return serializeDescriptor({
    cid: node.cid,
    parentCid: parent ? parent!.cid : "ffffffff",
    createType: node.createType,
    parentFileNameHint: parent ? parent!.name : null,
    extents: [{ access: "RW", sectors: disk.capacitySectors, type: node.extentType, file: node.dataFile }],
    ddb,
  });
}

/** Writes a whole VM folder: descriptors, .vmx, .vmsd and a listing of the data files. */
export function serializeFolder(spec: FolderSpec): { files: FileText[]; listing: string } {
  const rec = checkRecord("spec", spec);
  const vmName = plain("spec.vmName", rec.vmName);
  const disks = checkArray(
    "spec.disks",
    rec.disks,
    (v, f) => {
      const d = checkRecord(f, v);
      checkArray(`${f}.nodes`, d.nodes, (n, nf) => {
        const node = checkRecord(nf, n);
        for (const k of ["name", "cid", "createType", "extentType", "dataFile"] as const) plain(`${nf}.${k}`, node[k]);
        if (node.parent !== null) plain(`${nf}.parent`, node.parent);
        for (const k of ["sizeBytes", "allocatedBytes"] as const) if (node[k] !== undefined) checkInteger(`${nf}.${k}`, node[k], { min: 0, max: Number.MAX_SAFE_INTEGER });
        return node;
      }, { minLength: 1, maxLength: 100_000 });
      return d as unknown as DiskSpec;
    },
    { maxLength: 100_000 },
  );
  const snapshots = checkArray(
    "spec.snapshots",
    rec.snapshots,
    (v, f) => {
      const snap = checkRecord(f, v);
      checkInteger(`${f}.uid`, snap.uid, { min: 0, max: 2 ** 31 });
      if (snap.parentUid !== null) checkInteger(`${f}.parentUid`, snap.parentUid, { min: 0, max: 2 ** 31 });
      if (snap.createdUnixMs !== undefined) checkNumber(`${f}.createdUnixMs`, snap.createdUnixMs, { min: 0, max: 2 ** 52 });
      checkArray(`${f}.disks`, snap.disks, (d, df) => checkRecord(df, d), { maxLength: 100_000 });
      return snap as unknown as SnapshotSpec;
    },
    { maxLength: 1_000_000 },
  );
  const files: FileText[] = [];
  const listing: string[] = [];
  const vmx: string[] = [".encoding = \"UTF-8\"", "config.version = \"8\"", "virtualHW.version = \"8\"", `displayName = "${vmName}"`];
  const controllers = new Set<string>();
  for (const [i, disk] of disks.entries()) {
    const key = plain(`spec.disks[${i}].key`, disk.key);
    checkInteger(`spec.disks[${i}].capacitySectors`, disk.capacitySectors, { min: 0, max: Number.MAX_SAFE_INTEGER });
    const mode = disk.mode === undefined ? "persistent" : checkOneOf(`spec.disks[${i}].mode`, disk.mode, DISK_MODES);
    const byName = new Map(disk.nodes.map((n) => [n.name, n]));
    for (const node of disk.nodes) {
      files.push({ name: plain("node.name", node.name), text: diskDescriptor(node, disk, byName) });
      const size = node.sizeBytes ?? (node.parent === null ? disk.capacitySectors * SECTOR_BYTES : 0);
      listing.push(`-rw-------    1 root     root     ${String(size).padStart(13)} Mar 14 09:30 ${plain("node.dataFile", node.dataFile)}`);
      if (node.parent === null && node.thin && node.allocatedBytes !== undefined) listing.push(`# allocated ${node.dataFile} (thin): ${node.allocatedBytes}`);
    }
    const ctrl = key.slice(0, key.indexOf(":"));
    if (ctrl && !controllers.has(ctrl)) {
      controllers.add(ctrl);
      vmx.push(`${ctrl}.present = "TRUE"`);
    }
    vmx.push(`${key}.present = "TRUE"`, `${key}.fileName = "${plain("disk.leaf", disk.leaf)}"`, `${key}.deviceType = "scsi-hardDisk"`);
    if (mode !== "persistent") vmx.push(`${key}.mode = "${mode}"`);
  }
  files.push({ name: `${vmName}.vmx`, text: `${vmx.join("\n")}\n` });

  const vmsd: string[] = [".encoding = \"UTF-8\""];
  let lastUid = 0;
  for (const s of snapshots) lastUid = Math.max(lastUid, checkInteger("snapshot.uid", s.uid, { min: 0, max: 2 ** 31 }));
  if (snapshots.length > 0) {
    vmsd.push(`snapshot.lastUID = "${lastUid}"`);
    if (spec.currentUid !== null) vmsd.push(`snapshot.current = "${checkInteger("spec.currentUid", spec.currentUid, { min: 0 })}"`);
  }
  snapshots.forEach((s, slot) => {
    const p = `snapshot${slot}`;
    vmsd.push(`${p}.uid = "${s.uid}"`, `${p}.filename = "${vmName}-Snapshot${s.uid}.vmsn"`);
    if (s.parentUid !== null) vmsd.push(`${p}.parent = "${s.parentUid}"`);
    vmsd.push(`${p}.displayName = "${plain("snapshot.displayName", s.displayName)}"`, `${p}.description = ""`, `${p}.type = "1"`);
    if (s.createdUnixMs !== undefined) {
      const us = Math.round(s.createdUnixMs * 1000);
      const high = Math.floor(us / 2 ** 32);
      let low = us - high * 2 ** 32;
      if (low >= 2 ** 31) low -= 2 ** 32;
      vmsd.push(`${p}.createTimeHigh = "${high}"`, `${p}.createTimeLow = "${low}"`);
    }
    vmsd.push(`${p}.numDisks = "${s.disks.length}"`);
    s.disks.forEach((d, m) => vmsd.push(`${p}.disk${m}.fileName = "${plain("snapshot.disk.fileName", d.fileName)}"`, `${p}.disk${m}.node = "${plain("snapshot.disk.node", d.node)}"`));
  });
  if (snapshots.length > 0) vmsd.push(`snapshot.numSnapshots = "${snapshots.length}"`);
  files.push({ name: `${vmName}.vmsd`, text: snapshots.length > 0 ? `${vmsd.join("\n")}\n` : "" });
  return { files, listing: `${listing.join("\n")}\n` };
}
