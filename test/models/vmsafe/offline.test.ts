import { describe, expect } from "vitest";
import { test, fc } from "@fast-check/vitest";
import { vmsafe, ModelInputError } from "../../../src/index.ts";
import { ceilings, expectedBytesGB, offlineInput, relClose } from "./arbitraries.ts";

const hours = (i: Parameters<typeof vmsafe.offlineScan>[0]) => vmsafe.offlineScan(i).hours;
const RUNS = { numRuns: 1000 };

describe("the seed's question: 1,000 XP desktops, one appliance, a 24 h window", () => {
  test("one appliance needs about 42.7 h: longer than the day, and two appliances fit it", () => {
    const s = vmsafe.scenario("seed-1000-xp");
    // Documented parameters (spec §3, tagged [A] there): 6 GB used per XP desktop, full clones,
    // one appliance of 2 cores × 20 MB/s; HotAdd (4 × 200 MB/s) and 4 datastores × 1500 IOPS ×
    // 64 KB = 375 MB/s are both faster, so the appliance's CPU binds.
    expect(s.offline).toMatchObject({ desktops: 1000, usedGBPerDesktop: 6, appliances: 1, coresPerAppliance: 2, scanMBpsPerCore: 20, windowH: 24, linkedCloneShare: 0 });
    const expectedHours = (1000 * 6 * 1024) / (2 * 20) / 3600; // 42.67 h
    const r = vmsafe.offlineScan(s.offline);
    expect(Math.abs(r.hours - expectedHours) / expectedHours).toBeLessThan(0.01);
    expect(r.hours).toBeGreaterThan(40);
    expect(r.hours).toBeLessThan(45);
    expect(r.fitsWindow).toBe(false);
    expect(r.bottleneck).toBe("appliance CPU");
    // 24 h × 3600 s × 40 MB/s / 6144 MB ≈ 562 desktops a day for one appliance.
    expect(r.desktopsPerWindowPerAppliance).toBeCloseTo((24 * 3600 * 40) / 6144, 6);
    expect(vmsafe.appliancesNeeded(s.offline)).toMatchObject({ appliances: 2, datastoreBound: false });
    // The appliance holds 2 of the cluster's 16 × 8 = 128 cores: a 64× slower pass than the whole cluster.
    expect(vmsafe.cpuShare({ hosts: 16, coresPerHost: 8, appliances: 1, coresPerAppliance: 2 }).slowdown).toBe(64);
  });

  test("linked clones with the replica scanned once fit in the day: 1000·6·0.3 + 6·0.7 GB at 40 MB/s", () => {
    const r = vmsafe.offlineScan(vmsafe.scenario("seed-1000-xp-linked-clones").offline);
    const expected = ((1000 * 6 * 0.3 + 6 * 0.7) * 1024) / 40 / 3600; // 12.8 h
    expect(relClose(r.hours, expected, 1e-9)).toBe(true);
    expect(r.fitsWindow).toBe(true);
  });
});

describe("offline scan properties (spec §6)", () => {
  test.prop([offlineInput(), fc.integer({ min: 1, max: 1000 })], RUNS)("hours strictly increase with desktops", (i, more) => {
    expect(hours({ ...i, desktops: i.desktops + more })).toBeGreaterThan(hours(i));
  });

  test.prop([offlineInput(), fc.double({ min: 1.01, max: 5, noNaN: true })], RUNS)(
    "hours strictly increase with the data: used GB in a full pass, changed GB in an incremental one",
    (i, factor) => {
      const bigger = i.mode === "full"
        ? { ...i, usedGBPerDesktop: i.usedGBPerDesktop * factor }
        : { ...i, changedGBPerDayPerDesktop: i.changedGBPerDayPerDesktop * factor };
      expect(hours(bigger)).toBeGreaterThan(hours(i));
    },
  );

  test.prop([offlineInput(), fc.integer({ min: 1, max: 63 }), fc.constantFrom("appliances", "coresPerAppliance", "parallelStreams", "datastores")], RUNS)(
    "hours never increase with more appliances, cores, streams or datastores",
    (i, add, field) => {
      const limit = field === "appliances" || field === "coresPerAppliance" || field === "parallelStreams" ? 64 : 256;
      const more = { ...i, [field]: Math.min(limit, i[field] + add) };
      expect(hours(more)).toBeLessThanOrEqual(hours(i));
    },
  );

  test.prop([offlineInput(), fc.double({ min: 1, max: 4, noNaN: true }), fc.constantFrom("scanMBpsPerCore", "datastoreReadIOPS")], RUNS)(
    "hours never increase with a faster scan or more spare IOPS", (i, factor, field) => {
      expect(hours({ ...i, [field]: i[field] * factor })).toBeLessThanOrEqual(hours(i));
    },
  );

  test.prop([offlineInput()], RUNS)("hours equal bytes over the smallest ceiling, never below any of the three", (i) => {
    const r = vmsafe.offlineScan(i);
    const c = ceilings(i);
    const mb = expectedBytesGB(i) * 1024;
    expect(relClose(r.bytesToScanGB, expectedBytesGB(i))).toBe(true);
    for (const ceiling of [c.cpu, c.transport, c.datastore]) expect(r.hours * (1 + 1e-12)).toBeGreaterThanOrEqual(mb / ceiling / 3600);
    const binding = Math.min(c.cpu, c.transport, c.datastore);
    expect(relClose(r.hours, mb / binding / 3600)).toBe(true);
    const named = { "appliance CPU": c.cpu, transport: c.transport, "datastore IOPS": c.datastore }[r.bottleneck];
    expect(relClose(named, binding)).toBe(true);
    expect(r.fitsWindow).toBe(r.hours <= i.windowH);
  });

  test.prop([offlineInput()], RUNS)("an incremental pass reads no more than a full one when the changes fit in the desktop's own data", (i) => {
    fc.pre(i.changedGBPerDayPerDesktop <= i.usedGBPerDesktop * (1 - i.linkedCloneShare));
    expect(hours({ ...i, mode: "incremental" })).toBeLessThanOrEqual(hours({ ...i, mode: "full" }) * (1 + 1e-12));
  });

  test.prop([offlineInput()], RUNS)("scanning the shared replica once never reads more", (i) => {
    expect(vmsafe.bytesToScanGB({ ...i, scanSharedOnce: true })).toBeLessThanOrEqual(vmsafe.bytesToScanGB({ ...i, scanSharedOnce: false }) * (1 + 1e-12));
  });
});

describe("appliances needed (spec §3, §6.7)", () => {
  test.prop([offlineInput()], RUNS)("that many appliances finish inside the window, one fewer does not (unless the datastores bind)", (i) => {
    const need = vmsafe.appliancesNeeded(i);
    const c = ceilings({ ...i, appliances: 1 });
    const neededMBps = (expectedBytesGB(i) * 1024) / (i.windowH * 3600);
    if (neededMBps > c.datastore * (1 + 1e-9)) {
      expect(need).toMatchObject({ appliances: null, datastoreBound: true });
      return;
    }
    expect(need.datastoreBound).toBe(false);
    const a = need.appliances!;
    expect(Number.isInteger(a) && a >= 1).toBe(true);
    const perAppliance = Math.min(c.cpu, c.transport);
    expect(a * perAppliance * (1 + 1e-9)).toBeGreaterThanOrEqual(neededMBps);
    if (a > 1) expect((a - 1) * perAppliance).toBeLessThan(neededMBps * (1 + 1e-9));
    if (a <= 64) expect(hours({ ...i, appliances: a })).toBeLessThanOrEqual(i.windowH * (1 + 1e-9));
  });

  const count = (n: ReturnType<typeof vmsafe.appliancesNeeded>) => n.appliances ?? Number.POSITIVE_INFINITY;
  test.prop([offlineInput(), fc.integer({ min: 1, max: 1000 }), fc.double({ min: 1, max: 3, noNaN: true })], RUNS)(
    "non-decreasing in desktops, non-increasing in the window", (i, more, longer) => {
      expect(count(vmsafe.appliancesNeeded({ ...i, desktops: i.desktops + more }))).toBeGreaterThanOrEqual(count(vmsafe.appliancesNeeded(i)));
      expect(count(vmsafe.appliancesNeeded({ ...i, windowH: Math.min(168, i.windowH * longer) }))).toBeLessThanOrEqual(count(vmsafe.appliancesNeeded(i)));
    },
  );

  test("the curve is one answer per window", () => {
    const s = vmsafe.scenario("seed-1000-xp").offline;
    expect(vmsafe.appliancesCurve(s, [8, 24, 48]).map((p) => p.appliances)).toEqual([
      Math.ceil((6000 * 1024) / (8 * 3600) / 40), 2, 1,
    ]);
  });
});

describe("the appliances' share of the cluster (spec §3, §6.9)", () => {
  test.prop([fc.integer({ min: 1, max: 64 }), fc.integer({ min: 1, max: 64 }), fc.integer({ min: 1, max: 64 }), fc.integer({ min: 1, max: 64 })], RUNS)(
    "slowdown = cluster cores / appliance cores, at least 1 while the appliances hold no more cores than the cluster",
    (hosts, coresPerHost, appliances, coresPerAppliance) => {
      const r = vmsafe.cpuShare({ hosts, coresPerHost, appliances, coresPerAppliance });
      expect(relClose(r.slowdown * r.share, 1)).toBe(true);
      if (appliances * coresPerAppliance <= hosts * coresPerHost) expect(r.slowdown).toBeGreaterThanOrEqual(1);
    },
  );
});

describe("bad input", () => {
  const base = vmsafe.scenario("seed-1000-xp").offline;
  test.each([
    ["desktops", 0], ["desktops", 1.5], ["desktops", 20_001], ["usedGBPerDesktop", 0], ["usedGBPerDesktop", Number.NaN],
    ["appliances", 0], ["appliances", 65], ["scanMBpsPerCore", 0], ["datastoreReadIOPS", 0], ["windowH", 0],
    ["windowH", Number.POSITIVE_INFINITY], ["transport", "FTP"], ["mode", "quick"], ["linkedCloneShare", 1],
    ["parallelStreams", 0], ["changedGBPerDayPerDesktop", 0], ["scanSharedOnce", "yes"],
  ])("%s = %s throws ModelInputError naming the field", (field, value) => {
    const call = () => vmsafe.offlineScan({ ...base, [field]: value });
    expect(call).toThrow(ModelInputError);
    try {
      call();
    } catch (e) {
      expect((e as ModelInputError).field).toBe(field);
    }
    expect(() => vmsafe.appliancesNeeded({ ...base, [field]: value } as typeof base)).toThrow(ModelInputError);
  });

  test("not an object, or a bad window list", () => {
    expect(() => vmsafe.offlineScan(null as never)).toThrow(ModelInputError);
    expect(() => vmsafe.appliancesCurve(base, [])).toThrow(ModelInputError);
    expect(() => vmsafe.appliancesCurve(base, [24, -1])).toThrow(ModelInputError);
    expect(() => vmsafe.progressPercent({ hours: 0 }, 1)).toThrow(ModelInputError);
    expect(() => vmsafe.cpuShare({ hosts: 0, coresPerHost: 8, appliances: 1, coresPerAppliance: 2 })).toThrow(ModelInputError);
  });
});

describe("VDDK transport modes (spec §2)", () => {
  test("per appliance with 4 streams: SAN and HotAdd above NBD above NBDSSL, links capping NBD and SAN", () => {
    const rate = (mode: (typeof vmsafe.TRANSPORT_MODES)[number]) => vmsafe.transportMBps({ mode, parallelStreams: 4 }).applianceMBps;
    expect(rate("NBD")).toBe(117); // 4 × 60 MB/s capped by 1 GbE
    expect(rate("NBDSSL")).toBe(117); // 4 × 36 MB/s, also capped: the order shows with fewer streams
    expect(vmsafe.transportMBps({ mode: "NBDSSL", parallelStreams: 1 }).applianceMBps).toBeLessThan(vmsafe.transportMBps({ mode: "NBD", parallelStreams: 1 }).applianceMBps);
    expect(rate("HotAdd")).toBe(800); // 4 × 200 MB/s, no link of its own
    expect(rate("SAN")).toBe(800); // 4 × 300 MB/s capped by 8 Gb FC
    expect(Math.min(rate("SAN"), rate("HotAdd"))).toBeGreaterThan(rate("NBD"));
    expect(() => vmsafe.transportMBps({ mode: "NBD", parallelStreams: 4, streamMBps: 0 })).toThrow(ModelInputError);
  });
});
