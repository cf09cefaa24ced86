/** Page helpers of the EVC notebook; the element builder itself is shared (../lib/dom.ts). */
import { h, type Child } from "../lib/dom.ts";

export { h, type Child };

/** Sources listed in the page's front matter: cited keys link to them, others are shown as text. */
export const LINKED_SOURCES: ReadonlySet<string> = new Set([
  "kb1003212",
  "kb1005764",
  "kb1013111",
  "vsphere-docs",
  "vsphere-api",
  "evc-keys",
  "libvirt-cpu_map",
  "qemu-cpu-models",
  "libvirt-signature",
  "linux-intel-family",
  "startergo-gist",
  "utexas-opteron-notes",
  "bulldozer",
  "tsx",
  "joetietz-2018",
  "sapcc-helm-7063",
  "ovirt-958",
  "issue-6.7-modes",
]);

const SOURCE_NAMES: Readonly<Record<string, string>> = {
  kb1003212: "KB 1003212",
  kb1005764: "KB 1005764",
  kb1013111: "KB 1013111",
  "vsphere-docs": "vSphere docs",
  "vsphere-api": "vSphere API",
  "evc-keys": "EVC mode keys",
  "libvirt-cpu_map": "libvirt cpu_map",
  "qemu-cpu-models": "QEMU CPU models",
  "libvirt-signature": "libvirt CPUID signatures",
  "linux-intel-family": "Linux intel-family.h",
  "startergo-gist": "CPUID signature list",
  "utexas-opteron-notes": "Opteron revision notes",
  bulldozer: "Bulldozer ISA",
  tsx: "Intel TSX advisory",
  "joetietz-2018": "Tietz 2018",
  "sapcc-helm-7063": "sapcc/helm-charts #7063",
  "ovirt-958": "oVirt #958",
  "issue-6.7-modes": "vCenter 6.7 mode list",
  "vendor-specs": "vendor product knowledge (not checked)",
};

/**
 * A source reference as the data writes it ("kb1003212 (max EVC per processor generation)"): the key
 * links to the page's source list when it is there; the rest of the text follows as written.
 */
export function sourceRef(doc: Document, ref: string): Node {
  const [key, ...rest] = ref.split(" ");
  const name = SOURCE_NAMES[key] ?? key;
  const tail = rest.length > 0 ? ` ${rest.join(" ")}` : "";
  if (!LINKED_SOURCES.has(key)) return doc.createTextNode(`${name}${tail}`);
  const span = doc.createElement("span");
  span.append(h(doc, "a", { href: `#source-${key}` }, name), tail);
  return span;
}

/** Several references separated by commas. */
export function sourceList(doc: Document, refs: readonly string[]): DocumentFragment {
  const fragment = doc.createDocumentFragment();
  refs.forEach((ref, i) => {
    if (i > 0) fragment.append(", ");
    fragment.append(sourceRef(doc, ref));
  });
  return fragment;
}
