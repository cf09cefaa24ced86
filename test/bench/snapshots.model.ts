/**
 * Times the descriptor parser alone and the whole snapshots.analyze() (parse every file + chains +
 * sizes + commit space + findings) on a large synthetic VM folder: many disks, each with a long chain
 * of vmfsSparse deltas, a .vmx, a .vmsd with one entry per snapshot and disk, and an `ls -l` listing.
 * Reports the throughput in MB/s of descriptor text (each time over the descriptor bytes only;
 * budget >= 50 MB/s for analyze) and the time ratio for 4x the input (linear time: about 4). Each
 * is run a few times before it is timed. analyze() is also reported by the process's CPU time, which
 * other processes on a shared machine disturb far less than wall-clock time; the linearity ratio is
 * taken from CPU times for that reason (a loaded machine stretches single wall-clock runs unevenly).
 */
import { snapshots } from "../../src/index.ts";
import type { DiskSpec, FolderSpec, SnapshotSpec } from "../../src/snapshots/index.ts";
import { median, timeRuns, type BenchRow, type ModelBench } from "./types.ts";

const LINKS = 40;
const DISKS = 200;
const BUDGET_MBPS = 50;
const MAX_RATIO = 6;

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

/** Like timeRuns, but each run's CPU time of this process (user + system), in ms. */
function cpuRuns(fn: () => unknown, repeats: number): number[] {
  fn();
  const times: number[] = [];
  for (let i = 0; i < repeats; i++) {
    const start = process.cpuUsage();
    fn();
    const used = process.cpuUsage(start);
    times.push((used.user + used.system) / 1000);
  }
  return times;
}

const bench: ModelBench = ({ smoke }) => {
  const repeats = smoke ? 5 : 15;
  const one = benchFolder(DISKS);
  const four = benchFolder(DISKS * 4);
  const runOne = () => snapshots.analyze(one.files, { listing: one.listing });
  const runFour = () => snapshots.analyze(four.files, { listing: four.listing });
  const descriptors = one.files.filter((f) => f.name.endsWith(".vmdk"));
  const parseOne = () => {
    for (const f of descriptors) snapshots.parseDescriptor(f);
  };
  // warm up first (a page analyses a dropped folder with warm code after the first drop)
  for (let i = 0; i < (smoke ? 4 : 8); i++) {
    runOne();
    parseOne();
  }
  runFour();
  const tParse = median(timeRuns(parseOne, repeats));
  const t1 = median(timeRuns(runOne, repeats));
  const cpu1 = median(cpuRuns(runOne, repeats));
  const cpu4 = median(cpuRuns(runFour, repeats));
  const parseMbps = one.descriptorBytes / 1e6 / (tParse / 1000);
  const mbps = one.descriptorBytes / 1e6 / (t1 / 1000);
  const ratio = cpu4 / cpu1;
  const rows: BenchRow[] = [
    {
      name: `snapshots parseDescriptor alone, ${descriptors.length} descriptors (${(one.descriptorBytes / 1e6).toFixed(1)} MB)`,
      value: Math.round(parseMbps * 10) / 10,
      unit: "MB/s",
      budget: "(reported; analyze's budget below includes it)",
      pass: true,
    },
    {
      name: `snapshots analyze ${DISKS} disks x ${LINKS} links (${(one.descriptorBytes / 1e6).toFixed(1)} MB of descriptors)`,
      value: Math.round(mbps * 10) / 10,
      unit: "MB/s",
      budget: `>= ${BUDGET_MBPS} MB/s`,
      pass: mbps >= BUDGET_MBPS,
    },
    {
      name: `snapshots analyze ${DISKS} disks x ${LINKS} links, by CPU time of the process`,
      value: Math.round((one.descriptorBytes / 1e6 / (cpu1 / 1000)) * 10) / 10,
      unit: "MB/s",
      budget: "(reported; less disturbed by other processes than the wall-clock figure above)",
      pass: true,
    },
    {
      name: `snapshots analyze linearity: CPU time for 4x input / CPU time for 1x (${(four.descriptorBytes / 1e6).toFixed(1)} MB vs ${(one.descriptorBytes / 1e6).toFixed(1)} MB)`,
      value: Math.round(ratio * 100) / 100,
      unit: "ratio",
      budget: `<= ${MAX_RATIO} (linear: about 4)`,
      pass: ratio <= MAX_RATIO,
    },
  ];
  return rows;
};

export default bench;
