/**
 * Line scanning shared by every parser of the VM folder's small text files.
 * Source: spec section 8 (parse rules: LF or CRLF, lines over 4 KiB truncated with a warning, NUL
 * bytes mean a binary file, U+FFFD means the bytes were not valid UTF-8). Simplification: one pass
 * with indexOf, no regular expressions over whole lines, so the cost is linear in the text length.
 */
import { finding, type Finding } from "./findings.ts";

export const MAX_LINE_CHARS = 4096;

/** The files the parsers read: a name and its decoded text (never a data file). */
export interface FileText {
  name: string;
  text: string;
}

export interface Lines {
  /** Lines without their line end; line n (1-based) is lines[n - 1]. */
  lines: string[];
  /** Line numbers that were longer than MAX_LINE_CHARS and were cut. */
  truncated: number[];
}

export function splitLines(text: string): Lines {
  const lines: string[] = [];
  const truncated: number[] = [];
  let start = 0;
  const n = text.length;
  while (start <= n) {
    let end = text.indexOf("\n", start);
    if (end < 0) end = n;
    let stop = end;
    if (stop > start && text.charCodeAt(stop - 1) === 13) stop--;
    if (stop - start > MAX_LINE_CHARS) {
      truncated.push(lines.length + 1);
      stop = start + MAX_LINE_CHARS;
    }
    lines.push(text.slice(start, stop));
    if (end === n) break;
    start = end + 1;
  }
  return { lines, truncated };
}

/** True when the first `limit` characters contain a NUL: the file is binary (a data file). */
export function hasNul(text: string, limit = 1024): boolean {
  return (text.length > limit ? text.slice(0, limit) : text).indexOf("\u0000") >= 0;
}

/** Findings every text file shares: long lines, undecodable bytes. */
export function textFindings(file: string, text: string, truncated: readonly number[]): Finding[] {
  const out: Finding[] = [];
  if (truncated.length === 0 && text.indexOf("\uFFFD") < 0) return out;
  for (const line of truncated) {
    out.push(
      finding("LINE_TOO_LONG", "warning", file, `${file} line ${line}: the line is longer than ${MAX_LINE_CHARS} characters; only its start was read.`, {
        line,
      }),
    );
  }
  if (text.indexOf("\uFFFD") >= 0) {
    out.push(
      finding("INVALID_UTF8", "warning", file, `${file}: some bytes are not valid UTF-8; they were replaced by \uFFFD and read anyway.`, {
        fix: "If names look wrong, save the file as UTF-8 and drop it again.",
      }),
    );
  }
  return out;
}

/** The last path component, for `/vmfs/volumes/ds/vm/vm.vmdk`, `sub\\vm.vmdk` or `vm.vmdk`. */
export function baseName(path: string): string {
  if (path.indexOf("/") < 0 && path.indexOf("\\") < 0) return path;
  let cut = -1;
  for (let i = path.length - 1; i >= 0; i--) {
    const c = path.charCodeAt(i);
    if (c === 47 || c === 92) {
      cut = i;
      break;
    }
  }
  return cut < 0 ? path : path.slice(cut + 1);
}

export function isAbsolutePath(path: string): boolean {
  return path.startsWith("/") || path.startsWith("\\") || (path.length > 2 && path[1] === ":" && (path[2] === "\\" || path[2] === "/"));
}

/** Decimal digits only, at most 15 of them (so the number is exact): the value, else null. */
export function parseWhole(text: string): number | null {
  const n = text.length;
  if (n === 0 || n > 15) return null;
  let v = 0;
  for (let i = 0; i < n; i++) {
    const c = text.charCodeAt(i) - 48;
    if (c < 0 || c > 9) return null;
    v = v * 10 + c;
  }
  return v;
}

/** An optionally negative whole number (the .vmsd writes createTimeLow as signed decimal). */
export function parseSigned(text: string): number | null {
  if (text.startsWith("-")) {
    const v = parseWhole(text.slice(1));
    return v === null ? null : -v;
  }
  return parseWhole(text);
}

/** Exactly 8 hex digits (a CID). */
export function isHex8(text: string): boolean {
  if (text.length !== 8) return false;
  for (let i = 0; i < 8; i++) {
    const c = text.charCodeAt(i);
    if (!((c >= 48 && c <= 57) || (c >= 65 && c <= 70) || (c >= 97 && c <= 102))) return false;
  }
  return true;
}
