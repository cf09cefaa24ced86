/**
 * The snapshot lifecycle section: the actions its controls describe (n snapshots, each followed by
 * a write, then the chosen ending), the model's simulation of them (src/snapshots simulate), and
 * the space-over-time chart and sentence. The defaults are the model's five-snapshot scenario.
 */
import { formatBytes, FIVE_SNAPSHOTS_FILL_DATASTORE, simulate, type LifecycleAction, type LifecycleState } from "../../src/snapshots/index.ts";
import { ModelInputError } from "../../src/shared/errors.ts";
import { lineChart, type Refusal } from "../lib/chart.ts";
import { plural } from "../lib/view.ts";
import { isEmpty, type Empty } from "./folder.ts";

const GiB = 2 ** 30;
export const SCENARIO = FIVE_SNAPSHOTS_FILL_DATASTORE;


const gib = (bytes: number) => Number((bytes / GiB).toFixed(2));


export interface LifecycleRun {
  actions: LifecycleAction[];
  labels: string[];
  states: LifecycleState[];
}

/** The actions the lifecycle controls describe: n × (snapshot, write), then the chosen ending. */
export function lifecycleActions(n: number, writeGiB: number, end: string, pick: number): LifecycleAction[] {
  const actions: LifecycleAction[] = [];
  for (let i = 1; i <= n; i++) actions.push({ type: "snapshot", name: `Snapshot ${i}` }, { type: "write", bytes: writeGiB * GiB });
  const uid = Math.min(pick, Math.max(n, 1));
  if (end === "deleteAll") actions.push({ type: "deleteAll" });
  else if (end === "deleteOne") actions.push({ type: "delete", uid });
  else if (end === "revert") actions.push({ type: "revert", uid });
  else if (end === "revertDeleteAll") actions.push({ type: "revert", uid }, { type: "deleteAll" });
  return actions;
}

function actionLabel(a: LifecycleAction, after: LifecycleState): string {
  switch (a.type) {
    case "snapshot":
      return `Take ${a.name ?? "a snapshot"}: ${after.deltas.find((d) => d.id === after.currentDiskId)?.name ?? "a new delta"} starts`;
    case "write":
      return `Guest writes ${formatBytes(a.bytes)} of new blocks`;
    case "revert":
      return `Revert to snapshot ${a.uid}`;
    case "delete":
      return `Delete snapshot ${a.uid}`;
    case "deleteAll":
      return "Delete All";
  }
}

/** What the lifecycle section's controls say, in GiB where they are sizes. */
export interface LifecycleControls {
  snapshots: number;
  writeGB: number;
  /** deleteAll, deleteOne, revert, revertDeleteAll or none. */
  end: string;
  pick: number;
  datastoreGB: number;
  otherGB: number;
  diskGB: number;
  base: string;
  thinGB: number;
  order: string;
}

/** The model's simulation of what the controls describe, or the sentence that says why it cannot run. */
export function runLifecycle({ snapshots: n, writeGB, end, pick, datastoreGB: dsGB, otherGB, diskGB, base, thinGB, order }: LifecycleControls): LifecycleRun | Empty {
  const baseType = base === "thin" ? "thin" : "thick";
  if (baseType === "thin" && thinGB > diskGB) return { refusal: `A thin base cannot have more allocated (${thinGB} GiB) than its size (${diskGB} GiB): lower “Thin base: allocated at the start” or raise the disk's size.` };
  const baseGB = baseType === "thick" ? diskGB : thinGB;
  if (otherGB + baseGB > dsGB) {
    return { refusal: `The other files (${otherGB} GiB) and this VM's base disk (${baseGB} GiB) need ${otherGB + baseGB} GiB, more than the ${dsGB} GiB datastore holds: make the datastore larger, or the disk or the other files smaller.` };
  }
  const actions = lifecycleActions(n, writeGB, end, pick);
  try {
    const states = simulate(
      {
        ...SCENARIO.params,
        datastoreCapacityBytes: dsGB * GiB,
        otherUsedBytes: otherGB * GiB,
        diskCapacityBytes: diskGB * GiB,
        baseType,
        baseAllocatedBytes: baseType === "thin" ? thinGB * GiB : 0,
        commitOrder: order === "newest-first" ? "newest-first" : "oldest-first",
      },
      actions,
    );
    return { actions, states, labels: ["Start", ...actions.map((a, i) => actionLabel(a, states[i + 1]))] };
  } catch (error) {
    return { refusal: error instanceof ModelInputError ? `The simulation cannot run with these settings: ${error.field} must be ${error.allowed}.` : String(error) };
  }
}

const lowestFree = (s: LifecycleState) => Math.min(s.freeBytes, s.minFreeBytesDuringStep);
const deltaTotal = (s: LifecycleState) => s.deltas.reduce((t, d) => t + d.sizeBytes, 0);

const TITLE = "Space on the datastore, step by step";

/** The space-over-time chart of a run, or the sentence that says why there is none. */
export function lifecycleFigure(run: LifecycleRun | Empty, doc: Document, width?: number) {
  return isEmpty(run) ? ({ title: TITLE, refusal: run.refusal } satisfies Refusal) : lifecycleView(run, doc, width);
}

function lifecycleView(run: LifecycleRun, doc: Document, width?: number) {
  const title = TITLE;
  const { states, labels } = run;
  const steps = states.map((_, i) => i);
  const full = states.findIndex((s) => s.events.some((e) => e.code === "DATASTORE_FULL"));
  const refused = states.findIndex((s) => s.events.some((e) => e.code === "NOT_ENOUGH_SPACE"));
  const last = states[states.length - 1];
  const minIndex = states.reduce((m, s, i) => (lowestFree(s) < lowestFree(states[m]) ? i : m), 0);
  let summary = `Free space starts at ${formatBytes(states[0].freeBytes)} and ends at ${formatBytes(last.freeBytes)} after ${plural(states.length - 1, "step")}; the lowest is ${formatBytes(lowestFree(states[minIndex]))} at step ${minIndex} (${labels[minIndex]}).`;
  if (full >= 0) summary += ` At step ${full} the datastore is full and the VM pauses.`;
  if (refused >= 0) summary += ` At step ${refused} (${labels[refused]}) the commit cannot run in place: ${states[refused].events.find((e) => e.code === "NOT_ENOUGH_SPACE")!.message}`;
  else if (last.deltas.length > 0) summary += ` ${plural(last.deltas.length, "delta")} (${formatBytes(deltaTotal(last))}) remain.`;
  // The free-space line dips half a step before a commit's end, to its lowest point during it.
  const freeX: number[] = [];
  const freeY: number[] = [];
  states.forEach((s, i) => {
    const low = lowestFree(s);
    if (i > 0 && low < Math.min(s.freeBytes, states[i - 1].freeBytes)) {
      freeX.push(i - 0.5);
      freeY.push(gib(low));
    }
    freeX.push(i);
    freeY.push(gib(s.freeBytes));
  });
  return lineChart(doc, {
    title,
    width,
    x: { label: "Step (each snapshot, write, revert or delete is one step)", domain: [0, Math.max(1, states.length - 1)] },
    y: { label: "Space (GiB)" },
    series: [
      { name: "Free on the datastore (dips to its lowest during a commit)", x: freeX, y: freeY, colour: 0 },
      { name: "This VM's snapshot deltas", x: steps, y: states.map((s) => gib(deltaTotal(s))), colour: 1 },
    ],
    summary,
    table: {
      caption: "Each step of the simulation: the deltas, this VM's files and the datastore's free space",
      columns: ["Step", "Action", "Deltas (size)", "VM's files (GiB)", "Free (GiB)", "Lowest free in the step (GiB)", "What happened"],
      rows: states.map((s, i) => [
        i,
        labels[i],
        s.deltas.map((d) => `${d.name} ${formatBytes(d.sizeBytes)}`).join(", ") || "none",
        gib(s.usedBytes),
        gib(s.freeBytes),
        gib(lowestFree(s)),
        s.events.map((e) => e.message).join(" ") || (s.paused ? "VM paused" : ""),
      ]),
    },
  });
}

export function lifecycleSentence(run: LifecycleRun | Empty): string {
  if (isEmpty(run)) return run.refusal;
  const { states, actions } = run;
  const events = states.flatMap((s) => s.events);
  const refused = events.find((e) => e.code === "NOT_ENOUGH_SPACE");
  const full = events.find((e) => e.code === "DATASTORE_FULL");
  const first = states[0];
  const last = states[states.length - 1];
  const parts: string[] = [];
  if (full) parts.push(full.message);
  if (refused) parts.push(`${refused.message} ${refused.fix ?? ""}`.trim());
  else if (actions.at(-1)?.type === "deleteAll") parts.push(`Delete All ran: the deltas were merged into the base; free space is ${formatBytes(last.freeBytes)} (it was ${formatBytes(first.freeBytes)} before the first snapshot) and fell to ${formatBytes(lowestFree(last))} during the commit.`);
  else parts.push(`After the last step ${plural(last.deltas.length, "delta")} hold ${formatBytes(deltaTotal(last))} and ${formatBytes(last.freeBytes)} is free.`);
  const other = events.filter((e) => e.code !== "NOT_ENOUGH_SPACE" && e.code !== "DATASTORE_FULL");
  for (const e of other) parts.push(e.message);
  return parts.join(" ");
}

