/**
 * The snapshot tree figure: per disk, the tree of descriptors from the base at the top to the
 * current file at the bottom, with CIDs, sizes and which snapshot froze each file; broken links,
 * missing parents, orphans and branches drawn as such; one sentence per disk and a row per file.
 * Part of the analysis code the notebook imports on demand (analysis.ts re-exports treeFigure).
 * Strings from the reader's files reach the page only as text (the tree chart's .text()).
 */
import { formatBytes, type Analysis, type DiskAnalysis, type TreeNode } from "../../src/snapshots/index.ts";
import type { Refusal } from "../lib/chart.ts";
import { plural } from "../lib/view.ts";
import { treeChart, type TreeChartNode, type TreePanel, type LinkState } from "../lib/tree.ts";
import { isEmpty, type Empty } from "./folder.ts";

/** The tree figure of an analysis, or the sentence that says why there is none. */
export function treeFigure(a: Analysis | Empty, doc: Document, width?: number) {
  return isEmpty(a) ? ({ title: "Snapshot tree per disk", refusal: a.refusal } satisfies Refusal) : treeView(a, doc, width);
}

/** "thick" -> "thick", "rdm-virtual" -> "raw LUN (virtual RDM)". */
export function baseTypeText(type: DiskAnalysis["baseType"]): string {
  switch (type) {
    case "thick":
      return "thick";
    case "thin":
      return "thin";
    case "rdm-virtual":
      return "raw LUN (virtual-mode RDM)";
    case "rdm-physical":
      return "raw LUN (physical-mode RDM)";
    default:
      return "unknown";
  }
}

interface TreeContext {
  disk: DiskAnalysis | null;
  snapshotNames: Map<number, string>;
}

function role(n: TreeNode): string {
  if (n.status === "missing") return "missing (named as parent, not dropped)";
  if (n.status === "outside") return "outside this folder";
  if (n.current) return n.kind === "base" ? "base, current (no snapshot)" : "current (the VM writes here)";
  if (n.orphan) return "orphan delta (no snapshot lists it)";
  if (!n.onChain) return n.kind === "base" ? "base, cut off from the current disk" : "other branch (deleted, not merged, by Delete All)";
  return n.kind === "base" ? "base" : "delta on the current chain";
}

function sizeLine(n: TreeNode, ctx: TreeContext): string {
  if (n.status !== "ok") return n.status === "missing" ? "named as parent, but not dropped" : "in another folder or datastore";
  if (n.kind === "base") {
    const isChainBase = ctx.disk !== null && ctx.disk.end === "base" && ctx.disk.chain[0]?.name === n.name;
    const type = isChainBase ? ctx.disk!.baseType : null;
    if (type === "thin") return `${formatBytes(n.capacityBytes)} thin, ${n.sizeBytes !== null ? `${formatBytes(n.sizeBytes)} allocated` : "allocation unknown"}`;
    if (type === "rdm-virtual" || type === "rdm-physical") return `${formatBytes(n.capacityBytes)} raw LUN (RDM)`;
    return `${formatBytes(n.capacityBytes)} ${type ?? n.createType ?? "base"}`;
  }
  const format = n.format === "seSparse" ? "SEsparse" : n.format === "vmfsSparse" ? "VMFSsparse" : (n.createType ?? "delta");
  return n.sizeBytes !== null ? `${formatBytes(n.sizeBytes)} ${format} delta` : `size unknown [A] · ${format}`;
}

function cidLine(n: TreeNode): string {
  if (n.status !== "ok") return "CID unknown: its descriptor is not here";
  if (n.kind === "base") return `CID ${n.cid ?? "?"} · no parent`;
  return `CID ${n.cid ?? "?"} · parentCID ${n.parentCid ?? "?"}`;
}

function snapshotLine(n: TreeNode, ctx: TreeContext): string {
  if (n.status !== "ok") return "its child names it as parent";
  if (n.snapshotUids.length === 0) return n.current ? "the VM writes here now" : "no snapshot froze this file";
  return n.snapshotUids.map((uid) => `snapshot ${uid}${ctx.snapshotNames.has(uid) ? ` “${ctx.snapshotNames.get(uid)}”` : ""}`).join(", ");
}

function chartNode(n: TreeNode, parent: TreeNode | null, ctx: TreeContext): TreeChartNode {
  const cutOff = !n.onChain && n.kind === "base" && parent === null;
  const state = n.status !== "ok" ? "missing" : n.current ? "current" : n.orphan ? "orphan" : cutOff ? "detached" : !n.onChain ? "branch" : n.kind;
  const badge =
    n.status === "missing" ? "not dropped" : n.status === "outside" ? "elsewhere" : n.current ? "current" : n.orphan ? "orphan" : cutOff ? "cut off" : !n.onChain ? "other branch" : undefined;
  let link: { state: LinkState; label?: string } | undefined;
  if (parent) {
    if (n.linkOk === false) link = { state: "broken", label: `✗ CID mismatch: ${n.parentCid ?? "?"} ≠ ${parent.cid ?? "?"}` };
    else if (parent.status !== "ok") link = { state: "gap", label: "? parent not dropped" };
    else link = { state: n.onChain && parent.onChain ? "ok" : "off" };
  }
  const details = [cidLine(n), sizeLine(n, ctx), snapshotLine(n, ctx)];
  const fill = n.kind === "delta" && n.status === "ok" && n.sizeBytes !== null && n.capacityBytes > 0 ? n.sizeBytes / n.capacityBytes : null;
  return {
    label: n.name,
    details,
    state,
    badge,
    fill,
    link,
    title: `${n.name}: ${role(n)}. ${details.join("; ")}.${fill !== null ? ` The delta holds ${Math.round(fill * 1000) / 10} % of the disk's size.` : ""}`,
    children: collapse(n.children.map((c) => chartNode(c, n, ctx))),
  };
}

/** Links in an unbranched run of plain deltas beyond this many are drawn as one "… more" box. */
const RUN_KEEP = 3;

/** Shortens long unbranched runs of plain, intact deltas (deep chains stay drawable). */
function collapse(children: TreeChartNode[]): TreeChartNode[] {
  return children.map((child) => {
    const run: TreeChartNode[] = [];
    let cur: TreeChartNode = child;
    while (cur.state === "delta" && cur.link?.state === "ok" && cur.children.length === 1) {
      run.push(cur);
      cur = cur.children[0];
    }
    if (run.length <= 2 * RUN_KEEP + 1) return child;
    const hidden = run.slice(RUN_KEEP, run.length - RUN_KEEP);
    const rest = run.slice(run.length - RUN_KEEP);
    const tail = rest.reduceRight<TreeChartNode>((below, node) => ({ ...node, children: [below] }), cur);
    const gap: TreeChartNode = {
      label: `… ${hidden.length} more deltas`,
      details: [`${hidden[0].label} to`, hidden[hidden.length - 1].label, "every CID link between them holds"],
      state: "collapsed",
      link: { state: "ok" },
      title: `${hidden.length} deltas not drawn: ${hidden.map((x) => x.label).join(", ")}. Every CID link between them holds; the data table lists them.`,
      children: [tail],
    };
    return run.slice(0, RUN_KEEP).reduceRight<TreeChartNode>((below, node) => ({ ...node, children: [below] }), gap);
  });
}

function walkTree(n: TreeNode, visit: (n: TreeNode, parent: TreeNode | null) => void, parent: TreeNode | null = null): void {
  visit(n, parent);
  for (const c of n.children) walkTree(c, visit, n);
}

function diskTitle(d: DiskAnalysis): string {
  if (d.independent) return `${d.key}: ${d.leaf} (${d.mode}: snapshots skip it)`;
  return `${d.key}${d.inferred ? " (no .vmx: inferred)" : ""}: the VM writes to ${d.leaf}`;
}

function diskNotes(d: DiskAnalysis): string[] {
  const notes: string[] = [];
  const deltas = d.chain.filter((l) => l.kind === "delta").length;
  if (d.end === "base") {
    notes.push(`${formatBytes(d.capacityBytes)} ${baseTypeText(d.baseType)} base; ${plural(deltas, "delta")} on the current chain${deltas > 0 ? `, ${formatBytes(d.sizes.chainDeltaBytes)} in all` : ""}.`);
  } else if (d.end === "missing" || d.end === "outside") {
    notes.push(`The chain stops at ${d.gap ?? "a parent"}, ${d.end === "missing" ? "which was named as parent but not dropped" : "which is in another folder or datastore"}; what it cut off is drawn beside it.`);
  } else if (d.end === "loop") {
    notes.push("Following the parents from the current disk loops back on itself: no base is reached.");
  } else {
    notes.push(`${d.leaf} was not among the files.`);
  }
  return notes;
}

function treeView(a: Analysis, doc: Document, width?: number) {
  const title = "Snapshot tree per disk: base at the top, the current file at the bottom";
  const snapshotNames = new Map(a.snapshots.map((s) => [s.uid, s.displayName]));
  const panels: TreePanel[] = [];
  const rows: Array<Array<string | number>> = [];
  const sentences: string[] = [];
  const addRows = (key: string, root: TreeNode, ctx: TreeContext) =>
    walkTree(root, (n, parent) => {
      const link = parent === null ? "—" : n.linkOk === true ? "holds" : n.linkOk === false ? "BROKEN (CID mismatch)" : parent.status !== "ok" ? "parent not dropped" : "not checked";
      const size = n.status !== "ok" ? "—" : n.sizeBytes !== null ? formatBytes(n.sizeBytes) : n.kind === "delta" ? "unknown" : "—";
      rows.push([key, n.name, role(n), n.cid ?? "—", n.kind === "base" ? "none" : (n.parentCid ?? "—"), link, size, n.snapshotUids.map((u) => String(u)).join(", ") || "—"]);
    });
  for (const d of a.disks) {
    const ctx: TreeContext = { disk: d, snapshotNames };
    const roots = [d.tree, ...d.detached].filter((t): t is TreeNode => t !== null);
    panels.push({ title: diskTitle(d), notes: diskNotes(d), roots: roots.map((r) => chartNode(r, null, ctx)) });
    for (const r of roots) addRows(d.key, r, ctx);
    sentences.push(diskSentence(d, roots));
  }
  if (a.unattached.length > 0) {
    const ctx: TreeContext = { disk: null, snapshotNames };
    panels.push({ title: "Descriptors no disk of the VM uses", notes: [a.vm.vmx ? `Neither ${a.vm.vmx} nor any chain from it reaches these.` : "No .vmx among the files, and nothing links these to a disk."], roots: a.unattached.map((r) => chartNode(r, null, ctx)) });
    for (const r of a.unattached) addRows("no disk", r, ctx);
    sentences.push(`Not used by any disk: ${a.unattached.map((t) => t.name).join(", ")}.`);
  }
  if (panels.length === 0) {
    return { title, refusal: "No disk to draw: there is no .vmx disk and no descriptor .vmdk among the files. Drop the small descriptor .vmdk files (a few hundred bytes of text each) along with the .vmx." } satisfies Refusal;
  }
  return treeChart(doc, {
    title,
    width,
    panels,
    legend: [
      { kind: "node", state: "base", label: "base disk" },
      { kind: "node", state: "delta", label: "delta on the current chain" },
      { kind: "node", state: "current", label: "current (VM writes here)" },
      { kind: "node", state: "orphan", label: "orphan delta" },
      { kind: "node", state: "branch", label: "other branch or cut off" },
      { kind: "node", state: "missing", label: "named, not dropped" },
      { kind: "link", state: "ok", label: "CID link holds" },
      { kind: "link", state: "broken", label: "CID mismatch" },
      { kind: "link", state: "gap", label: "parent missing" },
      { kind: "link", state: "off", label: "off the current chain" },
    ],
    summary: sentences.join(" "),
    table: {
      caption: "Every descriptor, per disk: its place in the tree, CIDs and size",
      columns: ["Disk", "File", "Role", "CID", "parentCID", "Link to parent", "Size", "Snapshots (uid)"],
      rows,
    },
  });
}

function diskSentence(d: DiskAnalysis, roots: TreeNode[]): string {
  if (d.independent) return `${d.key} (${d.leaf}) is ${d.mode}: snapshots skip it.`;
  const chain = d.chain.map((l, i) => {
    const size = l.kind === "base" ? baseTypeText(d.baseType) : l.sizeBytes !== null ? formatBytes(l.sizeBytes) : "size unknown";
    return `${l.name} (${i === d.chain.length - 1 ? `current, ${size}` : size})`;
  });
  let s = `${d.key}: ${d.end === "base" ? "" : "… → "}${chain.join(" → ")}.`;
  for (let i = 1; i < d.chain.length; i++) {
    const l = d.chain[i];
    if (l.linkOk === false) s += ` The link ${l.name} → ${d.chain[i - 1].name} is broken: parentCID ${l.parentCid} ≠ CID ${d.chain[i - 1].cid}.`;
  }
  if (d.end === "missing") s += ` The chain stops at ${d.gap}, which was not dropped.`;
  if (d.end === "outside") s += ` The chain continues at ${d.gap}, outside this folder.`;
  if (d.end === "loop") s += " The parents loop.";
  const off: string[] = [];
  for (const r of roots) walkTree(r, (n) => {
    if (n.status === "ok" && !n.onChain) off.push(`${n.name} (${n.orphan ? "orphan" : n.kind === "base" ? "base, cut off" : "other branch"}${n.sizeBytes !== null && n.kind === "delta" ? `, ${formatBytes(n.sizeBytes)}` : ""})`);
  });
  if (off.length > 0) s += ` Off the current chain: ${off.join(", ")}.`;
  return s;
}

