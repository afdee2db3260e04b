// The page's CSP requires Trusted Types: a string given to an HTML or script sink is refused.
// Its one allowed policy, "default", converts only a script URL of this page's own origin
// (the service worker's ./sw.js, python.mjs as the snapshot worker); no HTML, no script
// text, ever.

export function trustSameOriginScripts() {
  if (!window.trustedTypes || trustedTypes.defaultPolicy) return;
  trustedTypes.createPolicy("default", {
    createScriptURL(url) {
      const resolved = new URL(url, document.baseURI);
      if (resolved.origin !== location.origin) throw new TypeError(`script from another origin: ${resolved.origin}`);
      return resolved.href;
    },
  });
}
