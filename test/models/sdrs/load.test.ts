import { describe, expect } from "vitest";
import { test } from "@fast-check/vitest";
import { sdrs } from "../../../src/index.ts";
import { emptyLoad, shiftedLoad } from "../../../src/sdrs/load.ts";
import { cluster } from "./arbitraries.ts";

describe("datastore loads", () => {
  test.prop([cluster], { numRuns: 1000 })("summing the VMs equals adding them one by one, in the cluster's order, with shiftedLoad", (c) => {
    const oneByOne = c.datastores.map((ds) => {
      const load = c.vms.filter((vm) => vm.datastore === ds.name).reduce((l, vm) => shiftedLoad(l, ds.device, vm, 1), emptyLoad(ds));
      return { ...load, latencyMs: ds.p90LatencyMs ?? load.predictedLatencyMs };
    });
    expect(sdrs.datastoreLoads(c.datastores, c.vms)).toEqual(oneByOne);
  });
});
