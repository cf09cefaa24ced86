/**
 * Fewer points for the same line: a polyline's points that matter at a tolerance. A day sampled
 * minute by minute is mostly flat or straight (a steady load, a linear ramp), and every point of
 * such a stretch between its ends adds numbers to the path without changing what is drawn.
 */

/** A point of a line as drawn, in pixels. */
export type Point = readonly [x: number, y: number];

/** Distance from `p` to the segment from `a` to `b`. */
export function segmentDistance(p: Point, a: Point, b: Point): number {
  const dx = b[0] - a[0];
  const dy = b[1] - a[1];
  const lengthSquared = dx * dx + dy * dy;
  // Where along the segment the point is closest, clamped to the segment's ends.
  const t = lengthSquared === 0 ? 0 : Math.max(0, Math.min(1, ((p[0] - a[0]) * dx + (p[1] - a[1]) * dy) / lengthSquared));
  const ex = p[0] - (a[0] + t * dx);
  const ey = p[1] - (a[1] + t * dy);
  return Math.sqrt(ex * ex + ey * ey);
}

/**
 * Ramer–Douglas–Peucker: keeps the first and last points, then, in each span between kept points,
 * the point farthest from the segment joining them while that is more than `tolerance` away. Every
 * point dropped lies within `tolerance` of the segment between the kept points around it, so the
 * line through the kept points is the original line to within that distance; a flat or straight
 * stretch keeps only its two ends.
 */
export function simplifyPolyline<P extends Point>(points: readonly P[], tolerance: number): P[] {
  if (points.length <= 2) return [...points];
  const keep = points.map((_, k) => k === 0 || k === points.length - 1);
  const spans: Array<[first: number, last: number]> = [[0, points.length - 1]];
  for (let span = spans.pop(); span; span = spans.pop()) {
    const [first, last] = span;
    let farthest = -1;
    let farthestDistance = tolerance;
    for (let k = first + 1; k < last; k++) {
      const distance = segmentDistance(points[k], points[first], points[last]);
      if (distance > farthestDistance) {
        farthest = k;
        farthestDistance = distance;
      }
    }
    if (farthest < 0) continue;
    keep[farthest] = true;
    spans.push([first, farthest], [farthest, last]);
  }
  return points.filter((_, k) => keep[k]);
}
