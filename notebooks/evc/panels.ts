/**
 * The EVC notebook's panels: the answer card, the plan's step list, the host picker's filter and generation
 * buttons, and the two reference tables (every mode with its source and confidence, every CPU alone).
 * DOM built with h(); text only, never innerHTML.
 */
import * as evc from "../../src/evc/index.ts";
import { MAX_HOSTS, NO_HOSTS, SOURCE_CLUSTER, plural, shortBaseline, type ClusterModel, type HostAnalysis, type HostModel } from "./cluster.ts";
import { h, sourceList } from "./dom.ts";

const cpus = evc.listCpus();

function confidenceBadge(doc: Document, confidence: evc.Confidence): HTMLElement {
  return h(doc, "span", { class: `conf conf-${confidence}` }, confidence === "low" ? "low confidence ⚠" : `${confidence} confidence`);
}

/**
 * How a mode's data was checked, in the reader's words: the data's verification notes are written for its
 * maintainers (vmwareSourceSeen, introducedIn: "not verified"), so they are turned into sentences here.
 */
function checkedSentences(b: evc.Baseline): string[] {
  const v = b.verification;
  const out: string[] = [];
  if (v?.vmwareSourceSeen === false) out.push("VMware's own flag list for this mode was not found; the list is reconstructed.");
  const version = v?.introducedIn;
  if (typeof version === "string") {
    out.push(version === "not verified" ? `The vCenter release (${b.introducedIn}) is not confirmed by a source.` : `vCenter release: ${version.charAt(0).toUpperCase()}${version.slice(1)}.`);
  }
  return out;
}

export function baselineCard(m: HostModel | null, a: HostAnalysis | null, doc: Document): HTMLElement {
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
    card.append(h(doc, "p", { class: "evc-card-note" }, `About its flags: ${b.featureSource} `, checkedSentences(b).join(" ")));
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

export function planList(m: ClusterModel | null, plan: evc.EvcChangePlan | null, a: HostAnalysis | null, doc: Document): HTMLElement {
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
export function hostPicker(control: HTMLElement & { value: unknown }, doc: Document): HTMLElement & { value: string } {
  const root = h(doc, "div", { class: "evc-picker" }) as HTMLElement & { value: string };
  root.value = "";
  const listbox = control.querySelector("select");
  // The hosts param lists the CPUs in data order, and the listbox numbers its options in that order.
  const optionId = (option: HTMLOptionElement) => cpus[Number(option.value)]?.id;
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
    // A CPU not yet in the cluster if the generation has one, else another host of the same CPU (clusters often have several).
    const fresh = group.cpus.find((cpu) => !current.includes(cpu.id)) ?? group.cpus[0];
    const count = current.filter((id) => id === fresh.id).length + 1;
    setHosts([...current, fresh.id], count === 1 ? `Added a host with ${fresh.model}.` : `Added another host with ${fresh.model} (${plural(count, "host")} with it now).`);
  });
  const reset = h(doc, "button", { type: "button" }, "Back to the source's two hosts");
  reset.addEventListener("click", () => setHosts([...SOURCE_CLUSTER], "Back to the Intel Xeon X7350 and Intel Xeon X7460 hosts."));
  root.append(
    h(doc, "div", { class: "evc-picker-row" }, h(doc, "label", { for: "evc-cpu-filter" }, "Filter the CPU list"), filter),
    h(doc, "div", { class: "evc-picker-row" }, h(doc, "label", { for: "evc-uarch" }, "Pick by microarchitecture"), uarch, add),
    h(doc, "div", { class: "evc-picker-row" }, reset),
    status,
  );
  applyFilter();
  return root;
}

export function baselineTable(doc: Document): HTMLElement {
  const table = h(doc, "table", { class: "evc-table" });
  table.append(
    h(doc, "caption", {}, `Every EVC mode in the data (${evc.listBaselines().length}), where its flags come from, and how sure we are of it`),
    h(doc, "thead", {}, h(doc, "tr", {}, ...["Level", "EVC mode", "Flags it adds over the mode before it", "In vCenter since", "Source", "Confidence"].map((c) => h(doc, "th", { scope: "col" }, c)))),
  );
  const body = h(doc, "tbody");
  for (const b of evc.listBaselines()) {
    const adds = [b.addedFeatures.join(", ") || "(the first mode)", b.removedFeatures.length > 0 ? `; drops ${b.removedFeatures.join(", ")}` : ""].join("");
    const legend = evc.evcData.confidenceLegend.baselines[b.confidence];
    body.append(
      h(
        doc,
        "tr",
        {},
        h(doc, "td", {}, b.kbLevel),
        h(doc, "th", { scope: "row" }, `${b.vendor === "intel" ? "Intel" : "AMD"} ${shortBaseline(b)}`),
        h(doc, "td", { class: "evc-flags" }, adds),
        h(doc, "td", {}, b.introducedIn.replace(/^vCenter Server /, "")),
        h(doc, "td", {}, sourceList(doc, b.sources), h(doc, "span", { class: "evc-checked" }, b.featureSource)),
        h(doc, "td", {}, confidenceBadge(doc, b.confidence), h(doc, "span", { class: "evc-checked" }, [legend ? `${legend.charAt(0).toUpperCase()}${legend.slice(1)}.` : "", ...checkedSentences(b)].join(" ").trim())),
      ),
    );
  }
  table.append(body);
  return h(doc, "div", { class: "evc-table-wrap", tabindex: "0", role: "region", "aria-label": "EVC modes, their sources and confidence" }, table);
}

export function cpuTable(doc: Document): HTMLElement {
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
