/**
 * The diagram as a figure value: the picture (diagram.ts), a summary sentence and a data table,
 * all read from the model state; and, in the browser, the picture's failure buttons wired to the
 * page's failure controls, so a click or Enter/Space on the picture flips the same toggle.
 */
import { vds } from "../../src/index.ts";
import type { ChartView, DataTable } from "../lib/chart.ts";
import { vdsDiagram } from "./diagram.ts";
import { FAILURE_KEYS, type FailureKey } from "./failures.ts";

export function diagramSummary(state: vds.VdsState): string {
  const traffic = state.vms.map((v) => vds.trafficUnchecked(state, v.id));
  const flowing = traffic.filter((t) => t.flows).map((t) => t.vm);
  const stopped = traffic.filter((t) => !t.flows);
  const hosts = state.hosts.map((h) =>
    !h.running ? `${h.id} is down` : `${h.id} runs its proxy switch ${h.proxySwitch === "up" ? (h.rebootedWithoutVcenter ? "from its own dvsData.db" : "") : "as a temporary standard switch"}`.trim(),
  );
  return (
    `vCenter is ${state.vcenter.up ? "up" : "down"}; ${hosts.join("; ")}. ` +
    (flowing.length > 0 ? `Traffic flows for ${flowing.join(", ")}` : "No VM traffic flows") +
    (stopped.length > 0 ? `; it stops for ${stopped.map((t) => t.reason.replace(/^\S+ traffic stops: /, `${t.vm} (`).replace(/\.$/, ")")).join(", ")}.` : ".")
  );
}

export function diagramTable(state: vds.VdsState): DataTable {
  const rows: Array<Array<string | number>> = [["vCenter Server", state.vcenter.up ? "up" : "down"]];
  for (const h of state.hosts) {
    const sees = vds.seesAllDatastores(state, h) ? "sees the datastore" : "has lost the datastore";
    rows.push([h.id, h.running ? `running, proxy switch ${h.proxySwitch}, management ${h.mgmtLink ? "connected" : "lost"}, ${sees}, dvsData.db ${h.localCache}` : "not running"]);
  }
  for (const v of state.vms) {
    const t = vds.trafficUnchecked(state, v.id);
    rows.push([v.id, `on ${v.host}, ${v.powered ? "on" : "off"}, port ${v.nics[0]?.portId ?? "none"}; ${t.flows ? "traffic flows" : t.reason}`]);
  }
  return { caption: "Every part of the diagram and its state", columns: ["Part", "State"], rows };
}

export function diagramView(doc: Document, state: vds.VdsState, title: string, width: number, toggles?: Partial<Record<FailureKey, boolean>>): ChartView {
  // Buttons only where there are controls for them to flip: none in the build-time picture (no
  // script runs there), so a reader without JavaScript never tabs into a button that does nothing.
  const live = toggles !== undefined && FAILURE_KEYS.every((key) => doc.querySelector(`[data-control="${key}"] input[type=checkbox]`));
  const svg = vdsDiagram(doc, { state, title, width, toggles: live ? toggles : undefined });
  if (live) wireToggles(doc, svg);
  return { title, svg, summary: diagramSummary(state), table: diagramTable(state) };
}

/**
 * A part of the picture flips the failure control of the same name (a checkbox in the page's
 * controls), which updates the URL and every cell. The picture is redrawn, so focus moves to the
 * new drawing of the same part.
 */
function wireToggles(doc: Document, svg: SVGSVGElement): void {
  const flip = (target: EventTarget | null) => {
    const part = (target as Element | null)?.closest?.("[data-vds-toggle]");
    const key = part?.getAttribute("data-vds-toggle");
    const box = key ? doc.querySelector<HTMLInputElement>(`[data-control="${key}"] input[type=checkbox]`) : null;
    if (!box) return false;
    const hadFocus = doc.activeElement === part;
    box.click();
    if (hadFocus) refocus(doc, key!, part!);
    return true;
  };
  svg.addEventListener("click", (event) => flip(event.target));
  svg.addEventListener("keydown", (event) => {
    if ((event.key === "Enter" || event.key === " ") && flip(event.target)) event.preventDefault();
  });
}

function refocus(doc: Document, key: string, old: Element): void {
  const view = doc.defaultView;
  if (!view) return;
  // The redraw lands on the next frame or two: wait for the new drawing of the part, then focus it.
  const attempt = (tries: number) =>
    view.requestAnimationFrame(() => {
      const part = doc.querySelector<SVGGElement>(`.figure-chart [data-vds-toggle="${key}"]`);
      if (part && part !== old) part.focus();
      else if (tries > 0) attempt(tries - 1);
    });
  attempt(10);
}
