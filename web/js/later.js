// What follows an edit but is not its number — the link and the draft (history.replaceState
// and localStorage cost milliseconds), the links built from them, the comparison, the
// charts, the actual-vs-norm table — runs in a task of its own, after the edit's result is
// in the DOM (it still comes before the next frame is drawn). One job waits at a time: the
// latest edit's. Whatever the visitor does next (a click, a key, printing, leaving the page)
// runs it first, so nothing ever acts on the edit before.

let pending = null;

export function later(job) {
  if (pending === null) setTimeout(flush, 0);
  pending = job;
}

export function flush() {
  const job = pending;
  pending = null;
  job?.();
}

// The address was navigated to: the job of the form before must not write its link over it.
export function drop() {
  pending = null;
}

for (const type of ["click", "keydown"]) document.addEventListener(type, flush, { capture: true });
addEventListener("beforeprint", flush);
addEventListener("pagehide", flush);
