"""The build's one templating way: `{{name}}` placeholders in a source file (web/index.html,
web/python.mjs, web/sw.js), each filled with a string by fill(). In a JavaScript file the
placeholder stands where a JSON literal goes (`const SETUP = {{setup}};`), so the built
file is plain JavaScript. A placeholder nobody fills, a value no placeholder takes, or a
stray `{{` stops the build, naming the file: nothing half-filled is ever shipped."""

import re

PLACEHOLDER = re.compile(r"\{\{([\w.:/-]+)\}\}")


def fill(text, values, source, lookup=None):
    """text with each {{name}} replaced by values[name], else by lookup(name) (which raises
    KeyError for a name it does not know); every key of values must be used. Values are
    inserted as they are (escaping is the caller's: HTML, JSON) and never scanned again."""
    used = set()

    def replace(match):
        name = match[1]
        if name in values:
            used.add(name)
            return values[name]
        try:
            if lookup is not None:
                return lookup(name)
        except KeyError:
            pass
        raise SystemExit(f"{source}: unknown placeholder {{{{{name}}}}}")

    placeholders = {match.start() for match in PLACEHOLDER.finditer(text)}
    for brace in re.finditer(r"\{\{", text):
        if brace.start() not in placeholders:
            line = text.count("\n", 0, brace.start()) + 1
            raise SystemExit(f"{source}:{line}: '{{{{' that is not a placeholder {{{{name}}}}")
    filled = PLACEHOLDER.sub(replace, text)
    if set(values) - used:
        raise SystemExit(f"{source}: no placeholder for {sorted(set(values) - used)}")
    return filled
