/**
 * The VMDK text descriptor: CID, parentCID, createType, parentFileNameHint, extents, disk database.
 * Source: spec section 1 ([1] libvmdk VMDK format specification; [10] descriptors written by ESXi;
 * [14] VMware Virtual Disk Format 1.1: keys are not case-sensitive). Simplifications: sections are
 * recognised by their lines (extent lines start with RW/RDONLY/NOACCESS, disk-database lines with
 * "ddb."), not by the section comments; unknown keys are kept; a file without the
 * "# Disk DescriptorFile" signature is not a descriptor and yields only a finding.
 */
import { excerpt, finding, SOURCES, type Finding } from "./findings.ts";
import { trimRange } from "./kv.ts";
import { hasNul, isHex8, isSpace, parseWhole, splitLines, textFindings, type FileText } from "./text.ts";
import { checkFileText } from "./validate.ts";

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

export const EXTENT_TYPES = ["FLAT", "SPARSE", "ZERO", "VMFS", "VMFSSPARSE", "SESPARSE", "VMFSRDM", "VMFSRAW"] as const;
export const EXTENT_ACCESS = ["RW", "RDONLY", "NOACCESS"] as const;

const CREATE_TYPE_BY_LOWER = new Map<string, string>(CREATE_TYPES.map((t) => [t.toLowerCase(), t]));

/** Delta formats: VMFS redo log (vmfsSparse), SEsparse, or a hosted product's sparse child. */
export type DeltaFormat = "vmfsSparse" | "seSparse" | "hostedSparse";
/** How a base disk holds its blocks, which decides how much a commit can grow it (spec section 6). */
export type BaseType = "thick" | "thin" | "rdm-virtual" | "rdm-physical";

export interface Extent {
  access: string;
  sectors: number;
  /** Upper case, e.g. "VMFS", "VMFSSPARSE". */
  type: string;
  /** Data file name relative to the descriptor's folder; null for ZERO extents. */
  file: string | null;
  offset: number | null;
  line: number;
}

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

export function ddbValue(d: Descriptor, key: string): string | null {
  const lower = key.toLowerCase();
  let value: string | null = null;
  for (const e of d.ddb) if (e.key.toLowerCase() === lower) value = e.value;
  return value;
}

function unquote(value: string): string {
  const v = trimRange(value);
  if (v.length >= 2 && v.charCodeAt(0) === 34) {
    const close = v.indexOf('"', 1);
    return close < 0 ? v.slice(1) : v.slice(1, close);
  }
  return v;
}

/** Next whitespace-separated token starting at i: [token, index after it]. */
function token(s: string, i: number): [string, number] {
  while (i < s.length && isSpace(s.charCodeAt(i))) i++;
  const start = i;
  while (i < s.length && !isSpace(s.charCodeAt(i))) i++;
  return [s.slice(start, i), i];
}

function isSignature(line: string): boolean {
  if (line.charCodeAt(0) !== 35) return false;
  return trimRange(line.slice(1)).toLowerCase().replace(/\s+/g, " ") === "disk descriptorfile";
}

export function parseDescriptor(file: FileText): { descriptor: Descriptor | null; findings: Finding[] } {
  const { name, text } = checkFileText("file", file);
  const findings: Finding[] = [];
  if (hasNul(text)) {
    findings.push(
      finding(
        "BINARY_FILE",
        "warning",
        name,
        `${name}: this is a binary file (found NUL bytes in the first 1 KiB). Drop the small descriptor .vmdk, not the -flat/-delta data file.`,
        { fix: "Drop only the descriptor .vmdk files (under 64 KiB); data files are never read.", source: SOURCES.vmdkSpec },
      ),
    );
    return { descriptor: null, findings };
  }
  const lines = splitLines(text);
  const L = lines.lines;
  let first = 0;
  while (first < L.length && trimRange(L[first]).length === 0) first++;
  const firstLine = first < L.length ? trimRange(L[first]) : "";
  if (!isSignature(firstLine)) {
    const kdmv = firstLine.startsWith("KDMV") || firstLine.startsWith("COWD");
    findings.push(
      finding(
        "NOT_A_DESCRIPTOR",
        "error",
        name,
        first >= L.length
          ? `${name}: the file is empty; a descriptor starts with "# Disk DescriptorFile".`
          : `${name} line ${first + 1}: expected "# Disk DescriptorFile"; found "${excerpt(firstLine, 40)}"${
              kdmv
                ? " - this looks like a monolithic sparse disk with an embedded descriptor; only its text part can be read."
                : " - this is not a VMDK descriptor."
            }`,
        { line: first < L.length ? first + 1 : undefined, fix: "Drop the small descriptor .vmdk that names the disk's CID and extents.", source: SOURCES.vmdkSpec },
      ),
    );
    return { descriptor: null, findings };
  }
  findings.push(...textFindings(name, text, lines));

  const d: Descriptor = {
    file: name,
    version: null,
    encoding: null,
    cid: null,
    parentCid: null,
    isNativeSnapshot: null,
    createType: null,
    parentFileNameHint: null,
    changeTrackPath: null,
    extents: [],
    ddb: [],
    otherKeys: [],
    capacityBytes: 0,
    kind: "base",
    deltaFormat: null,
    baseType: "thick",
    lines: { cid: null, parentCid: null, parentFileNameHint: null, createType: null },
  };
  const seen = new Map<string, number>();
  let rawCid: string | null = null;
  let rawParentCid: string | null = null;

  for (let i = first + 1; i < L.length; i++) {
    const lineNo = i + 1;
    const line = trimRange(L[i]);
    if (line.length === 0 || line.charCodeAt(0) === 35) continue;
    const [tok0, after0] = token(line, 0);
    const access = tok0.toUpperCase();
    if (access === "RW" || access === "RDONLY" || access === "NOACCESS") {
      parseExtent(d, name, line, lineNo, access, after0, findings);
      continue;
    }
    const eq = line.indexOf("=");
    if (eq < 0) {
      findings.push(
        finding("BAD_LINE", "warning", name, `${name} line ${lineNo}: expected key=value or an extent line; found "${excerpt(line)}". Line skipped.`, {
          line: lineNo,
        }),
      );
      continue;
    }
    const key = trimRange(line.slice(0, eq));
    const value = unquote(line.slice(eq + 1));
    const lower = key.toLowerCase();
    if (lower.startsWith("ddb.")) {
      d.ddb.push({ key: key.slice(4), value, line: lineNo });
      continue;
    }
    const prev = seen.get(lower);
    if (prev !== undefined) {
      findings.push(
        finding("DUPLICATE_KEY", "warning", name, `${name} line ${lineNo}: ${excerpt(key, 40)} is set again (first on line ${prev}); the last value is used.`, {
          line: lineNo,
        }),
      );
    }
    seen.set(lower, lineNo);
    switch (lower) {
      case "version": {
        const v = parseWhole(value);
        d.version = v;
        if (v === null || v < 1 || v > 3) {
          findings.push(
            finding("UNKNOWN_VERSION", "warning", name, `${name} line ${lineNo}: version "${excerpt(value, 20)}" is not 1, 2 or 3; read anyway.`, {
              line: lineNo,
              source: SOURCES.vmdkSpec,
            }),
          );
        }
        break;
      }
      case "encoding":
        d.encoding = value;
        break;
      case "cid":
        rawCid = value;
        d.lines.cid = lineNo;
        break;
      case "parentcid":
        rawParentCid = value;
        d.lines.parentCid = lineNo;
        break;
      case "isnativesnapshot":
        d.isNativeSnapshot = value;
        break;
      case "createtype": {
        d.lines.createType = lineNo;
        const known = CREATE_TYPE_BY_LOWER.get(value.toLowerCase());
        d.createType = known ?? value;
        if (!known) {
          findings.push(
            finding("UNKNOWN_CREATE_TYPE", "warning", name, `${name} line ${lineNo}: createType "${excerpt(value, 40)}" is not one this model knows; read anyway.`, {
              line: lineNo,
              source: SOURCES.vmdkSpec,
            }),
          );
        }
        break;
      }
      case "parentfilenamehint":
        d.parentFileNameHint = value;
        d.lines.parentFileNameHint = lineNo;
        break;
      case "changetrackpath":
        d.changeTrackPath = value;
        break;
      default:
        d.otherKeys.push({ key, value, line: lineNo });
    }
  }

  for (const [label, raw, line, set] of [
    ["CID", rawCid, d.lines.cid, (v: string) => (d.cid = v)],
    ["parentCID", rawParentCid, d.lines.parentCid, (v: string) => (d.parentCid = v)],
  ] as const) {
    if (raw === null) {
      findings.push(
        finding("MISSING_CID", "error", name, `${name}: no ${label} line; a descriptor needs CID and parentCID.`, {
          fix: "Restore the descriptor from a backup, or recreate it by the procedure in VMware KB 1007969.",
          source: SOURCES.vmdkSpec,
        }),
      );
    } else if (!isHex8(raw)) {
      findings.push(
        finding("BAD_CID", "error", name, `${name} line ${line}: ${label} must be 8 hex digits; found "${excerpt(raw, 20)}".`, {
          line: line ?? undefined,
          fix: "Correct the value by the documented procedure in VMware KB 1007969 (back up the descriptor first).",
          source: SOURCES.kbCid,
        }),
      );
    } else set(raw);
  }

  let sectors = 0;
  for (const e of d.extents) sectors += e.sectors;
  d.capacityBytes = sectors * SECTOR_BYTES;
  if (d.extents.length === 0) {
    findings.push(
      finding("NO_EXTENTS", "error", name, `${name}: no extent lines (RW <sectors> <TYPE> "<file>"), so the disk's capacity and data file are unknown.`, {
        source: SOURCES.vmdkSpec,
      }),
    );
  }

  const ct = (d.createType ?? "").toLowerCase();
  const extentTypes = new Set(d.extents.map((e) => e.type));
  if (ct === "vmfssparse" || (ct === "" && extentTypes.has("VMFSSPARSE"))) d.deltaFormat = "vmfsSparse";
  else if (ct === "sesparse" || (ct === "" && extentTypes.has("SESPARSE"))) d.deltaFormat = "seSparse";
  const hasParent = (d.parentCid !== null && d.parentCid.toLowerCase() !== NO_PARENT_CID) || (d.parentFileNameHint ?? "") !== "";
  if (d.deltaFormat === null && hasParent) {
    d.deltaFormat = extentTypes.has("SESPARSE") ? "seSparse" : extentTypes.has("VMFSSPARSE") ? "vmfsSparse" : "hostedSparse";
  }
  d.kind = d.deltaFormat !== null || hasParent ? "delta" : "base";

  const thin = ddbValue(d, "thinProvisioned");
  if (ct === "vmfsrawdevicemap" || (extentTypes.has("VMFSRDM") && ct !== "vmfspassthroughrawdevicemap")) d.baseType = "rdm-virtual";
  else if (ct === "vmfspassthroughrawdevicemap" || ct === "vmfsraw" || ct === "fulldevice" || ct === "partitioneddevice" || extentTypes.has("VMFSRAW"))
    d.baseType = "rdm-physical";
  else if ((thin !== null && thin.trim() === "1") || ct === "vmfsthin" || ct === "monolithicsparse" || ct === "twogbmaxextentsparse" || ct === "streamoptimized")
    d.baseType = "thin";
  else d.baseType = "thick";

  const longId = ddbValue(d, "longContentID");
  if (longId !== null && d.cid !== null && longId.length >= 8 && longId.slice(-8).toLowerCase() !== d.cid.toLowerCase()) {
    const line = d.ddb.filter((e) => e.key.toLowerCase() === "longcontentid").pop()!.line;
    findings.push(
      finding(
        "LONG_CONTENT_ID_MISMATCH",
        "warning",
        name,
        `${name} line ${line}: ddb.longContentID ends in ${excerpt(longId.slice(-8), 8)} but CID is ${d.cid}; in descriptors written by ESXi they agree.`,
        { line, fix: "Usually harmless; if the CID was edited by hand, check it against the parent's CID (KB 1007969).", source: SOURCES.vmdkSpec },
      ),
    );
  }
  return { descriptor: d, findings };
}

function parseExtent(d: Descriptor, name: string, line: string, lineNo: number, access: string, start: number, findings: Finding[]): void {
  const shape = `extent line must look like RW <sectors> <TYPE> "<file>" [offset]; found "${excerpt(line, 80)}"`;
  const [sectorText, afterSectors] = token(line, start);
  const [typeText, afterType] = token(line, afterSectors);
  if (sectorText === "" || typeText === "") {
    findings.push(finding("BAD_EXTENT", "error", name, `${name} line ${lineNo}: ${shape}.`, { line: lineNo, source: SOURCES.vmdkSpec }));
    return;
  }
  const sectors = parseWhole(sectorText);
  if (sectors === null) {
    findings.push(
      finding("BAD_EXTENT", "error", name, `${name} line ${lineNo}: sector count "${excerpt(sectorText, 20)}" is not a whole number.`, {
        line: lineNo,
        source: SOURCES.vmdkSpec,
      }),
    );
    return;
  }
  const type = typeText.toUpperCase();
  if (!(EXTENT_TYPES as readonly string[]).includes(type)) {
    findings.push(
      finding(
        "UNKNOWN_EXTENT_TYPE",
        "warning",
        name,
        `${name} line ${lineNo}: unknown extent type "${excerpt(typeText, 20)}"; known types are ${EXTENT_TYPES.join(", ")}.`,
        { line: lineNo, source: SOURCES.vmdkSpec },
      ),
    );
  }
  const rest = trimRange(line.slice(afterType));
  let file: string | null = null;
  let offset: number | null = null;
  if (rest.length === 0) {
    if (type !== "ZERO") {
      findings.push(finding("BAD_EXTENT", "error", name, `${name} line ${lineNo}: ${shape} (no file name).`, { line: lineNo, source: SOURCES.vmdkSpec }));
      return;
    }
  } else if (rest.charCodeAt(0) !== 34) {
    const [bare, afterBare] = token(rest, 0);
    file = bare;
    const o = trimRange(rest.slice(afterBare));
    offset = o === "" ? null : parseWhole(o);
    findings.push(
      finding("BAD_EXTENT", "warning", name, `${name} line ${lineNo}: ${shape} (file name is not quoted). Read anyway.`, {
        line: lineNo,
        source: SOURCES.vmdkSpec,
      }),
    );
  } else {
    const close = rest.indexOf('"', 1);
    if (close < 0) {
      findings.push(finding("BAD_EXTENT", "error", name, `${name} line ${lineNo}: ${shape} (the file name has no closing quote).`, { line: lineNo, source: SOURCES.vmdkSpec }));
      return;
    }
    file = rest.slice(1, close);
    const o = trimRange(rest.slice(close + 1));
    if (o !== "") {
      offset = parseWhole(o);
      if (offset === null) {
        findings.push(
          finding("BAD_EXTENT", "warning", name, `${name} line ${lineNo}: extent offset "${excerpt(o, 20)}" is not a whole number; ignored.`, {
            line: lineNo,
            source: SOURCES.vmdkSpec,
          }),
        );
      }
    }
  }
  d.extents.push({ access, sectors, type, file, offset, line: lineNo });
}
