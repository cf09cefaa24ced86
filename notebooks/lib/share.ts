/**
 * The buttons under each figure (and in an embed's credit line): copy the embed code, copy a link
 * to the current state, download the chart as it is now as SVG or PNG. The pre-rendered page
 * ships them hidden (they need JavaScript); they appear here, once the runtime owns the page.
 */
import { embedSnippet, pageUrl, type Theme } from "./embed.ts";

export interface ShareOptions {
  notebookId: string;
  /** Base URL of the site ("/" or "/sub/"). */
  base: string;
  /** The canonical query of the current state, up to date even before the URL is rewritten. */
  currentQuery: () => string;
}

function statusFor(button: HTMLElement): HTMLElement | null {
  return button.closest<HTMLElement>("[data-share-tools]")?.querySelector<HTMLElement>("[data-embed-status]") ?? null;
}

/** Copies `text`; where the clipboard is refused, shows it in the row's box, selected. */
async function copy(button: HTMLElement, text: string, done: string): Promise<void> {
  const status = statusFor(button);
  try {
    await navigator.clipboard.writeText(text);
    if (status) status.textContent = done;
  } catch {
    const area = button.closest("[data-share-tools]")?.querySelector<HTMLTextAreaElement>("textarea");
    if (area) {
      area.hidden = false;
      area.value = text;
      area.select();
    }
    if (status) status.textContent = "Copy it from the box.";
  }
}

function chartOf(cell: string): SVGSVGElement | null {
  return document.querySelector<SVGSVGElement>(`figure[data-cell="${CSS.escape(cell)}"] .figure-chart svg`);
}

async function download(button: HTMLElement, cell: string, notebookId: string, format: "svg" | "png"): Promise<void> {
  const status = statusFor(button);
  const svg = chartOf(cell);
  if (!svg) {
    if (status) status.textContent = "There is no chart to download at these settings.";
    return;
  }
  try {
    // Loaded on the first download only: most readers never press the buttons.
    const { downloadBlob, exportPng, exportSvg } = await import("./export-image.ts");
    const blob = format === "svg" ? new Blob([exportSvg(svg).text], { type: "image/svg+xml" }) : await exportPng(svg);
    downloadBlob(blob, `${notebookId}-${cell}.${format}`);
    if (status) status.textContent = `${format.toUpperCase()} downloaded.`;
  } catch (error) {
    if (status) status.textContent = error instanceof Error ? error.message : String(error);
  }
}

export function wireShareButtons(options: ShareOptions): void {
  const { notebookId, base } = options;
  const address = (cell: string) => ({ origin: location.origin, base, notebook: notebookId, cell, query: options.currentQuery() });
  const enable = <E extends HTMLElement>(selector: string, wire: (el: E) => void) => {
    for (const el of document.querySelectorAll<E>(selector)) wire(el);
  };
  enable("[data-share-buttons]", (group) => (group.hidden = false));
  enable<HTMLButtonElement>("[data-embed-button]", (button) => {
    const cell = button.dataset.embedButton!;
    const themeSelect = button.closest("[data-share-tools]")?.querySelector<HTMLSelectElement>("[data-embed-theme]");
    button.addEventListener("click", () => {
      const theme = themeSelect?.value === "light" || themeSelect?.value === "dark" ? (themeSelect.value as Theme) : undefined;
      const height = document.querySelector(`figure[data-cell="${CSS.escape(cell)}"]`)?.getBoundingClientRect().height;
      const snippet = embedSnippet({ ...address(cell), title: button.dataset.title ?? cell, theme, height: height ? height + 60 : undefined });
      void copy(button, snippet, "Embed code copied.");
    });
  });
  enable<HTMLButtonElement>("[data-copy-link]", (button) => {
    button.addEventListener("click", () => void copy(button, pageUrl(address(button.dataset.copyLink!)), "Link copied."));
  });
  enable<HTMLButtonElement>("[data-download-svg]", (button) => {
    button.addEventListener("click", () => void download(button, button.dataset.downloadSvg!, notebookId, "svg"));
  });
  enable<HTMLButtonElement>("[data-download-png]", (button) => {
    button.addEventListener("click", () => void download(button, button.dataset.downloadPng!, notebookId, "png"));
  });
}

/** Links that open the notebook at the current state (an embed's credit line) follow the state. */
export function updatePageLinks(options: ShareOptions): void {
  for (const link of document.querySelectorAll<HTMLAnchorElement>("a[data-page-link]")) {
    link.href = pageUrl({ origin: location.origin, base: options.base, notebook: options.notebookId, cell: link.dataset.pageLink!, query: options.currentQuery() });
  }
}
