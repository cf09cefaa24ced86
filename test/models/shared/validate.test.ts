import { describe, expect } from "vitest";
import { test, fc } from "@fast-check/vitest";
import { ModelInputError, checkNumber, checkInteger, checkOneOf, checkArray, checkEvery, isRecord, bisect } from "../../../src/shared/index.ts";

describe("checkNumber", () => {
  test.prop([fc.double({ min: 0, max: 100, noNaN: true })], { numRuns: 1000 })("accepts values in range", (x) => {
    expect(checkNumber("x", x, { min: 0, max: 100 })).toBe(x);
  });
  test.prop([fc.oneof(fc.constant(NaN), fc.constant(Infinity), fc.constant(-Infinity), fc.string(), fc.constant(null))], { numRuns: 1000 })(
    "rejects non-finite and non-numbers with a ModelInputError naming the field",
    (x) => {
      try {
        checkNumber("thresholdMs", x);
        expect.unreachable();
      } catch (e) {
        expect(e).toBeInstanceOf(ModelInputError);
        expect((e as ModelInputError).field).toBe("thresholdMs");
      }
    },
  );
  test("states the allowed range", () => {
    expect(() => checkInteger("hosts", 17, { min: 1, max: 16 })).toThrow(/hosts = 17 .*integer >= 1 and <= 16/);
    expect(() => checkNumber("x", 0, { min: 0, exclusiveMin: true })).toThrow(/> 0/);
  });
  test("one of and arrays", () => {
    expect(checkOneOf("mode", "a", ["a", "b"])).toBe("a");
    expect(() => checkOneOf("mode", "c", ["a", "b"])).toThrow(ModelInputError);
    expect(() => checkArray("xs", [1, "2"], (v, f) => checkNumber(f, v))).toThrow(/xs\[1\]/);
    const items = [{ a: 1 }, {}];
    expect(checkEvery("items", items, isRecord, "an object")).toBe(items);
    expect(() => checkEvery("items", [{}, {}, 7], isRecord, "an object")).toThrow(/items\[2\] = 7 .*an object/);
    expect(() => checkEvery("items", [{}, {}], isRecord, "an object", { maxLength: 1 })).toThrow(/items .*an array of 0 to 1 items/);
  });
});

describe("bisect", () => {
  test.prop([fc.double({ min: -1000, max: 1000, noNaN: true })], { numRuns: 1000 })("finds the root of a line", (r) => {
    expect(bisect((x) => x - r, -2000, 2000)).toBeCloseTo(r, 5);
  });
});
