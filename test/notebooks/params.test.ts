import { describe, expect } from "vitest";
import { test, fc } from "@fast-check/vitest";
import { clampToParam, defaults, multi, number, parseParams, select, serializeParams, toggle } from "../../notebooks/lib/params.ts";

const schema = {
  hosts: number({ label: "Hosts", min: 1, max: 16, step: 1, value: 2 }),
  latency: number({ label: "Latency", unit: "ms", min: 0.5, max: 20, step: 0.5, value: 2 }),
  mode: select({ label: "Mode", value: "fc", options: [{ value: "fc", label: "FC" }, { value: "nfs", label: "NFS" }] }),
  on: toggle({ label: "On", value: true }),
};

describe("URL parameters", () => {
  test.prop([fc.dictionary(fc.constantFrom("hosts", "latency", "mode", "on", "junk"), fc.string({ maxLength: 80 }))], { numRuns: 1000 })(
    "never throw and always give values the controls allow",
    (raw) => {
      const { values } = parseParams(schema, new URLSearchParams(raw));
      expect(Number.isInteger(values.hosts) && values.hosts >= 1 && values.hosts <= 16).toBe(true);
      expect(values.latency >= 0.5 && values.latency <= 20 && Number.isInteger(values.latency * 2)).toBe(true);
      expect(["fc", "nfs"]).toContain(values.mode);
      expect(typeof values.on).toBe("boolean");
    },
  );

  test.prop([fc.integer({ min: 1, max: 16 }), fc.integer({ min: 1, max: 40 }), fc.constantFrom("fc", "nfs"), fc.boolean()], { numRuns: 1000 })(
    "round-trip through the query string",
    (hosts, halfMs, mode, on) => {
      const values = { hosts, latency: halfMs / 2, mode, on };
      expect(parseParams(schema, serializeParams(schema, values)).values).toEqual(values);
    },
  );

  test("clamps out-of-range numbers and says so; ignores junk and keeps the default", () => {
    const { values, notes } = parseParams(schema, "hosts=99&latency=abc&mode=<script>&on=maybe");
    expect(values).toEqual({ ...defaults(schema), hosts: 16 });
    expect(notes).toHaveLength(4);
    expect(notes[0]).toMatch(/Hosts.*99.*used 16/);
  });

  test("rejects numbers in forms a person would not type (hex, Infinity, empty)", () => {
    for (const raw of ["0x10", "Infinity", "", "1e400", " "]) {
      expect(parseParams(schema, `hosts=${encodeURIComponent(raw)}`).values.hosts).toBe(2);
    }
  });

  test("leaves defaults out of the URL", () => {
    expect(serializeParams(schema, defaults(schema))).toBe("");
    expect(serializeParams(schema, { ...defaults(schema), on: false })).toBe("on=0");
  });

  test.prop([fc.double({ min: -1e6, max: 1e6, noNaN: true })], { numRuns: 1000 })("snaps to the step grid inside the range", (x) => {
    const v = clampToParam(schema.latency, x);
    expect(v).toBeGreaterThanOrEqual(0.5);
    expect(v).toBeLessThanOrEqual(20);
    expect(Number.isInteger(v * 2)).toBe(true);
  });
});

describe("list parameters", () => {
  const cpus = { hosts: multi({ label: "Hosts", value: ["a", "b"], minItems: 1, maxItems: 4, options: ["a", "b", "c"].map((v) => ({ value: v, label: v.toUpperCase() })) }) };

  test.prop([fc.array(fc.constantFrom("a", "b", "c"), { minLength: 1, maxLength: 4 })], { numRuns: 1000 })("round-trip, order and repeats kept", (hosts) => {
    expect(parseParams(cpus, serializeParams(cpus, { hosts })).values.hosts).toEqual(hosts);
  });

  test.prop([fc.string({ maxLength: 200 })], { numRuns: 1000 })("junk keeps only known items, within the bounds", (raw) => {
    const { values } = parseParams(cpus, new URLSearchParams({ hosts: raw }));
    expect(values.hosts.length).toBeGreaterThanOrEqual(1);
    expect(values.hosts.length).toBeLessThanOrEqual(4);
    for (const h of values.hosts) expect(["a", "b", "c"]).toContain(h);
  });

  test("unknown items are dropped with a note; nothing usable keeps the default", () => {
    expect(parseParams(cpus, "hosts=a,zz,c")).toEqual({ values: { hosts: ["a", "c"] }, notes: [expect.stringMatching(/Hosts.*kept 2/)] });
    expect(parseParams(cpus, "hosts=zz").values.hosts).toEqual(["a", "b"]);
    expect(serializeParams(cpus, { hosts: ["a", "b"] })).toBe("");
  });
});
