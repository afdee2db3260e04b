// The page's side of the service worker (../sw.js; docs/OFFLINE.md): it registers the worker
// that keeps this build for the next visit and for use offline, and says so when a newer
// build is ready — importing this module is all it takes.
//
// The worker never switches an open page to another build by itself: a new build installs
// in the background (on a visit, or on the checks below for a tab left open) and waits.
// This module then shows a notice (data-testid="update-notice") with a button
// (data-testid="update-switch"): it tells the waiting worker to take over and reloads the
// page — same address, so the form's fragment is kept — onto the new build. Should another
// tab switch first, this page keeps its notice; one still loading (no result yet) reloads at
// once, so that its remaining files never come from another build than its own.
//
// Where there are no service workers (file://, plain http, a sandboxed frame, blocked
// storage) nothing happens and the page works from the network. The registration is a
// script-URL sink under the page's Trusted Types CSP: the page's "default" policy passes it.

import { catalog } from "./catalog.js";

const UPDATE_EVERY = 30 * 60 * 1000; // ms between checks for a new build while a tab is open
const SAY_WAITING_AFTER = 4000; // ms after the click, if the page has not reloaded by then

let started = false;
let switching = false; // this page asked the new worker to take over

export function keepUpToDate() {
  if (started) return;
  started = true;
  let workers;
  try {
    if (!window.isSecureContext || !("serviceWorker" in navigator)) return;
    workers = navigator.serviceWorker;
  } catch {
    return; // no service workers here
  }
  // Registered once Python runs, so that what the worker stores comes from the HTTP cache
  // this visit has just filled instead of competing with it.
  if (window.keaEngine) register(workers);
  else addEventListener("kea:engine-ready", () => register(workers), { once: true });
  workers.getRegistration().then((registration) => registration && watch(registration, workers), () => {});
  workers.addEventListener("controllerchange", () => {
    if (switching || !document.querySelector('[data-testid="ready"]')) location.reload();
  });
}

// After the page's copies of the runtime files are stored (../python.mjs keeps them for the
// worker's precache, which would otherwise download them again), at most a few seconds.
async function register(workers) {
  const kept = globalThis.keaPython?.kept ?? Promise.resolve();
  await Promise.race([kept, new Promise((resolve) => setTimeout(resolve, 5000))]);
  workers.register("./sw.js", { scope: "./" }).catch(() => {});
}

// Offers the switch once a new build has installed next to the one serving this page.
function watch(registration, workers) {
  const offerWhenInstalled = (worker) => {
    if (!worker) return;
    worker.addEventListener("statechange", () => {
      if (worker.state === "installed") offer(registration, workers);
    });
  };
  if (registration.waiting) offer(registration, workers);
  offerWhenInstalled(registration.installing);
  registration.addEventListener("updatefound", () => offerWhenInstalled(registration.installing));
  const check = () => {
    if (document.visibilityState === "visible") registration.update().catch(() => {}); // offline
  };
  setInterval(check, UPDATE_EVERY);
  document.addEventListener("visibilitychange", check);
}

function offer(registration, workers) {
  // A page the worker did not serve came from the network: it already is the newest.
  if (!workers.controller || document.querySelector('[data-testid="update-notice"]')) return;
  const texts = catalog.updates;
  const notice = document.createElement("div");
  notice.className = "update-notice";
  notice.dataset.testid = "update-notice";
  notice.setAttribute("role", "status");
  const message = document.createElement("span");
  message.textContent = texts.available;
  const button = document.createElement("button");
  button.type = "button";
  button.dataset.testid = "update-switch";
  button.textContent = texts.switch;
  button.addEventListener("click", () => {
    button.disabled = true;
    message.textContent = texts.switching;
    if (!registration.waiting) return location.reload(); // another tab has switched already
    switching = true;
    // Chromium activates it only once the old worker is idle (a download for any tab still
    // going; a worker that was stopped waits out its 30 s idle timer): say so if it takes long.
    setTimeout(() => (message.textContent = texts.waiting), SAY_WAITING_AFTER);
    const waiting = registration.waiting;
    // then "controllerchange"; should a newer build replace this one meanwhile, reload anyway
    waiting.addEventListener("statechange", () => waiting.state === "redundant" && location.reload());
    waiting.postMessage({ type: "activate" });
  });
  notice.append(message, " ", button);
  document.body.prepend(notice);
}

keepUpToDate();
