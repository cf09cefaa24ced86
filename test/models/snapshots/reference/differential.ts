/**
 * Differential check of the readable parsers (src/snapshots) against the reference copies in this
 * folder: the speed-bent parsers as they were before the rewrite (issue 15), kept only for this
 * comparison. Both get the same file; their results (values and findings, in order) must be equal.
 * Known, intended differences are listed in KNOWN_DIFFERENCES with the reason; none so far.
 */
import { parseDescriptor, parseListing, parseVmsd, parseVmx } from "../../../../src/snapshots/index.ts";
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

/** The first difference between the new and the old parser on `file`, described, or null when they agree. */
export function difference(parser: ParserName, file: FileText): string | null {
  const now = canonical(PARSERS[parser].now(file));
  const before = canonical(PARSERS[parser].before(file));
  if (now === before) return null;
  let at = 0;
  while (at < now.length && now[at] === before[at]) at++;
  return `${parser} ${JSON.stringify(file.name)} differs at ${at}:\n  now:    ${now.slice(Math.max(0, at - 80), at + 120)}\n  before: ${before.slice(Math.max(0, at - 80), at + 120)}`;
}
