/** Each figure's oEmbed document (https://oembed.com/, "rich"), as a static file. */
import type { APIRoute } from "astro";
import { notebookEntries, staticCells } from "../../../lib/notebooks.ts";
import { figureOembed } from "../../../lib/oembed.ts";

export async function getStaticPaths() {
  const paths = [];
  for (const { id } of await notebookEntries()) {
    for (const [cell, rendered] of await staticCells(id)) {
      if (rendered.kind === "figure" && rendered.svg) paths.push({ params: { notebook: id, cell } });
    }
  }
  return paths;
}

export const GET: APIRoute = async ({ params, site }) => {
  const document = await figureOembed(site, import.meta.env.BASE_URL, params.notebook!, params.cell!);
  return new Response(JSON.stringify(document, null, 2), { headers: { "Content-Type": "application/json+oembed" } });
};
