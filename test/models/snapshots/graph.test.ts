import { describe, expect, it } from "vitest";
import { parseDescriptor, serializeDescriptor, type Descriptor } from "../../../src/snapshots/index.ts";
import { buildGraph, isSortedByName, type DiskNode } from "../../../src/snapshots/graph.ts";
import { buildTree, type TreeNode } from "../../../src/snapshots/trees.ts";

/** A parsed descriptor named `name`, a delta of `parent` when one is given (CIDs always match). */
function descriptor(name: string, parent: string | null): Descriptor {
  const text = serializeDescriptor({
    cid: "0000000a",
    parentCid: parent === null ? "ffffffff" : "0000000a",
    createType: parent === null ? "vmfs" : "vmfsSparse",
    parentFileNameHint: parent,
    extents: [{ access: "RW", sectors: 2048, type: parent === null ? "VMFS" : "VMFSSPARSE", file: name.replace(".vmdk", parent === null ? "-flat.vmdk" : "-delta.vmdk") }],
  });
  return parseDescriptor({ name, text }).descriptor!;
}

function childNames(n: DiskNode): string[] {
  const names: string[] = [];
  for (let c = n.firstChild; c !== null; c = c.nextSibling) names.push(c.name);
  return names;
}

/** name -> [parent, children, top, end, depth] for every node. */
function shape(nodes: readonly DiskNode[]) {
  return Object.fromEntries(nodes.map((n) => [n.name, [n.parent?.name ?? null, childNames(n), n.top.name, n.end, n.depth]]));
}

describe("buildGraph", () => {
  it("links each descriptor to its parent and lists children in name order, whatever the input order", () => {
    const ds = [descriptor("b-3.vmdk", "b.vmdk"), descriptor("b.vmdk", null), descriptor("b-1.vmdk", "b.vmdk"), descriptor("b-2.vmdk", "b-1.vmdk")];
    for (const input of [ds, [...ds].reverse(), [...ds].sort((x, y) => (x.file < y.file ? -1 : 1))]) {
      const graph = buildGraph(input);
      expect(graph.all.map((n) => n.name)).toEqual(["b-1.vmdk", "b-2.vmdk", "b-3.vmdk", "b.vmdk"]);
      expect(shape(graph.all)).toEqual({
        "b.vmdk": [null, ["b-1.vmdk", "b-3.vmdk"], "b.vmdk", "base", 0],
        "b-1.vmdk": ["b.vmdk", ["b-2.vmdk"], "b.vmdk", "base", 1],
        "b-2.vmdk": ["b-1.vmdk", [], "b.vmdk", "base", 2],
        "b-3.vmdk": ["b.vmdk", [], "b.vmdk", "base", 1],
      });
      expect(graph.cycles).toEqual([]);
    }
  });

  it("settles a loop and what hangs below it: top is the loop's first name, depth -1", () => {
    // x-1 -> x-2 -> x-3 -> x-1 is a loop; x-4 hangs below x-3
    const graph = buildGraph([descriptor("x-1.vmdk", "x-3.vmdk"), descriptor("x-2.vmdk", "x-1.vmdk"), descriptor("x-3.vmdk", "x-2.vmdk"), descriptor("x-4.vmdk", "x-3.vmdk")]);
    expect(shape(graph.all)).toEqual({
      "x-1.vmdk": ["x-3.vmdk", ["x-2.vmdk"], "x-1.vmdk", "loop", -1],
      "x-2.vmdk": ["x-1.vmdk", ["x-3.vmdk"], "x-1.vmdk", "loop", -1],
      "x-3.vmdk": ["x-2.vmdk", ["x-1.vmdk", "x-4.vmdk"], "x-1.vmdk", "loop", -1],
      "x-4.vmdk": ["x-3.vmdk", [], "x-1.vmdk", "loop", -1],
    });
    expect(graph.cycles.map((c) => c.map((n) => n.name).sort())).toEqual([["x-1.vmdk", "x-2.vmdk", "x-3.vmdk"]]);
  });

  it("ends a walk at a parent that was not dropped", () => {
    const graph = buildGraph([descriptor("m-2.vmdk", "m-1.vmdk"), descriptor("m-3.vmdk", "m-2.vmdk")]);
    expect(shape(graph.all)).toEqual({
      "m-2.vmdk": [null, ["m-3.vmdk"], "m-2.vmdk", "missing", 0],
      "m-3.vmdk": ["m-2.vmdk", [], "m-2.vmdk", "missing", 1],
    });
  });
});

describe("isSortedByName", () => {
  const nodes = (...names: string[]) => names.map((name) => ({ name }) as DiskNode);
  it("accepts name order (equal names too) and rejects anything else", () => {
    expect(isSortedByName(nodes())).toBe(true);
    expect(isSortedByName(nodes("a"))).toBe(true);
    expect(isSortedByName(nodes("a-1.vmdk", "a.vmdk", "a.vmdk", "b.vmdk"))).toBe(true);
    expect(isSortedByName(nodes("a.vmdk", "a-1.vmdk"))).toBe(false);
    expect(isSortedByName(nodes("vm_10.vmdk", "vm_2.vmdk", "vm_1.vmdk"))).toBe(false);
  });
});

describe("buildTree", () => {
  const view = (onChain: (n: DiskNode) => boolean) => ({ onChain, leaf: null, sizeOf: () => undefined });
  const drawn = (t: TreeNode): unknown => [t.name, t.onChain, t.children.map(drawn)];

  it("draws every branch with children in name order, and lists members as a depth-first walk (last child first) reaches them", () => {
    const graph = buildGraph([
      descriptor("t.vmdk", null),
      descriptor("t-1.vmdk", "t.vmdk"),
      descriptor("t-2.vmdk", "t.vmdk"),
      descriptor("t-3.vmdk", "t-1.vmdk"),
      descriptor("t-4.vmdk", "t-1.vmdk"),
      descriptor("t-5.vmdk", "t-2.vmdk"),
      descriptor("t-6.vmdk", "t-4.vmdk"),
    ]);
    const top = graph.nodes.get("t.vmdk")!;
    const { tree, members } = buildTree(top, view((n) => n.name === "t-4.vmdk"), "scsi0:0");
    expect(drawn(tree)).toEqual([
      "t.vmdk",
      false,
      [
        ["t-1.vmdk", false, [["t-3.vmdk", false, []], ["t-4.vmdk", true, [["t-6.vmdk", false, []]]]]],
        ["t-2.vmdk", false, [["t-5.vmdk", false, []]]],
      ],
    ]);
    expect(members.map((n) => n.name)).toEqual(["t.vmdk", "t-1.vmdk", "t-2.vmdk", "t-5.vmdk", "t-3.vmdk", "t-4.vmdk", "t-6.vmdk"]);
    expect(members.every((n) => n.owner === "scsi0:0")).toBe(true);
  });

  it("draws a loop once, stopping where it comes back to the top", () => {
    const graph = buildGraph([descriptor("y-1.vmdk", "y-2.vmdk"), descriptor("y-2.vmdk", "y-1.vmdk"), descriptor("y-3.vmdk", "y-2.vmdk")]);
    const top = graph.nodes.get("y-1.vmdk")!.top;
    const { tree, members } = buildTree(top, view(() => false), null);
    expect(drawn(tree)).toEqual(["y-1.vmdk", false, [["y-2.vmdk", false, [["y-3.vmdk", false, []]]]]]);
    expect(members.map((n) => n.name)).toEqual(["y-1.vmdk", "y-2.vmdk", "y-3.vmdk"]);
    expect(members.every((n) => n.owner === undefined)).toBe(true);
  });
});
