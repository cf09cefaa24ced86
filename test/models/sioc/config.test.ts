import { describe, expect } from "vitest";
import { test, fc } from "@fast-check/vitest";
import { ModelInputError } from "../../../src/shared/index.ts";
import { sioc } from "../../../src/index.ts";
import type { SiocConfig } from "../../../src/sioc/index.ts";

const valid = (): SiocConfig => ({
  hosts: [{ vms: [{ shares: 1000, demandOio: 32 }] }, { name: "B", vms: [{ shares: 500, demandOio: 8, limitIops: 100, name: "b1" }] }],
  maxIops: 1200,
  baseLatencyMs: 2,
  deviceQueueDepth: 24,
  thresholdMs: 30,
  enabled: true,
});

/** Applies `patch` to a fresh valid config and returns the field named in the error it throws. */
function failingField(patch: (config: Record<string, any>) => void): string {
  const config = valid() as unknown as Record<string, any>;
  patch(config);
  try {
    sioc.normaliseConfig(config);
  } catch (e) {
    expect(e).toBeInstanceOf(ModelInputError);
    return (e as ModelInputError).field;
  }
  throw new Error("expected a ModelInputError");
}

describe("normaliseConfig defaults", () => {
  test("fills steps, α, γ, wMin and names", () => {
    const config = sioc.normaliseConfig(valid());
    expect(config.steps).toBe(300);
    expect(config.alpha).toBe(0.5);
    expect(config.gamma).toBe(0.2);
    expect(config.wMin).toBe(4);
    expect(config.hosts[0].name).toBe("host-1");
    expect(config.hosts[0].vms[0].name).toBe("vm-1.1");
    expect(config.hosts[1].name).toBe("B");
    expect(config.hosts[0].vms[0].limitIops).toBeNull();
    expect(config.hosts[1].vms[0].limitIops).toBe(100);
  });
  test("wMin defaults to the queue depth when DQLEN < 4; Infinity and null mean unlimited", () => {
    const config = sioc.normaliseConfig({ ...valid(), deviceQueueDepth: 2, hosts: [{ vms: [{ shares: 1, demandOio: 1, limitIops: Infinity }, { shares: 1, demandOio: 1, limitIops: null }] }] });
    expect(config.wMin).toBe(2);
    expect(config.hosts[0].vms.map((vm) => vm.limitIops)).toEqual([null, null]);
  });
});

describe("every field is validated and named in the ModelInputError", () => {
  const cases: Array<[string, (c: Record<string, any>) => void]> = [
    ["maxIops", (c) => (c.maxIops = 0)],
    ["maxIops", (c) => (c.maxIops = Infinity)],
    ["maxIops", (c) => (c.maxIops = "1200")],
    ["baseLatencyMs", (c) => (c.baseLatencyMs = 0)],
    ["baseLatencyMs", (c) => (c.baseLatencyMs = NaN)],
    ["deviceQueueDepth", (c) => (c.deviceQueueDepth = 0)],
    ["deviceQueueDepth", (c) => (c.deviceQueueDepth = 24.5)],
    ["deviceQueueDepth", (c) => (c.deviceQueueDepth = 2048)],
    ["thresholdMs", (c) => (c.thresholdMs = 4.9)],
    ["thresholdMs", (c) => (c.thresholdMs = 101)],
    ["thresholdMs", (c) => delete c.thresholdMs],
    ["enabled", (c) => (c.enabled = "yes")],
    ["steps", (c) => (c.steps = 0)],
    ["steps", (c) => (c.steps = 3601)],
    ["steps", (c) => (c.steps = 10.5)],
    ["alpha", (c) => (c.alpha = -0.1)],
    ["alpha", (c) => (c.alpha = 1)],
    ["gamma", (c) => (c.gamma = 0)],
    ["gamma", (c) => (c.gamma = 1.5)],
    ["wMin", (c) => (c.wMin = 0.5)],
    ["wMin", (c) => (c.wMin = 25)],
    ["hosts", (c) => (c.hosts = [])],
    ["hosts", (c) => (c.hosts = "two")],
    ["hosts", (c) => (c.hosts = Array.from({ length: 65 }, () => ({ vms: [] })))],
    ["hosts[1]", (c) => (c.hosts[1] = null)],
    ["hosts[0].vms", (c) => (c.hosts[0].vms = undefined)],
    ["hosts[0].vms", (c) => (c.hosts[0].vms = Array.from({ length: 2001 }, () => ({ shares: 1, demandOio: 1 })))],
    ["hosts[0].name", (c) => (c.hosts[0].name = 7)],
    ["hosts[0].vms[0]", (c) => (c.hosts[0].vms[0] = 3)],
    ["hosts[0].vms[0].shares", (c) => (c.hosts[0].vms[0].shares = 0)],
    ["hosts[0].vms[0].shares", (c) => (c.hosts[0].vms[0].shares = 1000.5)],
    ["hosts[0].vms[0].shares", (c) => (c.hosts[0].vms[0].shares = 1_000_001)],
    ["hosts[0].vms[0].demandOio", (c) => (c.hosts[0].vms[0].demandOio = -1)],
    ["hosts[0].vms[0].demandOio", (c) => (c.hosts[0].vms[0].demandOio = 257)],
    ["hosts[1].vms[0].limitIops", (c) => (c.hosts[1].vms[0].limitIops = 0)],
    ["hosts[1].vms[0].limitIops", (c) => (c.hosts[1].vms[0].limitIops = -Infinity)],
    ["hosts[1].vms[0].limitIops", (c) => (c.hosts[1].vms[0].limitIops = NaN)],
    ["hosts[0].vms[0].idleFromStep", (c) => (c.hosts[0].vms[0].idleFromStep = -1)],
    ["hosts[0].vms[0].idleFromStep", (c) => (c.hosts[0].vms[0].idleFromStep = 301)],
    ["hosts[0].vms[0].idleFromStep", (c) => (c.hosts[0].vms[0].idleFromStep = 2.5)],
    ["hosts[0].vms[0].idleUntilStep", (c) => (c.hosts[0].vms[0].idleUntilStep = 10)],
    ["hosts[0].vms[0].idleUntilStep", (c) => Object.assign(c.hosts[0].vms[0], { idleFromStep: 10, idleUntilStep: 10 })],
    ["hosts[0].vms[0].name", (c) => (c.hosts[0].vms[0].name = "x".repeat(101))],
  ];
  for (const [field, patch] of cases) {
    test(`${field}: ${patch.toString().replace(/^\(c\) => /, "")}`, () => {
      expect(failingField(patch)).toBe(field);
    });
  }

  test("config itself must be an object", () => {
    for (const bad of [null, undefined, [], "config", 3]) {
      expect(() => sioc.normaliseConfig(bad)).toThrow(ModelInputError);
      expect(() => sioc.normaliseConfig(bad)).toThrow(/^config = /);
    }
  });

  const topLevel = ["maxIops", "baseLatencyMs", "deviceQueueDepth", "thresholdMs", "steps", "alpha", "gamma", "wMin"] as const;
  const junk = fc.oneof(
    fc.constantFrom(NaN, Infinity, -Infinity, -1, 1e12, "30", true, [], {}),
    fc.double({ min: -1e9, max: -1e-9, noNaN: true }),
  );
  test.prop([fc.constantFrom(...topLevel), junk], { numRuns: 1000 })("junk in any numeric field throws naming it", (field, value) => {
    expect(failingField((c) => (c[field] = value))).toBe(field);
  });
  test.prop([fc.constantFrom("shares", "demandOio", "limitIops", "idleFromStep"), junk], { numRuns: 1000 })(
    "junk in any VM field throws naming it",
    (field, value) => {
      fc.pre(!(field === "limitIops" && value === Infinity)); // Infinity is the documented "unlimited"
      expect(failingField((c) => (c.hosts[1].vms[0][field] = value))).toBe(`hosts[1].vms[0].${field}`);
    },
  );

  test("simulate, compare and steadyState validate the same way", () => {
    const bad = { ...valid(), thresholdMs: 200 };
    for (const run of [() => sioc.simulate(bad), () => sioc.compare(bad), () => sioc.steadyState(bad), () => sioc.prepare(bad)]) {
      expect(run).toThrow(ModelInputError);
      expect(run).toThrow(/thresholdMs = 200 .*>= 5 and <= 100/);
    }
    expect(() => sioc.compare(null as unknown as SiocConfig)).toThrow(ModelInputError);
    expect(() => sioc.steadyState(valid(), { atStep: -1 })).toThrow(/atStep/);
  });
});
