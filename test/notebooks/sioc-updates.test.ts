// @vitest-environment happy-dom
/**
 * SIOC on the runtime, control by control: a move that does not change the configuration
 * reruns no simulation (the script budget per update depends on it).
 */
import { describe, expect, test } from "vitest";
import { Runtime } from "@observablehq/runtime";
import { notebook } from "../../notebooks/sioc/cells.ts";
import { createControl } from "../../notebooks/lib/controls.ts";

describe("SIOC notebook updates", () => {
  test("switching the threshold mode to automatic (not in 4.1) and back reruns no simulation", async () => {
    const runtime = new Runtime({ document });
    const controls = new Map<string, HTMLElement & { value: unknown }>();
    const runs: string[] = [];
    const headlines: string[] = [];
    notebook.instantiate(runtime, {
      createControl: (key, param, value) => {
        const control = createControl(key, param, value);
        controls.set(key, control);
        return control;
      },
      onCellTime: (name) => runs.push(name),
      observer: (name) => (name === "headline" ? { fulfilled: (v: unknown) => headlines.push(String(v)), rejected: (e: unknown) => headlines.push(String(e)) } : undefined),
    });
    // The headline once the runtime has settled on one that matches.
    const settled = (pattern: RegExp) => expect.poll(() => headlines.at(-1) ?? "", { timeout: 5000 }).toMatch(pattern);
    await settled(/with SIOC the windows settle at/);
    const first = headlines.at(-1)!;
    const select = controls.get("thresholdMode")!.querySelector("select")!;
    // Inputs' select numbers its options; pick by the label's option index.
    const choose = (value: string) => {
      select.selectedIndex = ["manual", "automatic"].indexOf(value);
      select.dispatchEvent(new Event("input", { bubbles: true }));
    };
    choose("automatic");
    await settled(/automatic congestion threshold arrived in vSphere 5\.1/);
    expect(controls.get("thresholdMode")!.value).toBe("automatic");
    choose("manual");
    await settled(/with SIOC the windows settle at/);
    expect(headlines.at(-1)).toBe(first);
    expect(runs.filter((name) => name === "threshold").length).toBeGreaterThanOrEqual(3);
    expect(runs.filter((name) => name === "comparison")).toHaveLength(1);
    runtime.dispose();
  });
});
