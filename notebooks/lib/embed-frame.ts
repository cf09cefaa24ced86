/**
 * The embed page's side of the resizing protocol with embed.js on the host page: it posts the
 * height of its content whenever that changes, up or down (Settings or the Data table opened and
 * closed, a chart redrawn), and answers the host's ping. Browser only.
 */

export const HEIGHT_MESSAGE = "vsphere-explorables:height";
export const PING_MESSAGE = "vsphere-explorables:ping";

/**
 * The content's own height. Not `documentElement.scrollHeight`: that is never less than the
 * iframe's viewport, so once the host made the frame tall it would never report a smaller size.
 */
export function contentHeight(doc: Document = document): number {
  const body = doc.body;
  const style = getComputedStyle(body);
  return Math.ceil(body.getBoundingClientRect().height + parseFloat(style.marginTop || "0") + parseFloat(style.marginBottom || "0"));
}

export function reportHeight(): void {
  if (parent === window) return;
  let last = -1;
  const send = (force = false) => {
    const height = contentHeight();
    if (height === last && !force) return;
    last = height;
    // The height is no secret, and the host's origin is unknown to the embed: any target.
    parent.postMessage({ type: HEIGHT_MESSAGE, height }, "*");
  };
  new ResizeObserver(() => send()).observe(document.body);
  // The host page's embed.js may load after our first report: it asks again, and we answer.
  window.addEventListener("message", (event) => {
    if (event.source === parent && event.data && event.data.type === PING_MESSAGE) send(true);
  });
  send(true);
}
