/**
 * The switch drawn from a model state: vCenter (control plane) on top, the hosts with their proxy
 * switches, their dvsData.db and their VMs in the middle, the shared VMFS with its `.dvsData` port
 * files below. Management and storage links join them. Each VM's traffic runs towards its host's
 * uplink (animated unless the reader prefers reduced motion) or stops with a ✕ where the model
 * says it stops. The failures a reader can switch are focusable buttons with aria-pressed.
 * Nothing here decides anything: every state comes from src/vds. Text only through .text().
 */
import { select, type Selection } from "d3-selection";
import { vds } from "../../src/index.ts";
import { chartWidth } from "../lib/chart.ts";
import { FAILURE_LABELS, type FailureKey } from "./failures.ts";

const SVG_NS = "http://www.w3.org/2000/svg";
const PAD = 8;
const ROW = 30;
/** Host id, proxy switch and dvsData.db lines above the VM rows. */
const HOST_HEAD = 52;

type G = Selection<SVGGElement, unknown, null, undefined>;

let idCounter = 0;

export interface DiagramOptions {
  state: vds.VdsState;
  title: string;
  width?: number;
  /** The failure toggles drawn as buttons, with whether each is on; none in a scenario's picture. */
  toggles?: Partial<Record<FailureKey, boolean>>;
}

/** A focusable part of the picture that switches one failure on or off. */
function toggleTarget(parent: G, key: FailureKey, pressed: boolean, visible: string): G {
  return parent
    .append("g")
    .attr("class", `vds-toggle${pressed ? " pressed" : ""}`)
    .attr("data-vds-toggle", key)
    .attr("role", "button")
    .attr("tabindex", "0")
    .attr("aria-pressed", String(pressed))
    // The accessible name starts with the words on screen, then says what the button does.
    .attr("aria-label", `${visible}: ${FAILURE_LABELS[key]}`);
}

function badge(parent: G, key: FailureKey, pressed: boolean, x: number, y: number, w: number, text: string): void {
  const label = `${pressed ? "✕ " : ""}${text}`;
  const b = toggleTarget(parent, key, pressed, label).attr("transform", `translate(${x},${y})`);
  b.append("rect").attr("width", w).attr("height", 20).attr("rx", 4);
  b.append("text").attr("x", w / 2).attr("y", 14).attr("text-anchor", "middle").text(label);
}

/** Shortens a label to the width it has: about 7.2 px a character for bold 12 px text, 6.2 for 11 px. */
function fit(text: string, px: number, charPx = 6.2): string {
  const max = Math.max(4, Math.floor(px / charPx));
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}

export function vdsDiagram(doc: Document, options: DiagramOptions): SVGSVGElement {
  const { state, toggles } = options;
  const W = chartWidth(options.width);
  const hw = (W - 3 * PAD) / 2;
  const svg = select(doc.createElementNS(SVG_NS, "svg") as SVGSVGElement).attr("class", "chart vds-diagram");
  // A group, not an image: it holds buttons a reader can reach.
  const titleId = `vds-title-${++idCounter}`;
  svg.attr("role", "group").attr("aria-labelledby", titleId).append("title").attr("id", titleId).text(options.title);
  const root = svg.append("g") as unknown as G;

  // vCenter, the control plane.
  const vcVm = state.vms.find((v) => v.id === state.vcenter.vmId);
  const vc = root.append("g").attr("class", `vds-vcenter ${state.vcenter.up ? "is-up" : "is-down"}`).attr("transform", `translate(${PAD},${PAD})`);
  const badgeW = toggles ? 78 : 0;
  vc.append("rect").attr("width", W - 2 * PAD).attr("height", 42).attr("rx", 6);
  vc.append("text").attr("class", "vds-name").attr("x", 8).attr("y", 17).text(`${state.vcenter.up ? "" : "✕ "}vCenter: ${state.vcenter.up ? "up" : "down"}`);
  vc.append("text").attr("class", "vds-detail").attr("x", 8).attr("y", 34).text(fit(`control plane · ${vcVm ? `VM ${vcVm.id} on ${vcVm.host}` : "runs outside this cluster"}`, W - 30 - badgeW));
  if (toggles) badge(vc, "vcenterDown", toggles.vcenterDown ?? false, W - 2 * PAD - badgeW - 6, 11, badgeW, "Fail");

  const hostTop = 92;
  const vmsOn = state.hosts.map((h) => state.vms.filter((v) => v.host === h.id));
  const hostH = HOST_HEAD + 4 + Math.max(1, ...vmsOn.map((l) => l.length)) * ROW + (toggles ? 26 : 0);
  state.hosts.slice(0, 2).forEach((host, i) => {
    const x = PAD + i * (hw + PAD);
    const cx = x + hw / 2;
    const first = i === 0 && toggles;
    // Management link vCenter <-> host.
    const mgmt = host.mgmtLink ? "mgmt" : "✕ mgmt";
    const link = (first ? toggleTarget(root, "mgmtLost", toggles.mgmtLost ?? false, mgmt) : root.append("g")).classed(`vds-link ${host.mgmtLink ? "is-up" : "is-down"}`, true);
    link.append("rect").attr("class", "vds-hit").attr("x", cx - 40).attr("y", PAD + 44).attr("width", 80).attr("height", hostTop - PAD - 46);
    link.append("line").attr("x1", cx).attr("x2", cx).attr("y1", PAD + 42).attr("y2", hostTop);
    link.append("text").attr("class", "vds-detail").attr("x", cx + 6).attr("y", hostTop - 12).text(mgmt);

    const box = root.append("g").attr("class", `vds-host ${host.running ? "is-up" : "is-down"}`).attr("transform", `translate(${x},${hostTop})`);
    box.append("rect").attr("width", hw).attr("height", hostH).attr("rx", 6);
    const sw = !host.running ? "none (host down)" : host.proxySwitch === "up" ? "up" : "temporary vSwitch";
    box.append("text").attr("class", "vds-name").attr("x", 6).attr("y", 16).text(`${host.running ? "" : "✕ "}${host.id}`);
    box.append("text").attr("class", "vds-detail").attr("x", 6).attr("y", 31).text(fit(`proxy switch: ${sw}`, hw - 10));
    const db = host.stateless ? "none (stateless)" : host.localCache;
    box.append("text").attr("class", "vds-detail vds-db").attr("x", 6).attr("y", 45).text(fit(`dvsData.db: ${db}`, hw - 10));
    vmsOn[i].forEach((vm, k) => {
      const t = vds.trafficUnchecked(state, vm.id);
      const nic = vm.nics[0];
      const y = HOST_HEAD + k * ROW;
      // The rest of the row is the way to the host's uplinks, where the traffic goes.
      const chipW = Math.min(hw - 30, 130);
      const chip = box.append("g").attr("class", `vds-vm ${vm.powered ? "is-on" : "is-off"}`).attr("transform", `translate(6,${y})`);
      chip.append("rect").attr("width", chipW).attr("height", ROW - 4).attr("rx", 4);
      chip.append("text").attr("class", "vds-vm-name").attr("x", 5).attr("y", 11).text(fit(vm.id === state.vcenter.vmId ? `★ ${vm.id}` : vm.id, chipW - 8));
      const pg = nic ? state.portgroups.find((p) => p.id === nic.portgroup) : undefined;
      chip.append("text").attr("class", "vds-detail").attr("x", 5).attr("y", 22).text(fit(nic ? `port ${nic.portId ?? "–"} · ${pg?.binding ?? ""}` : "no NIC", chipW - 8));
      chip.append("title").text(t.reason);
      const flow = box.append("g").attr("class", `vds-flow ${t.flows ? "flowing" : "stopped"}`);
      const fy = y + (ROW - 4) / 2;
      const fx1 = 6 + chipW;
      const fx2 = t.flows ? hw : fx1 + 14;
      flow.append("line").attr("x1", fx1).attr("x2", fx2).attr("y1", fy).attr("y2", fy);
      if (!t.flows) flow.append("text").attr("class", "vds-stop").attr("x", fx2 + 2).attr("y", fy + 4).text("✕");
      flow.append("title").text(t.reason);
    });
    if (first) {
      const by = hostH - 24;
      const bw = (hw - 18) / 2;
      badge(box, "reboot", toggles.reboot ?? false, 6, by, bw, "Reboot");
      badge(box, "haFail", toggles.haFail ?? false, 12 + bw, by, bw, "Fail (HA)");
    }
  });

  // Storage links and the shared datastore with its .dvsData port files.
  const dsTop = hostTop + hostH + 34;
  state.hosts.slice(0, 2).forEach((host, i) => {
    const cx = PAD + i * (hw + PAD) + hw / 2;
    const sees = state.datastores.every((d) => host.seesDatastores.includes(d.id));
    const first = i === 0 && toggles;
    const storage = sees ? "storage" : "✕ storage";
    const g = (first ? toggleTarget(root, "dsLost", toggles.dsLost ?? false, storage) : root.append("g")).classed(`vds-link ${sees ? "is-up" : "is-down"}`, true);
    g.append("rect").attr("class", "vds-hit").attr("x", cx - 40).attr("y", hostTop + hostH + 2).attr("width", 80).attr("height", 30);
    g.append("line").attr("x1", cx).attr("x2", cx).attr("y1", hostTop + hostH).attr("y2", dsTop);
    g.append("text").attr("class", "vds-detail").attr("x", cx + 6).attr("y", dsTop - 12).text(storage);
  });
  const ds = state.datastores[0];
  const files = state.vms.filter((v) => v.datastore === ds.id).flatMap((v) => v.nics.filter((n) => n.portId !== null).map((n) => ({ vm: v.id, port: n.portId! })));
  const dsH = 40 + Math.max(1, files.length) * 15;
  const box = root.append("g").attr("class", "vds-datastore").attr("transform", `translate(${PAD},${dsTop})`);
  box.append("rect").attr("width", W - 2 * PAD).attr("height", dsH).attr("rx", 6);
  box.append("text").attr("class", "vds-name").attr("x", 8).attr("y", 16).text(fit(`${ds.name} · shared VMFS`, W - 30, 7.2));
  const uuid = state.switchUuid.split(" ");
  box.append("text").attr("class", "vds-detail").attr("x", 8).attr("y", 32).text(fit(files.length > 0 ? `VMs' files; .dvsData/${uuid[0]} ${uuid[1]} … ${uuid.at(-1)}/ port files` : "no .dvsData: no VM here uses the switch", W - 30));
  files.forEach((f, k) => box.append("text").attr("class", "vds-file").attr("x", 20).attr("y", 47 + k * 15).text(`${f.port}  ← ${f.vm}`));

  // Legend: the dash pattern and the marks, so colour is never the only cue.
  const legend = root.append("g").attr("class", "vds-legend").attr("transform", `translate(${PAD},${dsTop + dsH + 16})`);
  const flowKey = legend.append("g").attr("class", "vds-flow flowing");
  flowKey.append("line").attr("x1", 0).attr("x2", 26).attr("y1", -4).attr("y2", -4);
  legend.append("text").attr("class", "vds-detail").attr("x", 32).attr("y", 0).text("traffic to the host's uplinks");
  legend.append("text").attr("class", "vds-detail").attr("x", 0).attr("y", 16).text("✕ where it stops (hover for why) · ★ vCenter's VM");
  const height = dsTop + dsH + 16 + 16 + PAD;
  svg.attr("viewBox", `0 0 ${W} ${height}`);
  return svg.node()!;
}
