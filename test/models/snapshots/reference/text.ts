/**
 * Line scanning shared by every parser of the VM folder's small text files.
 * Source: spec section 8 (parse rules: LF or CRLF, lines over 4 KiB truncated with a warning, NUL
 * bytes mean a binary file, U+FFFD means the bytes were not valid UTF-8). Simplification: one pass
 * with indexOf, no regular expressions over whole lines, so the cost is linear in the text length.
 */
import { finding, type Finding } from "../../../../src/snapshots/findings.ts";

export const MAX_LINE_CHARS = 4096;

/** The files the parsers read: a name and its decoded text (never a data file). */
export interface FileText {
  name: string;
  text: string;
}

/** True when the first `limit` characters contain a NUL: the file is binary (a data file). */
export function hasNul(text: string, limit = 1024): boolean {
  return (text.length > limit ? text.slice(0, limit) : text).indexOf("\u0000") >= 0;
}

/** Findings every text file shares (long lines, undecodable bytes), appended to `out`. */
export function pushTextFindings(out: Finding[], file: string, text: string, truncated: readonly number[]): void {
  if (truncated.length === 0 && text.indexOf("\uFFFD") < 0) return;
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
}

/**
 * Walks a text line by line by index bounds: no array of lines and no string per line, so a parser
 * slices only the parts it keeps. Lines end at LF or CRLF; a text always has at least one line (and one
 * more after a final line end); lines longer than MAX_LINE_CHARS are cut and their numbers kept.
 */
export class LineCursor {
  text: string;
  /** Index where the next line starts; past the end when every line was read. */
  pos = 0;
  /** 1-based number of the current line. */
  lineNo = 0;
  /** Bounds of the current line, without its line end. */
  start = 0;
  end = 0;
  /** Line numbers that were longer than MAX_LINE_CHARS and were cut. */
  truncated: number[] = [];
  /** The next '=' and '"' of the text at or after the last search (text.length when there is none). */
  private equalsAt = -1;
  private quoteAt = -1;

  constructor(text: string) {
    this.text = text;
  }

  /** Starts over on another text, so a parser of many small files can reuse one cursor. */
  reset(text: string): void {
    this.text = text;
    this.pos = 0;
    this.lineNo = 0;
    this.start = 0;
    this.end = 0;
    if (this.truncated.length > 0) this.truncated = [];
    this.equalsAt = -1;
    this.quoteAt = -1;
  }

  /**
   * Index of the first '=' in [from, end of the current line), or -1. The next '=' of the whole text is
   * remembered, so lines without one do not search ahead again: linear over the text as long as `from`
   * never moves back (the parsers search each line once, in order).
   */
  equalsIn(from: number): number {
    if (this.equalsAt < from) {
      const at = this.text.indexOf("=", from);
      this.equalsAt = at < 0 ? this.text.length : at;
    }
    return this.equalsAt < this.end ? this.equalsAt : -1;
  }

  /** Index of the first '"' in [from, end of the current line), or -1; remembered like equalsIn. */
  quoteIn(from: number): number {
    if (this.quoteAt < from) {
      const at = this.text.indexOf('"', from);
      this.quoteAt = at < 0 ? this.text.length : at;
    }
    return this.quoteAt < this.end ? this.quoteAt : -1;
  }

  /** Moves to the next line; false after the last one (a text always has at least one line). */
  next(): boolean {
    const text = this.text;
    const pos = this.pos;
    if (pos > text.length) return false;
    let nl = text.indexOf("\n", pos);
    if (nl < 0) nl = text.length;
    let end = nl;
    if (end > pos && text.charCodeAt(end - 1) === 13) end--;
    this.lineNo++;
    if (end - pos > MAX_LINE_CHARS) {
      this.truncated.push(this.lineNo);
      end = pos + MAX_LINE_CHARS;
    }
    this.start = pos;
    this.end = end;
    this.pos = nl + 1;
    return true;
  }
}

/** The UTF-16 units String.prototype.trim removes: ECMAScript WhiteSpace and LineTerminator. */
export function isTrimmed(c: number): boolean {
  if (c <= 32) return c === 32 || (c >= 9 && c <= 13);
  if (c < 0xa0) return false;
  return c === 0xa0 || c === 0x1680 || (c >= 0x2000 && c <= 0x200a) || c === 0x2028 || c === 0x2029 || c === 0x202f || c === 0x205f || c === 0x3000 || c === 0xfeff;
}

/** Start of text[from, to) after String.prototype.trim (to when it trims to nothing). */
export function trimStartAt(text: string, from: number, to: number): number {
  while (from < to && isTrimmed(text.charCodeAt(from))) from++;
  return from;
}

/** End of text[from, to) after String.prototype.trim (from when it trims to nothing). */
export function trimEndAt(text: string, from: number, to: number): number {
  while (to > from && isTrimmed(text.charCodeAt(to - 1))) to--;
  return to;
}

/** text[from, from + word.length) is exactly `word`, compared in place (no copy of the text). */
export function sameAt(text: string, from: number, word: string): boolean {
  if (from < 0 || from + word.length > text.length) return false;
  for (let i = 0; i < word.length; i++) if (text.charCodeAt(from + i) !== word.charCodeAt(i)) return false;
  return true;
}

/**
 * text[from, from + lower.length) equals `lower` (ASCII, lower case) as toLowerCase would compare it,
 * without making strings. Of the non-ASCII characters only U+212A KELVIN SIGN lower-cases to an ASCII
 * letter (k) on its own; U+0130 becomes i plus a combining dot, which never equals ASCII text, so every
 * other non-ASCII character simply does not match.
 */
export function equalsLowerAt(text: string, from: number, lower: string): boolean {
  if (from + lower.length > text.length) return false;
  for (let i = 0; i < lower.length; i++) {
    let c = text.charCodeAt(from + i);
    if (c >= 65 && c <= 90) c += 32;
    else if (c === 0x212a) c = 107;
    if (c !== lower.charCodeAt(i)) return false;
  }
  return true;
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
  return parseWholeAt(text, 0, text.length);
}

/** parseWhole of text[from, to), without slicing it. */
export function parseWholeAt(text: string, from: number, to: number): number | null {
  const n = to - from;
  if (n <= 0 || n > 15) return null;
  let v = 0;
  for (let i = from; i < to; i++) {
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
