"""ChunkStore on both backends: round-trips, search and filters, incremental writes, guards."""

from __future__ import annotations

from datetime import date

import numpy as np
import pytest

from vectorstore.filters import SearchFilters
from vectorstore.documents import embedding_text
from vectorstore.store import ChunkIdConflict, ChunkStore, EmbedderMismatch, StoreUnavailable
from processes import free_port
from vs_helpers import FakeEmbeddings, fake_vector, sha_of


def fill(store: ChunkStore, sample) -> None:
    for path, chunks in sample.items():
        store.upsert_file(path, sha_of(chunks), chunks)


def all_sample(sample):
    return {c.id: c for cs in sample.values() for c in cs}


def test_round_trip_persists(open_store, sample, tmp_path):
    store = open_store()
    fill(store, sample)
    expected = all_sample(sample)
    assert store.count() == len(expected)
    reopened = open_store()  # a fresh handle reads what the first one wrote
    got = {c.id: c for c in reopened.all_chunks()}
    assert got == expected  # pydantic equality: every field, footnotes, vote, source tuple
    assert reopened.get_chunks(["REP-2020|zh|paragraph|23.1"])["REP-2020|zh|paragraph|23.1"] == expected["REP-2020|zh|paragraph|23.1"]


def test_stats_and_file_state(open_store, sample):
    store = open_store()
    fill(store, sample)
    st = store.stats()
    assert st.chunks == 8 and st.documents == 2
    assert st.by_lang == {"en": 3, "zh": 5}
    assert st.by_kind["resolution_paragraph"] == 4 and st.by_kind["table_row"] == 1
    assert st.embedder == "fake:hash32"
    fs = store.file_state()
    assert set(fs) == set(sample)
    for path, chunks in sample.items():
        assert fs[path].sha == sha_of(chunks) and fs[path].stored == fs[path].expected == len(chunks)
        assert fs[path].complete


def test_dense_search_scores_and_order(open_store, sample):
    store = open_store()
    fill(store, sample)
    target = sample["rep/repertoire_2020_zh.docx"][1]
    hits = store.dense_search(embedding_text(target), k=3)
    assert hits[0][0] == target.id
    assert hits[0][1] == pytest.approx(1.0, abs=1e-4)  # cosine similarity, not a distance
    scores = [s for _, s in hits]
    assert scores == sorted(scores, reverse=True) and all(-1.0001 <= s <= 1.0001 for s in scores)
    expected = float(fake_vector(embedding_text(target)) @ fake_vector(embedding_text(store.get_chunks([hits[1][0]])[hits[1][0]])))
    assert hits[1][1] == pytest.approx(expected, abs=1e-4)


def test_filters(open_store, sample):
    store = open_store()
    fill(store, sample)
    q = "peacekeepers safety 维和人员安全"

    def ids(**kw):
        return {i for i, _ in store.dense_search(q, k=20, filters=SearchFilters(**kw))}

    assert ids(langs=["en"]) == {c.id for c in sample["res/S_RES_2518_en.xml"]}
    assert ids(langs=["zh"], kinds=["table_row"]) == {"REP-2020|zh|table_row|t5.3"}
    # record kind (stored as `doc_kind` metadata)
    assert ids(doc_kinds=["repertoire"]) == {c.id for c in sample["rep/repertoire_2020_zh.docx"]}
    assert ids(doc_kinds=["resolution"], langs=["en"]) == {c.id for c in sample["res/S_RES_2518_en.xml"]}
    assert ids(doc_kinds=["presidential_statement"]) == set()
    # symbol: chunks of the document itself, or citing it
    assert ids(symbols=["S/RES/2532(2020)"]) == {"REP-2020|zh|paragraph|23.2"}
    assert ids(symbols=["S/RES/2518(2020)"], langs=["zh"]) == {
        "S/RES/2518(2020)|zh|resolution_paragraph|op1", "S/RES/2518(2020)|zh|resolution_paragraph|op2",
        "REP-2020|zh|paragraph|23.1"}
    assert ids(date_from=date(2020, 6, 1)) == {"REP-2020|zh|paragraph|23.2", "REP-2020|zh|table_row|t5.3"}
    assert ids(date_from=date(2020, 3, 30), date_to=date(2020, 3, 30), langs=["zh"]) == {
        "S/RES/2518(2020)|zh|resolution_paragraph|op1", "S/RES/2518(2020)|zh|resolution_paragraph|op2",
        "REP-2020|zh|paragraph|23.1"}
    assert ids(section="联合国维持和平行动") == {"REP-2020|zh|paragraph|23.1", "REP-2020|zh|paragraph|23.2"}
    assert ids(section="no such section") == set()
    # section post-filter still returns k hits when the best matches are elsewhere
    assert len(store.dense_search(q, k=1, filters=SearchFilters(section="表5"))) == 1
    assert {i for i, _ in store.dense_search(q, k=20, doc_ids=["REP-2020"])} == {c.id for c in sample["rep/repertoire_2020_zh.docx"]}


def test_vectors_are_stored_passage_embeddings(open_store, sample):
    store = open_store()
    fill(store, sample)
    c = sample["res/S_RES_2518_zh.xml"][0]
    vecs = store.vectors([c.id, "missing-id"])
    assert set(vecs) == {c.id}
    assert vecs[c.id].dtype == np.float32
    np.testing.assert_allclose(vecs[c.id], fake_vector(embedding_text(c)), atol=1e-6)


def test_upsert_unchanged_changed_removed(open_store, sample):
    fake = FakeEmbeddings()
    store = open_store(fake)
    fill(store, sample)
    path = "rep/repertoire_2020_zh.docx"
    old = sample[path]
    gen0 = store.generation()
    # unchanged file: nothing embedded, nothing written, generation unchanged
    r = store.upsert_file(path, sha_of(old), old)
    assert (r.new, r.updated, r.unchanged, r.removed, r.embedded) == (0, 0, 3, 0, 0)
    assert store.generation() == gen0
    # edit one chunk, drop one, add one
    edited = old[0].model_copy(update={"text": old[0].text + "（修订）"})
    added = old[1].model_copy(update={"id": "REP-2020|zh|paragraph|23.3", "paragraph": 3, "text": "新增段落。"})
    new = [edited, added, old[2]]
    before = fake.documents_embedded
    r = store.upsert_file(path, sha_of(new), new)
    assert (r.new, r.updated, r.unchanged, r.removed) == (1, 1, 1, 1)
    assert fake.documents_embedded - before == 2  # only the new and the edited chunk
    assert store.generation() != gen0
    got = {c.id: c for c in store.all_chunks() if c.source.path == path}
    assert got == {c.id: c for c in new}
    st = store.file_state()[path]
    assert st.complete and st.sha == sha_of(new) and st.expected == 3
    # other files untouched
    assert {c.id for c in store.all_chunks()} - set(got) == {c.id for p, cs in sample.items() if p != path for c in cs}


def test_chunk_id_conflicts(open_store, sample, tmp_path, monkeypatch):
    from vectorstore.store import DuplicateDocument

    monkeypatch.chdir(tmp_path)
    (tmp_path / "res").mkdir()
    (tmp_path / "res" / "S_RES_2518_en.xml").write_text("x")  # the indexed file still exists
    store = open_store()
    fill(store, sample)
    c = sample["res/S_RES_2518_en.xml"][0]
    with pytest.raises(ChunkIdConflict, match="already stored"):
        store.upsert_file("other/file.xml", "x", [c.model_copy(update={"text": "a different text"})])
    with pytest.raises(DuplicateDocument, match="already indexed"):
        store.upsert_file("other/file.xml", "x", [c])
    with pytest.raises(ChunkIdConflict, match="duplicate"):
        store.upsert_file("other/file.xml", "x", [c, c])


def test_a_moved_file_takes_its_passages_over(open_store, sample, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)  # the indexed paths do not exist here: the files moved
    store = open_store()
    fill(store, sample)
    chunks = sample["res/S_RES_2518_en.xml"]
    store.upsert_file("moved/S_RES_2518_en.xml", "x", chunks)
    assert store.count() == sum(len(v) for v in sample.values())


def test_crash_between_write_and_delete_is_detected(open_store, sample, monkeypatch):
    """A file whose stale chunks were not yet deleted reports incomplete, and a redo fixes it."""
    store = open_store()
    fill(store, sample)
    path = "rep/repertoire_2020_zh.docx"
    new = sample[path][:2]
    col = store._col
    monkeypatch.setattr(type(col), "delete", lambda self, *a, **k: (_ for _ in ()).throw(KeyboardInterrupt()))
    with pytest.raises(KeyboardInterrupt):
        store.upsert_file(path, sha_of(new), new)
    monkeypatch.undo()
    st = store.file_state()[path]
    assert not st.complete and st.stored == 3  # stale chunk still there (and shas disagree)
    store.upsert_file(path, sha_of(new), new)
    assert store.file_state()[path].complete
    assert {c.id for c in store.all_chunks() if c.source.path == path} == {c.id for c in new}


def test_embedder_mismatch(open_store, sample, tmp_path):
    store = open_store()
    fill(store, sample)
    other = FakeEmbeddings(dim=32, ident="st:intfloat/multilingual-e5-base")
    with pytest.raises(EmbedderMismatch) as e:
        open_store(other)
    msg = str(e.value)
    assert "fake:hash32" in msg and "--rebuild" in msg and "UNSC_EMBEDDER=fake:hash32" in msg
    # rebuild=True drops the old collection and starts over with the new embedder
    rebuilt = open_store(other, rebuild=True)
    assert rebuilt.count() == 0 and rebuilt.stats().embedder == "st:intfloat/multilingual-e5-base"


def test_reset_only_drops_the_collection(open_store, sample, tmp_path):
    store = open_store()
    fill(store, sample)
    mine = tmp_path / "store" / "notes.txt"
    mine.write_text("user data")
    gen = store.generation()
    store.reset()
    assert store.count() == 0 and store.generation() != gen
    assert mine.read_text() == "user data"
    assert (tmp_path / "store" / "embeddings.sqlite").exists()  # cache kept: rebuild is cheap
    fill(store, sample)
    assert store.count() == 8


def test_server_down_is_store_unavailable(tmp_path, fake):
    url = f"http://127.0.0.1:{free_port()}"
    with pytest.raises(StoreUnavailable) as e:
        ChunkStore.open(tmp_path / "store", fake, chroma_url=url)
    msg = str(e.value)
    assert url in msg and "\n" not in msg
    assert e.value.__cause__ is None and e.value.__suppress_context__  # no chained traceback


def test_generation_seen_by_another_handle(open_store, sample):
    a = open_store()
    b = open_store()
    g = b.generation()
    fill(a, sample)
    assert b.generation() != g


def test_section_filter_fallback_and_cache(open_store, sample, monkeypatch):
    import vectorstore.store as store_mod

    store = open_store()
    fill(store, sample)
    want = {"REP-2020|zh|paragraph|23.1", "REP-2020|zh|paragraph|23.2"}
    f = SearchFilters(section="维持和平", langs=["zh"], symbols=["S/RES/2518(2020)", "S/RES/2532(2020)"])
    assert {i for i, _ in store.dense_search("安全", k=10, filters=f)} == want
    monkeypatch.setattr(store_mod, "MAX_IN", 0)  # too many matching sections: post-filter path
    assert {i for i, _ in store.dense_search("安全", k=10, filters=f)} == want
    assert len(store.dense_search("x", k=1, filters=SearchFilters(section="维持和平"))) == 1
    # the section list follows writes
    extra = sample["res/S_RES_2518_en.xml"][0].model_copy(update={"id": "X|en|paragraph|1", "doc_id": "X", "section": "New > Part"})
    store.upsert_file("x.txt", "1", [extra])
    assert "New > Part" in store.sections()


def test_writes_from_another_process_become_searchable(open_store, backend, sample, tmp_path):
    """A long-lived reader (the UI) sees chunks another process (`unsc ingest`) added."""
    import subprocess
    import sys

    from vs_helpers import ROOT, subprocess_env

    reader = open_store()
    p = "res/S_RES_2518_en.xml"
    reader.upsert_file(p, sha_of(sample[p]), sample[p])
    assert len(reader.dense_search("安理会", k=10)) == 3
    url, name = backend
    code = (
        "import sys; from pathlib import Path; sys.path.insert(0, %r)\n"
        "from vs_helpers import FakeEmbeddings, make_chunks, sha_of\n"
        "from vectorstore.store import ChunkStore\n"
        "s = make_chunks(); st = ChunkStore.open(Path(%r), FakeEmbeddings(), collection=%r, chroma_url=%r)\n"
        "p = 'rep/repertoire_2020_zh.docx'; st.upsert_file(p, sha_of(s[p]), s[p])\n"
    ) % (str(ROOT / "tests" / "vectorstore"), str(tmp_path / "store"), name, url)
    out = subprocess.run([sys.executable, "-c", code], env=subprocess_env(), cwd=str(ROOT), capture_output=True, text=True, timeout=120)
    assert out.returncode == 0, out.stderr
    hits = {i for i, _ in reader.dense_search("安理会", k=10)}
    assert len(hits) == 6 and "REP-2020|zh|paragraph|23.2" in hits
    # and after a rebuild elsewhere, the old handle keeps working
    other = open_store(rebuild=True)
    assert reader.dense_search("安理会", k=10) == [] and other.count() == 0


@pytest.mark.server
def test_server_dying_mid_session_is_store_unavailable(tmp_path, fake, sample):
    import subprocess
    import time
    import urllib.request

    from vs_helpers import VENV_BIN

    port = free_port()
    proc = subprocess.Popen([str(VENV_BIN / "chroma"), "run", "--path", str(tmp_path / "srv"), "--host", "127.0.0.1",
                             "--port", str(port)], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    url = f"http://127.0.0.1:{port}"
    try:
        for _ in range(300):
            try:
                urllib.request.urlopen(url + "/api/v2/heartbeat", timeout=1)
                break
            except OSError:
                time.sleep(0.1)
        store = ChunkStore.open(tmp_path / "store", fake, chroma_url=url)
        p = "res/S_RES_2518_en.xml"
        store.upsert_file(p, sha_of(sample[p]), sample[p])
    finally:
        proc.kill()
        proc.wait()
    for call in (store.count, lambda: store.dense_search("x", 3), lambda: store.upsert_file(p, "new", sample[p][:1])):
        with pytest.raises(StoreUnavailable, match=url):
            call()


def test_chroma_never_embeds_for_us(open_store, sample):
    """Adds and queries without vectors fail instead of running Chroma's default (downloading) model:
    a collection with an embedding function attached would embed these texts itself."""
    store = open_store()
    fill(store, sample)
    assert store.dense_search("安理会", k=3)  # our own vectors: fine
    col = store._col
    with pytest.raises(ValueError, match="embedding function"):
        col.query(query_texts=["peacekeepers"], n_results=1)
    with pytest.raises(ValueError, match="embedding function"):
        col.add(ids=["x"], documents=["a text Chroma would have to embed"])
    store.refresh()  # a re-opened collection is no different
    with pytest.raises(ValueError, match="embedding function"):
        store._col.query(query_texts=["peacekeepers"], n_results=1)


def test_an_index_created_by_the_previous_langchain_chroma_code_opens_and_answers(tmp_path, sample, fake):
    """Indexes on disk were created through langchain_chroma: same name, configuration, metadata and ids.

    langchain_chroma 1.1 called `get_or_create_collection(name, embedding_function=None,
    metadata=..., configuration={"hnsw": {"space": "cosine"}})` and wrote our records with
    `upsert`; such a collection must open, search and take incremental writes unchanged.
    """
    import chromadb

    from vectorstore.documents import chunk_metadata
    from vectorstore.store import _new_generation

    from chromadb.config import Settings

    # the settings ChunkStore opens with (chromadb refuses two clients of one path with different ones)
    client = chromadb.PersistentClient(path=str(tmp_path / "store" / "chroma"),
                                       settings=Settings(anonymized_telemetry=False, allow_reset=False))
    col = client.get_or_create_collection("unsc", embedding_function=None, configuration={"hnsw": {"space": "cosine"}},
                                          metadata={"embedder": fake.id, "dim": fake.dim, "generation": _new_generation()})
    for path, chunks in sample.items():
        col.upsert(ids=[c.id for c in chunks], embeddings=[fake_vector(embedding_text(c)) for c in chunks],
                   documents=[c.text for c in chunks],
                   metadatas=[chunk_metadata(c, path, sha_of(chunks), len(chunks)) for c in chunks])
    store = ChunkStore.open(tmp_path / "store", fake)
    assert {c.id: c for c in store.all_chunks()} == all_sample(sample)
    target = sample["rep/repertoire_2020_zh.docx"][1]
    assert store.dense_search(embedding_text(target), k=1)[0][0] == target.id
    path = "rep/repertoire_2020_zh.docx"
    r = store.upsert_file(path, sha_of(sample[path]), sample[path])
    assert (r.unchanged, r.new, r.embedded) == (3, 0, 0) and all(st.complete for st in store.file_state().values())


def test_replace_makes_a_file_take_its_document_over_from_the_file_that_held_it(open_store, sample, tmp_path, monkeypatch):
    from vectorstore.store import DocumentIndexedElsewhere

    monkeypatch.chdir(tmp_path)
    old_path, new_path = "rep/repertoire_2020_zh.docx", "rep/repertoire_2020_zh.pdf"
    (tmp_path / "rep").mkdir()
    (tmp_path / old_path).write_text("x")  # the file that holds the document is still there
    store = open_store()
    fill(store, sample)
    rendering = [c.model_copy(update={"text": c.text + "（PDF）", "source": c.source.model_copy(update={"path": new_path})})
                 for c in sample[old_path][:2]]  # other passages, and one paragraph fewer
    with pytest.raises(DocumentIndexedElsewhere, match="already stored for"):
        store.upsert_file(new_path, "pdf", rendering)
    assert set(store.file_state()) == set(sample)  # refused: nothing written
    r = store.upsert_file(new_path, "pdf", rendering, replace=True)
    assert r.replaced == [old_path] and (r.updated, r.removed) == (2, 1)
    state = store.file_state()
    assert old_path not in state and state[new_path].complete and state[new_path].stored == 2
    assert {c.id: c for c in store.all_chunks() if c.doc_id == "REP-2020"} == {c.id: c for c in rendering}
    assert store.count() == 8 - 1


def test_replace_never_removes_other_documents_with_the_file_it_replaces(open_store, sample, tmp_path, monkeypatch):
    """A file that holds more than the document (a year's export, say) is not replaced: it would lose the rest."""
    from vectorstore.store import ChunkIdConflict

    monkeypatch.chdir(tmp_path)
    (tmp_path / "export.json").write_text("x")
    card = sample["res/S_RES_2518_en.xml"][0]
    other = card.model_copy(update={"id": "S/RES/2519(2020)|en|document_card|0", "doc_id": "S/RES/2519(2020)"})
    store = open_store()
    store.upsert_file("export.json", "e", [card, other])
    with pytest.raises(ChunkIdConflict, match=r"cannot replace export.json, which also holds other documents \(S/RES/2519"):
        store.upsert_file("res/S_RES_2518_en.xml", "x", sample["res/S_RES_2518_en.xml"], replace=True)
    assert store.count() == 2 and store.file_state()["export.json"].complete


def test_handles_in_one_process_see_each_others_writes_and_survive_each_others_refresh(open_store, sample):
    """The UI's reader and a writer in the same process: a refresh by one never breaks the other."""
    a, b = open_store(), open_store()
    assert b.dense_search("安理会", k=10) == []
    p = "res/S_RES_2518_en.xml"
    a.upsert_file(p, sha_of(sample[p]), sample[p])
    assert len(b.dense_search("安理会", k=10)) == 3
    a.refresh()  # a new client (and, embedded, a new Chroma system) for a; b keeps its own
    q = "rep/repertoire_2020_zh.docx"
    b.upsert_file(q, sha_of(sample[q]), sample[q])
    assert len(b.dense_search("安理会", k=10)) == 6
    assert len(a.dense_search("安理会", k=10)) == 6 and a.count() == 6
