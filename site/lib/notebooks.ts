/**
 * The site's view of the notebooks folder: every `notebooks/<id>/cells.ts` is a notebook, found
 * by glob so that adding a folder is all it takes to add a page, its embeds and its nav entry.
 */
import { getCollection, type CollectionEntry } from "astro:content";
import type { Notebook } from "../../notebooks/lib/cells.ts";
import type { ParamSchema } from "../../notebooks/lib/params.ts";
import { renderStatic, type StaticCell } from "../../notebooks/lib/static.ts";

const modules = import.meta.glob<{ notebook: Notebook<ParamSchema> }>("../../notebooks/*/cells.ts", { eager: true });

export function notebookIdOf(entry: CollectionEntry<"notebooks">): string {
  const path = entry.filePath ?? entry.id;
  return path.split("/").at(-2) ?? entry.id;
}

export function notebookModule(id: string): Notebook<ParamSchema> {
  const found = Object.entries(modules).find(([path]) => path.endsWith(`/${id}/cells.ts`));
  if (!found) throw new Error(`No notebooks/${id}/cells.ts`);
  return found[1].notebook;
}

export async function notebookEntries(): Promise<Array<{ id: string; entry: CollectionEntry<"notebooks"> }>> {
  const entries = await getCollection("notebooks");
  return entries.map((entry) => ({ id: notebookIdOf(entry), entry })).sort((a, b) => a.entry.data.order - b.entry.data.order);
}

const staticCache = new Map<string, Promise<Map<string, StaticCell>>>();

/** Every figure and inline value of a notebook at its default settings, rendered once per build. */
export function staticCells(id: string): Promise<Map<string, StaticCell>> {
  let cached = staticCache.get(id);
  if (!cached) {
    cached = renderStatic(notebookModule(id));
    staticCache.set(id, cached);
  }
  return cached;
}

export async function staticCell(id: string, name: string): Promise<StaticCell> {
  const cell = (await staticCells(id)).get(name);
  if (!cell) throw new Error(`Notebook ${id} has no figure, text or element cell named ${name}`);
  return cell;
}
