import { describe, expect } from "vitest";
import { test, fc } from "@fast-check/vitest";
import { evc } from "../../../src/index.ts";

// Flag names from the shipped data plus a few never seen before, and one ignored (virtualization) flag.
const vocab = [...new Set([...evc.listBaselines().flatMap((b) => b.featureList), "brand_new_flag", "another_one", "vmx"])];
const flagsArb = fc.subarray(vocab);
const naiveMinus = (a: string[], b: string[]) => a.filter((f) => !b.includes(f) && !evc.IGNORED_FLAGS.has(f)).sort();

describe("feature-set algebra (the cached bit masks agree with plain set arithmetic)", () => {
  test.prop([flagsArb, flagsArb], { numRuns: 1000 })("difference and isSubset, for Sets and arrays alike", (a, b) => {
    const sa = new Set(a);
    const sb = new Set(b);
    const expected = naiveMinus(a, b);
    expect(evc.difference(sa, sb)).toEqual(expected);
    expect(evc.difference(a, sb)).toEqual(expected);
    expect(evc.isSubset(sa, sb)).toBe(expected.length === 0);
    expect(evc.isSubset(a, sb)).toBe(expected.length === 0);
    expect(evc.intersection(sa, sb)).toEqual(a.filter((f) => b.includes(f) && !evc.IGNORED_FLAGS.has(f)).sort());
  });

  test.prop([flagsArb, flagsArb, fc.subarray(vocab, { minLength: 1 })], { numRuns: 1000 })("a set that grows or shrinks after a first use is read again", (a, b, change) => {
    const sa = new Set(a);
    const sb = new Set(b);
    evc.difference(sa, sb);
    const before = sa.size;
    for (const f of change) (sa.has(f) ? sa.delete(f) : sa.add(f));
    fc.pre(sa.size !== before);
    expect(evc.difference(sa, sb)).toEqual(naiveMinus([...sa], b));
  });
});
