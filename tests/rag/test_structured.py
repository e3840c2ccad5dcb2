"""Structured answers on real files: paragraph, footnote, document facts, counts, lists, conflict rows
and missing documents, in both languages.

The records are parsed (no embedder needed): the bundled sample (resolutions 2518 and 2538 (2020)
in both languages with their data_extract rows, and the Chinese Repertoire section carrying
footnotes 640–670) and, when the shared corpus is mounted, the 2026 resolutions with the rows of
2026.json (including the row whose member lists contradict its tally).
"""

from __future__ import annotations

from pathlib import Path

import pytest

from ingest.parse import parse_paths
from rag.question import analyse
from rag.structured import ChunkRecords, answer
from rag.types import ScoredChunk

ROOT = Path(__file__).resolve().parents[2]
SAMPLE = ROOT / "data" / "sample"
CORPUS_2026 = Path("/work/shared/corpus/resolutions/2026")


@pytest.fixture(scope="module")
def sample():
    report = parse_paths([SAMPLE])
    assert not report.errors
    return ChunkRecords(report.chunks)


@pytest.fixture(scope="module")
def year_2026():
    if not CORPUS_2026.is_dir():
        pytest.skip("shared corpus not mounted")
    return ChunkRecords(parse_paths([CORPUS_2026]).chunks)


def ask(records, question, history=()):
    q = analyse(question, history=history, vocabulary=records.facts().topic_vocabulary())
    return answer(q, records)


# --------------------------------------------------------------------------- paragraphs


def test_chinese_paragraph_reference_quotes_that_operative_paragraph_in_both_languages(sample):
    res = ask(sample, "第2538(2020)号决议第6段的内容是什么？")
    assert res.kind == "paragraph" and not res.abstained
    ids = [c.chunk.id for c in res.cited]
    assert ids == ["S/RES/2538(2020)|zh|resolution_paragraph|op6", "S/RES/2538(2020)|en|resolution_paragraph|op6"]
    assert res.text.startswith("第2538(2020)号决议执行部分第6段：“促请会员国和联合国秘书处确保维和行动中的妇女")


def test_english_operative_and_preambular_references(sample):
    res = ask(sample, "What does operative paragraph 6 of resolution 2518 (2020) say?")
    assert res.cited[0].chunk.id == "S/RES/2518(2020)|en|resolution_paragraph|op6"
    assert res.text.startswith("Resolution 2518 (2020), operative paragraph 6: “Calls upon Member States")
    res = ask(sample, "What does preambular paragraph 3 of S/RES/2518(2020) say?")
    assert res.cited[0].chunk.id == "S/RES/2518(2020)|en|resolution_paragraph|pre3"


def test_a_paragraph_the_document_does_not_have_is_said_to_be_missing(sample):
    res = ask(sample, "What does operative paragraph 60 of resolution 2518 (2020) say?")
    assert res.abstained and "operative paragraph 60" in res.text and not res.cited


def test_follow_up_paragraph_reference_uses_the_previous_document(sample):
    res = ask(sample, "执行部分第3段呢？", history=[("第2538(2020)号决议第6段的内容是什么？", "…")])
    assert res is not None and res.cited[0].chunk.id == "S/RES/2538(2020)|zh|resolution_paragraph|op3"


# --------------------------------------------------------------------------- footnotes


def test_chinese_footnote_reference_gives_the_note_its_paragraph_and_the_document_it_cites(sample):
    res = ask(sample, "脚注646指的是哪份文件？")
    assert res.kind == "footnote"
    assert res.cited[0].chunk.id.endswith("|zh|paragraph|4")
    assert "S/2020/514" in res.text and "https://undocs.org/ch/S/2020/514" in res.cited[0].chunk.links


def test_english_footnote_reference_is_answered_from_the_chinese_record_and_says_so(sample):
    res = ask(sample, "What does footnote 650 refer to?")
    assert res.kind == "footnote" and "(Chinese record)" in res.text
    assert "俄罗斯联邦、南非和斯里兰卡" in res.text


def test_a_footnote_not_in_the_records_is_declined(sample):
    res = ask(sample, "What does footnote 9999 refer to?")
    assert res.abstained and "not in the records" in res.text


# --------------------------------------------------------------------------- document facts


def test_vote_and_sponsors_in_one_question_give_both_and_summarise_97_sponsors(sample):
    res = ask(sample, "What was the vote on resolution 2538 (2020), and which countries sponsored it?")
    assert res.kind == "fact"
    assert "15-0-0" in res.text and "97 sponsors, including" in res.text and "full list is in the source" in res.text
    assert res.cited[0].chunk.id == "S/RES/2538(2020)|en|document_card|card"
    assert "https://undocs.org/en/S/RES/2538(2020)" in res.cited[0].chunk.links


def test_all_sponsors_are_listed_when_asked(sample):
    res = ask(sample, "List all the sponsors of resolution 2538 (2020).")
    assert "Sponsors (97):" in res.text and "Viet Nam" in res.text


def test_chinese_date_question_is_answered_from_the_card_in_chinese(sample):
    res = ask(sample, "第2518(2020)号决议是哪一天通过的？")
    assert "2020年3月30日" in res.text and "书面程序" in res.text
    assert res.cited[0].chunk.id == "S/RES/2518(2020)|zh|document_card|card"


def test_follow_up_with_a_pronoun_asks_about_the_previous_resolution(sample):
    res = ask(sample, "Who sponsored it?", history=[("When was resolution 2518 (2020) adopted?", "30 March 2020")])
    assert res.cited[0].chunk.doc_id == "S/RES/2518(2020)" and "44 sponsors" in res.text


def test_abstentions_are_named_in_the_questions_language(year_2026):
    res = ask(year_2026, "第2813(2026)号决议谁投了弃权票？")
    assert "中国" in res.text and "俄罗斯联邦" in res.text and "13票赞成" in res.text
    res = ask(year_2026, "Who abstained on resolution 2813 (2026)?")
    assert "Abstaining: China and Russian Federation." in res.text


def test_conflicting_row_gives_the_consistent_tally_and_no_contradicted_names(year_2026):
    # 2812 (2026): "Adopted 13-0-2" but all 15 members listed in favour.
    for question in ("Who abstained on resolution 2812 (2026)?", "第2812(2026)号决议谁投了弃权票？"):
        res = ask(year_2026, question)
        assert "13-0-2" in res.text
        assert "China" not in res.text and "中国" not in res.text  # the lists contradict the tally: no names
    res = ask(year_2026, "What was the vote on resolution 2812 (2026)?")
    assert "disagree" in res.text and "15-0-0" in res.text  # the conflict is shown, labelled as such


# --------------------------------------------------------------------------- counts and lists


def test_count_of_resolutions_in_a_year_lists_them_with_cards_and_says_what_it_covers(year_2026):
    res = ask(year_2026, "How many resolutions did the Council adopt in 2026?")
    assert res.kind == "count" and "14 resolutions" in res.text and "records I hold" in res.text
    assert len(res.cited) == 10 and "and 4 more" in res.text
    assert all(c.chunk.kind == "document_card" for c in res.cited)
    res = ask(year_2026, "2026年安理会一共通过了多少项决议？")
    assert "共有14项" in res.text and "另有4项" in res.text


def test_list_filtered_by_a_members_abstentions(year_2026):
    res = ask(year_2026, "On how many resolutions did China abstain in 2026?")
    assert not res.abstained
    for c in res.cited:
        assert "China" in c.chunk.vote.abstaining
    zh = ask(year_2026, "2026年中国在哪些决议上投了弃权票？")
    assert [c.chunk.doc_id for c in zh.cited] == [c.chunk.doc_id for c in res.cited]


def test_list_on_a_mission_by_acronym_and_a_state(year_2026):
    res = ask(year_2026, "Which resolutions on UNMISS did the Council adopt in 2026?")
    assert [c.chunk.doc_id for c in res.cited]
    assert all("South Sudan" in (c.chunk.vote.title or "") + (c.chunk.vote.agenda_item or "") for c in res.cited)
    res = ask(year_2026, "Which resolutions on Afghanistan did the Council adopt in 2026?")
    # the Taliban sanctions (subject "AFGHANISTAN SITUATION") and the two UNAMA renewals
    assert [c.chunk.doc_id for c in res.cited] == ["S/RES/2816(2026)", "S/RES/2818(2026)", "S/RES/2822(2026)"]
    zh = ask(year_2026, "2026年安理会就阿富汗通过了哪些决议？")
    assert [c.chunk.doc_id for c in zh.cited] == [c.chunk.doc_id for c in res.cited]


def test_a_period_outside_the_records_is_declined_with_their_coverage(year_2026):
    res = ask(year_2026, "How many resolutions did the Council adopt in 2027?")
    assert res.abstained and "do not cover" in res.text and "2026" in res.text


def test_a_count_on_a_subject_the_records_do_not_name_is_left_to_retrieval(year_2026):
    assert ask(year_2026, "How many resolutions on quantum cryptography did the Council adopt in 2026?") is None


# --------------------------------------------------------------------------- missing documents


def test_a_resolution_not_in_the_store_is_answered_as_missing_with_the_coverage(sample):
    res = ask(sample, "When was resolution 2850 adopted?")
    assert res.abstained and res.kind == "missing"
    assert res.text.startswith("Resolution 2850 is not in the records I have")
    assert "resolution 2518 (2020) to resolution 2538 (2020)" in res.text
    zh = ask(sample, "第2850(2026)号决议是哪一天通过的？")
    assert zh.abstained and zh.text.startswith("第2850(2026)号决议不在我掌握的记录中")


def test_content_question_about_a_held_document_goes_to_retrieval(sample):
    assert ask(sample, "第2538(2020)号决议促请会员国做什么？") is None


def test_a_document_not_held_but_cited_by_held_passages_goes_to_retrieval(sample):
    # The sample holds no text of resolution 2378 (2017), but 2518 and 2538 recall it.
    assert sample.cites("S/RES/2378(2017)")
    assert ask(sample, "What did resolution 2378 (2017) request?") is None


def test_unanimous_and_vote_count_filters(year_2026):
    res = ask(year_2026, "How many resolutions were adopted unanimously in 2026?")
    assert res.cited and all(c.chunk.vote.adoption_type and "unanim" in c.chunk.vote.adoption_type.lower() for c in res.cited)
    res = ask(year_2026, "Which 2026 resolution was adopted with only nine votes in favour?")
    assert [c.chunk.doc_id for c in res.cited] == ["S/RES/2821(2026)"]


def test_chapter_vii_of_a_named_resolution(year_2026):
    res = ask(year_2026, "第2821(2026)号决议是否根据《宪章》第七章通过？")
    assert "第七章" in res.text and "未标明" not in res.text


def test_vetoes_per_member_from_veto_records():
    # Veto cards (another ingester's record kind) carry `vetoed_by`; the table counts them per member.
    from ingest.chunk import Chunk, Source, VoteRecord

    def veto(symbol, date, members):
        vote = VoteRecord(adoption_date=date, vetoed_by=members, outcome="vetoed", adoption_type="Not adopted")
        return Chunk(id=f"{symbol}|en|document_card|card", doc_id=symbol, kind="document_card", doc_kind="veto", lang="en",
                     text=f"Draft {symbol} was not adopted.", source=Source(path="vetoes.csv"), vote=vote, date=date)

    records = ChunkRecords([veto("S/2024/835", "2024-11-20", ["United States"]),
                            veto("S/2022/720", "2022-09-30", ["Russian Federation"]),
                            veto("S/2020/667", "2020-07-07", ["China", "Russian Federation"])])
    res = ask(records, "How many times has each permanent member used the veto since 2020?")
    assert "3 " in res.text and "Russian Federation 2" in res.text and "United States 1" in res.text
    res = ask(records, "俄罗斯自2020年以来否决了多少次决议草案？")
    assert [c.chunk.doc_id for c in res.cited] == ["S/2020/667", "S/2022/720"]
    res = ask(records, "Who vetoed S/2024/835?")
    assert "vetoed by the United States" in res.text


def test_a_fact_about_a_document_only_cited_is_answered_as_missing(sample):
    res = ask(sample, "When was resolution 2378 (2017) adopted?")
    assert res.abstained and res.text.startswith("Resolution 2378 (2017) is not in the records I have")


def test_vote_conditions_filter_counts_and_an_unread_condition_is_not_ignored(year_2026):
    res = ask(year_2026, "Which resolutions received more than one abstention in 2026?")
    assert res.cited and all((c.chunk.vote.abstaining_count or 0) > 1 for c in res.cited)
    zh = ask(year_2026, "2026年哪些决议获得了超过1票弃权？")
    assert [c.chunk.doc_id for c in zh.cited] == [c.chunk.doc_id for c in res.cited]
    assert ask(year_2026, "Which resolutions in 2026 had the closest votes in favour?") is None


def test_which_member_vetoed_a_states_draft():
    from ingest.chunk import Chunk, Source, VoteRecord

    def veto(symbol, date, members, sponsors):
        vote = VoteRecord(adoption_date=date, vetoed_by=members, sponsors=sponsors, in_favour_count=12, against_count=1,
                          abstaining_count=2, adoption_type="Not adopted 12-1-2")
        return Chunk(id=f"{symbol}|en|document_card|card", doc_id=symbol, kind="document_card", doc_kind="veto", lang="en",
                     text="…", source=Source(path="v"), vote=vote, date=date)

    records = ChunkRecords([veto("S/2023/773", "2023-10-18", ["United States"], ["Brazil"]),
                            veto("S/2023/772", "2023-10-16", ["United Kingdom", "United States"], ["Russian Federation"])])
    res = ask(records, "Which permanent member vetoed Brazil's October 2023 draft resolution?")
    assert [c.chunk.doc_id for c in res.cited] == ["S/2023/773"]
    assert ask(records, "Who vetoed S/2023/773?").text == "Draft resolution S/2023/773 was vetoed by the United States. [1]"
    # one draft described: its facts, as if named, with the vote asked for
    res = ask(records, "Which permanent member vetoed Brazil's October 2023 draft resolution, and what was the vote?")
    assert "negative vote of the United States" in res.text and "12-1-2" in res.text and not res.abstained
    zh = ask(records, "巴西2023年10月提出的决议草案被哪个常任理事国否决？表决结果如何？")
    assert "美国" in zh.text and [c.chunk.doc_id for c in zh.cited] == ["S/2023/773"]
    # "the Russian Federation draft": asked which member vetoed, a named permanent member is the sponsor
    res = ask(records, "Which permanent members vetoed the Russian Federation draft resolution in October 2023?")
    assert [c.chunk.doc_id for c in res.cited] == ["S/2023/772"]
    assert "United Kingdom" in res.text and "United States" in res.text
    # naming the vetoing member in a list question still filters by it
    res = ask(records, "Which draft resolutions did the United Kingdom veto in 2023?")
    assert [c.chunk.doc_id for c in res.cited] == ["S/2023/772"]
    # "which draft did the United States veto" asks for the draft: the member named is the vetoer
    res = ask(records, "Which draft resolution did the United Kingdom veto in October 2023?")
    assert [c.chunk.doc_id for c in res.cited] == ["S/2023/772"] and not res.abstained
    zh = ask(records, "2023年10月英国否决了哪份决议草案？")
    assert [c.chunk.doc_id for c in zh.cited] == ["S/2023/772"] and not zh.abstained


def test_a_veto_asked_of_a_draft_that_failed_for_lack_of_votes_is_corrected_and_flagged():
    from ingest.chunk import Chunk, Source, VoteRecord

    vote = VoteRecord(adoption_date="2024-05-20", sponsors=["Russian Federation", "China"], in_favour_count=7, against_count=7,
                      abstaining_count=1, against=["France", "United Kingdom", "United States"], adoption_type="Not adopted 7-7-1")
    draft = Chunk(id="S/2024/383|en|document_card|card", doc_id="S/2024/383", kind="document_card", doc_kind="draft_not_adopted",
                  lang="en", text="…", source=Source(path="d"), vote=vote, date="2024-05-20")
    records = ChunkRecords([draft])
    res = ask(records, "Which permanent member vetoed the Russian draft resolution of May 2024?")
    assert res.abstained and res.kind == "premise" and [c.chunk.doc_id for c in res.cited] == ["S/2024/383"]
    assert "not because of a veto" in res.text and "7-7-1" in res.text
    zh = ask(records, "2024年5月俄罗斯提出的决议草案是被哪个常任理事国否决的？")
    assert zh.abstained and "而不是因为否决" in zh.text and "7-7-1" in zh.text
    # the answer record says it is a correction, not a plain decline
    from rag.answer import Answerer

    assert Answerer().from_structured("q", res, [], "en").premise_corrected


def test_who_held_the_presidency_is_declined_with_what_the_record_does_hold(sample):
    res = ask(sample, "第2518(2020)号决议通过时，安理会轮值主席是哪个国家？")
    assert res.abstained and res.kind == "missing" and "没有说明当时由哪个成员担任安理会主席" in res.text
    assert [c.chunk.doc_id for c in res.cited] == ["S/RES/2518(2020)"] and "2020年3月30日" in res.text
    res = ask(sample, "Which country held the presidency when resolution 2538 (2020) was adopted?")
    assert res.abstained and "do not say which member held the Council's presidency" in res.text
    assert "28 August 2020" in res.text


def test_documents_of_other_series_not_held_are_missing(sample):
    res = ask(sample, "How many votes in favour did General Assembly resolution ES-10/23 receive?")
    assert res.abstained and res.text.startswith("A/RES/ES-10/23 is not in the records I have")
    res = ask(sample, "What did the Council say in its press statement SC/14430?")
    assert res.abstained and "SC/14430" in res.text


def test_a_count_over_a_period_the_records_only_partly_hold_says_so(year_2026):
    res = ask(year_2026, "How many resolutions did the Council adopt between 2025 and 2026?")
    assert "14 resolutions" in res.text and "The records begin on 14 January 2026; earlier documents are not counted." in res.text
    zh = ask(year_2026, "2025年至2026年安理会通过了多少项决议？")
    assert "此前的文件未计入" in zh.text


def test_a_chinese_answer_states_the_conflict_in_chinese(year_2026):
    res = ask(year_2026, "第2812(2026)号决议的表决结果如何？")
    assert "记录中的表决数据不一致" in res.text and "disagree" not in res.text


def test_what_a_delegation_said_at_the_meeting_is_declined_with_what_the_record_does_hold(sample):
    res = ask(sample, "How did the representative of China explain its vote on resolution 2518 (2020)?")
    assert res.abstained and res.kind == "missing"
    assert res.text.startswith("The records I hold do not contain what was said at the meeting")
    assert [c.chunk.doc_id for c in res.cited] == ["S/RES/2518(2020)"] and "[1]" in res.text
    zh = ask(sample, "中国代表如何解释对第2538(2020)号决议的投票？")
    assert zh.abstained and zh.text.startswith("我掌握的记录不包含会议上的发言")
    # the document's own words are still answered from it
    assert not ask(sample, "Which members abstained on resolution 2518 (2020)?").abstained


def test_a_speech_question_is_left_to_a_repertoire_account_only_when_it_names_the_delegation(sample):
    account = [c for c in parse_paths([SAMPLE]).chunks if c.kind == "paragraph" and "S/RES/2518(2020)" in c.symbols]
    assert account and not any("中国" in c.text or "China" in c.text for c in account[:1])
    ranked = [ScoredChunk(chunk=account[0], score=1.0, rank=1)]

    def ask_ranked(q):
        return answer(analyse(q, vocabulary=sample.facts().topic_vocabulary()), sample, ranked)

    # the account of the adoption does not name China: it cannot say what China's representative said
    declined = ask_ranked("How did the representative of China explain its vote on resolution 2518 (2020)?")
    assert declined is not None and declined.abstained and declined.kind == "missing"
    # naming no delegation, the account of the meeting is left to answer (never the vote facts)
    assert ask_ranked("How did the representatives explain their votes on resolution 2518 (2020)?") is None


def _failed_draft(symbol, date, sponsors, tally, vetoed_by=()):
    from ingest.chunk import Chunk, Source, VoteRecord

    f, a, ab = tally
    vote = VoteRecord(adoption_date=date, sponsors=list(sponsors), vetoed_by=list(vetoed_by), in_favour_count=f,
                      against_count=a, abstaining_count=ab, adoption_type="Not adopted")
    return Chunk(id=f"{symbol}|en|document_card|card", doc_id=symbol, kind="document_card", doc_kind="draft_not_adopted",
                 lang="en", text="…", source=Source(path="d"), vote=vote, date=date)


FAILED = [
    _failed_draft("S/2023/212", "2023-03-27", ["Russian Federation", "China"], (3, 0, 12)),
    _failed_draft("S/2023/506", "2023-07-11", ["Brazil", "Switzerland"], (13, 1, 1), ["Russian Federation"]),
    _failed_draft("S/2023/507", "2023-07-11", ["Russian Federation"], (2, 3, 10)),
    _failed_draft("S/2024/383", "2024-05-20", ["Russian Federation", "China"], (7, 7, 1)),
]


def test_drafts_that_failed_are_counted_from_their_own_records_by_period_and_sponsor():
    records = ChunkRecords(FAILED)
    res = ask(records, "How many draft resolutions failed in 2023?")
    assert not res.abstained and "3 draft resolutions were not adopted in 2023" in res.text
    assert "short of the required votes, 3-0-12" in res.text and "vetoed by Russian Federation, 13-1-1" in res.text
    alone = ask(records, "Which of the draft resolutions that failed in 2023 had been submitted by the Russian Federation alone?")
    assert [c.chunk.doc_id for c in alone.cited] == ["S/2023/507"] and "submitted by Russian Federation alone" in alone.text
    among = ask(records, "Which drafts submitted by the Russian Federation were not adopted in 2023?")
    assert [c.chunk.doc_id for c in among.cited] == ["S/2023/212", "S/2023/507"]
    zh = ask(records, "俄罗斯单独提出的哪些决议草案在2023年未获通过？")
    assert [c.chunk.doc_id for c in zh.cited] == ["S/2023/507"] and "由俄罗斯联邦单独提出的" in zh.text
    # never a count of adopted resolutions for a question about failed drafts, nor one over years not held
    early = ask(records, "How many draft resolutions failed in 2010?")
    assert early.abstained and "do not cover that period" in early.text
    # a draft's record names no subject: "drafts on Syria" is left to the passages, not counted as 0
    assert ask(records, "Which drafts on Syria failed in 2023?") is None


def test_not_adopted_unanimously_is_a_way_of_adopting_not_a_failed_draft():
    assert analyse("Which resolutions were not adopted unanimously in 2023?").doc_kind == "resolution"
    assert analyse("Which draft resolutions were not adopted in 2023?").doc_kind == "draft_not_adopted"
    assert analyse("2023年有哪些决议草案未获通过？").doc_kind == "draft_not_adopted"
    assert analyse("Which drafts did Russia veto in 2023?").doc_kind == "veto"


def test_a_failed_draft_question_on_records_without_failed_drafts_is_declined_not_counted(sample):
    res = ask(sample, "2024年共有多少份安理会决议草案未获通过？")
    assert res.abstained and res.kind == "missing" and "没有未获通过的决议草案" in res.text


def test_did_the_council_adopt_a_resolution_on_a_subject_is_answered_by_the_list(sample):
    assert "list" in analyse("Did the Council adopt any resolution on Myanmar in 2022?").asks
    assert "list" in analyse("安理会2022年是否通过了关于缅甸的决议？").asks
    assert "list" not in analyse("Did the Council adopt resolution 2669 unanimously?").asks
    res = ask(sample, "Did the Council adopt any resolution in August 2020?")
    assert not res.abstained and [c.chunk.doc_id for c in res.cited] == ["S/RES/2538(2020)"]
    assert res.text.startswith("In the records I hold")


def test_a_state_a_veto_question_names_is_a_sponsor_only_when_it_says_so_else_the_subject():
    from ingest.chunk import Chunk, Source, VoteRecord

    def veto(symbol, date, members, agenda=None, subjects=(), sponsors=()):
        vote = VoteRecord(adoption_date=date, vetoed_by=members, sponsors=list(sponsors), agenda_item=agenda,
                          subjects=list(subjects))
        return Chunk(id=f"{symbol}|en|document_card|card", doc_id=symbol, kind="document_card", doc_kind="veto", lang="en",
                     text="…", source=Source(path="v"), vote=vote, date=date)

    records = ChunkRecords([veto("S/2020/654", "2020-07-07", ["Russian Federation", "China"], "Humanitarian access to Syria",
                                 ["Syria", "Middle East"]),
                            veto("S/2020/1", "2020-03-01", ["Russian Federation"], "The situation in Libya", ["Libya"])])
    res = ask(records, "Did Russia veto any draft on Syria in 2020?")
    assert [c.chunk.doc_id for c in res.cited] == ["S/2020/654"] and not res.abstained
    count = ask(records, "How many drafts on Syria did Russia veto in 2020?")
    assert "1 draft resolution was vetoed by Russian Federation (about Syrian Arab Republic)" in count.text
    # a veto record that names no subject cannot be counted in or out: the passages answer instead
    bare = ChunkRecords([veto("S/2023/1", "2023-07-11", ["Russian Federation"])])
    assert ask(bare, "How many drafts on Syria did Russia veto in 2023?") is None


def test_a_vote_count_the_veto_record_lacks_is_said_missing_and_flagged_like_a_decline():
    from ingest.chunk import Chunk, Source, VoteRecord

    vote = VoteRecord(adoption_date="2007-01-12", vetoed_by=["China", "Russian Federation"], agenda_item="Myanmar",
                      subjects=["Myanmar"], meeting_record="S/PV.5619")
    card = Chunk(id="S/2007/14|en|document_card|card", doc_id="S/2007/14", kind="document_card", doc_kind="veto", lang="en",
                 text="…", source=Source(path="v"), vote=vote, date="2007-01-12")
    records = ChunkRecords([card])
    res = ask(records, "How many Council members voted in favour of the January 2007 draft resolution on Myanmar that "
                       "China and Russia vetoed?")
    assert res.abstained and "does not give the number of votes" in res.text
    # asked who vetoed it, the record answers
    who = ask(records, "Which permanent members vetoed the January 2007 draft resolution on Myanmar?")
    assert not who.abstained and "China" in who.text
    # what a vetoed draft said is not in its veto record: the passages answer, or decline
    assert ask(records, "2007年1月被中国和俄罗斯否决的关于缅甸的决议草案要求缅甸政府做什么？") is None


def test_a_veto_count_reaching_between_the_vetoes_list_and_the_draft_records_says_what_is_not_counted():
    from ingest.chunk import Chunk, Source, VoteRecord

    def card(symbol, date, kind, vetoed_by):
        vote = VoteRecord(adoption_date=date, vetoed_by=vetoed_by, agenda_item="Ukraine", subjects=["Ukraine"])
        return Chunk(id=f"{symbol}|en|document_card|card", doc_id=symbol, kind="document_card", doc_kind=kind, lang="en",
                     text="…", source=Source(path="v"), vote=vote, date=date)

    records = ChunkRecords([card("S/2022/155", "2022-02-25", "veto", ["Russian Federation"]),
                            card("S/2023/212", "2023-03-27", "draft_not_adopted", []),
                            card("S/2023/506", "2023-07-11", "draft_not_adopted", ["Russian Federation"])])
    gap = ask(records, "How many draft resolutions did Russia veto in 2022?")
    assert "1 draft resolution was vetoed" in gap.text
    assert "ends with a veto of 25 February 2022" in gap.text and "begin on 27 March 2023" in gap.text
    # a period after the gap, or before it, needs no caveat
    assert "not counted" not in ask(records, "How many draft resolutions did Russia veto between April and December 2023?").text
    assert "not counted" not in ask(records, "How many draft resolutions did Russia veto in 2021?").text


def test_a_paragraph_number_found_only_in_an_annex_is_attributed_to_the_annex():
    from ingest.chunk import Chunk, Source

    def par(pid, n, text):
        return Chunk(id=f"S/RES/2231(2015)|en|resolution_paragraph|{pid}", doc_id="S/RES/2231(2015)", kind="resolution_paragraph",
                     doc_kind="resolution", lang="en", paragraph=n, text=text, source=Source(path="r.xml"), date="2015-07-20")

    records = ChunkRecords([par("op1", 1, "Endorses the JCPOA."), par("op2", 2, "Calls upon all Member States to support it."),
                            par("annex1.50", 50, "Iran will limit its stable isotope production activities to the FFEP.")])
    res = ask(records, "What does paragraph 50 of resolution 2231 (2015) say?")
    assert res.text.startswith("Resolution 2231 (2015), annex, paragraph 50: “Iran will limit")
    assert ask(records, "What does operative paragraph 2 of resolution 2231 (2015) say?").text.startswith(
        "Resolution 2231 (2015), operative paragraph 2: “Calls upon")
