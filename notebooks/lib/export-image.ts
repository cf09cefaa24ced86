/**
 * "Download SVG" and "Download PNG" of a chart as it is on screen now: the live SVG is cloned and
 * every style the page's CSS gave it is written onto the clone as presentation attributes, so the
 * file looks the same (current state, light or dark as shown) without the site's stylesheet.
 * Presentation attributes, not style attributes or a <style> element, so building the clone never
 * needs anything the page's Content-Security-Policy forbids. Browser only.
 */

/** The computed properties that decide how a chart element is drawn. */
const PAINT_PROPERTIES = [
  "fill", "fill-opacity", "stroke", "stroke-width", "stroke-opacity", "stroke-dasharray", "stroke-linecap",
  "stroke-linejoin", "opacity", "paint-order", "font-family", "font-size", "font-weight", "font-style",
  "text-anchor", "dominant-baseline", "visibility",
] as const;

/** Values that equal SVG's own initial ones need not be written. */
const INITIAL: Partial<Record<(typeof PAINT_PROPERTIES)[number], string>> = {
  "fill-opacity": "1", "stroke-opacity": "1", opacity: "1", "stroke-dasharray": "none", "stroke-linecap": "butt",
  "stroke-linejoin": "miter", "paint-order": "normal", "font-style": "normal", visibility: "visible",
  "text-anchor": "start", "dominant-baseline": "auto",
};

export interface ExportedSvg {
  text: string;
  width: number;
  height: number;
}

/** The colour the chart is drawn on: the first opaque background up the tree, else white. */
function backgroundOf(node: Element): string {
  for (let el: Element | null = node; el; el = el.parentElement) {
    const colour = getComputedStyle(el).backgroundColor;
    if (colour && colour !== "transparent" && !/rgba\(.*,\s*0\)$/.test(colour)) return colour;
  }
  return "#ffffff";
}

/** The chart's own drawing box: its viewBox, else its size on screen. */
function boxOf(svg: SVGSVGElement): { x: number; y: number; width: number; height: number } {
  const box = svg.viewBox.baseVal;
  if (box && box.width > 0 && box.height > 0) return { x: box.x, y: box.y, width: box.width, height: box.height };
  const rect = svg.getBoundingClientRect();
  return { x: 0, y: 0, width: Math.max(1, Math.round(rect.width)), height: Math.max(1, Math.round(rect.height)) };
}

/** Room around the drawing, as the page's figure frame gives it, so labels do not touch the edge. */
export const MARGIN_PX = 12;

export function exportSvg(svg: SVGSVGElement): ExportedSvg {
  const clone = svg.cloneNode(true) as SVGSVGElement;
  const originals = [svg, ...svg.querySelectorAll("*")];
  const copies = [clone, ...clone.querySelectorAll("*")];
  originals.forEach((original, i) => {
    const copy = copies[i];
    const style = getComputedStyle(original);
    if (style.display === "none") {
      copy.setAttribute("display", "none");
      return;
    }
    for (const property of PAINT_PROPERTIES) {
      const value = style.getPropertyValue(property);
      if (value && value !== INITIAL[property]) copy.setAttribute(property, value);
    }
    copy.removeAttribute("class");
  });
  const box = boxOf(svg);
  const width = box.width + 2 * MARGIN_PX;
  const height = box.height + 2 * MARGIN_PX;
  clone.setAttribute("xmlns", "http://www.w3.org/2000/svg");
  clone.setAttribute("width", String(width));
  clone.setAttribute("height", String(height));
  clone.setAttribute("viewBox", `${box.x - MARGIN_PX} ${box.y - MARGIN_PX} ${width} ${height}`);
  clone.removeAttribute("style");
  const background = document.createElementNS("http://www.w3.org/2000/svg", "rect");
  background.setAttribute("x", String(box.x - MARGIN_PX));
  background.setAttribute("y", String(box.y - MARGIN_PX));
  background.setAttribute("width", String(width));
  background.setAttribute("height", String(height));
  background.setAttribute("fill", backgroundOf(svg));
  clone.insertBefore(background, clone.firstChild);
  const text = `<?xml version="1.0" encoding="UTF-8"?>\n${new XMLSerializer().serializeToString(clone)}`;
  return { text, width, height };
}

/** The PNG is drawn at twice the chart's size so that 11–12 px chart text stays crisp. */
export const PNG_SCALE = 2;

export async function exportPng(svg: SVGSVGElement, scale = PNG_SCALE): Promise<Blob> {
  const { text, width, height } = exportSvg(svg);
  const image = new Image();
  // A data: URL (already allowed by img-src) rather than blob:, so the policy needs no change.
  image.src = `data:image/svg+xml;charset=utf-8,${encodeURIComponent(text)}`;
  await image.decode();
  const canvas = document.createElement("canvas");
  canvas.width = Math.round(width * scale);
  canvas.height = Math.round(height * scale);
  const context = canvas.getContext("2d");
  if (!context) throw new Error("This browser cannot draw the image.");
  context.drawImage(image, 0, 0, canvas.width, canvas.height);
  return new Promise((resolve, reject) => canvas.toBlob((blob) => (blob ? resolve(blob) : reject(new Error("This browser cannot make a PNG."))), "image/png"));
}

export function downloadBlob(blob: Blob, fileName: string): void {
  const url = URL.createObjectURL(blob);
  const link = document.createElement("a");
  link.href = url;
  link.download = fileName;
  link.hidden = true;
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}
