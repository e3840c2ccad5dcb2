"""ingest_files: idempotence, incremental updates, skipping unchanged files, the lock, crash resume."""

from __future__ import annotations

import signal
import sqlite3
import subprocess
import sys
import textwrap
import time

import pytest
from pathlib import Path

from vectorstore.ingest import IngestSummary, ingest_files, needs_parse_fn
from vectorstore.lock import StoreBusy
from vs_helpers import ROOT, FakeEmbeddings, ParsedFile, parsed, sha_of, subprocess_env


def test_ingest_then_reingest_embeds_nothing(open_store, sample):
    fake = FakeEmbeddings()
    store = open_store(fake)
    s1 = ingest_files(store, parsed(sample), progress=False)
    assert (s1.files, s1.files_failed, s1.chunks_new, s1.embedded) == (3, 0, 8, 8)
    assert store.count() == 8
    # a new process would open a new handle: the cache and the index both say "nothing to do"
    store2 = open_store(FakeEmbeddings())
    s2 = ingest_files(store2, parsed(sample), progress=False)
    assert s2.embedded == 0 and store2.embeddings.embedded == 0
    assert (s2.chunks_new, s2.chunks_updated, s2.chunks_removed, s2.chunks_unchanged) == (0, 0, 0, 8)
    assert store2.count() == 8
    assert "3 files" in s2.line() and "0 embedded" in s2.line()


def test_rebuild_reuses_cached_vectors(open_store, sample):
    store = open_store()
    ingest_files(store, parsed(sample), progress=False)
    fresh = FakeEmbeddings()
    rebuilt = open_store(fresh, rebuild=True)
    s = ingest_files(rebuilt, parsed(sample), progress=False)
    assert s.chunks_new == 8 and s.embedded == 0 and fresh.documents_embedded == 0
    assert rebuilt.count() == 8


def test_changed_file_replaces_exactly_its_chunks(open_store, sample):
    store = open_store()
    ingest_files(store, parsed(sample), progress=False)
    before = {c.id: c for c in store.all_chunks()}
    path = "res/S_RES_2518_en.xml"
    sample[path] = sample[path][:2]  # the file lost its last paragraph
    needs = needs_parse_fn(store)
    assert needs(path, sha_of(sample[path]))
    assert not needs("res/S_RES_2518_zh.xml", sha_of(sample["res/S_RES_2518_zh.xml"]))
    assert needs("new/file.xml", "abc")
    files = [f for f in parsed(sample) if needs(f.path, f.sha256)]
    assert [f.path for f in files] == [path]
    s = ingest_files(store, files, progress=False)
    assert (s.chunks_removed, s.chunks_unchanged, s.chunks_new, s.embedded) == (1, 2, 0, 0)
    after = {c.id: c for c in store.all_chunks()}
    assert set(before) - set(after) == {"S/RES/2518(2020)|en|resolution_paragraph|op2"}
    assert all(after[i] == before[i] for i in after)
    assert store.file_state()[path].complete


def test_failed_and_conflicting_files_are_counted(open_store, sample, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)  # the indexed files exist, so a clash is not a moved file
    for path in sample:
        (tmp_path / path).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / path).write_text("x")
    store = open_store()
    files = parsed(sample)
    bad = ParsedFile(path="broken.pdf", sha256="x", error="not a PDF")
    other = sample["res/S_RES_2518_en.xml"][0]
    clash = ParsedFile(path="copy.xml", sha256="y", chunks=[other.model_copy(update={"text": "other text"})])
    s = ingest_files(store, files + [bad, clash], progress=True)
    assert s.files == 3 and s.files_failed == 2 and store.count() == 8
    assert any("not a PDF" in e for e in s.errors) and any("already stored" in e for e in s.errors)


def test_grouped_embedding_across_small_files(open_store):
    """Many one-chunk files are embedded in full batches, not one call per file."""
    from vs_helpers import make_chunks

    base = make_chunks()["rep/repertoire_2020_zh.docx"][0]
    files = []
    for i in range(20):
        c = base.model_copy(update={"id": f"DOC{i}|zh|paragraph|1", "doc_id": f"DOC{i}", "text": f"第{i}段 {base.text}"})
        files.append(ParsedFile(path=f"f{i}.docx", sha256=str(i), chunks=[c]))
    fake = FakeEmbeddings()
    calls = []
    orig = fake.embed_documents
    fake.embed_documents = lambda texts: (calls.append(len(texts)), orig(texts))[1]
    store = open_store(fake)
    s = ingest_files(store, files, progress=False)
    assert s.chunks_new == 20 and s.embedded == 20
    assert max(calls) == 4 and len(calls) == 5  # batch 4: five full batches


def test_concurrent_writer_is_refused(tmp_path, sample, fake):
    from vectorstore.store import ChunkStore

    store_dir = tmp_path / "store"
    store_dir.mkdir()
    holder = subprocess.Popen(
        [sys.executable, "-c", textwrap.dedent(f"""
            import sys, time
            from filelock import FileLock
            lock = FileLock({str(store_dir / 'write.lock')!r}); lock.acquire()
            print('locked', flush=True); time.sleep(60)
        """)], stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout.readline().strip() == "locked"
        store = ChunkStore.open(store_dir, fake, lock_timeout=0.5)
        t = time.perf_counter()
        with pytest.raises(StoreBusy, match="another process"):
            ingest_files(store, parsed(sample), progress=False)
        assert time.perf_counter() - t >= 0.5
        assert store.count() == 0
    finally:
        holder.kill()
        holder.wait()
    s = ingest_files(store, parsed(sample), progress=False)  # lock free again
    assert s.chunks_new == 8


RESUME_SCRIPT = """
import sys, time
from pathlib import Path
sys.path.insert(0, {tests!r})
from vs_helpers import FakeEmbeddings, ParsedFile, make_chunks
from vectorstore.store import ChunkStore
from vectorstore.ingest import ingest_files, needs_parse_fn

def corpus():
    base = make_chunks()["rep/repertoire_2020_zh.docx"]
    files = []
    for f in range(12):
        chunks = [base[0].model_copy(update={{"id": f"D{{f}}|zh|paragraph|{{i}}", "doc_id": f"D{{f}}",
                                              "text": f"文件{{f}} 第{{i}}段 " + base[0].text}}) for i in range(10)]
        files.append(ParsedFile(path=f"file{{f}}.docx", sha256=f"sha{{f}}", chunks=chunks))
    return files

sleep = float(sys.argv[2])
store = ChunkStore.open(Path(sys.argv[1]), FakeEmbeddings(sleep=sleep))
needs = needs_parse_fn(store)
todo = [f for f in corpus() if needs(f.path, f.sha256)]
s = ingest_files(store, todo, progress=False, group_texts=4)
print("SUMMARY", s.model_dump_json(), flush=True)
"""


@pytest.mark.slow
def test_sigkill_mid_ingest_then_resume(tmp_path):
    store_dir = tmp_path / "store"
    script = tmp_path / "ingest_script.py"
    script.write_text(RESUME_SCRIPT.format(tests=str(ROOT / "tests" / "vectorstore")))
    env = subprocess_env()
    proc = subprocess.Popen([sys.executable, str(script), str(store_dir), "0.05"], env=env, cwd=str(ROOT),
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    cache = store_dir / "embeddings.sqlite"
    deadline = time.time() + 60
    rows = 0
    while time.time() < deadline and proc.poll() is None:
        if cache.exists():
            try:
                with sqlite3.connect(str(cache), timeout=1) as db:
                    rows = db.execute("SELECT COUNT(*) FROM vectors").fetchone()[0]
            except sqlite3.Error:
                rows = 0
            if rows >= 50:
                break
        time.sleep(0.02)
    assert proc.poll() is None, f"ingest finished before it could be killed: {proc.communicate()}"
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    assert 0 < rows < 120

    out = subprocess.run([sys.executable, str(script), str(store_dir), "0"], env=env, cwd=str(ROOT),
                         capture_output=True, text=True, timeout=120)
    assert out.returncode == 0, out.stderr
    s2 = IngestSummary.model_validate_json(out.stdout.split("SUMMARY", 1)[1])
    assert s2.embedded < 120  # vectors embedded before the kill came from the cache
    assert s2.embedded <= 120 - 50

    from vectorstore.store import ChunkStore

    store = ChunkStore.open(store_dir, FakeEmbeddings())
    chunks = store.all_chunks()
    ids = [c.id for c in chunks]
    assert len(ids) == len(set(ids)) == 120 == store.count()
    assert ids and set(ids) == {f"D{f}|zh|paragraph|{i}" for f in range(12) for i in range(10)}
    assert all(st.complete for st in store.file_state().values()) and len(store.file_state()) == 12

    out3 = subprocess.run([sys.executable, str(script), str(store_dir), "0"], env=env, cwd=str(ROOT),
                          capture_output=True, text=True, timeout=120)
    s3 = IngestSummary.model_validate_json(out3.stdout.split("SUMMARY", 1)[1])
    assert s3.files == 0 and s3.embedded == 0  # every file skipped before parsing


def test_with_the_real_dispatcher(open_store):
    """`ingest.parse.parse_files` results (ParsedFile / SkippedFile / FileError) go straight in."""
    from ingest.parse import parse_files
    from vectorstore.ingest import is_unchanged_fn

    sample_dir = ROOT / "data" / "sample"
    if not sample_dir.exists():
        pytest.skip("no bundled sample")
    store = open_store()
    s1 = ingest_files(store, list(parse_files([sample_dir], is_unchanged=is_unchanged_fn(store))), progress=False)
    assert s1.files > 0 and s1.files_failed == 0 and s1.chunks_new == store.count() > 0
    s2 = ingest_files(store, parse_files([sample_dir], is_unchanged=is_unchanged_fn(store)), progress=False)
    assert s2.files == 0 and s2.files_skipped == s1.files and s2.embedded == 0
    assert "skipped as unchanged" in s2.line()


def test_a_copy_of_an_indexed_file_is_skipped_not_failed(tmp_path):
    """The same resolution reached through two paths (a bundled copy and the corpus) is indexed once."""
    import shutil

    from ingest.parse import parse_files
    from vectorstore.ingest import ingest_files
    from vectorstore.store import ChunkStore
    from vs_helpers import FakeEmbeddings

    sample = Path(__file__).resolve().parents[2] / "data" / "sample" / "resolutions" / "2020" / "English"
    first, second = tmp_path / "a", tmp_path / "b"
    for d in (first, second):
        d.mkdir()
        for f in sample.iterdir():
            shutil.copy(f, d / f.name)
    store = ChunkStore.open(tmp_path / "store", FakeEmbeddings())
    s1 = ingest_files(store, parse_files([first]), progress=False)
    s2 = ingest_files(store, parse_files([second]), progress=False)
    assert s1.files == 2 and s2.files_failed == 0 and s2.files_skipped == 2
    assert all("already indexed" in n for n in s2.notes)
    assert store.count() == s1.chunks_new


def _pdf_and_its_text(folder: Path, edit=None) -> tuple[Path, Path]:
    """A Repertoire PDF and the text extracted from it (optionally edited): one document, two files."""
    from ingest.pdf import extract_pdf_text
    from vs_helpers import repertoire_pdf

    pdf, txt = folder / "rep.en.pdf", folder / "rep.en.txt"
    pdf.write_bytes(repertoire_pdf())
    text = extract_pdf_text(pdf.read_bytes(), pdf.name)
    txt.write_text(edit(text) if edit else text, encoding="utf-8")
    return pdf, txt


def test_the_pdf_of_an_indexed_text_is_skipped_with_a_note_or_replaces_it(tmp_path):
    """Same document, two formats, same passages: skipped (not failed, not "unchanged"), or `replace` takes it over."""
    from ingest.parse import parse_files
    from vectorstore.store import ChunkStore

    pdf, txt = _pdf_and_its_text(tmp_path)
    store = ChunkStore.open(tmp_path / "store", FakeEmbeddings())
    first = ingest_files(store, parse_files([txt]), progress=False)
    assert (first.files, first.chunks_new) == (1, 2)
    skipped = ingest_files(store, parse_files([pdf]), progress=False)
    assert (skipped.files, skipped.files_failed, skipped.files_skipped, skipped.embedded) == (0, 0, 1, 0)
    assert "0 skipped as unchanged, 1 as already indexed from another file" in skipped.line()
    assert len(skipped.notes) == 1 and f"same passages as {txt}" in skipped.notes[0] and "--replace" in skipped.notes[0]
    assert set(store.file_state()) == {str(txt)}
    replaced = ingest_files(store, parse_files([pdf]), progress=False, replace=True)
    assert (replaced.files, replaced.files_failed, replaced.files_replacing, replaced.embedded) == (1, 0, 1, 0)
    assert replaced.notes == [f"{pdf} replaced {txt} (the same document; 0 of its chunks no longer in the index)"]
    state = store.file_state()
    assert set(state) == {str(pdf)} and state[str(pdf)].complete and store.count() == 2


def test_a_different_rendering_is_refused_naming_both_files_or_replaces_the_old_one(tmp_path):
    """Same document, other passages (an edited text with one more paragraph): refused without `replace`."""
    from ingest.parse import parse_files
    from vectorstore.store import ChunkStore

    def edit(text: str) -> str:
        return text.replace("3 Force Commanders.", "three Force Commanders.\n On 9 July 2020, members met again.")

    pdf, txt = _pdf_and_its_text(tmp_path, edit)
    store = ChunkStore.open(tmp_path / "store", FakeEmbeddings())
    assert ingest_files(store, parse_files([txt]), progress=False).chunks_new == 3
    refused = ingest_files(store, parse_files([pdf]), progress=False)
    assert (refused.files, refused.files_failed, refused.chunks_new) == (0, 1, 0)
    assert len(refused.errors) == 1 and str(pdf) in refused.errors[0] and str(txt) in refused.errors[0]
    assert "--replace" in refused.errors[0]
    assert set(store.file_state()) == {str(txt)}
    replaced = ingest_files(store, parse_files([pdf]), progress=False, replace=True)
    assert (replaced.files, replaced.files_failed, replaced.chunks_updated, replaced.chunks_removed) == (1, 0, 2, 1)
    assert replaced.notes == [f"{pdf} replaced {txt} (the same document; 1 of its chunks no longer in the index)"]
    assert set(store.file_state()) == {str(pdf)}
    assert [c.text for c in sorted(store.all_chunks(), key=lambda c: c.id)][1].endswith("3 Force Commanders.")
    # without `replace`, the text file named again is now the one skipped or refused: the PDF keeps the document
    again = ingest_files(store, parse_files([txt]), progress=False)
    assert again.files_failed == 1 and set(store.file_state()) == {str(pdf)}
