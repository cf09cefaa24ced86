/** The spec's invariants (section 7) as fast-check properties over reachable and directly built states. */
import { describe, expect } from "vitest";
import { test, fc } from "@fast-check/vitest";
import { vds, ModelInputError } from "../../../src/index.ts";
import { arbEvent, arbState } from "./arbitraries.ts";

const RUNS = { numRuns: 1000 };
const BINDINGS = ["static", "dynamic", "ephemeral"] as const;

/** Every operation of the notebook's table on every host: the outcome cells of a state. */
function allOutcomes(state: vds.VdsState): string[] {
  return vds.outcomeTable(state).flatMap((row, r) => row.map((a, h) => `${state.hosts[h].id} ${vds.TABLE_OPERATIONS[r].label}: ${a.outcome} (${a.decidedBy})`));
}

/** Events from E1-E5 that change the state they are applied to, each with its inverse. */
function applicable(state: vds.VdsState, e: vds.VdsEvent): boolean {
  const host = "host" in e ? state.hosts.find((h) => h.id === e.host)! : undefined;
  switch (e.type) {
    case "vcenterDown": return state.vcenter.up;
    case "hostLosesDatastore": return host!.seesDatastores.includes(e.datastore);
    case "mgmtNetworkLoss": return host!.mgmtLink;
    case "vcenterVmOnVds": return state.vcenter.vmId === null && !state.vcenter.up;
    default: return false;
  }
}

const withEvent = arbState.chain((s) => fc.tuple(fc.constant(s), arbEvent(s)));

describe("vDS invariants (spec section 7)", { timeout: 60_000 }, () => {
  test.prop([arbState], RUNS)("1. data plane independence: existing traffic works exactly when the host runs with its proxy switch up, whatever vCenter and the management link do", (s) => {
    for (const host of s.hosts) {
      const a = vds.outcome(s, { kind: "existing-traffic", host: host.id });
      expect(vds.works(a.outcome)).toBe(host.running && host.proxySwitch === "up");
    }
    // Taking vCenter or a management link away changes nothing on the data plane.
    const variants = [vds.apply(s, { type: "vcenterDown" }), ...s.hosts.map((h) => vds.apply(s, { type: "mgmtNetworkLoss", host: h.id }))];
    for (const v of variants) {
      for (const vm of s.vms) expect(vds.trafficOf(v, vm.id)).toEqual(vds.trafficOf(s, vm.id));
      for (const host of s.hosts) {
        expect(vds.outcome(v, { kind: "existing-traffic", host: host.id }).outcome).toBe(vds.outcome(s, { kind: "existing-traffic", host: host.id }).outcome);
      }
    }
  });

  test.prop([arbState], RUNS)("2. control plane necessity: a configuration change or an added host is never applied without vCenter, and only queued for a disconnected host", (s) => {
    for (const host of s.hosts) {
      for (const kind of ["change-config", "add-host"] as const) {
        const a = vds.outcome(s, { kind, host: host.id });
        if (!s.vcenter.up) expect(a.outcome).toBe("no");
        if (a.outcome === "ok") expect(s.vcenter.up && (kind === "add-host" || (host.running && host.mgmtLink))).toBe(true);
      }
      if (s.vcenter.up && !host.mgmtLink && host.running) expect(vds.outcome(s, { kind: "change-config", host: host.id }).outcome).toBe("queued");
    }
  });

  test.prop([arbState], RUNS)("3 and 4. with vCenter down, ephemeral ≥ static ≥ dynamic for every operation on every host", (s) => {
    const down = s.vcenter.up ? vds.apply(s, { type: "vcenterDown" }) : s;
    for (const host of down.hosts) {
      for (const kind of vds.OPERATION_KINDS) {
        const sev = BINDINGS.map((binding) => vds.severity(vds.outcome(down, { kind, host: host.id, binding }).outcome));
        const [stat, dyn, eph] = sev;
        expect(eph).toBeLessThanOrEqual(stat);
        expect(stat).toBeLessThanOrEqual(dyn);
      }
    }
  });

  test.prop([arbState], RUNS)("5. storage coupling: nothing that needs the VM's files or .dvsData is plainly OK on a host missing a datastore", (s) => {
    for (const host of s.hosts) {
      if (vds.seesAllDatastores(s, host)) continue;
      for (const kind of ["power-on", "connect-new-vm", "vmotion", "ha-restart"] as const) {
        for (const binding of BINDINGS) expect(vds.outcome(s, { kind, host: host.id, binding }).outcome).not.toBe("ok");
      }
    }
  });

  test.prop([arbState], RUNS)("6. idempotence: vcenterDown twice is vcenterDown once", (s) => {
    const once = vds.apply(s, { type: "vcenterDown" });
    expect(vds.apply(once, { type: "vcenterDown" })).toEqual(once);
  });

  test.prop([withEvent], RUNS)("6. an event then its inverse restores every outcome", ([s, e]) => {
    const inv = vds.inverse(e);
    fc.pre(inv !== null && applicable(s, e));
    expect(allOutcomes(vds.apply(vds.apply(s, e), inv!))).toEqual(allOutcomes(s));
  });

  test.prop([arbState], RUNS)("6. vCenter down then up restores every outcome (its VM can always serve again)", (s) => {
    fc.pre(s.vcenter.up);
    expect(allOutcomes(vds.apply(vds.apply(s, { type: "vcenterDown" }), { type: "vcenterUp" }))).toEqual(allOutcomes(s));
  });

  test.prop([withEvent], RUNS)("7. no failure event changes the port id of a VM that keeps running on the same host", ([s, e]) => {
    fc.pre(e.type !== "moveNic");
    let next: vds.VdsState;
    try {
      next = vds.apply(s, e);
    } catch (error) {
      expect(error).toBeInstanceOf(ModelInputError);
      return;
    }
    for (const vm of s.vms) {
      const after = next.vms.find((v) => v.id === vm.id)!;
      if (!(vm.powered && after.powered && vm.host === after.host)) continue;
      // A port the VM never had may be granted (vCenter back); one it holds keeps its id.
      vm.nics.forEach((nic, i) => nic.portId !== null && expect(after.nics[i].portId).toBe(nic.portId));
    }
  });

  test.prop([arbState], RUNS)("8. every state × operation is defined: a known outcome, one sentence, and a source or the '?' flag", (s) => {
    // The state is checked once; each of the 27 operations per host then asks the unchecked form.
    // Problems are collected and compared once (an expect per cell would dominate the run time).
    vds.checkState(s);
    const bad: string[] = [];
    for (const host of s.hosts) {
      for (const kind of vds.OPERATION_KINDS) {
        for (const binding of BINDINGS) {
          const a = vds.outcomeUnchecked(s, { kind, host: host.id, binding });
          const where = `${host.id} ${kind} ${binding}`;
          if (!vds.OUTCOMES.includes(a.outcome)) bad.push(`${where}: outcome ${a.outcome}`);
          if (!/^\S.*[.]$/.test(a.reason)) bad.push(`${where}: reason ${a.reason}`);
          if (a.outcome !== "n/a" && a.sources.length === 0 && !a.uncertain) bad.push(`${where}: no source and no '?'`);
          for (const id of a.sources) if (!vds.SOURCE_IDS.includes(id)) bad.push(`${where}: unknown source ${id}`);
        }
      }
    }
    expect(bad).toEqual([]);
  });

  test.prop([withEvent], RUNS)("every event gives a valid state or a ModelInputError, and never changes its input", ([s, e]) => {
    const before = JSON.stringify(s);
    try {
      const next = vds.apply(s, e);
      expect(() => vds.checkState(next)).not.toThrow();
    } catch (error) {
      expect(error).toBeInstanceOf(ModelInputError);
    }
    expect(JSON.stringify(s)).toBe(before);
  });

  test.prop([arbState, fc.anything()], RUNS)("junk operations, events and states throw ModelInputError", (s, junk) => {
    const expectInputError = (run: () => unknown) => {
      try {
        run();
      } catch (error) {
        expect(error).toBeInstanceOf(ModelInputError);
        return;
      }
      throw new Error("accepted junk");
    };
    expectInputError(() => vds.outcome(s, { kind: junk as vds.OperationKind, host: s.hosts[0].id }));
    expectInputError(() => vds.outcome(s, { kind: "vmotion", host: `no-such-host-${typeof junk}` }));
    expectInputError(() => vds.apply(s, { type: junk } as unknown as vds.VdsEvent));
    expectInputError(() => vds.outcome(junk as vds.VdsState, { kind: "vmotion", host: "esx01" }));
    expectInputError(() => vds.netDvs({ ...s, hosts: junk } as unknown as vds.VdsState, "esx01"));
  });
});
