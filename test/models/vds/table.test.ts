/**
 * Every cell of the spec's outcome table (shared/models/vds.md section 4), transcribed here by hand
 * from the spec, checked against the model twice: the model's TABLE, and outcome() on a state built
 * by the events that put host esx01 in each column's condition.
 */
import { describe, expect, test } from "vitest";
import { vds } from "../../../src/index.ts";

type Symbol = "OK" | "OK*" | "NO" | "NO (?)" | "?" | "queued" | "risk" | "n/a" | "-";
const COLUMNS = ["up", "vcenter-down", "datastore-lost", "rebooted-without-vcenter", "mgmt-lost"] as const;

/** The spec's symbol for each cell, in column order: vCenter up, E1, E2, E3, E4; then the [n] cited in the cell. */
const SPEC: Record<string, Array<[Symbol, number[]]>> = {
  O1: [["OK", []], ["OK", [3, 8, 13]], ["OK", []], ["OK*", [7, 10]], ["OK", [3]]],
  O2: [["OK", []], ["OK", [8, 9]], ["NO", []], ["OK*", [7, 10]], ["OK", []]],
  O3: [["OK", [4, 8]], ["NO", [8, 11]], ["NO", []], ["NO", []], ["NO (?)", []]],
  O4: [["OK", []], ["NO", [3]], ["n/a", []], ["NO", []], ["NO", [3]]],
  O5: [["OK", []], ["OK", [3, 4, 10]], ["OK*", []], ["OK", []], ["OK", []]],
  O6: [["OK", []], ["NO", [1, 14]], ["OK", []], ["NO", []], ["queued", [12]]],
  O7: [["OK", [5]], ["NO", []], ["NO", []], ["NO", []], ["NO", []]],
  O8: [["OK", []], ["OK*", [5, 6, 15, 9]], ["?", []], ["OK*", []], ["OK*", []]],
  // O9 "OK usually ... power-on can fail" is a conditional OK.
  O9: [["OK", []], ["OK*", [9, 10]], ["-", []], ["risk", [7, 10]], ["-", []]],
  // O10 "host-side restore only (... ? not confirmed by a read source)".
  O10: [["OK", [12]], ["?", []], ["-", []], ["-", []], ["-", []]],
};

/** The spec's numbered sources, by the ids of the notebook's source list. */
const SOURCE_NUMBER: Record<number, string> = {
  1: "vds-architecture", 2: "sdk-proxy-switch", 3: "kb324492", 4: "api-portgroup-type", 5: "strydom-2011", 6: "hill-2010",
  7: "webster-2012", 8: "vstellar-2017", 9: "odgers-2014", 10: "wahl-2015", 11: "networking-65", 12: "rollback-67",
  13: "laverick-vmwiki", 14: "vvd-43", 15: "qa-2013", 16: "autodeploy-65",
};

function expected(symbol: Symbol): { outcome: vds.Outcome; uncertain?: boolean } {
  switch (symbol) {
    case "OK": return { outcome: "ok" };
    case "OK*": return { outcome: "conditional" };
    case "NO": return { outcome: "no" };
    case "NO (?)": return { outcome: "no", uncertain: true };
    case "?": return { outcome: "uncertain", uncertain: true };
    case "queued": return { outcome: "queued" };
    case "risk": return { outcome: "risk" };
    case "n/a": case "-": return { outcome: "n/a" };
  }
}

/** The operation on esx01 that reads each row. */
const OPERATION: Record<string, Omit<vds.Operation, "host">> = {
  O1: { kind: "existing-traffic" },
  O2: { kind: "power-on", binding: "static" },
  O3: { kind: "power-on", binding: "dynamic" },
  O4: { kind: "connect-new-vm", binding: "static" },
  O5: { kind: "connect-new-vm", binding: "ephemeral" },
  O6: { kind: "change-config" },
  O7: { kind: "vmotion" },
  O8: { kind: "ha-restart" },
  O9: { kind: "restart-vcenter-vm" },
  O10: { kind: "fix-mgmt-vlan" },
};

/** States that put esx01 in exactly one column's condition (vCenter's VM runs on esx01). */
function stateFor(column: (typeof COLUMNS)[number]): vds.VdsState {
  const s = vds.exampleState();
  switch (column) {
    case "up": return s;
    case "vcenter-down": return vds.apply(s, { type: "vcenterDown" });
    case "datastore-lost": return vds.apply(s, { type: "hostLosesDatastore", host: "esx01", datastore: "ds1" });
    // Rebooting the host that runs vCenter takes vCenter down first: the host boots without it.
    case "rebooted-without-vcenter": return vds.apply(s, { type: "hostReboot", host: "esx01" });
    case "mgmt-lost": return vds.apply(s, { type: "mgmtNetworkLoss", host: "esx01" });
  }
}

describe("the spec's outcome table, cell by cell", () => {
  test("the model has exactly the spec's rows and columns", () => {
    expect(Object.keys(vds.TABLE)).toEqual(Object.keys(SPEC));
    for (const row of Object.values(vds.TABLE)) expect(Object.keys(row)).toEqual([...COLUMNS]);
  });

  for (const [row, cells] of Object.entries(SPEC)) {
    cells.forEach(([symbol, cited], i) => {
      const column = COLUMNS[i];
      test(`${row} × ${column}: ${symbol}${cited.length ? ` [${cited.join("][")}]` : ""}`, () => {
        const want = expected(symbol);
        const cell = vds.TABLE[row as vds.Row][column];
        expect(cell.outcome).toBe(want.outcome);
        if (want.uncertain) expect(cell.uncertain).toBe(true);
        for (const n of cited) expect(cell.sources).toContain(SOURCE_NUMBER[n]);
        // One sentence.
        expect(cell.reason).toMatch(/^[A-Za-z'].*[.]$/);
        expect(cell.reason.replace(/vSphere 5\.1|ESXi 5\.0|build 716794|5\.1\+|\.dvsData|dvsData\.db/g, "").split(/\. /).length).toBe(1);

        const answer = vds.outcome(stateFor(column), { ...OPERATION[row], host: "esx01" });
        expect(answer.row).toBe(row);
        expect(answer.outcome).toBe(want.outcome);
        expect(answer.decidedBy).toBe(column);
      });
    });
  }

  test("bindings read the rows the spec gives them: power-on ephemeral and connect-new dynamic", () => {
    expect(vds.rowFor("power-on", "ephemeral")).toBe("O5");
    expect(vds.rowFor("connect-new-vm", "dynamic")).toBe("O4");
    expect(vds.rowFor("add-host")).toBe("O6");
  });
});
