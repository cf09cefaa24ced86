// The model library is usable from Node as a package: compiled JS with type declarations.
import { describe, expect, test } from "vitest";
import { execFileSync } from "node:child_process";
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
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
      expect(Object.keys(lib).sort()).toEqual(["ModelInputError", "evc", "pvscsi", "sdrs", "sioc", "snapshots", "vaai", "vdi", "vds", "vmsafe"]);
      const { on } = lib.sioc.compare(lib.sioc.scenario("seed-24-to-12").config);
      expect(on.steady.hosts[1].windowSlots).toBeGreaterThan(10);
      expect(() => lib.sioc.simulate({ hosts: [] })).toThrow(lib.ModelInputError);
    } finally {
      rmSync(out, { recursive: true, force: true });
    }
  });
});

/**
 * What `npm pack` publishes, installed from the tarball in an empty folder with no network, as a
 * developer who wants the models without the site would: the example script (examples/models.ts)
 * runs one model per topic and type-checks against the shipped declarations.
 */
describe("the packed tarball", () => {
  const root = process.cwd();
  test("holds the library, its types and the README only, installs offline and runs the example", { timeout: 300_000 }, () => {
    const work = mkdtempSync(join(tmpdir(), "explorables-pack-"));
    try {
      const [packed] = JSON.parse(execFileSync("npm", ["pack", "--json", "--pack-destination", work], { encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] })) as Array<{ filename: string; files: Array<{ path: string }> }>;
      const paths = packed.files.map((f) => f.path);
      expect(paths).toContain("lib/index.js");
      expect(paths).toContain("lib/index.d.ts");
      expect(paths).toContain("README.md");
      const unexpected = paths.filter((p) => !/^lib\/.+\.(js|d\.ts|json)$/.test(p) && !["README.md", "package.json", "LICENSE"].includes(p));
      expect(unexpected).toEqual([]);
      // Every compiled module has its declarations next to it.
      for (const js of paths.filter((p) => p.endsWith(".js"))) expect(paths).toContain(js.replace(/\.js$/, ".d.ts"));

      const app = join(work, "app");
      mkdirSync(app);
      writeFileSync(join(app, "package.json"), JSON.stringify({ name: "app", private: true, type: "module" }));
      execFileSync("npm", ["install", "--offline", "--no-audit", "--no-fund", "--ignore-scripts", join(work, packed.filename)], { cwd: app, stdio: "pipe" });
      copyFileSync(join(root, "examples", "models.ts"), join(app, "models.ts"));
      const output = execFileSync(process.execPath, ["models.ts"], { cwd: app, encoding: "utf8" });
      const topics = Object.keys(readNamespaces(app)).filter((k) => k !== "ModelInputError");
      expect(topics.length).toBeGreaterThanOrEqual(3);
      for (const topic of topics) expect(output).toMatch(new RegExp(`^${topic}: \\S`, "m"));
      expect(output).not.toMatch(/\bNaN\b|\bundefined\b/);
      expect(output).toMatch(/^ModelInputError: input\.capacityBytes must be/m);

      // The README's typed examples of each namespace run too.
      const readmeBlocks = readmePackageExamples(readFileSync(join(root, "README.md"), "utf8"));
      expect(readmeBlocks.length).toBeGreaterThanOrEqual(topics.length);
      readmeBlocks.forEach((code, i) => {
        writeFileSync(join(app, `readme-${i}.ts`), code);
        const shown = execFileSync(process.execPath, [`readme-${i}.ts`], { cwd: app, encoding: "utf8" });
        expect(shown, code).not.toMatch(/\bNaN\b|\bundefined\b/);
      });
      for (const topic of topics) expect(readmeBlocks.some((code) => code.includes(`${topic}.`)), `README example for ${topic}`).toBe(true);

      // The shipped declarations type the examples (strict, no skipLibCheck).
      writeFileSync(join(app, "tsconfig.json"), JSON.stringify({
        compilerOptions: { target: "ES2022", module: "NodeNext", moduleResolution: "NodeNext", strict: true, noEmit: true, lib: ["ES2022"], types: ["node"], typeRoots: [join(root, "node_modules", "@types")] },
        files: ["models.ts", ...readmeBlocks.map((_, i) => `readme-${i}.ts`)],
      }));
      execFileSync(join(root, "node_modules", ".bin", "tsc"), ["-p", join(app, "tsconfig.json")], { cwd: app, stdio: "pipe" });
    } catch (error) {
      const e = error as { stdout?: string; stderr?: string };
      throw new Error(`${String(error)}\n${e.stdout ?? ""}\n${e.stderr ?? ""}`);
    } finally {
      rmSync(work, { recursive: true, force: true });
    }
  });

  test("depends on nothing the library does not import (the site's packages are devDependencies)", () => {
    const pkg = JSON.parse(readFileSync(join(root, "package.json"), "utf8")) as { dependencies?: Record<string, string> };
    const sources = (readdirSync(join(root, "src"), { recursive: true }) as string[]).filter((f) => f.endsWith(".ts"));
    const imported = new Set(
      sources.flatMap((f) => [...readFileSync(join(root, "src", f), "utf8").matchAll(/from "([^./"][^"]*)"/g)].map((m) => m[1].split("/").slice(0, m[1].startsWith("@") ? 2 : 1).join("/"))),
    );
    expect(Object.keys(pkg.dependencies ?? {}).filter((d) => !imported.has(d))).toEqual([]);
  });
});

/** The installed package's exports, read the way a consumer's Node would. */
function readNamespaces(app: string): Record<string, unknown> {
  const out = execFileSync(process.execPath, ["--input-type=module", "-e", "import('vsphere-explorables').then((m) => console.log(JSON.stringify(Object.keys(m))))"], { cwd: app, encoding: "utf8" });
  return Object.fromEntries((JSON.parse(out) as string[]).map((k) => [k, true]));
}

/** The ```ts blocks of the README's "Using the models from Node" section. */
function readmePackageExamples(readme: string): string[] {
  const section = readme.slice(readme.indexOf("## Using the models from Node"), readme.indexOf("\n## ", readme.indexOf("## Using the models from Node") + 5));
  return [...section.matchAll(/```ts\n([\s\S]*?)```/g)].map((m) => m[1]);
}
