/**
 * EVC notebook: pick the hosts of a cluster from the shipped CPU models (or paste your own hosts' flags) and see
 * the highest EVC baseline, what each host's VMs lose under it, vMotion with and without EVC, the plan for
 * enabling a mode on the running cluster, and the KB 1013111 walkthrough when vCenter runs on the blocking host.
 * This file is the list of cells; the cluster model is in cluster.ts, the figures in figures.ts, the panels in
 * panels.ts and paste.ts, the catch-22 section (loaded on demand) in catch22.ts.
 */
import * as evc from "../../src/evc/index.ts";
import { cell, defineNotebook, element, figure, text, view } from "../lib/cells.ts";
import { observableDefine } from "../lib/define.ts";
import { multi, number, select } from "../lib/params.ts";
import { MAX_HOSTS, SOURCE_CLUSTER, VCENTER_VERSIONS, analyzeHosts, buildHosts, headline, versionText, withVms, type ClusterModel, type HostAnalysis, type HostModel } from "./cluster.ts";
import { baselineCard, baselineTable, cpuTable, hostPicker, planList } from "./panels.ts";
import { pasteBox, pasteFindings } from "./paste.ts";
import { stepper } from "./stepper.ts";
import type { Walkthrough } from "./walkthrough.ts";

export { MAX_HOSTS, buildCluster, buildHosts, shortBaseline, shortCpu } from "./cluster.ts";

/** The stepper's value at build time and in headless runs: every step applied. */
export const ALL_STEPS = 999;

const cpus = evc.listCpus();

function cpuLabel(cpu: evc.Cpu): string {
  const signature = `CPUID ${cpu.family}/${cpu.modelNumber ?? "?"}`;
  return `${cpu.model} (${cpu.launchYear}) · ${cpu.microarchitecture} · ${signature}${cpu.confidence === "low" ? " · low confidence" : ""}`;
}

export const params = {
  hosts: multi({
    label: "Hosts in the cluster (one CPU model each)",
    value: SOURCE_CLUSTER,
    minItems: 1,
    maxItems: MAX_HOSTS,
    options: cpus.map((cpu) => ({ value: cpu.id, label: cpuLabel(cpu) })),
    help: "Ctrl/Cmd-click or Shift-click to pick several (Ctrl+Space with the keyboard), or use the filter and the generation picker below. Up to 16 hosts; the generation picker can add several hosts of one CPU.",
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

// Code for what sits below the first screen is fetched when the reader scrolls to it (figures wait
// until they are in view before they compute): the four matrix figures and the catch-22 section.
const figures = () => import("./figures.ts");
const catch22 = () => import("./catch22.ts");

type HostFigureArgs = [HostModel | null, HostAnalysis | null, Document, number];

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
    figure("baselineFigure", ["hostModel", "analysis", "document", "width"], async (...args: HostFigureArgs) => (await figures()).baselineFigure(...args)),
    figure("featureFigure", ["hostModel", "analysis", "document", "width"], async (...args: HostFigureArgs) => (await figures()).featureFigure(...args)),
    figure("vmotionFigure", ["hostModel", "analysis", "document", "width"], async (...args: HostFigureArgs) => (await figures()).vmotionFigure(...args)),
    figure("planFigure", ["model", "plan", "analysis", "document", "width"], async (m: ClusterModel | null, plan: evc.EvcChangePlan | null, a: HostAnalysis | null, doc: Document, width: number) =>
      (await figures()).planFigure(m, plan, a, doc, width)),
    element("planList", ["model", "plan", "analysis", "document"], planList),
    view("hostPicker", ["viewof hosts", "document"], hostPicker, ""),
    // Any CPU: the reader's own flag lines, read in the page only (not a param, so never in the URL).
    view("pasted", ["document"], pasteBox, ""),
    cell("pasteResult", ["pasted"], (pasted: string) => evc.parsePastedHosts(pasted)),
    element("pasteFindings", ["pasteResult", "document"], pasteFindings),
    // The model's run of the procedure, read by the stepper (its number of steps), the figure and the step list.
    // Its code is a separate chunk, fetched when the reader scrolls to one of those.
    cell("catch22Walk", ["model", "targetId", "analysis"], async (m: ClusterModel | null, t: string | null, a: HostAnalysis | null) => (await catch22()).walkFor(m, t, a), {
      whenVisible: true,
    }),
    // A new walkthrough (new cluster or target) builds a new stepper, at step 0.
    view("catch22Step", ["catch22Walk", "document"], (w: Walkthrough, doc: Document) => stepper(doc, 0, w.kind === "run" ? w.steps.length : 0), ALL_STEPS, {
      whenVisible: true,
    }),
    figure("catch22Figure", ["model", "catch22Walk", "catch22Step", "document", "width"], async (m, w, k, doc, width) => (await catch22()).catch22Figure(m, w, k, doc, width)),
    element("catch22Steps", ["catch22Walk", "catch22Step", "document"], async (w, k, doc) => (await catch22()).catch22Steps(w, k, doc), { whenVisible: true }),
    element("baselineTable", ["document"], baselineTable),
    element("cpuTable", ["document"], cpuTable),
  ],
});

/** The Observable embedding form: new Runtime({ document }).module(define, observer). */
export const define = observableDefine(notebook);
