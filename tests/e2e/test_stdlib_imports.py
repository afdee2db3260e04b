"""The trimmed standard library (web/build/stdlib.py) holds every module the page imports,
and the list of PyScript's files the service worker precaches (web/build/pyscript_chunks.py)
every file of PyScript's that the pages load.

The page is opened and every Python entry point of web/main.py is used — a calculation
(ru, kk, en), one with bad input, one whose JSON is broken (the error path and its
traceback), the link reader on a good and a broken link, every download (CSV, JSON, XLSX
with its wheels), both files read back, the sweep, and the batch (templates, rows from CSV
and XLSX, results as XLSX). Then no
ModuleNotFoundError may have been reported, every module Python took from the zip must
be in web/build/stdlib-modules.txt, and every file of dist/pyscript/ that this page and
the batch page asked for must be in web/build/pyscript-files.txt.

KEA_RECORD=1 records both lists instead: the page is given Pyodide's full
python_stdlib.zip (the route below), and the modules it imported and PyScript's files the
pages asked for are written to the lists (then rebuild; tests/test_build.py checks the
built zip and dist/pyscript/ against them)."""

import json
import os
from pathlib import Path

from engine import link
from golden_cases import case

ROOT = Path(__file__).resolve().parents[2]
LIST = ROOT / "web" / "build" / "stdlib-modules.txt"
PYSCRIPT_LIST = ROOT / "web" / "build" / "pyscript-files.txt"
FULL = ROOT / "node_modules" / "pyodide" / "python_stdlib.zip"
EXAMPLE = case("city_mid.v1")["scenario"]
RECORD = os.environ.get("KEA_RECORD") == "1"
HEADER = ("# The files of python_stdlib.zip whose modules the page imports, recorded by\n"
          "# KEA_RECORD=1 pytest tests/e2e/test_stdlib_imports.py (web/build/stdlib.py).\n")
PYSCRIPT_HEADER = ("# The files of PyScript's bundle (dist/pyscript/) that the pages load, recorded by\n"
                   "# KEA_RECORD=1 pytest tests/e2e/test_stdlib_imports.py (web/build/pyscript_chunks.py).\n")

EXERCISE_JS = """async () => {
  const engine = window.keaEngine;
  const form = document.getElementById("scenario");
  const values = { lang: "ru" }; // as web/js/form.js formValues()
  for (const input of form.querySelectorAll("input[name]")) {
    if (input.type === "hidden" && input.value === "") continue;
    values[input.name] = input.type === "checkbox" ? (input.checked ? "1" : "") : input.value;
  }
  const date = "2026-12-03", address = location.href.split("#")[0];
  // a call that may first ask for its wheels (web/js/bridge.js callLoading does the same)
  const loaded = async (method, request) => {
    let answer = JSON.parse(engine[method](JSON.stringify(request)));
    if (answer.wheels) {
      await globalThis.keaPython.loadWheels(answer.wheels);
      answer = JSON.parse(engine[method](JSON.stringify(request)));
    }
    return answer;
  };
  const bytes = (text) => btoa(String.fromCharCode(...new TextEncoder().encode(text)));
  const answers = [
    engine.calculate(JSON.stringify(values)),
    engine.calculate(JSON.stringify({ ...values, vehicles: "много" })),
    engine.calculate(JSON.stringify({ ...values, lang: "en", "actual.management": "1,000" })),
    engine.calculate("{broken"),
    engine.linkProblems(JSON.stringify({ fragment: location.hash.slice(1), lang: "kk" })),
    engine.linkProblems(JSON.stringify({ fragment: "v=2&x=%ZZ&lang=zz", lang: "en" })),
    engine.exportFile(JSON.stringify({ values, kind: "csv", date, address })),
    engine.exportFile(JSON.stringify({ values, kind: "json", date, address })),
    engine.calculate(JSON.stringify({ ...values, lang: "kk" })),
    engine.sweep(JSON.stringify({ values, field: "vehicles", upto: "" })),
  ].map((text) => JSON.parse(text));
  const xlsx = await loaded("exportFile", { values, kind: "xlsx", date, address });
  const template = await loaded("batchFile", { kind: "xlsx", template: true, date });
  const csvTemplate = await loaded("batchFile", { kind: "csv", template: true, date });
  answers.push(
    xlsx,
    await loaded("openFile", { name: "a.xlsx", base64: xlsx.base64 }),
    await loaded("openFile", { name: "a.json", base64: bytes(answers[7].text) }),
    template,
    await loaded("batchRun", { name: "t.xlsx", base64: template.base64 }),
    await loaded("batchRun", { name: "t.csv", base64: bytes(csvTemplate.text) }),
    await loaded("batchFile", { kind: "xlsx", base64: bytes(csvTemplate.text), date }),
  );
  return { answers, modules: globalThis.keaPython.modules() };
}"""


def listed(path):
    return {line.strip() for line in path.read_text("utf-8").splitlines()
            if line.strip() and not line.startswith("#")}


def test_the_trimmed_stdlib_holds_every_module_the_page_imports(new_page, site_url):
    page = new_page()
    messages, pyscript = [], set()
    page.on("console", lambda message: messages.append(message.text))
    page.on("request", lambda request: "/pyscript/" in request.url
            and pyscript.add(request.url.split("/pyscript/", 1)[1].split("?")[0]))
    page.on("pageerror", lambda error: messages.append(str(error)))
    if RECORD:
        page.route("**/pyodide/python_stdlib.zip.gz",  # the full zip, plain: python.mjs takes it as it is
                   lambda route: route.fulfill(body=FULL.read_bytes(), content_type="application/zip"))
    page.goto(site_url + "#" + link.encode(EXAMPLE))
    page.locator('[data-testid="ready"]').wait_for(state="attached", timeout=90_000)
    found = page.evaluate(EXERCISE_JS)
    answers = found["answers"]
    assert "result" in answers[0] and answers[1]["problems"] and answers[2]["problems"]
    assert answers[3]["error"]["traceback"]  # the bug report path ran
    assert answers[6]["text"] and answers[7]["text"] and "result" in answers[8]
    assert answers[9]["sweep"] and answers[10]["base64"]  # the sweep, the XLSX download
    assert answers[11]["fragment"] and answers[12]["fragment"]  # both files read back
    assert answers[13]["base64"] and "rows" in answers[14] and "rows" in answers[15]
    assert answers[16]["base64"]  # batch results as XLSX
    assert not [a for a in answers if "error" in a and a is not answers[3]], answers
    assert not [text for text in messages if "ModuleNotFoundError" in text or "No module named" in text]
    modules = sorted(found["modules"])
    assert "json/__init__.py" in modules and "encodings/utf_8.py" in modules  # recording works
    page.goto(site_url + "batch.html")
    page.locator('[data-testid="ready"]').wait_for(state="attached", timeout=90_000)
    assert "core.js" in pyscript and any(name.startswith("core-") for name in pyscript)  # recording works
    if RECORD:
        LIST.write_text(HEADER + "".join(f"{name}\n" for name in modules), "utf-8")
        PYSCRIPT_LIST.write_text(PYSCRIPT_HEADER + "".join(f"{name}\n" for name in sorted(pyscript)), "utf-8")
        return
    assert set(modules) <= listed(LIST), f"imported but not in {LIST.name}: {sorted(set(modules) - listed(LIST))}"
    missing = sorted(pyscript - listed(PYSCRIPT_LIST))
    assert not missing, f"loaded but not in {PYSCRIPT_LIST.name} (so not precached): {missing}"
