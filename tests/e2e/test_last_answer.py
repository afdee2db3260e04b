"""A returning visitor sees the last answer at once (web/js/last-answer.js, issue 12 "warm
visits instant"): opened again with the same form, the page shows the answer this build
computed for exactly those values before Python has loaded, marked as kept; Python then
computes it again. An edit before Python runs takes the kept answer away; another build's
answer, or another form's, is never shown.

Python's readiness is held back by an init script (main.py's "kea:engine-ready" is kept
from the page until the test releases it), so that the state before Python can be looked
at for as long as needed."""


import pytest
from playwright.sync_api import expect

import engine
from engine import link
from golden_cases import case

EXAMPLE = case("city_mid.v1")["scenario"]
LOAD_TIMEOUT = 90_000  # ms
KEY_PREFIX = "kea-1nt:answer:"

# Before the page's scripts: Python's readiness kept back until window.releasePython().
# (PyScript's "py:all-done", which the page takes for a failed start when main.py ended
# without the engine, is kept back with it.)
HOLD_PYTHON = """
(() => {
  let held, hold = true;
  const kept = [];
  Object.defineProperty(window, "keaEngine", {
    configurable: true, get: () => (hold ? undefined : held), set: (value) => { held = value; } });
  for (const type of ["kea:engine-ready", "py:all-done"]) {
    addEventListener(type, (event) => {
      if (!hold) return;
      event.stopImmediatePropagation();
      kept.push(type);
    }, { capture: true });
  }
  window.releasePython = () => {
    hold = false;
    for (const type of kept) dispatchEvent(new Event(type));
  };
})();"""

FUNCTION_VALUES = """() => Object.fromEntries([...document.querySelectorAll('[data-testid^="value-"]')]
  .map((cell) => [cell.dataset.testid, cell.dataset.value]))"""

KEPT_WRITTEN = """async (prefix) => {
  for (let i = 0; i < 100; i++) {
    if (Object.keys(localStorage).some((key) => key.startsWith(prefix))) return true;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  return false;
}"""


def example_url(site_url):
    return f"{site_url}#{link.encode(EXAMPLE)}"


def wait_ready(page):
    page.locator('[data-testid="ready"]').wait_for(state="attached", timeout=LOAD_TIMEOUT)


def first_visit(new_page, site_url):
    """A visit that computes the worked example → (its context, what it showed)."""
    page = new_page()
    page.goto(example_url(site_url))
    wait_ready(page)
    assert page.evaluate(KEPT_WRITTEN, KEY_PREFIX), "the answer was not kept"
    shown = {"total": page.inner_text('[data-testid="total"]'),
             "exact": page.get_attribute('[data-testid="total-exact"]', "data-value"),
             "values": page.evaluate(FUNCTION_VALUES),
             "trace": page.locator('[data-testid="trace-3.1.1"]').text_content()}
    assert shown["values"], "no function rows"
    page.close()
    return page.context, shown


def held_visit(context, url):
    """A second tab of the same browser whose Python computes nothing until released."""
    page = context.new_page()
    page.add_init_script(HOLD_PYTHON)
    page.goto(url)
    return page


def test_a_returning_visitor_sees_the_kept_answer_before_python(new_page, site_url):
    context, first = first_visit(new_page, site_url)
    page = held_visit(context, example_url(site_url))
    expect(page.locator('[data-testid="kept-note"]')).to_be_visible()
    expect(page.locator('[data-testid="total"]')).to_have_text(first["total"])
    expect(page.locator('[data-testid="total"]')).to_be_visible()
    assert page.get_attribute('[data-testid="total-exact"]', "data-value") == first["exact"]
    assert page.evaluate(FUNCTION_VALUES) == first["values"]
    assert page.locator('[data-testid="trace-3.1.1"]').text_content() == first["trace"]
    assert page.locator('[data-testid="ready"]').count() == 0
    page.evaluate("() => window.releasePython()")
    wait_ready(page)
    expect(page.locator('[data-testid="kept-note"]')).to_be_hidden()
    expect(page.locator('[data-testid="total"]')).to_have_text(first["total"])
    assert page.evaluate(FUNCTION_VALUES) == first["values"]


def test_an_edit_before_python_takes_the_kept_answer_away(new_page, site_url):
    context, first = first_visit(new_page, site_url)
    page = held_visit(context, example_url(site_url))
    total = page.locator('[data-testid="total"]')
    expect(total).to_have_text(first["total"])
    field = page.locator('[name="households_city.multi_storey"]')
    field.fill("90000")
    expect(page.locator('[data-testid="kept-note"]')).to_be_hidden()
    expect(total).to_have_text("—")  # the waiting note again, not another form's number
    expect(page.locator(".waiting-note")).to_be_visible()
    expect(page.locator("#totalbar-value")).to_have_text("—")
    assert page.locator(".summary [data-value]").count() == 0
    expect(page.locator(".summary")).not_to_contain_text(first["total"])
    expect(page.locator("#results-name")).to_be_hidden()
    field.fill(str(EXAMPLE["households_city"]["multi_storey"]))  # back to the kept values
    expect(total).to_have_text(first["total"])
    expect(page.locator('[data-testid="kept-note"]')).to_be_visible()
    field.fill("90000")
    page.evaluate("() => window.releasePython()")
    wait_ready(page)
    edited = {**EXAMPLE, "households_city": {**EXAMPLE["households_city"], "multi_storey": 90000}}
    expected = engine.compute(link.decode(link.encode(edited))[0])["total"]  # as the page reads it
    expect(total).to_have_text(str(expected))
    assert str(expected) != first["total"]


@pytest.mark.parametrize("change", ["another build", "another form"])
def test_no_other_answer_is_shown(new_page, site_url, change):
    context, first = first_visit(new_page, site_url)
    url = example_url(site_url)
    if change == "another build":
        page = context.new_page()
        page.goto(f"{site_url}methodology.html")  # same origin, no calculator running
        page.evaluate("""(prefix) => { for (const key of Object.keys(localStorage)) {
            if (!key.startsWith(prefix)) continue;
            const kept = JSON.parse(localStorage.getItem(key));
            localStorage.setItem(key, JSON.stringify({ ...kept, build: "0123456789ab" })); } }""",
                      KEY_PREFIX)
        page.close()
    else:
        other = {**EXAMPLE, "vehicles": EXAMPLE.get("vehicles", 0) + 1}
        url = f"{site_url}#{link.encode(other)}"
    page = held_visit(context, url)
    expect(page.locator(".waiting-note")).to_be_visible()
    page.wait_for_timeout(500)  # the kept answer, if it were used, is shown as the form is filled
    expect(page.locator('[data-testid="total"]')).to_have_text("—")
    expect(page.locator('[data-testid="kept-note"]')).to_be_hidden()
    page.evaluate("() => window.releasePython()")
    wait_ready(page)
    expect(page.locator('[data-testid="total"]')).not_to_have_text("—")

