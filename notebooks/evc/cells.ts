/**
 * EVC notebook: pick the hosts of a cluster from the shipped CPU models and see the highest EVC
 * baseline, what each host's VMs lose under it, vMotion with and without EVC, the plan for
 * enabling a mode on the running cluster, and the KB 1013111 walkthrough when vCenter runs on the
 * blocking host. Every answer comes from src/evc; this file only asks and draws.
 */
import * as evc from "../../src/evc/index.ts";
import { cell, defineNotebook, element, figure, text, view } from "../lib/cells.ts";
import { observableDefine } from "../lib/define.ts";
import { multi, number, select } from "../lib/params.ts";
import type { DataTable, Refusal } from "../lib/chart.ts";
import { matrixChart, type MatrixCell, type MatrixPanel } from "../lib/matrix.ts";
import { h, sourceList } from "./dom.ts";
import { stepper, type Stepper } from "./stepper.ts";

export const MAX_HOSTS = 16;
/** The stepper's value at build time and in headless runs: every step applied. */
export const ALL_STEPS = 999;
const SOURCE_CLUSTER = ["intel-xeon-x7350", "intel-xeon-x7460"];

const cpus = evc.listCpus();

function cpuLabel(cpu: evc.Cpu): string {
  const signature = `CPUID ${cpu.family}/${cpu.modelNumber ?? "?"}`;
  return `${cpu.model} (${cpu.launchYear}) · ${cpu.microarchitecture} · ${signature}${cpu.confidence === "low" ? " · low confidence" : ""}`;
}

/** "Intel Xeon X7460" -> "X7460", "AMD EPYC 7302" -> "EPYC 7302". */
export function shortCpu(cpu: evc.Cpu): string {
  return cpu.model.replace(/^Intel Xeon /, "").replace(/^(Intel|AMD) /, "");
}

/** 'Intel "Merom" Generation' -> "Merom"; 'AMD Opteron Generation 3 (no 3DNow!)' -> "Opteron Gen 3 (no 3DNow!)". */
export function shortBaseline(b: evc.Baseline): string {
  const quoted = /"([^"]+)"/.exec(b.displayName);
  return quoted ? quoted[1] : b.displayName.replace(/^(Intel|AMD) /, "").replace("Generation", "Gen");
}

const VCENTER_VERSIONS = [
  ["2.5u2", "VirtualCenter 2.5 Update 2"],
  ["4.0", "vCenter Server 4.0"],
  ["4.1", "vCenter Server 4.1"],
  ["5.0", "vCenter Server 5.0"],
  ["5.1", "vCenter Server 5.1"],
  ["5.5", "vCenter Server 5.5"],
  ["6.0", "vCenter Server 6.0"],
  ["6.5", "vCenter Server 6.5"],
  ["6.5u1", "vCenter Server 6.5 Update 1"],
  ["6.7", "vCenter Server 6.7"],
  ["6.7u3", "vCenter Server 6.7 Update 3"],
  ["7.0", "vCenter Server 7.0"],
  ["7.0u1", "vCenter Server 7.0 Update 1"],
  ["7.0u2", "vCenter Server 7.0 Update 2"],
  ["7.0u3", "vCenter Server 7.0 Update 3"],
  ["8.0", "vCenter Server 8.0"],
  ["8.0u1", "vCenter Server 8.0 Update 1"],
  ["8.0u2", "vCenter Server 8.0 Update 2"],
] as const;

/** "6.7u3" -> "6.7 Update 3", for the model's sentences ("vCenter 6.7 Update 3 does not offer …"). */
function versionText(value: string): string {
  const label = VCENTER_VERSIONS.find(([v]) => v === value)?.[1] ?? value;
  return label.replace(/^(vCenter Server|VirtualCenter) /, "");
}

export const params = {
  hosts: multi({
    label: "Hosts in the cluster (one CPU model each)",
    value: SOURCE_CLUSTER,
    minItems: 1,
    maxItems: MAX_HOSTS,
    options: cpus.map((cpu) => ({ value: cpu.id, label: cpuLabel(cpu) })),
    help: "Ctrl/Cmd-click or Shift-click to pick several (Ctrl+Space with the keyboard), or use the filter and the generation picker below. Up to 16 hosts.",
  }),
  target: select({
    label: "EVC mode to enable",
    value: "highest",
    options: [
      { value: "highest", label: "The cluster's highest baseline" },
      ...evc.listBaselines().map((b) => ({ value: b.id, label: `${b.kbLevel} ${b.displayName}${b.confidence === "low" ? " (low confidence)" : ""}` })),
    ],
  }),
  vmsPerHost: number({ label: "Powered-on VMs on each host", unit: "VMs", min: 0, max: 8, step: 1, value: 3, help: "Started before EVC was on, so each carries its host's full feature set." }),
  vcenterOn: select({
    label: "The vCenter Server VM runs",
    value: "most",
    options: [
      { value: "most", label: "on the host with the most CPU features" },
      { value: "least", label: "on the host with the fewest CPU features" },
      { value: "outside", label: "outside this cluster" },
    ],
    help: "In the source it ran on the X7460 host, the one with the most features.",
  }),
  vcenter: select({
    label: "vCenter version",
    value: "any",
    options: [{ value: "any", label: "Don't check" }, ...VCENTER_VERSIONS.map(([value, label]) => ({ value, label }))],
    help: "Checks that this vCenter offers the mode (KB 1003212 Table 2, partly reconstructed: see the confidence).",
  }),
};

export interface HostModel {
  hosts: evc.Host[];
  /** The CPU of each host, in host order. */
  cpus: evc.Cpu[];
  /** Host labels for figures: "esx02 X7460". */
  labels: string[];
  /** Picked hosts beyond MAX_HOSTS, left out. */
  dropped: number;
}

export interface ClusterModel extends HostModel {
  cluster: evc.Cluster;
  vcenterHostId: string | null;
}

/** What depends on the hosts alone (not on their VMs), so that moving the VM controls leaves it be. */
export interface HostAnalysis {
  highest: evc.HighestBaselineAnswer;
  /** What each host loses under the highest baseline (empty when there is none). */
  masks: evc.HostMask[];
  vmotionWithoutEvc: evc.VmotionMatrix;
  vmotionWithEvc: evc.VmotionMatrix | null;
}

const hostId = (i: number) => `esx${String(i + 1).padStart(2, "0")}`;

export function buildHosts(ids: readonly string[]): HostModel | null {
  const picked = ids.slice(0, MAX_HOSTS);
  if (picked.length === 0) return null;
  const cpus = picked.map((id) => evc.getCpu(id));
  const hosts = cpus.map((cpu, i) => evc.hostFromCpu(cpu.id, { id: hostId(i) }));
  return { hosts, cpus, labels: hosts.map((host, i) => `${host.id} ${shortCpu(cpus[i])}`), dropped: ids.length - picked.length };
}

export function analyzeHosts(hm: HostModel): HostAnalysis {
  const highest = evc.highestCommonBaseline(hm.hosts);
  const target = highest.found ? highest.baseline.id : null;
  return {
    highest,
    masks: target === null ? [] : hm.hosts.map((host) => evc.maskHost(host, target)),
    vmotionWithoutEvc: evc.vmotionMatrix(hm.hosts, null),
    vmotionWithEvc: target === null ? null : evc.vmotionMatrix(hm.hosts, target),
  };
}

/** The hosts with their powered-on VMs (started before EVC) and the vCenter VM where the reader put it. */
export function withVms(hm: HostModel, vmsPerHost: number, vcenterOn: string): ClusterModel {
  const { hosts } = hm;
  let vc = -1;
  if (vcenterOn === "most" || vcenterOn === "least") {
    const sizes = hosts.map((host) => host.features.size);
    const pick = vcenterOn === "most" ? Math.max(...sizes) : Math.min(...sizes);
    vc = sizes.indexOf(pick);
  }
  const vms: evc.Vm[] = [];
  hosts.forEach((host, i) => {
    const count = Math.max(Math.round(vmsPerHost), i === vc ? 1 : 0);
    for (let k = 0; k < count; k++) {
      const isVcenter = i === vc && k === 0;
      const id = isVcenter ? "vcenter" : `${host.id}-vm${k + 1}`;
      vms.push({
        id,
        name: isVcenter ? "vCenter Server" : id,
        hostId: host.id,
        powerState: "on",
        featureSet: evc.featureSetAtPowerOn(host),
        guestOs: "Windows Server 2008 R2",
        hardwareVersion: 7,
        isVcenter,
      });
    }
  });
  return { ...hm, cluster: { hosts, evcMode: null, vms }, vcenterHostId: vc >= 0 ? hosts[vc].id : null };
}

export function buildCluster(ids: readonly string[], vmsPerHost: number, vcenterOn: string): ClusterModel | null {
  const hm = buildHosts(ids);
  return hm ? withVms(hm, vmsPerHost, vcenterOn) : null;
}

export const NO_HOSTS = "Pick at least one host CPU in the list above: with no hosts there is no cluster to check.";

export function refusal(title: string, sentence: string): Refusal {
  return { title, refusal: sentence };
}

function list(items: readonly string[], max = 6): string {
  if (items.length <= max) return items.length <= 1 ? items.join("") : `${items.slice(0, -1).join(", ")} and ${items.at(-1)}`;
  return `${items.slice(0, max).join(", ")} and ${items.length - max} more`;
}

const WORDS = ["no", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten"];

const cap = (s: string) => s.charAt(0).toUpperCase() + s.slice(1);

/** "three VMs", "one VM", "12 VMs". */
function plural(n: number, one: string, many = `${one}s`): string {
  return `${WORDS[n] ?? n} ${n === 1 ? one : many}`;
}

// ---------------------------------------------------------------------------------------------
// Figures

function baselineFigure(m: HostModel | null, a: HostAnalysis | null, doc: Document) {
  const title = "Which EVC modes each host can run";
  if (!m || !a) return refusal(title, NO_HOSTS);
  const highest = a.highest;
  if (!highest.found && highest.reason === "mixed-vendors") return refusal(title, highest.explanation);
  const vendor = highest.found ? highest.vendor : highest.vendors[0];
  const rows = [...evc.listBaselines(vendor)].reverse();
  const chosen = highest.found ? highest.baseline.id : null;
  const hosts = m.hosts;
  const usable = new Set(highest.usable.map((b) => b.id));
  const cells: MatrixCell[][] = rows.map((b) =>
    hosts.map((host, i): MatrixCell => {
      const missing = evc.missingFeatures(host, b.id);
      return missing.length === 0
        ? { state: "ok", mark: "✓", title: `${m.labels[i]} can run ${b.displayName}` }
        : { state: "no", mark: "✗", title: `${m.labels[i]} cannot run ${b.displayName}: it lacks ${missing.join(", ")}` };
    }),
  );
  const summary = highest.found
    ? `${highest.explanation} The data's confidence in ${highest.baseline.displayName}: ${highest.baseline.confidence}. Usable modes: ${list(highest.usable.map(shortBaseline), 12)}.`
    : highest.explanation;
  const table: DataTable = {
    caption: `Every ${vendor === "intel" ? "Intel" : "AMD"} EVC mode against the hosts (✓ = the host has every flag of the mode)`,
    columns: ["Level", "EVC mode", "In vCenter since", "Confidence", "Usable by the cluster", ...m.labels],
    rows: rows.map((b, r) => [b.kbLevel, b.displayName, b.introducedIn, b.confidence, b.id === chosen ? "yes (highest)" : usable.has(b.id) ? "yes" : "no", ...cells[r].map((c) => (c.state === "ok" ? "✓" : c.title.replace(/^.* it lacks /, "lacks ")))]),
  };
  return matrixChart(doc, {
    title,
    rowAxis: "EVC mode, newest at the top",
    columnAxis: "hosts",
    panels: [
      {
        rows: rows.map((b) => `${b.id === chosen ? "▶ " : ""}${b.kbLevel} ${shortBaseline(b)}`),
        columns: m.labels,
        cells,
        highlightRows: chosen ? [rows.findIndex((b) => b.id === chosen)] : [],
        rowNotes: rows.map((b) => `${b.confidence}${b.confidence === "low" ? " ⚠" : ""}`),
        noteStates: rows.map((b) => b.confidence),
        notesHeader: "confidence",
      },
    ],
    legend: [
      { state: "ok", mark: "✓", label: "host has every flag of the mode" },
      { state: "no", mark: "✗", label: "host lacks some of its flags" },
    ],
    note: chosen ? `▶ ${highest.found ? highest.baseline.displayName : ""}: the highest mode every host can run` : "No mode is supported by every host",
    rowHeight: 20,
    maxCellWidth: 90,
    summary,
    table,
  });
}

function featureFigure(m: HostModel | null, a: HostAnalysis | null, doc: Document) {
  const title = "What EVC hides on each host (CPU flags × hosts)";
  if (!m || !a) return refusal(title, NO_HOSTS);
  if (!a.highest.found) return refusal(title, `${a.highest.explanation} With no EVC mode nothing is masked, so there is no feature matrix to draw.`);
  const b = a.highest.baseline;
  const fm = evc.featureMatrix(m.hosts, b.id);
  const common: number[] = [];
  const differ: number[] = [];
  fm.columns.forEach((_, c) => (fm.rows.every((row) => row.cells[c] === "visible") ? common : differ).push(c));
  const groupName = (id: string | null) => (id === null ? "in no EVC mode" : shortBaseline(evc.getBaseline(id)));
  const MARK: Record<evc.FeatureCell, string> = { visible: "✓", masked: "⊘", absent: "–", missing: "!" };
  const WORD: Record<evc.FeatureCell, string> = { visible: "visible to VMs", masked: "hidden by EVC", absent: "not on this CPU", missing: "missing: the host cannot run the mode" };

  const rows: string[] = [`all ${common.length} flags of ${shortBaseline(b)}`];
  const cells: MatrixCell[][] = [m.hosts.map((_, i) => ({ state: "visible", mark: String(common.length), title: `${m.labels[i]}: the ${common.length} flags of ${b.displayName} stay visible` }))];
  const groups: Array<{ label: string; start: number; end: number }> = [{ label: "kept", start: 0, end: 1 }];
  // Consecutive columns share the baseline that introduced them (the model orders them so).
  const byGroup: Array<{ id: string | null; columns: number[] }> = [];
  for (const c of differ) {
    const id = fm.columns[c].introducedBy;
    if (byGroup.at(-1)?.id === id) byGroup.at(-1)!.columns.push(c);
    else byGroup.push({ id, columns: [c] });
  }
  const collapse = differ.length > 36;
  for (const group of byGroup) {
    const start = rows.length;
    if (collapse) {
      const flags = group.columns.map((c) => fm.columns[c].flag);
      rows.push(`${flags.slice(0, 2).join(", ")}${flags.length > 2 ? ` +${flags.length - 2}` : ""}`);
      cells.push(
        fm.rows.map((row, i) => {
          const masked = group.columns.filter((c) => row.cells[c] === "masked").map((c) => fm.columns[c].flag);
          const missing = group.columns.filter((c) => row.cells[c] === "missing").map((c) => fm.columns[c].flag);
          if (missing.length > 0) return { state: "missing", mark: "!", title: `${m.labels[i]} lacks ${missing.join(", ")}` };
          if (masked.length > 0) return { state: "masked", mark: String(masked.length), title: `${m.labels[i]}: EVC hides ${masked.join(", ")}` };
          return { state: "absent", mark: "–", title: `${m.labels[i]} has none of ${flags.join(", ")}` };
        }),
      );
    } else {
      for (const c of group.columns) {
        const flag = fm.columns[c].flag;
        rows.push(flag);
        cells.push(fm.rows.map((row, i) => ({ state: row.cells[c], mark: MARK[row.cells[c]], title: `${flag} on ${m.labels[i]}: ${WORD[row.cells[c]]}` })));
      }
    }
    groups.push({ label: groupName(group.id), start, end: rows.length });
  }
  const losers = a.masks.filter((mask) => mask.masked.length > 0);
  const index = new Map(m.hosts.map((host, i) => [host.id, i]));
  const keepers = a.masks.filter((mask) => mask.masked.length === 0).map((mask) => m.labels[index.get(mask.hostId)!]);
  const summary =
    `Under ${b.displayName} every host shows its VMs the same ${b.featureList.length} flags. ` +
    (losers.length === 0
      ? "No host loses a feature: each one matches the mode exactly."
      : `${losers.map((mask) => `${m.labels[index.get(mask.hostId)!]} loses ${plural(mask.masked.length, "flag")} (${list(mask.masked, 8)})`).join("; ")}` +
        (keepers.length > 0 ? `; ${list(keepers)} ${keepers.length === 1 ? "loses" : "lose"} nothing.` : "."));
  const table: DataTable = {
    caption: `Every CPU flag of these hosts under ${b.displayName}`,
    columns: ["Flag", "First EVC mode with it", ...m.labels],
    rows: fm.columns.map((col, c) => [col.flag, col.introducedBy === null ? "none" : evc.getBaseline(col.introducedBy).displayName, ...fm.rows.map((row) => WORD[row.cells[c]])]),
  };
  return matrixChart(doc, {
    title,
    rowAxis: "CPU flag, grouped by the first EVC mode that exposes it",
    columnAxis: "hosts",
    panels: [{ rows, columns: m.labels, cells, rowGroups: groups }],
    legend: [
      { state: "visible", mark: "✓", label: "visible to VMs" },
      { state: "masked", mark: "⊘", label: "on the CPU, hidden by EVC" },
      { state: "absent", mark: "–", label: "not on this CPU" },
    ],
    note: collapse ? `Mode ${b.kbLevel} ${shortBaseline(b)}. Too many flags differ to list one by one: each row is a group, with the count hidden per host.` : `Mode ${b.kbLevel} ${shortBaseline(b)}: only flags that differ between hosts get a row.`,
    rowHeight: 18,
    maxCellWidth: 110,
    summary,
    table,
  });
}

function vmotionCells(mx: evc.VmotionMatrix, labels: readonly string[]): MatrixCell[][] {
  return mx.cells.map((row, i) =>
    row.map((answer, j): MatrixCell =>
      i === j
        ? { state: "self", mark: "·", title: `${labels[i]}: same host` }
        : answer.compatible
          ? { state: "ok", mark: "✓", title: `${labels[i]} → ${labels[j]}: allowed. ${answer.reason}` }
          : { state: "no", mark: "✗", title: `${labels[i]} → ${labels[j]}: refused. ${answer.reason}` },
    ),
  );
}

function vmotionFigure(m: HostModel | null, a: HostAnalysis | null, doc: Document) {
  const title = "vMotion between the hosts, without and with EVC";
  if (!m || !a) return refusal(title, NO_HOSTS);
  const n = m.hosts.length;
  const pairs = n * (n - 1);
  const off = a.vmotionWithoutEvc;
  const on = a.vmotionWithEvc;
  const ids = m.hosts.map((host) => host.id);
  const failures: string[] = [];
  off.cells.forEach((row, i) => row.forEach((c, j) => i !== j && !c.compatible && failures.push(`${ids[i]} → ${ids[j]} (${c.reason.replace(/\.$/, "")})`)));
  const b = a.highest.found ? a.highest.baseline : null;
  const summary =
    n === 1
      ? "One host: there is nowhere to vMotion to. Add a host to see the matrix."
      : `Without EVC, ${off.compatiblePairs} of ${pairs} moves between different hosts work` +
        (failures.length > 0 ? `; refused: ${list(failures, 3)}.` : ".") +
        (on && b ? ` With EVC at ${b.displayName}, ${on.compatiblePairs} of ${pairs} work.` : ` ${a.highest.explanation}`);
  const panels: MatrixPanel[] = [{ title: "Without EVC", rows: ids, columns: ids, cells: vmotionCells(off, m.labels) }];
  if (on && b) panels.push({ title: `With EVC ${b.kbLevel} ${shortBaseline(b)}`, rows: ids, columns: ids, cells: vmotionCells(on, m.labels) });
  const table: DataTable = {
    caption: "A VM powered on on the source host, moved to the destination host",
    columns: ["From", "To", "Without EVC", on && b ? `With EVC ${shortBaseline(b)}` : "With EVC", "Why (without EVC)"],
    rows: off.cells.flatMap((row, i) =>
      row.flatMap((c, j) =>
        i !== j ? [[m.labels[i], m.labels[j], c.compatible ? "allowed" : "refused", on ? (on.cells[i][j].compatible ? "allowed" : "refused") : "no EVC mode", c.reason]]
        : n === 1 ? [[m.labels[i], m.labels[j], "same host", "same host", "A one-host cluster has nowhere to vMotion to."]] : [],
      ),
    ),
  };
  return matrixChart(doc, {
    title,
    rowAxis: "source host (where the VM powered on)",
    columnAxis: "destination host",
    panels,
    legend: [
      { state: "ok", mark: "✓", label: "vMotion allowed" },
      { state: "no", mark: "✗", label: "refused (CPU)" },
      { state: "self", mark: "·", label: "same host" },
    ],
    note: on ? undefined : "No EVC mode: only the matrix without EVC can be drawn.",
    square: true,
    maxCellWidth: 40,
    summary,
    table,
  });
}

function hostRelation(host: evc.Host, target: evc.Baseline): { note: string; state: string } {
  if (host.vendor !== target.vendor) return { note: "other vendor", state: "low" };
  if (!evc.supports(host, target.id)) return { note: "cannot run it", state: "low" };
  return evc.isSubset(host.features, target.features) ? { note: "= the mode", state: "high" } : { note: "above the mode", state: "medium" };
}

function planFigure(m: ClusterModel | null, plan: evc.EvcChangePlan | null, a: HostAnalysis | null, doc: Document) {
  const title = "Enable EVC now: which powered-on VMs block it";
  if (!m || !a) return refusal(title, NO_HOSTS);
  if (!plan) return refusal(title, `${a.highest.explanation} Pick an EVC mode in the planner's list to see what would block it.`);
  const target = evc.getBaseline(plan.targetId);
  const blocking = new Map(plan.blockingVms.map((vm) => [vm.vmId, vm]));
  const perHost = m.cluster.hosts.map((host) => m.cluster.vms.filter((vm) => vm.hostId === host.id));
  const width = Math.max(1, ...perHost.map((vms) => vms.length));
  const cells: MatrixCell[][] = perHost.map((vms, i) =>
    Array.from({ length: width }, (_, k): MatrixCell => {
      const vm = vms[k];
      if (!vm) return { state: "none", title: `${m.labels[i]}: no VM ${k + 1}` };
      const block = blocking.get(vm.id);
      if (block) return { state: vm.isVcenter ? "vc-block" : "block", mark: vm.isVcenter ? "★" : "✗", title: `${vm.name} on ${m.labels[i]} blocks: it runs with ${block.extraFeatures.join(", ")}, which ${target.id} hides` };
      return { state: vm.isVcenter ? "vc-ok" : "runs", mark: vm.isVcenter ? "★" : "✓", title: `${vm.name} on ${m.labels[i]} does not block: its flags fit inside ${target.id}` };
    }),
  );
  const relations = m.cluster.hosts.map((host) => hostRelation(host, target));
  const names = plan.blockingVms.map((vm) => vm.name);
  const byHost = [...new Set(plan.blockingVms.map((vm) => vm.hostId))].map((id) => `${plural(plan.blockingVms.filter((vm) => vm.hostId === id).length, "VM")} on ${id}`);
  const summary = plan.canApply
    ? `Enabling ${target.displayName} now: nothing blocks it.${plan.powerCycleAfter.length > 0 ? ` ${cap(plural(plan.powerCycleAfter.length, "running VM"))} keep their old feature set until a full power cycle.` : ""}`
    : plan.blockingVms.length > 0
      ? `${cap(plural(plan.blockingVms.length, "powered-on VM"))} block enabling ${target.displayName}: ${list(names)} (${list(byHost)})${plan.vcenterBlocks ? "; vCenter Server is one of them" : ""}.` +
        (plan.unsupportedHosts.length > 0 ? ` Also ${list(plan.unsupportedHosts.map((s) => s.hostId))} cannot run the mode at all.` : "")
      : `vCenter would refuse ${target.displayName}: ${plan.problems[0]}`;
  const table: DataTable = {
    caption: `The cluster's VMs against ${target.displayName}`,
    columns: ["VM", "Host", "Power", "Guest OS", "Blocks enabling?", "Flags the mode hides"],
    rows: m.cluster.vms.length === 0 ? m.labels.map((label) => ["(none)", label, "no VMs", "", "no", "none"]) : m.cluster.vms.map((vm) => {
      const block = blocking.get(vm.id);
      return [vm.name, m.labels[m.cluster.hosts.findIndex((host) => host.id === vm.hostId)], vm.powerState, vm.guestOs ?? "", block ? "yes: power off or migrate out" : "no", block ? block.extraFeatures.join(", ") : "none"];
    }),
  };
  return matrixChart(doc, {
    title,
    rowAxis: "host",
    columnAxis: "its powered-on VMs",
    panels: [{ rows: m.labels, columns: Array.from({ length: width }, (_, k) => `VM ${k + 1}`), cells, rowNotes: relations.map((r) => r.note), noteStates: relations.map((r) => r.state), notesHeader: `host vs ${shortBaseline(target)}` }],
    legend: [
      { state: "block", mark: "✗", label: "blocks: power off or migrate out" },
      { state: "runs", mark: "✓", label: "can keep running" },
      { state: "vc-block", mark: "★", label: "vCenter VM, blocking" },
      { state: "vc-ok", mark: "★", label: "vCenter VM, not blocking" },
    ],
    note: `Target mode: ${target.kbLevel} ${target.displayName}`,
    maxCellWidth: 70,
    rowHeight: 24,
    summary,
    table,
  });
}

// ---------------------------------------------------------------------------------------------
// Element and view cells

function confidenceBadge(doc: Document, confidence: evc.Confidence): HTMLElement {
  return h(doc, "span", { class: `conf conf-${confidence}` }, confidence === "low" ? "low confidence ⚠" : `${confidence} confidence`);
}

function verificationText(v: evc.Verification | null): string | null {
  if (!v) return null;
  return Object.entries(v)
    .map(([key, value]) => `${key}: ${typeof value === "boolean" ? (value ? "yes" : "no") : value}`)
    .join("; ");
}

function baselineCard(m: HostModel | null, a: HostAnalysis | null, doc: Document): HTMLElement {
  const card = h(doc, "div", { class: "evc-card" });
  if (!m || !a) {
    card.append(h(doc, "p", {}, NO_HOSTS));
    return card;
  }
  if (!a.highest.found) {
    card.append(h(doc, "p", { class: "evc-card-answer" }, h(doc, "strong", {}, "No EVC baseline for these hosts. "), a.highest.explanation.replace(/^No EVC baseline: /, "")));
  } else {
    const b = a.highest.baseline;
    const legend = evc.evcData.confidenceLegend.baselines[b.confidence];
    card.append(
      h(doc, "p", { class: "evc-card-answer" }, "Highest common baseline: ", h(doc, "strong", {}, b.displayName), ` (KB 1003212 level ${b.kbLevel}; in vCenter since ${b.introducedIn}).`),
      h(doc, "p", {}, a.highest.explanation.replace(/^Highest common EVC baseline: [^.]*\)\. /, "")),
      h(doc, "p", {}, "The data for this mode: ", confidenceBadge(doc, b.confidence), legend ? ` (${legend}). ` : ". ", "Sources: ", sourceList(doc, b.sources), "."),
    );
    const checked = verificationText(b.verification);
    if (checked) card.append(h(doc, "p", { class: "evc-card-note" }, `How it was checked: ${checked}.`));
  }
  // The CPU records behind the hosts, with their own confidence.
  const seen = new Set<string>();
  const items = m.cpus
    .filter((cpu) => !seen.has(cpu.id) && seen.add(cpu.id))
    .map((cpu) =>
      h(doc, "li", {}, `${cpu.model} (${cpu.microarchitecture}, ${cpu.launchYear}): `, confidenceBadge(doc, cpu.confidence), `, ${evc.evcData.confidenceLegend.cpus[cpu.confidence] ?? ""}. Sources: `, sourceList(doc, Object.values(cpu.sources)), "."),
    );
  card.append(h(doc, "p", { class: "evc-card-note" }, "The CPU records behind these hosts:"), h(doc, "ul", { class: "evc-card-cpus" }, ...items));
  return card;
}

function planList(m: ClusterModel | null, plan: evc.EvcChangePlan | null, a: HostAnalysis | null, doc: Document): HTMLElement {
  const box = h(doc, "div", { class: "evc-plan" });
  if (!m || !a) {
    box.append(h(doc, "p", {}, NO_HOSTS));
    return box;
  }
  if (!plan) {
    box.append(h(doc, "p", {}, a.highest.explanation));
    return box;
  }
  const target = evc.getBaseline(plan.targetId);
  box.append(h(doc, "p", { class: "evc-plan-head" }, h(doc, "strong", {}, `Plan: ${plan.kind} EVC at ${target.displayName}`), plan.canApply ? " — vCenter would accept it now." : " — vCenter would refuse it now:"));
  if (plan.problems.length > 0) box.append(h(doc, "ul", { class: "evc-problems" }, ...plan.problems.map((p) => h(doc, "li", {}, p))));
  if (plan.steps.length > 0) box.append(h(doc, "p", {}, "What to do, in order:"), h(doc, "ol", {}, ...plan.steps.map((s) => h(doc, "li", {}, s))));
  const avail = plan.modeAvailability;
  box.append(
    h(doc, "p", { class: "evc-card-note" }, `${target.displayName} arrived in ${avail.introducedIn} (`, confidenceBadge(doc, avail.confidence), avail.available === null ? "); pick a vCenter version above to check yours." : avail.available ? "): your vCenter offers it." : "): your vCenter does not offer it."),
  );
  return box;
}

/**
 * The CPU list's helpers: a text filter over the listbox (evc.searchCpus: model, microarchitecture,
 * year, family/model such as "6/29") and adding a host by microarchitecture. Both act on the hosts
 * control itself, so the URL and every figure follow as if the reader had clicked in the list.
 */
function hostPicker(control: HTMLElement & { value: unknown }, doc: Document): HTMLElement & { value: string } {
  const root = h(doc, "div", { class: "evc-picker" }) as HTMLElement & { value: string };
  root.value = "";
  const listbox = control.querySelector("select");
  const optionId = (option: HTMLOptionElement) => params.hosts.options[Number(option.value)]?.value;
  const status = h(doc, "p", { class: "evc-picker-status", role: "status" });
  const filter = h(doc, "input", { type: "search", id: "evc-cpu-filter", placeholder: "e.g. dunnington, epyc, 2019, 6/85", autocomplete: "off" }) as HTMLInputElement;
  const applyFilter = () => {
    if (!listbox) return;
    let matches: Set<string>;
    try {
      matches = new Set(evc.searchCpus(filter.value.slice(0, 200)).map((cpu) => cpu.id));
    } catch {
      matches = new Set();
    }
    let shown = 0;
    for (const option of listbox.options) {
      const show = matches.has(optionId(option) ?? "") || option.selected;
      option.hidden = !show;
      if (show) shown += 1;
    }
    status.textContent = filter.value.trim() === "" ? `All ${listbox.options.length} CPUs listed.` : `${matches.size} of ${listbox.options.length} CPUs match “${filter.value.trim()}”${shown > matches.size ? " (hosts already picked stay listed)" : ""}.`;
  };
  filter.addEventListener("input", () => {
    root.value = filter.value;
    applyFilter();
    root.dispatchEvent(new Event("input", { bubbles: true }));
  });
  const setHosts = (ids: string[], message: string) => {
    control.value = ids;
    control.dispatchEvent(new Event("input", { bubbles: true }));
    applyFilter();
    status.textContent = message;
  };
  const groups = evc.listMicroarchitectures();
  const uarch = h(
    doc,
    "select",
    { id: "evc-uarch" },
    ...groups.map((g, i) => h(doc, "option", { value: String(i) }, `${g.vendor === "intel" ? "Intel" : "AMD"} ${g.name} (${g.launchYear}, ${plural(g.cpus.length, "CPU")})`)),
  ) as HTMLSelectElement;
  const add = h(doc, "button", { type: "button" }, "Add a host of this generation");
  add.addEventListener("click", () => {
    const group = groups[Number(uarch.value)];
    const current = (control.value as string[]) ?? [];
    if (!group) return;
    if (current.length >= MAX_HOSTS) return void (status.textContent = `The cluster already has ${MAX_HOSTS} hosts, the most this page draws.`);
    const fresh = group.cpus.find((cpu) => !current.includes(cpu.id));
    if (!fresh) return void (status.textContent = `Every ${group.name} CPU in the list is already a host here.`);
    setHosts([...current, fresh.id], `Added a host with ${fresh.model}.`);
  });
  const reset = h(doc, "button", { type: "button" }, "Back to the source's two hosts");
  reset.addEventListener("click", () => setHosts([...SOURCE_CLUSTER], "Back to the Xeon X7350 and Xeon X7460 hosts."));
  root.append(
    h(doc, "div", { class: "evc-picker-row" }, h(doc, "label", { for: "evc-cpu-filter" }, "Filter the CPU list"), filter),
    h(doc, "div", { class: "evc-picker-row" }, h(doc, "label", { for: "evc-uarch" }, "Pick by microarchitecture"), uarch, add),
    h(doc, "div", { class: "evc-picker-row" }, reset),
    status,
  );
  applyFilter();
  return root;
}

function baselineTable(doc: Document): HTMLElement {
  const table = h(doc, "table", { class: "evc-table" });
  table.append(
    h(doc, "caption", {}, `Every EVC mode in the data (${evc.listBaselines().length}), with how sure we are of it`),
    h(doc, "thead", {}, h(doc, "tr", {}, ...["Level", "EVC mode", "Flags it adds over the mode before it", "In vCenter since", "Confidence", "Sources, and how it was checked"].map((c) => h(doc, "th", { scope: "col" }, c)))),
  );
  const body = h(doc, "tbody");
  for (const b of evc.listBaselines()) {
    const adds = [b.addedFeatures.join(", ") || "(the first mode)", b.removedFeatures.length > 0 ? `; drops ${b.removedFeatures.join(", ")}` : ""].join("");
    const checked = verificationText(b.verification);
    body.append(
      h(
        doc,
        "tr",
        {},
        h(doc, "td", {}, b.kbLevel),
        h(doc, "th", { scope: "row" }, `${b.vendor === "intel" ? "Intel" : "AMD"} ${shortBaseline(b)}`),
        h(doc, "td", { class: "evc-flags" }, adds),
        h(doc, "td", {}, b.introducedIn.replace(/^vCenter Server /, "")),
        h(doc, "td", {}, confidenceBadge(doc, b.confidence)),
        h(doc, "td", {}, sourceList(doc, b.sources), checked ? h(doc, "span", { class: "evc-checked" }, checked) : null),
      ),
    );
  }
  table.append(body);
  return h(doc, "div", { class: "evc-table-wrap", tabindex: "0", role: "region", "aria-label": "EVC modes and their confidence" }, table);
}

function cpuTable(doc: Document): HTMLElement {
  const table = h(doc, "table", { class: "evc-table" });
  table.append(
    h(doc, "caption", {}, `Every CPU in the data (${cpus.length}): the highest mode the model finds for a host of it alone, against the data's expected answer`),
    h(doc, "thead", {}, h(doc, "tr", {}, ...["CPU", "Microarchitecture", "Year", "CPUID family/model", "Highest mode (model)", "Data says", "Confidence", "Sources"].map((c) => h(doc, "th", { scope: "col" }, c)))),
  );
  const body = h(doc, "tbody");
  for (const cpu of cpus) {
    const answer = evc.highestCommonBaseline([evc.hostFromCpu(cpu.id)]);
    const found = answer.found ? `${answer.baseline.kbLevel} ${shortBaseline(answer.baseline)}` : "none";
    const expected = evc.getBaseline(cpu.maxEvc);
    body.append(
      h(
        doc,
        "tr",
        {},
        h(doc, "th", { scope: "row" }, cpu.model),
        h(doc, "td", {}, cpu.microarchitecture),
        h(doc, "td", {}, String(cpu.launchYear)),
        h(doc, "td", {}, `${cpu.family}/${cpu.modelNumber ?? "?"}`),
        h(doc, "td", {}, found),
        h(doc, "td", {}, `${expected.kbLevel} ${shortBaseline(expected)}`),
        h(doc, "td", {}, confidenceBadge(doc, cpu.confidence)),
        h(doc, "td", {}, sourceList(doc, Object.values(cpu.sources))),
      ),
    );
  }
  table.append(body);
  return h(doc, "div", { class: "evc-table-wrap", tabindex: "0", role: "region", "aria-label": "CPU models in the data" }, table);
}

// ---------------------------------------------------------------------------------------------

function headline(m: HostModel | null, a: HostAnalysis | null, plan: evc.EvcChangePlan | null): string {
  if (!m || !a) return NO_HOSTS;
  const dropped = m.dropped > 0 ? ` (Only the first ${MAX_HOSTS} picked hosts are used; ${m.dropped} left out.)` : "";
  if (!a.highest.found) return a.highest.explanation + dropped;
  const b = a.highest.baseline;
  const index = new Map(m.hosts.map((host, i) => [host.id, i]));
  const lost = a.masks.filter((mask) => mask.masked.length > 0).map((mask) => `${list(mask.masked, 4)} on ${mask.hostId} (${m.cpus[index.get(mask.hostId)!].model})`);
  const hostsWithBlockers = [...new Set((plan?.blockingVms ?? []).map((vm) => vm.hostId))];
  const blockers =
    !plan || plan.blockingVms.length === 0
      ? " Nothing blocks enabling it now."
      : ` ${cap(plural(plan.blockingVms.length, "powered-on VM"))} on ${list(hostsWithBlockers)}${plan.vcenterBlocks ? ", vCenter Server among them," : ""} block enabling it now (ActiveVMsBlockingEVC).`;
  return (
    `With these hosts the highest EVC baseline is ${b.displayName} (${b.kbLevel}; the data's confidence: ${b.confidence}).` +
    (lost.length > 0 ? ` It hides ${lost.join("; ")}.` : " No host loses a feature under it.") +
    blockers +
    dropped
  );
}

export const notebook = defineNotebook({
  id: "evc",
  params,
  cells: [
    cell("hostModel", ["hosts"], (ids: string[]) => buildHosts(ids)),
    cell("analysis", ["hostModel"], (hm: HostModel | null) => (hm ? analyzeHosts(hm) : null)),
    cell("model", ["hostModel", "vmsPerHost", "vcenterOn"], (hm: HostModel | null, vms: number, where: string) => (hm ? withVms(hm, vms, where) : null)),
    cell("highestPlan", ["model", "analysis"], (m: ClusterModel | null, a: HostAnalysis | null) =>
      m && a?.highest.found ? evc.planEvcChange(m.cluster, a.highest.baseline.id) : null,
    ),
    cell("targetId", ["target", "analysis"], (target: string, a: HostAnalysis | null) =>
      target !== "highest" ? target : a?.highest.found ? a.highest.baseline.id : null,
    ),
    cell("plan", ["model", "targetId", "vcenter"], (m: ClusterModel | null, targetId: string | null, version: string) =>
      m && targetId ? evc.planEvcChange(m.cluster, targetId, version === "any" ? {} : { vcenterVersion: versionText(version) }) : null,
    ),
    text("headline", ["hostModel", "analysis", "highestPlan"], headline),
    element("baselineCard", ["hostModel", "analysis", "document"], baselineCard),
    figure("baselineFigure", ["hostModel", "analysis", "document"], baselineFigure),
    figure("featureFigure", ["hostModel", "analysis", "document"], featureFigure),
    figure("vmotionFigure", ["hostModel", "analysis", "document"], vmotionFigure),
    figure("planFigure", ["model", "plan", "analysis", "document"], planFigure),
    element("planList", ["model", "plan", "analysis", "document"], planList),
    view("hostPicker", ["viewof hosts", "document"], hostPicker, ""),
    // The catch-22 section loads its code when scrolled to (these cells wait for visibility).
    // A new cluster or target starts the walkthrough again: the stepper is rebuilt at step 0.
    view("catch22Step", ["model", "targetId", "document"], (_m: unknown, _t: unknown, doc: Document) => stepper(doc, 0), ALL_STEPS),
    // The catch-22 section loads its code when scrolled to (these cells wait for visibility).
    figure("catch22Figure", ["model", "targetId", "analysis", "catch22Step", "viewof catch22Step", "document"], async (m, t, a, k, control: Stepper | undefined, doc) => {
      const c22 = await import("./catch22.ts");
      const w = c22.walkFor(m, t, a);
      control?.setTotal?.(w.kind === "run" ? w.steps.length : 0);
      return c22.catch22Figure(m, w, k, doc);
    }),
    element("catch22Steps", ["model", "targetId", "analysis", "catch22Step", "document"], async (m, t, a, k, doc) => {
      const c22 = await import("./catch22.ts");
      return c22.catch22Steps(c22.walkFor(m, t, a), k, doc);
    }, { whenVisible: true }),
    element("baselineTable", ["document"], baselineTable),
    element("cpuTable", ["document"], cpuTable),
  ],
});


/** The Observable embedding form: new Runtime({ document }).module(define, observer). */
export const define = observableDefine(notebook);
