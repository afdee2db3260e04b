// Runs in <head> before the page is drawn (a classic script: no module, no defer), so that
// the first frame is drawn sooner, and nothing is shown, or loaded, in the wrong mode or
// language:
// - <html class="first-frame"> until the first frame is drawn: that frame lays out only what
//   a first screen shows (style.css), the rest joins it in the next one (the task after the
//   first animation frame; paint timing's entry would come only once the frame is on screen);
// - ?embed=1 → <html class="embed">: the compact calculator for an iframe (style.css);
// - a fragment whose lang= names another language → that language's page, with the same
//   query and fragment (its address comes from <link rel="alternate" hreflang>).
//   Without lang= the page keeps its own language; the page then writes lang= into the link.
(function () {
  "use strict";
  var root = document.documentElement;
  root.classList.add("first-frame");
  requestAnimationFrame(function () {
    setTimeout(function () { root.classList.remove("first-frame"); }, 0);
  });
  if (new URLSearchParams(location.search).get("embed") === "1") root.classList.add("embed");
  var wanted = new URLSearchParams(location.hash.slice(1)).get("lang"); // the first, as engine.link
  if (!wanted || wanted === root.lang) return;
  var links = document.querySelectorAll('link[rel="alternate"][hreflang]');
  for (var i = 0; i < links.length; i++) {
    if (links[i].getAttribute("hreflang") === wanted) {
      location.replace(links[i].getAttribute("href") + location.search + location.hash);
      return;
    }
  }
  // an unknown language: the page stays as it is and reports the link's problem
})();
