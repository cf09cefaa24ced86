/**
 * The scenario player: Back / Next and one button per step, its value the index of the step shown.
 * The current step's button has aria-current; Back and Next say when they cannot go further.
 */
import { h } from "../lib/dom.ts";

export type Player = HTMLElement & { value: number };

export function scenarioPlayer(doc: Document, titles: readonly string[], label: string): Player {
  const root = h(doc, "div", { class: "vds-player", role: "group", "aria-label": label }) as Player;
  const status = h(doc, "p", { class: "vds-player-status", "aria-live": "polite" });
  const go = (k: number) => {
    const next = Math.max(0, Math.min(titles.length - 1, k));
    if (next === root.value) return;
    root.value = next;
    update();
    root.dispatchEvent(new Event("input", { bubbles: true }));
  };
  const back = h(doc, "button", { type: "button", class: "vds-back" }, "◀ Back");
  const next = h(doc, "button", { type: "button", class: "vds-next" }, "Next ▶");
  back.addEventListener("click", () => go(root.value - 1));
  next.addEventListener("click", () => go(root.value + 1));
  const steps = titles.map((t, i) => {
    const b = h(doc, "button", { type: "button", class: "vds-step", "aria-label": `Step ${i + 1}: ${t}` }, String(i + 1));
    b.addEventListener("click", () => go(i));
    return b;
  });
  function update() {
    steps.forEach((b, i) => (i === root.value ? b.setAttribute("aria-current", "step") : b.removeAttribute("aria-current")));
    back.setAttribute("aria-disabled", String(root.value === 0));
    next.setAttribute("aria-disabled", String(root.value === titles.length - 1));
    status.textContent = `Step ${root.value + 1} of ${titles.length}: ${titles[root.value]}`;
  }
  root.value = 0;
  root.append(h(doc, "div", { class: "vds-player-buttons" }, back, ...steps, next), status);
  update();
  return root;
}
