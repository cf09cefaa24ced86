import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    projects: [
      {
        test: {
          name: "unit",
          include: ["test/models/**/*.test.ts", "test/notebooks/**/*.test.ts", "test/site/**/*.test.ts", "test/bench/**/*.test.ts"],
          environment: "node",
          // Property tests run a thousand cases each; on a shared 2-core machine 5 s is not enough.
          testTimeout: 60_000,
        },
      },
      {
        test: {
          name: "browser",
          include: ["test/browser/**/*.test.ts"],
          environment: "node",
          testTimeout: 60_000,
          hookTimeout: 180_000,
          // expect.poll waits for something the page must do (a lazily loaded figure drawn, a summary
          // updated): its default of 1 s failed on a loaded 2-core machine where the snapshot page's
          // parsers load and analyse in over a second. Waiting longer only delays a real failure.
          expect: { poll: { timeout: 10_000 } },
          fileParallelism: false,
        },
      },
    ],
  },
});
