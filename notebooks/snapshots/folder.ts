/**
 * The VM folder the page analyses: a shipped sample, or the files the reader dropped or pasted
 * (the drop zone decides whether new files replace or join the ones there). Small and free of the
 * model's parsers, so the `files` cell needs no code beyond the page's first download; the
 * samples' texts are imported by that cell only when a sample is chosen.
 */
import type { DroppedFile } from "../../src/snapshots/index.ts";
import type { Sample } from "./samples/index.ts";
import { DEFAULT_SAMPLE } from "./sample-list.ts";

export interface Folder {
  source: "sample" | "own";
  sample: Sample | null;
  files: DroppedFile[];
  listing: string | null;
}

/** Nothing to show, and the sentence that says why. */
export type Empty = { refusal: string };

export function isEmpty(value: unknown): value is Empty {
  return typeof value === "object" && value !== null && typeof (value as Empty).refusal === "string";
}

const NO_FILES =
  "No files yet: drop your VM folder's .vmx, .vmsd and descriptor .vmdk files into the box above (or paste one), or pick a sample folder. Your files are never stored in the page's link, so a shared link with “my own files” opens empty.";

/** The reader's own files, as the drop zone gives them (null: none yet). */
export function ownFolder(dropped: DroppedFile[] | null): Folder | Empty {
  return dropped && dropped.length > 0 ? { source: "own", sample: null, files: dropped, listing: null } : { refusal: NO_FILES };
}

/** A shipped sample folder by id (an unknown id, which the URL's validation rules out: the default). */
export function sampleFolder(samples: readonly Sample[], id: string): Folder {
  const s = samples.find((x) => x.id === id) ?? samples.find((x) => x.id === DEFAULT_SAMPLE)!;
  return { source: "sample", sample: s, files: s.files, listing: s.listing };
}
