// The external corpus of real VM folders (../shared/corpus/vmdk beside the checkout, or $VMDK_CORPUS):
// every case must match the expect.* lines of its SOURCE.md, as judged by the corpus's own runner.
import { execFileSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { expect, test } from "vitest";

const root = path.resolve(import.meta.dirname, "../../..");
const corpus = process.env.VMDK_CORPUS ?? path.resolve(root, "../shared/corpus");
const runner = path.join(corpus, "run-vmdk.mjs");

test("every real-world case matches its SOURCE.md (run-vmdk.mjs)", { timeout: 120_000 }, () => {
  expect(fs.existsSync(runner), `the corpus runner ${runner} is missing: check out ../shared beside the project or set VMDK_CORPUS`).toBe(true);
  let out: string;
  try {
    out = execFileSync(process.execPath, [runner], { cwd: root, encoding: "utf8" });
  } catch (e) {
    const failed = e as { stdout?: string };
    throw new Error(`run-vmdk.mjs reported a FAIL:\n${failed.stdout ?? String(e)}`);
  }
  const tally = /(\d+) cases: (\d+) PASS, (\d+) CHECK, (\d+) FAIL/.exec(out);
  expect(tally, out).not.toBeNull();
  expect(Number(tally![1])).toBeGreaterThanOrEqual(25);
  expect(Number(tally![4])).toBe(0);
});
