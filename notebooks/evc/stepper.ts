/**
 * The stepper of the catch-22 walkthrough: Start over / Back / Next step / Show all, its value the
 * number of steps taken. It is light and ready at once; the section's figure, which loads the
 * procedure on demand, tells it how many steps there are (setTotal).
 */
import { h } from "./dom.ts";

export type Stepper = HTMLElement & { value: number; setTotal(total: number): void };

export function stepper(doc: Document, initial: number): Stepper {
  const root = h(doc, "div", { class: "evc-stepper", role: "group", "aria-label": "Step through the KB 1013111 procedure" }) as Stepper;
  let total: number | null = null;
  let k = initial;
  const status = h(doc, "span", { class: "evc-stepper-status", "aria-live": "polite" });
  const clamp = (n: number) => Math.max(0, total === null ? n : Math.min(total, n));
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
  const all = make("Show all", () => total ?? k);
  function update() {
    root.value = k;
    status.textContent =
      total === null ? "" : total === 0 ? "No steps to take." : k === 0 ? `Start: 0 of ${total} steps taken.` : k === total ? `All ${total} steps taken.` : `${k} of ${total} steps taken.`;
    back.setAttribute("aria-disabled", String(k === 0));
    restart.setAttribute("aria-disabled", String(k === 0));
    next.setAttribute("aria-disabled", String(total !== null && k >= total));
    all.setAttribute("aria-disabled", String(total !== null && k >= total));
  }
  root.setTotal = (n: number) => {
    if (n === total) return;
    total = n;
    const clamped = clamp(k);
    const changed = clamped !== k;
    k = clamped;
    update();
    if (changed) root.dispatchEvent(new Event("input", { bubbles: true }));
  };
  root.append(restart, back, next, all, status);
  update();
  return root;
}
