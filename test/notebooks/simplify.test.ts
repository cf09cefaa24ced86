// @vitest-environment happy-dom
import { describe, expect } from "vitest";
import { test, fc } from "@fast-check/vitest";
import { segmentDistance, simplifyPolyline, type Point } from "../../notebooks/lib/simplify.ts";
import { lineChart } from "../../notebooks/lib/chart.ts";

const coordinate = fc.double({ min: -1000, max: 1000, noNaN: true });
const point = fc.tuple(coordinate, coordinate);
/** A time series as a chart draws it: x increasing, y anything, often repeated (a flat stretch). */
const series = fc.array(fc.tuple(fc.double({ min: 0.01, max: 10, noNaN: true }), fc.oneof(coordinate, fc.constant(100))), { maxLength: 200 })
  .map((steps) => {
    let x = 0;
    return steps.map(([dx, y]): Point => [(x += dx), y]);
  });
const tolerance = fc.oneof(fc.constant(0), fc.constant(0.01), fc.double({ min: 0, max: 20, noNaN: true }));

describe("segmentDistance", () => {
  test("perpendicular inside the segment, to the nearer end outside it, to the point itself for a zero-length segment", () => {
    expect(segmentDistance([5, 3], [0, 0], [10, 0])).toBe(3);
    expect(segmentDistance([13, 4], [0, 0], [10, 0])).toBe(5);
    expect(segmentDistance([-3, -4], [0, 0], [10, 0])).toBe(5);
    expect(segmentDistance([4, 5], [1, 1], [1, 1])).toBe(5);
  });
});

describe("simplifyPolyline", () => {
  test("a flat stretch and a straight ramp keep only their ends; a corner stays", () => {
    const flatThenRamp: Point[] = [[0, 10], [1, 10], [2, 10], [3, 10], [4, 12], [5, 14], [6, 16], [7, 16]];
    expect(simplifyPolyline(flatThenRamp, 0.01)).toEqual([[0, 10], [3, 10], [6, 16], [7, 16]]);
    expect(simplifyPolyline([[0, 0], [1, 0], [2, 5]], 0.01)).toEqual([[0, 0], [1, 0], [2, 5]]);
  });

  test("two points or fewer come back as they are", () => {
    expect(simplifyPolyline([], 1)).toEqual([]);
    expect(simplifyPolyline([[1, 2]], 1)).toEqual([[1, 2]]);
    expect(simplifyPolyline([[1, 2], [3, 4]], 1)).toEqual([[1, 2], [3, 4]]);
  });

  test.prop([fc.oneof(series, fc.array(point, { maxLength: 60 })), tolerance], { numRuns: 500 })(
    "keeps the ends, in order, and every point left out lies within the tolerance of the line drawn through the kept ones",
    (points: readonly Point[], epsilon) => {
      const kept = simplifyPolyline(points, epsilon);
      // The kept points are points of the line, in their order, first and last included.
      const at = kept.map((p) => points.indexOf(p));
      expect(at.every((k, i) => k >= 0 && (i === 0 || k > at[i - 1]))).toBe(true);
      if (points.length > 0) expect([at[0], at[at.length - 1]]).toEqual([0, points.length - 1]);
      // Each point between two kept ones is within the tolerance of the segment joining them.
      for (let i = 1; i < at.length; i++) {
        for (let k = at[i - 1] + 1; k < at[i]; k++) {
          expect(segmentDistance(points[k], points[at[i - 1]], points[at[i]])).toBeLessThanOrEqual(epsilon);
        }
      }
    },
  );

  test.prop([series], { numRuns: 300 })("at a zero tolerance only points exactly on the line through their kept neighbours go", (points) => {
    const kept = new Set(simplifyPolyline(points, 0));
    points.forEach((p, k) => {
      if (kept.has(p)) return;
      const before = points.slice(0, k).reverse().find((q) => kept.has(q))!;
      const after = points.slice(k + 1).find((q) => kept.has(q))!;
      expect(segmentDistance(p, before, after)).toBe(0);
    });
  });
});

describe("a line chart's path", () => {
  test("a flat day with one ramp up and down is drawn through the corners only", () => {
    const minutes = Array.from({ length: 120 }, (_, m) => m);
    const load = minutes.map((m) => (m < 40 ? 10 : m < 50 ? 10 + 3 * (m - 40) : m < 60 ? 40 - 3 * (m - 50) : 10));
    const view = lineChart(document, {
      title: "t", x: { label: "minute" }, y: { label: "IOPS", domain: [0, 50] }, series: [{ name: "load", x: minutes, y: load }],
      summary: "s", table: { caption: "c", columns: ["a"], rows: [] },
    });
    const d = view.svg.querySelector("path.series")!.getAttribute("d")!;
    const points = d.slice(1).split("L").map((p) => p.split(",").map(Number));
    // Flat, up to the peak, down, flat to the end: five corners for 120 minutes.
    expect(points.length).toBe(5);
    expect(points.map(([, y]) => y)).toEqual([points[0][1], points[0][1], points[2][1], points[0][1], points[0][1]]);
    expect(points[2][1]).toBeLessThan(points[0][1]);
  });
});
