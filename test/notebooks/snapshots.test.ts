import { describe, expect } from "vitest";
import { test, fc } from "@fast-check/vitest";
import { Window } from "happy-dom";
import { Runtime } from "@observablehq/runtime";
import { notebook, params, SCENARIO, DEFAULT_SAMPLE, OWN } from "../../notebooks/snapshots/cells.ts";
import { SAMPLE_LIST } from "../../notebooks/snapshots/sample-list.ts";
import { lifecycleActions } from "../../notebooks/snapshots/lifecycle.ts";
import { namePasted, readFile } from "../../notebooks/snapshots/dropzone.ts";
import { samples } from "../../notebooks/snapshots/samples/index.ts";
import { renderStatic } from "../../notebooks/lib/static.ts";
import { expectFiguresComplete } from "./figures.ts";
import { renderFigure } from "../../notebooks/lib/figure.ts";
import { parseParams } from "../../notebooks/lib/params.ts";
import { isRefusal, type FigureValue } from "../../notebooks/lib/chart.ts";
import { snapshots } from "../../src/index.ts";
import { controlValues } from "./url-arbitrary.ts";

const FIGURES = ["treeFigure", "spaceFigure", "lifecycleFigure"];
const GiB = 2 ** 30;

/** The visible text of rendered HTML (tags dropped, entities decoded). */
function textOf(html: string): string {
  return html
    .replace(/<[^>]+>/g, " ")
    .replace(/&quot;/g, '"')
    .replace(/&lt;/g, "<")
    .replace(/&gt;/g, ">")
    .replace(/&amp;/g, "&")
    .replace(/\s+/g, " ")
    .trim();
}

function summaryOf(html: string): string {
  const match = html.match(/<p class="figure-summary"[^>]*>([\s\S]*?)<\/p>/);
  if (!match) throw new Error(`no summary in ${html.slice(0, 200)}`);
  return textOf(match[1]);
}

/** The findings list as [severity, code] pairs, in page order. */
function findingsOf(html: string): Array<{ severity: string; code: string; text: string }> {
  const out: Array<{ severity: string; code: string; text: string }> = [];
  for (const m of html.matchAll(/<li class="finding sev-(\w+)" data-code="([A-Z_]+)">([\s\S]*?)<\/li>/g)) out.push({ severity: m[1], code: m[2], text: textOf(m[3]) });
  return out;
}

/**
 * Expected findings and commit space, written from each sample folder's README.md ("Expected
 * findings" and "Expected commit space"), not from the model's output. `infos` are the README's
 * info lines: a code where the README names one, else a phrase the note must contain. `space` are
 * figures the README states, as the page writes them (GiB with two decimals, or MiB).
 */
const EXPECTED: Record<string, { errors: string[]; warnings: string[]; infos: string[]; says?: string[]; space?: string[] }> = {
  // "none (0 errors, 0 warnings)"; scsi0:0 new 0.02 GiB, old 13.41 GiB; scsi0:1 new 16.00, old 40.86; VM 16.02 / 54.27
  "01-healthy-3snap-2disks": { errors: [], warnings: [], infos: [], space: ["16 MiB", "13.41 GiB", "16 GiB", "40.86 GiB", "16.02 GiB", "54.27 GiB"] },
  // "none (0 errors, 0 warnings)"; "info: 2 branches on scsi0:0 ... -000001 is deleted (frees 2160 MiB)"; new 0.02 GiB, old 0.34 GiB
  // (369098752 bytes, which the page writes as 352 MiB)
  "02-branched-tree": { errors: [], warnings: [], infos: ["2 branches on scsi0:0"], says: ["2160 MiB"], space: ["16 MiB", "352 MiB"] },
  // "CID_MISMATCH (error) on link db01-000001.vmdk -> db01.vmdk: parentCID d33563b9 != CID 9e33b6d1 (KB 1007969)"; "no other errors"
  "03-broken-cid": { errors: ["CID_MISMATCH"], warnings: [], infos: [], says: ["db01-000001.vmdk", "db01.vmdk", "d33563b9", "9e33b6d1", "KB 1007969"] },
  // "MISSING_PARENT (error)"; "VMSD_DISK_NOT_IN_CHAIN (warning): snapshot uid 2 'Migration done' disk0 fs01-000001.vmdk not found"
  "04-missing-parent": { errors: ["MISSING_PARENT"], warnings: ["VMSD_DISK_NOT_IN_CHAIN"], infos: [], says: ["fs01-000002.vmdk", "fs01-000001.vmdk", "uid 2", "Migration done"] },
  // "INDEPENDENT_DISK (info) on scsi0:1 exch01_1.vmdk"; "no NUMDISKS_MISMATCH"; scsi0:0 new 0.02 GiB, old 1.09 GiB; scsi0:1 contributes 0
  "05-independent-persistent": { errors: [], warnings: [], infos: ["INDEPENDENT_DISK"], says: ["scsi0:1", "exch01_1.vmdk"], space: ["16 MiB", "1.09 GiB", "scsi0:1 (independent)", "0 bytes"] },
  // "none (0 errors, 0 warnings)"; new 35.02 GiB, old 88.02 GiB (the thin base grows by up to 35 GiB)
  "06-thin-base": { errors: [], warnings: [], infos: [], space: ["35.02 GiB", "88.02 GiB"] },
  // "info RDM_BASE on scsi0:1"; "no errors"; 16 MiB helper each, old order = new order
  "07-rdm-base": { errors: [], warnings: [], infos: ["RDM_BASE"], says: ["scsi0:1"], space: ["16 MiB"] },
  // "none (0 errors, 0 warnings)"; "info: delta format SEsparse"; new 43.02 GiB, old 48.02 GiB
  "08-sesparse-chain": { errors: [], warnings: [], infos: ["delta format SEsparse"], space: ["43.02 GiB", "48.02 GiB"] },
  // VMSD_DISK_NOT_IN_CHAIN (uid 7 'VDR-backup-2012-04-22'), ORPHAN_DELTA (mail01-000002.vmdk, 3 GiB), NEEDS_CONSOLIDATION; no CID errors
  "09-vmsd-orphan-backup-snapshot": { errors: [], warnings: ["NEEDS_CONSOLIDATION", "ORPHAN_DELTA", "VMSD_DISK_NOT_IN_CHAIN"], infos: [], says: ["uid 7", "VDR-backup-2012-04-22", "mail01-000002.vmdk", "3 GiB"] },
  // "NEEDS_CONSOLIDATION (warning): disk scsi0:0 runs on a delta but .vmsd lists 0 snapshots"; "no errors"; new 0.02 GiB
  "10-needs-consolidation": { errors: [], warnings: ["NEEDS_CONSOLIDATION"], infos: [], says: ["0 snapshots"], space: ["16 MiB"] },
};

/** Runs every cell like renderStatic, but with `files` as the drop zone's value. */
async function renderWithFiles(files: Array<{ name: string; text?: string; size?: number }> | null, values: Record<string, unknown> = {}) {
  const window = new Window();
  const doc = window.document as unknown as Document;
  const runtime = new Runtime({ document: doc });
  const module = notebook.instantiate(runtime, { values: { sample: OWN, ...values } });
  module.redefine("dropped", [], () => files);
  const out = new Map<string, string>();
  try {
    for (const c of notebook.cells) {
      if (c.kind === "value" || c.kind === "view") continue;
      const value = await module.value(c.name);
      if (c.kind === "figure") {
        const root = doc.createElement("div");
        renderFigure(doc, root, value as FigureValue);
        out.set(c.name, root.innerHTML);
      } else if (c.kind === "element") out.set(c.name, (value as Element).outerHTML);
      else out.set(c.name, String(value));
    }
  } finally {
    runtime.dispose();
    await window.happyDOM.close();
  }
  return out;
}

describe("snapshot notebook, cells run headless", () => {
  test("opens on sample 09, the backup appliance's leftover snapshot, with its three warnings", async () => {
    expect(params.sample.value).toBe(DEFAULT_SAMPLE);
    const cells = await renderStatic(notebook);
    expect(textOf(cells.get("folderNote")!.html)).toContain("backup appliance");
    const tree = cells.get("treeFigure")!;
    expect(tree.svg).toMatch(/^<svg/);
    const summary = summaryOf(tree.html);
    expect(summary).toContain("mail01.vmdk (thick) → mail01-000001.vmdk (current, 9 GiB)");
    expect(summary).toContain("mail01-000002.vmdk (orphan, 3 GiB)");
    // The orphan is drawn as an orphan, under the current file.
    expect(tree.svg).toMatch(/t-orphan[^]*mail01-000002\.vmdk/);
    expect(tree.svg).toMatch(/t-current[^]*mail01-000001\.vmdk/);
    expectFiguresComplete(cells, FIGURES);
  });

  test("the data flow is cells: a control reruns only the cells that read it, and unchanged inputs rerun nothing", async () => {
    expect(["files", "chains", "analysis", "findings", "lifecycleRun", "analysisCode", "lifecycleCode"].map((n) => [n, notebook.cellNamed(n)?.kind, notebook.cellNamed(n)?.whenVisible]))
      .toEqual(["files", "chains", "analysis", "findings", "lifecycleRun", "analysisCode", "lifecycleCode"].map((n) => [n, "value", true]));
    const window = new Window();
    const doc = window.document as unknown as Document;
    const runtime = new Runtime({ document: doc });
    const ran: string[] = [];
    const module = notebook.instantiate(runtime, { onCellTime: (name) => ran.push(name) });
    const shown = () => Promise.all(["folderNote", "treeFigure", "findingsList", "spaceFigure", "spaceVerdict", "lifecycleFigure", "lifecycleVerdict"].map((n) => module.value(n)));
    const rerun = async (param: string, value: unknown) => {
      ran.length = 0;
      module.redefine(param, [], () => value);
      await shown();
      return [...ran].sort();
    };
    try {
      await shown();
      expect(ran.filter((n) => n === "chains" || n === "analysis").sort()).toEqual(["analysis", "chains"]);
      const list = await module.value("findingsList");
      // The free space: one analysis; the tree, the folder note and the lifecycle are left alone,
      // and the findings list is the same element while the findings stay the same.
      expect(await rerun("freeGB", 101)).toEqual(["analysis", "findings", "spaceFigure", "spaceVerdict"]);
      expect(await module.value("findingsList")).toBe(list);
      expect(await rerun("lcWriteGB", 31)).toEqual(["lifecycleFigure", "lifecycleRun", "lifecycleVerdict"]);
      // The same value again: nothing runs.
      expect(await rerun("lcWriteGB", 31)).toEqual([]);
      expect(await rerun("sample", "03-broken-cid")).toEqual(["analysis", "chains", "files", "findings", "findingsList", "folderNote", "spaceFigure", "spaceVerdict", "treeFigure"]);
    } finally {
      runtime.dispose();
      await window.happyDOM.close();
    }
  });

  test("the sample selector lists every shipped sample folder, by id and title, plus “my own files”", () => {
    expect(SAMPLE_LIST.map((s) => [s.id, s.title])).toEqual(samples.map((s) => [s.id, s.title]));
    expect(params.sample.options.map((o) => o.value)).toEqual([...samples.map((s) => s.id), OWN]);
  });

  for (const [id, want] of Object.entries(EXPECTED)) {
    test(`sample ${id}: exactly the findings its README expects, and its commit-space figures`, async () => {
      const cells = await renderStatic(notebook, { sample: id });
      const list = cells.get("findingsList")!.html;
      const found = findingsOf(list);
      expect(found.filter((f) => f.severity === "error").map((f) => f.code).sort()).toEqual([...want.errors].sort());
      expect(found.filter((f) => f.severity === "warning").map((f) => f.code).sort()).toEqual([...want.warnings].sort());
      const infos = found.filter((f) => f.severity === "info");
      expect(infos).toHaveLength(want.infos.length);
      for (const phrase of want.infos) expect(infos.some((f) => f.code === phrase || f.text.includes(phrase)), phrase).toBe(true);
      for (const phrase of want.says ?? []) expect(textOf(list), phrase).toContain(phrase);
      // Each finding names its file (and its line, where the model has one).
      for (const f of found) expect(f.text).toMatch(/ in \S+\.(vmdk|vmx|vmsd|txt)/);
      const space = textOf(cells.get("spaceFigure")!.html);
      for (const figure of want.space ?? []) expect(space, figure).toContain(figure);
      for (const name of FIGURES) expect(cells.get(name)!.html, name).not.toMatch(/NaN|Infinity|undefined/);
    });
  }

  test("03: the broken link is drawn as broken, names both CIDs, and the estimate is flagged", async () => {
    const cells = await renderStatic(notebook, { sample: "03-broken-cid" });
    const tree = cells.get("treeFigure")!;
    expect(tree.svg).toMatch(/t-link-broken[^]*CID mismatch: d33563b9 ≠ 9e33b6d1/);
    expect(summaryOf(tree.html)).toContain("The link db01-000001.vmdk → db01.vmdk is broken: parentCID d33563b9 ≠ CID 9e33b6d1");
    expect(summaryOf(cells.get("spaceFigure")!.html)).toContain("Estimated with assumptions");
    expect(findingsOf(cells.get("findingsList")!.html)[0].text).toContain("db01-000001.vmdk, line 5");
  });

  test("04: the missing parent is a placeholder and the base is drawn cut off beside it", async () => {
    const cells = await renderStatic(notebook, { sample: "04-missing-parent" });
    const svg = cells.get("treeFigure")!.svg!;
    expect(svg).toMatch(/t-missing[^]*fs01-000001\.vmdk/);
    expect(svg).toMatch(/t-detached[^]*fs01\.vmdk/);
    expect(summaryOf(cells.get("treeFigure")!.html)).toContain("The chain stops at fs01-000001.vmdk, which was not dropped");
  });

  test("06 with less free space than the commit needs: NOT_ENOUGH_SPACE, with the cold-migration fix", async () => {
    const cells = await renderStatic(notebook, { sample: "06-thin-base", freeGB: 30 });
    const found = findingsOf(cells.get("findingsList")!.html);
    const short = found.find((f) => f.code === "NOT_ENOUGH_SPACE")!;
    expect(short.severity).toBe("error");
    expect(short.text).toContain("35.02 GiB");
    expect(short.text).toContain("cold-migrate");
    expect(textOf(cells.get("spaceVerdict")!.html)).toContain("cold-migrate");
    expect(summaryOf(cells.get("spaceFigure")!.html)).toContain("30 GiB free: not enough");
    // 35 GiB is enough on 4.0 U2+, not before it (88.02 GiB newest first).
    const enough = await renderStatic(notebook, { sample: "06-thin-base", freeGB: 36 });
    expect(findingsOf(enough.get("findingsList")!.html).map((f) => f.code)).toEqual([]);
    const older = await renderStatic(notebook, { sample: "06-thin-base", freeGB: 36, order: "newest-first" });
    expect(findingsOf(older.get("findingsList")!.html).map((f) => f.code)).toEqual(["NOT_ENOUGH_SPACE"]);
  });

  test("the lifecycle opens on the model's five-snapshot example: the datastore fills, Delete All cannot run in place", async () => {
    const actions = lifecycleActions(params.lcSnapshots.value, params.lcWriteGB.value, params.lcEnd.value, params.lcPick.value);
    expect(actions).toEqual(SCENARIO.actions.map((a) => (a.type === "snapshot" ? { type: "snapshot", name: a.name } : a)));
    expect(params.lcDatastoreGB.value * GiB).toBe(SCENARIO.params.datastoreCapacityBytes);
    expect(params.lcOtherGB.value * GiB).toBe(SCENARIO.params.otherUsedBytes);
    expect(params.lcDiskGB.value * GiB).toBe(SCENARIO.params.diskCapacityBytes);
    expect(params.lcBase.value).toBe(SCENARIO.params.baseType);
    const cells = await renderStatic(notebook);
    const summary = summaryOf(cells.get("lifecycleFigure")!.html);
    expect(summary).toContain("Free space starts at 150 GiB");
    expect(summary).toContain("At step 10 the datastore is full and the VM pauses");
    expect(summary).toContain("At step 11 (Delete All) the commit cannot run in place");
    const verdict = textOf(cells.get("lifecycleVerdict")!.html);
    expect(verdict).toContain("a commit in place is impossible");
    expect(verdict).toContain("cold-migrate");
    // The table's free space per step is the model's own run of the scenario.
    const states = snapshots.simulate(SCENARIO.params, SCENARIO.actions);
    const rows = [...cells.get("lifecycleFigure")!.html.matchAll(/<tr><td class="num">(\d+)<\/td><td>[^<]*<\/td><td>[^<]*<\/td><td class="num">[^<]*<\/td><td class="num">([^<]*)<\/td>/g)];
    expect(rows.map((r) => Number(r[2]))).toEqual(states.map((s) => Number((s.freeBytes / GiB).toFixed(2))));
  });

  test("freeing 20 GiB lets the same Delete All run", async () => {
    const cells = await renderStatic(notebook, { lcOtherGB: 230 });
    expect(textOf(cells.get("lifecycleVerdict")!.html)).toMatch(/^Delete All ran/);
  });

  test("lifecycle settings the datastore cannot hold are refused with a sentence", async () => {
    const tooBig = await renderStatic(notebook, { lcDatastoreGB: 100, lcOtherGB: 50, lcDiskGB: 100 });
    expect(tooBig.get("lifecycleFigure")!.svg).toBeUndefined();
    expect(textOf(tooBig.get("lifecycleFigure")!.html)).toContain("more than the 100 GiB datastore holds");
    const thin = await renderStatic(notebook, { lcBase: "thin", lcThinGB: 200, lcDiskGB: 100 });
    expect(textOf(thin.get("lifecycleFigure")!.html)).toContain("A thin base cannot have more allocated (200 GiB) than its size (100 GiB)");
  });

  test("“my own files” with no files: every analysis figure says what to do instead of drawing", async () => {
    const cells = await renderStatic(notebook, { sample: OWN });
    for (const name of ["treeFigure", "spaceFigure"]) {
      expect(cells.get(name)!.svg, name).toBeUndefined();
      expect(textOf(cells.get(name)!.html), name).toContain("No files yet");
    }
    expect(textOf(cells.get("findingsList")!.html)).toContain("No files yet");
    expect(cells.get("lifecycleFigure")!.svg).toMatch(/^<svg/);
  });

  test("own files: a dropped sample folder with its data files named (never read) gives the sample's findings", async () => {
    const s = samples.find((x) => x.id === "03-broken-cid")!;
    const files = [...s.files, { name: "db01-flat.vmdk", size: 80 * GiB }, { name: "db01-000001-delta.vmdk", size: 6727663616 }, { name: "db01-000002-delta.vmdk", size: 973078528 }];
    const cells = await renderWithFiles(files);
    const found = findingsOf(cells.get("findingsList")!);
    expect(found.filter((f) => f.severity !== "info").map((f) => f.code)).toEqual(["CID_MISMATCH"]);
    expect(found.filter((f) => f.code === "DATA_FILE_NOT_READ")).toHaveLength(3);
    expect(found.find((f) => f.code === "DATA_FILE_NOT_READ" && f.text.includes("db01-flat.vmdk"))!.text).toContain("80 GiB");
    // Sizes came from the data files' sizes: the same space figures as with the listing.
    expect(summaryOf(cells.get("treeFigure")!)).toContain("db01-000001.vmdk (6.27 GiB)");
    expect(textOf(cells.get("folderNote")!)).toContain("named only, never read");
  });

  test("file names and contents from a reader's files reach the page only as text", async () => {
    const evil = '<img src=x onerror="alert(1)">';
    const files = [
      { name: `${evil}.vmdk`, text: `# Disk DescriptorFile\nversion=1\nCID=${evil}\nparentCID=ffffffff\ncreateType="vmfs"\nRW 100 VMFS "${evil}-flat.vmdk"\n` },
      { name: "vm.vmx", text: `scsi0:0.present = "TRUE"\nscsi0:0.fileName = "${evil}.vmdk"\ndisplayName = "${evil}"\n` },
    ];
    const cells = await renderWithFiles(files);
    for (const [name, html] of cells) {
      expect(html, name).not.toContain("<img");
      expect(html, name).not.toMatch(/<[^>]*onerror/);
    }
    expect(cells.get("treeFigure")!).toContain("&lt;img");
  });

  test("junk in the link is ignored or clamped with a note; files never come from the link", () => {
    const { values, notes } = parseParams(params, "sample=..%2Fetc%2Fpasswd&freeGB=-5&lcSnapshots=99&lcEnd=%3Cscript%3E&dropped=x");
    expect(values.sample).toBe(DEFAULT_SAMPLE);
    expect(values.freeGB).toBe(0);
    expect(values.lcSnapshots).toBe(12);
    expect(values.lcEnd).toBe("deleteAll");
    expect(notes).toHaveLength(4);
    expect(Object.keys(values)).not.toContain("dropped");
  });

  test("pasted text is named by what it is", () => {
    const s = samples.find((x) => x.id === "09-vmsd-orphan-backup-snapshot")!;
    const text = (name: string) => s.files.find((f) => f.name === name)!.text;
    expect(namePasted(text("mail01-000002.vmdk"))).toBe("mail01-000002.vmdk");
    expect(namePasted(text("mail01.vmdk"))).toBe("mail01.vmdk");
    expect(namePasted(text("mail01.vmx"))).toBe("mail01.vmx");
    expect(namePasted(text("mail01.vmsd"))).toBe("pasted.vmsd");
    expect(namePasted(s.listing!)).toBe("pasted listing.txt");
    expect(namePasted('# Disk DescriptorFile\nCID=1\nRW 8 SESPARSE "/vmfs/volumes/ds1/vm/vm_1-000003-sesparse.vmdk"')).toBe("vm_1-000003.vmdk");
    expect(namePasted("# Disk DescriptorFile\nCID=1")).toBe("pasted.vmdk");
  });

  test("a large data file is named and refused without being read; a binary descriptor is sniffed, not read", async () => {
    const big = new File([new Uint8Array(5 * 2 ** 20)], "app01-flat.vmdk");
    let reads = 0;
    for (const method of ["text", "arrayBuffer", "slice", "stream", "bytes"] as const) {
      const original = (big as unknown as Record<string, unknown>)[method];
      if (typeof original === "function") {
        (big as unknown as Record<string, unknown>)[method] = (...args: unknown[]) => {
          reads++;
          return (original as (...a: unknown[]) => unknown).apply(big, args);
        };
      }
    }
    const entry = await readFile(big);
    expect(reads).toBe(0);
    expect(entry.file).toEqual({ name: "app01-flat.vmdk", size: 5 * 2 ** 20 });
    expect(entry.reason).toBe("app01-flat.vmdk is a data file (5 MiB); only its name and size are used.");
    const binary = await readFile(new File([new Uint8Array([75, 68, 77, 86, 0, 0, 1])], "vm.vmdk"));
    expect(binary.reason).toContain("binary");
    const small = await readFile(new File([samples[0].files[0].text], samples[0].files[0].name));
    expect(small.reason).toBeNull();
    expect(small.file.text).toBe(samples[0].files[0].text);
  });

  test("a single-file sparse disk: only its header and embedded descriptor are sliced, never the whole file", async () => {
    const descriptor = '# Disk DescriptorFile\nversion=1\nCID=dc80b6c7\nparentCID=ffffffff\ncreateType="monolithicSparse"\n\n# Extent description\nRW 8192 SPARSE "ext2.vmdk"\n';
    const bytes = new Uint8Array(256 * 1024);
    const view = new DataView(bytes.buffer);
    bytes.set([0x4b, 0x44, 0x4d, 0x56], 0);
    view.setUint32(28, 1, true);
    view.setUint32(36, 20, true);
    bytes.set(new TextEncoder().encode(descriptor), 512);
    const file = new File([bytes], "ext2.vmdk");
    const slices: string[] = [];
    const slice = file.slice.bind(file);
    (file as unknown as { slice: (a?: number, b?: number) => Blob }).slice = (a?: number, b?: number) => {
      slices.push(`${a}-${b}`);
      return slice(a, b);
    };
    (file as unknown as { text: () => never }).text = () => {
      throw new Error("the whole file was read");
    };
    const entry = await readFile(file);
    expect(slices).toEqual(["0-512", "512-10752"]);
    expect(entry.reason).toBeNull();
    expect(entry.file).toEqual({ name: "ext2.vmdk", size: 262144, text: descriptor, embedded: true });
  });

  test("the page's words: no '1 snapshots'-style plural, no folder slug, and every control label distinct", async () => {
    const labels = Object.values(params).map((p) => p.label);
    expect(new Set(labels).size).toBe(labels.length);
    for (const s of SAMPLE_LIST) {
      for (const lcSnapshots of [0, 1, 2]) {
        const cells = await renderStatic(notebook, { sample: s.id, lcSnapshots, lcPick: 1, lcWriteGB: 1, freeGB: 0 });
        for (const [name, cell] of cells) {
          const words = textOf(cell.html);
          expect(words, `${s.id} ${name}`).not.toMatch(/(?<![:.\d])\b1 (?!GiB|MiB|KiB|TiB|bytes)[a-z]+s\b/);
          expect(words, `${s.id} ${name}`).not.toContain(s.id);
        }
      }
    }
  }, 60_000);

  const { number: anyNumber, option: anyOption } = controlValues(params);

  test.prop(
    {
      sample: anyOption("sample"),
      freeGB: anyNumber("freeGB"),
      order: anyOption("order"),
      lcSnapshots: anyNumber("lcSnapshots"),
      lcWriteGB: anyNumber("lcWriteGB"),
      lcEnd: anyOption("lcEnd"),
      lcPick: anyNumber("lcPick"),
      lcDatastoreGB: anyNumber("lcDatastoreGB"),
      lcOtherGB: anyNumber("lcOtherGB"),
      lcDiskGB: anyNumber("lcDiskGB"),
      lcBase: anyOption("lcBase"),
      lcThinGB: anyNumber("lcThinGB"),
      lcOrder: anyOption("lcOrder"),
    },
    { numRuns: 150 },
  )("any combination of the controls renders every cell with no NaN, Infinity or undefined", async (values) => {
    const cells = await renderStatic(notebook, values);
    for (const [name, cell] of cells) {
      expect(cell.html, `${name} ${JSON.stringify(values)}`).not.toMatch(/NaN|Infinity|undefined/);
      expect(cell.html.length, name).toBeGreaterThan(0);
    }
    // A figure is drawn or says why not; the lifecycle is drawn whenever the datastore holds the disk.
    for (const name of FIGURES) {
      const html = cells.get(name)!.html;
      expect(cells.get(name)!.svg !== undefined || /figure-message/.test(html), name).toBe(true);
    }
  }, 120_000);

  test.prop(
    {
      sample: fc.constantFrom(...samples.map((s) => s.id)),
      drop: fc.array(fc.nat(), { maxLength: 4 }),
      mutations: fc.array(fc.record({ file: fc.nat(), at: fc.nat(), text: fc.string({ maxLength: 12 }) }), { maxLength: 4 }),
    },
    { numRuns: 100 },
  )("a damaged own folder (files left out, text mangled) still renders sentences, never NaN or a blank", async ({ sample, drop, mutations }) => {
    let files = samples.find((s) => s.id === sample)!.files.map((f) => ({ ...f }));
    for (const d of drop) if (files.length > 1) files.splice(d % files.length, 1);
    for (const m of mutations) {
      const f = files[m.file % files.length];
      const at = m.at % (f.text.length + 1);
      f.text = f.text.slice(0, at) + m.text + f.text.slice(at + m.text.length);
    }
    const cells = await renderWithFiles(files);
    for (const [name, html] of cells) {
      expect(html, name).not.toMatch(/NaN|Infinity|undefined/);
      expect(textOf(html).length, name).toBeGreaterThan(0);
    }
    const tree = cells.get("treeFigure")!;
    expect(/<svg/.test(tree) || /figure-message/.test(tree)).toBe(true);
  }, 120_000);

  test("figures are refusals or charts, never empty, for every sample", async () => {
    for (const s of samples) {
      const cells = await renderStatic(notebook, { sample: s.id });
      for (const name of FIGURES) {
        const html = cells.get(name)!.html;
        expect(html.length, `${s.id} ${name}`).toBeGreaterThan(100);
      }
    }
  });

  test("isRefusal is what tells the figures apart (sanity)", () => {
    expect(isRefusal({ title: "t", refusal: "r" })).toBe(true);
  });
});
