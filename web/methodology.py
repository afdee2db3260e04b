"""The methodology pages (dist/methodology.html, methodology-kk.html, methodology-en.html),
rendered at build time from the project's own documents, each page in its own language:
docs/rulings/<lang>.md (edition 2; each ruling an anchor, id="R1" … "R26", which the page's
trace lines link to) with each ruling's edition history (the "Editions" items) and its
alternative readings (R25's table), docs/readings/<lang>.md (English: docs/READINGS.md),
and every function of norm_json beside the document's own text of its clause
(norm_json/kea_1nt_2018.ru.txt, in Russian) and the rulings that bind it.

The Markdown is the small subset these documents use, converted by a few lines here
(standard library only): headings of levels 1–2, paragraphs, "-" lists with indented
continuation lines, pipe tables, **bold**, `code` and [text](address) links; ruling ids in
the text link to their anchors. Anything else stops the build, naming file and line."""

import html
import inspect
import json
import re
from pathlib import Path

from engine import management, production, support
from web import render
from web.template import fill

SITE = Path(__file__).resolve().parent
ROOT = SITE.parent
DOCS = ROOT / "docs"
NORM = ROOT / "norm_json" / "kea_1nt_2018.json"
DOCUMENT = ROOT / "norm_json" / "kea_1nt_2018.ru.txt"  # the norm itself, in Russian
TEMPLATE = SITE / "methodology.html"  # the page's frame, its {{placeholders}} filled here
RULING_ID = re.compile(r"(?<![\w#/])R(\d{1,2})(?!\w)")


# --- Markdown subset -------------------------------------------------------------------------

# What the subset does not render: the build stops on it instead of passing it through.
UNSUPPORTED_BLOCK = (
    (re.compile(r"\s*>"), "blockquote"),
    (re.compile(r"#{3,}\s"), "heading deeper than level 2"),
    (re.compile(r"\s*(```|~~~)"), "code fence"),
    (re.compile(r"\s*\d+[.)]\s"), "numbered list"),
    (re.compile(r"\s+[-*+]\s"), "nested list"),
    (re.compile(r"\+\s"), "'+' list"),
    (re.compile(r"\s*([-*_]\s*){3,}$"), "horizontal rule"),
    (re.compile(r"\s*(=+|-+)\s*$"), "setext heading"),
    (re.compile(r"(\t| {4,})\S"), "indented code block"),
)
UNSUPPORTED_INLINE = (
    (re.compile(r"!\["), "image"),
    (re.compile(r"<[A-Za-z/!]"), "HTML tag"),
    (re.compile(r"(?<!\*)\*(?!\*)|\*{3,}"), "emphasis with '*'"),
    (re.compile(r"(?<![\w`])_[^_\s]|__"), "emphasis with '_'"),
    (re.compile(r"~~"), "strikethrough"),
    (re.compile(r"\]\[|\]:"), "reference link"),
    (re.compile(r"\\[^\s]"), "backslash escape"),
    (re.compile(r"`"), "unclosed code span"),
)


def check_line(line, where, in_item=False):
    """SystemExit naming file and line when `line` uses a construct the subset does not render."""
    continuation = in_item and re.match(r" {2}(?![-*+]\s)\S", line)
    if not continuation and not line.lstrip().startswith("|"):
        for pattern, what in UNSUPPORTED_BLOCK:
            if pattern.match(line):
                raise SystemExit(f"{where}: Markdown not rendered here ({what}): {line.strip()}")
    prose = re.sub(r"`[^`]+`", "", line)
    prose = re.sub(r"\*\*[^*]+?\*\*", lambda m: m[0][2:-2], prose)
    prose = re.sub(r"^\s*[-*]\s+", "", prose)
    for pattern, what in UNSUPPORTED_INLINE:
        if pattern.search(prose):
            raise SystemExit(f"{where}: Markdown not rendered here ({what}): {line.strip()}")


def inline(text, rulings=frozenset()):
    """One line of Markdown → HTML: code spans verbatim, then **bold**, [links](url) and the
    ids of known rulings as links to their anchors."""
    out = []
    for index, part in enumerate(re.split(r"(`[^`]+`)", text)):
        if index % 2:
            out.append(f"<code>{html.escape(part[1:-1])}</code>")
            continue
        part = html.escape(part, quote=False)
        part = re.sub(r"\*\*(.+?)\*\*", r"<strong>\1</strong>", part)
        part = re.sub(r"\[([^\]]+)\]\(([^)\s]+)\)",
                      lambda m: f'<a href="{html.escape(m[2])}">{m[1]}</a>', part)
        part = RULING_ID.sub(lambda m: f'<a href="#{m[0]}">{m[0]}</a>' if m[0] in rulings else m[0],
                             part)
        out.append(part)
    return "".join(out)


def _list_item(text, rulings, notes):
    """<li>; a ruling's own item ("**R7 Title** text") gets id="R7", keeps its label unlinked
    and is followed by its notes (edition history, alternative readings)."""
    match = re.match(r"\*\*(R\d{1,2})\b(.*?)\*\*(.*)", text, re.S)
    if not match:
        return f"<li>{inline(text, rulings)}</li>"
    rid, label, rest = match.groups()
    return (f'<li id="{rid}" class="ruling"><strong>{html.escape(rid + label)}</strong>'
            f"{inline(rest, rulings)}{notes.get(rid, '')}</li>")


def _table(rows, rulings):
    cells = [[cell.strip() for cell in row.strip().strip("|").split("|")] for row in rows]
    head, body = cells[0], [row for row in cells[2:]]  # cells[1] is the |---| line
    head_html = "".join(f'<th scope="col">{inline(cell, rulings)}</th>' for cell in head)
    body_html = "".join("<tr>" + "".join(f"<td>{inline(cell, rulings)}</td>" for cell in row) + "</tr>"
                        for row in body)
    return f"<table><thead><tr>{head_html}</tr></thead><tbody>{body_html}</tbody></table>"


def markdown(text, rulings=frozenset(), shift=1, skip_title=True, source="<markdown>", notes=None):
    """Markdown (the subset above) → HTML. Headings go `shift` levels down (the page has its
    own h1 and section h2); the document's own "# Title" is left out when skip_title. Any
    other construct stops the build, naming `source` and the line (check_line)."""
    blocks, paragraph, items, table = [], [], [], []
    notes = notes or {}

    def flush():
        if paragraph:
            blocks.append(f"<p>{inline(' '.join(paragraph), rulings)}</p>")
            paragraph.clear()
        if items:
            blocks.append("<ul>" + "".join(_list_item(item, rulings, notes) for item in items) + "</ul>")
            items.clear()
        if table:
            blocks.append(_table(table, rulings))
            table.clear()

    for number, line in enumerate(text.splitlines(), 1):
        stripped = line.strip()
        check_line(line, f"{source}:{number}", in_item=bool(items))
        heading = re.match(r"(#{1,2})\s+(.*)", line)
        if not stripped:
            flush()
        elif heading:
            flush()
            level = len(heading[1])
            if level == 1 and skip_title:
                continue
            tag = f"h{min(level + shift, 6)}"
            blocks.append(f'<{tag} id="{_slug(heading[2])}">{inline(heading[2], rulings)}</{tag}>')
        elif stripped.startswith("|"):
            if paragraph or items:
                flush()
            if len(table) == 1 and not re.fullmatch(r"\|(\s*:?-+:?\s*\|)+", stripped):
                raise SystemExit(f"{source}:{number}: Markdown table without its |---| line")
            table.append(stripped)
        elif re.match(r"[-*]\s+", line):
            if paragraph or table:
                flush()
            items.append(re.sub(r"^[-*]\s+", "", line))
        elif items and line.startswith(" "):
            items[-1] += " " + stripped  # continuation of the list item
        else:
            if items or table:
                flush()
            paragraph.append(stripped)
    flush()
    return "\n".join(blocks)


def _slug(text):
    return re.sub(r"[^\w]+", "-", text.lower()).strip("-")


def ruling_ids(text):
    """The ids defined by RULINGS.md: each list item that starts with its bold id."""
    return frozenset(re.findall(r"^- \*\*(R\d{1,2})\b", text, re.M))


# --- Edition history and alternative readings, from each language's own rulings text ---------

def _ids(text):
    """The ruling ids a fragment names, ranges (R23–R26) expanded."""
    found = []
    for first, last in re.findall(r"R(\d{1,2})(?:\s*[–-]\s*R(\d{1,2}))?", text):
        found += [f"R{n}" for n in range(int(first), int(last or first) + 1)]
    return found


def _items(md):
    """The top-level list items of a Markdown text, continuation lines joined."""
    items, inside = [], False
    for line in md.splitlines():
        if line.startswith("- "):
            items.append(line[2:])
            inside = True
        elif inside and line.startswith("  ") and not line.strip().startswith("|"):
            items[-1] += " " + line.strip()
        else:
            inside = False
    return items


def edition_history(md):
    """{ruling id: [line, …]} from the "Editions" items: "**Edition 1** … R12 (its reading)"
    gives "Edition 1: its reading"; "**Edition 2** … Changed: R12, …; reworded …: R4; added:
    R6 overlap warning, R23–R26." gives "Edition 2 — changed", "Edition 2 — added: R6 overlap
    warning". The words are the document's own, in its language."""
    history = {}
    editions = [item for item in _items(md) if re.match(r"\*\*[^*R]*\d[^*]*\*\*", item)][:2]
    first, second = editions
    label = re.match(r"\*\*(.+?)\*\*", first)[1]
    for rid, reading in re.findall(r"(R\d{1,2}) \(([^()]*)\)", first):
        history.setdefault(rid, []).append(f"{label}: {reading}")
    label = re.match(r"\*\*(.+?)\*\*", second)[1]
    changes = second.split(". ", 1)[1].rstrip(".")
    for part in changes.split(";"):
        kind, _, listed = part.partition(":")
        for entry in listed.split(","):
            for rid in _ids(entry):
                only_ids = not re.sub(r"R\d{1,2}|[–\-\s]", "", entry)
                detail = "" if only_ids else f": {entry.strip()}"
                history.setdefault(rid, []).append(f"{label} — {kind.strip().lower()}{detail}")
    return history


def alternatives(md):
    """{ruling id: [(variant, reading), …]} from R25's table: | R12 | `a`, `b` | reading |."""
    found = {}
    for ruling, variants, reading in re.findall(r"^\s*\|\s*(R\d{1,2})\s*\|([^|]*)\|([^|]*)\|", md, re.M):
        other = re.findall(r"`([^`]+)`", variants)[1:]  # the first is the default
        found.setdefault(ruling, []).extend((name, reading.strip()) for name in other)
    return found


def ruling_notes(md, text, rulings, general=None):
    """{ruling id: HTML} shown inside each ruling's item: its edition history, the
    alternative readings R25 lists for it, and the document's own text of the general
    clauses (1.x) it cites — general: {ruling id: [(clause, its text), …]}."""
    history, others = edition_history(md), alternatives(md)
    notes = {}
    for rid in sorted(rulings, key=lambda r: int(r[1:])):
        lines = [f'<li>{inline(line, rulings)}</li>' for line in history.get(rid, [])]
        block = "".join(
            f'<details class="clause-text"><summary>{html.escape(text["clause"].format(clause=clause))}'
            f' — {html.escape(text["clause_text"])}</summary>\n<div lang="ru" data-testid='
            f'"general-clause-{rid}-{clause}">\n{document_html(body)}\n</div></details>'
            for clause, body in (general or {}).get(rid, []))
        if lines:
            block += f'<p class="history-label">{html.escape(text["history"])}</p><ul class="history">{"".join(lines)}</ul>'
        alts = [f'<li><code>{html.escape(name)}</code> '
                f'(<a href="#R25">R25</a>): {inline(reading, rulings)}</li>' for name, reading in others.get(rid, [])]
        if alts and rid != "R25":
            block += (f'<p class="history-label">{html.escape(text["alternatives"])}</p>'
                      f'<ul class="alternatives">{"".join(alts)}</ul>')
        if block:
            notes[rid] = f'<div class="ruling-notes">{block}</div>'
    return notes


# --- The norm's own clause texts -------------------------------------------------------------

CLAUSE_HEADING = re.compile(r"^(?:#+\s*)?(?:\*\*)?(3\.1\.\d{1,2}|3\.[1-6])\.?\s")

# The rulings that bind each clause (the engine's traces cite them there); R21, R22 bind all.
CLAUSE_RULINGS = {
    "3.1.1": "R1 R4 R5", "3.1.2": "R1 R4 R6", "3.1.3": "R1 R3 R4 R7 R8", "3.1.4": "R1 R3 R4 R7 R8",
    "3.1.5": "R2 R4 R8", "3.1.6": "R2 R4 R8", "3.1.7": "R2 R4 R7 R8", "3.1.8": "R2 R4 R9 R23",
    "3.1.9": "R1 R4 R10", "3.1.10": "R1 R11", "3.1.11": "R1 R12 R13 R23 R24",
    "3.1.12": "R1 R12 R13 R24", "3.1.13": "R1 R12 R13 R24", "3.1.14": "R1 R12 R13 R24",
    "3.1.15": "R1 R12 R13 R24", "3.1.16": "R1 R12 R13 R24", "3.1.17": "R1 R4 R14 R24",
    "3.1.18": "R1 R12 R24", "3.2": "R12 R15", "3.3": "R16", "3.4": "R17", "3.5": "R18",
    "3.6": "R19 R20", "3.6a": "R19 R20",
}


def clause_texts(document):
    """{clause: its text} from the norm document: each clause runs from its numbered heading to
    the next one; the second clause numbered 3.6 is 3.6a (R19, R20)."""
    texts, current = {}, None
    for line in document.splitlines():
        match = CLAUSE_HEADING.match(line)
        if match:
            current = match[1] + ("a" if match[1] in texts and match[1] == "3.6" else "")
            texts[current] = []
        if current:
            texts[current].append(line)
    return {clause: "\n".join(lines).strip() for clause, lines in texts.items()}


GENERAL_CLAUSE = re.compile(r"^(1\.\d)\s")
CITED_GENERAL = re.compile(r"\bcl\. (1\.\d)\b")  # as the rulings' source (English) cites them


def general_clause_texts(document):
    """{1.x: its text} from the document's section 1 (ОБЩАЯ ЧАСТЬ): a clause runs from its
    number to the next one, paragraphs without a number included (1.8's rounding)."""
    part = re.search(r"^## 1\..*?$(.*?)^## \**2\.", document, re.M | re.S)[1]
    texts, current = {}, None
    for line in part.splitlines():
        match = GENERAL_CLAUSE.match(line)
        if match:
            current = match[1]
            texts[current] = []
        if current:
            texts[current].append(line)
    return {clause: "\n".join(lines).strip() for clause, lines in texts.items()}


def cited_general_clauses(source_md, document):
    """{ruling id: [(clause 1.x, its text), …]} of the general clauses each ruling cites in
    the rulings' source text ("cl. 1.8"); translations keep the same citations."""
    texts = general_clause_texts(document)
    cited = {}
    for item in _items(source_md):
        match = re.match(r"\*\*(R\d{1,2})\b", item)
        if match:
            clauses = dict.fromkeys(CITED_GENERAL.findall(item))
            missing = [clause for clause in clauses if clause not in texts]
            if missing:
                raise SystemExit(f"{match[1]} cites {missing}, which the document does not have")
            cited[match[1]] = [(clause, texts[clause]) for clause in clauses]
    return cited


def clause_of(function_id, texts):
    """3.3.drivers → 3.3; 3.6a → 3.6a."""
    return function_id if function_id in texts else function_id.rsplit(".", 1)[0]


SUPERSCRIPT = str.maketrans("0123456789", "⁰¹²³⁴⁵⁶⁷⁸⁹")


def document_html(text):
    """The norm's text as it is: its Markdown marks dropped, each block a paragraph, lines
    with tabs (the printed tables) a table."""
    text = re.sub(r"\s*<sup>\s*(\d+)\s*</sup>", lambda m: m[1].translate(SUPERSCRIPT), text)  # км²
    text = re.sub(r"^#+\s*", "", text, flags=re.M).replace("**", "")
    out = []  # HTML strings; a printed table's rows as a list, its parts joined across blank lines
    for block in re.split(r"\n\s*\n", text):
        lines = [line.rstrip(" \r") for line in block.splitlines() if line.strip()]
        if not lines:
            continue
        if any("\t" in line for line in lines):
            rows = ["<tr>" + "".join(f"<td>{html.escape(cell.strip())}</td>" for cell in line.split("\t"))
                    + "</tr>" for line in lines]
            if out and isinstance(out[-1], list):
                out[-1].extend(rows)
            else:
                out.append(rows)
        else:
            out.append("<p>" + "<br>".join(html.escape(line.strip()) for line in lines) + "</p>")
    return "\n".join(f'<table class="norm-table"><tbody>{"".join(part)}</tbody></table>'
                     if isinstance(part, list) else part for part in out)


# --- The pages -------------------------------------------------------------------------------

def engine_code():
    """Function id → where the engine computes it: "engine/production.py:23 households_city"."""
    code = {}
    for module in (production, support, management):
        for fid, function in module.FUNCTIONS:
            line = inspect.getsourcelines(function)[1]
            code[fid] = f"engine/{Path(inspect.getsourcefile(function)).name}:{line} {function.__name__}"
    return code


def clause_sections(catalog, norm, translated, texts):
    """Each clause of the norm: its functions (Russian title, the catalog's gloss where the page
    is not Russian, the group of cl. 1.9, the engine function that computes it), the rulings
    that bind it, and the document's own text of the clause (lang="ru"): law, ruling and code
    side by side."""
    text = catalog["methodology"]
    e = html.escape
    head = [text["col_clause"], text["col_title"]] + ([text["col_gloss"]] if translated else [])
    head += [text["col_group"], text["col_code"]]
    code = engine_code()
    head_html = "".join(f'<th scope="col">{e(cell)}</th>' for cell in head)
    clauses = {}
    for function in norm["functions"]:
        clauses.setdefault(clause_of(function["id"], texts), []).append(function)
    out = []
    for clause, functions in clauses.items():
        rows = []
        for function in functions:
            fid = function["id"]
            cells = [f'<th scope="row">{e(fid)}</th>', f'<td lang="ru">{e(function["title"])}</td>']
            if translated:
                cells.append(f'<td>{e(catalog["functions"][fid])}</td>')
            cells.append(f'<td>{e(catalog["groups"][function["group"]])}</td>')
            cells.append(f'<td><code>{e(code[fid])}</code></td>')
            rows.append(f'<tr id="clause-{e(fid)}">{"".join(cells)}</tr>')
        links = ", ".join(f'<a href="#{rid}">{rid}</a>' for rid in CLAUSE_RULINGS[clause].split() + ["R21", "R22"])
        out.append(f"""<article class="norm-clause" id="text-{e(clause)}" aria-labelledby="heading-{e(clause)}">
<h3 id="heading-{e(clause)}">{e(text["clause"].format(clause=clause))}</h3>
<table class="clauses"><thead><tr>{head_html}</tr></thead><tbody>{"".join(rows)}</tbody></table>
<p class="clause-rulings">{e(text["clause_rulings"])} {links}</p>
<details class="clause-text" open><summary>{e(text["clause_text"])}</summary>
<div lang="ru" data-testid="clause-text-{e(clause)}">
{document_html(texts[clause])}
</div></details>
</article>""")
    return "\n".join(out)


def _read(path):
    return path.read_text("utf-8"), str(path.relative_to(DOCS.parent))


def documents(lang):
    """(rulings, readings) Markdown of a page language, each with its file name."""
    rulings = DOCS / "rulings" / f"{lang}.md"
    readings = DOCS / "READINGS.md" if lang == "en" else DOCS / "readings" / f"{lang}.md"
    return _read(rulings), _read(readings)


def render_methodology(catalog, assets):
    """One methodology page in the catalog's language: web/methodology.html filled."""
    norm = json.loads(NORM.read_text("utf-8"))
    lang = catalog["lang"]
    (rulings_md, rulings_file), (readings_md, readings_file) = documents(lang)
    rulings = ruling_ids(rulings_md)
    document = DOCUMENT.read_text("utf-8")
    general = cited_general_clauses((DOCS / "rulings" / "en.md").read_text("utf-8"), document)
    notes = ruling_notes(rulings_md, catalog["methodology"], rulings, general)
    edition = norm["edition"]
    values = {
        "content_security_policy": html.escape(render.CONTENT_SECURITY_POLICY),
        "language_nav": render.language_nav(catalog, render.methodology_file),
        "page_href": html.escape(render.page_href(lang)),
        "edition": html.escape(f'«{edition["title"]}». {edition["order"]}; {edition["extended"]}.'),
        "rulings": markdown(rulings_md, rulings, source=rulings_file, notes=notes),
        "readings": markdown(readings_md, rulings, source=readings_file),
        "clauses": clause_sections(catalog, norm, lang != render.LANGUAGES[0],
                                   clause_texts(document)),
    }
    return fill(TEMPLATE.read_text("utf-8"), values, "web/methodology.html",
                render.page_text(catalog, assets))


def render_all(assets):
    """{dist file name: HTML} for every catalog."""
    pages = {}
    for lang in render.languages():
        catalog = json.loads((SITE / "i18n" / f"{lang}.json").read_text("utf-8"))
        pages[render.methodology_file(lang)] = render_methodology(catalog, assets)
    return pages
