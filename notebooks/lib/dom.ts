/**
 * A tiny element builder for element and view cells. Strings become text nodes (never markup)
 * and attributes are set one by one, so data from the model, the URL or a reader's own files
 * cannot inject HTML. Works with any document (the browser's, or happy-dom's at build time).
 */
export type Child = Node | string | null | undefined | false;

export function h(doc: Document, tag: string, attrs: Record<string, string | undefined> = {}, ...children: Child[]): HTMLElement {
  const el = doc.createElement(tag);
  for (const [name, value] of Object.entries(attrs)) if (value !== undefined) el.setAttribute(name, value);
  for (const child of children) {
    if (child === null || child === undefined || child === false) continue;
    el.append(typeof child === "string" ? doc.createTextNode(child) : child);
  }
  return el;
}
