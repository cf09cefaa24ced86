import { describe, expect, test } from "vitest";
import { manualThresholdRange } from "../../../src/sioc/threshold.ts";
import { ModelInputError } from "../../../src/shared/errors.ts";

describe("manual congestion threshold range by release", () => {
  test("4.1 and 5.0 (vSphere Client): 10–100 ms, as the client's procedure says", () => {
    expect(manualThresholdRange("4.1")).toMatchObject({ minMs: 10, maxMs: 100 });
    expect(manualThresholdRange("5.0")).toMatchObject({ minMs: 10, maxMs: 100 });
  });

  test("5.1 and later (API): 5–100 ms", () => {
    expect(manualThresholdRange("5.1+")).toMatchObject({ minMs: 5, maxMs: 100 });
  });

  test("an unknown release is refused with the field named", () => {
    expect(() => manualThresholdRange("6.7" as never)).toThrow(ModelInputError);
  });
});
