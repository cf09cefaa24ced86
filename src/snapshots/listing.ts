/**
 * A pasted folder listing: file name -> size in bytes, so data files are sized without being read.
 * Source: spec sections 5 and 7 (sizes come from an optional listing the user pastes: `ls -l`, a
 * datastore browser copy or `du`), plus this project's sample convention `# allocated <name>: <bytes>`
 * for the real allocation of a thin disk and `# free: <bytes>` for the datastore's free space.
 * Simplifications: units K/M/G/T (with or without B/iB) are binary multiples, as ESXi's `ls -lh` and
 * the datastore browser use them; lines that name no file with a size are skipped with a warning.
 */
import { excerpt, finding, type Finding } from "./findings.ts";
import { trimRange } from "./kv.ts";
import { baseName, splitLines, pushTextFindings, type FileText } from "./text.ts";
import { checkString } from "../shared/index.ts";
import { checkFileText } from "./validate.ts";

/** Space or tab (or a stray CR); local so the hot token loop stays inlined. */
function isBlank(c: number): boolean {
  return c === 32 || c === 9 || c === 13 || c === 11 || c === 12;
}

export interface ListingEntry {
  name: string;
  sizeBytes: number;
  line: number;
}

export interface Listing {
  file: string;
  /** Apparent sizes (what `ls -l` prints); the last line for a name wins. */
  entries: ListingEntry[];
  /** Allocated sizes (what `du` prints), from `# allocated` lines. */
  allocated: ListingEntry[];
  /** Datastore free space, from a `# free:` line, or null. */
  freeBytes: number | null;
}

const UNITS = new Map<string, number>([["", 1], ["b", 1], ["k", 2 ** 10], ["kb", 2 ** 10], ["kib", 2 ** 10], ["m", 2 ** 20], ["mb", 2 ** 20], ["mib", 2 ** 20], ["g", 2 ** 30], ["gb", 2 ** 30], ["gib", 2 ** 30], ["t", 2 ** 40], ["tb", 2 ** 40], ["tib", 2 ** 40]]);

function tokens(s: string): { text: string; start: number }[] {
  const count = scanTokens(s);
  const out: { text: string; start: number }[] = [];
  for (let k = 0; k < count; k++) out.push({ text: s.slice(tokStart[k], tokEnd[k]), start: tokStart[k] });
  return out;
}

// Token bounds of the last scanTokens call (scratch arrays: a listing line allocates no token objects).
const tokStart: number[] = [];
const tokEnd: number[] = [];

function scanTokens(s: string): number {
  let count = 0;
  let i = 0;
  while (i < s.length) {
    while (i < s.length && isBlank(s.charCodeAt(i))) i++;
    if (i >= s.length) break;
    tokStart[count] = i;
    while (i < s.length && !isBlank(s.charCodeAt(i))) i++;
    tokEnd[count++] = i;
  }
  return count;
}

function tok(s: string, k: number): string {
  return s.slice(tokStart[k], tokEnd[k]);
}

/** "42949672960", "41,943,040", "1.5G", "12 GiB": bytes (K, M, G, T are binary multiples), or null. */
export function parseSize(numberText: string, unitText = ""): number | null {
  return sizeOf(checkString("numberText", numberText, { maxLength: 4096 }), checkString("unitText", unitText, { maxLength: 4096 }));
}

function sizeOf(numberText: string, unitText = ""): number | null {
  const n = numberText.length;
  let whole = 0;
  let fraction = 0;
  let scale = 1;
  let digits = 0;
  let dot = false;
  let i = 0;
  for (; i < n; i++) {
    const c = numberText.charCodeAt(i);
    if (c >= 48 && c <= 57) {
      if (++digits > 20) return null;
      if (dot) {
        scale /= 10;
        fraction += (c - 48) * scale;
      } else whole = whole * 10 + (c - 48);
    } else if (c === 44 && digits > 0 && !dot) continue;
    else if (c === 46 && digits > 0 && !dot) dot = true;
    else break;
  }
  if (digits === 0 || numberText.charCodeAt(i - 1) === 46) return null;
  const attached = i < n ? numberText.slice(i) : "";
  if (attached !== "" && unitText !== "") return null;
  const unit = UNITS.get((attached || unitText).toLowerCase());
  if (unit === undefined) return null;
  const bytes = Math.round((whole + fraction) * unit);
  return Number.isSafeInteger(bytes) ? bytes : null;
}

function isPermissions(t: string): boolean {
  if (t.length < 10 || t.length > 11) return false;
  if ("-dlbcps".indexOf(t[0]) < 0) return false;
  for (let i = 1; i < 10; i++) if ("rwxsStT-".indexOf(t[i]) < 0) return false;
  return true;
}

function cleanName(raw: string): string {
  let name = trimRange(raw);
  const arrow = name.indexOf(" -> ");
  if (arrow > 0) name = name.slice(0, arrow);
  if (name.length >= 2 && name.startsWith('"') && name.endsWith('"')) name = name.slice(1, -1);
  return baseName(name);
}

export function parseListing(file: FileText): { listing: Listing; findings: Finding[] } {
  const { name, text } = checkFileText("file", file);
  const findings: Finding[] = [];
  return { listing: parseListingText(name, text, findings).listing, findings };
}

/** A parsed listing and its sizes by file name (the last line for a name wins), as analyze() looks them up. */
export interface ParsedListing {
  listing: Listing;
  entries: ReadonlyMap<string, ListingEntry>;
  allocated: ReadonlyMap<string, ListingEntry>;
}

/** parseListing for text that was already checked; appends its findings to `findings`. */
export function parseListingText(name: string, text: string, findings: Finding[]): ParsedListing {
  const listing: Listing = { file: name, entries: [], allocated: [], freeBytes: null };
  const lines = splitLines(text);
  pushTextFindings(findings, name, text, lines.truncated);
  const entries = new Map<string, ListingEntry>();
  const allocated = new Map<string, ListingEntry>();
  const skip = (lineNo: number, line: string, why: string) =>
    findings.push(finding("LISTING_LINE_SKIPPED", "warning", name, `${name} line ${lineNo}: ${why}; found "${excerpt(line)}". Line skipped.`, { line: lineNo }));

  for (let i = 0; i < lines.lines.length; i++) {
    const lineNo = i + 1;
    const line = trimRange(lines.lines[i]);
    if (line.length === 0) continue;
    if (line.charCodeAt(0) === 35) {
      const body = trimRange(line.slice(1));
      const lower = body.toLowerCase();
      if (lower.startsWith("allocated ")) {
        const colon = body.lastIndexOf(":");
        const t = colon < 0 ? [] : tokens(body.slice(colon + 1));
        const bytes = t.length === 1 ? sizeOf(t[0].text) : t.length === 2 ? sizeOf(t[0].text, t[1].text) : null;
        let fileName = colon < 0 ? "" : trimRange(body.slice("allocated ".length, colon));
        const paren = fileName.indexOf(" (");
        if (paren > 0 && fileName.endsWith(")")) fileName = trimRange(fileName.slice(0, paren));
        if (bytes === null || fileName === "") skip(lineNo, line, 'expected "# allocated <file>: <bytes>"');
        else allocated.set(cleanName(fileName), { name: cleanName(fileName), sizeBytes: bytes, line: lineNo });
      } else if (lower.startsWith("free") || lower.startsWith("datastore free")) {
        const colon = body.indexOf(":");
        const t = colon < 0 ? [] : tokens(body.slice(colon + 1));
        const bytes = t.length === 1 ? sizeOf(t[0].text) : t.length === 2 ? sizeOf(t[0].text, t[1].text) : null;
        if (bytes === null) skip(lineNo, line, 'expected "# free: <bytes>"');
        else listing.freeBytes = bytes;
      }
      continue;
    }
    let count = scanTokens(line);
    let t0 = 0;
    if (count === 2 && tok(line, 0).toLowerCase() === "total") continue;
    // `ls -ls` puts a block count before the permissions
    if (count > 1 && isPermissions(tok(line, 1)) && sizeOf(tok(line, 0)) !== null) t0 = 1;
    count -= t0;
    const at = (k: number) => tok(line, t0 + k);
    let fileName: string | null = null;
    let bytes: number | null = null;
    const first = at(0);
    if (isPermissions(first)) {
      if (first.charCodeAt(0) === 100) continue;
      // perms links owner group size month day time name; busybox may omit the group
      for (let sizeAt = 4; sizeAt >= 3; sizeAt--) {
        if (count < sizeAt + 5) continue;
        const b = sizeOf(at(sizeAt));
        if (b === null) continue;
        bytes = b;
        fileName = cleanName(line.slice(tokStart[t0 + sizeAt + 4]));
        break;
      }
    } else if (count >= 2 && sizeOf(first) !== null) {
      // du style: size name
      bytes = sizeOf(first);
      fileName = cleanName(line.slice(tokStart[t0 + 1]));
    } else if (count >= 3 && sizeOf(at(count - 2), at(count - 1)) !== null) {
      // datastore browser style: name size unit
      bytes = sizeOf(at(count - 2), at(count - 1));
      fileName = cleanName(line.slice(0, tokStart[t0 + count - 2]));
    } else if (count >= 2 && sizeOf(at(count - 1)) !== null) {
      bytes = sizeOf(at(count - 1));
      fileName = cleanName(line.slice(0, tokStart[t0 + count - 1]));
    }
    if (bytes === null || fileName === null || fileName === "" || fileName === "." || fileName === "..") {
      skip(lineNo, line, "expected an `ls -l` line or <file> <size>");
      continue;
    }
    entries.set(fileName, { name: fileName, sizeBytes: bytes, line: lineNo });
  }
  listing.entries = [...entries.values()];
  listing.allocated = [...allocated.values()];
  return { listing, entries, allocated };
}
