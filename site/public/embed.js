// vSphere explorables embeds, for the host page: paste once, after the embeds:
//   <script src="https://…/embed.js" async></script>
// - sizes each iframe[data-vsphere-explorable] to the height its page reports, up and down;
// - hides the snippet's static-image fallback where the iframe is there;
// - turns a fallback without its iframe (a host that strips iframes but keeps this script) into
//   the live chart once it comes near the viewport (lazy; iframes in the snippet are lazy too).
// Only messages from the frame's own window and origin, of the expected shape, are used.
// No dependencies, no cookies, no requests of its own.
(function () {
  "use strict";
  if (window.__vsphereExplorablesEmbed) return; // pasted more than once
  window.__vsphereExplorablesEmbed = true;
  var HEIGHT = "vsphere-explorables:height";
  var PING = "vsphere-explorables:ping";
  var MIN_PX = 60;
  var MAX_PX = 10000;

  function originOf(url) {
    try {
      var parsed = new URL(url, location.href);
      return parsed.protocol === "https:" || parsed.protocol === "http:" ? parsed.origin : null;
    } catch (e) {
      return null;
    }
  }

  function hide(element) {
    element.hidden = true;
    element.style.display = "none"; // also where the host's CSS overrides [hidden]
  }

  // The ping carries nothing: "*" also reaches a frame still on its initial about:blank, where
  // a named origin would only log a mismatch. Replies are checked, not pings.
  function ping(frame) {
    if (frame.contentWindow) frame.contentWindow.postMessage({ type: PING }, "*");
  }

  function frameFor(src) {
    var frames = document.querySelectorAll("iframe[data-vsphere-explorable]");
    var wanted = new URL(src, location.href).href;
    for (var i = 0; i < frames.length; i++) if (frames[i].src === wanted) return frames[i];
    return null;
  }

  function prepare(frame) {
    if (frame.getAttribute("data-vsphere-explorable") === "ready") return;
    frame.setAttribute("data-vsphere-explorable", "ready");
    frame.style.border = "0";
    frame.addEventListener("load", function () { ping(frame); });
    ping(frame);
  }

  function upgrade(fallback, src) {
    var frame = document.createElement("iframe");
    var image = fallback.querySelector("img");
    frame.src = src;
    frame.title = (image && image.alt) || "Chart";
    frame.width = "100%";
    frame.height = "480";
    frame.setAttribute("loading", "lazy");
    frame.setAttribute("allow", "clipboard-write");
    frame.setAttribute("data-vsphere-explorable", "");
    fallback.parentNode.insertBefore(frame, fallback);
    hide(fallback);
    prepare(frame);
  }

  var observer = "IntersectionObserver" in window
    ? new IntersectionObserver(function (entries) {
        for (var i = 0; i < entries.length; i++) {
          if (!entries[i].isIntersecting) continue;
          observer.unobserve(entries[i].target);
          upgrade(entries[i].target, entries[i].target.getAttribute("data-vsphere-explorable-fallback"));
        }
      }, { rootMargin: "400px 0px" })
    : null;

  function scan() {
    var frames = document.querySelectorAll("iframe[data-vsphere-explorable]");
    for (var i = 0; i < frames.length; i++) prepare(frames[i]);
    var fallbacks = document.querySelectorAll("[data-vsphere-explorable-fallback]");
    for (var j = 0; j < fallbacks.length; j++) {
      var fallback = fallbacks[j];
      var src = fallback.getAttribute("data-vsphere-explorable-fallback");
      if (fallback.hidden || !originOf(src)) continue;
      if (frameFor(src)) hide(fallback);
      else if (fallback.getAttribute("data-vsphere-explorable-waiting") === null) {
        fallback.setAttribute("data-vsphere-explorable-waiting", "");
        if (observer) observer.observe(fallback);
        else upgrade(fallback, src);
      }
    }
  }

  window.addEventListener("message", function (event) {
    var data = event.data;
    if (!data || typeof data !== "object" || data.type !== HEIGHT) return;
    if (typeof data.height !== "number" || !isFinite(data.height)) return;
    var frames = document.querySelectorAll("iframe[data-vsphere-explorable]");
    for (var i = 0; i < frames.length; i++) {
      var frame = frames[i];
      if (frame.contentWindow !== event.source || originOf(frame.src) !== event.origin) continue;
      var px = Math.max(MIN_PX, Math.min(MAX_PX, Math.ceil(data.height)));
      frame.style.height = px + "px";
      frame.height = String(px);
    }
  });

  scan();
  // An async script can run before the rest of the page is parsed: look again when it is.
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", scan);
})();
