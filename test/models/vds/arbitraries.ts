/** fast-check arbitraries for vDS states: reachable ones (event sequences) and directly built ones. */
import { fc } from "@fast-check/vitest";
import { vds, ModelInputError } from "../../../src/index.ts";

type State = vds.VdsState;
type Event = vds.VdsEvent;

/** Any event naming things that exist in `state`. */
export function arbEvent(state: State): fc.Arbitrary<Event> {
  const host = fc.constantFrom(...state.hosts.map((h) => h.id));
  const ds = fc.constantFrom(...state.datastores.map((d) => d.id));
  const pg = fc.constantFrom(...state.portgroups.map((p) => p.id));
  const simple = fc.constantFrom<Event>({ type: "vcenterDown" }, { type: "vcenterUp" }, { type: "vcenterVmOffVds" });
  const hostEvents = fc.oneof(
    fc.record({ type: fc.constant("hostLosesDatastore" as const), host, datastore: ds }),
    fc.record({ type: fc.constant("hostRegainsDatastore" as const), host, datastore: ds }),
    fc.record({ type: fc.constant("hostReboot" as const), host }),
    fc.record({ type: fc.constant("mgmtNetworkLoss" as const), host }),
    fc.record({ type: fc.constant("mgmtNetworkRestore" as const), host }),
  );
  if (state.vms.length === 0) return fc.oneof(simple, hostEvents);
  const vm = fc.constantFrom(...state.vms.map((v) => v.id));
  return fc.oneof(
    simple,
    hostEvents,
    fc.record({ type: fc.constant("powerOn" as const), vm }),
    fc.record({ type: fc.constant("moveNic" as const), vm, portgroup: pg }),
    fc.record({ type: fc.constant("haRestart" as const), vm, toHost: host }),
  );
}

/** Applies what the model accepts and skips what it refuses (an HA restart onto the VM's own host). */
export function applyAll(start: State, events: readonly Event[]): State {
  let state = start;
  for (const e of events) {
    try {
      state = vds.apply(state, e);
    } catch (error) {
      if (!(error instanceof ModelInputError)) throw error;
    }
    // What the model gave back must itself be a valid state (this throws otherwise).
    vds.checkState(state);
  }
  return state;
}

/** An event picked by a number: its type, then the host, VM, datastore and portgroup it names. */
function eventFromSeed(state: State, seed: number): Event {
  const pick = <T,>(items: readonly T[], shift: number): T => items[(seed >> shift) % items.length];
  const host = pick(state.hosts, 4).id;
  const datastore = pick(state.datastores, 8).id;
  const portgroup = pick(state.portgroups, 10).id;
  const vm = state.vms.length > 0 ? pick(state.vms, 12).id : null;
  const all: Array<Event | null> = [
    { type: "vcenterDown" },
    { type: "vcenterUp" },
    { type: "vcenterVmOffVds" },
    { type: "hostLosesDatastore", host, datastore },
    { type: "hostRegainsDatastore", host, datastore },
    { type: "hostReboot", host },
    { type: "mgmtNetworkLoss", host },
    { type: "mgmtNetworkRestore", host },
    vm === null ? null : { type: "powerOn", vm },
    vm === null ? null : { type: "moveNic", vm, portgroup },
    vm === null ? null : { type: "haRestart", vm, toHost: host },
    vm === null ? null : { type: "vcenterVmOnVds", vm },
  ];
  const usable = all.filter((e): e is Event => e !== null);
  return usable[seed % usable.length];
}

const reachable: fc.Arbitrary<State> = fc
  .tuple(fc.constantFrom(vds.exampleState(), vds.vcenterElsewhere()), fc.array(fc.integer({ min: 0, max: 1 << 20 }), { maxLength: 12 }))
  .map(([start, seeds]) => {
    // Each seed picks the next event from what exists in the state at that point.
    let state = start;
    for (const seed of seeds) state = applyAll(state, [eventFromSeed(state, seed)]);
    return state;
  });

const built: fc.Arbitrary<State> = fc
  .record({
    vcUp: fc.boolean(),
    hosts: fc.array(
      fc.record({
        running: fc.boolean(),
        mgmtLink: fc.boolean(),
        sees: fc.subarray(["ds1", "ds2"]),
        localCache: fc.constantFrom(...vds.LOCAL_CACHE),
        proxySwitch: fc.constantFrom(...vds.PROXY_SWITCH),
        stateless: fc.boolean(),
        rebooted: fc.boolean(),
      }),
      { minLength: 1, maxLength: 3 },
    ),
    vms: fc.array(
      fc.record({
        host: fc.nat(2),
        ds: fc.constantFrom("ds1", "ds2"),
        powered: fc.boolean(),
        nics: fc.array(fc.record({ pg: fc.constantFrom("pg-static", "pg-dynamic", "pg-ephemeral"), port: fc.option(fc.nat(50)), connected: fc.boolean(), backing: fc.constantFrom(...vds.PORT_BACKING) }), { maxLength: 2 }),
      }),
      { maxLength: 4 },
    ),
    vcVm: fc.option(fc.nat(3)),
  })
  .map((r): State => {
    const base = vds.exampleState();
    const hosts = r.hosts.map((h, i) => {
      const running = h.running;
      let proxySwitch = running ? (h.proxySwitch === "absent" ? "up" : h.proxySwitch) : "absent";
      if (r.vcUp && running && h.mgmtLink) proxySwitch = "up";
      return { id: `esx0${i + 1}`, running, mgmtLink: h.mgmtLink, seesDatastores: h.sees, localCache: h.localCache, proxySwitch, stateless: h.stateless, rebootedWithoutVcenter: !r.vcUp && h.rebooted } as vds.Host;
    });
    const vms = r.vms.map((v, i) => ({
      id: `vm${i}`,
      host: hosts[v.host % hosts.length].id,
      datastore: v.ds,
      powered: v.powered,
      nics: v.nics.map((n) => ({ portgroup: n.pg, portId: n.port, connected: n.connected, backing: n.backing })),
    }));
    const candidate: State = { ...base, datastores: [...base.datastores, { id: "ds2", name: "shared-nfs-02" }], hosts, vms, vcenter: { up: r.vcUp, vmId: r.vcVm !== null && r.vcVm < vms.length ? vms[r.vcVm].id : null } };
    // vCenter cannot be up while its own VM cannot serve: then it runs elsewhere.
    return r.vcUp && !vds.vcenterVmServes(candidate) ? { ...candidate, vcenter: { up: true, vmId: null } } : candidate;
  });

export const arbState: fc.Arbitrary<State> = fc.oneof(reachable, built);
