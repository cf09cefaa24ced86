/**
 * Snapshot chains notebook: a VM folder (a shipped sample, or the reader's own files dropped or
 * pasted into the page and read there only) analysed per disk: the tree from base to current with
 * CIDs and sizes, the worst-case free space a commit needs against the datastore's free space, the
 * findings with their fixes; then a snapshot lifecycle simulation whose default is the model's
 * five-snapshot scenario. Every number comes from src/snapshots; these files only ask and draw.
 *
 * The data flow, as cells: the drop zone's `dropped` files or the chosen sample are the `files`;
 * `chains` and `analysis` are the model's analysis of them (without and with the datastore's free
 * space); `lifecycleRun` is the lifecycle simulation; figures and sentences read those. This file
 * holds what the page needs on arrival: the controls and the drop zone. The analysis code (the
 * model's parsers, the tree chart), the samples and the lifecycle code are imported by cells that
 * wait until a figure they feed is in view, so the page loads little JavaScript up front.
 */
import { DELTA_GROWTH_STEP_MIB, FIVE_SNAPSHOTS_FILL_DATASTORE, type DroppedFile, type Finding, type LifecycleAction } from "../../src/snapshots/index.ts";
import { cell, defineNotebook, element, figure, text, view } from "../lib/cells.ts";
import { number, select } from "../lib/params.ts";
import { dropZone } from "./dropzone.ts";
import { h } from "./dom.ts";
import { DEFAULT_SAMPLE, OWN, SAMPLE_LIST } from "./sample-list.ts";
import { isEmpty, ownFolder, sampleFolder, type Empty, type Folder } from "./folder.ts";

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
type AnalysisCode = typeof import("./analysis.ts");
type LifecycleCode = typeof import("./lifecycle.ts");
type Analysis = ReturnType<AnalysisCode["analyseFolder"]>;
type Run = ReturnType<LifecycleCode["runLifecycle"]>;

/**
 * Everything below the drop zone waits until it is seen, like figures: the cells that import the
 * analysis and lifecycle code, read the samples and run the model compute only once a figure (or
 * sentence) that shows their result is in view, so none of it is part of the page's load.
 */
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
    // The code behind the figures, imported on demand (the model's parsers, the chart builders).
    cell("analysisCode", [], () => import("./analysis.ts"), LATER),
    cell("lifecycleCode", [], () => import("./lifecycle.ts"), LATER),

    // The folder analysed: the reader's files, or a sample (whose texts are imported only then).
    cell("files", ["sample", "dropped"], (sample: string, dropped: DroppedFile[] | null) =>
      sample === OWN ? ownFolder(dropped) : import("./samples/index.ts").then((m) => sampleFolder(m.samples, sample)), LATER),
    // The chains and commit space without the free-space check: what the tree and the folder note
    // show, so that moving the free-space slider or the order leaves them alone.
    cell("chains", ["analysisCode", "files"], (code: AnalysisCode, files: Folder | Empty) => code.analyseFolder(files, {}), LATER),
    cell("analysis", ["analysisCode", "files", "freeGB", "order"], (code: AnalysisCode, files: Folder | Empty, freeGB: number, order: Order) =>
      code.analyseFolder(files, { datastoreFreeBytes: freeGB * GiB, order }), LATER),
    // Equal findings give the same list (a free-space slider moving), so the list is not rebuilt.
    cell("findings", ["analysis"], (a: Analysis) => (isEmpty(a) ? a : a.findings), LATER),

    element("folderNote", ["analysisCode", "files", "chains", "document"], (code: AnalysisCode, files: Folder | Empty, a: Analysis, doc: Document) =>
      sentence(doc, code.folderSentence(files, a)), LATER),
    figure("treeFigure", ["analysisCode", "chains", "document", "width"], (code: AnalysisCode, a: Analysis, doc: Document, width: number) => code.treeFigure(a, doc, width)),
    element("findingsList", ["analysisCode", "findings", "document"], (code: AnalysisCode, findings: Finding[] | Empty, doc: Document) => code.findingsList(findings, doc), LATER),
    figure("spaceFigure", ["analysisCode", "analysis", "freeGB", "order", "document", "width"], (code: AnalysisCode, a: Analysis, freeGB: number, order: Order, doc: Document, width: number) =>
      code.spaceFigure(a, freeGB, order, doc, width)),
    element("spaceVerdict", ["analysisCode", "analysis", "freeGB", "order", "document"], (code: AnalysisCode, a: Analysis, freeGB: number, order: Order, doc: Document) =>
      sentence(doc, code.spaceSentence(a, freeGB, order)), LATER),

    // The lifecycle section: the simulation of what its controls describe, drawn and said.
    cell(
      "lifecycleRun",
      ["lifecycleCode", "lcSnapshots", "lcWriteGB", "lcEnd", "lcPick", "lcDatastoreGB", "lcOtherGB", "lcDiskGB", "lcBase", "lcThinGB", "lcOrder"],
      (code: LifecycleCode, snapshots: number, writeGB: number, end: string, pick: number, datastoreGB: number, otherGB: number, diskGB: number, base: string, thinGB: number, order: string) =>
        code.runLifecycle({ snapshots, writeGB, end, pick, datastoreGB, otherGB, diskGB, base, thinGB, order }),
      LATER,
    ),
    figure("lifecycleFigure", ["lifecycleCode", "lifecycleRun", "document", "width"], (code: LifecycleCode, run: Run, doc: Document, width: number) => code.lifecycleFigure(run, doc, width)),
    element("lifecycleVerdict", ["lifecycleCode", "lifecycleRun", "document"], (code: LifecycleCode, run: Run, doc: Document) => sentence(doc, code.lifecycleSentence(run)), LATER),
    text("growthStep", [], () => `${DELTA_GROWTH_STEP_MIB} MiB`),
  ],
});
