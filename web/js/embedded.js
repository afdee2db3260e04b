// In an iframe (?embed=1) the calculator tells the page around it how tall it is, so that
// web/embed.js there sizes the iframe to its content: one scroll bar, the host page's.
// The message (docs/ARCHITECTURE-web.md): {type: "kea-1nt:height", height: <CSS pixels>}.

export const HEIGHT_MESSAGE = "kea-1nt:height";

export function reportHeight() {
  if (window.parent === window || !document.documentElement.classList.contains("embed")) return;
  let sent = 0;
  const post = () => {
    const height = Math.ceil(document.documentElement.getBoundingClientRect().height);
    if (height === sent) return;
    sent = height;
    window.parent.postMessage({ type: HEIGHT_MESSAGE, height }, "*"); // a height is no secret
  };
  new ResizeObserver(post).observe(document.documentElement);
  post();
}
