/**
 * The stepper of the catch-22 walkthrough: Start over / Back / Next step / Show all, its value the
 * number of steps taken, out of the `total` of the walkthrough cell it is built from (a new
 * walkthrough builds a new stepper, at step 0).
 */
import { h } from "./dom.ts";

export type Stepper = HTMLElement & { value: number };

export function stepper(doc: Document, initial: number, total: number): Stepper {
  const root = h(doc, "div", { class: "evc-stepper", role: "group", "aria-label": "Step through the KB 1013111 procedure" }) as Stepper;
  let k = Math.max(0, Math.min(total, initial));
  const status = h(doc, "span", { class: "evc-stepper-status", "aria-live": "polite" });
  const clamp = (n: number) => Math.max(0, Math.min(total, n));
  const make = (label: string, action: () => number) => {
    const button = h(doc, "button", { type: "button" }, label) as HTMLButtonElement;
    button.addEventListener("click", () => {
      const next = clamp(action());
      if (next === k) return;
      k = next;
      update();
      root.dispatchEvent(new Event("input", { bubbles: true }));
    });
    return button;
  };
  const restart = make("Start over", () => 0);
  const back = make("Back", () => k - 1);
  const next = make("Next step", () => k + 1);
  const all = make("Show all", () => total);
  const steps = total === 1 ? "1 step" : `${total} steps`;
  function update() {
    root.value = k;
    status.textContent =
      total === 0 ? "No steps to take." : k === 0 ? `Start: 0 of ${steps} taken.` : k === total ? (total === 1 ? "The one step taken." : `All ${steps} taken.`) : `${k} of ${steps} taken.`;
    back.setAttribute("aria-disabled", String(k === 0));
    restart.setAttribute("aria-disabled", String(k === 0));
    next.setAttribute("aria-disabled", String(k >= total));
    all.setAttribute("aria-disabled", String(k >= total));
  }
  root.append(restart, back, next, all, status);
  update();
  return root;
}
