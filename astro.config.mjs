// @ts-check
import { defineConfig } from "astro/config";
import mdx from "@astrojs/mdx";
import remarkMath from "remark-math";
import rehypeKatex from "rehype-katex";
import rehypeEquationBox from "./site/lib/rehype-equation-box.mjs";
import { unified } from "@astrojs/markdown-remark";
import { createHash } from "node:crypto";
import { THEME_SCRIPT } from "./site/lib/theme-script.mjs";
import { COMMON_HEADERS, hostHeaders } from "./site/lib/host-headers.mjs";

// htl (inside @observablehq/inputs) briefly writes placeholder event-handler attributes
// "::0" … "::31" while it builds an element, then replaces them with real listeners. Allowing
// exactly those strings as attribute hashes keeps script-src strict (see DESIGN.md, toolchain facts).
const htlPlaceholderHashes = Array.from({ length: 32 }, (_, i) => ({
  hash: /** @type {`sha256-${string}`} */ (`sha256-${createHash("sha256").update(`::${i}`).digest("base64")}`),
  kind: /** @type {const} */ ("attribute"),
}));

const sha256 = (/** @type {string} */ text) => /** @type {`sha256-${string}`} */ (`sha256-${createHash("sha256").update(text).digest("base64")}`);

// Serve from any path: BASE_PATH=/explorables/ npm run build
const base = process.env.BASE_PATH ?? "/";

export default defineConfig({
  // The public address, for the absolute URLs oEmbed documents need: SITE_URL=https://… npm run build
  site: process.env.SITE_URL,
  srcDir: "./site",
  publicDir: "./site/public",
  outDir: "./dist",
  base,
  trailingSlash: "always",
  output: "static",
  build: { format: "directory" },
  integrations: [mdx(), hostHeaders()],
  // `astro preview` (npm start, the tests) sends these on every response; it cannot vary headers
  // by path, so frame-ancestors is left to the host (dist/_headers, README "Security").
  server: { headers: COMMON_HEADERS },
  markdown: {
    // Equations are rendered to HTML at build time (KaTeX), so they read without JavaScript.
    processor: unified({ remarkPlugins: [remarkMath], rehypePlugins: [rehypeKatex, rehypeEquationBox] }),
    // Shiki writes inline styles that a strict style-src refuses; code samples stay plain.
    syntaxHighlight: false,
  },
  security: {
    csp: {
      algorithm: "SHA-256",
      directives: [
        "default-src 'none'",
        "img-src 'self' data:",
        "font-src 'self'",
        "connect-src 'self'",
        "base-uri 'self'",
        "form-action 'none'",
        "manifest-src 'self'",
        "frame-src 'self'",
      ],
      scriptDirective: {
        resources: [{ resource: "'unsafe-hashes'", kind: "attribute" }],
        hashes: [...htlPlaceholderHashes, { hash: sha256(THEME_SCRIPT), kind: "default" }],
      },
      styleDirective: {
        resources: [{ resource: "'unsafe-inline'", kind: "attribute" }],
      },
    },
  },
  vite: {
    // MINIFY=0 keeps function names readable in CPU profiles (scripts/profile-page.ts).
    build: { assetsInlineLimit: 0, sourcemap: process.env.SOURCEMAP === "1", ...(process.env.MINIFY === "0" ? { minify: false } : {}) },
  },
});
