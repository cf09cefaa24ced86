/**
 * Snapshot chains notebook: a VM folder (a shipped sample, or the reader's own files dropped or
 * pasted into the page and read there only) analysed per disk: the tree from base to current with
 * CIDs and sizes, the worst-case free space a commit needs against the datastore's free space, the
 * findings with their fixes; then a snapshot lifecycle simulation whose default is the model's
 * five-snapshot scenario. Every number comes from src/snapshots; these files only ask and draw.
 *
 * This file holds what the page needs on arrival: the controls and the drop zone. The analysis
 * (the model's parsers, the samples, the tree chart) and the lifecycle view are imported when one
 * of their figures is first scrolled into view, so the page loads little JavaScript up front.
 */
import { DELTA_GROWTH_STEP_MIB, FIVE_SNAPSHOTS_FILL_DATASTORE, type DroppedFile, type LifecycleAction } from "../../src/snapshots/index.ts";
import { defineNotebook, element, figure, text, view } from "../lib/cells.ts";
import { number, select } from "../lib/params.ts";
import { dropZone } from "./dropzone.ts";
import { h } from "./dom.ts";
import { DEFAULT_SAMPLE, OWN, SAMPLE_LIST } from "./sample-list.ts";

export { DEFAULT_SAMPLE, OWN };

const GiB = 2 ** 30;
/** The model's five-snapshot example: the lifecycle section's defaults. */
export const SCENARIO = FIVE_SNAPSHOTS_FILL_DATASTORE;

const scenarioSnapshots = SCENARIO.actions.filter((a) => a.type === "snapshot").length;
const scenarioWrite = SCENARIO.actions.find((a): a is Extract<LifecycleAction, { type: "write" }> => a.type === "write");
const scenarioEnd = SCENARIO.actions.at(-1)?.type === "deleteAll" ? "deleteAll" : "none";

const ORDER_OPTIONS = [
  { value: "oldest-first", label: "4.0 Update 2 or later: oldest first" },
  { value: "newest-first", label: "Before 4.0 Update 2: newest first" },
];

export const params = {
  sample: select({
    label: "VM folder",
    value: DEFAULT_SAMPLE,
    options: [
      ...SAMPLE_LIST.map((s) => ({ value: s.id, label: `${s.id.slice(0, 2)} · ${s.title}` })),
      { value: OWN, label: "My own files (dropped or pasted below)" },
    ],
    help: "The samples are hand-written VM folders, each showing one situation. Your own files are never put in the link.",
  }),
  freeGB: number({ label: "Free space on the datastore", unit: "GiB", min: 0, max: 10240, step: 1, value: 100, help: "As the datastore browser shows it (vSphere's “GB” are GiB)." }),
  order: select({ label: "ESX/ESXi version of the hosts that commit this VM", value: "oldest-first", options: ORDER_OPTIONS, help: "Which delta is merged first changes the space needed (see above)." }),
  lcSnapshots: number({ label: "Snapshots taken", unit: "snapshots", min: 0, max: 12, step: 1, value: scenarioSnapshots }),
  lcWriteGB: number({ label: "New data the guest writes after each snapshot", unit: "GiB", min: 0, max: 500, step: 1, value: (scenarioWrite?.bytes ?? 0) / GiB }),
  lcEnd: select({
    label: "After the snapshots and writes",
    value: scenarioEnd,
    options: [
      { value: "deleteAll", label: "Delete All (commit every snapshot)" },
      { value: "deleteOne", label: "Delete one snapshot (the one picked below)" },
      { value: "revert", label: "Revert to the snapshot picked below" },
      { value: "revertDeleteAll", label: "Revert to the snapshot picked below, then Delete All" },
      { value: "none", label: "Nothing: keep the snapshots" },
    ],
  }),
  lcPick: number({ label: "Snapshot to revert to or delete", unit: "number", min: 1, max: 12, step: 1, value: 1, help: "Counted from the first snapshot taken." }),
  lcDatastoreGB: number({ label: "Datastore size", unit: "GiB", min: 10, max: 10240, step: 10, value: SCENARIO.params.datastoreCapacityBytes / GiB }),
  lcOtherGB: number({ label: "Used by other VMs and files", unit: "GiB", min: 0, max: 10240, step: 10, value: SCENARIO.params.otherUsedBytes / GiB }),
  lcDiskGB: number({ label: "This VM's disk", unit: "GiB", min: 1, max: 4096, step: 1, value: SCENARIO.params.diskCapacityBytes / GiB }),
  lcBase: select({
    label: "Base disk",
    value: SCENARIO.params.baseType,
    options: [
      { value: "thick", label: "Thick (all space allocated up front)" },
      { value: "thin", label: "Thin (grows as blocks are written)" },
    ],
  }),
  lcThinGB: number({ label: "Thin base: allocated at the start", unit: "GiB", min: 0, max: 4096, step: 1, value: SCENARIO.params.baseAllocatedBytes / GiB, help: "Used only for a thin base." }),
  lcOrder: select({ label: "ESX/ESXi version in the lifecycle example", value: SCENARIO.params.commitOrder, options: ORDER_OPTIONS }),
};

type Order = "oldest-first" | "newest-first";
type Dropped = DroppedFile[] | null;

type AnalysisModule = typeof import("./analysis.ts");
type LifecycleModule = typeof import("./lifecycle.ts");
let analysisModule: AnalysisModule | null = null;
let lifecycleModule: LifecycleModule | null = null;

/**
 * Calls `use` with the analysis module once it (and the samples, for a sample folder) is loaded:
 * on the first call it is imported; afterwards `use` runs at once, with no promise in between.
 */
function withAnalysis<T>(sample: string, use: (m: AnalysisModule) => T): T | Promise<T> {
  if (analysisModule?.isPrepared(sample)) return use(analysisModule);
  return import("./analysis.ts").then(async (m) => {
    await m.prepare(sample);
    analysisModule = m;
    return use(m);
  });
}

function withLifecycle<T>(use: (m: LifecycleModule) => T): T | Promise<T> {
  if (lifecycleModule) return use(lifecycleModule);
  return import("./lifecycle.ts").then((m) => use((lifecycleModule = m)));
}

const LIFECYCLE_INPUTS = ["lcSnapshots", "lcWriteGB", "lcEnd", "lcPick", "lcDatastoreGB", "lcOtherGB", "lcDiskGB", "lcBase", "lcThinGB", "lcOrder"];
type LifecycleArgs = [number, number, string, number, number, number, number, string, number, string];

/** Element cells that need the analysis or the lifecycle code wait until they are seen, like figures. */
const LATER = { whenVisible: true };

/** A sentence as an element (an element cell can wait until it is seen; a text cell cannot). */
const sentence = (doc: Document, s: string) => h(doc, "span", {}, s);

export const notebook = defineNotebook({
  id: "snapshots",
  params,
  cells: [
    view(
      "dropped",
      ["viewof sample", "document"],
      (sampleControl: HTMLElement & { value: unknown }, doc: Document) =>
        dropZone(doc, {
          // Files were added: show them rather than the sample.
          onChange: (files) => {
            if (files && sampleControl.value !== OWN) {
              sampleControl.value = OWN;
              sampleControl.dispatchEvent(new Event("input", { bubbles: true }));
            }
          },
        }),
      null,
    ),
    element("folderNote", ["sample", "dropped", "document"], (sample: string, dropped: Dropped, doc: Document) =>
      withAnalysis(sample, (m) => sentence(doc, m.folderText(sample, dropped))), LATER),
    // The tree does not depend on the free space or the order, so moving those leaves it alone.
    figure("treeFigure", ["sample", "dropped", "document"], (sample: string, dropped: Dropped, doc: Document) =>
      withAnalysis(sample, (m) => m.treeFigure(sample, dropped, doc))),
    element("findingsList", ["sample", "dropped", "freeGB", "order", "document"], (sample: string, dropped: Dropped, freeGB: number, order: Order, doc: Document) =>
      withAnalysis(sample, (m) => m.findingsElement(sample, dropped, freeGB, order, doc)), LATER),
    figure("spaceFigure", ["sample", "dropped", "freeGB", "order", "document"], (sample: string, dropped: Dropped, freeGB: number, order: Order, doc: Document) =>
      withAnalysis(sample, (m) => m.spaceFigure(sample, dropped, freeGB, order, doc))),
    element("spaceVerdict", ["sample", "dropped", "freeGB", "order", "document"], (sample: string, dropped: Dropped, freeGB: number, order: Order, doc: Document) =>
      withAnalysis(sample, (m) => sentence(doc, m.spaceText(sample, dropped, freeGB, order))), LATER),
    figure("lifecycleFigure", [...LIFECYCLE_INPUTS, "document", "width"], (...args: [...LifecycleArgs, Document, number]) =>
      withLifecycle((m) => {
        const run = m.runLifecycle(...(args.slice(0, 10) as LifecycleArgs));
        return m.isEmpty(run) ? { title: "Space on the datastore, step by step", refusal: run.refusal } : m.lifecycleView(run, args[10], args[11]);
      })),
    element("lifecycleVerdict", [...LIFECYCLE_INPUTS, "document"], (...args: [...LifecycleArgs, Document]) =>
      withLifecycle((m) => sentence(args[10], m.lifecycleSentence(m.runLifecycle(...(args.slice(0, 10) as LifecycleArgs))))), LATER),
    text("growthStep", [], () => `${DELTA_GROWTH_STEP_MIB} MiB`),
  ],
});
