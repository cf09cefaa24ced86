/**
 * Waiting until something is in view. A figure (or an opted-in element or view) scrolled out of
 * view waits until it is seen instead of recomputing on every slider move, and code it imports on
 * demand is fetched only then. A value cell that opts in waits until one of the places that show
 * what it feeds is in view (see `cell` in cells.ts), so a model and its lazily imported code are not
 * part of the page's load when nobody sees their result yet.
 *
 * A gate answers "may this compute now?": null when it may, else a promise that settles when it
 * may. Without a page, or for a cell with no place, a gate is open at once.
 */

export type Gate = () => Promise<void> | null;

/** Always open: build time, headless tests, cells with no place on the page. */
export const OPEN: Gate = () => null;

/**
 * Open while `node` is in view, kept for the life of the page. One IntersectionObserver per place,
 * not the runtime's `visibility`, which starts a new observer on every recompute and so holds even
 * a figure in plain view back until that observer's first report, a frame later.
 */
export function visibilityGate(node: Element | undefined): Gate {
  if (!node || typeof IntersectionObserver !== "function") return OPEN;
  let visible = false;
  let waiting: Array<() => void> = [];
  new IntersectionObserver(([entry]) => {
    visible = entry.isIntersecting;
    if (visible) {
      for (const resume of waiting) resume();
      waiting = [];
    }
  }).observe(node);
  return () => (visible ? null : new Promise<void>((resume) => waiting.push(resume)));
}

/** Open when any of `gates` is (no gates: open). */
export function anyGate(gates: readonly Gate[]): Gate {
  if (gates.length === 0 || gates.includes(OPEN)) return OPEN;
  if (gates.length === 1) return gates[0];
  return () => {
    const waits: Array<Promise<void>> = [];
    for (const gate of gates) {
      const wait = gate();
      if (wait === null) return null;
      waits.push(wait);
    }
    return Promise.race(waits);
  };
}

/** `fn`, called once `gate` opens: at once (no promise in between) when it is open already. */
export function afterGate<A extends unknown[], R>(gate: Gate, fn: (...args: A) => R): (...args: A) => R | Promise<R> {
  if (gate === OPEN) return fn;
  return (...args) => {
    const wait = gate();
    return wait === null ? fn(...args) : wait.then(() => fn(...args));
  };
}
