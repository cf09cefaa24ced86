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

/**
 * A number and the unit after it ("32.6 ms", "1,000 IOPS", "56.3 %"): a line break between them
 * makes a reader look for the unit on the next line, so sentences keep each such pair on one line.
 */
const NUMBER_AND_UNIT = /\d[\d.,]* (?:MB\/s|ms|µs|min|GiB|MiB|TiB|KiB|GB|MB|KB|TB|IOPS|h|s|%)(?![\w/])/g;

/** The text in runs, `together` marking each number-and-unit pair; joined, the runs give the text back. */
export function unitRuns(text: string): Array<{ text: string; together: boolean }> {
  const runs: Array<{ text: string; together: boolean }> = [];
  let from = 0;
  for (const match of text.matchAll(NUMBER_AND_UNIT)) {
    if (match.index > from) runs.push({ text: text.slice(from, match.index), together: false });
    runs.push({ text: match[0], together: true });
    from = match.index + match[0].length;
  }
  if (from < text.length || runs.length === 0) runs.push({ text: text.slice(from), together: false });
  return runs;
}

/**
 * Sets an element's text, each number-and-unit pair in a `span.nobr` that does not wrap. Text
 * nodes only (never HTML), and the element's textContent is exactly `text`. A sentence laid out
 * the same way as the one there (the same runs, only some numbers differ, as on a slider move)
 * keeps its nodes and has only the changed runs' text written; equal text is left alone.
 */
export function setSentence(element: HTMLElement, text: string): void {
  const runs = unitRuns(text);
  const nodes = element.childNodes;
  // Text put there at build time is one plain text node: laid out in full the first time.
  if (nodes.length === runs.length && runs.every((run, k) => isRunNode(nodes[k], run.together))) {
    runs.forEach((run, k) => {
      const textNode = (run.together ? nodes[k].firstChild : nodes[k]) as Text;
      if (textNode.data !== run.text) textNode.data = run.text;
    });
    return;
  }
  const doc = element.ownerDocument;
  element.replaceChildren(
    ...runs.map((run) => {
      if (!run.together) return doc.createTextNode(run.text);
      const span = doc.createElement("span");
      span.className = "nobr";
      span.textContent = run.text;
      return span;
    }),
  );
}

/** Whether `node` is what setSentence writes for a run: a nowrap span holding one text node for a pair, else a text node. */
function isRunNode(node: ChildNode, together: boolean): boolean {
  if (!together) return node.nodeType === node.TEXT_NODE;
  return node.nodeName === "SPAN" && (node as Element).className === "nobr" && node.childNodes.length === 1 && node.firstChild!.nodeType === node.TEXT_NODE;
}
