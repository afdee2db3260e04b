"""Storage denied or missing is normal (issue 11.1): with localStorage and sessionStorage
throwing SecurityError on access, indexedDB.open throwing, no Cache Storage at all, or a
service worker registration that rejects — each alone and all at once, as a browser's
privacy setting, a sandbox or a full disk leaves them — the page starts from the network,
shows the worked example's total, keeps what is typed in the link, and shows no error."""

import json
from pathlib import Path
from urllib.parse import parse_qsl, urlsplit

import pytest
from playwright.sync_api import expect

from engine import link
from golden_cases import case

ROOT = Path(__file__).resolve().parents[2]
EXAMPLE = case("city_mid.v1")["scenario"]
EXPECTED = case("city_mid.v1")["expected"]
LOAD_TIMEOUT = 90_000  # ms: a cold start on a busy 2-core machine

DENIED = 'new DOMException("The operation is insecure.", "SecurityError")'
FAULTS = {  # what add_init_script does to the page before any of its scripts runs
    "web storage throws": f"""
        for (const name of ["localStorage", "sessionStorage"]) {{
          Object.defineProperty(window, name, {{ configurable: true, get() {{ throw {DENIED}; }} }});
        }}""",
    "indexedDB.open throws": f"""
        IDBFactory.prototype.open = function () {{ throw {DENIED}; }};""",
    "no Cache Storage": """
        Object.defineProperty(window, "caches", { configurable: true, value: undefined });""",
    "service worker refused": f"""
        ServiceWorkerContainer.prototype.register = function () {{ return Promise.reject({DENIED}); }};""",
}
FAULTS["all at once"] = "\n".join(FAULTS.values())

# Whether the fault is really in place, seen from the page (so that the test cannot pass
# with an injection that silently did nothing).
IN_PLACE = {
    "web storage throws": "(() => { try { localStorage; return false; } catch (e) { return e.name === 'SecurityError'; } })()",
    "indexedDB.open throws": "(() => { try { IDBFactory.prototype.open.call(null, 'x'); return false; } catch (e) { return e.name === 'SecurityError'; } })()",
    "no Cache Storage": "typeof caches === 'undefined'",
    "service worker refused": "navigator.serviceWorker.register('./sw.js').then(() => false, (e) => e.name === 'SecurityError')",
}


def fragment(page):
    return dict(parse_qsl(urlsplit(page.url).fragment))


@pytest.mark.parametrize("fault", list(FAULTS))
def test_the_page_computes_with_storage_denied(new_page, site_url, fault):
    page = new_page(snapshot=True)  # the visitor's whole first visit, snapshot included
    errors = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.add_init_script(FAULTS[fault])
    page.goto(site_url + "#" + link.encode(EXAMPLE), timeout=LOAD_TIMEOUT)  # a busy machine
    checks = IN_PLACE.values() if fault == "all at once" else [IN_PLACE[fault]]
    for check in checks:
        assert page.evaluate(check) is True, check

    page.locator('[data-testid="ready"]').wait_for(state="attached", timeout=LOAD_TIMEOUT)
    expect(page.get_by_test_id("total")).to_have_text(str(EXPECTED["total"]))  # by hand
    page.fill('[name="vehicles"]', "13")
    expect(page.locator('[data-testid="value-3.3.drivers"]')).to_have_attribute("data-value", "13")
    assert fragment(page)["vehicles"] == "13"
    page.fill('[name="cleaners"]', "2,5x")  # invalid text, kept in the link as typed
    expect(page.locator('[id="p-cleaners"]')).to_be_visible()
    assert fragment(page)["cleaners"] == "2,5x"

    page.reload()  # the link alone holds what was typed where no draft can be kept
    page.locator('[data-testid="ready"]').wait_for(state="attached", timeout=LOAD_TIMEOUT)
    expect(page.locator('[name="vehicles"]')).to_have_value("13")
    expect(page.locator('[name="cleaners"]')).to_have_value("2,5x")
    for alarm in ("engine-error", "load-error"):  # nothing alarming is said
        expect(page.locator(f"#{alarm}")).to_be_hidden()
    assert errors == []
