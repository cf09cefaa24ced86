import { describe, expect, test } from "vitest";
import { fc } from "@fast-check/vitest";
import { unusedBytes } from "./unused-js.ts";

const range = (startOffset: number, endOffset: number, count: number) => ({ startOffset, endOffset, count });

describe("unused bytes from Chromium's precise coverage", () => {
  test("a block that never ran inside a function that ran is unused; a block that ran inside it again is used", () => {
    // 0..100 is the script's top level; 10..60 a function that ran; 20..50 an if-branch that did not;
    // 30..40 a closure inside that branch that was called anyway (through another path).
    const functions = [{ ranges: [range(0, 100, 1)] }, { ranges: [range(10, 60, 3), range(20, 50, 0)] }, { ranges: [range(30, 40, 1)] }];
    expect(unusedBytes(100, functions)).toBe(20);
    expect(unusedBytes(100, [...functions].reverse())).toBe(20);
  });

  test("a function never called counts whole; ranges past the end of the source are cut off", () => {
    expect(unusedBytes(50, [{ ranges: [range(0, 50, 1)] }, { ranges: [range(40, 80, 0)] }])).toBe(10);
  });

  test("never more than the script and never less than nothing, for any ranges", () => {
    const arbRange = fc.record({ startOffset: fc.nat(300), endOffset: fc.nat(300), count: fc.nat(2) });
    fc.assert(
      fc.property(fc.nat(250), fc.array(fc.record({ ranges: fc.array(arbRange, { maxLength: 4 }) }), { maxLength: 6 }), (length, functions) => {
        const unused = unusedBytes(length, functions);
        expect(unused).toBeGreaterThanOrEqual(0);
        expect(unused).toBeLessThanOrEqual(length);
        if (functions.length === 0) expect(unused).toBe(length);
      }),
    );
  });
});
