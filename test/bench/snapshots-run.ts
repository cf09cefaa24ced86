/**
 * The snapshots benchmark's folder and its timed runs. snapshots.model.ts runs this file as a script,
 * once per measurement, each in a fresh Node process:
 *   node test/bench/snapshots-run.ts <analyze|parse> <disks> <warm-up runs> <timed runs>
 * It builds the folder, runs the step `warm-up runs` times untimed, then `timed runs` times, and
 * prints one line of JSON: each timed run's wall-clock and CPU time (ms) and the folder's size.
 */
import { snapshots } from "../../src/index.ts";
import type { DiskSpec, FolderSpec, SnapshotSpec } from "../../src/snapshots/index.ts";

export const LINKS = 40;

/** What one measurement prints. */
export interface RunResult {
  wallMs: number[];
  /** CPU time of the process (user + system, so with the garbage collector's helper threads). */
  cpuMs: number[];
  descriptors: number;
  descriptorBytes: number;
}

/** A VM folder of `disks` disks, each a base and links - 1 vmfsSparse deltas, with its .vmx, .vmsd and `ls -l` listing. */
export function benchFolder(disks: number, links = LINKS): { files: { name: string; text: string }[]; listing: string; descriptorBytes: number } {
  const specDisks: DiskSpec[] = [];
  for (let j = 0; j < disks; j++) {
    const stem = `vm_${j}`;
    const names = Array.from({ length: links }, (_, i) => (i === 0 ? `${stem}.vmdk` : `${stem}-${String(i).padStart(6, "0")}.vmdk`));
    specDisks.push({
      key: `scsi${Math.floor(j / 15)}:${j % 15}`,
      capacitySectors: 83886080 + j,
      leaf: names[links - 1],
      nodes: names.map((name, i) => ({
        name,
        cid: ((j * 7919 + i * 104729) >>> 0).toString(16).padStart(8, "0").slice(-8),
        parent: i === 0 ? null : names[i - 1],
        createType: i === 0 ? "vmfs" : "vmfsSparse",
        extentType: i === 0 ? "VMFS" : "VMFSSPARSE",
        dataFile: i === 0 ? `${stem}-flat.vmdk` : name.replace(".vmdk", "-delta.vmdk"),
        thin: i === 0 && j % 2 === 1,
        sizeBytes: i === 0 ? (83886080 + j) * 512 : (i * 1_048_576 * 37) % 2 ** 34,
        allocatedBytes: i === 0 && j % 2 === 1 ? 2 ** 34 : undefined,
      })),
    });
  }
  const snaps: SnapshotSpec[] = Array.from({ length: links - 1 }, (_, i) => ({
    uid: i + 1,
    parentUid: i === 0 ? null : i,
    displayName: `nightly ${i + 1}`,
    createdUnixMs: 1_331_712_000_000 + i * 86_400_000,
    disks: specDisks.map((d) => ({ node: d.key, fileName: d.nodes[i].name })),
  }));
  const spec: FolderSpec = { vmName: "vm", disks: specDisks, snapshots: snaps, currentUid: links - 1 };
  const { files, listing } = snapshots.serializeFolder(spec);
  let descriptorBytes = 0;
  for (const f of files) if (f.name.endsWith(".vmdk")) descriptorBytes += f.text.length;
  return { files, listing, descriptorBytes };
}

/** Times `what` on a folder of `disks` disks: the whole analyze(), or parseDescriptor on each descriptor alone. */
export function measure(what: "analyze" | "parse", disks: number, warmRuns: number, timedRuns: number): RunResult {
  const folder = benchFolder(disks);
  const descriptors = folder.files.filter((f) => f.name.endsWith(".vmdk"));
  const run =
    what === "analyze"
      ? () => snapshots.analyze(folder.files, { listing: folder.listing })
      : () => {
          for (const f of descriptors) snapshots.parseDescriptor(f);
        };
  for (let i = 0; i < warmRuns; i++) run();
  const wallMs: number[] = [];
  const cpuMs: number[] = [];
  for (let i = 0; i < timedRuns; i++) {
    const cpuStart = process.cpuUsage();
    const start = performance.now();
    run();
    wallMs.push(performance.now() - start);
    const used = process.cpuUsage(cpuStart);
    cpuMs.push((used.user + used.system) / 1000);
  }
  return { wallMs, cpuMs, descriptors: descriptors.length, descriptorBytes: folder.descriptorBytes };
}

if (import.meta.main) {
  const [what, disks, warmRuns, timedRuns] = process.argv.slice(2);
  if (what !== "analyze" && what !== "parse") throw new Error(`expected analyze or parse, got ${what}`);
  console.log(JSON.stringify(measure(what, Number(disks), Number(warmRuns), Number(timedRuns))));
}
