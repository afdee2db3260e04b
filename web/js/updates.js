// The service worker (sw.js, next to the page) keeps this build for the next visit and for
// use offline. Registered once Python runs, so that what it stores comes from the HTTP cache
// this visit has just filled instead of competing with it. Where there are no service
// workers (file://, plain http, a sandboxed frame, blocked storage) the page works as
// before, from the network. (Minimal: the service-worker work replaces this module.)

export function keepForOffline() {
  try {
    if (!window.isSecureContext || !("serviceWorker" in navigator)) return;
    navigator.serviceWorker.register("./sw.js", { scope: "./" }).catch(() => {});
  } catch {
    // no service worker here
  }
}
