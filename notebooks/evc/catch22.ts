/**
 * The catch-22 section of the EVC notebook (KB 1013111 walkthrough): the model's run of the procedure for the
 * page's cluster (one cell that the figure, the step list and the stepper all read), its figure and its step
 * list. Loaded on demand when the reader scrolls to the section, so the documented-procedure state machine and
 * the cluster diagram are not part of the page's first download.
 */
import * as evc from "../../src/evc/index.ts";
import type { DataTable } from "../lib/chart.ts";
import { h } from "./dom.ts";
import { clusterDiagram, chipState } from "./diagram.ts";
import { stateAt, walkthrough, type Walkthrough } from "./walkthrough.ts";
import { NO_HOSTS, refusal, shortCpu, type ClusterModel, type HostAnalysis } from "./cluster.ts";

const walks = new WeakMap<ClusterModel, Map<string, Walkthrough>>();

/** The model's run of the procedure for this cluster and target, computed once per pair. */
export function walkFor(m: ClusterModel | null, targetId: string | null, a: HostAnalysis | null): Walkthrough {
  if (!m || !a) return { kind: "none", sentence: NO_HOSTS };
  if (!targetId) return { kind: "none", sentence: a.highest.explanation };
  let byTarget = walks.get(m);
  if (!byTarget) walks.set(m, (byTarget = new Map()));
  let w = byTarget.get(targetId);
  if (!w) byTarget.set(targetId, (w = walkthrough(m.cluster, targetId)));
  return w;
}

export function catch22Figure(m: ClusterModel | null, w: Walkthrough, k: number, doc: Document, width: number) {
  const title = "The clusters during the KB 1013111 procedure";
  if (!m) return refusal(title, NO_HOSTS);
  if (w.kind === "none") return refusal(title, w.sentence);
  const n = Math.max(0, Math.min(k, w.steps.length));
  const state = stateAt(w, n);
  const target = evc.getBaseline(w.targetId);
  const status = evc.catch22Status(state);
  const vcenter = state.vms.find((vm) => vm.isVcenter)!;
  const last = n > 0 ? w.steps[n - 1] : null;
  const where = vcenter.hostId ? `on ${vcenter.hostId}` : "registered on no host";
  let summary = last
    ? `After step ${n} of ${w.steps.length}: ${last.message}`
    : `Start, before any step: EVC is off and vCenter runs ${where}. ` +
      (w.shortcuts[0] ? `Enabling EVC in place is refused: ${w.shortcuts[0].refusal.reason}` : "Nothing blocks enabling EVC in place.");
  if (n === w.steps.length && status.evcEnabled) {
    summary += ` Done: EVC at ${target.displayName} is on for every host, and vCenter runs ${where}${status.vcenterAtTarget ? " with the mode's feature set" : ""}.`;
  } else if (n === w.steps.length && w.stuck) {
    summary += ` The procedure stops here: ${w.stuck}`;
  } else if (n > 0) {
    summary += ` vCenter is ${status.vcenterRunning ? "running" : "down"} (${where}).`;
  }
  const hosts = m.cluster.hosts.map((host, i) => ({ id: host.id, cpu: shortCpu(m.cpus[i]) }));
  const svg = clusterDiagram(doc, { state, hosts, title: `${title}: ${n === 0 ? "start" : `after step ${n}`}`, width });
  const table: DataTable = {
    caption: `Every VM ${n === 0 ? "at the start" : `after step ${n}`} (target mode ${target.displayName})`,
    columns: ["VM", "Host", "Cluster", "Power", "Flags the mode hides"],
    rows: state.vms.map((vm) => {
      const cluster = vm.hostId === null ? "none" : state.hosts.find((x) => x.host.id === vm.hostId)?.cluster === "evc" ? "new EVC cluster" : "old cluster";
      const { extra } = chipState(vm, target);
      return [vm.name, vm.hostId ?? "not registered", cluster, vm.powerState, extra.join(", ") || "none"];
    }),
  };
  return { title, svg, summary, table };
}

export function catch22Steps(w: Walkthrough, k: number, doc: Document): HTMLElement {
  const box = h(doc, "div", { class: "evc-walk" });
  if (w.kind === "none") {
    box.append(h(doc, "p", {}, w.sentence));
    return box;
  }
  const n = Math.max(0, Math.min(k, w.steps.length));
  if (w.shortcuts.length > 0) {
    box.append(
      h(doc, "p", {}, w.inPlace ? "The first thing to try:" : "What an administrator tries first, and why vCenter refuses it:"),
      h(
        doc,
        "ul",
        { class: "evc-shortcuts" },
        ...w.shortcuts.map((s) => h(doc, "li", {}, h(doc, "strong", {}, `${s.label}: refused. `), `Precondition: ${s.refusal.precondition}. `, s.refusal.reason)),
      ),
    );
  } else {
    box.append(h(doc, "p", {}, "Nothing blocks enabling EVC in place."));
  }
  box.append(h(doc, "p", {}, w.inPlace ? "vCenter's own VM does not block, so the plan is short:" : "The documented way out (KB 1013111, as our spec summarises it; the KB text itself was not available to check the order):"));
  const ol = h(doc, "ol", { class: "evc-steps" });
  w.steps.forEach((s, i) => {
    const done = i < n;
    const current = i === n - 1;
    const li = h(
      doc,
      "li",
      { class: `evc-step ${done ? "done" : "todo"}${current ? " current" : ""}`, "aria-current": current ? "step" : undefined },
      h(doc, "span", { class: "evc-step-status" }, done ? "✓ done" : i === n ? "→ next" : "○ later"),
      " ",
      h(doc, "strong", {}, s.label),
      typeof s.kbStep === "number" ? ` (KB step ${s.kbStep})` : "",
      h(doc, "span", { class: "evc-step-pre" }, `Preconditions ${done ? "checked" : "to check"}: ${s.preconditions.join("; ")}.`),
      done ? h(doc, "span", { class: "evc-step-result" }, s.message) : null,
    );
    ol.append(li);
  });
  box.append(ol);
  if (w.stuck) box.append(h(doc, "p", { class: "evc-problems" }, `The procedure cannot finish: ${w.stuck}`));
  return box;
}

