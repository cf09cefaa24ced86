/** Number formats shared by the VAAI notebook's sections. */
import { formatNumber } from "../lib/chart.ts";

export const seconds = (s: number): string => (s >= 600 ? `${formatNumber(s / 60)} min` : `${formatNumber(s)} s`);
export const hours = (h: number): string => `${formatNumber(h)} h`;
/** A fraction as a percentage; near 100 % with enough digits that 99.999 % does not read as 100 %. */
export const percent = (fraction: number): string => `${formatNumber(100 * fraction, fraction > 0.99 && fraction < 1 ? 6 : 3)} %`;
export function sizeMB(mb: number): string {
  if (mb >= 1024) return `${formatNumber(mb / 1024)} GB`;
  if (mb >= 1) return `${formatNumber(mb)} MB`;
  return `${formatNumber(mb * 1024)} KB`;
}
