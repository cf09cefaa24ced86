/** Example tests: the sources' sequences, reboot recovery and the net-dvs listing, on the example state. */
import { describe, expect, test } from "vitest";
import { vds } from "../../../src/index.ts";
import { expectModelInputError } from "../expect.ts";

const start = vds.exampleState();

describe("events", () => {
  test("vCenter down changes only the control plane: hosts, VMs and ports stay as they were [1][2]", () => {
    const down = vds.apply(start, { type: "vcenterDown" });
    expect(down.vcenter.up).toBe(false);
    expect(down.hosts).toEqual(start.hosts);
    expect(down.vms).toEqual(start.vms);
  });

  test("rebooting the host that runs the vCenter VM takes vCenter down, and the host boots from its dvsData.db [5][6][7]", () => {
    const r = vds.recoverAfterReboot(start, "esx01");
    expect(r.configFrom).toBe("dvsData.db");
    expect(r.ports.map((p) => p.file)).toEqual([
      "/vmfs/volumes/shared-vmfs-01/.dvsData/50 1a 2b 3c 4d 5e 6f 70-81 92 a3 b4 c5 d6 e7 f8/10",
      "/vmfs/volumes/shared-vmfs-01/.dvsData/50 1a 2b 3c 4d 5e 6f 70-81 92 a3 b4 c5 d6 e7 f8/11",
    ]);
    const after = vds.apply(start, { type: "hostReboot", host: "esx01" });
    expect(after.vcenter.up).toBe(false);
    expect(vds.hostOf(after, "esx01")).toMatchObject({ proxySwitch: "up", rebootedWithoutVcenter: true });
    expect(after.vms.filter((v) => v.host === "esx01").every((v) => !v.powered && v.nics.every((n) => n.backing === "ok"))).toBe(true);
  });

  test("a reboot with the datastore unreadable leaves 'Invalid Backing' ports, and a power-on without vCenter stays disconnected [7]", () => {
    let s = vds.apply(start, { type: "hostLosesDatastore", host: "esx01", datastore: "ds1" });
    s = vds.apply(s, { type: "hostReboot", host: "esx01" });
    expect(vds.vmOf(s, "vcenter").nics[0].backing).toBe("invalid");
    s = vds.apply(s, { type: "hostRegainsDatastore", host: "esx01", datastore: "ds1" });
    s = vds.apply(s, { type: "powerOn", vm: "vcenter" });
    expect(vds.vmOf(s, "vcenter")).toMatchObject({ powered: true, nics: [{ portgroup: "pg-static", portId: 10, connected: false }] });
    // vCenter cannot come back while its own VM has no network.
    expect(vds.apply(s, { type: "vcenterUp" })).toEqual(s);
    // Moving its NIC to a static portgroup from the host client is refused; to an ephemeral one it works [3][10].
    expect(vds.apply(s, { type: "moveNic", vm: "vcenter", portgroup: "pg-dynamic" })).toEqual(s);
    const moved = vds.apply(s, { type: "moveNic", vm: "vcenter", portgroup: "pg-ephemeral" });
    expect(vds.vmOf(moved, "vcenter").nics[0]).toMatchObject({ portgroup: "pg-ephemeral", connected: true });
    expect(vds.apply(moved, { type: "vcenterUp" }).vcenter.up).toBe(true);
  });

  test("HA restarts a static-port VM on another host with vCenter down, keeping its port id [5][9]", () => {
    let s = vds.scenario("ha-without-vcenter").initial();
    s = vds.apply(s, { type: "vcenterDown" });
    s = vds.apply(s, { type: "haRestart", vm: "app01", toHost: "esx02" });
    expect(vds.vmOf(s, "app01")).toMatchObject({ host: "esx02", powered: true, nics: [{ portId: 11, connected: true }] });
    expect(vds.hostOf(s, "esx01").running).toBe(false);
  });

  test("HA cannot restart a VM on a host that does not see its datastore", () => {
    let s = vds.apply(start, { type: "hostLosesDatastore", host: "esx02", datastore: "ds1" });
    s = vds.apply(s, { type: "haRestart", vm: "app01", toHost: "esx02" });
    expect(vds.vmOf(s, "app01")).toMatchObject({ host: "esx01", powered: false });
  });

  test("moving vCenter's only connected NIC onto a port that cannot connect takes vCenter down", () => {
    // esx01 (running the vCenter VM) is cut off from vCenter's management network and runs a
    // temporary standard switch: the host client takes the move to the ephemeral portgroup, but
    // the new port has no proxy switch to connect to.
    const cutOff: vds.VdsState = {
      ...start,
      hosts: start.hosts.map((h) => (h.id === "esx01" ? { ...h, mgmtLink: false, stateless: true, proxySwitch: "temp-vss" } : h)),
    };
    const s = vds.apply(cutOff, { type: "moveNic", vm: "vcenter", portgroup: "pg-ephemeral" });
    expect(vds.vmOf(s, "vcenter").nics[0]).toMatchObject({ portgroup: "pg-ephemeral", connected: false });
    expect(s.vcenter.up).toBe(false);
    expect(() => vds.checkState(s)).not.toThrow();
    // Another VM's NIC moving the same way leaves vCenter alone.
    expect(vds.apply(cutOff, { type: "moveNic", vm: "app01", portgroup: "pg-ephemeral" }).vcenter.up).toBe(true);
  });

  test("a stateless host rebooted without vCenter runs a temporary standard switch and can start nothing [16]", () => {
    const stateless: vds.VdsState = { ...start, hosts: start.hosts.map((h) => (h.id === "esx02" ? { ...h, stateless: true } : h)) };
    const s = vds.apply(vds.apply(stateless, { type: "vcenterDown" }), { type: "hostReboot", host: "esx02" });
    expect(vds.hostOf(s, "esx02").proxySwitch).toBe("temp-vss");
    const a = vds.outcome(s, { kind: "power-on", binding: "ephemeral", host: "esx02" });
    expect(a).toMatchObject({ outcome: "no", decidedBy: "temporary-switch", sources: ["autodeploy-65"] });
    expect(vds.netDvs(s, "esx02")[0]).toContain("temporary standard switch");
  });

  test("with the management network lost a configuration change is queued for that host and applied elsewhere [12]", () => {
    const s = vds.apply(start, { type: "mgmtNetworkLoss", host: "esx02" });
    expect(vds.outcome(s, { kind: "change-config", host: "esx02" }).outcome).toBe("queued");
    expect(vds.outcome(s, { kind: "change-config", host: "esx01" }).outcome).toBe("ok");
  });

  test("each scenario step applies; the vCenter scenario ends with vCenter up on an ephemeral port", () => {
    const id = "vcenter-static-reboot";
    const end = vds.scenarioState(id, vds.scenario(id).steps.length);
    expect(end.vcenter.up).toBe(true);
    expect(vds.vmOf(end, "vcenter").nics[0].portgroup).toBe("pg-ephemeral");
    // After step 5 (power-on from the host client) vCenter is still down.
    expect(vds.scenarioState(id, 5).vcenter.up).toBe(false);
  });

  test("bad input throws ModelInputError naming the field", () => {
    expectModelInputError(() => vds.apply(start, { type: "hostReboot", host: "esx09" }), "host");
    expectModelInputError(() => vds.apply(start, { type: "haRestart", vm: "app01", toHost: "esx01" }), "event.toHost");
    expectModelInputError(() => vds.apply(start, { type: "explode" } as unknown as vds.VdsEvent), "event.type");
    expectModelInputError(() => vds.outcome({ ...start, switchUuid: "x" }, { kind: "vmotion", host: "esx01" }), "state.switchUuid");
    expectModelInputError(() => vds.outcome(start, { kind: "vmotion", host: "esx01", binding: "late" as vds.Binding }), "operation.binding");
    expectModelInputError(() => vds.scenarioState("vcenter-static-reboot", 99), "stepCount");
    expectModelInputError(() => vds.checkState({ ...start, vcenter: { up: true, vmId: "ghost" } }), "state.vcenter.vmId");
  });
});

describe("net-dvs", () => {
  test("lists the switch and, for each VM port on the host, the path of its .dvsData file and its status [5][6]", () => {
    const lines = vds.netDvs(start, "esx01");
    expect(lines[0]).toBe("switch 50 1a 2b 3c 4d 5e 6f 70-81 92 a3 b4 c5 d6 e7 f8 (etherswitch)");
    expect(lines.filter((l) => l.startsWith("\tport "))).toEqual(["\tport 10:", "\tport 11:"]);
    expect(lines).toContain("\t\tcom.vmware.common.port.volatile.persist = /vmfs/volumes/shared-vmfs-01/.dvsData/50 1a 2b 3c 4d 5e 6f 70-81 92 a3 b4 c5 d6 e7 f8/10 ,\tpropType = CONFIG");
    expect(lines.join("\n")).toContain("host.volatile.status = green");
    const down = vds.apply(start, { type: "vcenterDown" });
    expect(vds.netDvs(down, "esx01").join("\n")).toContain("host.volatile.status = red");
  });
});

describe("traffic", () => {
  test("flows without vCenter, stops at an Invalid Backing port after a reboot with the datastore unreadable [1][7]", () => {
    const down = vds.apply(start, { type: "vcenterDown" });
    expect(down.vms.map((v) => vds.trafficOf(down, v.id).flows)).toEqual([true, true, true]);
    let s = vds.apply(start, { type: "hostLosesDatastore", host: "esx01", datastore: "ds1" });
    s = vds.apply(vds.apply(s, { type: "hostReboot", host: "esx01" }), { type: "hostRegainsDatastore", host: "esx01", datastore: "ds1" });
    s = vds.apply(s, { type: "powerOn", vm: "vcenter" });
    expect(vds.trafficOf(s, "vcenter")).toMatchObject({ flows: false, stop: "invalid-backing" });
    expect(vds.trafficOf(s, "app01").stop).toBe("vm-off");
    expect(vds.trafficOf(s, "web01").flows).toBe(true);
  });
});
