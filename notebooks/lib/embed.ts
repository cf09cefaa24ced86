/** The snippet a blogger pastes: an iframe of one cell at the current state, plus the resizer. */

export interface EmbedTarget {
  origin: string;
  base: string;
  notebook: string;
  cell: string;
  query: string;
  title: string;
}

export function embedPath(base: string, notebook: string, cell: string): string {
  return `${base.replace(/\/?$/, "/")}embed/${encodeURIComponent(notebook)}/${encodeURIComponent(cell)}/`;
}

function escapeAttribute(value: string): string {
  return value.replace(/&/g, "&amp;").replace(/"/g, "&quot;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
}

export function embedSnippet(target: EmbedTarget): string {
  const src = `${target.origin}${embedPath(target.base, target.notebook, target.cell)}${target.query ? `?${target.query}` : ""}`;
  const script = `${target.origin}${target.base.replace(/\/?$/, "/")}embed.js`;
  return [
    `<iframe src="${escapeAttribute(src)}" title="${escapeAttribute(target.title)}" width="100%" height="460" loading="lazy" data-vsphere-explorable></iframe>`,
    `<script src="${escapeAttribute(script)}" async></script>`,
  ].join("\n");
}
