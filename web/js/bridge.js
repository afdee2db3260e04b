// The one way to call Python. web/main.py is a stateless function behind window.keaEngine:
// each method takes one JSON text and returns one JSON text (plain strings cross the JS ⇄
// Python border with no proxies to manage). A failed call is a bug, never bad input (that
// comes back as `problems`): it is reported (failures.js) and the call answers null.

import { fail, recover } from "./failures.js";

let engine = null;

export function ready() {
  return engine !== null;
}

// callback() once Python is ready (at once if it is).
export function whenReady(callback) {
  const start = () => {
    engine = window.keaEngine;
    callback();
  };
  if (window.keaEngine) start();
  else addEventListener("kea:engine-ready", start, { once: true });
}

// callLoading("exportFile", {…}) → a promise of call()'s answer. A method that needs pinned
// wheels not yet in Python (an XLSX: web/main.py) answers {wheels: [names]}: they are loaded
// from the page's own origin (web/python.mjs loadWheels, once) and the method asked again. A
// wheel that cannot be loaded (a broken download; offline before the service worker stored
// it) rejects, and the next call tries again.
export async function callLoading(method, payload) {
  const answer = call(method, payload);
  if (!answer?.wheels) return answer;
  await globalThis.keaPython.loadWheels(answer.wheels);
  return call(method, payload);
}

// call("calculate", {…}) → the parsed answer, or null after the failure is shown.
export function call(method, payload) {
  let answer;
  try {
    answer = JSON.parse(engine[method](typeof payload === "string" ? payload : JSON.stringify(payload)));
  } catch (error) {
    answer = { error };
  }
  if (answer === null || typeof answer !== "object" || answer.error) {
    fail("calculate", answer?.error ?? { type: "TypeError", message: `not an answer: ${String(answer)}` });
    document.getElementById("totalbar")?.classList.add("stale"); // the calculator's
    return null;
  }
  recover("calculate");
  return answer;
}
