import { describe, expect } from "vitest";
import { test, fc } from "@fast-check/vitest";
import { evc } from "../../../src/index.ts";
import { ModelInputError } from "../../../src/shared/index.ts";
import { realHostsArb, vendorArb } from "./arbitraries.ts";

const subset = (a: Iterable<string>, b: ReadonlySet<string>) => [...a].every((f) => b.has(f));
const { cluster } = evc.defaultScenario();
const start = () => evc.startCatch22(cluster, "intel-merom");

/** Applies actions in order; fails the test on the first refusal. */
function run(state: evc.Catch22State, actions: evc.Catch22Action[]): evc.Catch22State {
  for (const action of actions) {
    const r = evc.step(state, action);
    if (!r.ok) throw new Error(`${action.type} refused: ${r.refusal.reason}`);
    state = r.state;
  }
  return state;
}

function refused(state: evc.Catch22State, action: evc.Catch22Action): evc.Refusal {
  const r = evc.step(state, action);
  expect(r.ok).toBe(false);
  if (r.ok) throw new Error("accepted");
  expect(r.state).toBe(state);
  return r.refusal;
}

/** The §4 procedure for the source's cluster, written out from the spec: esx01 (7350, no VMs) is H. */
const DOCUMENTED: evc.Catch22Action[] = [
  { type: "createEvcCluster" }, // 1
  { type: "moveHostToEvcCluster", hostId: "esx01" }, // 2 (already empty)
  { type: "shutDownVcenter" }, // 3
  { type: "unregisterVcenter" },
  { type: "registerVcenter", hostId: "esx01" },
  { type: "powerOnVcenter" },
  { type: "powerOffVm", vmId: "win2008r2-a" }, // 4: running above the baseline, so power off
  { type: "powerOffVm", vmId: "win2008r2-b" },
  { type: "moveHostToEvcCluster", hostId: "esx02" },
  { type: "powerOnVm", vmId: "win2008r2-a" },
  { type: "powerOnVm", vmId: "win2008r2-b" },
  { type: "deleteOldCluster" }, // 5
];

describe("the catch-22 (§4, §8.14)", () => {
  test("enabling in place is refused because the vCenter VM itself blocks", () => {
    expect(evc.canEnableInPlace(cluster, "intel-merom")).toBe(false);
    const r = refused(start(), { type: "enableEvcInPlace" });
    expect(r.reason).toContain("ActiveVMsBlockingEVC");
    expect(r.reason).toContain("vCenter");
  });

  test("with vCenter on the 7350 host (exactly Merom) it would not block", () => {
    const moved = { ...cluster, vms: cluster.vms.map((vm) => (vm.isVcenter ? { ...vm, hostId: "esx01", featureSet: cluster.hosts[0].features } : vm)) };
    expect(evc.canEnableInPlace(moved, "intel-merom")).toBe(true);
  });

  test("the documented order reaches EVC enabled, vCenter running with the baseline's flags", () => {
    const end = run(start(), DOCUMENTED);
    const status = evc.catch22Status(end);
    expect(status).toEqual({ evcEnabled: true, vcenterRunning: true, vcenterAtTarget: true, hostsInOldCluster: [], documentedStep: "done" });
    for (const vm of end.vms) expect(vm.powerState).toBe("on");
    for (const vm of end.vms) expect(subset(vm.featureSet!, evc.getBaseline("intel-merom").features)).toBe(true);
    expect(end.log).toHaveLength(DOCUMENTED.length);
  });

  test("the walkthrough (runDocumentedProcedure) ends in the same state, stepping through KB steps 1 to 5 in order", () => {
    const { steps, status, stuck } = evc.runDocumentedProcedure(start());
    expect(stuck).toBeNull();
    expect(status.evcEnabled).toBe(true);
    const seen = [1, ...steps.map((s) => evc.catch22Status(s.state).documentedStep)].map((x) => (x === "done" ? 6 : x));
    for (let i = 1; i < seen.length; i++) expect(seen[i]).toBeGreaterThanOrEqual(seen[i - 1]);
    expect(steps.map((s) => s.action.type)).toEqual(DOCUMENTED.map((a) => a.type));
  });

  test("each step whose precondition fails is refused and leaves the state unchanged", () => {
    const s0 = start();
    expect(refused(s0, { type: "moveHostToEvcCluster", hostId: "esx01" }).precondition).toMatch(/EVC cluster exists/);
    expect(refused(s0, { type: "unregisterVcenter" }).precondition).toMatch(/powered off/);
    expect(refused(s0, { type: "deleteOldCluster" }).precondition).toMatch(/EVC cluster exists/);
    // The source's original failure: no vMotion from the X7460 host to the 7350 host without EVC.
    expect(refused(s0, { type: "migrateVm", vmId: "win2008r2-a", toHostId: "esx01" }).reason).toContain("sse4_1");

    const s1 = run(s0, [{ type: "createEvcCluster" }]);
    expect(refused(s1, { type: "createEvcCluster" }).precondition).toMatch(/no EVC cluster/);
    expect(refused(s1, { type: "shutDownVcenter" }).precondition).toMatch(/step 2/);
    const admission = refused(s1, { type: "moveHostToEvcCluster", hostId: "esx02" });
    expect(admission.reason).toContain("EVCAdmissionFailedVmActive");
    expect(admission.reason).toContain("vCenter");

    const s2 = run(s1, [{ type: "moveHostToEvcCluster", hostId: "esx01" }]);
    // §7: a VM started outside EVC with sse4_1 cannot vMotion into the Merom cluster.
    expect(refused(s2, { type: "migrateVm", vmId: "win2008r2-a", toHostId: "esx01" }).reason).toContain("sse4_1");
    const s3 = run(s2, [{ type: "shutDownVcenter" }]);
    expect(refused(s3, { type: "registerVcenter", hostId: "esx01" }).precondition).toMatch(/removed/);
    expect(refused(s3, { type: "moveHostToEvcCluster", hostId: "esx02" }).precondition).toMatch(/vCenter is running/);
    const s4 = run(s3, [{ type: "unregisterVcenter" }]);
    expect(refused(s4, { type: "powerOnVcenter" }).precondition).toMatch(/registered/);
    expect(refused(s4, { type: "registerVcenter", hostId: "esx02" }).precondition).toMatch(/EVC cluster/);
    const s5 = run(s4, [{ type: "registerVcenter", hostId: "esx01" }, { type: "powerOnVcenter" }]);
    expect(evc.catch22Status(s5).vcenterAtTarget).toBe(true);
    expect(refused(s5, { type: "deleteOldCluster" }).precondition).toMatch(/no hosts/);
    expect(refused(s5, { type: "moveHostToEvcCluster", hostId: "esx02" }).reason).toContain("EVCAdmissionFailedVmActive");
    expect(refused(s5, { type: "powerOffVm", vmId: "vcenter" }).precondition).toMatch(/not vCenter/);
  });

  test("when vCenter does not block, the walkthrough powers off the blockers, enables in place and powers them on again", () => {
    const moved = { ...cluster, vms: cluster.vms.map((vm) => (vm.isVcenter ? { ...vm, hostId: "esx01", featureSet: cluster.hosts[0].features } : vm)) };
    const { steps, status, stuck } = evc.runDocumentedProcedure(evc.startCatch22(moved, "intel-merom"));
    expect(stuck).toBeNull();
    expect(status.evcEnabled).toBe(true);
    expect(steps.map((s) => s.action.type)).toEqual(["powerOffVm", "powerOffVm", "enableEvcInPlace", "powerOnVm", "powerOnVm"]);
  });

  test("the walkthrough stops with a reason when a host cannot run the target", () => {
    const { stuck, status } = evc.runDocumentedProcedure(evc.startCatch22(cluster, "intel-penryn"));
    expect(stuck).toMatch(/esx01 cannot run Intel "Penryn" Generation/);
    expect(status.evcEnabled).toBe(false);
  });

  test("step never mutates its input", () => {
    const s0 = start();
    const snapshot = JSON.stringify(s0, (_, v) => (v instanceof Set ? [...v] : v));
    run(s0, DOCUMENTED);
    expect(JSON.stringify(s0, (_, v) => (v instanceof Set ? [...v] : v))).toBe(snapshot);
  });

  test("malformed actions and unknown ids are ModelInputErrors; so is a cluster that does not fit the procedure", () => {
    expect(() => evc.step(start(), { type: "reboot" } as unknown as evc.Catch22Action)).toThrow(ModelInputError);
    expect(() => evc.step(start(), { type: "powerOffVm", vmId: "nope" })).toThrow(ModelInputError);
    expect(() => evc.startCatch22({ ...cluster, evcMode: "intel-merom" }, "intel-merom")).toThrow(ModelInputError);
    expect(() => evc.startCatch22({ ...cluster, vms: cluster.vms.filter((vm) => !vm.isVcenter) }, "intel-merom")).toThrow(/isVcenter/);
  });
});

/**
 * Clusters of real same-vendor CPUs with a usable target and vCenter running on a host whose features exceed
 * the target (§8.14), plus other VMs on random hosts, running or not.
 */
const trapArb = vendorArb
  .chain((v) => realHostsArb(v, { minLength: 2, maxLength: 5 }))
  .chain((hosts) => {
    const usable = evc.usableBaselines(hosts);
    return fc.tuple(
      fc.constant(hosts),
      usable.length ? fc.constantFrom(...usable) : fc.constant(null),
      fc.nat(hosts.length - 1),
      fc.array(fc.tuple(fc.nat(hosts.length - 1), fc.constantFrom<evc.PowerState>("on", "suspended", "off")), { maxLength: 6 }),
    );
  })
  .filter(([hosts, target, v]) => target !== null && !subset(hosts[v].features, target.features))
  .map(([hosts, target, v, others]) => {
    const vm = (id: string, host: evc.Host, powerState: evc.PowerState, isVcenter = false): evc.Vm => ({
      id,
      name: id,
      hostId: host.id,
      powerState,
      featureSet: powerState === "off" ? null : host.features,
      isVcenter,
    });
    const cluster: evc.Cluster = { hosts, evcMode: null, vms: [vm("vcenter", hosts[v], "on", true), ...others.map(([h, p], i) => vm(`vm${i}`, hosts[h], p))] };
    return { cluster, target: target! };
  });

describe("properties of the state machine", () => {
  test.prop([trapArb], { numRuns: 1000 })("vCenter above the target: in place is refused, the documented procedure ends enabled", ({ cluster, target }) => {
    expect(evc.canEnableInPlace(cluster, target.id)).toBe(false);
    const s0 = evc.startCatch22(cluster, target.id);
    expect(evc.step(s0, { type: "enableEvcInPlace" }).ok).toBe(false);
    const { status, stuck, steps } = evc.runDocumentedProcedure(s0);
    expect(stuck).toBeNull();
    expect(status.evcEnabled && status.vcenterRunning && status.vcenterAtTarget).toBe(true);
    const end = steps.at(-1)!.state;
    for (const vm of end.vms) if (vm.powerState !== "off") expect(subset(vm.featureSet!, target.features)).toBe(true);
  });

  const randomAction = (ids: { vms: string[]; hosts: string[] }) =>
    fc.oneof(
      fc.constantFrom<evc.Catch22Action>(
        { type: "enableEvcInPlace" },
        { type: "createEvcCluster" },
        { type: "shutDownVcenter" },
        { type: "unregisterVcenter" },
        { type: "powerOnVcenter" },
        { type: "deleteOldCluster" },
      ),
      fc.constantFrom(...ids.vms).map((vmId): evc.Catch22Action => ({ type: "powerOffVm", vmId })),
      fc.constantFrom(...ids.vms).map((vmId): evc.Catch22Action => ({ type: "powerOnVm", vmId })),
      fc.constantFrom(...ids.hosts).map((hostId): evc.Catch22Action => ({ type: "moveHostToEvcCluster", hostId })),
      fc.constantFrom(...ids.hosts).map((hostId): evc.Catch22Action => ({ type: "registerVcenter", hostId })),
      fc.tuple(fc.constantFrom(...ids.vms), fc.constantFrom(...ids.hosts)).map(([vmId, toHostId]): evc.Catch22Action => ({ type: "migrateVm", vmId, toHostId })),
    );

  test.prop(
    [trapArb.chain((t) => fc.tuple(fc.constant(t), fc.array(randomAction({ vms: t.cluster.vms.map((v) => v.id), hosts: t.cluster.hosts.map((h) => h.id) }), { maxLength: 40 })))],
    { numRuns: 1000 },
  )("any sequence of accepted steps keeps every running VM under EVC within the mode (§3, §7)", ([{ cluster, target }, actions]) => {
    let state = evc.startCatch22(cluster, target.id);
    for (const action of actions) {
      const r = evc.step(state, action);
      if (!r.ok) {
        expect(r.state).toBe(state);
        continue;
      }
      state = r.state;
      for (const vm of state.vms) {
        if (vm.powerState === "off" || vm.hostId === null) continue;
        const inEvc = state.hosts.find((h) => h.host.id === vm.hostId)!.cluster === "evc" || state.oldClusterEvc !== null;
        if (inEvc) expect(subset(vm.featureSet!, target.features)).toBe(true);
      }
      if (evc.catch22Status(state).evcEnabled) expect(evc.catch22Status(state).vcenterRunning).toBe(true);
    }
  });
});
