"""python -m engine as a subprocess: every hostile input gives a result (exit 0) or a clear
Russian message and exit 2 — never a traceback (issue 11 item 7)."""

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from engine.__main__ import MAX_BYTES

ROOT = Path(__file__).resolve().parent.parent
EXAMPLE = json.loads((ROOT / "tests" / "cases" / "city_mid.v1.json").read_text("utf-8"))
CYRILLIC = re.compile("[а-яА-Я]")


def run(*args, stdin=b"", encoding="utf-8"):
    env = {**os.environ, "PYTHONIOENCODING": encoding}
    done = subprocess.run([sys.executable, "-m", "engine", *map(str, args)], cwd=ROOT, env=env,
                          input=stdin, capture_output=True, timeout=60)
    return done.returncode, done.stdout.decode(encoding), done.stderr.decode(encoding)


def refused(args, stdin=b"", says=""):
    code, out, err = run(*args, stdin=stdin)
    assert code == 2, (code, err)
    assert out == ""
    assert "Traceback" not in err and CYRILLIC.search(err), err
    assert says in err, err
    return err


def write(tmp_path, data, name="s.json"):
    path = tmp_path / name
    path.write_bytes(data if isinstance(data, bytes) else data.encode("utf-8"))
    return path


def test_the_worked_example_gives_its_result():
    code, out, err = run("-", stdin=json.dumps(EXAMPLE["scenario"]).encode())
    assert code == 0 and err == ""
    assert json.loads(out)["total"] == EXAMPLE["expected"]["total"] == 73


@pytest.mark.parametrize("opening,closing", [("[", "]"), ('{"a":', "}")])
def test_100000_deep_nesting(tmp_path, opening, closing):
    path = write(tmp_path, opening * 100_000 + "1" + closing * 100_000)
    refused([path], says="вложенность")


def test_nesting_the_parser_takes_but_no_scenario_has(tmp_path):
    path = write(tmp_path, '{"it": ' + "[" * 500 + "]" * 500 + "}")
    refused([path], says="it")  # a problem naming the field, not a crash


def test_duplicate_key_is_named(tmp_path):
    path = write(tmp_path, '{"vehicles": 1, "it": {"servers": 2, "servers": 3}}')
    refused([path], says="«servers»")


def test_input_over_the_cap(tmp_path):
    path = write(tmp_path, "{}" + " " * MAX_BYTES)
    refused([path], says=str(MAX_BYTES))
    refused(["-"], stdin=b"{}" + b" " * MAX_BYTES, says=str(MAX_BYTES))


def test_input_just_under_the_cap_is_read(tmp_path):
    path = write(tmp_path, "{}" + " " * (MAX_BYTES - 2))
    assert run(path)[0] == 0


def test_invalid_utf8(tmp_path):
    refused([write(tmp_path, b'{"name": "\xff\xfe"}')], says="UTF-8")


def test_invalid_json_and_a_huge_integer(tmp_path):
    refused([write(tmp_path, '{"vehicles": ')], says="JSON")
    refused([write(tmp_path, '{"vehicles": ' + "9" * 5000 + "}")], says="число")


def test_a_directory_and_a_missing_file(tmp_path):
    refused([tmp_path], says="каталог")
    refused([tmp_path / "absent.json"], says="не найден")


def test_scenario_problems_name_the_field(tmp_path):
    err = refused([write(tmp_path, '{"vehicles": -1, "bogus": 1}')])
    assert "vehicles" in err and "bogus" in err


HOSTILE_NAME = "ЭСО\x1b[2J\x1b]0;owned\x07\u009b31m\u202eevil\u2066\r\x00\tend"
RAW = ["\x1b", "\x07", "\u009b", "\u202e", "\u2066", "\r", "\x00", "\t"]


def test_text_report_never_writes_terminal_controls_raw(tmp_path):
    path = write(tmp_path, json.dumps({"name": HOSTILE_NAME, "vehicles": 2}))
    code, out, err = run(path, "--text")
    assert code == 0, err
    assert not [c for c in RAW if c in out], repr(out)
    assert "ЭСО\\u001b[2J" in out and "\\u202eevil" in out  # shown, escaped
    assert "\n" in out  # newlines are the report's own


def test_json_output_escapes_controls_and_stays_the_same_json(tmp_path):
    path = write(tmp_path, json.dumps({"name": HOSTILE_NAME}))
    code, out, err = run(path)
    assert code == 0, err
    assert not [c for c in RAW if c in out], repr(out)
    assert json.loads(out)["total"] == 0  # nothing but a name (R4)


@pytest.mark.parametrize("encoding", ["cp1251", "ascii"])
@pytest.mark.parametrize("text", [True, False])
def test_legacy_console_encoding(tmp_path, encoding, text):
    """Kazakh letters (Қ, ә) have no place in cp1251 or ascii: escaped, not a crash."""
    path = write(tmp_path, json.dumps({**EXAMPLE["scenario"], "name": "Қазақстан энергиясы"}))
    code, out, err = run(path, *(["--text"] if text else []), encoding=encoding)
    assert code == 0 and "Traceback" not in err, err
    if text:  # Қ and ә escaped; what the encoding has (Cyrillic in cp1251) as it is
        name = "Расчет: Қазақстан энергиясы".encode(encoding, "backslashreplace").decode(encoding)
        assert name in out and "\\u049a" in name
    else:  # the titles and traces are Russian: escaped JSON text is still the same JSON
        assert json.loads(out)["total"] == 73


def test_legacy_console_encoding_for_messages(tmp_path):
    code, out, err = run(tmp_path / "Қ.json", encoding="ascii")
    assert code == 2 and "Traceback" not in err
    assert "\\u049a.json" in err and "\\u0444" in err  # the path and the Russian message, escaped
