// Response headers the site needs from its host, which a static build cannot set itself: a
// <meta> Content-Security-Policy cannot carry frame-ancestors. Embed pages (and their images and
// oEmbed files) may be framed by any origin; every other page by none. Written at build time as
// dist/_headers, the format Netlify and Cloudflare Pages read; README "Security" lists the same
// headers for other hosts. One rule per top-level folder of the built site (no "/*" catch-all,
// because those hosts merge every matching rule and the strictest frame-ancestors would win).
import { readdirSync, statSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

/** Sent with every response, framed or not. */
export const COMMON_HEADERS = { "X-Content-Type-Options": "nosniff", "Referrer-Policy": "no-referrer" };
export const EMBED_HEADERS = { "Content-Security-Policy": "frame-ancestors *" };
export const PAGE_HEADERS = { "Content-Security-Policy": "frame-ancestors 'none'", "X-Frame-Options": "DENY" };

/**
 * @param {string} base the site's base path ("/" or "/sub/")
 * @param {string[]} folders the built site's top-level folders
 * @returns {Array<{ path: string, headers: Record<string, string> }>}
 */
export function headerRules(base, folders) {
  const root = base.replace(/\/?$/, "/");
  const rules = [{ path: `${root}embed/*`, headers: { ...EMBED_HEADERS, ...COMMON_HEADERS } }];
  rules.push({ path: root, headers: { ...PAGE_HEADERS, ...COMMON_HEADERS } });
  for (const folder of folders.filter((f) => f !== "embed").sort()) {
    rules.push({ path: `${root}${folder}/*`, headers: { ...PAGE_HEADERS, ...COMMON_HEADERS } });
  }
  return rules;
}

/** @param {Array<{ path: string, headers: Record<string, string> }>} rules */
export function headersFile(rules) {
  const lines = ["# Written by site/lib/host-headers.mjs at build time; see README, Security."];
  for (const rule of rules) {
    lines.push(rule.path);
    for (const [name, value] of Object.entries(rule.headers)) lines.push(`  ${name}: ${value}`);
  }
  return `${lines.join("\n")}\n`;
}

/** @returns {import("astro").AstroIntegration} */
export function hostHeaders() {
  let base = "/";
  return {
    name: "host-headers",
    hooks: {
      "astro:config:done": ({ config }) => {
        base = config.base;
      },
      "astro:build:done": ({ dir }) => {
        const out = fileURLToPath(dir);
        const folders = readdirSync(out).filter((name) => statSync(join(out, name)).isDirectory());
        writeFileSync(join(out, "_headers"), headersFile(headerRules(base, folders)));
      },
    },
  };
}
