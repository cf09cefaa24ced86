/**
 * Every EVC baseline against an independent feature list: libvirt's x86 CPU models, transcribed by hand into
 * reference/libvirt-cpu-map.json (file and commit per model). A baseline must equal its libvirt model, renamed to
 * /proc/cpuinfo spelling, without the flag groups no mode compares, plus and minus exactly the differences
 * listed below, each with its reason (the same reasons the data's `featureSource` gives the reader).
 */
import { describe, expect, test } from "vitest";
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { evc } from "../../../src/index.ts";

interface Reference {
  models: Record<string, { file: string; commit: string; features: string[] }>;
}
const reference: Reference = JSON.parse(readFileSync(fileURLToPath(new URL("./reference/libvirt-cpu-map.json", import.meta.url)), "utf8"));

/** libvirt spelling -> Linux /proc/cpuinfo spelling, where they differ. */
const LINUX_NAME: Record<string, string> = {
  "sse4.1": "sse4_1",
  "sse4.2": "sse4_2",
  pclmuldq: "pclmulqdq",
  "sha-ni": "sha_ni",
  avx512vnni: "avx512_vnni",
  "avx512-vpopcntdq": "avx512_vpopcntdq",
  avx512bitalg: "avx512_bitalg",
  avx512vbmi2: "avx512_vbmi2",
  "avx512-bf16": "avx512_bf16",
  "avx512-fp16": "avx512_fp16",
  "amx-bf16": "amx_bf16",
  "amx-int8": "amx_int8",
  "amx-tile": "amx_tile",
  "avx-vnni": "avx_vnni",
  "tsx-ldtrk": "tsxldtrk",
  "tsc-deadline": "tsc_deadline_timer",
  cr8legacy: "cr8_legacy",
};

/** Flag groups no EVC mode in the data compares (baselines.json `flagNaming`), in libvirt spelling. */
const NOT_COMPARED = new Set([
  // virtualization and platform flags
  ...["svm", "x2apic", "tsc-deadline", "arat", "monitor", "pdpe1gb", "vme", "mpx", "npt", "nrip-save", "svme-addr-chk", "vnmi"],
  // TSX
  ...["hle", "rtm"],
  // speculation control
  ...["spec-ctrl", "ssbd", "amd-ssbd", "amd-stibp", "ibpb", "ibrs", "ibrs-all", "arch-capabilities", "mds-no", "pschange-mc-no"],
  ...["rdctl-no", "skip-l1dfl-vmentry", "taa-no", "amd-psfd", "auto-ibrs", "stibp-always-on"],
]);

/** Hypervisor-internal or paging flags the modes leave out although libvirt lists them. */
const PLATFORM = ["cr8_legacy", "osvw", "perfctr_core", "xsaveerptr"];

interface Differences {
  model: string;
  added: string[];
  removed: string[];
  why: string;
}

const DIFFERENCES: Record<string, Differences> = {
  "intel-merom": { model: "Conroe", added: ["cx16"], removed: [], why: "Merom-class Xeons report CMPXCHG16B; libvirt's Conroe omits it" },
  "intel-penryn": { model: "Penryn", added: [], removed: [], why: "identical" },
  "intel-nehalem": { model: "Nehalem", added: [], removed: [], why: "identical" },
  "intel-westmere": { model: "Westmere", added: ["pclmulqdq"], removed: [], why: "Westmere's PCLMULQDQ; QEMU's Westmere has it" },
  "intel-sandybridge": { model: "SandyBridge", added: ["xsaveopt"], removed: [], why: "QEMU target/i386/cpu.c SandyBridge: FEAT_XSAVE = XSAVEOPT" },
  "intel-ivybridge": { model: "IvyBridge", added: ["xsaveopt"], removed: [], why: "QEMU IvyBridge: FEAT_XSAVE = XSAVEOPT" },
  "intel-haswell": { model: "Haswell", added: ["abm", "f16c", "rdrand", "xsaveopt"], removed: [], why: "QEMU Haswell has them; this libvirt revision omits them" },
  "intel-broadwell": { model: "Broadwell", added: ["abm", "f16c", "rdrand", "xsaveopt"], removed: [], why: "as Haswell" },
  "intel-skylake": {
    model: "Skylake-Server",
    added: ["clflushopt", "pku", "xsaves"],
    removed: ["xgetbv1"],
    why: "VMware's Skylake delta as recalled; XGETBV with ECX=1 arrives in the Cascade Lake mode",
  },
  "intel-cascadelake": { model: "Cascadelake-Server", added: ["pku", "xsaves"], removed: [], why: "kept from the Skylake mode" },
  "intel-icelake": {
    model: "Icelake-Server",
    added: ["avx512ifma", "fsrm", "rdpid", "sha_ni", "xsaves"],
    removed: ["intel-pt", "la57"],
    why: "Ice Lake-SP hardware (all in libvirt SapphireRapids); tracing and 5-level paging not compared",
  },
  "intel-sapphirerapids": {
    model: "SapphireRapids",
    added: ["cldemote", "movdir64b", "movdiri"],
    removed: ["bus-lock-detect", "fsrc", "fsrs", "fzrm", "la57", "xfd"],
    why: "flags seen on real hosts (oVirt #958); string-op hints and platform flags left out of the mode",
  },
  "amd-rev-e": { model: "Opteron_G1", added: ["3dnow", "3dnowext", "fxsr_opt", "mmxext"], removed: [], why: "K8 hardware; QEMU's Opteron_G1 is reduced" },
  "amd-rev-f": { model: "Opteron_G2", added: ["3dnow", "3dnowext", "fxsr_opt", "mmxext"], removed: [], why: "as rev E" },
  "amd-greyhound-no3dnow": { model: "Opteron_G3", added: ["3dnowprefetch", "fxsr_opt", "mmxext"], removed: [], why: "K10 hardware" },
  "amd-greyhound": { model: "Opteron_G3", added: ["3dnow", "3dnowext", "3dnowprefetch", "fxsr_opt", "mmxext"], removed: [], why: "K10 hardware with 3DNow!" },
  "amd-bulldozer": { model: "Opteron_G4", added: ["fxsr_opt", "mmxext"], removed: [], why: "every AMD64 part has them" },
  "amd-piledriver": { model: "Opteron_G5", added: ["bmi1", "fxsr_opt", "mmxext"], removed: [], why: "Piledriver added BMI1 with TBM" },
  "amd-zen": { model: "EPYC", added: ["clzero", "xsaves"], removed: ["xgetbv1", "cr8_legacy", "osvw"], why: "Zen 1 hardware; xgetbv1 put in the Zen 2 delta" },
  "amd-zen2": { model: "EPYC-Rome", added: ["xsaves"], removed: PLATFORM, why: "kept from the Zen mode" },
  "amd-zen3": {
    model: "EPYC-Milan",
    added: ["vaes", "vpclmulqdq"],
    removed: ["erms", "fsrm", ...PLATFORM],
    why: "Zen 3 hardware; whether VMware's Zen 3 mode exposes ERMS/FSRM is unknown",
  },
  "amd-zen4": {
    model: "EPYC-Genoa",
    added: [],
    removed: ["la57", "lfence-always-serializing", "no-nested-data-bp", "null-sel-clr-base", ...PLATFORM],
    why: "5-level paging and platform flags not compared",
  },
};

function referenceFlags(model: string): Set<string> {
  const entry = reference.models[model];
  return new Set(entry.features.filter((f) => !NOT_COMPARED.has(f)).map((f) => LINUX_NAME[f] ?? f));
}

describe("each baseline against its libvirt model (reference/libvirt-cpu-map.json)", () => {
  const withReference = evc.listBaselines().filter((b) => b.id !== "amd-steamroller");

  test("every baseline but Steamroller (no libvirt or QEMU model exists) has a reference and a stated difference list", () => {
    expect(Object.keys(DIFFERENCES).sort()).toEqual(withReference.map((b) => b.id).sort());
  });

  test.each(withReference.map((b) => [b.id, b] as const))("%s", (id, baseline) => {
    const d = DIFFERENCES[id];
    const expected = referenceFlags(d.model);
    for (const flag of d.removed) {
      expect(expected.has(LINUX_NAME[flag] ?? flag), `${flag} is in libvirt ${d.model}`).toBe(true);
      expected.delete(LINUX_NAME[flag] ?? flag);
    }
    for (const flag of d.added) {
      expect(expected.has(flag), `${flag} is not in libvirt ${d.model}`).toBe(false);
      expected.add(flag);
    }
    expect(baseline.featureList).toEqual([...expected].sort());
    // The reader-facing citation names the same file.
    expect(baseline.featureSource).toContain(reference.models[d.model].file);
  });

  test("the corrections of issue #16 hold: Broadwell and later Intel modes carry pcid, rdtscp and xsaveopt; no mode carries ssbd", () => {
    for (const b of evc.listBaselines("intel").filter((x) => x.displayOrder >= evc.getBaseline("intel-broadwell").displayOrder)) {
      for (const flag of ["pcid", "rdtscp", "xsaveopt"]) expect(b.features.has(flag), `${b.id} ${flag}`).toBe(true);
    }
    for (const b of evc.listBaselines()) expect(b.features.has("ssbd"), b.id).toBe(false);
    expect(evc.getBaseline("amd-zen4").features.has("erms")).toBe(true);
  });

  test("an E5-2680 v4 host runs its own top mode without losing pcid, rdtscp or xsaveopt", () => {
    const host = evc.hostFromCpu("intel-xeon-e5-2680-v4");
    const mask = evc.maskHost(host, "intel-broadwell");
    for (const flag of ["pcid", "rdtscp", "xsaveopt"]) expect(mask.masked).not.toContain(flag);
  });
});
