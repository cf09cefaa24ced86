/** Page helpers of the snapshot notebook; the element builder itself is shared (../lib/dom.ts). */
import { h, type Child } from "../lib/dom.ts";

export { h, type Child };

/**
 * The model cites the spec's numbered sources ("[2] VMware KB 1007969, ..."); these are the ids the
 * page's front matter gives the same sources, so a citation links to the page's source list.
 */
export const SPEC_SOURCE_IDS: Readonly<Record<string, string>> = {
  "1": "libvmdk",
  "2": "kb1007969",
  "3": "kb337269",
  "4": "kb304387",
  "5": "snapshot-formats",
  "6": "hogan-sesparse",
  "7": "yellow-bricks",
  "8": "techtarget",
  "9": "disk-mode",
  "10": "esxi-descriptors",
  "11": "kb1018832",
  "12": "opvizor",
  "13": "consolidate",
  "14": "vmdk-1.1",
  "15": "support-insider",
  "16": "hogan-consolidation",
  "17": "hagen-forensics",
};

/** "[2] VMware KB 1007969, ...; [13] ..." as links to the page's sources (unknown parts as text). */
export function sourceLinks(doc: Document, source: string): DocumentFragment {
  const out = doc.createDocumentFragment();
  source.split("; ").forEach((part, i) => {
    if (i > 0) out.append("; ");
    const match = /^\[(\d+)\] (.*)$/.exec(part);
    const id = match ? SPEC_SOURCE_IDS[match[1]] : undefined;
    if (match && id) out.append(h(doc, "a", { href: `#source-${id}` }, match[2]));
    else out.append(part);
  });
  return out;
}
