/**
 * Differential check of the readable parsers and chain analysis (src/snapshots) against the reference
 * copies in this folder: the speed-bent code as it was before the rewrite (issue 15), kept only for
 * this comparison. Both get the same input; their results (values and findings, in order) must be
 * equal, except for the fixes listed at withoutFixed (parsers) and withoutKnownDifferences (analyze).
 */
import { analyze, MAX_LINE_CHARS, parseDescriptor, parseListing, parseVmsd, parseVmx, type AnalyzeOptions, type DroppedFile } from "../../../../src/snapshots/index.ts";
import { analyze as analyzeBefore } from "./analyze.ts";
import * as oldDescriptor from "./descriptor.ts";
import * as oldVmx from "./vmx.ts";
import * as oldVmsd from "./vmsd.ts";
import * as oldListing from "./listing.ts";

export interface FileText {
  name: string;
  text: string;
}

/** A JSON text with object keys sorted, so that the order fields were set in does not matter. */
function canonical(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) => {
    if (v === null || typeof v !== "object" || Array.isArray(v)) return v;
    const sorted: Record<string, unknown> = {};
    for (const k of Object.keys(v as object).sort()) sorted[k] = (v as Record<string, unknown>)[k];
    return sorted;
  });
}

export const PARSERS = {
  descriptor: { now: (f: FileText) => parseDescriptor(f), before: (f: FileText) => oldDescriptor.parseDescriptor(f) },
  vmx: { now: (f: FileText) => parseVmx(f), before: (f: FileText) => oldVmx.parseVmx(f) },
  vmsd: { now: (f: FileText) => parseVmsd(f), before: (f: FileText) => oldVmsd.parseVmsd(f) },
  listing: { now: (f: FileText) => parseListing(f), before: (f: FileText) => oldListing.parseListing(f) },
} as const;

export type ParserName = keyof typeof PARSERS;

/**
 * The old descriptor parser's result without what the new one fixes: an extent line cut at the
 * length limit that lost its closing quote to the cut now gets only the long-line notice, not also
 * "the file name has no closing quote" (issue 15).
 */
function withoutFixed(parser: ParserName, file: FileText, result: { findings: { code: string; message: string; line?: number }[] }) {
  if (parser !== "descriptor") return result;
  const cut = new Set(file.text.split("\n").flatMap((l, i) => (l.replace(/\r$/, "").length > MAX_LINE_CHARS ? [i + 1] : [])));
  return { ...result, findings: result.findings.filter((f) => !(f.code === "BAD_EXTENT" && f.line !== undefined && cut.has(f.line) && f.message.includes("has no closing quote"))) };
}

/** The first difference between the new and the old parser on `file`, described, or null when they agree. */
export function difference(parser: ParserName, file: FileText): string | null {
  const now = canonical(PARSERS[parser].now(file));
  const before = canonical(withoutFixed(parser, file, PARSERS[parser].before(file)));
  if (now === before) return null;
  let at = 0;
  while (at < now.length && now[at] === before[at]) at++;
  return `${parser} ${JSON.stringify(file.name)} differs at ${at}:\n  now:    ${now.slice(Math.max(0, at - 80), at + 120)}\n  before: ${before.slice(Math.max(0, at - 80), at + 120)}`;
}

/**
 * Intended differences between analyze() now and before the chain rewrite, each a fix:
 * - one rule for "does the listing still show this descriptor" (listedAs): a .vmsd entry whose
 *   descriptor is missing but whose -flat data file is listed now says the listing shows it, as a
 *   missing parent always did. The comparison leaves that sentence out.
 */
function withoutKnownDifferences(text: string): string {
  return text.replace(/ \((?:and [^()]* does not list it|[^()]* shows [^()]*: drop [^()]* too)\): the disks do not have this snapshot/g, ": the disks do not have this snapshot");
}

/** The first difference between analyze() now and the reference before the chain rewrite, or null. */
export function analyzeDifference(files: readonly DroppedFile[], options: AnalyzeOptions): string | null {
  const now = withoutKnownDifferences(canonical(analyze(files, options)));
  const before = withoutKnownDifferences(canonical(analyzeBefore(files, options)));
  if (now === before) return null;
  let at = 0;
  while (at < now.length && now[at] === before[at]) at++;
  return `analyze differs at ${at}:\n  now:    ${now.slice(Math.max(0, at - 120), at + 160)}\n  before: ${before.slice(Math.max(0, at - 120), at + 160)}`;
}
