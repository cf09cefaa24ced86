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
const CHIP_W = COLUMN - 4 * PAD - 4;
const CHIP_H = 34;
/** How far the diagram may be scaled up on a wide page. */
const MAX_SCALE = 1.3;

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

function chip(g: G, vm: evc.Catch22Vm, target: evc.Baseline, x: number, y: number): void {
  const { state, extra } = chipState(vm, target);
  const c = g.append("g").attr("class", `vm-chip vm-${state}${vm.isVcenter ? " vm-vcenter" : ""}`).attr("transform", `translate(${x},${y})`);
  c.append("rect").attr("width", CHIP_W).attr("height", CHIP_H).attr("rx", 5);
  c.append("text").attr("class", "vm-name").attr("x", 7).attr("y", 14).text(truncate(vm.isVcenter ? `★ ${vm.name}` : vm.name, 28));
  const power = vm.powerState === "off" ? "off" : vm.powerState === "suspended" ? "suspended" : "on";
  const detail = state === "off" ? "powered off" : state === "above" ? `${power} · +${extra.join(", +")}` : `${power} · within the mode`;
  c.append("text").attr("class", "vm-detail").attr("x", 7).attr("y", 28).text(truncate(detail, 32));
  c.append("title").text(
    `${vm.name}${vm.isVcenter ? " (runs vCenter)" : ""}: ${state === "off" ? "powered off" : state === "above" ? `${power}, using ${extra.join(", ")}, which ${target.id} hides` : `${power}, inside ${target.id}`}`,
  );
}

function hostBox(g: G, host: DiagramHost, vms: readonly evc.Catch22Vm[], target: evc.Baseline, y: number): number {
  const rows = Math.max(1, vms.length);
  const height = 24 + rows * (CHIP_H + 6) + 2;
  const box = g.append("g").attr("class", "host-box").attr("transform", `translate(${PAD},${y})`);
  box.append("rect").attr("width", COLUMN - 2 * PAD).attr("height", height).attr("rx", 6);
  box.append("text").attr("class", "host-name").attr("x", 8).attr("y", 16).text(`${host.id} · ${host.cpu}`);
  if (vms.length === 0) box.append("text").attr("class", "vm-detail").attr("x", 8).attr("y", 36).text("no VMs registered");
  vms.forEach((vm, i) => chip(box, vm, target, 8, 24 + i * (CHIP_H + 6)));
  return height;
}

export interface ClusterDiagramOptions {
  state: evc.Catch22State;
  hosts: readonly DiagramHost[];
  title: string;
}

/** Draws the two clusters for one state of the procedure; returns the SVG. */
export function clusterDiagram(doc: Document, options: ClusterDiagramOptions): SVGSVGElement {
  const { state } = options;
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
    { key: "evc", heading: state.evcClusterCreated ? `New cluster: EVC ${short}` : "New EVC cluster: not created yet", present: state.evcClusterCreated },
  ];
  let bottom = 0;
  columns.forEach((column, i) => {
    const g = svg.append("g").attr("class", `cluster-column${column.present ? "" : " cluster-absent"}`).attr("transform", `translate(${i * (COLUMN + GAP)},0)`);
    g.append("text").attr("class", "axis-label").attr("x", PAD).attr("y", 16).text(truncate(column.heading, 36));
    let y = 26;
    const hosts = state.hosts.filter((h) => h.cluster === column.key);
    for (const { host } of hosts) {
      const vms = state.vms.filter((vm) => vm.hostId === host.id);
      y += hostBox(g, cpuOf.get(host.id) ?? { id: host.id, cpu: host.name }, vms, target, y) + 8;
    }
    if (hosts.length === 0) {
      g.append("text").attr("class", "vm-detail").attr("x", PAD + 4).attr("y", y + 16).text(column.present ? "no hosts" : "—");
      y += 28;
    }
    bottom = Math.max(bottom, y);
    g.insert("rect", ":first-child").attr("class", "cluster-frame").attr("x", 0).attr("y", 0).attr("width", COLUMN).attr("height", y + 2).attr("rx", 8);
  });
  const unregistered = state.vms.filter((vm) => vm.hostId === null);
  if (unregistered.length > 0) {
    const g = svg.append("g").attr("transform", `translate(0,${bottom + 14})`);
    g.append("text").attr("class", "axis-label").attr("x", PAD).attr("y", 14).text("On shared storage, registered on no host:");
    unregistered.forEach((vm, i) => chip(g, vm, target, PAD + (i % 2) * (COLUMN + GAP), 22 + Math.floor(i / 2) * (CHIP_H + 6)));
    bottom += 14 + 22 + CHIP_H + 4;
  }
  // Legend, two entries a row.
  const legend = svg.append("g").attr("class", "legend").attr("transform", `translate(0,${bottom + 16})`);
  const entries: Array<[string, string]> = [
    ["vm-above", `running with flags ${target.id} hides`],
    ["vm-fits", "running inside the mode"],
    ["vm-off", "powered off"],
    ["", "★ runs vCenter"],
  ];
  entries.forEach(([cls, label], i) => {
    const item = legend.append("g").attr("class", `vm-chip ${cls}`).attr("transform", `translate(${(i % 2) * (COLUMN + GAP)},${Math.floor(i / 2) * 20})`);
    if (cls) item.append("rect").attr("width", 18).attr("height", 14).attr("rx", 3);
    item.append("text").attr("class", "m-legend-label").attr("x", cls ? 23 : 0).attr("y", 11).text(label);
  });
  svg.attr("viewBox", `0 0 ${WIDTH} ${Math.ceil(bottom + 56)}`).attr("style", `max-width: ${Math.round(WIDTH * MAX_SCALE)}px`);
  return svg.node()!;
}
