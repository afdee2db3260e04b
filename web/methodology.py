"""The methodology pages (dist/methodology.html, methodology-kk.html, methodology-en.html),
rendered at build time from the project's own documents: docs/RULINGS.md (each ruling an
anchor, id="R1" … "R22", which the page's trace lines link to), docs/READINGS.md and the
list of the norm's functions from norm_json. The pages' frame is in the catalog's language;
the rulings are written in English, the norm's titles stay in Russian.

The Markdown is the small subset these documents use, converted by a few lines here
(standard library only): headings, paragraphs, "-" lists with indented continuation lines,
pipe tables, **bold**, `code` and [text](address) links; ruling ids in the text link to
their anchors."""

import html
import json
import re
from pathlib import Path

SITE = Path(__file__).resolve().parent
ROOT = SITE.parent
DOCS = ROOT / "docs"
NORM = ROOT / "norm_json" / "kea_1nt_2018.json"
RULING_ID = re.compile(r"(?<![\w#/])R(\d{1,2})(?!\w)")


def _render_module():
    from web import render
    return render


# --- Markdown subset -------------------------------------------------------------------------

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


def _list_item(text, rulings):
    """<li>; a ruling's own item ("**R7 Title** text") gets id="R7" and keeps its label unlinked."""
    match = re.match(r"\*\*(R\d{1,2})\b(.*?)\*\*(.*)", text, re.S)
    if not match:
        return f"<li>{inline(text, rulings)}</li>"
    rid, label, rest = match.groups()
    return (f'<li id="{rid}" class="ruling"><strong>{html.escape(rid + label)}</strong>'
            f"{inline(rest, rulings)}</li>")


def _table(rows, rulings):
    cells = [[cell.strip() for cell in row.strip().strip("|").split("|")] for row in rows]
    head, body = cells[0], [row for row in cells[2:]]  # cells[1] is the |---| line
    head_html = "".join(f'<th scope="col">{inline(cell, rulings)}</th>' for cell in head)
    body_html = "".join("<tr>" + "".join(f"<td>{inline(cell, rulings)}</td>" for cell in row) + "</tr>"
                        for row in body)
    return f"<table><thead><tr>{head_html}</tr></thead><tbody>{body_html}</tbody></table>"


def markdown(text, rulings=frozenset(), shift=1, skip_title=True):
    """Markdown (the subset above) → HTML. Headings go `shift` levels down (the page has its
    own h1 and section h2); the document's own "# Title" is left out when skip_title."""
    blocks, paragraph, items, table = [], [], [], []

    def flush():
        if paragraph:
            blocks.append(f"<p>{inline(' '.join(paragraph), rulings)}</p>")
            paragraph.clear()
        if items:
            blocks.append("<ul>" + "".join(_list_item(item, rulings) for item in items) + "</ul>")
            items.clear()
        if table:
            blocks.append(_table(table, rulings))
            table.clear()

    for line in text.splitlines():
        stripped = line.strip()
        heading = re.match(r"(#{1,6})\s+(.*)", line)
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
            table.append(stripped)
        elif re.match(r"[-*]\s+", line):
            if paragraph or table:
                flush()
            items.append(re.sub(r"^[-*]\s+", "", line))
        elif items and line.startswith((" ", "\t")):
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


# --- The pages -------------------------------------------------------------------------------

def clause_table(catalog, norm, translated):
    """The norm's functions: clause, Russian title (the legal text), the catalog's gloss where
    the page is not Russian, the group (cl. 1.9)."""
    text = catalog["methodology"]
    head = [text["col_clause"], text["col_title"]] + ([text["col_gloss"]] if translated else [])
    head.append(text["col_group"])
    rows = []
    for function in norm["functions"]:
        fid = function["id"]
        cells = [f'<th scope="row">{html.escape(fid)}</th>',
                 f'<td lang="ru">{html.escape(function["title"])}</td>']
        if translated:
            cells.append(f'<td>{html.escape(catalog["functions"][fid])}</td>')
        cells.append(f'<td>{html.escape(catalog["groups"][function["group"]])}</td>')
        rows.append(f'<tr id="clause-{html.escape(fid)}">{"".join(cells)}</tr>')
    head_html = "".join(f'<th scope="col">{html.escape(cell)}</th>' for cell in head)
    return (f'<table class="clauses"><thead><tr>{head_html}</tr></thead>'
            f'<tbody>{"".join(rows)}</tbody></table>')


def render_methodology(catalog, assets, render=None):
    """One methodology page in the catalog's language."""
    render = render or _render_module()
    norm = json.loads(NORM.read_text("utf-8"))
    rulings_md = (DOCS / "RULINGS.md").read_text("utf-8")
    readings_md = (DOCS / "READINGS.md").read_text("utf-8")
    rulings = ruling_ids(rulings_md)
    lang = catalog["lang"]
    text = catalog["methodology"]
    e = html.escape
    edition = norm["edition"]
    policy = getattr(render, "CONTENT_SECURITY_POLICY", "")
    csp = f'<meta http-equiv="Content-Security-Policy" content="{e(policy)}">\n' if policy else ""
    nav = render.language_nav(catalog, render.methodology_file)
    sections = (("rulings", text["rulings"]), ("readings", text["readings"]), ("clauses", text["clauses"]))
    contents = "".join(f'<li><a href="#{sid}">{e(title)}</a></li>' for sid, title in sections)
    return f"""<!doctype html>
<html lang="{e(lang)}">
<head>
<meta charset="utf-8">
{csp}<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{e(text["title"])}</title>
<link rel="icon" href="data:,">
<link rel="stylesheet" href="{e(assets["style.css"])}">
</head>
<body class="methodology">
<header class="masthead">
{nav}
<p class="back"><a href="{e(render.page_href(lang))}">{e(text["back"])}</a></p>
<h1>{e(text["heading"])}</h1>
<p class="subheading" lang="ru">«{e(edition["title"])}». {e(edition["order"])}; {e(edition["extended"])}.</p>
<p class="intro">{e(text["intro"])}</p>
<nav class="contents" aria-label="{e(text["contents"])}"><ul>{contents}</ul></nav>
</header>
<main class="doc">
<section id="rulings" aria-labelledby="rulings-heading">
<h2 id="rulings-heading">{e(text["rulings"])}</h2>
<div lang="en">
{markdown(rulings_md, rulings)}
</div>
</section>
<section id="readings" aria-labelledby="readings-heading">
<h2 id="readings-heading">{e(text["readings"])}</h2>
<div lang="en">
{markdown(readings_md, rulings)}
</div>
</section>
<section id="clauses" aria-labelledby="clauses-heading">
<h2 id="clauses-heading">{e(text["clauses"])}</h2>
<p>{e(text["clauses_intro"])}</p>
{clause_table(catalog, norm, translated=lang != render.LANGUAGES[0])}
</section>
</main>
<footer class="footer"><p><a href="{e(render.page_href(lang))}">{e(text["back"])}</a></p></footer>
</body>
</html>
"""


def render_all(assets):
    """{dist file name: HTML} for every catalog."""
    render = _render_module()
    pages = {}
    for lang in render.languages():
        catalog = json.loads((SITE / "i18n" / f"{lang}.json").read_text("utf-8"))
        pages[render.methodology_file(lang)] = render_methodology(catalog, assets, render)
    return pages
