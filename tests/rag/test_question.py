"""The one question analysis: documents, places, periods, States, topics, what is asked, follow-ups."""

from __future__ import annotations

from datetime import date

import pytest

from rag.question import analyse


def docs(q):
    return [(d.symbol, d.number) for d in q.documents]


@pytest.mark.parametrize("text, expected", [
    ("S/RES/2518(2020)的主要内容是什么？", [("S/RES/2518(2020)", None)]),
    ("第2518(2020)号决议是哪一天通过的？", [("S/RES/2518(2020)", None)]),
    ("When was resolution 2518 adopted?", [(None, 2518)]),
    ("2518号决议的主要内容", [(None, 2518)]),
    ("What did S/PRST/2021/5 say?", [("S/PRST/2021/5", None)]),
    ("Who vetoed S/2024/835?", [("S/2024/835", None)]),
])
def test_documents_in_every_spelling(text, expected):
    assert docs(analyse(text)) == expected


@pytest.mark.parametrize("text, number, part", [
    ("第2538(2020)号决议第6段的内容是什么？", 6, None),
    ("第2538(2020)号决议执行部分第6段", 6, "operative"),
    ("第2538(2020)号决议序言部分第3段", 3, "preambular"),
    ("operative paragraph 6 of resolution 2538 (2020)", 6, "operative"),
    ("para. 6 of resolution 2538 (2020)", 6, None),
    ("preambular paragraph 3 of resolution 2538 (2020)", 3, "preambular"),
])
def test_paragraph_references(text, number, part):
    [p] = analyse(text).paragraphs
    assert (p.number, p.part) == (number, part)


def test_footnote_references_in_both_languages():
    assert analyse("脚注646指的是哪份文件？").footnotes == ["646"]
    assert analyse("What does footnote 650 refer to?").footnotes == ["650"]


@pytest.mark.parametrize("text, start, end", [
    ("2020年安理会通过了多少项决议？", date(2020, 1, 1), date(2020, 12, 31)),
    ("How many resolutions in 2021?", date(2021, 1, 1), date(2021, 12, 31)),
    ("How many resolutions between 2019 and 2022?", date(2019, 1, 1), date(2022, 12, 31)),
    ("2019年至2022年安理会通过了多少项决议？", date(2019, 1, 1), date(2022, 12, 31)),
    ("2020年上半年安理会通过了多少项决议？", date(2020, 1, 1), date(2020, 6, 30)),
    ("Which resolutions did the Council adopt in March 2005?", date(2005, 3, 1), date(2005, 3, 31)),
    ("How many vetoes since 2020?", date(2020, 1, 1), None),
])
def test_periods(text, start, end):
    q = analyse(text)
    assert (q.date_from, q.date_to) == (start, end)


def test_a_year_inside_a_symbol_is_not_a_period():
    assert not analyse("When was resolution 2518 (2020) adopted?").has_period


def test_states_in_both_languages_and_common_names():
    assert analyse("On how many resolutions did Russia abstain in 2024?").states == ["RUSSIAN FEDERATION"]
    assert analyse("2024年俄罗斯联邦对多少项决议投了弃权票？").states == ["RUSSIAN FEDERATION"]
    assert analyse("Which resolutions on Equatorial Guinea?").states == ["EQUATORIAL GUINEA"]  # not "Guinea"
    assert analyse("Did Türkiye vote?").states == analyse("Did Turkey vote?").states


def test_topics_come_from_the_vocabulary_given_in_either_language():
    vocab = [["UNMISS", "United Nations Mission in South Sudan", "南苏丹特派团"], ["MARITIME SECURITY"]]
    assert analyse("Which resolutions on UNMISS in 2021?", vocabulary=vocab).topics == [vocab[0]]
    assert analyse("2021年关于南苏丹特派团的决议有哪些？", vocabulary=vocab).topics == [vocab[0]]
    assert analyse("resolutions on maritime security", vocabulary=vocab).topics == [vocab[1]]
    assert analyse("Which resolutions on unmiss?", vocabulary=vocab).topics == []  # an acronym as written


@pytest.mark.parametrize("text, asks", [
    ("What was the vote on resolution 2538 (2020), and which countries sponsored it?", {"tally", "sponsors"}),
    ("第2504(2020)号决议谁投了弃权票？", {"abstaining"}),
    ("Which members voted against resolution 2504 (2020)?", {"against", "tally"}),
    ("What was the draft resolution symbol of resolution 2538 (2020)?", {"draft"}),
    ("How many resolutions did the Council adopt in 2016?", {"count"}),
    ("Which resolutions on Afghanistan did the Council adopt in 2020?", {"list"}),
    ("Which resolutions on violence against women in 2020?", {"list"}),
    ("为什么第2518(2020)号决议的表决情况没有在公开视频会议上宣布？", {"tally", "reason"}),
    ("马里稳定团的军事部分采取了哪些防疫措施？", set()),
    ("How many sponsors did resolution 2177 (2014) have?", {"sponsors"}),
])
def test_what_is_asked(text, asks):
    assert set(analyse(text).asks) == asks


def test_follow_up_pronoun_takes_the_document_from_the_previous_answer():
    history = [("Which resolution authorized a no-fly zone over Libya in March 2011?",
                "Resolution 1973 (2011), adopted on 17 March 2011, banned all flights in Libyan airspace.")]
    q = analyse("Who abstained on it?", history=history)
    assert docs(q) == [("S/RES/1973(2011)", None)] and q.documents[0].carried and q.asks == ["abstaining"]


def test_chinese_follow_up_with_this_resolution():
    q = analyse("这项决议是哪天通过的？表决情况如何？",
                history=[("安理会哪项决议核可了伊朗核问题《联合全面行动计划》？", "第2231(2015)号决议核可了《联合全面行动计划》。")])
    assert docs(q) == [("S/RES/2231(2015)", None)] and {"date", "tally"} <= set(q.asks)


def test_elliptical_follow_up_keeps_the_ask_and_replaces_the_year_or_document():
    q = analyse("那2022年呢？", history=[("2021年安理会通过了多少项决议？", "…")])
    assert q.asks == ["count"] and q.years == [2022]
    q = analyse("and what about 2538?", history=[("When was resolution 2518 (2020) adopted?", "30 March 2020")])
    assert docs(q) == [(None, 2538)] and q.asks == ["date"]


def test_a_new_standalone_question_does_not_inherit_the_previous_document():
    q = analyse("How many resolutions did the Council adopt in 2021?", history=[("When was resolution 2518 (2020) adopted?", "…")])
    assert q.documents == [] and q.years == [2021]


@pytest.mark.parametrize("text, present, absent", [
    ("第2504(2020)号决议是以什么方式通过的？", {"tally"}, set()),
    ("How was resolution 2504 (2020) adopted?", {"tally"}, set()),
    ("第2504(2020)号决议是由哪些国家提出的？", {"sponsors"}, set()),
    ("Until what date was the mandate extended?", set(), {"date"}),  # a date in the text, not the adoption's
    ("2021年有多少项决议是一致通过的？", {"count", "unanimous"}, {"not_unanimous"}),
    ("How many resolutions were not adopted unanimously in 2021?", {"count", "not_unanimous"}, {"unanimous"}),
    ("Which 2021 resolution was adopted with only ten votes in favour?", {"list"}, set()),
])
def test_more_ways_of_asking(text, present, absent):
    asks = set(analyse(text).asks)
    assert present <= asks and not (absent & asks)


def test_vote_count_conditions_in_both_languages():
    from rag.question import votes_in_favour

    assert votes_in_favour("adopted with only ten votes in favour") == 10
    assert votes_in_favour("with 13 in favour") == 13
    assert votes_in_favour("以十二票赞成通过") == 12
    assert votes_in_favour("When was it adopted?") is None


def test_a_state_is_not_also_a_topic_and_time_context_is_not_a_topic():
    vocab = [["RUSSIAN FEDERATION"], ["COVID-19"]]
    q = analyse("On how many resolutions did the Russian Federation abstain in 2024?", vocabulary=vocab)
    assert q.states == ["RUSSIAN FEDERATION"] and q.topics == []
    assert analyse("How many resolutions were adopted by mail during the COVID-19 pandemic in 2020?", vocabulary=vocab).topics == []
    assert analyse("Which resolutions on COVID-19 were adopted in 2020?", vocabulary=vocab).topics == [["COVID-19"]]


def test_a_when_clause_that_only_says_which_act_is_meant_does_not_ask_for_a_date():
    from rag.question import analyse

    assert "date" not in analyse("When the Council referred the situation in Darfur to the International Criminal "
                                 "Court in 2005, who did it say would bear the costs?").intents
    assert "date" not in analyse("What was the maximum military strength authorized for ONUB when it was set up "
                                 "in 2004?").intents
    assert "quantity" in analyse("What was the maximum military strength authorized for ONUB?").intents
    for asks_date in ("When was resolution 2538 (2020) adopted?", "By when must the report be submitted?",
                      "When the Council wound up the Compensation Commission in 2022, by when was it to finish?"):
        assert "date" in analyse(asks_date).intents, asks_date
    assert "date" in analyse("When was resolution 2538 (2020) adopted?").asks


def test_a_leading_clause_saying_which_record_is_meant_is_not_the_question_proper():
    from rag.question import analyse

    q = analyse("Under the counter-terrorism resolution the Council adopted after the 11 September 2001 attacks, "
                "how quickly must States freeze the funds of persons who commit terrorist acts?")
    assert q.main_clause == "how quickly must States freeze the funds of persons who commit terrorist acts?"
    # "adopted" there says which record; the question asks what it requires, not a fact of its adoption
    assert not q.asks_document_facts
    assert q.years == [2001]  # the clause still dates the record
    zh = analyse("俄罗斯2023年8月提出但未获通过的马里制裁决议草案，打算如何处理马里制裁专家小组？")
    assert zh.main_clause == "打算如何处理马里制裁专家小组?"
    assert not zh.asks_document_facts
    # a question that is all question proper has none; a vote question keeps its ask
    assert analyse("Which members abstained on resolution 2504 (2020)?").main_clause == ""
    assert analyse("Under the resolution adopted on 12 May 2020, which members abstained?").asks_document_facts
    assert analyse("Under resolution 2538 (2020), what must the Secretary-General report on?").main_clause == ""


def test_how_long_asks_for_a_period_and_a_quote_keeps_the_clause_that_gives_it():
    from rag.extractive import analyse_question, shorten_quote
    from rag.question import analyse

    assert "duration" in analyse("第2254(2015)号决议要求在多长时间内举行自由公正的选举？").intents
    assert "duration" in analyse("How long did resolution 2663 (2022) extend the 1540 Committee's mandate?").intents
    body = ("Expresses its support, in this regard, for a Syrian-led political process that is facilitated by the United "
            "Nations and, within a target of six months, establishes credible, inclusive and non-sectarian governance and "
            "sets a schedule and process for drafting a new constitution, and further expresses its support for free and fair "
            "elections, pursuant to the new constitution, to be held within 18 months and administered under supervision "
            "of the United Nations, to the satisfaction of the governance and to the highest international standards;")
    short = shorten_quote(body, analyse_question("Within how long did resolution 2254 (2015) call for free and fair elections?"))
    assert "within 18 months" in short


def test_paragraphs_are_read_in_chinese_numerals_and_english_ordinals_with_their_part():
    from rag.question import ParagraphRef, analyse

    assert analyse("第2538(2020)号决议执行部分第六段是什么？").paragraphs == [ParagraphRef(number=6, part="operative")]
    assert analyse("第2538(2020)号决议第十二段").paragraphs == [ParagraphRef(number=12, part=None)]
    assert analyse("What did the first operative paragraph of resolution 2733 (2024) say?").paragraphs == \
        [ParagraphRef(number=1, part="operative")]
    assert analyse("Quote the third preambular paragraph of resolution 2538 (2020).").paragraphs == \
        [ParagraphRef(number=3, part="preambular")]
    # "the first paragraph" names no part: the first preambular or the first operative one? left alone
    assert analyse("What does the first paragraph of resolution 2538 (2020) say?").paragraphs == []


def test_a_state_is_read_as_a_sponsor_only_when_it_puts_the_text_forward():
    from rag.question import analyse, names_as_sponsor

    def sponsor(text: str, key: str) -> bool:
        return names_as_sponsor(analyse(text), key)

    assert sponsor("俄罗斯2023年8月提出但未获通过的马里制裁决议草案打算做什么？", "RUSSIAN FEDERATION")
    assert sponsor("俄罗斯等国2023年10月25日提出的决议草案持什么立场？", "RUSSIAN FEDERATION")
    assert sponsor("Which drafts were submitted by the Russian Federation in 2023?", "RUSSIAN FEDERATION")
    # the representative speaks; the Secretary-General is asked to submit
    assert not sponsor("突尼斯代表请秘书长向安理会提交什么报告？", "TUNISIA")
    assert not sponsor("Did Russia veto any draft on Syria in 2020?", "SYRIAN ARAB REPUBLIC")


def test_one_word_naming_two_subjects_names_one_thing_with_both_names():
    from rag.question import analyse

    q = analyse("2012年11月关于海盗问题的主席声明指出了什么？", vocabulary=[["PIRACY", "海盗"], ["ROBBERY", "海盗"], ["SOMALIA"]])
    assert q.topics == [["PIRACY", "海盗", "ROBBERY"]]


def test_markup_in_a_question_is_not_part_of_it():
    from rag.question import analyse, clean

    q = "<script>alert('x')</script><b>When</b> was resolution 2518 (2020) adopted?"
    assert clean(q) == "When was resolution 2518 (2020) adopted?"
    assert "alert" not in analyse(q).terms and "script" not in analyse(q).terms
    assert clean("Is 3 < 5 in resolution 2518?") == "Is 3 < 5 in resolution 2518?"  # a comparison is no tag


def test_the_noun_a_which_phrase_asks_for_is_the_answer_type_and_a_kind_of_it_is_not():
    from rag.question import answer_type_words

    assert answer_type_words("In February 2025, from which cities did the Council demand that the M23 withdraw?") == ["cities"]
    assert answer_type_words("What did the Council offer Iraq, and what inspection arrangement did it set up?") == ["arrangement"]
    assert answer_type_words("2024年9月的第2751(2024)号决议是由哪些国家提出的？") == ["国家"]
    # "which kind of" asks for a kind the answer restates ("armed groups designated for …")
    assert answer_type_words("哪类武装团体可以因妨碍维和特派团而被指认制裁？") == []
    assert answer_type_words("在蓝线和利塔尼河之间应建立一个什么样的区域？") == []
    assert answer_type_words("What kind of area did it establish?") == []
    assert answer_type_words("When was resolution 2518 (2020) adopted?") == []


def test_a_date_inside_the_asked_phrase_dates_what_is_asked_for_not_the_councils_act():
    q = analyse("Which two February 2020 documents did the Council welcome in its Afghanistan resolution?")
    assert q.years == [] and q.date_from is None and q.date_to is None
    record = analyse("Which 2025 resolution was adopted with only nine votes in favour?")
    assert record.years == [2025]
    acted = analyse("In February 2025, from which cities did the Council demand that the M23 withdraw?")
    assert (acted.date_from, acted.date_to) == (date(2025, 2, 1), date(2025, 2, 28))


def test_a_resolution_setting_something_out_is_not_asked_for_its_sponsors():
    assert "sponsor" not in analyse("第1701(2006)号决议提出，在蓝线和利塔尼河之间应建立一个什么样的区域？").intents
    assert "sponsor" not in analyse("俄罗斯等国2023年10月25日提出的决议草案对以色列的命令持什么立场？").intents
    assert "sponsor" in analyse("第2751(2024)号决议是由哪些国家提出的？").intents
    assert "sponsor" in analyse("Who sponsored resolution 2751 (2024)?").intents


def test_a_follow_up_naming_only_what_the_previous_document_is_about_keeps_that_document():
    history = [("2007年设立达尔富尔混合行动的是哪项决议？", "第1769(2007)号决议，于2007年7月31日通过。")]
    about = {"S/RES/1769(2007)": "reports of the secretary-general on the sudan | security council resolution 1769 (2007)"}
    q = analyse("混合行动最迟应在什么时候从非盟驻苏丹特派团手中接管权力？", history=history, describes=lambda s: about.get(s, ""))
    assert [d.symbol for d in q.documents] == ["S/RES/1769(2007)"] and "document" in q.carried
    # naming a State the document is not about is another subject
    other = analyse("马里的特派团最迟应在什么时候接管权力？", history=history, describes=lambda s: about.get(s, ""))
    assert other.documents == []
    # without the records' word on the document, nothing is carried on its account
    assert analyse("混合行动最迟应在什么时候从非盟驻苏丹特派团手中接管权力？", history=history).documents == []
