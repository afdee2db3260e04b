"""python -m engine scenario.json [--text] [--lang ru|kk|en] — compute a scenario file
('-' = stdin).
python -m engine batch IN.csv|IN.xlsx [-o OUT.csv|OUT.xlsx] [--lang ru|kk|en] — one organization per row
(engine/batch.py, docs/BATCH.md); without -o the results are CSV on stdout. Exit 0: every
row computed; 1: the results are written, but some rows have problems (said on stderr, and
in their `errors` column); 2: nothing written.

Whatever the input, the answer is a result (exit 0) or a message on stderr (in --lang,
Russian by default) and exit 2 — never a traceback: a missing file or a directory, more
than MAX_BYTES, invalid UTF-8, invalid JSON, nesting deeper than Python can parse, a key given twice (JSON allows
it, and the last value would silently win), or a scenario with problems. What is written
survives a console that cannot show it (cp1251, ascii): unencodable characters are
escaped, never a UnicodeEncodeError; `--text` escapes terminal control characters.
"""

import argparse
import json
import re
import sys

from . import ScenarioError, compute
from .report import text_report
from .trace import LANGUAGES, MessageError, problem_text, render

MAX_BYTES = 1_000_000  # a scenario is ~2 KB; a cap keeps a mistaken upload from filling memory

# C0 and C1 controls except newline, DEL, and the bidirectional overrides and isolates that
# can make a terminal show text other than what it is (a name like «\u202eevil»)
CONTROLS = re.compile("[\x00-\x09\x0b-\x1f\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]")


class InputError(MessageError):
    """The input cannot be read as JSON: a message key (input.*) and its parameters."""


def reject_duplicates(pairs):
    """object_pairs_hook: a key given twice in one object is an error naming the key."""
    obj = {}
    for key, value in pairs:
        if key in obj:
            raise InputError("input.duplicate_key", key=printable(key))
        obj[key] = value
    return obj


def read_bytes(name, limit=MAX_BYTES):
    try:
        if name == "-":
            data = sys.stdin.buffer.read(limit + 1)
        else:
            with open(name, "rb") as f:
                data = f.read(limit + 1)
    except FileNotFoundError:
        raise InputError("input.not_found") from None
    except IsADirectoryError:
        raise InputError("input.directory") from None
    except PermissionError:
        raise InputError("input.permission") from None
    except OSError as e:
        raise InputError("input.os_error", error=str(e.strerror or e)) from None
    if len(data) > limit:
        raise InputError("input.too_big", max=str(limit))
    return data


def read_scenario(name):
    data = read_bytes(name)
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as e:
        raise InputError("input.encoding", offset=str(e.start)) from None
    try:
        return json.loads(text, object_pairs_hook=reject_duplicates)
    except json.JSONDecodeError as e:
        raise InputError("input.json", line=str(e.lineno), column=str(e.colno)) from None
    except ValueError:  # an integer of more than 4300 digits (sys.int_info)
        raise InputError("input.long_number") from None
    except RecursionError:
        raise InputError("input.deep") from None


def printable(text):
    """Text with control and bidi-override characters written as \\u escapes (newline kept)."""
    return CONTROLS.sub(lambda m: f"\\u{ord(m.group()):04x}", text)


def safe_streams():
    """stdout/stderr that escape what their encoding cannot show instead of crashing."""
    for stream in (sys.stdout, sys.stderr):
        if hasattr(stream, "reconfigure"):
            stream.reconfigure(errors="backslashreplace")


def fail(name, message):
    print(f"{printable(name)}: {message}", file=sys.stderr)
    return 2


def main(argv=None):
    safe_streams()
    argv = sys.argv[1:] if argv is None else argv
    if argv[:1] == ["batch"]:
        return batch_main(argv[1:])
    parser = argparse.ArgumentParser(prog="python -m engine", description=__doc__)
    parser.add_argument("scenario", help="scenario JSON file (SCENARIO.md), or - for stdin")
    parser.add_argument("--text", action="store_true", help="readable text report")
    parser.add_argument("--lang", choices=LANGUAGES, default=LANGUAGES[0],
                        help="language of the text report and of messages (default ru)")
    args = parser.parse_args(argv)
    say = lambda key, **params: render(key, params, args.lang)  # noqa: E731
    try:
        scenario = read_scenario(args.scenario)
    except InputError as e:
        return fail(args.scenario, say("input.unreadable", why=e.text(args.lang)))
    try:
        result = compute(scenario)
    except ScenarioError as e:
        for p in e.problems:
            field = p["field"] or say("input.scenario")
            print(printable(f"{field}: {problem_text(p, args.lang)}"), file=sys.stderr)
        return 2
    except RecursionError:  # a valid JSON value too deep for the validator to walk
        return fail(args.scenario, say("input.deep"))
    if args.text:
        report = text_report(result, scenario.get("name", ""), args.lang)
        sys.stdout.write(printable(report))
    else:
        # a console that is not UTF-8 gets \u escapes: the same JSON, every byte ASCII
        utf8 = (sys.stdout.encoding or "").lower().replace("-", "") == "utf8"
        # a control character can only be inside a JSON string, where its \u escape means
        # the same: the output stays the same JSON
        print(printable(json.dumps(result, ensure_ascii=not utf8, indent=2)))
    return 0


def batch_main(argv):
    """python -m engine batch IN -o OUT [--lang] (see the module's docstring)."""
    from . import batch  # noqa: PLC0415 — only this command needs it

    parser = argparse.ArgumentParser(prog="python -m engine batch",
                                     description="one organization per row (docs/BATCH.md)")
    parser.add_argument("table", help="CSV or XLSX: a header of SCENARIO.md field paths, a row per organization")
    parser.add_argument("-o", "--output", default="-", help="OUT.csv or OUT.xlsx (- = CSV on stdout)")
    parser.add_argument("--lang", choices=LANGUAGES, default=LANGUAGES[0],
                        help="language of the warnings and errors, in the file and on stderr (default ru)")
    args = parser.parse_args(argv)
    say = lambda key, **params: render(key, params, args.lang)  # noqa: E731
    kind = "csv" if args.output == "-" else args.output.rpartition(".")[2].lower()
    if kind not in ("csv", "xlsx"):
        return fail(args.output, say("batch.output_kind"))
    try:
        rows = batch.run(batch.read_table(read_bytes(args.table, batch.MAX_BYTES)))
    except MessageError as e:
        return fail(args.table, say("batch.unreadable", why=e.text(args.lang)))
    try:
        data = (batch.to_xlsx(rows, args.lang) if kind == "xlsx"
                else batch.to_csv(rows, args.lang).encode("utf-8"))
    except ImportError:
        return fail(args.output, say("batch.needs_xlsxwriter"))
    try:
        if args.output == "-":
            sys.stdout.buffer.write(data)
            sys.stdout.flush()
        else:
            with open(args.output, "wb") as f:
                f.write(data)
    except OSError as e:
        return fail(args.output, say("batch.not_written", error=str(e.strerror or e)))
    bad = [row for row in rows if row["errors"]]
    for row in bad:
        problems = "; ".join(batch.problem_text(item, args.lang) for item in row["errors"])
        print(printable(say("batch.row_problems", row=str(row["row"]), problems=problems)), file=sys.stderr)
    if bad:
        print(say("batch.bad_rows", bad=len(bad), rows=len(rows)), file=sys.stderr)
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
