/**
 * A rehype plugin run after rehype-katex: every display equation becomes a labelled box that
 * keyboard users can focus, so one wider than a phone's column scrolls sideways (CSS
 * `.katex-display { overflow-x: auto }`) with the arrow keys, not only with a swipe.
 */
export default function rehypeEquationBox() {
  return (tree) => visit(tree);
}

function visit(node) {
  if (node.type === "element" && String(node.properties?.className ?? "").split(/[ ,]/).includes("katex-display")) {
    node.properties.tabIndex = 0;
    node.properties.role = "group";
    node.properties.ariaLabel = "Equation (scrolls sideways if it does not fit)";
  }
  for (const child of node.children ?? []) visit(child);
}
