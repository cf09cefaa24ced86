/**
 * The catch-22 walkthrough's picture: the old cluster and the new EVC cluster side by side, each
 * host as a box and each VM as a chip saying whether it runs, and whether it runs with flags the
 * EVC mode hides. The state drawn is one of evc.runDocumentedProcedure's states; nothing here
 * decides anything. Built with d3-selection on the given document; text only through .text().
 */
import { select, type Selection } from "d3-selection";
import * as evc from "../../src/evc/index.ts";

const SVG_NS = "http://www.w3.org/2000/svg";
const COLUMN = 240;
const GAP = 16;
const WIDTH = 2 * COLUMN + GAP;
const PAD = 8;
const CHIP_H = 34;
/** How far the diagram may be scaled up on a wide page. */
const MAX_SCALE = 1.3;
/** Narrowest column drawn: on a phone the two clusters stack, each as wide as the page, so text keeps its size. */
const MIN_COLUMN = 260;

/** Side by side when the page is wide enough to draw them at full size, else one above the other. */
interface Layout {
  column: number;
  stacked: boolean;
  width: number;
}

/** `width` is the figure's content width (the page's `width` input), so a stacked column fills it. */
function layoutFor(width: number): Layout {
  if (width >= WIDTH) return { column: COLUMN, stacked: false, width: WIDTH };
  const column = Math.max(MIN_COLUMN, Math.floor(width));
  return { column, stacked: true, width: column };
}

const chipWidth = (layout: Layout) => layout.column - 4 * PAD - 4;
/** Characters that fit on a chip line at 11-12 px (about 6.6 px a character). */
const chipChars = (layout: Layout) => Math.floor((chipWidth(layout) - 10) / 6.6);
/** Characters of a bold 12 px column heading that fit across the column (about 7.6 px a character). */
const headingChars = (layout: Layout) => Math.floor((layout.column - 2 * PAD) / 7.6);

type G = Selection<SVGGElement, unknown, null, undefined>;

let idCounter = 0;

export interface DiagramHost {
  id: string;
  /** e.g. "Xeon X7460". */
  cpu: string;
}

export type ChipState = "above" | "fits" | "off";

/** How a VM stands against the target mode: running with hidden flags, running inside it, or off. */
export function chipState(vm: evc.Catch22Vm, target: evc.Baseline): { state: ChipState; extra: string[] } {
  if (vm.powerState === "off" || vm.featureSet === null) return { state: "off", extra: [] };
  const extra = evc.difference(vm.featureSet, target.features);
  return { state: extra.length > 0 ? "above" : "fits", extra };
}

function truncate(text: string, max: number): string {
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}

function chip(g: G, vm: evc.Catch22Vm, target: evc.Baseline, x: number, y: number, layout: Layout): void {
  const { state, extra } = chipState(vm, target);
  const CHIP_W = chipWidth(layout);
  const c = g.append("g").attr("class", `vm-chip vm-${state}${vm.isVcenter ? " vm-vcenter" : ""}`).attr("transform", `translate(${x},${y})`);
  c.append("rect").attr("width", CHIP_W).attr("height", CHIP_H).attr("rx", 5);
  c.append("text").attr("class", "vm-name").attr("x", 7).attr("y", 14).text(truncate(vm.isVcenter ? `★ ${vm.name}` : vm.name, chipChars(layout)));
  const power = vm.powerState === "off" ? "off" : vm.powerState === "suspended" ? "suspended" : "on";
  const detail = state === "off" ? "powered off" : state === "above" ? `${power} · +${extra.join(", +")}` : `${power} · within the mode`;
  c.append("text").attr("class", "vm-detail").attr("x", 7).attr("y", 28).text(truncate(detail, chipChars(layout)));
  c.append("title").text(
    `${vm.name}${vm.isVcenter ? " (runs vCenter)" : ""}: ${state === "off" ? "powered off" : state === "above" ? `${power}, using ${extra.join(", ")}, which ${target.displayName} hides` : `${power}, inside ${target.displayName}`}`,
  );
}

function hostBox(g: G, host: DiagramHost, vms: readonly evc.Catch22Vm[], target: evc.Baseline, y: number, layout: Layout): number {
  const COLUMN = layout.column;
  const rows = Math.max(1, vms.length);
  const height = 24 + rows * (CHIP_H + 6) + 2;
  const box = g.append("g").attr("class", "host-box").attr("transform", `translate(${PAD},${y})`);
  box.append("rect").attr("width", COLUMN - 2 * PAD).attr("height", height).attr("rx", 6);
  box.append("text").attr("class", "host-name").attr("x", 8).attr("y", 16).text(truncate(`${host.id} · ${host.cpu}`, chipChars(layout) + 4));
  if (vms.length === 0) box.append("text").attr("class", "vm-detail").attr("x", 8).attr("y", 36).text("no VMs registered");
  vms.forEach((vm, i) => chip(box, vm, target, 8, 24 + i * (CHIP_H + 6), layout));
  return height;
}

export interface ClusterDiagramOptions {
  state: evc.Catch22State;
  hosts: readonly DiagramHost[];
  title: string;
  /** The width the page gives the figure, in CSS pixels. */
  width: number;
}

/** Draws the two clusters for one state of the procedure; returns the SVG. */
export function clusterDiagram(doc: Document, options: ClusterDiagramOptions): SVGSVGElement {
  const { state } = options;
  const layout = layoutFor(options.width);
  const COLUMN = layout.column;
  const target = evc.getBaseline(state.targetId);
  const svg = select(doc.createElementNS(SVG_NS, "svg") as SVGSVGElement).attr("class", "chart catch22").attr("role", "img");
  const titleId = `catch22-title-${++idCounter}`;
  svg.attr("aria-labelledby", titleId).append("title").attr("id", titleId).text(options.title);
  const cpuOf = new Map(options.hosts.map((h) => [h.id, h]));
  const short = target.displayName;

  const columns: Array<{ key: "old" | "evc"; heading: string; present: boolean }> = [
    {
      key: "old",
      heading: state.oldClusterDeleted ? "Old cluster: deleted" : state.oldClusterEvc ? `Cluster: EVC on (${short})` : "Old cluster: EVC off",
      present: !state.oldClusterDeleted,
    },
    { key: "evc", heading: state.evcClusterCreated ? `New cluster: EVC ${short}` : "New EVC cluster: none yet", present: state.evcClusterCreated },
  ];
  let bottom = 0;
  let top = 0;
  columns.forEach((column, i) => {
    const x = layout.stacked ? 0 : i * (COLUMN + GAP);
    const g = svg.append("g").attr("class", `cluster-column${column.present ? "" : " cluster-absent"}`).attr("transform", `translate(${x},${top})`);
    g.append("text").attr("class", "axis-label").attr("x", PAD).attr("y", 16).text(truncate(column.heading, headingChars(layout)));
    let y = 26;
    const hosts = state.hosts.filter((h) => h.cluster === column.key);
    for (const { host } of hosts) {
      const vms = state.vms.filter((vm) => vm.hostId === host.id);
      y += hostBox(g, cpuOf.get(host.id) ?? { id: host.id, cpu: host.name }, vms, target, y, layout) + 8;
    }
    if (hosts.length === 0) {
      g.append("text").attr("class", "vm-detail").attr("x", PAD + 4).attr("y", y + 16).text(column.present ? "no hosts" : "—");
      y += 28;
    }
    bottom = Math.max(bottom, top + y);
    if (layout.stacked) top += y + 2 + GAP;
    g.insert("rect", ":first-child").attr("class", "cluster-frame").attr("x", 0).attr("y", 0).attr("width", COLUMN).attr("height", y + 2).attr("rx", 8);
  });
  const unregistered = state.vms.filter((vm) => vm.hostId === null);
  if (unregistered.length > 0) {
    const g = svg.append("g").attr("transform", `translate(0,${bottom + 14})`);
    g.append("text").attr("class", "axis-label").attr("x", PAD).attr("y", 14).text("On shared storage, registered on no host:");
    const perRow = layout.stacked ? 1 : 2;
    unregistered.forEach((vm, i) => chip(g, vm, target, PAD + (i % perRow) * (COLUMN + GAP), 22 + Math.floor(i / perRow) * (CHIP_H + 6), layout));
    bottom += 14 + 22 + Math.ceil(unregistered.length / perRow) * (CHIP_H + 6) - 2;
  }
  // Legend, two entries a row (one on a phone).
  const perRow = layout.stacked ? 1 : 2;
  const legend = svg.append("g").attr("class", "legend").attr("transform", `translate(0,${bottom + 16})`);
  const entries: Array<[string, string]> = [
    ["vm-above", "running with flags the mode hides"],
    ["vm-fits", "running inside the mode"],
    ["vm-off", "powered off"],
    ["", "★ runs vCenter"],
  ];
  entries.forEach(([cls, label], i) => {
    const item = legend.append("g").attr("class", `vm-chip ${cls}`).attr("transform", `translate(${(i % perRow) * (COLUMN + GAP)},${Math.floor(i / perRow) * 20})`);
    if (cls) item.append("rect").attr("width", 18).attr("height", 14).attr("rx", 3);
    item.append("text").attr("class", "m-legend-label").attr("x", cls ? 23 : 0).attr("y", 11).text(label);
  });
  const legendHeight = Math.ceil(entries.length / perRow) * 20;
  svg.attr("viewBox", `0 0 ${layout.width} ${Math.ceil(bottom + 16 + legendHeight)}`).attr("style", `max-width: ${Math.round(layout.width * (layout.stacked ? 1 : MAX_SCALE))}px`);
  return svg.node()!;
}
