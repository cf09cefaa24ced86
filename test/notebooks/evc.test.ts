import { describe, expect } from "vitest";
import { test, fc } from "@fast-check/vitest";
import { readFileSync } from "node:fs";
import { buildCluster, notebook, params } from "../../notebooks/evc/cells.ts";
import { PRECONDITIONS } from "../../notebooks/evc/walkthrough.ts";
import { walkthrough } from "../../notebooks/evc/walkthrough.ts";
import { renderStatic } from "../../notebooks/lib/static.ts";
import { parseParams } from "../../notebooks/lib/params.ts";
import { evc } from "../../src/index.ts";

const FIGURES = ["baselineFigure", "featureFigure", "vmotionFigure", "planFigure", "catch22Figure"];
const ELEMENTS = ["baselineCard", "planList", "catch22Steps", "baselineTable", "cpuTable"];
const cpuIds = evc.listCpus().map((c) => c.id);

/** The visible text of a rendered cell (tags dropped, entities for quotes decoded). */
function textOf(html: string): string {
  return html.replace(/<[^>]+>/g, " ").replace(/&quot;/g, '"').replace(/&amp;/g, "&").replace(/&lt;/g, "<").replace(/&gt;/g, ">").replace(/\s+/g, " ");
}

function summaryOf(html: string): string {
  const match = html.match(/<p class="figure-summary"[^>]*>([\s\S]*?)<\/p>/);
  if (!match) throw new Error(`no summary in ${html.slice(0, 200)}`);
  return textOf(match[1]);
}

describe("EVC notebook, cells run headless", () => {
  test("the hosts list offers every shipped CPU (at least 60) with model, microarchitecture, launch year and family/model", () => {
    const { options } = params.hosts;
    expect(options.length).toBeGreaterThanOrEqual(60);
    expect(options.map((o) => o.value)).toEqual(cpuIds);
    for (const cpu of evc.listCpus()) {
      const label = options.find((o) => o.value === cpu.id)!.label;
      expect(label).toContain(cpu.model);
      expect(label).toContain(cpu.microarchitecture);
      expect(label).toContain(String(cpu.launchYear));
      expect(label).toContain(`CPUID ${cpu.family}/`);
      if (cpu.confidence === "low") expect(label).toContain("low confidence");
    }
  });

  test("defaults reproduce the source: Merom, SSE4.1 masked on the X7460 host, its three powered-on VMs (vCenter among them) blocking", async () => {
    expect(params.hosts.value).toEqual(["intel-xeon-x7350", "intel-xeon-x7460"]);
    const cells = await renderStatic(notebook);
    const headline = textOf(cells.get("headline")!.html);
    expect(headline).toContain('highest EVC baseline is Intel "Merom" Generation (L0');
    expect(headline).toContain("It hides sse4_1 on esx02 (Intel Xeon X7460)");
    expect(headline).toContain("Three powered-on VMs on esx02, vCenter Server among them, block enabling it now");

    expect(summaryOf(cells.get("baselineFigure")!.html)).toContain('Intel "Penryn" Generation needs sse4_1 (missing on esx01)');
    const features = summaryOf(cells.get("featureFigure")!.html);
    expect(features).toContain("esx02 X7460 loses one flag (sse4_1)");
    expect(features).toContain("esx01 X7350 loses nothing");
    // The masked cell is drawn as masked, on the X7460 host's column.
    expect(cells.get("featureFigure")!.svg).toMatch(/m-masked[^]*sse4_1 on esx02 X7460: hidden by EVC/);

    const plan = summaryOf(cells.get("planFigure")!.html);
    expect(plan).toContain('Three powered-on VMs block enabling Intel "Merom" Generation: vCenter Server, esx02-vm2 and esx02-vm3 (three VMs on esx02)');
    expect(plan).toContain("vCenter Server is one of them");

    const vmotion = summaryOf(cells.get("vmotionFigure")!.html);
    expect(vmotion).toContain("Without EVC, 1 of 2 moves between different hosts work; refused: esx02 → esx01 (esx01 lacks sse4_1");
    expect(vmotion).toContain('With EVC at Intel "Merom" Generation, 2 of 2 work');

    // The baseline's confidence and sources are on the page, next to the answer.
    const card = textOf(cells.get("baselineCard")!.html);
    expect(card).toContain("high confidence");
    expect(cells.get("baselineCard")!.html).toContain('href="#source-kb1003212"');
  });

  test("the catch-22: in-place enabling is refused, and at build time every documented step is shown, ending with EVC on", async () => {
    const cells = await renderStatic(notebook);
    const steps = textOf(cells.get("catch22Steps")!.html);
    expect(steps).toContain("Enable EVC on the existing cluster: refused. Precondition: no powered-on or suspended VM uses features above the target mode.");
    expect(steps).toContain("ActiveVMsBlockingEVC");
    expect(steps).toContain("EVCAdmissionFailedVmActive");
    expect((cells.get("catch22Steps")!.html.match(/class="evc-step done/g) ?? []).length).toBe(12);
    expect(summaryOf(cells.get("catch22Figure")!.html)).toMatch(/^After step 12 of 12: Step 5: deleted the old, empty cluster.* Done: EVC at Intel "Merom" Generation is on for every host/);
  });

  test("every precondition the walkthrough shows is a precondition the model's step() checks", () => {
    const source = readFileSync("src/evc/vcenter-catch22.ts", "utf8");
    for (const [action, list] of Object.entries(PRECONDITIONS)) {
      expect(evc.CATCH22_ACTIONS).toContain(action);
      for (const p of list) expect(source.includes(`refuse("${p}"`) || source.includes(`refuse(\n          "${p}"`), `${action}: ${p}`).toBe(true);
    }
    // And each refusal the model can give is one the map lists for that action.
    const { cluster } = evc.defaultScenario();
    const start = evc.startCatch22(cluster, "intel-merom");
    for (const action of [{ type: "enableEvcInPlace" }, { type: "moveHostToEvcCluster", hostId: "esx01" }, { type: "unregisterVcenter" }, { type: "deleteOldCluster" }] as evc.Catch22Action[]) {
      const r = evc.step(start, action);
      if (!r.ok) expect(PRECONDITIONS[action.type]).toContain(r.refusal.precondition);
    }
  });

  test("the walkthrough's steps are the model's runDocumentedProcedure, one for one", () => {
    const model = buildCluster(["intel-xeon-x7350", "intel-xeon-x7460"], 3, "most")!;
    const w = walkthrough(model.cluster, "intel-merom");
    if (w.kind !== "run") throw new Error("no walkthrough");
    const run = evc.runDocumentedProcedure(evc.startCatch22(model.cluster, "intel-merom"));
    expect(w.steps.map((s) => s.action)).toEqual(run.steps.map((s) => s.action));
    expect(w.steps.map((s) => s.message)).toEqual(run.steps.map((s) => s.message));
    expect(w.status.evcEnabled).toBe(true);
    expect(w.inPlace).toBe(false);
  });

  test("vCenter on the host with the fewest features: no catch-22, the plan powers off the other blockers and enables in place", async () => {
    const cells = await renderStatic(notebook, { vcenterOn: "least" });
    expect(textOf(cells.get("headline")!.html)).not.toContain("vCenter Server among them");
    const steps = textOf(cells.get("catch22Steps")!.html);
    expect(steps).toContain("Enable EVC on the existing cluster");
    expect(summaryOf(cells.get("catch22Figure")!.html)).toContain('Done: EVC at Intel "Merom" Generation is on');
  });

  test("vCenter outside the cluster: the walkthrough says there is no catch-22 instead of drawing", async () => {
    const cells = await renderStatic(notebook, { vcenterOn: "outside" });
    expect(cells.get("catch22Figure")!.svg).toBeUndefined();
    expect(textOf(cells.get("catch22Figure")!.html)).toContain("no catch-22");
  });

  test("mixed vendors: a clear sentence, never a blank chart", async () => {
    const cells = await renderStatic(notebook, { hosts: ["intel-xeon-e5-2680-v4", "amd-epyc-7302"] });
    const sentence = "No EVC baseline: the hosts mix Intel (esx01) and AMD (esx02) CPUs.";
    expect(textOf(cells.get("headline")!.html)).toContain(sentence);
    expect(cells.get("baselineFigure")!.svg).toBeUndefined();
    expect(textOf(cells.get("baselineFigure")!.html)).toContain(sentence);
    expect(textOf(cells.get("featureFigure")!.html)).toContain(sentence);
    // vMotion still draws the without-EVC matrix: Intel ↔ AMD is refused both ways.
    expect(cells.get("vmotionFigure")!.svg).toMatch(/^<svg/);
    expect(summaryOf(cells.get("vmotionFigure")!.html)).toContain("Without EVC, 0 of 2 moves between different hosts work");
    expect(textOf(cells.get("planFigure")!.html)).toContain(sentence);
  });

  test("same vendor but no common mode (an Opteron with 3DNow! and a Bulldozer): the reason, per host", async () => {
    const cells = await renderStatic(notebook, { hosts: ["amd-opteron-2218", "amd-opteron-6276"] });
    const headline = textOf(cells.get("headline")!.html);
    expect(headline).toContain("No EVC baseline: no AMD mode is supported by every host.");
    expect(headline).toContain("3dnow");
    // The baseline matrix is drawn (it shows why), with the sentence as its summary.
    expect(cells.get("baselineFigure")!.svg).toMatch(/^<svg/);
    expect(summaryOf(cells.get("baselineFigure")!.html)).toContain("No EVC baseline");
  });

  test("an explicit target the cluster cannot run: the planner names the hosts that lack it", async () => {
    const cells = await renderStatic(notebook, { target: "intel-nehalem" });
    const plan = textOf(cells.get("planList")!.html);
    expect(plan).toContain('Host esx01 cannot run Intel "Nehalem" Generation: its CPU lacks');
    expect(plan).toContain("sse4_1");
  });

  test("a vCenter too old for the mode is a problem in the plan (with the data's confidence)", async () => {
    const cells = await renderStatic(notebook, { hosts: ["intel-xeon-gold-6338", "intel-xeon-gold-6430"], vcenter: "6.7" });
    const plan = textOf(cells.get("planList")!.html);
    expect(plan).toContain('vCenter 6.7 does not offer Intel "Ice Lake" Generation');
    expect(plan).toContain("low confidence");
  });

  test("junk in the URL falls back to the source's cluster; unknown CPUs are dropped with a note", () => {
    const parsed = parseParams(params, "hosts=not-a-cpu&vmsPerHost=99&target=%3Cscript%3E");
    expect(parsed.values.hosts).toEqual(params.hosts.value);
    expect(parsed.values.vmsPerHost).toBe(8);
    expect(parsed.values.target).toBe("highest");
    const some = parseParams(params, "hosts=intel-xeon-x7460,nope,amd-epyc-7302");
    expect(some.values.hosts).toEqual(["intel-xeon-x7460", "amd-epyc-7302"]);
    expect(some.notes.join(" ")).toContain("not recognised");
  });

  test("the reference tables list every mode with its confidence and every CPU with the model's answer", async () => {
    const cells = await renderStatic(notebook);
    const modes = textOf(cells.get("baselineTable")!.html);
    for (const b of evc.listBaselines()) expect(modes).toContain(b.kbLevel);
    expect((cells.get("baselineTable")!.html.match(/conf-low/g) ?? []).length).toBe(evc.listBaselines().filter((b) => b.confidence === "low").length);
    const rows = cells.get("cpuTable")!.html.match(/<tr>/g) ?? [];
    expect(rows.length).toBe(cpuIds.length + 1);
  });

  test("with no host left (all deselected in the list) every cell says so instead of failing", async () => {
    const cells = await renderStatic(notebook, { hosts: [] });
    for (const name of FIGURES) expect(textOf(cells.get(name)!.html), name).toContain("Pick at least one host CPU");
    expect(textOf(cells.get("headline")!.html)).toContain("Pick at least one host CPU");
  });

  const target = fc.constantFrom("highest", ...evc.listBaselines().map((b) => b.id));
  test.prop(
    {
      hosts: fc.array(fc.constantFrom(...cpuIds), { minLength: 1, maxLength: 7 }),
      vmsPerHost: fc.integer({ min: 0, max: 8 }),
      vcenterOn: fc.constantFrom("most", "least", "outside"),
      target,
      vcenter: fc.constantFrom("any", "4.0", "6.7", "8.0u2"),
    },
    { numRuns: 120 },
  )("any pick of hosts and settings renders every figure (a chart or a sentence) with no NaN or undefined", async (values) => {
    const cells = await renderStatic(notebook, values);
    for (const name of [...FIGURES, ...ELEMENTS, "headline"]) {
      const c = cells.get(name)!;
      expect(c, name).toBeDefined();
      expect(c.html, `${name} ${JSON.stringify(values)}`).not.toMatch(/NaN|undefined|Infinity|\[object /);
      if (c.kind === "figure") {
        // Either an SVG with a summary and a data table, or a sentence in place of the chart.
        if (c.svg) {
          expect(c.html).toMatch(/<tbody><tr>/);
          expect(summaryOf(c.html).length).toBeGreaterThan(20);
        } else {
          expect(c.html).toMatch(/figure-message[^>]*>[^<]{20,}/);
        }
        expect(c.html, `${name} is an error, not a model answer`).not.toContain("outside what the model covers");
      }
    }
    // Mixed vendors always give the sentence, never a baseline.
    const vendors = new Set(values.hosts.map((id) => evc.getCpu(id).vendor));
    if (vendors.size > 1) expect(textOf(cells.get("headline")!.html)).toContain("the hosts mix Intel");
  }, 120_000);
});

describe("the page's wording at defaults and extremes (issue #17)", () => {
  const KEYS = new RegExp(`\\b(${evc.listBaselines().map((b) => b.id).join("|")})\\b`);
  const SETTINGS: Array<Record<string, unknown>> = [
    {},
    { vmsPerHost: 0 },
    { vmsPerHost: 1 },
    { vmsPerHost: 8, vcenterOn: "least" },
    { hosts: ["intel-xeon-x7460"] },
    { hosts: ["intel-xeon-x7460", "intel-xeon-x7350", "intel-xeon-x7460"], vmsPerHost: 1 },
    { hosts: ["intel-xeon-e5-2680-v4", "amd-epyc-7302"] },
    { hosts: ["amd-opteron-2218", "amd-opteron-6276"], vcenterOn: "outside" },
    { hosts: ["intel-xeon-gold-6338", "intel-xeon-gold-6430"], target: "intel-penryn", vcenter: "6.7" },
  ];

  test.each(SETTINGS.map((v) => [JSON.stringify(v), v] as const))("%s: no '1 VMs' plural, no undefined or NaN, no mode key", async (_name, values) => {
    const cells = await renderStatic(notebook, values as never);
    for (const [name, c] of cells) {
      const words = textOf(c.html ?? "");
      expect(words, name).not.toMatch(/(^|[^\d.,])1 (VMs|hosts|flags|steps|moves|CPUs|words)\b/);
      expect(words, name).not.toMatch(/\bundefined\b|\bNaN\b/);
      expect(words, name).not.toMatch(KEYS);
      expect(words, name).not.toContain("the vCenter VM vCenter Server");
    }
  });
});
