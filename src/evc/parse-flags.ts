/**
 * Any CPU a reader has: the `flags` line of /proc/cpuinfo (or `lscpu`'s "Flags:" line, or CPUID feature names as
 * vSphere lists them, such as `cpuid.SSE41`) for each host, turned into hosts the EVC model can judge: the
 * highest mode each host supports, the mode the cluster can run, and what VMs on each host would lose under it.
 * Source: models/evc.md §1-§2 (feature sets, supports, masking); Linux /proc/cpuinfo flag names as in
 * baselines.json `flagNaming`. Pure: the text is parsed here and nothing else; nothing is sent anywhere.
 * Simplifications: a host is one flags line (a full /proc/cpuinfo dump counts as one host: entries after
 * "processor : 0" add nothing unless their flags differ); the vendor comes from a `vendor_id` line or, failing
 * that, from flags only one vendor reports; vSphere's CPUID names are mapped by a table we wrote from the names
 * as we know them [A], so an unmapped one is reported as not recognised rather than guessed.
 * Never throws on any string: everything wrong with the text becomes a finding (a sentence) instead.
 */
import { ModelInputError } from "../shared/index.ts";
import { IGNORED_FLAGS, SPECULATION_FLAGS, listBaselines, listCpus, type Vendor } from "./data.ts";
import { highestCommonBaseline, type HighestBaselineAnswer } from "./baselines.ts";
import { makeHost, type Host } from "./host.ts";
import { maskHost } from "./masking.ts";

export const MAX_PASTED_HOSTS = 16;
export const MAX_PASTE_CHARS = 200_000;

/** Every flag some mode or shipped CPU in the data compares. */
const COMPARED: ReadonlySet<string> = new Set([...listBaselines().flatMap((b) => b.featureList), ...listCpus().flatMap((c) => c.featureList)]);

/**
 * Linux flag names that describe power management, performance counters, cache QoS, virtualization support,
 * TSX or the kernel's own bookkeeping: real, recognised, but never part of an EVC comparison.
 */
const NOT_COMPARED: ReadonlySet<string> = new Set([
  ...IGNORED_FLAGS,
  ...SPECULATION_FLAGS,
  ...["hle", "rtm"],
  ...["acpi", "aperfmperf", "arch_perfmon", "art", "bts", "constant_tsc", "cpuid", "cpuid_fault", "dca", "ds_cpl", "dtes64", "dtherm", "dts"],
  ...["eagerfpu", "epb", "est", "ht", "hwp", "hwp_act_window", "hwp_epp", "hwp_notify", "hwp_pkg_req", "ida", "nonstop_tsc", "nopl", "pbe"],
  ...["pdcm", "pebs", "pln", "pts", "rep_good", "sdbg", "smx", "ss", "tm", "tm2", "tsc_adjust", "tsc_known_freq", "xtopology", "xtpr", "pti"],
  ...["cat_l2", "cat_l3", "cdp_l2", "cdp_l3", "cqm", "cqm_llc", "cqm_mbm_local", "cqm_mbm_total", "cqm_occup_llc", "mba", "rdt_a", "intel_ppin"],
  ...["intel_pt", "invpcid_single", "ospke", "split_lock_detect", "bus_lock_detect", "tme", "hypervisor", "ring3mwait", "user_shstk", "ibt"],
  ...["ept", "ept_ad", "flexpriority", "tpr_shadow", "vnmi", "vpid", "avic", "decodeassists", "flushbyasid", "lbrv", "npt", "nrip_save"],
  ...["pausefilter", "pfthreshold", "svm_lock", "tsc_scale", "v_vmsave_vmload", "vgif", "vmcb_clean", "x2avic", "vmmcall", "sev", "sev_es"],
  ...["sev_snp", "sme", "skinit", "amd_dcm", "amd_ppin", "bpext", "cmp_legacy", "cpb", "cppc", "cr8_legacy", "extapic", "extd_apicid"],
  ...["hw_pstate", "ibs", "irperf", "mwaitx", "nodeid_msr", "osvw", "overflow_recov", "perfctr_llc", "perfctr_nb", "perfmon_v2", "rapl"],
  ...["rdpru", "smca", "succor", "tce", "topoext", "wdt", "xsaveerptr", "amd_lbr_v2", "amd_lbr_pmc_freeze"],
]);

/**
 * vSphere's CPUID feature names (as in `cpuid.SSE41`) -> /proc/cpuinfo names. Written from the names as we know
 * them [A]; anything else is tried in lower case and otherwise reported as not recognised.
 */
const VSPHERE_NAMES: Readonly<Record<string, string>> = {
  SSE3: "pni", SSSE3: "ssse3", SSE41: "sse4_1", SSE42: "sse4_2", SSE4A: "sse4a", POPCNT: "popcnt", AES: "aes", PCLMULQDQ: "pclmulqdq",
  AVX: "avx", XSAVE: "xsave", XSAVEOPT: "xsaveopt", XSAVEC: "xsavec", XSAVES: "xsaves", XGETBV_ECX1: "xgetbv1", RDTSCP: "rdtscp",
  PCID: "pcid", INVPCID: "invpcid", F16C: "f16c", RDRAND: "rdrand", RDSEED: "rdseed", FSGSBASE: "fsgsbase", SMEP: "smep", SMAP: "smap",
  ENFSTRG: "erms", ERMS: "erms", FSRM: "fsrm", AVX2: "avx2", BMI1: "bmi1", BMI2: "bmi2", FMA: "fma", FMA4: "fma4", MOVBE: "movbe",
  ABM: "abm", LZCNT: "abm", ADX: "adx", "3DNPREFETCH": "3dnowprefetch", "3DNOW": "3dnow", "3DNOWPLUS": "3dnowext", MMXEXT: "mmxext",
  FFXSR: "fxsr_opt", LAHF64: "lahf_lm", CMPXCHG16B: "cx16", NX: "nx", LM: "lm", MISALIGNED_SSE: "misalignsse", XOP: "xop", TBM: "tbm",
  AVX512F: "avx512f", AVX512CD: "avx512cd", AVX512DQ: "avx512dq", AVX512BW: "avx512bw", AVX512VL: "avx512vl", AVX512VNNI: "avx512_vnni",
  AVX512IFMA: "avx512ifma", AVX512VBMI: "avx512vbmi", AVX512VBMI2: "avx512_vbmi2", AVX512BITALG: "avx512_bitalg",
  AVX512VPOPCNTDQ: "avx512_vpopcntdq", AVX512BF16: "avx512_bf16", AVX512FP16: "avx512_fp16", AVX_VNNI: "avx_vnni", SHA: "sha_ni",
  GFNI: "gfni", VAES: "vaes", VPCLMULQDQ: "vpclmulqdq", CLFLUSHOPT: "clflushopt", CLWB: "clwb", PKU: "pku", RDPID: "rdpid", UMIP: "umip",
  WBNOINVD: "wbnoinvd", CLZERO: "clzero", AMX_BF16: "amx_bf16", AMX_INT8: "amx_int8", AMX_TILE: "amx_tile", SERIALIZE: "serialize",
  TSXLDTRK: "tsxldtrk", CLDEMOTE: "cldemote", MOVDIRI: "movdiri", MOVDIR64B: "movdir64b", HLE: "hle", RTM: "rtm",
};

/** Flags only one vendor's CPUs report in /proc/cpuinfo; enough to tell the vendor when no vendor_id line came along. */
const VENDOR_MARKS: Readonly<Record<Vendor, readonly string[]>> = {
  intel: ["vmx", "est", "tm2", "ds_cpl", "dtes64", "xtpr", "pdcm", "pebs", "arch_perfmon", "smx", "intel_pt"],
  amd: ["svm", "sse4a", "mmxext", "fxsr_opt", "cmp_legacy", "extapic", "misalignsse", "3dnow", "topoext", "clzero"],
};

/** The /proc/cpuinfo and lscpu keys whose lines are read (vendor, model name) or skipped without a finding. */
const INFO_KEYS = new Set([
  "processor", "vendor_id", "vendor id", "cpu family", "model", "model name", "stepping", "microcode", "cpu mhz", "cache size",
  "physical id", "siblings", "core id", "cpu cores", "apicid", "initial apicid", "fpu", "fpu_exception", "cpuid level", "wp", "bugs",
  "bogomips", "tlb size", "clflush size", "cache_alignment", "address sizes", "power management", "vmx flags", "architecture",
  "cpu op-mode(s)", "byte order", "cpu(s)", "on-line cpu(s) list", "thread(s) per core", "core(s) per socket", "socket(s)",
]);

const TOKEN = /^[a-z0-9_]{1,40}$/;

export interface PastedHost {
  /** 1-based position in the paste, as the reader counts. */
  number: number;
  /** The `model name` line when the paste had one, else "Host 2". */
  label: string;
  vendor: Vendor | null;
  /** The compared flags recognised for this host, sorted. */
  compared: string[];
  /** Recognised flags that no EVC mode compares (power, counters, virtualization, speculation control). */
  notCompared: string[];
  /** Tokens that are not a CPU flag we know, as the reader wrote them. */
  unknown: string[];
  /** The model's host, or null when the vendor could not be told or no flag was recognised. */
  host: Host | null;
  /** The highest mode this host alone supports, or null with `host`. */
  highest: HighestBaselineAnswer | null;
}

export interface HostLoss {
  number: number;
  label: string;
  /** What VMs powered on on this host would no longer see under the cluster's mode. */
  masked: string[];
}

export interface PasteFindings {
  hosts: PastedHost[];
  /** The cluster of every usable pasted host, or null when fewer than one host could be judged. */
  cluster: HighestBaselineAnswer | null;
  losses: HostLoss[];
  /** Sentences about the text itself: nothing pasted, unknown tokens, undecidable vendor, too many hosts. */
  findings: string[];
}

interface Draft {
  label: string | null;
  vendor: Vendor | null;
  tokens: string[];
  /** The flags line came from a /proc/cpuinfo entry (after a "processor :" line). */
  inDump: boolean;
  /** The flags came from lscpu's "Flags:" line, which lscpu wraps onto indented lines. */
  wraps: boolean;
  /** A vSphere listing, one "cpuid.X = 1" per line, which goes on until a blank line. */
  listing: boolean;
}

function vendorFromId(value: string): Vendor | null {
  const v = value.trim().toLowerCase();
  if (v.includes("intel")) return "intel";
  if (v.includes("amd") || v.includes("hygon")) return "amd";
  return null;
}

/** A token as the reader wrote it -> a /proc/cpuinfo flag name, or null when it is not one we can read. */
function flagName(raw: string): string | null {
  const bare = raw.replace(/^cpuid\./i, "");
  const mapped = VSPHERE_NAMES[bare.toUpperCase()];
  if (mapped && (bare === bare.toUpperCase() || raw.toLowerCase().startsWith("cpuid."))) return mapped;
  const lower = bare.toLowerCase();
  return TOKEN.test(lower) && (COMPARED.has(lower) || NOT_COMPARED.has(lower)) ? lower : null;
}

/** Splits the text into host drafts: one per flags line, a /proc/cpuinfo dump's processors folded into one. */
function drafts(text: string, findings: string[]): Draft[] {
  const out: Draft[] = [];
  let label: string | null = null;
  let vendor: Vendor | null = null;
  let processor: number | null = null;
  // A blank line ends a vSphere listing and lscpu's wrapped flags, so that two hosts can follow each other.
  let afterBlank = false;
  for (const rawLine of text.split(/\r?\n/)) {
    const line = rawLine.trim();
    if (line === "") {
      afterBlank = true;
      continue;
    }
    const last = out.at(-1);
    const blankBefore = afterBlank;
    afterBlank = false;
    if (last?.wraps && !blankBefore && /^\s/.test(rawLine) && !line.includes(":")) {
      last.tokens.push(...line.split(/[\s,;]+/).filter(Boolean));
      continue;
    }
    const keyed = /^([A-Za-z][A-Za-z0-9 _()\-]*?)\s*:\s*(.*)$/.exec(line);
    const key = keyed ? keyed[1].trim().toLowerCase() : null;
    if (keyed && key !== null && INFO_KEYS.has(key)) {
      const value = keyed[2];
      if (key === "processor") processor = Number.parseInt(value, 10);
      else if (key === "vendor_id" || key === "vendor id") vendor = vendorFromId(value);
      else if (key === "model name") label = value.replace(/\s+/g, " ").trim().slice(0, 120) || null;
      continue;
    }
    // vSphere's "cpuid.X = 1" / "cpuid.X: 0": one name per line with a value; 0 means the host lacks it.
    const valued = /^(cpuid\.[A-Za-z0-9_]+)\s*[=:]\s*(\S+)$/i.exec(line);
    if (valued) {
      const has = !["0", "false", "no"].includes(valued[2].toLowerCase());
      if (last?.listing && !blankBefore) {
        if (has) last.tokens.push(valued[1]);
      } else {
        out.push({ label, vendor, tokens: has ? [valued[1]] : [], inDump: false, wraps: false, listing: true });
        label = null;
        vendor = null;
      }
      continue;
    }
    // A flags line: "flags : …", lscpu's "Flags: …", or bare names ("fpu vme …", "cpuid.SSE41 cpuid.AVX").
    const isKeyedFlags = keyed !== null && key === "flags";
    const tokens = (isKeyedFlags ? keyed[2] : line).split(/[\s,;]+/).filter(Boolean);
    if (processor !== null && processor > 0 && last?.inDump) {
      if (tokens.join(" ") !== last.tokens.join(" ")) {
        findings.push(`Processor ${processor} of ${last.label ?? `host ${out.length}`} lists different flags from the first processor; only the first one's are used.`);
      }
    } else {
      out.push({ label, vendor, tokens, inDump: processor !== null, wraps: isKeyedFlags && /^Flags:/.test(line), listing: false });
    }
    // The next host needs its own model name; a dump's vendor holds for all its processors.
    label = null;
    if (processor === null) vendor = null;
    processor = null;
  }
  return out;
}

function plural(n: number, one: string, many = `${one}s`): string {
  return `${n} ${n === 1 ? one : many}`;
}

function quoteList(items: readonly string[], max = 12): string {
  const shown = items.slice(0, max).map((t) => `“${t}”`);
  const rest = items.length > max ? ` and ${items.length - max} more` : "";
  return shown.length <= 1 ? `${shown.join("")}${rest}` : `${shown.slice(0, -1).join(", ")}${rest ? ", " : " and "}${shown.at(-1)}${rest}`;
}

function judge(draft: Draft, number: number, findings: string[]): PastedHost {
  const label = draft.label ?? `Host ${number}`;
  const compared = new Set<string>();
  const notCompared = new Set<string>();
  const unknown: string[] = [];
  for (const token of draft.tokens) {
    const flag = flagName(token);
    if (flag === null) {
      if (!unknown.includes(token)) unknown.push(token.slice(0, 60));
    } else if (COMPARED.has(flag) && !NOT_COMPARED.has(flag)) compared.add(flag);
    else notCompared.add(flag);
  }
  let vendor = draft.vendor;
  if (vendor === null) {
    const all = new Set([...compared, ...notCompared]);
    const intel = VENDOR_MARKS.intel.some((f) => all.has(f));
    const amd = VENDOR_MARKS.amd.some((f) => all.has(f));
    vendor = intel === amd ? null : intel ? "intel" : "amd";
  }
  if (unknown.length > 0) {
    findings.push(`${label}: ${plural(unknown.length, "word was", "words were")} not recognised as CPU flags and left out: ${quoteList(unknown)}.`);
  }
  const base = { number, label, vendor, compared: [...compared].sort(), notCompared: [...notCompared].sort(), unknown };
  if (compared.size === 0) {
    findings.push(`${label}: no CPU flag an EVC mode compares was found, so this host cannot be judged. Paste the whole "flags" line of /proc/cpuinfo.`);
    return { ...base, host: null, highest: null };
  }
  if (vendor === null) {
    findings.push(`${label}: cannot tell whether this is an Intel or an AMD CPU from its flags. Paste its "vendor_id" line above the flags line.`);
    return { ...base, host: null, highest: null };
  }
  const host = makeHost({ id: `Host ${number}`, name: label, vendor, features: base.compared });
  return { ...base, host, highest: highestCommonBaseline([host]) };
}

/**
 * Reads pasted flag lines, one host each. Throws only when `text` is not a string (a caller's bug); any string,
 * however wrong, gives findings instead.
 */
export function parsePastedHosts(text: string): PasteFindings {
  if (typeof text !== "string") throw new ModelInputError("text", text, "the pasted text, a string");
  const findings: string[] = [];
  let body = text;
  if (body.length > MAX_PASTE_CHARS) {
    findings.push(`The text is longer than ${MAX_PASTE_CHARS.toLocaleString("en-US")} characters; only the start was read.`);
    body = body.slice(0, MAX_PASTE_CHARS);
  }
  let all = drafts(body, findings);
  if (all.length === 0) {
    findings.push('Nothing to read yet: paste the "flags" line of /proc/cpuinfo for each host, one host per line.');
    return { hosts: [], cluster: null, losses: [], findings };
  }
  if (all.length > MAX_PASTED_HOSTS) {
    findings.push(`Only the first ${MAX_PASTED_HOSTS} hosts are read; ${all.length - MAX_PASTED_HOSTS} more were left out.`);
    all = all.slice(0, MAX_PASTED_HOSTS);
  }
  const hosts = all.map((d, i) => judge(d, i + 1, findings));
  const judged = hosts.filter((x): x is PastedHost & { host: Host } => x.host !== null);
  if (judged.length === 0) return { hosts, cluster: null, losses: [], findings };
  const cluster = highestCommonBaseline(judged.map((x) => x.host));
  const losses = cluster.found ? judged.map((x) => ({ number: x.number, label: x.label, masked: maskHost(x.host, cluster.baseline.id).masked })) : [];
  return { hosts, cluster, losses, findings };
}
