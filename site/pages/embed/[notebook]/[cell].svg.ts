/** The static image of a figure at its default settings, with its own colours (no page CSS). */
import type { APIRoute } from "astro";
import { notebookEntries, staticCells } from "../../../lib/notebooks.ts";
import { standaloneSvg } from "../../../lib/standalone-svg.ts";

export async function getStaticPaths() {
  const paths = [];
  for (const { id } of await notebookEntries()) {
    for (const [cell, rendered] of await staticCells(id)) {
      if (rendered.kind === "figure" && rendered.svg) paths.push({ params: { notebook: id, cell }, props: { svg: rendered.svg } });
    }
  }
  return paths;
}

export const GET: APIRoute = ({ props }) =>
  new Response(standaloneSvg(props.svg as string), { headers: { "Content-Type": "image/svg+xml" } });
