/**
 * Addresses and snippets for sharing one figure: the embed page, its static image, its oEmbed
 * document, the notebook page at a state, and the HTML a blogger pastes. Pure string building
 * (no DOM), shared by the build (oEmbed files, <link> tags) and the browser (copy buttons).
 */

export type Theme = "light" | "dark";

/** The query key an embed page reads its theme from; it is not a notebook param. */
export const THEME_KEY = "theme";

export interface FigureAddress {
  /** Scheme, host and port of the site, e.g. "https://example.org" (no trailing slash). */
  origin: string;
  /** Base path of the site ("/" or "/sub/"). */
  base: string;
  notebook: string;
  cell: string;
}

export interface EmbedTarget extends FigureAddress {
  /** The notebook's state as a canonical query string (no leading "?"), "" at defaults. */
  query: string;
  title: string;
  /** Force a theme in the embed; without it the embed follows the reader's prefers-color-scheme. */
  theme?: Theme;
  /** Starting height of the iframe before the embed reports its own, in CSS pixels. */
  height?: number;
}

function slash(base: string): string {
  return base.replace(/\/?$/, "/");
}

export function embedPath(base: string, notebook: string, cell: string): string {
  return `${slash(base)}embed/${encodeURIComponent(notebook)}/${encodeURIComponent(cell)}/`;
}

/** The figure's static image at default settings (a build-time file). */
export function staticSvgPath(base: string, notebook: string, cell: string): string {
  return `${slash(base)}embed/${encodeURIComponent(notebook)}/${encodeURIComponent(cell)}.svg`;
}

/** The figure's oEmbed document (a build-time file). */
export function oembedPath(base: string, notebook: string, cell: string): string {
  return `${slash(base)}embed/${encodeURIComponent(notebook)}/${encodeURIComponent(cell)}.oembed.json`;
}

export function parseTheme(query: string | URLSearchParams): Theme | undefined {
  const value = (typeof query === "string" ? new URLSearchParams(query) : query).get(THEME_KEY);
  return value === "light" || value === "dark" ? value : undefined;
}

/** A notebook state query with the theme appended last, so the URL stays canonical. */
export function withTheme(query: string, theme: Theme | undefined): string {
  if (!theme) return query;
  return query ? `${query}&${THEME_KEY}=${theme}` : `${THEME_KEY}=${theme}`;
}

export function embedUrl(target: Omit<EmbedTarget, "title">): string {
  const query = withTheme(target.query, target.theme);
  return `${target.origin}${embedPath(target.base, target.notebook, target.cell)}${query ? `?${query}` : ""}`;
}

/** The notebook page at this state, scrolled to the figure: what "Copy link" copies. */
export function pageUrl(target: FigureAddress & { query: string }): string {
  const query = target.query ? `?${target.query}` : "";
  return `${target.origin}${slash(target.base)}${encodeURIComponent(target.notebook)}/${query}#figure-${encodeURIComponent(target.cell)}`;
}

export function escapeAttribute(value: string): string {
  return value.replace(/&/g, "&amp;").replace(/"/g, "&quot;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
}

export const DEFAULT_EMBED_HEIGHT = 480;

/** The iframe alone (what oEmbed consumers get): borderless, lazy, resizable by embed.js. */
export function embedIframe(target: EmbedTarget): string {
  const height = Math.round(target.height ?? DEFAULT_EMBED_HEIGHT);
  return `<iframe src="${escapeAttribute(embedUrl(target))}" title="${escapeAttribute(target.title)}" width="100%" height="${height}" style="border:0" loading="lazy" allow="clipboard-write" data-vsphere-explorable></iframe>`;
}

/**
 * What "Copy embed code" copies: the iframe; then a link with the static image for hosts that
 * strip iframes (and for readers without JavaScript), which embed.js hides where the iframe is
 * live; then the resizer script. The image shows the default settings, the link opens the state.
 */
export function embedSnippet(target: EmbedTarget): string {
  const src = embedUrl(target);
  const image = `${target.origin}${staticSvgPath(target.base, target.notebook, target.cell)}`;
  const script = `${target.origin}${slash(target.base)}embed.js`;
  const alt = `${target.title} (chart image at the default settings; opens the interactive chart)`;
  return [
    embedIframe(target),
    `<a href="${escapeAttribute(pageUrl(target))}" data-vsphere-explorable-fallback="${escapeAttribute(src)}"><img src="${escapeAttribute(image)}" alt="${escapeAttribute(alt)}" width="640" style="max-width:100%;height:auto;border:0"></a>`,
    `<script src="${escapeAttribute(script)}" async></script>`,
  ].join("\n");
}

/** https://oembed.com/ §2.3.4 "rich" type, plus the thumbnail (the static SVG). */
export interface OEmbedDocument {
  version: "1.0";
  type: "rich";
  title: string;
  provider_name: string;
  provider_url: string;
  html: string;
  width: number;
  height: number;
  thumbnail_url: string;
  thumbnail_width: number;
  thumbnail_height: number;
  cache_age: number;
}

export const PROVIDER_NAME = "vSphere explorables";

export interface OEmbedInput extends FigureAddress {
  title: string;
  /** Size of the static chart image (its viewBox). */
  imageWidth: number;
  imageHeight: number;
}

/** Caption, summary, credit and padding around the chart in an embed at default settings. */
const EMBED_CHROME_PX = 170;

export function embedHeightFor(imageWidth: number, imageHeight: number, width = imageWidth): number {
  return Math.round((imageHeight * width) / Math.max(1, imageWidth) + EMBED_CHROME_PX);
}

export function oembedDocument(input: OEmbedInput): OEmbedDocument {
  const width = Math.round(input.imageWidth);
  const height = embedHeightFor(input.imageWidth, input.imageHeight);
  return {
    version: "1.0",
    type: "rich",
    title: input.title,
    provider_name: PROVIDER_NAME,
    provider_url: `${input.origin}${slash(input.base)}`,
    // The iframe only: consumers that render rich HTML often drop scripts, and size the frame
    // from width and height.
    html: embedIframe({ ...input, query: "", height }),
    width,
    height,
    thumbnail_url: `${input.origin}${staticSvgPath(input.base, input.notebook, input.cell)}`,
    thumbnail_width: width,
    thumbnail_height: Math.round(input.imageHeight),
    cache_age: 86_400,
  };
}

/** The size a chart SVG declares in its viewBox ("0 0 w h"); the default chart size otherwise. */
export function svgSize(svg: string): { width: number; height: number } {
  const match = /viewBox="\s*[-\d.]+[\s,]+[-\d.]+[\s,]+([\d.]+)[\s,]+([\d.]+)\s*"/.exec(svg);
  const width = match ? Number(match[1]) : NaN;
  const height = match ? Number(match[2]) : NaN;
  return Number.isFinite(width) && Number.isFinite(height) && width > 0 && height > 0 ? { width, height } : { width: 640, height: 320 };
}
