"""The trimmed standard library (web/build/stdlib.py) holds every module the page imports.

The page is opened and every Python entry point of web/main.py is used — a calculation,
one with bad input, one whose JSON is broken (the error path and its traceback), the link
reader on a good and a broken link, both exports, the English page's comma rule. Then no
ModuleNotFoundError may have been reported, and every module Python took from the zip must
be in web/build/stdlib-modules.txt.

KEA_RECORD_STDLIB=1 records that list instead: the page is given Pyodide's full
python_stdlib.zip (the route below), and the modules it imported are written to the list
(then rebuild; tests/test_build.py checks the built zip against the list)."""

import json
import os
from pathlib import Path

from engine import link

ROOT = Path(__file__).resolve().parents[2]
LIST = ROOT / "web" / "build" / "stdlib-modules.txt"
FULL = ROOT / "node_modules" / "pyodide" / "python_stdlib.zip"
EXAMPLE = json.loads((ROOT / "tests" / "golden" / "city_mid.json").read_text("utf-8"))
RECORD = os.environ.get("KEA_RECORD_STDLIB") == "1"
HEADER = ("# The files of python_stdlib.zip whose modules the page imports, recorded by\n"
          "# KEA_RECORD_STDLIB=1 pytest tests/e2e/test_stdlib_imports.py (web/build/stdlib.py).\n")

EXERCISE_JS = """async () => {
  const engine = window.keaEngine;
  const form = document.getElementById("scenario");
  const values = { lang: "ru" }; // as web/js/form.js formValues()
  for (const input of form.querySelectorAll("input[name]")) {
    if (input.type === "hidden" && input.value === "") continue;
    values[input.name] = input.type === "checkbox" ? (input.checked ? "1" : "") : input.value;
  }
  const answers = [
    engine.calculate(JSON.stringify(values)),
    engine.calculate(JSON.stringify({ ...values, vehicles: "много" })),
    engine.calculate(JSON.stringify({ ...values, lang: "en", "actual.management": "1,000" })),
    engine.calculate("{broken"),
    engine.linkProblems(location.hash.slice(1)),
    engine.linkProblems("v=2&x=%ZZ&lang=zz"),
    engine.exportFile(JSON.stringify({ values, kind: "csv", date: "2026-12-03" })),
    engine.exportFile(JSON.stringify({ values, kind: "json", date: "2026-12-03" })),
  ];
  return { answers, modules: globalThis.keaPython.modules() };
}"""


def test_the_trimmed_stdlib_holds_every_module_the_page_imports(new_page, site_url):
    page = new_page()
    messages = []
    page.on("console", lambda message: messages.append(message.text))
    page.on("pageerror", lambda error: messages.append(str(error)))
    if RECORD:
        page.route("**/pyodide/python_stdlib.zip",
                   lambda route: route.fulfill(body=FULL.read_bytes(), content_type="application/zip"))
    page.goto(site_url + "#" + link.encode(EXAMPLE))
    page.locator('[data-testid="ready"]').wait_for(state="attached", timeout=90_000)
    found = page.evaluate(EXERCISE_JS)
    answers = [json.loads(answer) for answer in found["answers"]]
    assert "result" in answers[0] and answers[1]["problems"] and answers[2]["problems"]
    assert answers[3]["error"]["traceback"]  # the bug report path ran
    assert answers[6]["text"] and answers[7]["text"]
    assert not [text for text in messages if "ModuleNotFoundError" in text or "No module named" in text]
    modules = sorted(found["modules"])
    assert "json/__init__.py" in modules and "encodings/utf_8.py" in modules  # recording works
    if RECORD:
        LIST.write_text(HEADER + "".join(f"{name}\n" for name in modules), "utf-8")
        return
    listed = {line.strip() for line in LIST.read_text("utf-8").splitlines()
              if line.strip() and not line.startswith("#")}
    assert set(modules) <= listed, f"imported but not in {LIST.name}: {sorted(set(modules) - listed)}"
