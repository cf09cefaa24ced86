/**
 * Skipping work whose inputs did not change. The runtime recomputes a cell whenever one of its
 * inputs produced a value, even an equal one (a threshold cell re-run for a host count it does not
 * use in manual mode gives the same threshold again). Two small wrappers stop that ripple:
 * `reuseEqualResult` hands back the previous result object when the new one is equal to it, and
 * `sameInputsSameResult` returns the previous result without calling the cell when every input is
 * the very same value as last time. Together a figure whose inputs did not change does no work,
 * and its page observer, handed the same object, does not redraw (see client.ts).
 */

/** Structural comparisons stop after this many values: big equal results are cheaper to redraw. */
const COMPARE_BUDGET = 50_000;

export function sameInputsSameResult<A extends unknown[], R>(fn: (...args: A) => R): (...args: A) => R {
  let last: { args: A; result: R } | undefined;
  return (...args: A): R => {
    if (last && last.args.length === args.length && last.args.every((a, i) => Object.is(a, args[i]))) return last.result;
    const result = fn(...args);
    last = isIterator(result) ? undefined : { args, result };
    return result;
  };
}

export function reuseEqualResult<A extends unknown[], R>(fn: (...args: A) => R): (...args: A) => R {
  let last: { result: unknown } | undefined;
  const reuse = (result: unknown) => {
    if (last && deepEqual(last.result, result, { left: COMPARE_BUDGET })) return last.result;
    last = { result };
    return result;
  };
  return (...args: A): R => {
    const result = fn(...args);
    if (isIterator(result)) return result;
    // A cell that waits for code or data it imports: the same comparison once the value is there.
    if (result instanceof Promise) return result.then(reuse) as R;
    return reuse(result) as R;
  };
}

function isIterator(value: unknown): boolean {
  return typeof value === "object" && value !== null && typeof (value as { next?: unknown }).next === "function";
}

/** Equal plain data (objects, arrays, typed arrays, primitives); anything else only if identical. */
export function deepEqual(a: unknown, b: unknown, budget: { left: number }): boolean {
  if (Object.is(a, b)) return true;
  if (--budget.left < 0) return false;
  if (typeof a !== "object" || typeof b !== "object" || a === null || b === null) return false;
  if (Object.getPrototypeOf(a) !== Object.getPrototypeOf(b)) return false;
  if (ArrayBuffer.isView(a)) {
    const x = a as unknown as ArrayLike<number>;
    const y = b as unknown as ArrayLike<number>;
    if (x.length !== y.length) return false;
    budget.left -= x.length;
    if (budget.left < 0) return false;
    for (let i = 0; i < x.length; i++) if (!Object.is(x[i], y[i])) return false;
    return true;
  }
  if (Array.isArray(a)) {
    const y = b as unknown[];
    if (a.length !== y.length) return false;
    for (let i = 0; i < a.length; i++) if (!deepEqual(a[i], y[i], budget)) return false;
    return true;
  }
  const proto = Object.getPrototypeOf(a);
  if (proto !== Object.prototype && proto !== null) return false;
  const keys = Object.keys(a);
  if (keys.length !== Object.keys(b).length) return false;
  for (const key of keys) {
    if (!Object.prototype.hasOwnProperty.call(b, key)) return false;
    if (!deepEqual((a as Record<string, unknown>)[key], (b as Record<string, unknown>)[key], budget)) return false;
  }
  return true;
}
