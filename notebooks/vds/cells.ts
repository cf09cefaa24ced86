/**
 * vDS notebook: break parts of a distributed switch (vCenter, a host's storage, its management
 * network, a reboot, a host failure with HA) and see what still works, why, and where each VM's
 * traffic stops; step through the sources' two classic sequences; read what net-dvs would list.
 * Every answer comes from src/vds; this file only asks and places.
 */
import { vds } from "../../src/index.ts";
import { cell, defineNotebook, element, figure, text, view } from "../lib/cells.ts";
import { observableDefine } from "../lib/define.ts";
import { select } from "../lib/params.ts";
import { h } from "../lib/dom.ts";
import { FAILURE_KEYS, failureParams, failureState, type Failures } from "./failures.ts";
import { diagramView } from "./figures.ts";
import { cites, netDvsListing, outcomeBadge, outcomesTable, recoveryList, specTable } from "./panels.ts";
import { scenarioPlayer } from "./player.ts";

export const params = {
  ...failureParams,
  netDvsHost: select({
    label: "net-dvs listing of host",
    value: "esx01",
    options: [
      { value: "esx01", label: "esx01" },
      { value: "esx02", label: "esx02" },
    ],
  }),
  scenario: select({
    label: "Scenario",
    value: vds.SCENARIOS[0].id,
    options: vds.SCENARIOS.map((s) => ({ value: s.id, label: s.title })),
  }),
};

const FAILURE_INPUTS = [...FAILURE_KEYS, "vcenterOnVds"];

/** One sentence: how many operations still work on each host, and whether traffic flows. */
export function headline(state: vds.VdsState, answers: vds.OutcomeAnswer[][]): string {
  const perHost = state.hosts.map((host, i) => {
    const working = answers.filter((row) => vds.works(row[i].outcome)).length;
    return `${working} of ${answers.length} operations work on ${host.id}`;
  });
  const flowing = state.vms.filter((v) => vds.trafficUnchecked(state, v.id).flows).length;
  return `With vCenter ${state.vcenter.up ? "up" : "down"}, ${perHost.join(" and ")}; traffic flows for ${flowing} of ${state.vms.length} VMs.`;
}

function scenarioSteps(doc: Document, id: string, step: number, state: vds.VdsState): HTMLElement {
  const s = vds.scenario(id);
  const current = s.steps[step];
  const focus = vds.outcome(state, current.focus);
  const op = vds.TABLE_OPERATIONS.find((o) => o.kind === current.focus.kind && o.binding === (current.focus.binding ?? "static"));
  return h(
    doc,
    "div",
    { class: "vds-scenario" },
    h(doc, "ol", { class: "vds-scenario-steps" }, ...s.steps.map((st, i) =>
      h(doc, "li", i === step ? { class: "current", "aria-current": "step" } : i < step ? { class: "done" } : {}, st.text, cites(doc, st.sources)),
    )),
    h(doc, "p", { class: "vds-scenario-focus" }, `${op?.label ?? current.focus.kind} on ${current.focus.host}: `, outcomeBadge(doc, focus.outcome), ` ${focus.reason}`, cites(doc, focus.sources)),
    outcomesTable(doc, state, vds.outcomeTable(state), current.focus),
  );
}

export const notebook = defineNotebook({
  id: "vds",
  params,
  cells: [
    cell("failures", FAILURE_INPUTS, (...values: boolean[]) => Object.fromEntries(FAILURE_INPUTS.map((k, i) => [k, values[i]])) as Failures),
    cell("state", ["failures"], failureState),
    cell("answers", ["state"], (state: vds.VdsState) => vds.outcomeTable(state)),
    text("headline", ["state", "answers"], headline),
    figure("diagramFigure", ["state", "failures", "width", "document"], (state: vds.VdsState, f: Failures, width: number, doc: Document) =>
      diagramView(doc, state, "The switch now: vCenter, hosts, shared VMFS (click a part to break it)", width, f),
    ),
    element("outcomes", ["state", "answers", "document"], (state: vds.VdsState, answers: vds.OutcomeAnswer[][], doc: Document) => outcomesTable(doc, state, answers)),
    element("specTable", ["document"], (doc: Document) => specTable(doc)),
    // Far down the page: rebuilt only when scrolled to, so a click on the diagram costs less.
    element("recovery", ["state", "document"], (state: vds.VdsState, doc: Document) => recoveryList(doc, state, "esx01"), { whenVisible: true }),
    element("netDvs", ["state", "netDvsHost", "document"], (state: vds.VdsState, host: string, doc: Document) => netDvsListing(doc, state, host), { whenVisible: true }),
    view("scenarioStep", ["scenario", "document"], (id: string, doc: Document) => scenarioPlayer(doc, vds.scenario(id).steps.map((s) => s.text), "Step through the scenario"), 0),
    cell("scenarioState", ["scenario", "scenarioStep"], (id: string, step: number) => vds.scenarioState(id, step + 1)),
    figure("scenarioFigure", ["scenario", "scenarioStep", "scenarioState", "width", "document"], (id: string, step: number, state: vds.VdsState, width: number, doc: Document) =>
      diagramView(doc, state, `${vds.scenario(id).title}: step ${step + 1} of ${vds.scenario(id).steps.length}`, width),
    ),
    element("scenarioSteps", ["scenario", "scenarioStep", "scenarioState", "document"], (id: string, step: number, state: vds.VdsState, doc: Document) => scenarioSteps(doc, id, step, state)),
  ],
});

/** The Observable embedding form: new Runtime({ document }).module(define, observer). */
export const define = observableDefine(notebook);
