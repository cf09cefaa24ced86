/** oEmbed at build time: every figure's document, and the discovery <link> pages carry. */
import { oembedDocument, oembedPath, svgSize, type OEmbedDocument } from "../../notebooks/lib/embed.ts";
import { staticCell } from "./notebooks.ts";

/**
 * oEmbed needs absolute URLs, and a static build knows its address only when told:
 * `SITE_URL=https://example.org npm run build`. Without it, the address `npm start` serves.
 */
export const DEFAULT_ORIGIN = "http://localhost:4321";

export function siteOrigin(site: URL | undefined): string {
  return site ? site.origin : DEFAULT_ORIGIN;
}

export async function figureOembed(site: URL | undefined, base: string, notebook: string, cell: string): Promise<OEmbedDocument> {
  const rendered = await staticCell(notebook, cell);
  const { width, height } = svgSize(rendered.svg ?? "");
  return oembedDocument({ origin: siteOrigin(site), base, notebook, cell, title: rendered.title ?? cell, imageWidth: width, imageHeight: height });
}

export function oembedHref(site: URL | undefined, base: string, notebook: string, cell: string): string {
  return `${siteOrigin(site)}${oembedPath(base, notebook, cell)}`;
}
