import random
import time

import numpy as np
import pytest

import rag.lexical as lexical
from ingest.chunk import Chunk, Source
from rag.lexical import LexicalIndex, chunk_key
from rag.tokenize import dates_in, stem, tokens

# ------------------------------------------------------------------ tokens


def test_cjk_words_plus_bigrams_without_stopwords():
    t = tokens("马里稳定团的军事部分采取了哪些防疫措施？")
    assert "防疫" in t and "措施" in t  # jieba words
    assert "稳定" in t and "定团" in t  # bigrams survive segmentation differences
    assert not {"的", "了", "哪些", "团的", "了哪"} & set(t)


def test_latin_tokens_digits_compounds_symbols():
    t = tokens("Resolution 2518 (2020) was adopted 15-0-0; see S/2020/514 and the S/RES/2518 (2020) text.")
    assert "s/res/2518(2020)" in t and "s/2020/514" in t
    assert "2518" in t and "2020" in t
    assert "15-0-0" in t and "15" in t
    assert "adopt" in t and "resolut" in t
    assert "the" not in t and "was" not in t


def test_zh_symbol_spelling_matches_en():
    assert "s/res/2518(2020)" in tokens("第 2518(2020)号决议，第 4 段。")
    assert "s/res/2518(2020)" in tokens("resolution 2518 (2020)")


def test_stem_is_consistent():
    assert stem("adopted") == stem("adopts") == stem("adopting") == stem("adoption") == "adopt"
    assert stem("operations") == stem("operation")
    assert stem("countries") == "country"
    assert stem("2020") == "2020" and stem("un") == "un"


def test_a_noun_in_ment_meets_its_verb_but_short_stems_stay_whole():
    assert stem("displacement") == stem("displaced") == stem("displace")
    assert stem("deployment") == stem("deployed") == stem("deploy")
    assert stem("establishment") == stem("established")
    # a stem under six letters would merge unrelated words ("statement" with "States")
    assert stem("statement") != stem("States") and stem("statement") == stem("statements")
    assert stem("document") == "document" and stem("movement") == "movement"


def test_british_ise_spellings_meet_the_ize_ones_and_words_in_ise_stay_whole():
    assert stem("authorise") == stem("authorizes") == stem("authorised") == stem("authorizing")
    assert stem("organisations") == stem("organization") and stem("stabilisation") == stem("stabilization")
    assert "authoriz" in tokens("Decides to authorise Member States") and "authoriz" in tokens("What did it authorize?")
    # "-ise" that is no spelling of "-ize": the word itself, a vowel before it, a plural in -es
    for word in ("exercise", "expertise", "otherwise", "premises", "advised", "revised", "compromise", "crises",
                 "raise", "arising", "precise", "enterprise", "supervise", "likewise", "comprising"):
        assert "iz" not in stem(word), word


def test_dates_cross_language():
    assert dates_in("3 月 30 日") == dates_in("30 March") == dates_in("March 30th") == dates_in("2020-03-30") == [(3, 30)]
    assert "date:07-07" in tokens("7 月 7 日，在德国的倡议下") and "date:07-07" in tokens("On 7 July, at the initiative of Germany")


def test_question_words_are_stopwords():
    assert tokens("what which who when how why did does 什么 哪些 谁 何时 如何 为什么") == []


# ------------------------------------------------------------------ index


@pytest.fixture(scope="module")
def index(chunks):
    return LexicalIndex.build(chunks)


def _top(index, q, k=3, allowed=None):
    return [cid for cid, _ in index.search(q, k, allowed)]


def test_search_finds_paragraphs(index):
    assert _top(index, "马里稳定团的军事部分采取了哪些防疫措施？")[0].endswith("zh|paragraph|6")
    assert _top(index, "南苏丹特派团的人权工作方法分为几个分支？")[0].endswith("zh|paragraph|11")
    assert _top(index, "host governments engagement")[0] == "S/RES/2518(2020)|en|resolution_paragraph|op8"


def test_footnote_text_is_evidence_of_its_paragraph(index):
    # "斯里兰卡" appears only in footnote 650 of paragraph 12.
    assert _top(index, "斯里兰卡", 1)[0].endswith("zh|paragraph|12")


def test_scores_sorted_positive_and_query_tokens_accepted(index):
    hits = index.search(["防疫", "措施"], k=5)
    assert hits and all(s > 0 for _, s in hits)
    assert [s for _, s in hits] == sorted((s for _, s in hits), reverse=True)
    assert index.search("zzzz qqqq", k=5) == []
    assert index.search("", k=5) == []


def test_allowed_mask(index, chunks):
    allowed = np.array([c.lang == "en" for c in chunks])
    hits = _top(index, "第2518(2020)号决议 resolution 2518 (2020)", k=10, allowed=allowed)
    assert hits and all("|en|" in h for h in hits)


def test_rows_with_term(index, chunks):
    rows = index.rows_with_term("date:07-07")
    assert {chunks[r].id for r in rows} >= {"Repertoire/2020/Part1/23|zh|paragraph|8", "Repertoire/2020/Part1/23|en|paragraph|8"}
    assert len(index.rows_with_term("no-such-term")) == 0


def test_empty_index():
    idx = LexicalIndex.build([])
    assert len(idx) == 0 and idx.search("安理会", 5) == []


# ------------------------------------------------------------------ cache


def test_cache_reuses_tokens(tmp_path, chunks, monkeypatch):
    first = LexicalIndex.build(chunks, cache_dir=tmp_path)
    expected = first.search("中非稳定团警务专员认为应当为联合国警察提供什么？", 5)

    calls = []
    real = lexical.chunk_tokens

    def counting(c):
        calls.append(c.id)
        return real(c)

    monkeypatch.setattr(lexical, "chunk_tokens", counting)
    # Same chunks: straight from the snapshot.
    again = LexicalIndex.build(chunks, cache_dir=tmp_path)
    assert calls == [] and again.search("中非稳定团警务专员认为应当为联合国警察提供什么？", 5) == expected
    # Reordered chunks plus one new one: only the new one is tokenised, results unchanged.
    extra = chunks[0].model_copy(update={"id": "X|zh|paragraph|1", "text": "全新的段落：维和人员的心理健康。"})
    mixed = [extra] + list(reversed(chunks))
    idx = LexicalIndex.build(mixed, cache_dir=tmp_path)
    assert calls == ["X|zh|paragraph|1"]
    assert idx.search("中非稳定团警务专员认为应当为联合国警察提供什么？", 5)[0][0] == expected[0][0]
    assert idx.search("心理健康", 1)[0][0] == "X|zh|paragraph|1"
    # Snapshot gone: the sqlite token cache still avoids tokenising.
    (tmp_path / lexical.SNAPSHOT).unlink()
    calls.clear()
    LexicalIndex.build(mixed, cache_dir=tmp_path)
    assert calls == []


def test_changed_text_changes_key(chunks):
    c = chunks[1]
    assert chunk_key(c) != chunk_key(c.model_copy(update={"text": c.text + "。"}))
    assert chunk_key(c) == chunk_key(c.model_copy(update={"id": "other"}))


# ------------------------------------------------------------------ scale


def _synthetic(n: int, chunks) -> list[Chunk]:
    rng = random.Random(7)
    words = sorted({w for c in chunks for w in tokens(c.text) if not w.startswith(("date:", "s/"))})
    out = []
    for i in range(n):
        lang = "zh" if i % 2 else "en"
        text = "".join(rng.choices(words, k=25)) if lang == "zh" else " ".join(rng.choices(words, k=25))
        out.append(Chunk(id=f"SYN/{i}|{lang}|paragraph|{i}", doc_id=f"SYN/{i}", kind="paragraph", lang=lang,
                         text=f"{text} 文件{i}", source=Source(path="synthetic")))
    return out


@pytest.mark.slow
def test_lexical_index_at_17k_chunks(tmp_path, chunks):
    big = _synthetic(17_000, chunks) + list(chunks)
    t0 = time.perf_counter()
    LexicalIndex.build(big, cache_dir=tmp_path)  # cold: tokenises and writes the caches
    t1 = time.perf_counter()
    idx2 = LexicalIndex.build(big, cache_dir=tmp_path)
    t2 = time.perf_counter()
    (tmp_path / lexical.SNAPSHOT).unlink()
    LexicalIndex.build(big, cache_dir=tmp_path)
    t3 = time.perf_counter()
    allowed = np.array([c.lang == "zh" for c in big])
    q = tokens("中非稳定团警务专员认为应当为联合国警察提供什么？")
    idx2.search(q, 50)
    t4 = time.perf_counter()
    for _ in range(20):
        hits = idx2.search(q, 50, allowed)
    t5 = time.perf_counter()
    print(f"\n17k lexical: cold build {t1 - t0:.2f}s, snapshot {t2 - t1:.3f}s, sqlite tokens {t3 - t2:.2f}s, "
          f"query {(t5 - t4) / 20 * 1000:.2f}ms, vocab {len(idx2.vocab)}")
    assert len(idx2) == len(big)
    assert len(hits) == 50 and all(big[idx2.row_of[c]].lang == "zh" for c, _ in hits)
    assert idx2.search("文件16999", 1)[0][0] == "SYN/16999|zh|paragraph|16999"


def test_document_frequency_counts_the_passages_holding_a_term(index):
    from rag.tokenize import tokens

    term = tokens("维和")[0]
    holding = sum(1 for c in index.chunks if term in tokens(c.text + " " + (c.title or "")))
    assert index.document_frequency(term) >= holding > 0
    assert index.document_frequency("no-such-term-anywhere") == 0
