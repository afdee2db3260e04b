// For a page of another site that shows the KEA 1-нт calculator in an iframe: sizes each such
// iframe to the calculator's height, so that the host page has the one scroll bar.
//
//   <iframe src="https://CALCULATOR/?embed=1" title="Калькулятор численности ЭСО"
//           style="width: 100%; height: 900px; border: 0"></iframe>
//   <script src="https://CALCULATOR/embed.js" async></script>
//
// The calculator (?embed=1) posts {type: "kea-1nt:height", height: <CSS pixels>} to its parent
// whenever its height changes (web/js/embedded.js). Only a message from an iframe's own
// window and origin resizes that iframe; nothing else is read or sent. No dependencies.
(function () {
  "use strict";
  var MESSAGE = "kea-1nt:height";
  var MIN = 200; // px: never shrink to nothing
  var MAX = 50000; // px: a broken message cannot make the page endless
  addEventListener("message", function (event) {
    var data = event.data;
    if (!data || data.type !== MESSAGE || typeof data.height !== "number" || !isFinite(data.height)) return;
    var frames = document.getElementsByTagName("iframe");
    for (var i = 0; i < frames.length; i++) {
      var frame = frames[i];
      if (frame.contentWindow !== event.source) continue;
      if (new URL(frame.src, location.href).origin !== event.origin) return;
      frame.style.height = Math.min(Math.max(Math.ceil(data.height), MIN), MAX) + "px";
      return;
    }
  });
})();
