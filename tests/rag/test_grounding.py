"""Abstention grounded in what the question names (rag.grounding, used by rag.answer): a State,
mission or subject, document, year or period named by the question must be supported by the quoted
passage, its official twin or its document's record, in either language."""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))

from conftest_answers import CARD_2518_EN, CARD_2518_ZH, P, RES, passage, scored  # noqa: E402
from rag import grounding  # noqa: E402
from rag.answer import Answerer  # noqa: E402
from rag.question import analyse  # noqa: E402
from rag.structured import ChunkRecords  # noqa: E402


def _answerer() -> Answerer:
    a = Answerer()
    a.use_records(ChunkRecords([*RES.values(), CARD_2518_EN, CARD_2518_ZH]))
    return a


def test_a_state_no_passage_is_about_is_declined_and_named_in_the_decline():
    q = "What did resolution 2518 (2020) request peacekeeping operations in Myanmar to do with host governments?"
    ans = _answerer().answer(q, scored([RES[("en", 8)], RES[("en", 5)]]), analysed=analyse(q))
    assert ans.abstained and not ans.citations
    assert ans.answer.startswith("None of the records found is about Myanmar")
    assert all(s.role == "abstention" for s in ans.sentences)


def test_a_year_the_passage_is_not_from_is_declined():
    q = "What did the Council request peacekeeping operations to do with host governments in 2023?"
    ans = _answerer().answer(q, scored([RES[("en", 8)], RES[("en", 5)]]), analysed=analyse(q))
    assert ans.abstained and "2023" in ans.answer.split("\n")[0]


def test_a_document_the_passage_does_not_belong_to_or_cite_is_declined():
    things = grounding.named_things(analyse("What does resolution 2538 (2020) request of host governments?"))
    assert [t.kind for t in things] == ["document"]
    assert grounding.missing(things, RES[("en", 8)], "")  # a 2518 paragraph is not about 2538


def test_named_things_supported_in_the_other_language_are_answered():
    # an English question about a Chinese passage: "peacekeeping" has its Chinese name in the record
    q = "第2518(2020)号决议请维和行动与东道国政府做什么？"
    ans = _answerer().answer(q, scored([RES[("en", 8)]]), analysed=analyse(q))
    assert not ans.abstained
    assert ans.citations[0].lang == "zh"  # the official Chinese version, quoted and cited


def test_a_state_found_in_the_documents_record_supports_the_passage():
    q = analyse("What did the Council ask of peacekeepers in Algeria?")
    things = [t for t in grounding.named_things(q) if t.kind == "state"]
    assert things and things[0].label("zh") == "阿尔及利亚"
    # not in the paragraph, but in the sponsor list of the resolution's card (its record)
    assert grounding.missing(things, RES[("en", 8)], "") == things
    assert grounding.missing(things, RES[("en", 8)], CARD_2518_EN.text) == []
    assert grounding.missing(things, P[1], CARD_2518_ZH.text) == []


def test_decline_text_in_the_question_language():
    q = analyse("安理会2020年就伊朗核问题通过了哪些决议？")
    iran = [t for t in grounding.named_things(q) if t.kind in ("state", "period")]
    text = grounding.decline_text(iran, "zh")
    assert text.startswith("找到的记录中没有关于2020年") and "伊朗" in text


def test_a_period_is_when_the_council_acted_for_a_dated_record():
    q = analyse("In May 2021, until what date did the Council extend the mandate?")
    period = [t for t in grounding.named_things(q) if t.kind == "period"]
    adopted_2020 = RES[("en", 8)].model_copy(update={"text": "Decides to extend the mandate until 27 May 2021;"})
    assert grounding.missing(period, adopted_2020, "") == period  # names 2021, but was adopted in 2020
    undated = P[1].model_copy(update={"date": None})
    q2020 = [t for t in grounding.named_things(analyse("What did the Council do on peacekeeping in 2020?")) if t.kind == "period"]
    assert grounding.missing(q2020, undated, "") == []  # an undated Repertoire 2020 paragraph


def test_a_passage_citing_a_resolution_of_the_period_is_about_that_period():
    q2024 = [t for t in grounding.named_things(analyse("In March 2024, until when was the mandate extended?")) if t.kind == "period"]
    recalling = RES[("en", 8)].model_copy(update={"date": "2025-03-14", "symbols": ["S/RES/2727(2024)", "S/RES/2518(2020)"]})
    assert grounding.missing(q2024, recalling, "") == []


def test_a_decline_for_a_missing_period_still_names_the_subject():
    q = analyse("In October 2024, when did the Council ask for a strategic review of the mission in Libya?")
    things = grounding.named_things(q)
    period = [t for t in things if t.kind == "period"]
    assert grounding.decline_text(period, "en", things) == "None of the records found is about Libya in 2024."


def test_a_lower_ranked_passage_about_the_named_year_is_preferred_to_the_top_one():
    later = RES[("en", 8)].model_copy(update={"id": "S/RES/2600(2021)|en|resolution_paragraph|op8", "doc_id": "S/RES/2600(2021)",
                                              "symbols": ["S/RES/2600(2021)"], "date": "2021-05-01"})
    q = "In 2021, which engagements and communications with host governments were peacekeeping operations requested to enhance?"
    ans = _answerer().answer(q, scored([RES[("en", 8)], RES[("en", 5)], later]), analysed=analyse(q))
    assert not ans.abstained
    assert ans.citations[0].doc_id == "S/RES/2600(2021)"


def test_a_state_named_in_several_passages_of_the_document_grounds_its_other_passages():
    def par(pid: str, text: str):
        return passage("S/2023/507", pid, text, doc_kind="draft_not_adopted", date="2023-07-11")

    quoted = par("op2", "Decides to extend the decisions for six months, only for the border crossing at Bab al-Hawa.")
    others = ["Reaffirming its strong commitment to the sovereignty of the Syrian Arab Republic,",
              "Expressing grave alarm at the humanitarian situation in Syria,"]
    syria = [t for t in grounding.named_things(analyse("Which crossing did Russia's July 2023 draft on Syria keep open?"))
             if t.kind == "state" and "Syria" in t.label_en]
    assert syria
    assert grounding.missing(syria, quoted, "") == syria
    assert grounding.missing(syria, quoted, "", document=[quoted.text, *others]) == []
    # one passage naming the State in passing does not make the document about it
    assert grounding.missing(syria, quoted, "", document=[quoted.text, others[0]]) == syria


def test_a_paragraph_and_its_official_twin_are_one_mention_of_a_state_not_two():
    def par(lang: str, pid: str, text: str):
        return passage("S/2023/507", pid, text, lang=lang, doc_kind="draft_not_adopted", date="2023-07-11")

    quoted = par("en", "op2", "Decides to extend the decisions for six months, only for the border crossing at Bab al-Hawa.")
    once = [quoted, par("en", "pre1", "Reaffirming its commitment to the sovereignty of the Syrian Arab Republic,"),
            par("zh", "pre1", "重申致力于维护阿拉伯叙利亚共和国的主权，")]
    things = [t for t in grounding.named_things(analyse("Which crossing did the July 2023 draft on Syria keep open?"))
              if t.kind == "state"]
    a = Answerer()
    a.use_records(ChunkRecords(once))
    assert a._gaps(things, quoted) == things
    a.use_records(ChunkRecords([*once, par("en", "pre2", "Expressing alarm at the humanitarian situation in Syria,")]))
    assert a._gaps(things, quoted) == []


def test_a_record_is_placed_by_its_own_date_to_the_month_not_by_its_own_symbol_year():
    # "2025年12月 …": the June 2025 renewal carries its own symbol "S/RES/2782(2025)"; that is not a
    # resolution of the period it cites, and the record's date (June) is outside it
    q = [t for t in grounding.named_things(analyse("In December 2025, for how long was the mandate of UNDOF extended?"))
         if t.kind == "period"]
    june = RES[("en", 8)].model_copy(update={"doc_id": "S/RES/2782(2025)", "date": "2025-06-30",
                                             "symbols": ["S/RES/2782(2025)"]})
    assert grounding.missing(q, june, "") == q
    december = june.model_copy(update={"doc_id": "S/RES/2811(2025)", "date": "2025-12-29", "symbols": ["S/RES/2811(2025)"]})
    assert grounding.missing(q, december, "") == []


def test_a_longer_word_that_is_another_word_does_not_support_what_the_question_names():
    from rag.question import analyse as analyse_with

    q = analyse_with("安理会2025年12月关于青年问题的决议要求什么？", vocabulary=[["YOUTH", "青年"]])
    things = grounding.named_things(q, lambda w: ("青年党",) if w == "青年" else ())
    topic = [t for t in things if t.kind == "topic"]
    assert topic and topic[0].shadows == ("青年党",)
    shabaab = passage("S/RES/2806(2025)", "op33", "请专家小组在其报告中纳入有关青年党使用木炭作为收入来源的最新具体情况；", lang="zh")
    youth = passage("S/RES/2807(2025)", "op7", "请秘书长在其关于青年与和平与安全的两年期报告中报告本决议的执行情况；", lang="zh")
    assert grounding.missing(topic, shabaab, "") == topic
    assert grounding.missing(topic, youth, "") == []
    # without the lexicon's shadows the word inside "青年党" counts
    assert grounding.missing([t for t in grounding.named_things(q) if t.kind == "topic"], shabaab, "") == []


def test_a_passage_of_the_period_comes_before_a_later_one_recalling_it():
    later = passage("S/RES/2776(2025)", "op7", "Urges Member States to share data on weapons and ammunition captured from "
                    "Al-Shabaab with the Committee established by resolution 2713 (2023);", date="2025-03-14",
                    cites=["S/RES/2713(2023)"])
    own = passage("S/RES/2713(2023)", "op6", "Affirms that the Federal Government shall record and register all weapons and "
                  "ammunition captured from Al-Shabaab, including the type and serial number;", date="2023-12-01")
    answerer = Answerer(abstain_threshold=0.0, min_coverage=0.0)
    answerer.use_records(ChunkRecords([later, own]))
    q = analyse("In December 2023, how did the Council want weapons and ammunition captured from Al-Shabaab recorded?")
    sel, passages, _ = answerer.selection(q.text, scored([later, own]), "en", q)
    assert [r.chunk.id for r in passages] == [own.id, later.id]
    assert sel.chosen[0].chunk.id == own.id


def test_a_question_about_a_presidential_statement_is_not_answered_by_a_resolution():
    q = "What did the presidential statement on host governments in 2020 say?"
    things = grounding.named_things(analyse(q))
    kind = [t for t in things if t.kind == "record_kind"]
    assert kind and grounding.missing(kind, RES[("en", 8)], "") == kind
    statement = RES[("en", 8)].model_copy(update={"doc_kind": "presidential_statement", "doc_id": "S/PRST/2020/5"})
    assert grounding.missing(kind, statement, "") == []
    ans = _answerer().answer(q, scored([RES[("en", 8)], RES[("en", 5)]]), analysed=analyse(q))
    assert ans.abstained and ans.answer.startswith("None of the records found is a presidential statement")
    assert grounding.decline_text(kind, "zh", things).endswith("主席声明。")
    # a question naming the statement, or asking what recalls one, names no kind to look for
    assert not [t for t in grounding.named_things(analyse("What did S/PRST/2020/5 say about host governments?"))
                if t.kind == "record_kind"]
    assert not [t for t in grounding.named_things(analyse("Which resolution recalled the presidential statement on "
                                                          "host governments?")) if t.kind == "record_kind"]
