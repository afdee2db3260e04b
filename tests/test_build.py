"""The build (web/build/, docs/BUILD.md): the same source gives the same dist/ byte for byte
— in another folder too — hence the same engine archive name and the same service-worker
build id (a deploy without changes is no update); a changed engine file gives another
archive name and another build id; the one templating way refuses what it cannot fill."""

import _imp  # the keyed hash a hash-based .pyc holds (PEP 552)
import gzip
import hashlib
import json
import re
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from web.build import build_site
from web.build.archive import STAMP
from web.build.pyscript_chunks import loaded_files
from web.build.stdlib import ALWAYS, FULL, recorded_files
from web.template import fill

ROOT = Path(__file__).resolve().parents[1]
SOURCES = ("engine", "norm_json", "web", "docs", "build.py", "package-lock.json",
           "requirements-web.txt")  # what the build reads

pytestmark = pytest.mark.skipif(not (ROOT / "node_modules" / "pyodide").is_dir(),
                                reason="node_modules not installed (python3 build.py build does it)")


def files(dist):
    return {path.relative_to(dist).as_posix(): path.read_bytes()
            for path in sorted(dist.rglob("*")) if path.is_file()}


def build_id(dist):
    text = (dist / "sw.js").read_text("utf-8")
    start = text.index("const BUILD = ") + len("const BUILD = ")
    return json.JSONDecoder().raw_decode(text[start:])[0]["id"]


def archive_name(dist):
    (archive,) = (dist / "app").glob("engine-*.whl")
    return archive.name


def copy_of_repository(target):
    """What the build reads, copied to target (node_modules shared) → target."""
    for name in SOURCES:
        source = ROOT / name
        if source.is_dir():
            shutil.copytree(source, target / name, ignore=shutil.ignore_patterns("__pycache__"))
        else:
            shutil.copyfile(source, target / name)
    (target / "node_modules").symlink_to(ROOT / "node_modules", target_is_directory=True)
    (target / ".cache").symlink_to(ROOT / ".cache", target_is_directory=True)  # the wheels pip got
    return target


def build_in(root):
    subprocess.run([sys.executable, "build.py", "build"], cwd=root, check=True, capture_output=True)
    return root / "dist"


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    """Two builds of the repository's own tree, one after the other."""
    first, second = (tmp_path_factory.mktemp(name) / "dist" for name in ("first", "second"))
    return build_site(first), first, build_site(second), second


def test_the_same_tree_builds_the_same_bytes_and_build_id(built):
    first_id, first, second_id, second = built
    assert files(first) == files(second)
    assert first_id == second_id == build_id(first)


def test_another_folder_builds_the_same_and_a_changed_engine_file_a_new_archive(built, tmp_path):
    _, reference, _, _ = built
    copy = copy_of_repository(tmp_path / "repo")
    same = build_in(copy)
    assert files(same) == files(reference)  # no absolute path or time stamp anywhere
    shutil.rmtree(same)
    production = copy / "engine" / "production.py"
    production.write_text(production.read_text("utf-8") + "\n# a changed engine file\n", "utf-8")
    changed = build_in(copy)
    assert archive_name(changed) != archive_name(reference)
    assert build_id(changed) != build_id(reference)
    page = (changed / "index.html").read_text("utf-8")
    assert f"./app/{archive_name(changed)}" in page and archive_name(reference) not in page


def test_the_archive_holds_the_packages_with_fixed_stamps_and_modes(built):
    _, dist, _, _ = built
    with zipfile.ZipFile(dist / "app" / archive_name(dist)) as archive:
        entries = archive.infolist()
    names = [entry.filename for entry in entries]
    assert names == sorted(names)
    assert {"engine/__init__.py", "engine/production.py", "norm_json/kea_1nt_2018.json",
            "norm_json/kea_1nt_2018.ru.txt", "engine/messages/ru.json"} <= set(names)
    assert not [name for name in names if "__pycache__" in name or name.endswith(".pyc")]
    assert {name.split("/")[0] for name in names} == {"engine", "norm_json"}
    assert {entry.date_time for entry in entries} == {STAMP}
    assert {entry.external_attr >> 16 for entry in entries} == {0o644}


def test_each_page_script_is_one_bundle_in_a_folder_named_by_its_content(built):
    _, dist, _, _ = built
    (folder,) = [path for path in dist.iterdir() if re.fullmatch(r"js-[0-9a-f]{12}", path.name)]
    # (.gz: compress.py's siblings)
    assert sorted(path.name for path in folder.iterdir() if path.suffix != ".gz") == ["batch.js", "page.js"]
    for entry, module in (("page.js", "form.js"), ("batch.js", "catalog.js")):
        bundle = (folder / entry).read_text("utf-8")
        assert f"// web/js/{module}\n" in bundle  # an imported module, bundled in
        assert not re.search(r'^\s*(import|export)\b[^;(]*"\./', bundle, re.M), entry  # nothing left to fetch
    page = (dist / "index.html").read_text("utf-8")
    assert f'<script type="module" src="./{folder.name}/page.js"></script>' in page
    assert "{{" not in page  # every placeholder filled


def test_no_placeholder_is_left_in_a_built_javascript_file(built):
    _, dist, _, _ = built
    for name in ("python.mjs", "sw.js"):
        text = (dist / name).read_text("utf-8")
        assert "{{" not in text, name
    assert re.search(r'^const SETUP = \{"key": "[0-9a-f]{16}", "archive": "\./app/engine-',
                     (dist / "python.mjs").read_text("utf-8"), re.M)


@pytest.mark.parametrize("text, values, message", [
    ("a {{b}}", {}, "unknown placeholder {{b}}"),
    ("a {{ b }}", {"b": "1"}, "'{{' that is not a placeholder"),
    ("a", {"b": "1"}, "no placeholder for ['b']"),
])
def test_the_template_refuses_what_it_cannot_fill(text, values, message):
    with pytest.raises(SystemExit, match=re.escape(message)):
        fill(text, values, "source")


def test_the_template_fills_values_once_and_looks_up_the_rest():
    text = "{{x}} {{a.b}} {{x}}"
    assert fill(text, {"x": "{{a.b}}"}, "source", {"a.b": "2"}.__getitem__) == "{{a.b}} 2 {{a.b}}"


def test_pages_take_a_shared_block_from_web_parts_in_their_own_language(built):
    _, dist, _, _ = built
    part = (ROOT / "web" / "parts" / "engine-error.html").read_text("utf-8")
    for lang, pages in {"ru": ("index.html", "batch.html"), "kk": ("kk.html", "batch-kk.html"),
                        "en": ("en.html", "batch-en.html")}.items():
        catalog = json.loads((ROOT / "web" / "i18n" / f"{lang}.json").read_text("utf-8"))
        expected = fill(part.rstrip("\n"), {}, "part", lambda key: catalog["errors"][key.split(".")[1]])
        for page in pages:
            text = (dist / page).read_text("utf-8")
            assert "{{" not in text, page
            assert expected in text, page
            assert text.count('id="engine-error"') == 1, page


def sw_build(dist):
    text = (dist / "sw.js").read_text("utf-8")
    start = text.index("const BUILD = ") + len("const BUILD = ")
    return json.JSONDecoder().raw_decode(text[start:])[0]


def test_the_trimmed_stdlib_holds_exactly_the_recorded_modules_compiled(built):
    """Each recorded module as a .pyc of Pyodide's own source (its hash is in the header), the
    other recorded files as Pyodide ships them."""
    _, dist, _, _ = built
    compiled = {name: name + "c" if name.endswith(".py") else name for name in recorded_files()}
    with zipfile.ZipFile(FULL) as full, zipfile.ZipFile(dist / "pyodide" / "python_stdlib.zip") as trimmed:
        entries = set(trimmed.namelist())
        assert compiled and set(compiled.values()) <= entries
        assert entries - set(compiled.values()) <= set(ALWAYS)
        magic = {trimmed.read(name)[:4] for name in compiled.values() if name.endswith(".pyc")}
        assert len(magic) == 1 and magic.pop()[2:] == b"\r\n"  # one Python's magic number
        for name, entry in compiled.items():
            data, source = trimmed.read(entry), full.read(name)
            if entry == name:
                assert data == source, name
                continue
            assert int.from_bytes(data[4:8], "little") == 0b01, name  # PEP 552: hash-based, unchecked
            assert data[8:16] == _imp.source_hash(int.from_bytes(data[:4], "little"), source), name


PINNED_WHEELS = ("et_xmlfile-2.0.0-py3-none-any.whl", "openpyxl-3.1.5-py2.py3-none-any.whl",
                 "xlsxwriter-3.3.1-py3-none-any.whl")


def test_the_wheels_hold_the_pinned_files_stored(built):
    """dist/wheels/ has each pinned wheel with its entries unchanged, only no longer deflated
    (gzip packs them together: the page downloads the .gz)."""
    _, dist, _, _ = built
    for name in PINNED_WHEELS:
        (pinned,) = (ROOT / ".cache" / "wheels").glob(name)
        with zipfile.ZipFile(pinned) as source, zipfile.ZipFile(dist / "wheels" / name) as copy:
            assert [e.filename for e in copy.infolist()] == [e.filename for e in source.infolist()]
            assert {e.compress_type for e in copy.infolist()} == {zipfile.ZIP_STORED}
            for entry in source.infolist():
                assert copy.read(entry.filename) == source.read(entry), entry.filename
        assert len((dist / "wheels" / f"{name}.gz").read_bytes()) < pinned.stat().st_size


def test_gzip_siblings_hold_their_files_and_the_worker_stores_what_its_list_says(built):
    _, dist, _, _ = built
    siblings = sorted(dist.rglob("*.gz"))
    assert dist / "pyodide" / "pyodide.asm.wasm.gz" in siblings
    for sibling in siblings:
        packed = sibling.read_bytes()
        assert packed[:2] == b"\x1f\x8b" and packed[4:8] == b"\0\0\0\0"  # gzip, time stamp 0
        assert gzip.decompress(packed) == sibling.with_suffix("").read_bytes()
    build = sw_build(dist)
    local = lambda url: dist / url.split("?")[0].removeprefix("./")  # noqa: E731
    for url, digest in build["files"].items():  # the list's digests are those of the files
        assert hashlib.sha256(local(url).read_bytes()).hexdigest() == digest, url
    # the page downloads Pyodide's wasm, JavaScript and standard library, the engine archive
    # and the wheels only as their .gz; the other siblings are the hosts'
    by_page = ["./pyodide/pyodide.asm.mjs.gz", "./pyodide/pyodide.asm.wasm.gz", "./pyodide/python_stdlib.zip.gz",
               f"./app/{archive_name(dist)}.gz", *(f"./wheels/{name}.gz" for name in PINNED_WHEELS)]
    assert sorted(url for url in build["files"] if url.endswith(".gz")) == sorted(by_page)
    assert not {url.removesuffix(".gz") for url in by_page} & set(build["files"])
    # the in-memory IndexedDB is only for where storage, the worker's too, is refused
    assert sorted(path.name for path in (dist / "vendor").iterdir() if path.suffix != ".gz") == ["fake-indexeddb.js"]
    assert not [url for url in build["files"] if "/vendor/" in url]
    # of PyScript's bundle, exactly the files the pages load (recorded: pyscript_chunks.py)
    bundle = {path.name for path in (dist / "pyscript").iterdir() if path.suffix != ".gz"}
    assert set(loaded_files()) <= bundle, "web/build/pyscript-files.txt names files the bundle lacks: record it again"
    precached = {url.removeprefix("./pyscript/") for url in build["files"] if url.startswith("./pyscript/")}
    assert precached == set(loaded_files())
    for url, sibling in build["packed"].items():  # which the worker may download instead
        assert url in build["files"]
        assert gzip.decompress(local(sibling).read_bytes()) == local(url).read_bytes()
    assert "./index.html" in build["packed"]  # pages too (the worker asks their address with HEAD)
