/**
 * The `key = "value"` dictionary format of .vmx and .vmsd files.
 * Source: spec sections 2, 3 and 8 ([3][4]): flat quoted values; unquoted values are read anyway
 * with a warning; duplicate keys keep the last value with a warning; unknown keys are kept.
 * Simplification: keys compare case-insensitively (VMware treats them so); a value ends at its
 * first closing quote, because VMware escapes quotes inside values as |22.
 */
import { excerpt, finding, type Finding } from "./findings.ts";
import { isSpace, type Lines } from "./text.ts";

export interface KvEntry {
  /** The key as written. */
  key: string;
  value: string;
  /** 1-based line. */
  line: number;
}

/** Entries by lower-cased key, in file order; duplicate keys keep the last value. */
export type KvMap = Map<string, KvEntry>;

function trimRange(s: string): string {
  let a = 0;
  let b = s.length;
  while (a < b && isSpace(s.charCodeAt(a))) a++;
  while (b > a && isSpace(s.charCodeAt(b - 1))) b--;
  return a === 0 && b === s.length ? s : s.slice(a, b);
}

export function parseKeyValues(file: string, { lines }: Lines, findings: Finding[]): KvMap {
  const map: KvMap = new Map();
  for (let i = 0; i < lines.length; i++) {
    const raw = lines[i];
    const lineNo = i + 1;
    const text = trimRange(raw);
    if (text.length === 0 || text.charCodeAt(0) === 35) continue;
    const eq = text.indexOf("=");
    const key = eq < 0 ? "" : trimRange(text.slice(0, eq));
    if (eq < 0 || key.length === 0) {
      findings.push(
        finding("BAD_LINE", "warning", file, `${file} line ${lineNo}: expected key = "value"; found '${excerpt(text)}'. Line skipped.`, {
          line: lineNo,
        }),
      );
      continue;
    }
    const rest = trimRange(text.slice(eq + 1));
    let value: string;
    if (rest.charCodeAt(0) === 34) {
      const close = rest.indexOf('"', 1);
      if (close < 0) {
        value = rest.slice(1);
        findings.push(
          finding("UNQUOTED_VALUE", "warning", file, `${file} line ${lineNo}: the value of ${excerpt(key, 40)} has no closing quote. Read anyway.`, {
            line: lineNo,
          }),
        );
      } else {
        value = rest.slice(1, close);
      }
    } else {
      value = rest;
      findings.push(
        finding(
          "UNQUOTED_VALUE",
          "warning",
          file,
          `${file} line ${lineNo}: expected key = "value"; found '${excerpt(text)}' (value not quoted). Read anyway.`,
          { line: lineNo },
        ),
      );
    }
    const lower = key.toLowerCase();
    const previous = map.get(lower);
    if (previous) {
      findings.push(
        finding(
          "DUPLICATE_KEY",
          "warning",
          file,
          `${file} line ${lineNo}: ${excerpt(key, 40)} is set again (first on line ${previous.line}); the last value is used.`,
          { line: lineNo },
        ),
      );
      map.delete(lower);
    }
    map.set(lower, { key, value, line: lineNo });
  }
  return map;
}

export { trimRange };
