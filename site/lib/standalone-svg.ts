/** Makes a chart's SVG a self-contained image: namespace and its styles inlined. */
import chartCss from "../styles/chart.css?raw";

export function standaloneSvg(svg: string): string {
  const withNs = svg.includes("xmlns=") ? svg : svg.replace("<svg", '<svg xmlns="http://www.w3.org/2000/svg"');
  const style = `<style>${chartCss.replace(/<\/?style/gi, "")} svg.chart{background:#fff}</style>`;
  return `<?xml version="1.0" encoding="UTF-8"?>\n${withNs.replace(/(<svg[^>]*>)/, `$1${style}`)}`;
}
