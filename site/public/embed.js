// Resizes vSphere explorables iframes on a host page to the height their content reports.
// Paste once per page, after the iframes: <script src=".../embed.js" async></script>
(function () {
  "use strict";
  function ping(frame) {
    if (frame.contentWindow) frame.contentWindow.postMessage({ type: "vsphere-explorables:ping" }, "*");
  }
  // Frames that reported before this script loaded are asked again; later ones report by themselves.
  var existing = document.querySelectorAll("iframe[data-vsphere-explorable]");
  for (var j = 0; j < existing.length; j++) {
    ping(existing[j]);
    existing[j].addEventListener("load", function (event) { ping(event.target); });
  }
  window.addEventListener("message", function (event) {
    var data = event.data;
    if (!data || data.type !== "vsphere-explorables:height" || typeof data.height !== "number") return;
    var frames = document.querySelectorAll("iframe[data-vsphere-explorable]");
    for (var i = 0; i < frames.length; i++) {
      if (frames[i].contentWindow === event.source) {
        frames[i].style.height = Math.max(100, Math.min(5000, Math.round(data.height))) + "px";
      }
    }
  });
})();
