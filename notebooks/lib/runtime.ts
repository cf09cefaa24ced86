/**
 * The Observable runtime, answering a reader's input at once.
 *
 * The runtime recomputes on the next animation frame after any change, so that many changes in
 * one frame cost one recompute. A reader's input is usually the only change in its frame; waiting
 * for the frame then puts the whole update inside that frame's rendering step, where it competes
 * with style, layout and paint for the frame's 16.7 ms, and the page's DOM is up to a frame behind
 * the input. This runtime recomputes right after the input's own task (a microtask) when it has
 * not done so since the last frame began, and otherwise waits for the next frame as the runtime
 * does: a burst of inputs within one frame still costs one immediate recompute and one per frame
 * after it, never more.
 *
 * It overrides the runtime's one scheduling hook, `_computeSoon` (runtime 6: "recompute after the
 * next animation frame"). The version is pinned in package.json, and the browser tests check that
 * an input reaches the figures before the next frame.
 */
import { Runtime } from "@observablehq/runtime";

export class PromptRuntime extends Runtime {
  /**
   * True from an immediate recompute until the next frame begins. Declared, not initialised: the
   * runtime's constructor already schedules its first recompute, before a field initialiser runs.
   */
  declare private computedThisFrame: boolean | undefined;

  override _computeSoon(): Promise<void> {
    if (this.computedThisFrame || typeof requestAnimationFrame !== "function") return super._computeSoon();
    this.computedThisFrame = true;
    requestAnimationFrame(() => {
      this.computedThisFrame = false;
    });
    return Promise.resolve().then(() => (this._disposed ? undefined : this._computeNow()));
  }
}
