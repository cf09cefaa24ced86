/**
 * Differential check of the snapshot parsers and chain analysis (src/snapshots) against the
 * implementation before the readable rewrite of issue 15 (the speed-bent parsers and the 1257-line
 * chain.ts). That implementation is not kept in the tree: it is taken from git history at
 * REFERENCE_COMMIT (`git ls-tree` / `git show` of src/snapshots and src/shared) into a folder under
 * the system's temporary directory, once per commit, and imported from there. Without git history
 * (a source tarball, a shallow clone) loadReference() says why and the callers skip the comparison.
 * Both get the same input; their results (values and findings, in order) must be equal, except for
 * the fixes listed at withoutFixed (parsers) and withoutKnownDifferences (analyze).
 */
import { execFileSync } from "node:child_process";
import { existsSync, mkdirSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { analyze, MAX_LINE_CHARS, parseDescriptor, parseListing, parseVmsd, parseVmx, type AnalyzeOptions, type DroppedFile } from "../../../src/snapshots/index.ts";
import { baseName } from "../../../src/snapshots/text.ts";

/** The last commit with the implementation before the rewrite (parsers and chain analysis alike). */
export const REFERENCE_COMMIT = "e6a0391ea783ac89c718e54f0dd827b37f2bdce0";
/** The folders of that commit the old implementation needs (it imports ../shared). */
const REFERENCE_FOLDERS = ["src/snapshots", "src/shared"];

export interface FileText {
  name: string;
  text: string;
}

/** What the comparison calls in the old implementation: its public functions, results as plain data. */
interface OldSnapshots {
  analyze(files: readonly DroppedFile[], options: AnalyzeOptions): unknown;
  parseDescriptor(file: FileText): unknown;
  parseVmx(file: FileText): unknown;
  parseVmsd(file: FileText): unknown;
  parseListing(file: FileText): unknown;
}

export type ParserName = "descriptor" | "vmx" | "vmsd" | "listing";

export interface Differential {
  /** The first difference between the new and the old parser on `file`, described, or null when they agree. */
  difference(parser: ParserName, file: FileText): string | null;
  /** The first difference between analyze() now and before the rewrite, or null. */
  analyzeDifference(files: readonly DroppedFile[], options: AnalyzeOptions): string | null;
}

const repoRoot = fileURLToPath(new URL("../../../", import.meta.url));

function git(args: string[]): string {
  return execFileSync("git", args, { cwd: repoRoot, encoding: "utf8", maxBuffer: 64 * 1024 * 1024, stdio: ["ignore", "pipe", "pipe"] });
}

/**
 * The old implementation's folder under the temporary directory, written from git on first use
 * (into a scratch folder renamed into place, so parallel test workers never see half a copy).
 */
function materialise(): string {
  const target = join(tmpdir(), `vsphere-explorables-snapshots-reference-${REFERENCE_COMMIT.slice(0, 12)}`);
  if (existsSync(join(target, "complete"))) return target;
  const scratch = `${target}.${process.pid}.${Date.now()}`;
  for (const path of git(["ls-tree", "-r", "--name-only", REFERENCE_COMMIT, "--", ...REFERENCE_FOLDERS]).split("\n").filter(Boolean)) {
    mkdirSync(dirname(join(scratch, path)), { recursive: true });
    writeFileSync(join(scratch, path), git(["show", `${REFERENCE_COMMIT}:${path}`]));
  }
  writeFileSync(join(scratch, "complete"), `${REFERENCE_COMMIT}\n`);
  try {
    renameSync(scratch, target);
  } catch {
    // another worker put its copy in place first: use that one
    rmSync(scratch, { recursive: true, force: true });
  }
  return target;
}

/**
 * The differential check, or the reason it cannot run (no git, or the commit is not in this
 * clone's history, e.g. a shallow clone).
 */
export async function loadReference(): Promise<Differential | { unavailable: string }> {
  try {
    git(["cat-file", "-e", `${REFERENCE_COMMIT}^{commit}`]);
  } catch {
    return { unavailable: `the reference implementation comes from git history (commit ${REFERENCE_COMMIT.slice(0, 12)}), which this checkout does not have (no git, or a shallow clone)` };
  }
  const folder = materialise();
  const old = (await import(pathToFileURL(join(folder, "src/snapshots/index.ts")).href)) as OldSnapshots;
  return differential(old);
}

/** A JSON text with object keys sorted, so that the order fields were set in does not matter. */
function canonical(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) => {
    if (v === null || typeof v !== "object" || Array.isArray(v)) return v;
    const sorted: Record<string, unknown> = {};
    for (const k of Object.keys(v as object).sort()) sorted[k] = (v as Record<string, unknown>)[k];
    return sorted;
  });
}

const NOW = { descriptor: parseDescriptor, vmx: parseVmx, vmsd: parseVmsd, listing: parseListing } as const;

/** Numbers of the lines of `text` longer than MAX_LINE_CHARS (they are cut). */
function cutLines(text: string): Set<number> {
  return new Set(text.split("\n").flatMap((l, i) => (l.replace(/\r$/, "").length > MAX_LINE_CHARS ? [i + 1] : [])));
}

interface LooseFinding {
  code: string;
  message: string;
  file: string;
  line?: number;
}

/**
 * A fix since the reference: an extent line cut at the length limit that lost its closing quote to
 * the cut now gets only the long-line notice, not also "the file name has no closing quote".
 */
function isFixedCutExtent(f: LooseFinding, cut: ReadonlySet<number>): boolean {
  return f.code === "BAD_EXTENT" && f.line !== undefined && cut.has(f.line) && f.message.includes("has no closing quote");
}

/** The old descriptor parser's result without what the new one fixes (isFixedCutExtent). */
function withoutFixed(parser: ParserName, file: FileText, result: unknown): unknown {
  if (parser !== "descriptor") return result;
  const r = result as { findings: LooseFinding[] };
  const cut = cutLines(file.text);
  return { ...r, findings: r.findings.filter((f) => !isFixedCutExtent(f, cut)) };
}

/**
 * Intended differences between analyze() now and before the rewrite, each a fix:
 * - one rule for "does the listing still show this descriptor" (listedAs): a .vmsd entry whose
 *   descriptor is missing but whose -flat data file is listed now says the listing shows it, as a
 *   missing parent always did. The comparison leaves that sentence out.
 * - the cut extent line of withoutFixed, in the old analysis's findings.
 */
function withoutKnownDifferences(text: string): string {
  return text.replace(/ \((?:and [^()]* does not list it|[^()]* shows [^()]*: drop [^()]* too)\): the disks do not have this snapshot/g, ": the disks do not have this snapshot");
}

function withoutFixedInAnalysis(files: readonly DroppedFile[], result: unknown): unknown {
  const r = result as { findings: LooseFinding[] };
  const cutByFile = new Map<string, Set<number>>();
  for (const f of files) if (f.text !== undefined) cutByFile.set(baseName(f.name), cutLines(f.text));
  return { ...r, findings: r.findings.filter((f) => !isFixedCutExtent(f, cutByFile.get(f.file) ?? new Set())) };
}

/** The first place two canonical texts differ, shown with some context. */
function firstDifference(label: string, now: string, before: string, context: number): string | null {
  if (now === before) return null;
  let at = 0;
  while (at < now.length && now[at] === before[at]) at++;
  return `${label} differs at ${at}:\n  now:    ${now.slice(Math.max(0, at - context), at + context + 40)}\n  before: ${before.slice(Math.max(0, at - context), at + context + 40)}`;
}

function differential(old: OldSnapshots): Differential {
  const before = { descriptor: old.parseDescriptor, vmx: old.parseVmx, vmsd: old.parseVmsd, listing: old.parseListing } as const;
  return {
    difference(parser, file) {
      const now = canonical(NOW[parser](file));
      const then = canonical(withoutFixed(parser, file, before[parser](file)));
      return firstDifference(`${parser} ${JSON.stringify(file.name)}`, now, then, 80);
    },
    analyzeDifference(files, options) {
      const now = withoutKnownDifferences(canonical(analyze(files, options)));
      const then = withoutKnownDifferences(canonical(withoutFixedInAnalysis(files, old.analyze(files, options))));
      return firstDifference("analyze", now, then, 120);
    },
  };
}
