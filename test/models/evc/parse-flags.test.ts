import { describe, expect } from "vitest";
import { test, fc } from "@fast-check/vitest";
import { evc } from "../../../src/index.ts";
import { ModelInputError } from "../../../src/shared/index.ts";
import { CPUINFO_LINES } from "./reference/cpuinfo-lines.ts";

const byGeneration = (generation: string) => CPUINFO_LINES.find((f) => f.generation === generation)!;

describe("pasted /proc/cpuinfo flag lines of real CPUs (reference/cpuinfo-lines.ts)", () => {
  test("the fixtures cover at least six generations, Intel and AMD", () => {
    expect(new Set(CPUINFO_LINES.map((f) => f.generation)).size).toBeGreaterThanOrEqual(6);
    expect(new Set(CPUINFO_LINES.map((f) => f.vendor))).toEqual(new Set(["intel", "amd"]));
  });

  test.each(CPUINFO_LINES.map((f) => [f.cpu, f] as const))("%s classifies at its generation's mode", (_cpu, fixture) => {
    const result = evc.parsePastedHosts(fixture.line);
    expect(result.hosts).toHaveLength(1);
    const [host] = result.hosts;
    expect(host.vendor).toBe(fixture.vendor);
    expect(host.highest?.found && host.highest.baseline.id).toBe(fixture.expected);
    // Every word of a real line is a flag the parser knows, compared or not.
    expect(host.unknown).toEqual([]);
    expect(result.findings).toEqual([]);
  });

  test("Intel hosts of three generations: the cluster runs Westmere, and each host's VMs lose what the others lack", () => {
    const lines = ["Westmere-EP", "Haswell-EP", "Broadwell-EX"].map((g) => byGeneration(g).line).join("\n");
    const result = evc.parsePastedHosts(lines);
    expect(result.hosts.map((x) => x.highest?.found && x.highest.baseline.id)).toEqual(["intel-westmere", "intel-haswell", "intel-broadwell"]);
    expect(result.cluster?.found && result.cluster.baseline.id).toBe("intel-westmere");
    // The E5620 has PCID and RDTSCP, which the Westmere mode does not list (libvirt and QEMU Westmere lack both).
    expect(result.losses[0].masked).toEqual(["pcid", "rdtscp"]);
    // The Haswell host loses AVX2, among others, and never a flag it does not have.
    expect(result.losses[1].masked).toContain("avx2");
    expect(result.losses[1].masked).not.toContain("rdseed");
    expect(result.losses[2].masked).toContain("rdseed");
  });

  test("Intel and AMD pasted together: no mode, and the answer says why", () => {
    const result = evc.parsePastedHosts(`${byGeneration("Haswell-EP").line}\n${byGeneration("Zen 2").line}`);
    expect(result.cluster?.found).toBe(false);
    expect(result.cluster && !result.cluster.found && result.cluster.reason).toBe("mixed-vendors");
    expect(result.losses).toEqual([]);
  });

  test("AMD Piledriver with Zen 2: the two branches of AMD's tree meet at Opteron Gen 3 without 3DNow!", () => {
    const result = evc.parsePastedHosts(`${byGeneration("Piledriver").line}\n${byGeneration("Zen 2").line}`);
    expect(result.cluster?.found && result.cluster.baseline.id).toBe("amd-greyhound-no3dnow");
  });
});

describe("what the reader may paste", () => {
  test("a whole /proc/cpuinfo dump is one host, named by its model name line", () => {
    const line = byGeneration("Westmere-EP").line;
    const entry = (n: number) => `processor\t: ${n}\nvendor_id\t: GenuineIntel\ncpu family\t: 6\nmodel\t\t: 44\nmodel name\t: Intel(R) Xeon(R) CPU           E5620  @ 2.40GHz\n${line}\nbogomips\t: 4799.88\n`;
    const result = evc.parsePastedHosts(`${entry(0)}\n${entry(1)}\n${entry(2)}`);
    expect(result.hosts).toHaveLength(1);
    expect(result.hosts[0].label).toBe("Intel(R) Xeon(R) CPU E5620 @ 2.40GHz");
    expect(result.findings).toEqual([]);
  });

  test("lscpu's Flags: line, wrapped onto indented lines, is one host", () => {
    const words = byGeneration("Haswell-EP").line.replace(/^flags\s*:\s*/, "").split(" ");
    const wrapped = `Flags:               ${words.slice(0, 30).join(" ")}\n                     ${words.slice(30, 70).join(" ")}\n                     ${words.slice(70).join(" ")}`;
    const result = evc.parsePastedHosts(wrapped);
    expect(result.hosts).toHaveLength(1);
    expect(result.hosts[0].highest?.found && result.hosts[0].highest.baseline.id).toBe("intel-haswell");
  });

  test("vSphere CPUID names, one per line with a value (constructed example); 0 means absent", () => {
    const listing = ["cpuid.SSE3 = 1", "cpuid.SSSE3 = 1", "cpuid.SSE41 = 1", "cpuid.SSE42 = 0", "cpuid.LM = 1", "cpuid.NX = 1", "cpuid.CMPXCHG16B = 1", "cpuid.LAHF64 = 1"];
    const base = "fpu vme de pse tsc msr pae mce cx8 apic sep mtrr pge mca cmov pat pse36 clflush mmx fxsr sse sse2 syscall vmx";
    const result = evc.parsePastedHosts(`${base}\n\n${listing.join("\n")}`);
    // Two hosts: a bare flag line, then a listing; the listing alone lacks the base flags, so it cannot run a mode.
    expect(result.hosts).toHaveLength(2);
    expect(result.hosts[1].compared).toEqual(["cx16", "lahf_lm", "lm", "nx", "pni", "sse4_1", "ssse3"]);
    expect(result.hosts[1].compared).not.toContain("sse4_2");
  });

  test("junk gives a sentence that lists what was not recognised, and no answer", () => {
    const result = evc.parsePastedHosts("hello world 42 <script>");
    expect(result.cluster).toBeNull();
    expect(result.findings.join(" ")).toContain("“hello”, “world”, “42” and “<script>”");
    expect(result.findings.join(" ")).toContain("cannot be judged");
  });

  test("a real line with a typo: the host is still judged, the typo is named", () => {
    const result = evc.parsePastedHosts(`${byGeneration("Zen 2").line} avx9000`);
    expect(result.hosts[0].unknown).toEqual(["avx9000"]);
    expect(result.findings).toEqual(["Host 1: 1 word was not recognised as CPU flags and left out: “avx9000”."]);
    expect(result.hosts[0].highest?.found && result.hosts[0].highest.baseline.id).toBe("amd-zen2");
  });

  test("flags without any vendor mark: the reader is asked for the vendor_id line", () => {
    const result = evc.parsePastedHosts("fpu sse sse2 pni ssse3 cx16 lahf_lm lm nx");
    expect(result.hosts[0].host).toBeNull();
    expect(result.findings.join(" ")).toContain("vendor_id");
    const told = evc.parsePastedHosts("vendor_id : GenuineIntel\nfpu sse sse2 pni ssse3 cx16 lahf_lm lm nx");
    expect(told.hosts[0].vendor).toBe("intel");
  });

  test("nothing pasted", () => {
    expect(evc.parsePastedHosts("   \n\n").findings).toEqual(['Nothing to read yet: paste the "flags" line of /proc/cpuinfo for each host, one host per line.']);
  });

  test("more hosts than the page draws are cut, and it says so", () => {
    const line = byGeneration("Westmere-EP").line;
    const result = evc.parsePastedHosts(Array.from({ length: 20 }, () => line).join("\n"));
    expect(result.hosts).toHaveLength(evc.MAX_PASTED_HOSTS);
    expect(result.findings).toContain(`Only the first ${evc.MAX_PASTED_HOSTS} hosts are read; 4 more were left out.`);
  });

  test("only a string is accepted (a caller's bug otherwise)", () => {
    expect(() => evc.parsePastedHosts(42 as unknown as string)).toThrow(ModelInputError);
  });

  test.prop([fc.oneof(fc.string({ maxLength: 400 }), fc.string({ maxLength: 200, unit: "binary" }), fc.array(fc.constantFrom("flags:", "fpu", "sse4_2", "svm", "vmx", "\n", " ", "cpuid.AVX = 1", "processor : 1", "model name : x", "avx512f", "ZZ"), { maxLength: 60 }).map((a) => a.join(" ")))], { numRuns: 1000 })(
    "never throws on any text; every finding is a sentence and every judged host has a mode answer",
    (text) => {
      const result = evc.parsePastedHosts(text);
      for (const sentence of result.findings) expect(sentence).toMatch(/[.]$/);
      for (const host of result.hosts) expect(host.host === null).toBe(host.highest === null);
      expect(result.hosts.length).toBeLessThanOrEqual(evc.MAX_PASTED_HOSTS);
    },
  );
});
