"""The Russian and Kazakh texts of the rulings and readings must not drift from the English.

docs/rulings/en.md (edition 2 of the rulings) and docs/READINGS.md are the English texts;
docs/rulings/{ru,kk}.md and docs/readings/{ru,kk}.md translate them block by block. A block
is a heading, a list item (with its indented continuation lines), a paragraph or a table
row. Each translation has the same blocks in the same order, and each block keeps:
- the ruling id its bold label starts with (R1 …, the page's anchors);
- every code span (field paths, variant names), exactly;
- every quoted string (the document's words, typed examples), verbatim, in "…" or «…»;
- every number of the English block, at least as often (decimal comma in ru/kk: 0,6 = 0.6;
  clause numbers such as 3.1.10 and dates keep their dots);
and every table keeps its shape (rows × cells).
"""

import re
from collections import Counter
from pathlib import Path

import pytest

DOCS = Path(__file__).resolve().parent.parent / "docs"
TEXTS = {
    "rulings": (DOCS / "rulings" / "en.md", {lang: DOCS / "rulings" / f"{lang}.md" for lang in ("ru", "kk")}),
    "readings": (DOCS / "READINGS.md", {lang: DOCS / "readings" / f"{lang}.md" for lang in ("ru", "kk")}),
}
PAIRS = [(kind, lang) for kind in TEXTS for lang in ("ru", "kk")]

CODE = re.compile(r"`[^`]+`")
QUOTE = re.compile(r'"([^"]+)"|«([^»]+)»')
RULING = re.compile(r"^- \*\*(R\d{1,2})\b")
GROUPED = r"\d{1,3}(?:[ \u00a0\u202f]\d{3})+(?!\d)"  # 25 000
NUMBER = {
    "en": re.compile(rf"(?<!\w)(?:{GROUPED}|\d+(?:\.\d+)*)"),
    "tr": re.compile(rf"(?<!\w)(?:{GROUPED}|\d+(?:\.\d+)*(?:,\d+)?)"),
}


# ---------------------------------------------------------------------------- parsing

def blocks(text):
    """[(kind, text)] with kind heading / item / paragraph / row; continuation lines joined."""
    out, blank = [], True
    for line in text.splitlines():
        stripped = line.strip()
        if not stripped:
            blank = True
            continue
        if stripped.startswith("#"):
            out.append(["heading", stripped])
        elif stripped.startswith("|"):
            out.append(["row", stripped])
        elif line.startswith(("- ", "* ")):
            out.append(["item", stripped])
        elif out and not blank and (out[-1][0] == "paragraph" or (out[-1][0] == "item" and line[0] in " \t")):
            out[-1][1] += " " + stripped
        else:
            out.append(["paragraph", stripped])
        blank = False
    return [(kind, " ".join(body.split())) for kind, body in out]


def tables(block_list):
    """The shape of each table: [cells per row], rows in order (the |---| line included)."""
    shapes, current = [], None
    for kind, body in block_list + [("end", "")]:
        if kind == "row":
            if current is None:
                current = []
                shapes.append(current)
            current.append(len(body.strip().strip("|").split("|")))
        else:
            current = None
    return shapes


def quotes(body):
    return [a or b for a, b in QUOTE.findall(CODE.sub(" ", body))]


def numbers(body, style, drop_quotes):
    """Canonical number tokens of a block, outside code spans and the quotes given."""
    body = CODE.sub(" ", body)
    for quoted in drop_quotes:
        for form in (f'"{quoted}"', f"«{quoted}»"):
            if form in body:
                body = body.replace(form, " ", 1)
                break
    body = re.sub(r"\*\*(R\d{1,2})", " ", body)  # the bold id of a ruling is not a number
    tokens = NUMBER[style].findall(body)
    return Counter(re.sub(r"[ \u00a0\u202f]", "", t).replace(",", ".") for t in tokens)


def ruling_ids(block_list):
    return [m[1] for kind, body in block_list if kind == "item" for m in [RULING.match(body)] if m]


# ---------------------------------------------------------------------------- the check

def drift(english, translation):
    """Every way the translation's text departs from the English one (empty list: none)."""
    en, tr = blocks(english), blocks(translation)
    problems = []
    if ruling_ids(en) != ruling_ids(tr):
        problems.append(f"ruling ids {ruling_ids(tr)} != English {ruling_ids(en)}")
    if [k for k, _ in en] != [k for k, _ in tr]:
        problems.append(f"block kinds differ: {[k for k, _ in tr]} != English {[k for k, _ in en]}")
    if sum(k == "heading" for k, _ in en) != sum(k == "heading" for k, _ in tr):
        problems.append("heading count differs")
    if tables(en) != tables(tr):
        problems.append(f"table shapes {tables(tr)} != English {tables(en)}")
    for index, ((_, e), (_, t)) in enumerate(zip(en, tr)):
        where = f"block {index} ({e[:50]!r})"
        if Counter(CODE.findall(e)) != Counter(CODE.findall(t)):
            problems.append(f"{where}: code spans {sorted(CODE.findall(t))} != {sorted(CODE.findall(e))}")
        missing = [q for q in quotes(e) if q not in quotes(t)]
        if missing:
            problems.append(f"{where}: quoted words missing: {missing}")
        lacking = numbers(e, "en", quotes(e)) - numbers(t, "tr", quotes(e))
        if lacking:
            problems.append(f"{where}: numbers missing: {sorted(lacking.elements())}")
    return problems


def read(path):
    return path.read_text("utf-8")


@pytest.mark.parametrize("kind,lang", PAIRS)
def test_translation_matches_english(kind, lang):
    english, translations = TEXTS[kind]
    assert drift(read(english), read(translations[lang])) == []


def test_english_rulings_are_a_complete_edition():
    ids = ruling_ids(blocks(read(TEXTS["rulings"][0])))
    assert ids == [f"R{i}" for i in range(1, len(ids) + 1)] and len(ids) >= 26


@pytest.mark.parametrize("lang", ["ru", "kk"])
def test_translation_keeps_its_own_language(lang):
    """A file that is still English (or empty) is not a translation."""
    for kind in TEXTS:
        body = read(TEXTS[kind][1][lang])
        cyrillic = len(re.findall(r"[а-яёәіңғүұқөһ]", body, re.I))
        latin = len(re.findall(r"[a-z]", CODE.sub("", body), re.I))
        assert cyrillic > 3 * latin, f"{kind}/{lang}.md looks untranslated"
    if lang == "kk":
        assert re.search(r"[әіңғүұқөһ]", read(TEXTS["rulings"][1]["kk"]))  # Kazakh letters


# ---------------------------------------------------------------------------- the check can fail

def _drop_number(text):
    return text.replace("5100", "5 100", 1).replace("5 100", "", 1)


def _swap_rulings(text):
    return text.replace("- **R2 ", "- **R@ ", 1).replace("- **R3 ", "- **R2 ", 1).replace("- **R@ ", "- **R3 ", 1)


MUTATIONS = {
    "a number dropped (R7's 5100)": _drop_number,
    "a decimal changed (R18's 4,7)": lambda t: t.replace("4,7", "4,8", 1),
    "two rulings swapped": _swap_rulings,
    "a ruling removed": lambda t: re.sub(r"^- \*\*R10 .*?(?=^- \*\*R11)", "", t, count=1, flags=re.M | re.S),
    "a code span translated": lambda t: t.replace("`from_table_edge`", "`от_края_таблицы`", 1),
    "a quote paraphrased": lambda t: t.replace("«по пунктам 3.3 – 3.7»", "по пунктам 3.3 – 3.7", 1),
    "a table row lost": lambda t: re.sub(r"^  \| R9 .*\n", "", t, count=1, flags=re.M),
    "a heading lost": lambda t: t.replace("## ", "", 1),
}


@pytest.mark.parametrize("mutation", MUTATIONS)
def test_drift_is_detected(mutation):
    english, translations = TEXTS["rulings"]
    original = read(translations["ru"])
    mutated = MUTATIONS[mutation](original)
    assert mutated != original, "the mutation did not apply: update it to the current text"
    assert drift(read(english), mutated)
