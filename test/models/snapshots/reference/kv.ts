/**
 * The `key = "value"` dictionary format of .vmx and .vmsd files.
 * Source: spec sections 2, 3 and 8 ([3][4]): flat quoted values; unquoted values are read anyway
 * with a warning; duplicate keys keep the last value with a warning; unknown keys are kept.
 * Simplification: keys compare case-insensitively (VMware treats them so); a value ends at its
 * first closing quote, because VMware escapes quotes inside values as |22.
 */
import { excerpt, finding, type Finding } from "../../../../src/snapshots/findings.ts";
import type { LineCursor } from "./text.ts";

export interface KvEntry {
  /** The key as written. */
  key: string;
  value: string;
  /** 1-based line. */
  line: number;
}

/** Entries by lower-cased key, in file order; duplicate keys keep the last value. */
export type KvMap = Map<string, KvEntry>;

/** Native trim: linear, and it also drops a byte-order mark at the start of a file. */
function trimRange(s: string): string {
  return s.trim();
}

/** Space, tab or a stray CR; local so the scanning loops stay inlined. */
export function isBlank(c: number): boolean {
  return c === 32 || c === 9 || c === 13 || c === 11 || c === 12;
}

/** Index of the first non-blank character of `line` at or after `from`, or line.length. */
export function skipBlanks(line: string, from = 0): number {
  let i = from;
  while (i < line.length && isBlank(line.charCodeAt(i))) i++;
  return i;
}

/**
 * Scratch result of scanKeyValueLine: the parsers call it once per line, so it returns the bounds of
 * the parts here (indices into the text) instead of allocating an object or strings per line; a caller
 * slices just the parts it keeps. quote: 0 = unquoted, 1 = quoted, 2 = no closing quote.
 */
export const kvScan: { quote: 0 | 1 | 2; keyStart: number; keyEnd: number; valueStart: number; valueEnd: number } = {
  quote: 0,
  keyStart: 0,
  keyEnd: 0,
  valueStart: 0,
  valueEnd: 0,
};

/**
 * Finds the bounds of `key = value` (value optionally quoted) in the cursor's current line from
 * `from` on; false when there is no '=' or no key. Sets kvScan; no string is made.
 */
export function scanKeyValueLine(lines: LineCursor, from: number): boolean {
  const text = lines.text;
  const end = lines.end;
  const eq = lines.equalsIn(from);
  if (eq < 0) return false;
  let keyEnd = eq;
  while (keyEnd > from && isBlank(text.charCodeAt(keyEnd - 1))) keyEnd--;
  if (keyEnd === from) return false;
  kvScan.keyStart = from;
  kvScan.keyEnd = keyEnd;
  let vs = eq + 1;
  while (vs < end && isBlank(text.charCodeAt(vs))) vs++;
  let ve = end;
  while (ve > vs && isBlank(text.charCodeAt(ve - 1))) ve--;
  if (vs < ve && text.charCodeAt(vs) === 34) {
    const close = lines.quoteIn(vs + 1);
    kvScan.valueStart = vs + 1;
    if (close < 0 || close >= ve) {
      kvScan.valueEnd = ve;
      kvScan.quote = 2;
    } else {
      kvScan.valueEnd = close;
      kvScan.quote = 1;
    }
  } else {
    kvScan.valueStart = vs;
    kvScan.valueEnd = ve;
    kvScan.quote = 0;
  }
  return true;
}

/**
 * Moves the cursor to the next `key = value` line and scans it into kvScan; false after the last line.
 * Skips blank and comment lines, and reports lines that are not key = value and values without quotes.
 */
export function nextKeyValue(lines: LineCursor, file: string, findings: Finding[]): boolean {
  const text = lines.text;
  while (lines.next()) {
    const lineNo = lines.lineNo;
    const a = skipBlanks(text, lines.start);
    if (a >= lines.end || text.charCodeAt(a) === 35) continue;
    if (!scanKeyValueLine(lines, a)) {
      findings.push(
        finding("BAD_LINE", "warning", file, `${file} line ${lineNo}: expected key = "value"; found '${excerpt(currentLine(lines).trim())}'. Line skipped.`, {
          line: lineNo,
        }),
      );
      continue;
    }
    // a line cut at MAX_LINE_CHARS lost its closing quote to the cut: it gets the long-line notice only
    const cut = lines.truncated.length > 0 && lines.truncated[lines.truncated.length - 1] === lineNo;
    if (kvScan.quote === 2 && !cut) {
      findings.push(
        finding(
          "UNQUOTED_VALUE",
          "warning",
          file,
          `${file} line ${lineNo}: the value of ${excerpt(text.slice(kvScan.keyStart, kvScan.keyEnd), 40)} has no closing quote. Read anyway.`,
          { line: lineNo },
        ),
      );
    } else if (kvScan.quote === 0) {
      findings.push(
        finding(
          "UNQUOTED_VALUE",
          "warning",
          file,
          `${file} line ${lineNo}: expected key = "value"; found '${excerpt(currentLine(lines).trim())}' (value not quoted). Read anyway.`,
          { line: lineNo },
        ),
      );
    }
    return true;
  }
  return false;
}

/** The cursor's current line as a string (for messages). */
function currentLine(lines: LineCursor): string {
  return lines.text.slice(lines.start, lines.end);
}

export function duplicateKey(file: string, key: string, line: number, firstLine: number): Finding {
  return finding("DUPLICATE_KEY", "warning", file, `${file} line ${line}: ${excerpt(key, 40)} is set again (first on line ${firstLine}); the last value is used.`, {
    line,
  });
}

/** Every `key = value` line of the cursor's text by lower-cased key; a repeated key keeps its last value, with a finding. */
export function parseKeyValues(file: string, lines: LineCursor, findings: Finding[]): KvMap {
  const map: KvMap = new Map();
  const text = lines.text;
  while (nextKeyValue(lines, file, findings)) {
    const lineNo = lines.lineNo;
    const key = text.slice(kvScan.keyStart, kvScan.keyEnd);
    const value = text.slice(kvScan.valueStart, kvScan.valueEnd);
    const lower = key.toLowerCase();
    const previous = map.get(lower);
    if (previous) {
      findings.push(duplicateKey(file, key, lineNo, previous.line));
      map.delete(lower);
    }
    map.set(lower, { key, value, line: lineNo });
  }
  return map;
}

export { trimRange };
