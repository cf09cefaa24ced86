import { describe, expect } from "vitest";
import { test, fc } from "@fast-check/vitest";
import { percentile, percentileOfCounts } from "../../../src/shared/index.ts";

describe("percentileOfCounts", () => {
  test("a worked case: 9 steady minutes at 2 ms and one at 50 ms; the 90th percentile is 2 ms, the 95th 50 ms", () => {
    const day = [{ value: 2, count: 9 }, { value: 50, count: 1 }];
    expect(percentileOfCounts(day, 90)).toBe(2);
    expect(percentileOfCounts(day, 95)).toBe(50);
    expect(percentileOfCounts(day, 0)).toBe(2);
    expect(percentileOfCounts(day, 100)).toBe(50);
  });

  test.prop([
    fc.array(fc.record({ value: fc.oneof(fc.double({ min: -1e6, max: 1e6, noNaN: true }), fc.constantFrom(1, 2, 3)), count: fc.integer({ min: 1, max: 50 }) }), { minLength: 1, maxLength: 30 }),
    fc.double({ min: 0, max: 100, noNaN: true }),
  ], { numRuns: 1000 })("the same as percentile over the values repeated, in any order and with equal values in several entries", (counted, p) => {
    const repeated = counted.flatMap((c) => Array.from({ length: c.count }, () => c.value));
    expect(percentileOfCounts(counted, p)).toBe(percentile(repeated, p));
  });
});
