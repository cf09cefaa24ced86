/**
 * The EVC notebook's four matrix figures: which modes each host can run, what EVC hides on each host, vMotion
 * without and with EVC, and the powered-on VMs that block enabling a mode. Each takes the cluster model
 * (cluster.ts) and returns a chart view or a refusal sentence; every answer comes from src/evc.
 */
import * as evc from "../../src/evc/index.ts";
import type { DataTable } from "../lib/chart.ts";
import { matrixChart, type MatrixCell, type MatrixPanel } from "../lib/matrix.ts";
import { NO_HOSTS, cap, list, plural, refusal, shortBaseline, type ClusterModel, type HostAnalysis, type HostModel } from "./cluster.ts";

export function baselineFigure(m: HostModel | null, a: HostAnalysis | null, doc: Document, width?: number) {
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
    width,
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

export function featureFigure(m: HostModel | null, a: HostAnalysis | null, doc: Document, width?: number) {
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
    width,
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

export function vmotionFigure(m: HostModel | null, a: HostAnalysis | null, doc: Document, width?: number) {
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
    width,
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

export function planFigure(m: ClusterModel | null, plan: evc.EvcChangePlan | null, a: HostAnalysis | null, doc: Document, width?: number) {
  const title = "Enable EVC now: which powered-on VMs block it";
  if (!m || !a) return refusal(title, NO_HOSTS);
  if (!plan) return refusal(title, `${a.highest.explanation} Pick an EVC mode in the planner's list to see what would block it.`);
  const target = evc.getBaseline(plan.targetId);
  const blocking = new Map(plan.blockingVms.map((vm) => [vm.vmId, vm]));
  const perHost = m.cluster.hosts.map((host) => m.cluster.vms.filter((vm) => vm.hostId === host.id));
  const slots = Math.max(1, ...perHost.map((vms) => vms.length));
  const cells: MatrixCell[][] = perHost.map((vms, i) =>
    Array.from({ length: slots }, (_, k): MatrixCell => {
      const vm = vms[k];
      if (!vm) return { state: "none", title: `${m.labels[i]}: no VM ${k + 1}` };
      const block = blocking.get(vm.id);
      if (block) return { state: vm.isVcenter ? "vc-block" : "block", mark: vm.isVcenter ? "★" : "✗", title: `${vm.name} on ${m.labels[i]} blocks: it runs with ${block.extraFeatures.join(", ")}, which ${target.displayName} hides` };
      return { state: vm.isVcenter ? "vc-ok" : "runs", mark: vm.isVcenter ? "★" : "✓", title: `${vm.name} on ${m.labels[i]} does not block: its flags fit inside ${target.displayName}` };
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
    width,
    rowAxis: "host",
    columnAxis: "its powered-on VMs",
    panels: [{ rows: m.labels, columns: Array.from({ length: slots }, (_, k) => `VM ${k + 1}`), cells, rowNotes: relations.map((r) => r.note), noteStates: relations.map((r) => r.state), notesHeader: `host vs ${shortBaseline(target)}` }],
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
