/** fast-check generators for the EVC tests: hosts drawn from the shipped CPUs (models/evc.md §8), optionally with BIOS-hidden flags, or hand-made. */
import { fc } from "@fast-check/vitest";
import { evc } from "../../../src/index.ts";

export const cpus = evc.listCpus();
export const intelCpus = cpus.filter((c) => c.vendor === "intel");
export const amdCpus = cpus.filter((c) => c.vendor === "amd");
export const cpusOf = (vendor: evc.Vendor) => (vendor === "intel" ? intelCpus : amdCpus);

/** Every flag any baseline or CPU of the vendor has: the vocabulary for hand-made hosts. */
export function vocabulary(vendor: evc.Vendor): string[] {
  const flags = new Set<string>();
  for (const b of evc.listBaselines(vendor)) for (const f of b.featureList) flags.add(f);
  for (const c of cpusOf(vendor)) for (const f of c.featureList) flags.add(f);
  return [...flags].sort();
}

export const vendorArb = fc.constantFrom<evc.Vendor>("intel", "amd");

/** A real CPU as a host (id given by the caller so hosts in one cluster stay unique). */
export const realCpuArb = (vendor: evc.Vendor) => fc.constantFrom(...cpusOf(vendor));

/**
 * A host spec of one vendor: a real CPU, a real CPU with a few flags hidden (BIOS switches, §3), or a
 * hand-made host whose flags are a random subset of the vendor's vocabulary plus a real CPU's flags.
 */
export function hostMakerArb(vendor: evc.Vendor): fc.Arbitrary<(id: string) => evc.Host> {
  const vocab = vocabulary(vendor);
  return fc.oneof(
    { weight: 3, arbitrary: realCpuArb(vendor).map((cpu) => (id: string) => evc.hostFromCpu(cpu.id, { id })) },
    {
      weight: 1,
      arbitrary: fc
        .tuple(realCpuArb(vendor), fc.subarray(vocab, { maxLength: 3 }))
        .map(([cpu, off]) => (id: string) => evc.hostFromCpu(cpu.id, { id, disabledFeatures: off.filter((f) => cpu.features.has(f)) })),
    },
    {
      weight: 1,
      arbitrary: fc.tuple(realCpuArb(vendor), fc.subarray(vocab)).map(([cpu, extra]) => (id: string) => evc.makeHost({ id, vendor, features: [...cpu.featureList, ...extra] })),
    },
  );
}

/** A list of hosts of one vendor with ids h0, h1, ... */
export function hostsArb(vendor: evc.Vendor, { minLength = 1, maxLength = 6 } = {}): fc.Arbitrary<evc.Host[]> {
  return fc.array(hostMakerArb(vendor), { minLength, maxLength }).map((makers) => makers.map((make, i) => make(`h${i}`)));
}

/** Hosts made from real CPUs only (no BIOS changes): the "realistic" clusters of §2. */
export function realHostsArb(vendor: evc.Vendor, { minLength = 1, maxLength = 6 } = {}): fc.Arbitrary<evc.Host[]> {
  return fc.array(realCpuArb(vendor), { minLength, maxLength }).map((list) => list.map((cpu, i) => evc.hostFromCpu(cpu.id, { id: `h${i}` })));
}

/** Either vendor's host list. */
export const anyHostsArb = vendorArb.chain((v) => hostsArb(v));

export const ids = (list: readonly { id: string }[]) => list.map((x) => x.id).sort();
