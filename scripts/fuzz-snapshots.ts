/**
 * Fuzzes the snapshot model: random bytes and random mutations of the shipped sample folders go
 * through analyze(); a case fails if anything is thrown or the result holds NaN or Infinity. Every
 * file of every case also goes through its parser twice, and the folder through analyze() twice: the
 * readable code in src/snapshots and the implementation before the rewrite, taken from git history
 * at a fixed commit (test/models/snapshots/differential.ts); a case fails if their results differ
 * (differential fuzz, issue 15). Without git history the differential part is skipped, with a note.
 * Usage: npx tsx scripts/fuzz-snapshots.ts [cases] [seed]   (default 100000 cases, seed 1)
 */
import { analyze, type Analysis } from "../src/snapshots/index.ts";
import { samples } from "../notebooks/snapshots/samples/index.ts";
import { loadReference, type ParserName } from "../test/models/snapshots/differential.ts";

const cases = Number(process.argv[2] ?? 100_000);
const seed = Number(process.argv[3] ?? 1);
if (!Number.isInteger(cases) || cases < 1 || !Number.isInteger(seed)) {
  console.error("usage: npx tsx scripts/fuzz-snapshots.ts [cases] [seed]");
  process.exit(2);
}

/** mulberry32: small, fast, reproducible. */
function rng(s: number) {
  let a = s >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const NAMES = ["vm.vmx", "vm.vmsd", "vm.vmdk", "vm-000001.vmdk", "vm-000002.vmdk", "vm_1.vmdk", "listing.txt", "vm-flat.vmdk", "vm-000001-delta.vmdk", "notes.log"];
const TOKENS = [
  "# Disk DescriptorFile",
  "CID=",
  "parentCID=ffffffff",
  'parentFileNameHint="',
  'createType="vmfsSparse"',
  'createType="seSparse"',
  "RW 83886080 VMFS ",
  "RW 99999999999999999999 VMFSSPARSE ",
  '"vm-000001.vmdk"',
  "/vmfs/volumes/x/vm.vmdk",
  'ddb.thinProvisioned = "1"',
  'scsi0:0.fileName = "',
  'scsi0:0.mode = "independent-persistent"',
  'snapshot0.uid = "',
  'snapshot0.parent = "0"',
  'snapshot.numSnapshots = "',
  "# allocated vm-flat.vmdk: ",
  "# free: ",
  "-rw------- 1 root root 1e400 Mar 14 09:30 vm-flat.vmdk",
  "\u0000",
  "\r\n",
  "\uFFFD",
  "=",
  '"',
  "x".repeat(5000),
  // for the differential check: spellings where a readable parser could part from the old one
  'rdonly 8 flat "vm-flat.vmdk" 0',
  "NOACCESS 16 ZERO",
  'RW 8 VMFS "vm-flat.vmdk" 1',
  'RW 8 SPARSE vm.vmdk 7x',
  'ddb.longContentID = "0123456789abcdef0123456789abcdef"',
  "DDB.ThinProvisioned=1",
  "version=4",
  'encoding="UTF-8"',
  'snapshot1.disk0.node = "scsi0:0"',
  'SNAPSHOT2.Disk12.FileName = "vm-000002.vmdk"',
  "snapshot.current",
  "total 12",
  "-rw------- 1 root root 12G Mar 14 09:30 vm-flat.vmdk",
  "128 vm-000001-delta.vmdk",
  "vm.vmdk 12 GB",
  "\u00a0",
  "\u212a",
  "\u0130",
  "\u00df",
  "\u017f",
  "\t",
  "\v",
];

function randomText(r: () => number, max: number): string {
  const n = Math.floor(r() * max);
  let s = "";
  const mode = r();
  for (let i = 0; i < n; i++) {
    if (mode < 0.3) s += String.fromCharCode(Math.floor(r() * 256));
    else if (mode < 0.5) s += String.fromCodePoint(Math.floor(r() * 0x10ffff) & ~0x800);
    else if (mode < 0.8) s += TOKENS[Math.floor(r() * TOKENS.length)] + (r() < 0.5 ? "\n" : "");
    else s += "0123456789abcdefABCDEF \n=\"#.:-"[Math.floor(r() * 30)];
  }
  return s;
}

function mutate(r: () => number, text: string): string {
  const at = () => Math.floor(r() * (text.length + 1));
  const op = Math.floor(r() * 9);
  switch (op) {
    case 0: {
      const i = at();
      return text.slice(0, i) + randomText(r, 40) + text.slice(i);
    }
    case 1: {
      const i = at();
      return text.slice(0, i) + text.slice(i + Math.floor(r() * 80));
    }
    case 2: {
      const lines = text.split("\n");
      const a = Math.floor(r() * lines.length);
      const b = Math.floor(r() * lines.length);
      [lines[a], lines[b]] = [lines[b], lines[a]];
      return lines.join("\n");
    }
    case 3: {
      const lines = text.split("\n");
      const a = Math.floor(r() * lines.length);
      lines.splice(a, 0, lines[a]);
      return lines.join("\n");
    }
    case 4:
      return text.slice(0, at());
    case 5: {
      const i = Math.floor(r() * text.length);
      return text.slice(0, i) + "0123456789abcdefXYZ"[Math.floor(r() * 19)] + text.slice(i + 1);
    }
    case 6:
      return text.replace(/\n/g, "\r\n");
    case 7: {
      // point a hint or a fileName at another file, or outside the folder
      const target = r() < 0.3 ? "/vmfs/volumes/ds2/other/x.vmdk" : NAMES[Math.floor(r() * NAMES.length)];
      return text.replace(/(parentFileNameHint|fileName) ?= ?"[^"\n]*"/, `$1="${target}"`);
    }
    default:
      return text + TOKENS[Math.floor(r() * TOKENS.length)];
  }
}

/** The parser a file name goes to, as classifyFiles decides (a .txt or anything else: a listing). */
function parserFor(name: string): ParserName {
  const lower = name.toLowerCase();
  return lower.endsWith(".vmx") ? "vmx" : lower.endsWith(".vmsd") ? "vmsd" : lower.endsWith(".vmdk") ? "descriptor" : "listing";
}

/** The first path to a non-finite number, or null. */
function nonFinite(value: unknown, path = "result", seen = new Set<unknown>()): string | null {
  if (typeof value === "number") return Number.isFinite(value) ? null : path;
  if (value === null || typeof value !== "object" || seen.has(value)) return null;
  seen.add(value);
  for (const [k, v] of Object.entries(value as Record<string, unknown>)) {
    const bad = nonFinite(v, `${path}.${k}`, seen);
    if (bad) return bad;
  }
  return null;
}

const reference = await loadReference();
if ("unavailable" in reference) console.warn(`differential check skipped: ${reference.unavailable}; only the robustness checks run`);
const differential = "unavailable" in reference ? null : reference;

let passed = 0;
let failed = 0;
const started = performance.now();
for (let c = 0; c < cases; c++) {
  const r = rng(seed * 1_000_003 + c);
  let files: { name: string; text: string; size?: number }[];
  let listing: string | null = null;
  if (r() < 0.3) {
    files = [];
    const n = Math.floor(r() * 8);
    for (let i = 0; i < n; i++) {
      const text = randomText(r, 400);
      files.push({ name: NAMES[Math.floor(r() * NAMES.length)], text, size: r() < 0.1 ? 3e9 : text.length });
    }
  } else {
    const sample = samples[Math.floor(r() * samples.length)];
    files = sample.files.map((f) => ({ ...f }));
    listing = sample.listing;
    const edits = 1 + Math.floor(r() * 8);
    for (let e = 0; e < edits; e++) {
      const k = Math.floor(r() * (files.length + 1));
      if (k === files.length) listing = mutate(r, listing ?? "");
      else files[k].text = mutate(r, files[k].text);
    }
    if (r() < 0.1 && files.length > 0) files.splice(Math.floor(r() * files.length), 1);
    if (r() < 0.05 && files.length > 0) files.push({ ...files[0] });
  }
  const options = {
    listing,
    datastoreFreeBytes: r() < 0.3 ? Math.floor(r() * 2 ** 40) : null,
    order: r() < 0.5 ? ("oldest-first" as const) : ("newest-first" as const),
  };
  try {
    const a: Analysis = analyze(files, options);
    const bad = nonFinite(a);
    if (bad) throw new Error(`non-finite number at ${bad}`);
    for (const f of a.findings) {
      if (typeof f.code !== "string" || typeof f.message !== "string" || typeof f.file !== "string") throw new Error("malformed finding");
    }
    if (differential) {
      for (const f of files) {
        const diff = differential.difference(parserFor(f.name), { name: f.name, text: f.text });
        if (diff) throw new Error(`new and old parser differ: ${diff}`);
      }
      if (listing !== null) {
        const diff = differential.difference("listing", { name: "pasted listing", text: listing });
        if (diff) throw new Error(`new and old parser differ: ${diff}`);
      }
      const analysisDiff = differential.analyzeDifference(files, options);
      if (analysisDiff) throw new Error(`new and old chain analysis differ: ${analysisDiff}`);
    }
    passed++;
  } catch (e) {
    failed++;
    if (failed <= 5) console.error(`case ${c} (seed ${seed}) failed: ${e instanceof Error ? e.stack : String(e)}`);
  }
}
const seconds = (performance.now() - started) / 1000;
console.log(`${passed} passed, ${failed} failed (${cases} cases, seed ${seed}, ${seconds.toFixed(1)} s${differential ? "" : ", without the differential check"})`);
process.exit(failed > 0 ? 1 : 0);
