/**
 * Findings: what the snapshot model says about a VM folder, one plain sentence each, with a fix.
 * Source: the finding codes and severities of the snapshots spec, section 7, and its parse messages,
 * section 8 (shared/models/snapshots.md). Simplification: a finding names one dropped file (the child
 * of a broken link, the .vmsd of a snapshot entry, the .vmx of a disk) and mentions the others in text.
 */
import { checkArray, checkNumber, checkOneOf, checkRecord, checkString } from "../shared/index.ts";

export type Severity = "error" | "warning" | "info";

export interface Finding {
  /** Stable code, e.g. "CID_MISMATCH" (spec section 7) or a parse code such as "BAD_CID". */
  code: string;
  severity: Severity;
  /** A file that was dropped (or the listing's name). */
  file: string;
  /** 1-based line in `file` when the finding points at one. */
  line?: number;
  /** The .vmx disk key ("scsi0:1") the finding is about, when it is about one disk. */
  disk?: string;
  message: string;
  /** What to do about it, in plain language. */
  fix?: string;
  /** Where the rule comes from ([n] refers to the spec's source list). */
  source?: string;
}

/**
 * Appends `items` to `findings` one at a time. A spread (`findings.push(...items)`) passes every item
 * as an argument, and a folder with a few hundred thousand findings would overflow the call stack.
 */
export function appendFindings(findings: Finding[], items: readonly Finding[]): void {
  for (const item of items) findings.push(item);
}

/** Inserts `items` into `findings` before index `at`, without a spread (see appendFindings). */
export function insertFindings(findings: Finding[], at: number, items: readonly Finding[]): void {
  if (items.length === 0) return;
  const after = findings.splice(at);
  appendFindings(findings, items);
  appendFindings(findings, after);
}

export const SOURCES = {
  vmdkSpec: "[1] libvmdk, VMDK format specification",
  kbCid: "[2] VMware KB 1007969, The parent virtual disk has been modified since the child was created",
  kbSnapshotManager: "[3] Broadcom KB 337269, Snapshot Manager and the backing files",
  kbDeltaLayout: "[4] Broadcom KB 304387, Confirming a virtual machine's snapshot delta disk layout",
  snapshotFormats: "[5] vSphere 7 Storage, Snapshot Formats",
  seSparse: "[6] C. Hogan, SE Sparse Disks",
  deleteAllOrder: "[7] Yellow Bricks, the changed Delete All order; [15] VMware Support Insider, Changes to Snapshot Consolidation",
  techTarget: "[8] TechTarget, Deleting VM snapshots without wasting disk space",
  diskMode: "[9] vSphere API, VirtualDiskMode",
  consolidate: "[13] vSphere Host Client, Consolidate snapshots",
  descriptorSpec: "[14] VMware Virtual Disk Format 1.1, descriptor chapter",
} as const;

export function finding(
  code: string,
  severity: Severity,
  file: string,
  message: string,
  extra: { line?: number; disk?: string; fix?: string; source?: string } = {},
): Finding {
  const f: Finding = { code, severity, file, message };
  if (extra.line !== undefined) f.line = extra.line;
  if (extra.disk !== undefined) f.disk = extra.disk;
  if (extra.fix !== undefined) f.fix = extra.fix;
  if (extra.source !== undefined) f.source = extra.source;
  return f;
}

const RANK: Record<Severity, number> = { error: 0, warning: 1, info: 2 };

function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Errors first, then warnings, then infos; inside a severity by file, line, code and message. */
export function compareFindings(a: Finding, b: Finding): number {
  return (
    RANK[a.severity] - RANK[b.severity] ||
    compareText(a.file, b.file) ||
    (a.line ?? 0) - (b.line ?? 0) ||
    compareText(a.code, b.code) ||
    compareText(a.disk ?? "", b.disk ?? "") ||
    compareText(a.message, b.message)
  );
}

export function sortFindings(findings: readonly Finding[]): Finding[] {
  const list = checkArray("findings", findings, (v, f) => {
    const r = checkRecord(f, v);
    checkString(`${f}.code`, r.code, { maxLength: 200 });
    checkOneOf(`${f}.severity`, r.severity, ["error", "warning", "info"] as const);
    checkString(`${f}.file`, r.file, { maxLength: 4096 });
    checkString(`${f}.message`, r.message);
    return v as Finding;
  }, { maxLength: 10_000_000 });
  return list.sort(compareFindings);
}

/** A short, printable excerpt of user text for a message (never the whole of a long line). */
export function excerpt(text: string, max = 60): string {
  let out = "";
  const n = Math.min(text.length, max);
  for (let i = 0; i < n; i++) {
    const c = text.charCodeAt(i);
    out += c < 32 || c === 127 ? "?" : text[i];
  }
  return text.length > max ? `${out}...` : out;
}

/** Bytes as a short human figure: "3 GiB" when whole, else "2.10 GiB", "512 MiB", "4.00 TiB". */
export function formatBytes(bytes: number): string {
  checkNumber("bytes", bytes);
  const abs = Math.abs(bytes);
  if (abs >= 2 ** 40) return bytes % 2 ** 40 === 0 ? `${bytes / 2 ** 40} TiB` : `${(bytes / 2 ** 40).toFixed(2)} TiB`;
  if (abs >= 2 ** 30) return bytes % 2 ** 30 === 0 ? `${bytes / 2 ** 30} GiB` : `${(bytes / 2 ** 30).toFixed(2)} GiB`;
  if (abs >= 2 ** 20) return `${Math.round(bytes / 2 ** 20)} MiB`;
  if (abs >= 2 ** 10) return `${Math.round(bytes / 2 ** 10)} KiB`;
  return `${bytes} bytes`;
}

/** Whole mebibytes, e.g. "2160 MiB" (the unit the datastore browser shows for deltas). */
export function formatMiB(bytes: number): string {
  return `${Math.round(bytes / 2 ** 20)} MiB`;
}
