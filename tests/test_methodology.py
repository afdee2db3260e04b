"""The methodology pages (web/methodology.py): each page in its own language (rulings and
readings of docs/rulings/<lang>.md, docs/readings/<lang>.md), every ruling anchored R1…R26
with its edition history and R25's alternative readings, every function of the norm beside
its clause's own text from norm_json/kea_1nt_2018.ru.txt, and a Markdown subset that stops
the build on anything it does not render."""

import re
import shutil
from html.parser import HTMLParser
from pathlib import Path

import pytest

import engine

ROOT = Path(__file__).resolve().parents[1]
CYRILLIC = re.compile(r"[\u0400-\u04FF]")
KAZAKH = set("әғқңөұүһі")
FUNCTIONS = [fn["id"] for fn in engine.compute({})["functions"]]


from web import methodology as MODULE  # noqa: E402
PAGES = MODULE.render_all({"style.css": "./style.css"})
PAGE = {"ru": PAGES["methodology.html"], "kk": PAGES["methodology-kk.html"], "en": PAGES["methodology-en.html"]}


class Elements(HTMLParser):
    """Text of the element with a given id, and the text outside any lang="ru" element."""

    VOID = {"br", "meta", "link", "img", "input", "hr"}

    def __init__(self):
        super().__init__()
        self.stack, self.by_id, self.not_russian = [], {}, []

    def handle_starttag(self, tag, attrs):
        if tag in self.VOID:
            return
        attrs = dict(attrs)
        self.stack.append((tag, attrs.get("id"), attrs.get("lang") == "ru" or tag == "code"))
        if attrs.get("id"):
            self.by_id.setdefault(attrs["id"], [])

    def handle_endtag(self, tag):
        if tag in self.VOID:
            return
        while self.stack:
            if self.stack.pop()[0] == tag:
                break

    def handle_data(self, data):
        for _, eid, _ in self.stack:
            if eid:
                self.by_id[eid].append(data)
        if not any(russian for _, _, russian in self.stack):
            self.not_russian.append(data)


def parsed(lang):
    parser = Elements()
    parser.feed(PAGE[lang])
    return parser


def text_of(lang, eid):
    return " ".join(" ".join(parsed(lang).by_id[eid]).split())


@pytest.mark.parametrize("lang", ["ru", "kk", "en"])
def test_every_ruling_has_its_anchor_once(lang):
    for number in range(1, 27):
        assert PAGE[lang].count(f'id="R{number}"') == 1, (lang, number)
    assert 'id="R27"' not in PAGE[lang]


def test_each_page_gives_the_rulings_in_its_language():
    ru, kk, en = (text_of(lang, "R12") for lang in ("ru", "kk", "en"))
    # words of R12 in docs/rulings/ru.md, kk.md, en.md
    assert "Замкнутого круга нет" in ru and "водители, охранники, уборщики" in ru
    assert "There is no circularity" in en and "Замкнутого" not in en
    assert KAZAKH & set(kk.lower()) and "Замкнутого круга нет" not in kk
    assert "Правила прочтения (R1–R26)" in PAGE["ru"] and "Rulings (R1–R26)" in PAGE["en"]
    for page in PAGE.values():  # the frame and the rulings name edition 2's range
        frame = re.sub(r'<section id="readings".*?</section>', "", page, flags=re.S)
        assert "R1–R22" not in re.sub(r"<[^>]+>", "", frame)


def test_the_english_page_has_cyrillic_only_in_quotes_and_the_norm():
    text = " ".join(parsed("en").not_russian)
    text = re.sub(r"«[^»]*»|\"[^\"]*\"", "", text)  # the document's own words, quoted
    # language names in themselves, the norm's number, R22's unquoted position names of the norm
    text = re.sub(r"Русский|Қазақша|1-нт|\(бухгалтер, курьер\)", "", text)
    assert not CYRILLIC.findall(text), CYRILLIC.search(text) and text[CYRILLIC.search(text).start() - 80:][:160]


def test_readings_are_in_the_page_language():
    assert "Прочтения" in PAGE["ru"] or "прочтения" in text_of("ru", "readings")
    assert "Numbers above 10¹² are rejected" in text_of("en", "readings")
    assert "Числа больше 10¹² отклоняются" in text_of("ru", "readings")
    assert KAZAKH & set(text_of("kk", "readings").lower())


def test_edition_history_beside_each_ruling():
    en = {rid: text_of("en", rid) for rid in ("R2", "R4", "R6", "R12", "R22", "R23", "R26")}
    assert "Edition 1: P = 3.1.1–3.1.10 alone" in en["R12"] and "Edition 2 — changed" in en["R12"]
    assert "Edition 1: 3.2 among production managers and specialists" in en["R22"]
    assert "Edition 2 — reworded" in en["R4"]
    assert "Edition 2 — added: R6 overlap warning" in en["R6"]
    assert "Edition 2 — added" in en["R23"] and "Edition 2 — added" in en["R26"]
    assert "Edition history" not in en["R2"]  # unchanged since edition 1
    ru = text_of("ru", "R12")
    assert "Редакция 1: P = 3.1.1–3.1.10 без других функций" in ru and "История редакций" in ru
    assert "Өзгертілгендері".lower() in text_of("kk", "R15").lower()


@pytest.mark.parametrize("lang", ["ru", "kk", "en"])
def test_alternative_readings_beside_their_ruling(lang):
    for rid, variant in (("R1", "none_below_first_row"), ("R7", "from_table_edge"),
                         ("R9", "per_full_25000"), ("R12", "tables")):
        assert variant in text_of(lang, rid), (lang, rid)
    assert "from_table_edge" not in text_of(lang, "R2")
    assert "first_row" not in text_of(lang, "R12")  # defaults are not alternatives


# Words of each clause, read in norm_json/kea_1nt_2018.ru.txt by hand.
CLAUSE_WORDS = {
    "3.1.1": "Многоэтажной застройки", "3.1.2": "Свыше 1300", "3.1.3": "10001-11500",
    "3.1.8": "гарантирующего поставщика", "3.1.17": "Юридическ", "3.2": "адресного отключения",
    "3.3.drivers": "технически исправных автомобилей", "3.3.repair": "1 чел. на 7 ед. транспорта",
    "3.4": "дворники", "3.5.guards": "4,7 чел", "3.6": "множительной техники",
    "3.6a": "Материально – техническое снабжение",
}


@pytest.mark.parametrize("lang", ["ru", "en"])
def test_every_function_stands_beside_its_clause_text(lang):
    page = PAGE[lang]
    for fid in FUNCTIONS:
        clause = fid if fid.startswith("3.1.") or fid == "3.6a" else ".".join(fid.split(".")[:2])
        article = re.search(rf'<article class="norm-clause" id="text-{re.escape(clause)}".*?</article>', page, re.S)
        assert article and f'id="clause-{fid}"' in article[0], fid
        body = re.search(r'<div lang="ru" data-testid="clause-text-[^"]+">(.*?)</div>', article[0], re.S)[1]
        assert body.strip().removeprefix("<p>").startswith(clause.rstrip("a")), (fid, body[:40])
        if fid in CLAUSE_WORDS:
            assert CLAUSE_WORDS[fid] in body, fid
    assert "3.6. Численность рабочих" in page and page.count('data-testid="clause-text-3.6"') == 1
    # each clause links the rulings cited for it, and every link has its anchor
    assert re.search(r'id="text-3.1.8".*?<a href="#R9">R9</a>', page, re.S)
    for target in set(re.findall(r'href="#(R\d+)"', page)):
        assert f'id="{target}"' in page



@pytest.mark.parametrize("lang", ["ru", "kk", "en"])
def test_every_function_names_the_engine_code_that_computes_it(lang):
    """Law, ruling and code side by side: the row of each function names a file and line of
    engine/ where its function is defined, and that function is the one the engine runs."""
    for fid in FUNCTIONS:
        row = re.search(rf'<tr id="clause-{re.escape(fid)}">(.*?)</tr>', PAGE[lang], re.S)[1]
        path, line, name = re.search(r"<code>(engine/\w+\.py):(\d+) (\w+)</code>", row).groups()
        source = (ROOT / path).read_text("utf-8").splitlines()
        assert source[int(line) - 1].startswith(f"def {name}("), (fid, path, line)
        module = __import__(f"engine.{Path(path).stem}", fromlist=["FUNCTIONS"])
        assert dict(module.FUNCTIONS)[fid].__name__ == name, fid

BAD = [
    ("![plan](plan.png)", "image"),
    ("A <b>bold</b> word", "HTML tag"),
    ("> quoted", "blockquote"),
    ("> > nested", "blockquote"),
    ("### Deeper", "heading deeper"),
    ("1. first", "numbered list"),
    ("```", "code fence"),
    ("*stressed*", "emphasis"),
    ("---", "horizontal rule"),
    ("    code()", "indented code"),
    ("[a][ref]", "reference link"),
]


@pytest.mark.parametrize("line, what", BAD)
def test_an_unknown_markdown_construct_stops_the_build(line, what):
    text = f"# Title\n\nA paragraph.\n{line}\n"
    with pytest.raises(SystemExit) as stopped:
        MODULE.markdown(text, source="docs/x.md")
    assert str(stopped.value).startswith("docs/x.md:4:") and what in str(stopped.value)


def test_a_nested_list_stops_the_build():
    with pytest.raises(SystemExit, match=r"x\.md:2: .*nested list"):
        MODULE.markdown("- item\n  - inner\n", source="x.md")


def test_a_bad_line_in_a_real_document_names_its_file(tmp_path, monkeypatch):
    docs = tmp_path / "docs"
    shutil.copytree(ROOT / "docs" / "rulings", docs / "rulings")
    shutil.copytree(ROOT / "docs" / "readings", docs / "readings")
    shutil.copy(ROOT / "docs" / "READINGS.md", docs / "READINGS.md")
    path = docs / "rulings" / "kk.md"
    lines = path.read_text("utf-8").splitlines()
    path.write_text("\n".join(lines[:3] + ["<img src=x>"] + lines[3:]) + "\n", "utf-8")
    monkeypatch.setattr(MODULE, "DOCS", docs)
    with pytest.raises(SystemExit, match=r"^docs/rulings/kk\.md:4: .*HTML tag"):
        MODULE.render_all({"style.css": "./style.css"})


def test_the_subset_still_renders_what_it_knows():
    html = MODULE.markdown("# T\n\n## Part\n- **R2 Rows** (R1) `a_b` and **bold**\n  more\n\n| a |\n|---|\n| 1 |\n",
                           frozenset({"R1", "R2"}))
    assert '<li id="R2" class="ruling"><strong>R2 Rows</strong> (<a href="#R1">R1</a>) <code>a_b</code>' in html
    assert "<table>" in html and '<h3 id="part">Part</h3>' in html


# The general clauses (section 1) the rulings cite, with words of each from the document
# (read by hand in norm_json/kea_1nt_2018.ru.txt, section 1).
GENERAL_CITED = {
    ("R2", "1.4"): "методом линейной интерполяции",
    ("R5", "1.6"): "в целом для организации",
    ("R1", "1.8"): "следует понимать включительно",
    ("R21", "1.8"): "округляются до целых единиц",  # 1.8's second paragraph
    ("R22", "1.9"): "рабочие, руководители и специалисты производственного персонала",
}


@pytest.mark.parametrize("lang", ["ru", "kk", "en"])
def test_each_ruling_shows_the_general_clauses_it_cites(lang):
    page = PAGE[lang]
    for (rid, clause), words in GENERAL_CITED.items():
        item = re.search(rf'<li id="{rid}" class="ruling">.*?</li>(?=<li id="R|</ul>)', page, re.S)[0]
        body = re.search(rf'data-testid="general-clause-{rid}-{re.escape(clause)}">(.*?)</div>', item, re.S)
        assert body, (lang, rid, clause)
        assert body[1].strip().removeprefix("<p>").startswith(clause) and words in body[1], (lang, rid)
    cited = set(re.findall(r'data-testid="general-clause-(R\d+)-(1\.\d)"', page))
    assert cited == set(GENERAL_CITED), lang


def test_a_ruling_citing_a_clause_the_document_lacks_stops_the_build():
    document = (ROOT / "norm_json" / "kea_1nt_2018.ru.txt").read_text("utf-8")
    assert "1.7" not in MODULE.general_clause_texts(document)  # section 1 goes 1.6, 1.8
    with pytest.raises(SystemExit, match=r"R9 cites \['1\.7'\]"):
        MODULE.cited_general_clauses("- **R9 X** reads cl. 1.7.\n", document)
