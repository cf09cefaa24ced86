/**
 * The analysis half of the snapshot notebook, imported by the `analysisCode` cell only when one of
 * its figures comes into view: the model's analysis of the folder (src/snapshots analyze), the
 * findings list, the commit-space figure and the sentences; the tree per disk is in tree-view.ts.
 * Plain functions of the cells' values: the notebook's runtime keeps results while their inputs
 * stay the same. Every number comes
 * from the model; this file only asks and draws. Strings from the reader's files only ever reach
 * the page as text (the tree chart's .text(), the h() builder's text nodes).
 */
import { analyze, formatBytes, type Analysis, type Finding } from "../../src/snapshots/index.ts";
import { ModelInputError } from "../../src/shared/errors.ts";
import type { Refusal } from "../lib/chart.ts";
import { plural } from "../lib/view.ts";
import { gaugeChart } from "../lib/gauge.ts";
import { h, sourceLinks } from "./dom.ts";
import { isEmpty, type Empty, type Folder } from "./folder.ts";
import { baseTypeText } from "./tree-view.ts";

export { treeFigure } from "./tree-view.ts";

const GiB = 2 ** 30;
type Order = "oldest-first" | "newest-first";

/** The model's analysis of a folder, with the datastore's free space and commit order when given. */
export function analyseFolder(folder: Folder | Empty, options: { datastoreFreeBytes?: number; order?: Order }): Analysis | Empty {
  if (isEmpty(folder)) return folder;
  try {
    return analyze(folder.files, { listing: folder.listing, ...options });
  } catch (error) {
    // Only wrong argument types throw; a dropped file never should. Say so rather than go blank.
    return { refusal: error instanceof ModelInputError ? `These files could not be analysed: ${error.field} must be ${error.allowed}.` : String(error) };
  }
}

const gib = (bytes: number) => Number((bytes / GiB).toFixed(2));

// ---------------------------------------------------------------------------------------------
// Findings

const SEVERITY_WORD: Record<Finding["severity"], string> = { error: "Error", warning: "Warning", info: "Note" };

export function countFindings(findings: readonly Finding[]): string {
  if (findings.length === 0) return "No findings: every CID link holds and the .vmsd agrees with the disks.";
  const n = (sev: Finding["severity"]) => findings.filter((f) => f.severity === sev).length;
  return `${plural(findings.length, "finding")}: ${plural(n("error"), "error")}, ${plural(n("warning"), "warning")}, ${plural(n("info"), "note")}.`;
}

/** The findings list, from the analysis's findings (or the sentence saying why there are none). */
export function findingsList(findings: readonly Finding[] | Empty, doc: Document): HTMLElement {
  const root = h(doc, "div", { class: "snap-findings" });
  if (isEmpty(findings)) {
    root.append(h(doc, "p", { class: "snap-findings-empty" }, findings.refusal));
    return root;
  }
  root.append(h(doc, "p", { class: "snap-findings-count" }, countFindings(findings)));
  if (findings.length === 0) return root;
  const list = h(doc, "ol", { class: "snap-findings-list" });
  for (const f of findings) {
    const where = `${f.file}${f.line !== undefined ? `, line ${f.line}` : ""}${f.disk ? ` (disk ${f.disk})` : ""}`;
    list.append(
      h(
        doc,
        "li",
        { class: `finding sev-${f.severity}`, "data-code": f.code },
        h(doc, "p", { class: "finding-head" }, h(doc, "span", { class: "finding-sev" }, SEVERITY_WORD[f.severity]), " ", h(doc, "code", {}, f.code), " in ", h(doc, "span", { class: "finding-where" }, where)),
        h(doc, "p", { class: "finding-msg" }, f.message),
        f.fix ? h(doc, "p", { class: "finding-fix" }, h(doc, "strong", {}, "What to do: "), f.fix) : null,
        f.source ? h(doc, "p", { class: "finding-src" }, "Source: ", sourceLinks(doc, f.source)) : null,
      ),
    );
  }
  root.append(list);
  return root;
}

// ---------------------------------------------------------------------------------------------
// Commit space

function spaceView(a: Analysis, doc: Document, freeGB: number, order: string, width?: number) {
  const title = "Free space a commit needs per disk, against the datastore's free space";
  const disks = a.disks.filter((d) => d.commitSpace !== null);
  if (disks.length === 0) {
    const why = a.disks.length === 0 ? "there is no disk among the files" : a.disks.map((d) => `${d.key}: ${d.notes.join("; ")}`).join("; ");
    return { title, refusal: `No estimate: ${why}, so there is no chain to commit.` } satisfies Refusal;
  }
  const skipped = a.disks.filter((d) => d.commitSpace === null);
  const rows = disks.map((d) => ({ label: d.independent ? `${d.key} (independent)` : d.key, oldest: d.commitSpace!.oldestFirst.extraBytes, newest: d.commitSpace!.newestFirst.extraBytes }));
  if (disks.length > 1) rows.push({ label: "Whole VM", oldest: a.total.oldestFirstExtraBytes, newest: a.total.newestFirstExtraBytes });
  const neededBytes = order === "newest-first" ? a.total.newestFirstExtraBytes : a.total.oldestFirstExtraBytes;
  const freeBytes = freeGB * GiB;
  const fits = neededBytes <= freeBytes;
  const notes = disks.flatMap((d) => d.notes.map((n) => `${d.key}: ${n}`));
  return gaugeChart(doc, {
    title,
    width,
    rows: rows.map((r) => ({
      label: r.label,
      bars: [
        { name: "4.0 Update 2 and later (oldest delta first)", value: gib(r.oldest), colour: 0, text: formatBytes(r.oldest) },
        { name: "before 4.0 Update 2 (newest delta first)", value: gib(r.newest), colour: 1, text: formatBytes(r.newest) },
      ],
    })),
    rule: { value: freeGB, label: `free on the datastore: ${freeGB} GiB` },
    x: { label: "Free space a commit needs (GiB)" },
    summary:
      `Committing every snapshot needs up to ${formatBytes(a.total.oldestFirstExtraBytes)} of free space on ESX/ESXi 4.0 Update 2 and later (oldest delta first) and up to ${formatBytes(a.total.newestFirstExtraBytes)} on older hosts (newest delta first). ` +
      `The datastore has ${freeGB} GiB free: ${fits ? "enough for a commit in place" : "not enough for a commit in place"} on the hosts chosen (${order === "newest-first" ? "newest first" : "oldest first"}).` +
      (notes.length > 0 ? ` Estimated with assumptions: ${notes.join("; ")}.` : "") +
      (rows.some((r) => (r.oldest > 0 && r.oldest < freeBytes / 100) || (r.newest > 0 && r.newest < freeBytes / 100))
        ? " Amounts under 1% of the free space are drawn as a short mark at the axis; the label beside each bar gives the amount."
        : "") +
      (skipped.length > 0 ? ` No figure for ${skipped.map((d) => `${d.key} (${d.notes.join("; ")})`).join(", ")}.` : ""),
    table: {
      caption: "Commit space per disk (worst case: no two deltas share a block)",
      columns: ["Disk", "Base", "Base on the datastore", "Deltas on the chain", "Their total", "Largest delta", "Extra, oldest first", "Extra, newest first", "Peak use, oldest first", "Reliable"],
      rows: disks.map((d) => {
        const c = d.commitSpace!;
        return [
          d.key,
          baseTypeText(d.baseType),
          formatBytes(c.baseFootprintBytes),
          c.deltaCount,
          formatBytes(c.deltaTotalBytes),
          formatBytes(c.largestDeltaBytes),
          formatBytes(c.oldestFirst.extraBytes),
          formatBytes(c.newestFirst.extraBytes),
          formatBytes(c.oldestFirst.peakBytes),
          d.reliable ? "yes" : `no: ${d.notes.join("; ")}`,
        ];
      }),
    },
  });
}

export function spaceSentence(a: Analysis | Empty, freeGB: number, order: string): string {
  if (isEmpty(a)) return a.refusal;
  const short = a.findings.find((f) => f.code === "NOT_ENOUGH_SPACE");
  if (short) return `${short.message} ${short.fix ?? ""}`.trim();
  const needed = order === "newest-first" ? a.total.newestFirstExtraBytes : a.total.oldestFirstExtraBytes;
  if (a.disks.every((d) => d.commitSpace === null)) return "There is no chain to estimate.";
  return (
    `With ${freeGB} GiB free, the up to ${formatBytes(needed)} a commit needs (${order === "newest-first" ? "newest delta first, before ESX/ESXi 4.0 Update 2" : "oldest delta first, ESX/ESXi 4.0 Update 2 and later"}) fits: ` +
    `Delete All or Consolidate can run in place${a.total.reliable ? "." : ", if the estimate's assumptions hold (see the figure)."}`
  );
}

// ---------------------------------------------------------------------------------------------

export function folderSentence(folder: Folder | Empty, a: Analysis | Empty): string {
  if (isEmpty(folder)) return folder.refusal;
  if (folder.sample) {
    const paragraph = folder.sample.readme.split(/\n\n+/)[1]?.replace(/\s+/g, " ").trim() ?? "";
    // the sample's number, as the selector shows it, not its folder name
    return `Sample ${folder.sample.id.slice(0, 2)}, “${folder.sample.title}”: ${paragraph}`;
  }
  if (isEmpty(a)) return a.refusal;
  const read = new Set(a.files.read);
  const reasons = new Map(a.files.notRead.map((f) => [f.name, f.reason]));
  const named = folder.files
    .filter((f) => !read.has(f.name))
    .map((f) => reasons.get(f.name) ?? `${f.name}${f.size !== undefined ? ` (${formatBytes(f.size)})` : ""} is a data file: only its name and size are used.`);
  return `Your files: ${plural(read.size, "file")} read (${a.files.read.join(", ") || "none"})${named.length > 0 ? `; named only, never read: ${named.join(" ")}` : "."}`;
}

// ---------------------------------------------------------------------------------------------
// The figures, or the sentence that says why there is none


export function spaceFigure(a: Analysis | Empty, freeGB: number, order: Order, doc: Document, width?: number) {
  return isEmpty(a) ? ({ title: "Free space a commit needs", refusal: a.refusal } satisfies Refusal) : spaceView(a, doc, freeGB, order, width);
}

