"""Form hints from the data: a hint that states a rate names it by its place in norm_json —
`{{norm:3.1.1/rates/households_city.multi_storey/value}}` — and the build fills it (web/
template.py, the one templating way), so a corrected number can never leave a stale hint.

A path is the table id, then keys; in a list the item is picked by the field it is bound to
(its `factor`), or `first` / `last` row, or `all` (every item, joined by «, »). Numbers are
written as the page's language writes them (engine.trace.fmt), texts — the norm's own
labels — as they are."""

from engine.norm import load_norm
from engine.trace import fmt
from web.template import fill

PREFIX = "norm:"


def fill_hint(text, lang, source):
    """The hint with each {{norm:…}} placeholder replaced by what norm_json gives."""
    def lookup(name):
        if not name.startswith(PREFIX):
            raise KeyError(name)
        table, *path = name.removeprefix(PREFIX).split("/")
        return written(walk(load_norm()["tables"][table], path), lang)
    return fill(text, {}, source, lookup)


def with_hints(catalog):
    """The catalog with every field hint filled (the page's form and its embedded catalog)."""
    lang = catalog["lang"]
    fields = {path: {**text, "hint": fill_hint(text["hint"], lang,
                                               f"web/i18n/{lang}.json: fields.{path}.hint")}
              for path, text in catalog["fields"].items()}
    return {**catalog, "fields": fields}


def walk(node, path):
    """The value at `path` below `node` (a list for `all`). KeyError when there is none."""
    if not path:
        return node
    step, rest = path[0], path[1:]
    if isinstance(node, dict):
        return walk(node[step], rest)
    if step == "all":
        return [walk(item, rest) for item in node]
    if step in ("first", "last"):
        return walk(node[0 if step == "first" else -1], rest)
    bound = [item for item in node if item.get("factor") == step]
    if len(bound) != 1:
        raise KeyError(step)
    return walk(bound[0], rest)


def written(value, lang):
    if isinstance(value, list):
        return ", ".join(written(v, lang) for v in value if v is not None)
    if isinstance(value, bool) or value is None or isinstance(value, (dict,)):
        raise KeyError(repr(value))
    return fmt(value, lang) if isinstance(value, (int, float)) else str(value)
