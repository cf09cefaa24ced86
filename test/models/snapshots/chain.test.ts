import { describe, expect, vi } from "vitest";
import { test, fc } from "@fast-check/vitest";
import { analyze, serializeFolder, type TreeNode, type Analysis } from "../../../src/snapshots/index.ts";
import { folderArb, type GeneratedFolder } from "./arbitraries.ts";
import { countLeaves } from "../../../src/snapshots/trees.ts";

// 1000-run properties: allow for a loaded machine running every test file at once
vi.setConfig({ testTimeout: 60_000 });

const ALLOWED_INFOS = new Set(["BRANCHES", "SESPARSE_DELTAS", "RDM_BASE", "INDEPENDENT_DISK", "DEEP_CHAIN"]);

function run(g: GeneratedFolder, edit?: (files: { name: string; text: string }[]) => void): Analysis {
  const { files, listing } = serializeFolder(g.spec);
  edit?.(files);
  return analyze(files, { listing });
}

/** Every node of a tree as name -> [cid, parent name, capacity, createType]. */
function edges(tree: TreeNode): Map<string, [string | null, string | null, number, string | null]> {
  const out = new Map<string, [string | null, string | null, number, string | null]>();
  const walk = (n: TreeNode, parent: string | null) => {
    out.set(n.name, [n.cid, parent, n.capacityBytes, n.createType]);
    for (const c of n.children) walk(c, n.name);
  };
  walk(tree, null);
  return out;
}

describe("round trip: random valid chains -> files -> parse -> the same tree (spec section 9.1)", () => {
  test.prop([folderArb()], { numRuns: 1000 })("names, CIDs, parent edges, capacities and createTypes survive", (g) => {
    const a = run(g);
    expect(a.findings.filter((f) => f.severity !== "info")).toEqual([]);
    for (const f of a.findings) expect(ALLOWED_INFOS.has(f.code)).toBe(true);
    g.dependentKeys.forEach((key, j) => {
      const disk = a.disks.find((d) => d.key === key)!;
      const spec = g.spec.disks[j];
      const want = new Map(spec.nodes.map((n) => [n.name, [n.cid, n.parent, spec.capacitySectors * 512, n.createType] as const]));
      expect(edges(disk.tree!)).toEqual(new Map([...want].map(([k, v]) => [k, [...v]])));
      // the chain is the path from the base to the current leaf
      const path: string[] = [];
      for (let i: number = g.leaf; i >= 0; i = g.parents[i]) path.unshift(g.names[j][i]);
      expect(disk.chain.map((l) => l.name)).toEqual(path);
      expect(disk.end).toBe("base");
      expect(disk.reliable).toBe(true);
    });
    expect(a.disks.filter((d) => d.independent).every((d) => d.commitSpace!.oldestFirst.extraBytes === 0)).toBe(true);
  });
});

describe("CID mutation is reported at exactly that link (spec section 9.2)", () => {
  const withParent = folderArb({ maxNodes: 12 }).filter((g) => g.parents.length > 1);
  test.prop([withParent, fc.nat(), fc.nat(), fc.boolean()], { numRuns: 1000 })(
    "changing one descriptor's CID breaks each link from its children to it, and nothing else",
    (g, pickDisk, pickNode, mutateChild) => {
      const j = pickDisk % g.dependentKeys.length;
      const names = g.names[j];
      if (mutateChild) {
        // change the parentCID of one child: exactly one CID_MISMATCH, on that child's link
        const child = 1 + (pickNode % (names.length - 1));
        const a = run(g, (files) => {
          const f = files.find((x) => x.name === names[child])!;
          f.text = f.text.replace(/parentCID=([0-9a-fA-F]{8})/, (_, v: string) => `parentCID=${flip(v)}`);
        });
        const errors = a.findings.filter((f) => f.severity === "error");
        expect(errors.map((f) => [f.code, f.file])).toEqual([["CID_MISMATCH", names[child]]]);
        expect(errors[0].message).toContain(names[g.parents[child]]);
        expect(a.findings.filter((f) => f.severity === "warning")).toEqual([]);
      } else {
        // change the CID of one descriptor that has children: one CID_MISMATCH per child link
        const parentsWithKids = [...new Set(g.parents.slice(1))];
        const d = parentsWithKids[pickNode % parentsWithKids.length];
        let oldCid = "";
        let newCid = "";
        const a = run(g, (files) => {
          const f = files.find((x) => x.name === names[d])!;
          f.text = f.text.replace(/\nCID=([0-9a-fA-F]{8})/, (_, v: string) => {
            oldCid = v;
            newCid = flip(v);
            return `\nCID=${newCid}`;
          });
        });
        const kids = g.parents.map((p, i) => (p === d && i > 0 ? names[i] : null)).filter((x): x is string => x !== null);
        const errors = a.findings.filter((f) => f.severity === "error");
        expect(errors.map((f) => f.code)).toEqual(kids.map(() => "CID_MISMATCH"));
        expect(errors.map((f) => f.file).sort()).toEqual([...kids].sort());
        for (const e of errors) {
          expect(e.message).toContain(names[d]);
          expect(e.message).toContain(newCid);
          expect(e.message.toLowerCase()).toContain(oldCid.toLowerCase());
        }
        // the only other finding allowed: longContentID no longer ends in the CID
        expect(a.findings.filter((f) => f.severity === "warning").map((f) => f.code)).toEqual(["LONG_CONTENT_ID_MISMATCH"]);
      }
    },
  );
});

function flip(hex: string): string {
  const c = hex[0].toLowerCase();
  const next = "0123456789abcdef"[("0123456789abcdef".indexOf(c) + 1) % 16];
  return next + hex.slice(1);
}

describe("any parent graph terminates and every loop is found (spec section 9.4)", () => {
  test.prop([fc.array(fc.option(fc.nat({ max: 14 }), { nil: null }), { minLength: 1, maxLength: 15 }), fc.boolean()], { numRuns: 1000 })(
    "random parents, including self-parents and cycles",
    (parents, withVmx) => {
      const n = parents.length;
      const name = (i: number) => `d${String(i).padStart(2, "0")}.vmdk`;
      const files = parents.map((p, i) => ({
        name: name(i),
        text: [
          "# Disk DescriptorFile",
          `CID=${(i + 16).toString(16).padStart(8, "0")}`,
          `parentCID=${p === null ? "ffffffff" : ((p % (n + 2)) + 16).toString(16).padStart(8, "0")}`,
          `createType="${p === null ? "vmfs" : "vmfsSparse"}"`,
          p === null ? "" : `parentFileNameHint="${p < n ? name(p) : `gone${p}.vmdk`}"`,
          `RW 1024 ${p === null ? "VMFS" : "VMFSSPARSE"} "${name(i)}-data"`,
        ].join("\n"),
      }));
      if (withVmx) files.push({ name: "vm.vmx", text: `scsi0:0.fileName = "${name(n - 1)}"\n` });
      const a = analyze(files);
      // count the cycles of the functional graph independently
      const next = parents.map((p) => (p !== null && p < n ? p : -1));
      const state = new Array(n).fill(0);
      let cycles = 0;
      for (let s = 0; s < n; s++) {
        const path: number[] = [];
        let v = s;
        while (v >= 0 && state[v] === 0) {
          state[v] = 1;
          path.push(v);
          v = next[v];
        }
        if (v >= 0 && state[v] === 1 && path.includes(v)) cycles++;
        for (const x of path) state[x] = 2;
      }
      expect(a.findings.filter((f) => f.code === "CHAIN_LOOP")).toHaveLength(cycles);
      if (withVmx && cycles > 0) {
        const d = a.disks[0];
        if (d.end === "loop") expect(d.reliable).toBe(false);
      }
    },
  );
});

describe("countLeaves", () => {
  const node = (name: string, children: TreeNode[] = []): TreeNode => ({
    name, status: "ok", cid: null, parentCid: null, createType: null, kind: children.length > 0 ? "base" : "delta", format: null,
    capacityBytes: 0, sizeBytes: null, onChain: false, current: false, orphan: false, snapshotUids: [], linkOk: null, children,
  });
  test("a base with 200,000 children counts them all, without overflowing the call stack", () => {
    const children = Array.from({ length: 200_000 }, (_, i) => node(`vm-${i}.vmdk`));
    const tree = node("vm.vmdk", children);
    expect(countLeaves(tree, () => true)).toBe(200_000);
    // leaving out every other child leaves half of them as leaves
    expect(countLeaves(tree, (name) => Number(name.slice(3, -5)) % 2 === 0)).toBe(100_000);
  });
});
