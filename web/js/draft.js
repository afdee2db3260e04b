// A local draft of the form (its fragment) where the browser allows storage: opened again
// without a link, the page shows what was last typed. Storage denied (a cross-site iframe,
// blocked cookies, a full quota) is normal: the link alone then holds it.

const KEY = `kea-1nt:draft:${new URL("./", location.href).pathname}`;

// localStorage, or null where reading it throws (saved.js keeps its list there too)
export function storage() {
  try {
    return window.localStorage ?? null; // reading the property itself throws where denied
  } catch {
    return null;
  }
}

export function saveDraft(fragment) {
  try {
    if (fragment) storage()?.setItem(KEY, fragment);
    else storage()?.removeItem(KEY);
  } catch {
    // not kept: the link still holds it
  }
}

export function readDraft() {
  try {
    return storage()?.getItem(KEY) ?? "";
  } catch {
    return "";
  }
}
