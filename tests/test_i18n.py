"""The page's translation catalogs (web/i18n/*.json): the same keys everywhere, no empty
text, one gloss per function of the norm, the numbers' signs; and the methodology page's
Markdown subset (web/methodology.py)."""

import json
import re
from pathlib import Path

import pytest

import engine
from engine import link

ROOT = Path(__file__).resolve().parents[1]
I18N = ROOT / "web" / "i18n"
CATALOGS = {path.stem: json.loads(path.read_text("utf-8")) for path in sorted(I18N.glob("*.json"))}
FUNCTIONS = engine.compute({})["functions"]


def keys(value, prefix=""):
    """Every key path of a catalog, nested keys as a.b.c."""
    if not isinstance(value, dict):
        return set()
    found = set()
    for key, item in value.items():
        path = f"{prefix}.{key}" if prefix else key
        found |= {path} | keys(item, path)
    return found


def texts(value, prefix=""):
    if isinstance(value, dict):
        for key, item in value.items():
            yield from texts(item, f"{prefix}.{key}" if prefix else key)
    else:
        yield prefix, value


def test_every_page_language_has_a_catalog():
    assert sorted(CATALOGS) == sorted(link.LANGUAGES)
    for lang, catalog in CATALOGS.items():
        assert catalog["lang"] == lang


@pytest.mark.parametrize("lang", sorted(CATALOGS))
def test_catalog_has_every_key_of_every_other(lang):
    mine = keys(CATALOGS[lang])
    for other, catalog in CATALOGS.items():
        theirs = keys(catalog)
        assert not theirs - mine, f"{lang}.json misses keys that {other}.json has: {sorted(theirs - mine)}"


@pytest.mark.parametrize("lang", sorted(CATALOGS))
def test_no_text_is_empty(lang):
    for path, text in texts(CATALOGS[lang]):
        assert isinstance(text, str), f"{lang}.json {path}: not a string"
        assert text != "", f"{lang}.json {path}: empty"
        assert text.strip() or path.startswith("numbers."), f"{lang}.json {path}: blank"


@pytest.mark.parametrize("lang", sorted(CATALOGS))
def test_placeholders_are_the_same_in_every_language(lang):
    reference = dict(texts(CATALOGS[link.LANGUAGES[0]]))
    for path, text in texts(CATALOGS[lang]):
        assert set(re.findall(r"\{\w+\}", text)) == set(re.findall(r"\{\w+\}", reference[path])), path


def test_a_gloss_for_every_function_and_russian_titles_as_in_the_norm():
    ids = [fn["id"] for fn in FUNCTIONS]
    for lang, catalog in CATALOGS.items():
        assert list(catalog["functions"]) == ids, lang
    assert list(CATALOGS["ru"]["functions"].values()) == [fn["title"] for fn in FUNCTIONS]
    for lang in ("kk", "en"):  # a translation, not a copy of the Russian title
        for fn in FUNCTIONS:
            assert CATALOGS[lang]["functions"][fn["id"]] != fn["title"], (lang, fn["id"])


def test_number_signs():
    assert CATALOGS["ru"]["numbers"] == {"decimal": ",", "group": "\u202f"}
    assert CATALOGS["kk"]["numbers"] == {"decimal": ",", "group": "\u202f"}
    assert CATALOGS["en"]["numbers"] == {"decimal": ".", "group": ","}


def test_kazakh_terms():
    kk = CATALOGS["kk"]
    assert kk["results"]["total"].startswith("Нормативтік штат саны")
    assert kk["groups"] == {"workers": "Жұмысшылар",
                            "production_specialists": "Өндірістік персоналдың басшылары мен мамандары",
                            "management": "Басқару аппаратының персоналы"}
    letters = set("әғқңөұүһі")  # Kazakh text is written with them, Russian never is
    assert all(letters & set(text.lower()) for _, text in texts(kk["functions"]))


def _methodology():
    from web import methodology
    return methodology


def test_markdown_subset():
    md = _methodology().markdown
    text = ("# Title\n\nA **bold** `x<y` line\ncontinued (R2).\n\n## Part\n- **R2 Rows** are read (R1).\n"
            "  more of it\n- plain\n\n| a | b |\n|---|---|\n| `c` | R2 |\n")
    assert md(text, frozenset({"R1", "R2"})) == "\n".join([
        '<p>A <strong>bold</strong> <code>x&lt;y</code> line continued (<a href="#R2">R2</a>).</p>',
        '<h3 id="part">Part</h3>',
        '<ul><li id="R2" class="ruling"><strong>R2 Rows</strong> are read (<a href="#R1">R1</a>). '
        'more of it</li><li>plain</li></ul>',
        '<table><thead><tr><th scope="col">a</th><th scope="col">b</th></tr></thead>'
        '<tbody><tr><td><code>c</code></td><td><a href="#R2">R2</a></td></tr></tbody></table>',
    ])


def test_methodology_pages_have_every_ruling_and_clause():
    module = _methodology()
    pages = module.render_all({"style.css": "./style.css"})
    assert sorted(pages) == ["methodology-en.html", "methodology-kk.html", "methodology.html"]
    for name, page in pages.items():
        for number in range(1, 27):
            assert page.count(f'id="R{number}"') == 1, (name, number)
        for fn in FUNCTIONS:
            assert f'id="clause-{fn["id"]}"' in page
        assert "<script" not in page and "style=" not in page  # strict CSP: nothing inline
    assert CATALOGS["kk"]["functions"]["3.1.1"] in pages["methodology-kk.html"]
