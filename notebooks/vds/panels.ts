/**
 * The HTML parts of the vDS page: the outcomes table (operations × the hosts' current state, each
 * cell with its one-sentence reason and sources), the spec's whole table, the net-dvs listing and
 * the reboot-recovery steps. Plain semantic HTML built with ../lib/dom.ts (text nodes only).
 */
import { vds } from "../../src/index.ts";
import { h } from "../lib/dom.ts";

/** Outcome words with a mark, so colour is never the only cue. */
export const OUTCOME_WORDS: Record<vds.Outcome, string> = {
  ok: "✓ works",
  conditional: "✓* works if…",
  queued: "⏸ queued",
  uncertain: "? uncertain",
  risk: "⚠ at risk",
  no: "✕ fails",
  "n/a": "– n/a",
};

export const CONDITION_NAMES: Record<vds.Condition, string> = {
  up: "vCenter up",
  "vcenter-down": "vCenter down (E1)",
  "datastore-lost": "datastore lost (E2)",
  "rebooted-without-vcenter": "rebooted while vCenter down (E3)",
  "mgmt-lost": "management network lost (E4)",
};

/** Citation marks numbered as the page's source list (the front matter lists vds.SOURCE_IDS in order). */
export function cites(doc: Document, ids: readonly string[]): HTMLElement {
  const sup = h(doc, "sup", { class: "cite" });
  for (const id of ids) sup.append(h(doc, "a", { href: `#source-${id}`, title: vds.SOURCES[id as vds.SourceId] }, `[${vds.SOURCE_IDS.indexOf(id as vds.SourceId) + 1}]`));
  return sup;
}

export function outcomeBadge(doc: Document, o: vds.Outcome): HTMLElement {
  return h(doc, "span", { class: `vds-outcome vds-${o === "n/a" ? "na" : o}` }, OUTCOME_WORDS[o]);
}

/** Where a host stands: "esx01: vCenter down (E1), management network lost (E4)". */
export function hostCondition(state: vds.VdsState, host: vds.Host): string {
  if (!host.running) return `${host.id}: not running`;
  const names = vds.conditionsOf(state, host).map((c) => CONDITION_NAMES[c]);
  return `${host.id}: ${names.join(", ")}${host.proxySwitch === "up" ? "" : ", temporary standard switch"}`;
}

function reasonCell(doc: Document, a: vds.OutcomeAnswer, span: number): HTMLElement {
  const td = h(doc, "td", { class: "vds-cell", "data-outcome": a.outcome, colspan: span > 1 ? String(span) : undefined }, outcomeBadge(doc, a.outcome));
  if (span > 1) td.prepend(h(doc, "span", { class: "vds-both" }, "both hosts: "));
  td.append(h(doc, "span", { class: "vds-reason" }, a.reason), cites(doc, a.sources), ...(a.uncertain ? [h(doc, "span", { class: "assumption" }, "[?]")] : []));
  return td;
}

export function outcomesTable(doc: Document, state: vds.VdsState, answers: vds.OutcomeAnswer[][], focus?: { kind: string; binding?: string; host: string }): HTMLElement {
  const hosts = state.hosts.slice(0, 2);
  const table = h(doc, "table", { class: "vds-table" });
  table.append(
    h(doc, "caption", {}, `What still works now. ${hosts.map((host) => hostCondition(state, host)).join("; ")}.`),
    h(doc, "thead", {}, h(doc, "tr", {}, h(doc, "th", { scope: "col" }, "Operation"), ...hosts.map((host) => h(doc, "th", { scope: "col" }, `on ${host.id}`)))),
  );
  const body = h(doc, "tbody");
  vds.TABLE_OPERATIONS.forEach((op, r) => {
    const focused = focus && focus.kind === op.kind && (focus.binding ?? "static") === op.binding;
    const row = h(doc, "tr", focused ? { class: "vds-focus" } : {}, h(doc, "th", { scope: "row" }, op.label, h(doc, "span", { class: "vds-row-id" }, ` (${answers[r][0].row})`)));
    const same = hosts.length > 1 && answers[r].every((a) => a.outcome === answers[r][0].outcome && a.reason === answers[r][0].reason);
    // One cell across both hosts when they agree: the table stays short on a phone.
    if (same) row.append(reasonCell(doc, answers[r][0], hosts.length));
    else hosts.forEach((_, i) => row.append(reasonCell(doc, answers[r][i], 1)));
    body.append(row);
  });
  table.append(body);
  return h(doc, "div", { class: "vds-table-wrap" }, table);
}

/** The spec's table as it stands, every cell from vds.TABLE. */
export function specTable(doc: Document): HTMLElement {
  const table = h(doc, "table", { class: "vds-table vds-spec" });
  table.append(
    h(doc, "caption", {}, "The whole outcome table: each operation under each condition (the model's cells, from the spec)."),
    h(doc, "thead", {}, h(doc, "tr", {}, h(doc, "th", { scope: "col" }, "Row"), ...vds.CONDITIONS.map((c) => h(doc, "th", { scope: "col" }, CONDITION_NAMES[c])))),
  );
  const body = h(doc, "tbody");
  for (const row of vds.ROWS) {
    const tr = h(doc, "tr", {}, h(doc, "th", { scope: "row" }, row));
    for (const c of vds.CONDITIONS) {
      const cell = vds.TABLE[row][c];
      tr.append(h(doc, "td", { title: cell.reason }, outcomeBadge(doc, cell.outcome), cites(doc, cell.sources), cell.uncertain ? h(doc, "span", { class: "assumption" }, "[?]") : null));
    }
    body.append(tr);
  }
  table.append(body);
  return h(doc, "div", { class: "vds-table-wrap" }, table);
}

export function netDvsListing(doc: Document, state: vds.VdsState, hostId: string): HTMLElement {
  const lines = vds.netDvs(state, hostId);
  return h(
    doc,
    "figure",
    { class: "vds-netdvs" },
    h(doc, "figcaption", {}, `What net-dvs would list on ${hostId} now (abbreviated; generated from the model's state)`),
    h(doc, "pre", { tabindex: "0" }, h(doc, "code", {}, `[root@${hostId}:~] /usr/lib/vmware/bin/net-dvs\n${lines.join("\n")}`)),
  );
}

export function recoveryList(doc: Document, state: vds.VdsState, hostId: string): HTMLElement {
  const r = vds.recoverAfterReboot(state, hostId);
  return h(
    doc,
    "div",
    { class: "vds-recovery" },
    h(doc, "p", {}, `If ${hostId} rebooted now, its switch configuration would come from ${r.configFrom === "vcenter" ? "vCenter" : r.configFrom === "dvsData.db" ? "its own /etc/vmware/dvsData.db" : "nowhere until vCenter returns"}:`),
    h(doc, "ol", {}, ...r.steps.map((s) => h(doc, "li", {}, s.text, cites(doc, s.sources)))),
  );
}
