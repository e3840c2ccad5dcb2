"""Bad input files through the real `unsc ingest` (subprocess): one error line each, the rest ingested.

One ingest run (module fixture) receives every bad file plus four good variants of the tiny
record (a path with spaces and Chinese characters, GB18030, CRLF, a directory with a symlink
loop); each case then asserts on that run: exactly one `error: <file>: <reason>` line, no
traceback, exit code 1, and no chunk of the bad file in the store. Unit-level twins of some
cases live in tests/ingest/test_parse_files.py.
"""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from tests.reliability.conftest import (
    TINY_EN, TINY_ZH, chunk_ids, clean_env, copy_cache, run_unsc, stats_json, write_tiny,
)

pytestmark = pytest.mark.slow


def _pdfs(folder: Path) -> None:
    import pymupdf

    doc = pymupdf.open()
    doc.new_page().insert_text((72, 72), TINY_EN, fontsize=9)
    data = doc.tobytes()
    (folder / "truncated.pdf").write_bytes(data[: len(data) // 3])
    doc.save(str(folder / "encrypted.pdf"), encryption=pymupdf.PDF_ENCRYPT_AES_256, user_pw="secret", owner_pw="owner")
    (folder / "zero.pdf").write_bytes(b"")


BOMB = ('<?xml version="1.0"?>\n<!DOCTYPE lolz [\n<!ENTITY lol "lol">\n'
        + "".join(f'<!ENTITY lol{i} "' + (f"&lol{i - 1};" if i > 1 else "&lol;") * 10 + '">\n' for i in range(1, 10))
        + "]>\n<akomaNtoso><lolz>&lol9;</lolz></akomaNtoso>\n")  # 10^9 "lol"s if expanded

# file name -> words the reason must contain (case-insensitive)
BAD = {
    "empty.txt": ["empty"],
    "blank.txt": ["whitespace"],
    "image.txt": ["PNG"],
    "zero.pdf": ["empty"],
    "truncated.pdf": ["not a readable PDF"],
    "encrypted.pdf": ["encrypted"],
    "invalid.xml": ["malformed XML"],
    "bomb.xml": ["entity expansion refused"],
    "big.txt": ["200.0 MB", "limit", "UNSC_MAX_FILE_MB"],
}
GOOD = ["安理会 记录 with spaces/repertoire-spaces.en.txt", "repertoire-gb18030.zh.txt", "repertoire-crlf.en.txt",
        "loopdir/repertoire-loop.en.txt"]


def _section(text: str, number: int) -> str:
    """The tiny record renumbered as section `number` (another document with the same paragraphs)."""
    return text.replace("41.", f"{number}.", 1)


@pytest.fixture(scope="module")
def matrix(tmp_path_factory, tiny_seed):
    base = tmp_path_factory.mktemp("bad-files")
    data = base / "data"
    data.mkdir()
    (data / "empty.txt").write_bytes(b"")
    (data / "blank.txt").write_bytes(b"  \n\t\r\n   \n")
    (data / "image.txt").write_bytes(b"\x89PNG\r\n\x1a\n" + os.urandom(256))
    _pdfs(data)
    (data / "invalid.xml").write_text("<akomaNtoso><act><meta></act>", encoding="utf-8")
    (data / "bomb.xml").write_text(BOMB, encoding="utf-8")
    with open(data / "big.txt", "wb") as f:
        f.truncate(200_000_000)  # sparse: 200 MB on paper, nothing on disk
    # Each good variant is its own section (a document is identified by its content, so identical
    # copies would be one document); `copy.en.txt` is a byte copy of the CRLF one, skipped with a note.
    spaced = data / "安理会 记录 with spaces"
    spaced.mkdir()
    (spaced / "repertoire-spaces.en.txt").write_text(_section(TINY_EN, 42), encoding="utf-8")
    (data / "repertoire-gb18030.zh.txt").write_bytes(_section(TINY_ZH, 43).encode("gb18030"))
    (data / "repertoire-crlf.en.txt").write_bytes(_section(TINY_EN, 44).replace("\n", "\r\n").encode("utf-8"))
    (data / "copy.en.txt").write_bytes((data / "repertoire-crlf.en.txt").read_bytes())
    loop = data / "loopdir"
    loop.mkdir()
    (loop / "repertoire-loop.en.txt").write_text(_section(TINY_EN, 45), encoding="utf-8")
    os.symlink(loop, loop / "again")  # loopdir/again -> loopdir
    os.symlink("..", loop / "up")  # and a loop through the parent
    store = base / "store"
    copy_cache(tiny_seed, store)
    files = [data / n for n in BAD] + [data / g for g in GOOD[:3]] + [data / "copy.en.txt", loop]
    run = run_unsc("ingest", *files, "--store", store, cwd=data)
    return {"run": run, "store": store, "data": data}


@pytest.mark.parametrize("name", list(BAD))
def test_bad_file_gets_one_error_line_naming_it(matrix, name):
    run = matrix["run"]
    lines = [line for line in run.error_lines if name in line]
    assert len(lines) == 1, run.err
    line = lines[0]
    assert line.startswith(f"error: {name}: "), line
    assert all(w.lower() in line.lower() for w in BAD[name]), line
    assert line.count(name) == 1  # named once, not "x.pdf: x.pdf: ..."


def test_failed_run_exits_non_zero_without_traceback(matrix):
    run = matrix["run"]
    assert run.rc == 1
    assert "Traceback" not in run.err and "Traceback" not in run.out
    assert len(run.error_lines) == len(BAD), run.err
    assert f"({len(BAD)} failed" in run.out


def test_good_files_still_ingested_and_nothing_of_the_bad_ones(matrix):
    ids = chunk_ids(matrix["store"])
    sources = set(ids.values())
    assert len(ids) == 2 * len(GOOD), ids  # 2 paragraphs each; the symlink loop did not duplicate any
    assert {Path(s).name for s in sources} == {Path(g).name for g in GOOD}
    assert not any(Path(s).name in BAD for s in sources)
    st = stats_json(matrix["store"])
    assert st["chunks"] == 8 and st["documents"] == 4 and st["by_lang"] == {"en": 6, "zh": 2}


def test_a_copy_of_an_indexed_document_is_skipped_with_a_note_not_an_error(matrix):
    run = matrix["run"]
    assert not any("copy.en.txt" in line for line in run.error_lines), run.err
    assert "copy.en.txt" in run.out + run.err
    assert not any(Path(s).name == "copy.en.txt" for s in chunk_ids(matrix["store"]).values())


def test_gb18030_crlf_and_odd_paths_parse_to_the_same_text(matrix):
    from ui.app import open_store
    from ui.settings import load_settings

    chunks = open_store(load_settings(store=matrix["store"], chroma_url=None, llm=None)).all_chunks()
    texts = {Path(f).name: sorted(c.text for c in chunks if c.source.path == f) for f in {c.source.path for c in chunks}}
    assert texts["repertoire-gb18030.zh.txt"] == sorted(p.strip() for p in TINY_ZH.splitlines()[2:])
    assert texts["repertoire-crlf.en.txt"] == texts["repertoire-spaces.en.txt"] == texts["repertoire-loop.en.txt"]
    assert all("\r" not in c.text for c in chunks)
    assert "斑马车队" in " ".join(texts["repertoire-gb18030.zh.txt"])


def test_the_bomb_is_not_expanded(matrix):
    # a billion "lol"s would take minutes and gigabytes; the whole run (model load included) is quick
    assert matrix["run"].seconds < 120


def test_a_file_that_turns_bad_keeps_its_stored_chunks(fresh_store, tmp_path):
    good = write_tiny(tmp_path / "d", "repertoire-turns-bad.en.txt")[0]
    first = run_unsc("ingest", good, "--store", fresh_store, "-q")
    assert first.rc == 0, first.err
    before = chunk_ids(fresh_store)
    from ui.app import open_store
    from ui.settings import load_settings

    def texts():
        st = open_store(load_settings(store=fresh_store, chroma_url=None, llm=None))
        return sorted(c.text for c in st.all_chunks())

    t_before = texts()
    good.write_bytes(b"\x89PNG\r\n\x1a\n" + b"\x00" * 64)  # replaced by an image under the same name
    second = run_unsc("ingest", good, "--store", fresh_store, "-q")
    assert second.rc == 1 and second.error_lines == [f"error: {good}: binary file (a PNG image), not a record"]
    assert chunk_ids(fresh_store) == before and texts() == t_before and len(before) == 2


# --- size limit: refused from the size alone; the limit can be raised (env and flag) -----------


def test_size_limit_can_be_raised_by_env_and_flag(tmp_path):
    tiny = write_tiny(tmp_path, "repertoire-limit.en.txt")[0]
    big = tmp_path / "big.txt"
    with open(big, "wb") as f:
        f.truncate(200_000_000)
    r = run_unsc("parse", big, tiny, cwd=tmp_path)
    assert r.rc == 1 and r.error_lines == ["error: big.txt: file is 200.0 MB, over the 50 MB limit (raise it with UNSC_MAX_FILE_MB)"]
    assert "repertoire-limit.en.txt: 2 chunks" in r.out
    # raised with the flag: the 200 MB file is now read (and refused for what it is: zeros)
    r = run_unsc("parse", big, "--max-file-mb", "250", cwd=tmp_path)
    assert r.rc == 1 and "limit" not in r.err and "binary" in r.err
    # lowered with the env var, overridden by the flag
    r = run_unsc("parse", tiny, cwd=tmp_path, env={"UNSC_MAX_FILE_MB": "0.0001"})
    assert r.rc == 1 and "over the 0 MB limit" in r.err
    r = run_unsc("parse", tiny, "--max-file-mb", "1", cwd=tmp_path, env={"UNSC_MAX_FILE_MB": "0.0001"})
    assert r.rc == 0 and "2 chunks" in r.out


# --- unreadable file ----------------------------------------------------------------------------

# The tests run as root, which reads any file whatever its mode, and `setpriv` to an unprivileged
# user cannot run the venv (/work is not traversable by `nobody`). So the real CLI entry point
# (`ui.cli.main`, what the `unsc` script calls) runs in a subprocess with `Path.read_bytes` and
# `os.access` patched to deny files whose name starts with "unreadable" (EACCES, as the kernel would).
UNREADABLE_RUNNER = textwrap.dedent("""
    import errno, os, pathlib, sys
    real_read, real_access = pathlib.Path.read_bytes, os.access
    def read_bytes(self):
        if self.name.startswith("unreadable"):
            raise PermissionError(errno.EACCES, os.strerror(errno.EACCES), str(self))
        return real_read(self)
    def access(path, mode, *a, **k):
        if os.path.basename(str(path)).startswith("unreadable") and mode & os.R_OK:
            return False
        return real_access(path, mode, *a, **k)
    pathlib.Path.read_bytes = read_bytes
    os.access = access
    from ui.cli import main
    sys.argv = ["unsc"] + sys.argv[1:]
    main()
""")


def test_unreadable_file_in_a_directory(fresh_store, tmp_path):
    folder = tmp_path / "records"
    good = write_tiny(folder, "repertoire-readable.en.txt")[0]
    (folder / "unreadable.en.txt").write_text(TINY_EN, encoding="utf-8")
    p = subprocess.run([sys.executable, "-c", UNREADABLE_RUNNER, "ingest", str(folder), "--store", str(fresh_store), "-q"],
                       env=clean_env(), capture_output=True, text=True, timeout=300, cwd=str(tmp_path))
    err = [line for line in p.stderr.splitlines() if line.startswith("error:")]
    assert p.returncode == 1 and err == ["error: records/unreadable.en.txt: cannot read: Permission denied"], p.stderr
    assert "Traceback" not in p.stderr
    assert set(map(lambda s: Path(s).name, chunk_ids(fresh_store).values())) == {good.name}


def test_unreadable_file_named_on_the_command_line(fresh_store, tmp_path):
    good = write_tiny(tmp_path, "repertoire-named.en.txt")[0]
    bad = tmp_path / "unreadable.txt"
    bad.write_text(TINY_EN, encoding="utf-8")
    p = subprocess.run([sys.executable, "-c", UNREADABLE_RUNNER, "ingest", str(bad), str(good), "--store",
                        str(fresh_store), "-q"], env=clean_env(), capture_output=True, text=True, timeout=300,
                       cwd=str(tmp_path))
    assert p.returncode == 1, p.stderr
    assert [line for line in p.stderr.splitlines() if line.startswith("error:")] == [
        "error: unreadable.txt: cannot read: Permission denied"]
    assert len(chunk_ids(fresh_store)) == 2
