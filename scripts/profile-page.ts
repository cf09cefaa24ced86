/**
 * `npx node scripts/profile-page.ts <page> <control,control> [moves]`: a CPU profile of one
 * notebook page of the built site while range controls are moved with the keyboard, summed by
 * function. For comparing the update code before and after a change when the machine is too
 * loaded for `npm run bench`'s wall-clock percentiles: CPU time spent is what a change saves,
 * whatever else runs. Each control is moved `moves` times (default 30) untimed, then again
 * while profiled; after each key press the script waits two frames, so the update has painted.
 * Function names need an unminified build: `MINIFY=0 npm run build` (rebuild normally afterwards).
 * INCLUDE=fnA,fnB also prints the inclusive time of the named functions (outermost call only).
 * Example: `npx node scripts/profile-page.ts sdrs datastores,desktops 30`.
 */
import { writeFileSync } from "node:fs";
import { launchBrowser, serveSite, waitForLive } from "../test/browser/harness.ts";

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  children?: number[];
}
interface Profile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
}

const [pageName, controlList, movesArg] = process.argv.slice(2);
if (!pageName || !controlList) throw new Error("Usage: npx node scripts/profile-page.ts <page> <control,control> [moves]");
const controls = controlList.split(",");
const moves = Number(movesArg ?? 30);
/** Not the page's own work: waiting, the browser's native work, the collector. */
const NOT_SCRIPT = new Set(["(idle)", "(program)", "(garbage collector)", "(root)"]);

const site = await serveSite();
const browser = await launchBrowser();
try {
  const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
  await page.goto(`${site.origin}${site.base}${pageName}/`);
  await waitForLive(page);
  const painted = () => page.evaluate(() => new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(resolve))));
  const moveAll = async () => {
    for (const control of controls) {
      const input = page.locator(`[data-control=${control}] input[type=range]`);
      await input.scrollIntoViewIfNeeded();
      await input.focus();
      await painted();
      // Three steps up, three down: the values stay near the default, where readers start.
      for (let i = 0; i < moves; i++) {
        await page.keyboard.press(i % 6 < 3 ? "ArrowRight" : "ArrowLeft");
        await painted();
      }
    }
  };
  await moveAll();
  const cdp = await page.context().newCDPSession(page);
  await cdp.send("Profiler.enable");
  await cdp.send("Profiler.setSamplingInterval", { interval: 100 });
  await cdp.send("Profiler.start");
  await moveAll();
  const { profile } = (await cdp.send("Profiler.stop")) as unknown as { profile: Profile };
  writeFileSync("profile-page.cpuprofile", JSON.stringify(profile));

  const selfMs = new Map<number, number>();
  profile.samples.forEach((id, k) => selfMs.set(id, (selfMs.get(id) ?? 0) + profile.timeDeltas[k] / 1000));
  const byFunction = new Map<string, number>();
  let scriptMs = 0;
  let collectorMs = 0;
  for (const node of profile.nodes) {
    const ms = selfMs.get(node.id) ?? 0;
    const { functionName, url, lineNumber } = node.callFrame;
    if (functionName === "(garbage collector)") collectorMs += ms;
    if (NOT_SCRIPT.has(functionName)) continue;
    scriptMs += ms;
    const key = `${functionName || "(anonymous)"} ${url.split("/").pop()}:${lineNumber + 1}`;
    byFunction.set(key, (byFunction.get(key) ?? 0) + ms);
  }
  console.log(`${pageName}: ${controls.join(", ")} x${moves}: script self time ${scriptMs.toFixed(1)} ms, garbage collector ${collectorMs.toFixed(1)} ms`);
  for (const [key, ms] of [...byFunction].sort((a, b) => b[1] - a[1]).slice(0, 30)) {
    console.log(`${ms.toFixed(1).padStart(8)} ${key}`);
  }

  const included = (process.env.INCLUDE ?? "").split(",").filter(Boolean);
  if (included.length > 0) {
    const byId = new Map(profile.nodes.map((node) => [node.id, node]));
    const inclusive = (node: ProfileNode): number => (selfMs.get(node.id) ?? 0) + (node.children ?? []).reduce((sum, id) => sum + inclusive(byId.get(id)!), 0);
    const totals = new Map<string, number>();
    const walk = (node: ProfileNode, inside: ReadonlySet<string>): void => {
      const name = node.callFrame.functionName;
      const counts = included.includes(name) && !inside.has(name);
      if (counts) totals.set(name, (totals.get(name) ?? 0) + inclusive(node));
      for (const id of node.children ?? []) walk(byId.get(id)!, counts ? new Set(inside).add(name) : inside);
    };
    walk(profile.nodes[0], new Set());
    console.log(`inclusive: ${included.map((name) => `${name} ${(totals.get(name) ?? 0).toFixed(1)}`).join(", ")}`);
  }
} finally {
  await browser.close();
  await site.stop();
}
