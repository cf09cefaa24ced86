import { defineCollection } from "astro:content";
import { glob } from "astro/loaders";
import { z } from "astro/zod";

const notebooks = defineCollection({
  loader: glob({ pattern: "*/index.mdx", base: "./notebooks" }),
  schema: z.object({
    title: z.string(),
    /** The administrator's question the notebook answers, one sentence. */
    question: z.string(),
    summary: z.string(),
    order: z.number(),
    /** The figure shown as the notebook's thumbnail on the home page. */
    thumbnail: z.string(),
    sources: z.array(z.object({ id: z.string(), title: z.string(), url: z.string().url(), note: z.string().optional() })),
  }),
});

export const collections = { notebooks };
