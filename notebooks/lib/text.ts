/**
 * Fitting words into a chart drawn for a width, by character count (an SVG drawn at build time
 * cannot measure its text): greedy word wrap and shortening with an ellipsis. Kept apart from
 * chart.ts so that the charts drawn without its helpers (matrix, tree) do not load that module and
 * its d3 parts just for these.
 */

/** Shortens text to `maxChars` characters with an ellipsis (show the full text in a tooltip). */
export function fitText(text: string, maxChars: number): string {
  return text.length <= maxChars ? text : `${text.slice(0, Math.max(1, maxChars - 1))}…`;
}

/** Greedy word wrap to lines of at most `maxChars` characters (a longer word gets its own line). */
export function wrapText(text: string, maxChars: number): string[] {
  const lines: string[] = [];
  let line = "";
  for (const word of text.split(/\s+/).filter(Boolean)) {
    if (line && line.length + 1 + word.length > maxChars) {
      lines.push(line);
      line = word;
    } else {
      line = line ? `${line} ${word}` : word;
    }
  }
  if (line || lines.length === 0) lines.push(line);
  return lines;
}
