"""The engine's message catalogs in three languages (issue 13): engine/messages/{ru,kk,en}.json
have the same keys with the same placeholders; every message key the engine can emit — the
steps and warnings of the golden cases and of generated scenarios, the problems of hostile
scenarios and links, the CLI's keys — has a text in each and renders; English has no
Cyrillic outside «…» (the norm's own words, quoted: the one way a catalog quotes the
document); numbers are written as each page writes them; and the form hints take every
number from norm_json (web/hints.py)."""

import importlib
import json
import random
import re
import string
import subprocess
import sys
from pathlib import Path

import pytest

from engine import compute, link, load_norm
from engine.scenario import ScenarioError, problems_of
from engine.trace import LANGUAGES, catalog, fmt, problem_text, render, texts
from golden_cases import all_cases
from strategies import valid_scenario
from test_fuzz import garbage_scenario, hostile_pairs, mutated_link, mutated_scenario
from web.hints import fill_hint

ROOT = Path(__file__).resolve().parents[1]
PAGE_CATALOGS = {lang: json.loads((ROOT / "web" / "i18n" / f"{lang}.json").read_text("utf-8"))
                 for lang in LANGUAGES}
CYRILLIC = re.compile("[\u0400-\u04ff]")
QUOTED = re.compile("«[^»]*»")
SEEDS = range(150)


def placeholders(template):
    return {name for _, name, _, _ in string.Formatter().parse(template) if name}


def unquoted_cyrillic(text):
    return CYRILLIC.findall(QUOTED.sub("", text))


def messages(value):
    """Every {key, params} in a step's or warning's parameters, nested ones included."""
    if isinstance(value, dict) and "key" in value and "params" in value:
        yield value["key"], value["params"]
        for param in value["params"].values():
            yield from messages(param)
    elif isinstance(value, list):
        for item in value:
            yield from messages(item)


def scenarios():
    """The golden cases and generated scenarios, organizations small and large."""
    found = [case["scenario"] for case in all_cases()]
    for seed in SEEDS:
        r = random.Random(seed)
        found.append(valid_scenario(r, None, r.choice((1e12, 1e5, 3000, 300))))
    return found


RESULTS = [compute(s) for s in scenarios()]


def problems():
    """Problems of hostile scenarios and links, and the hand-picked ones of each code."""
    found = []
    for seed in SEEDS:
        r = random.Random(seed)
        for scenario in (mutated_scenario(r), garbage_scenario(r)):
            found += problems_of(scenario)
        found += link.decode_page(hostile_pairs(r))[2] + link.decode_page(mutated_link(r))[2]
    for fragment in ("v=3", "ed=x", "lang=de", "v=1&readings.R1=x", "readings.R9=x",
                     "readings.R99=x", "vehicles=1.5", "vehicles=\u0661", "a=1&a=2",
                     "name=" + "a" * (link.MAX_LINK + 1),
                     "households_rural.district_centre_multi_storey=5"):
        found += link.decode_page(fragment)[2]
    for scenario in ([], {"readings": 1}, {"it": 1}, {"vehicles": None}, {"name": "\ud800"}):
        found += problems_of(scenario)
    return found


PROBLEMS = problems()


def emitted():
    """(key, params) of every step, warning and problem above."""
    for result in RESULTS:
        for fn in result["functions"]:
            for step in fn["steps"]:
                yield from messages(step)
        for warning in result["warnings"]:
            yield from messages(warning)
    for problem in PROBLEMS:
        yield from messages(problem)


EMITTED = list(emitted())


def test_three_catalogs_with_the_same_keys_and_placeholders():
    reference = catalog("ru")
    for lang in LANGUAGES:
        assert list(catalog(lang)) == list(reference), lang
        differ = {key: (placeholders(reference[key]), placeholders(text))
                  for key, text in catalog(lang).items()
                  if placeholders(text) != placeholders(reference[key])}
        assert differ == {}, lang
        assert all(text.strip() for key, text in catalog(lang).items() if key != "number.group")


def test_number_signs_are_the_pages():
    for lang in LANGUAGES:
        signs = PAGE_CATALOGS[lang]["numbers"]
        assert (catalog(lang)["number.decimal"], catalog(lang)["number.group"]) == (
            signs["decimal"], signs["group"]), lang


def test_numbers_per_language_by_hand():
    assert fmt(30000) == fmt(30000, "kk") == "30\u202f000"
    assert fmt(0.611111, "ru") == fmt(0.611111, "kk") == "0,611111"
    assert fmt(30000, "en") == "30,000"
    assert fmt(0.611111, "en") == "0.611111"
    assert fmt(1234567.5, "en") == "1,234,567.5"
    assert fmt(2.0, "en") == "2"


def test_the_collection_reaches_every_kind_of_message():
    keys = {key for key, _ in EMITTED}
    for expected in ("zero", "warning", "row.value", "grid.cell", "points.along_row",
                     "3.1.8.urban", "R23.city_only", "problem.type", "problem.reading.variant",
                     "problem.too_long.link", "problem.exceeds", "expected.count"):
        assert expected in keys, expected
    assert len(keys) > 80


@pytest.mark.parametrize("lang", LANGUAGES)
def test_every_emitted_key_has_a_message_that_renders(lang):
    missing = {key for key, _ in EMITTED if key not in catalog(lang)}
    assert missing == set()
    for key, params in EMITTED:
        render(key, params, lang)  # a placeholder without its parameter raises KeyError


def test_every_key_named_in_the_engine_has_a_message():
    """Keys the collection above may not reach (the CLI's input.*, batch.*, report.*): every string
    literal of the engine that looks like a catalog key is one."""
    literal = re.compile(r'"((?:input|batch|report|problem|expected|zero|what|cite)\.[\w.]+)"')
    named = {key for path in (ROOT / "engine").glob("*.py")
             for key in literal.findall(path.read_text("utf-8"))}
    assert len(named) > 20
    for lang in LANGUAGES:
        assert named - set(catalog(lang)) == set(), lang


def test_russian_renderings_are_the_results_own():
    for result in RESULTS[:40]:
        russian = texts(result, "ru")
        assert russian["trace"] == {fn["id"]: fn["trace"] for fn in result["functions"]}
        assert russian["warnings"] == [w["message"] for w in result["warnings"]]
    for problem in PROBLEMS:
        assert problem_text(problem, "ru") == problem["message"]
        assert set(problem) >= {"field", "code", "message", "key", "params"}


def test_english_has_no_cyrillic_outside_quotes():
    found = set()
    for result in RESULTS:
        english = texts(result, "en")
        lines = [line for trace in english["trace"].values() for line in trace]
        found |= {line for line in lines + english["warnings"] if unquoted_cyrillic(line)}
    found |= {problem_text(p, "en") for p in PROBLEMS if unquoted_cyrillic(problem_text(p, "en"))}
    assert found == set()


def test_kazakh_is_not_russian():
    """Every step with words reads differently in Kazakh (a copied Russian text would not)."""
    result = compute(all_cases()[0]["scenario"])
    kazakh = texts(result, "kk")["trace"]
    for fn in result["functions"]:
        for ru, kk in zip(fn["trace"], kazakh[fn["id"]]):
            if unquoted_cyrillic(ru.split(": ", 1)[1]):
                assert kk != ru


def run_cli(*args):
    return subprocess.run([sys.executable, "-m", "engine", *args], cwd=ROOT, capture_output=True,
                          text=True, encoding="utf-8", timeout=60)


def worked_example(tmp_path):
    """The worked example, version 2, as a scenario file."""
    case = json.loads((ROOT / "tests" / "cases" / "city_mid.v2.json").read_text("utf-8"))
    path = tmp_path / "city_mid.json"
    path.write_text(json.dumps(case["scenario"]), "utf-8")
    return str(path)


def test_cli_text_report_in_english(tmp_path):
    done = run_cli(worked_example(tmp_path), "--text", "--lang", "en")
    assert done.returncode == 0, done.stderr
    norm = load_norm()
    titles = {f["title"] for f in norm["functions"]} | {norm["edition"]["title"], norm["edition"]["order"]}
    for line in done.stdout.splitlines():
        for title in titles:
            line = line.replace(title, "")
        assert not unquoted_cyrillic(line), line
    assert "Normative headcount, total: 72.974828 → 73 (cl. 1.8, R21)" in done.stdout


def test_cli_text_report_in_kazakh_and_its_messages(tmp_path):
    done = run_cli(worked_example(tmp_path), "--text", "--lang", "kk")
    assert "Нормативтік штат саны, барлығы: 72,974828 → 73 (1.8-тармақ, R21)" in done.stdout
    bad = tmp_path / "bad.json"
    bad.write_text('{"vehicles": -1}', "utf-8")
    done = run_cli(str(bad), "--lang", "kk")
    assert done.returncode == 2
    assert done.stderr.strip() == "vehicles: қажеті: теріс емес бүтін сан, теріс сан емес"
    done = run_cli(str(tmp_path / "missing.json"), "--lang", "en")
    assert done.stderr.strip().endswith(": could not read the scenario: file not found")


# --- Hints from the data ----------------------------------------------------------------------

PLACEHOLDER = re.compile(r"\{\{norm:[^}]*\}\}")
CLAUSE = re.compile(r"\b\d+(?:\.\d+)+a?\b")  # 3.1.1, 3.1.17: the document's clause numbers


def norm_numbers(value):
    if isinstance(value, bool):
        return set()
    if isinstance(value, (int, float)):
        return {float(value)}
    items = value.values() if isinstance(value, dict) else value if isinstance(value, list) else []
    found = set()
    for item in items:
        found |= norm_numbers(item)
    if isinstance(value, str):
        found |= {float(n) for n in re.findall(r"\d+", value)}  # numbers of the norm's labels
    return found


def hints(lang):
    return {path: field["hint"] for path, field in PAGE_CATALOGS[lang]["fields"].items()}


@pytest.mark.parametrize("lang", LANGUAGES)
def test_no_norm_number_is_written_into_a_hint(lang):
    """A hint's numbers are placeholders; only clause numbers stay as text."""
    typed = {path: re.findall(r"\d", CLAUSE.sub("", PLACEHOLDER.sub("", hint)))
             for path, hint in hints(lang).items()}
    assert {path: digits for path, digits in typed.items() if digits} == {}


@pytest.mark.parametrize("lang", LANGUAGES)
def test_every_number_of_a_built_hint_is_one_norm_json_gives(lang):
    known = norm_numbers(load_norm()["tables"])
    signs = PAGE_CATALOGS[lang]["numbers"]
    number = re.compile(rf"\d+(?:{re.escape(signs['group'])}\d{{3}})*(?:{re.escape(signs['decimal'])}\d+)?")
    filled = 0
    for path, hint in hints(lang).items():
        text = CLAUSE.sub("", fill_hint(hint, lang, path))
        for written in number.findall(text):
            value = float(written.replace(signs["group"], "").replace(signs["decimal"], "."))
            assert value in known, (path, written)
        filled += hint != text
    assert filled >= 25


def test_hints_name_the_same_norm_values_in_every_language():
    reference = {path: sorted(PLACEHOLDER.findall(hint)) for path, hint in hints("ru").items()}
    for lang in LANGUAGES:
        assert {path: sorted(PLACEHOLDER.findall(hint)) for path, hint in hints(lang).items()} == reference


def test_a_hint_follows_a_corrected_norm(monkeypatch):
    """The built hint reads norm_json at build time: change the rate, the hint changes."""
    norm = load_norm()
    post = next(p for p in norm["tables"]["3.5"]["posts"] if p["factor"] == "guard_posts.h24")
    monkeypatch.setitem(post, "value", 4.9)
    assert fill_hint(hints("en")["guard_posts.h24"], "en", "test") == "4.9 staff per post"
    assert fill_hint(hints("ru")["guard_posts.h24"], "ru", "test") == "4,9 чел. на пост"


def test_an_unknown_norm_path_stops_the_build():
    with pytest.raises(SystemExit, match="unknown placeholder"):
        fill_hint("{{norm:3.5/posts/guard_posts.h99/value}} чел.", "ru", "test")


def norm_numbers(node):
    """Every number norm_json holds."""
    if isinstance(node, dict):
        return {n for value in node.values() for n in norm_numbers(value)}
    if isinstance(node, list):
        return {n for value in node for n in norm_numbers(value)}
    return {node} if type(node) in (int, float) else set()


@pytest.mark.parametrize("lang", LANGUAGES)
def test_no_trace_or_warning_text_copies_a_norm_number(lang):
    """A number of the norm reaches a trace line or a warning as a parameter from norm_json,
    never written into the catalog (a corrected norm would leave the text stale). Numbers of
    one digit are item and note numbers («п. 7», «прим. 3»)."""
    numbers = {n for n in norm_numbers(load_norm()) if n >= 10}
    for key, template in catalog(lang).items():
        if key.split(".")[0] in ("problem", "expected", "input", "batch", "report", "number"):
            continue  # input messages: examples of typing, not the norm
        text = re.sub(r"\{\w+\}|\b\d+(\.\d+)+a?\b|\w+_\d+\b", "", template)  # clause ids, variants
        copied = {float(n) for n in re.findall(r"\d+", text)} & numbers
        assert not copied, (key, template)


def test_the_density_trace_takes_its_unit_area_from_the_norm(monkeypatch):
    norm = json.loads(json.dumps(load_norm()))
    norm["tables"]["3.1.2"]["density_per_km2"] = 500
    # the module (engine.compute is also the package's name for the function)
    monkeypatch.setattr(importlib.import_module("engine.compute"), "load_norm", lambda: norm)
    scenario = {"households_rural": {"households": 2000, "area_km2": 1000}}
    (line,) = [line for f in compute(scenario)["functions"] for line in f["trace"]
               if line.startswith("3.1.2: плотность:")]
    assert "2\u202f000 / (1\u202f000 / 500) = 1\u202f000 потребителей на 500 км²" in line, line
