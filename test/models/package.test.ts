// The model library is usable from Node as a package: compiled JS with type declarations.
import { describe, expect, test } from "vitest";
import { execFileSync } from "node:child_process";
import { mkdtempSync, existsSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";

describe("the package build", () => {
  test("compiles src/ to JS plus .d.ts that Node imports without TypeScript", { timeout: 120_000 }, async () => {
    const out = mkdtempSync(join(tmpdir(), "explorables-lib-"));
    try {
      execFileSync(join("node_modules", ".bin", "tsc"), ["-p", "tsconfig.lib.json", "--outDir", out], { stdio: "pipe" });
      expect(existsSync(join(out, "index.d.ts"))).toBe(true);
      const lib = await import(pathToFileURL(join(out, "index.js")).href);
      expect(Object.keys(lib).sort()).toEqual(["ModelInputError", "evc", "sioc", "snapshots", "vds"]);
      const { on } = lib.sioc.compare(lib.sioc.scenario("seed-24-to-12").config);
      expect(on.steady.hosts[1].windowSlots).toBeGreaterThan(10);
      expect(() => lib.sioc.simulate({ hosts: [] })).toThrow(lib.ModelInputError);
    } finally {
      rmSync(out, { recursive: true, force: true });
    }
  });
});
