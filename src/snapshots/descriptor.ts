/**
 * The VMDK text descriptor: CID, parentCID, createType, parentFileNameHint, extents, disk database.
 * Source: spec section 1 ([1] libvmdk VMDK format specification; [10] descriptors written by ESXi;
 * [14] VMware Virtual Disk Format 1.1: keys are not case-sensitive). Simplifications: sections are
 * recognised by their lines (extent lines start with RW/RDONLY/NOACCESS, disk-database lines with
 * "ddb."), not by the section comments; unknown keys are kept; a file without the
 * "# Disk DescriptorFile" signature is not a descriptor and yields only a finding.
 */
import { appendFindings, excerpt, finding, SOURCES, type Finding } from "./findings.ts";
import { splitKeyValue } from "./kv.ts";
import { extentAccess, parseExtentLine, type Extent } from "./extent.ts";
import { hasNul, isBlankOrComment, isHex8, parseWhole, skipBlanks, TextReader, textFileFindings, type FileText, type Line } from "./text.ts";
import { checkArray, checkRecord, checkString } from "../shared/index.ts";
import { checkFileText } from "./validate.ts";

export { EXTENT_TYPES, EXTENT_ACCESS, type Extent } from "./extent.ts";

export const SECTOR_BYTES = 512;
/** parentCID of a base disk: no parent [1][2]. */
export const NO_PARENT_CID = "ffffffff";

export const CREATE_TYPES = [
  "monolithicSparse",
  "monolithicFlat",
  "twoGbMaxExtentSparse",
  "twoGbMaxExtentFlat",
  "streamOptimized",
  "vmfs",
  "vmfsThin",
  "vmfsPreallocated",
  "vmfsEagerZeroedThick",
  "vmfsSparse",
  "seSparse",
  "vmfsRaw",
  "vmfsRawDeviceMap",
  "vmfsPassthroughRawDeviceMap",
  "fullDevice",
  "partitionedDevice",
  "custom",
] as const;

/** The canonical spelling of each createType by its lower case (createType is not case-sensitive [14]). */
const CREATE_TYPE_BY_LOWER = new Map<string, string>(CREATE_TYPES.map((t) => [t.toLowerCase(), t]));

/** Delta formats: VMFS redo log (vmfsSparse), SEsparse, or a hosted product's sparse child. */
export type DeltaFormat = "vmfsSparse" | "seSparse" | "hostedSparse";
/** How a base disk holds its blocks, which decides how much a commit can grow it (spec section 6). */
export type BaseType = "thick" | "thin" | "rdm-virtual" | "rdm-physical";

export interface DdbEntry {
  /** Without the "ddb." prefix, as written, e.g. "longContentID". */
  key: string;
  value: string;
  line: number;
}

export interface HeaderEntry {
  key: string;
  value: string;
  line: number;
}

export interface Descriptor {
  file: string;
  version: number | null;
  encoding: string | null;
  /** 8 hex digits as written, or null when missing or malformed. */
  cid: string | null;
  parentCid: string | null;
  isNativeSnapshot: string | null;
  /** Canonical spelling when known, else as written; null when absent. */
  createType: string | null;
  parentFileNameHint: string | null;
  changeTrackPath: string | null;
  extents: Extent[];
  ddb: DdbEntry[];
  /** Header keys this model does not interpret, kept in order. */
  otherKeys: HeaderEntry[];
  capacityBytes: number;
  kind: "base" | "delta";
  deltaFormat: DeltaFormat | null;
  baseType: BaseType;
  lines: { cid: number | null; parentCid: number | null; parentFileNameHint: number | null; createType: number | null };
}

export interface ParseDescriptorOptions {
  /** The caller already checked the text for NUL bytes (classifyFiles does). */
  checkedText?: boolean;
  /** Keep the disk database and the uninterpreted header keys (analyze() reads neither). */
  keepDdb?: boolean;
}

/** The value of disk-database key `key` (without "ddb.", any case), the last one when repeated. */
export function ddbValue(d: Descriptor, key: string): string | null {
  const rec = checkRecord("descriptor", d);
  const ddb = checkArray(
    "descriptor.ddb",
    rec.ddb,
    (v, f) => {
      const e = checkRecord(f, v);
      return { key: checkString(`${f}.key`, e.key), value: checkString(`${f}.value`, e.value) };
    },
    { maxLength: 1_000_000 },
  );
  const lower = checkString("key", key, { maxLength: 4096 }).toLowerCase();
  let value: string | null = null;
  for (const e of ddb) if (e.key.toLowerCase() === lower) value = e.value;
  return value;
}

/** "# Disk DescriptorFile", with any case and spacing after the '#'. */
function isSignature(line: string): boolean {
  if (line === "# Disk DescriptorFile") return true;
  return line.startsWith("#") && line.slice(1).trim().toLowerCase().replace(/\s+/g, " ") === "disk descriptorfile";
}

export function parseDescriptor(file: FileText): { descriptor: Descriptor | null; findings: Finding[] } {
  const { name, text } = checkFileText("file", file);
  const findings: Finding[] = [];
  return { descriptor: parseDescriptorText(name, text, findings), findings };
}

/** A header key's value and the line it is on. */
interface At {
  value: string;
  line: number;
}

/** What the lines of a descriptor say, before it is checked and classified. */
interface DescriptorLines {
  /** The header keys the model reads, each with its last value. */
  header: Header;
  /**
   * The line each other header key (lower case) was last set on, for the duplicate-key notice; made
   * at the first such key, which most descriptors do not have.
   */
  otherKeyLines: Map<string, number> | null;
  extents: Extent[];
  ddb: DdbEntry[];
  otherKeys: HeaderEntry[];
  /** The last ddb.thinProvisioned and ddb.longContentID, which the model interprets. */
  thinProvisioned: At | null;
  longContentId: At | null;
}

/** The header keys this parser interprets, each with its last value and line; null when absent. */
interface Header {
  version: At | null;
  encoding: At | null;
  cid: At | null;
  parentCid: At | null;
  isNativeSnapshot: At | null;
  createType: At | null;
  parentFileNameHint: At | null;
  changeTrackPath: At | null;
}

/** The Header field a key sets, by the key's lower case; null for a key the model does not interpret. */
function headerField(lower: string): keyof Header | null {
  switch (lower) {
    case "version":
      return "version";
    case "encoding":
      return "encoding";
    case "cid":
      return "cid";
    case "parentcid":
      return "parentCid";
    case "isnativesnapshot":
      return "isNativeSnapshot";
    case "createtype":
      return "createType";
    case "parentfilenamehint":
      return "parentFileNameHint";
    case "changetrackpath":
      return "changeTrackPath";
    default:
      return null;
  }
}

function emptyHeader(): Header {
  return { version: null, encoding: null, cid: null, parentCid: null, isNativeSnapshot: null, createType: null, parentFileNameHint: null, changeTrackPath: null };
}

/**
 * parseDescriptor for text that was already checked: appends its findings to `findings` and returns
 * the descriptor or null. analyze() shares one findings list for every descriptor.
 */
export function parseDescriptorText(name: string, text: string, findings: Finding[], options: ParseDescriptorOptions = {}): Descriptor | null {
  const { checkedText = false, keepDdb = true } = options;
  if (!checkedText && hasNul(text)) {
    findings.push(
      finding(
        "BINARY_FILE",
        "warning",
        name,
        `${name}: this is a binary file (found NUL bytes in the first 1 KiB). Drop the small descriptor .vmdk, not the -flat/-delta data file.`,
        { fix: "Drop only the descriptor .vmdk files (under 64 KiB); data files are never read.", source: SOURCES.vmdkSpec },
      ),
    );
    return null;
  }
  const lines = new TextReader(name, text);
  // the first line with anything on it must be the signature
  let blank = true;
  while (blank && lines.nextLine()) blank = lines.text.trim() === "";
  if (blank || !isSignature(lines.text.trim())) {
    findings.push(notADescriptor(name, blank ? null : lines));
    return null;
  }
  const read = readLines(lines, findings, keepDdb);
  appendFindings(findings, textFileFindings(lines));
  return describe(name, read, findings);
}

function notADescriptor(name: string, first: Line | null): Finding {
  const options = { fix: "Drop the small descriptor .vmdk that names the disk's CID and extents.", source: SOURCES.vmdkSpec };
  if (first === null) return finding("NOT_A_DESCRIPTOR", "error", name, `${name}: the file is empty; a descriptor starts with "# Disk DescriptorFile".`, options);
  const found = first.text.trim();
  const sparse = found.startsWith("KDMV") || found.startsWith("COWD");
  return finding(
    "NOT_A_DESCRIPTOR",
    "error",
    name,
    `${name} line ${first.no}: expected "# Disk DescriptorFile"; found "${excerpt(found, 40)}"${
      sparse ? " - this looks like a monolithic sparse disk with an embedded descriptor; only its text part can be read." : " - this is not a VMDK descriptor."
    }`,
    { line: first.no, ...options },
  );
}

/** The lines after the signature: extents, disk database and header keys (last value wins, with a finding). */
function readLines(lines: TextReader, findings: Finding[], keepDdb: boolean): DescriptorLines {
  const name = lines.name;
  const read: DescriptorLines = { header: emptyHeader(), otherKeyLines: null, extents: [], ddb: [], otherKeys: [], thinProvisioned: null, longContentId: null };
  // the reader is the current line
  const line: Line = lines;
  while (lines.nextLine()) {
    const from = skipBlanks(line.text);
    // section headers are comments too
    if (isBlankOrComment(line.text, from)) continue;
    const access = extentAccess(line.text, from);
    if (access !== null) {
      const extent = parseExtentLine(name, line, from, access, findings);
      if (extent !== null) read.extents.push(extent);
      continue;
    }
    const kv = splitKeyValue(line.text, from);
    if (kv === null) {
      findings.push(
        finding("BAD_LINE", "warning", name, `${name} line ${line.no}: expected key=value or an extent line; found "${excerpt(line.text.slice(from).trim())}". Line skipped.`, {
          line: line.no,
        }),
      );
      continue;
    }
    const lower = kv.key.toLowerCase();
    if (kv.key.length > 4 && lower.startsWith("ddb.")) {
      // disk database keys may repeat without a finding; the last value of the two the model reads wins
      if (keepDdb) read.ddb.push({ key: kv.key.slice(4), value: kv.value, line: line.no });
      if (lower === "ddb.thinprovisioned") read.thinProvisioned = { value: kv.value, line: line.no };
      else if (lower === "ddb.longcontentid") read.longContentId = { value: kv.value, line: line.no };
      continue;
    }
    let previous: number | undefined;
    const at = { value: kv.value, line: line.no };
    const field = headerField(lower);
    if (field !== null) {
      previous = read.header[field]?.line;
      read.header[field] = at;
    } else {
      read.otherKeyLines ??= new Map();
      previous = read.otherKeyLines.get(lower);
      read.otherKeyLines.set(lower, line.no);
      if (keepDdb) read.otherKeys.push({ key: kv.key, value: kv.value, line: line.no });
    }
    if (previous !== undefined) {
      findings.push(
        finding("DUPLICATE_KEY", "warning", name, `${name} line ${line.no}: ${excerpt(kv.key, 40)} is set again (first on line ${previous}); the last value is used.`, {
          line: line.no,
        }),
      );
    }
    if (field === "version" || field === "createType") headerValueFindings(name, field, at, findings);
  }
  return read;
}

/** Warnings about a version or createType value, where it is read. */
function headerValueFindings(name: string, key: "version" | "createType", at: At, findings: Finding[]): void {
  if (key === "version") {
    const v = parseWhole(at.value);
    if (v === null || v < 1 || v > 3) {
      findings.push(
        finding("UNKNOWN_VERSION", "warning", name, `${name} line ${at.line}: version "${excerpt(at.value, 20)}" is not 1, 2 or 3; read anyway.`, {
          line: at.line,
          source: SOURCES.vmdkSpec,
        }),
      );
    }
  } else if (!CREATE_TYPE_BY_LOWER.has(at.value.toLowerCase())) {
    findings.push(
      finding("UNKNOWN_CREATE_TYPE", "warning", name, `${name} line ${at.line}: createType "${excerpt(at.value, 40)}" is not one this model knows; read anyway.`, {
        line: at.line,
        source: SOURCES.vmdkSpec,
      }),
    );
  }
}

/** The descriptor from what its lines say: CIDs checked, capacity added up, kind and types derived. */
function describe(name: string, read: DescriptorLines, findings: Finding[]): Descriptor {
  const header = read.header;
  const cid = checkedCid(name, "CID", header.cid, findings);
  const parentCid = checkedCid(name, "parentCID", header.parentCid, findings);
  if (read.extents.length === 0) {
    findings.push(
      finding("NO_EXTENTS", "error", name, `${name}: no extent lines (RW <sectors> <TYPE> "<file>"), so the disk's capacity and data file are unknown.`, {
        source: SOURCES.vmdkSpec,
      }),
    );
  }
  const rawCreateType = header.createType?.value ?? null;
  const createType = rawCreateType === null ? null : (CREATE_TYPE_BY_LOWER.get(rawCreateType.toLowerCase()) ?? rawCreateType);
  const parentFileNameHint = header.parentFileNameHint?.value ?? null;
  const hasParent = (parentCid !== null && parentCid.toLowerCase() !== NO_PARENT_CID) || (parentFileNameHint ?? "") !== "";
  const types = classify(createType, read.extents, hasParent, read.thinProvisioned?.value ?? null);
  const longId = read.longContentId;
  if (longId !== null && cid !== null && longId.value.length >= 8 && longId.value.slice(-8).toLowerCase() !== cid.toLowerCase()) {
    findings.push(
      finding(
        "LONG_CONTENT_ID_MISMATCH",
        "warning",
        name,
        `${name} line ${longId.line}: ddb.longContentID ends in ${excerpt(longId.value.slice(-8), 8)} but CID is ${cid}; in descriptors written by ESXi they agree.`,
        { line: longId.line, fix: "Usually harmless; if the CID was edited by hand, check it against the parent's CID (KB 1007969).", source: SOURCES.vmdkSpec },
      ),
    );
  }
  return {
    file: name,
    version: header.version !== null ? parseWhole(header.version.value) : null,
    encoding: header.encoding?.value ?? null,
    cid,
    parentCid,
    isNativeSnapshot: header.isNativeSnapshot?.value ?? null,
    createType,
    parentFileNameHint,
    changeTrackPath: header.changeTrackPath?.value ?? null,
    extents: read.extents,
    // both stay empty without keepDdb
    ddb: read.ddb,
    otherKeys: read.otherKeys,
    capacityBytes: read.extents.reduce((sum, e) => sum + e.sectors, 0) * SECTOR_BYTES,
    kind: types.deltaFormat !== null || hasParent ? "delta" : "base",
    deltaFormat: types.deltaFormat,
    baseType: types.baseType,
    lines: {
      cid: header.cid?.line ?? null,
      parentCid: header.parentCid?.line ?? null,
      parentFileNameHint: header.parentFileNameHint?.line ?? null,
      createType: header.createType?.line ?? null,
    },
  };
}

/** A CID or parentCID when it is 8 hex digits, else null with a finding (missing or malformed). */
function checkedCid(name: string, label: string, at: At | null, findings: Finding[]): string | null {
  if (at !== null && isHex8(at.value)) return at.value;
  if (at === null) {
    findings.push(
      finding("MISSING_CID", "error", name, `${name}: no ${label} line; a descriptor needs CID and parentCID.`, {
        fix: "Restore the descriptor from a backup, or recreate it by the procedure in VMware KB 1007969.",
        source: SOURCES.vmdkSpec,
      }),
    );
  } else {
    findings.push(
      finding("BAD_CID", "error", name, `${name} line ${at.line}: ${label} must be 8 hex digits; found "${excerpt(at.value, 20)}".`, {
        line: at.line,
        fix: "Correct the value by the documented procedure in VMware KB 1007969 (back up the descriptor first).",
        source: SOURCES.kbCid,
      }),
    );
  }
  return null;
}

/** createTypes (lower case) whose base maps a raw LUN in physical mode or a whole device, which snapshots cannot include. */
const RAW_PHYSICAL_CREATE_TYPES: ReadonlySet<string> = new Set(["vmfspassthroughrawdevicemap", "vmfsraw", "fulldevice", "partitioneddevice"]);
/** createTypes (lower case) that allocate on write: VMFS thin and the hosted products' sparse formats. */
const THIN_CREATE_TYPES: ReadonlySet<string> = new Set(["vmfsthin", "monolithicsparse", "twogbmaxextentsparse", "streamoptimized"]);

/**
 * The delta format and base type from createType, the extent types and the thin flag [1][5]:
 * vmfsSparse / seSparse by createType or, without one, by their extents; a child of any other type
 * is a hosted product's sparse delta. RDMs by createType or VMFSRDM / VMFSRAW extents; hosted sparse
 * types and ddb.thinProvisioned = "1" are thin; everything else is thick.
 */
function classify(createType: string | null, extents: readonly Extent[], hasParent: boolean, thinProvisioned: string | null): { deltaFormat: DeltaFormat | null; baseType: BaseType } {
  const ct = createType === null ? "" : createType.toLowerCase();
  const has = (type: string) => extents.some((e) => e.type === type);
  let deltaFormat: DeltaFormat | null = null;
  if (ct === "vmfssparse" || (ct === "" && has("VMFSSPARSE"))) deltaFormat = "vmfsSparse";
  else if (ct === "sesparse" || (ct === "" && has("SESPARSE"))) deltaFormat = "seSparse";
  else if (hasParent) deltaFormat = has("SESPARSE") ? "seSparse" : has("VMFSSPARSE") ? "vmfsSparse" : "hostedSparse";

  let baseType: BaseType;
  if (ct === "vmfsrawdevicemap" || (has("VMFSRDM") && ct !== "vmfspassthroughrawdevicemap")) baseType = "rdm-virtual";
  else if (RAW_PHYSICAL_CREATE_TYPES.has(ct) || has("VMFSRAW")) baseType = "rdm-physical";
  else if (thinProvisioned?.trim() === "1" || THIN_CREATE_TYPES.has(ct)) baseType = "thin";
  else baseType = "thick";
  return { deltaFormat, baseType };
}
