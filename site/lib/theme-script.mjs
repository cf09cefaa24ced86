// The embed page's only inline script: applies ?theme=light|dark before the first paint (an
// external file would cost a blocking request). astro.config.mjs allows exactly its hash.
export const THEME_SCRIPT =
  '(function () { var t = new URLSearchParams(location.search).get("theme"); if (t === "light" || t === "dark") document.documentElement.dataset.theme = t; })();';
