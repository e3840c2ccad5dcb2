import pytest

from rag.question import Question as Query, QueryError, analyse, clean, detect_lang


def test_chinese_question_symbols_numbers_lang():
    q = analyse("第2518(2020)号决议是哪一天通过的？")
    assert isinstance(q, Query)
    assert q.lang == "zh"
    assert q.symbols == ["S/RES/2518(2020)"]
    assert q.resolution_numbers == [2518]
    assert q.asks_document_facts


def test_english_question_symbols_and_yearless_numbers():
    q = analyse("When did the Security Council adopt resolution 2518 (2020)?")
    assert q.lang == "en"
    assert q.symbols == ["S/RES/2518(2020)"]
    assert q.asks_document_facts
    q2 = analyse("Who abstained on resolution 2538?")
    assert q2.symbols == []
    assert q2.resolution_numbers == [2538]
    assert analyse("2518号决议说了什么？").resolution_numbers == [2518]
    assert analyse("What did S/2020/514 record?").symbols == ["S/2020/514"]


@pytest.mark.parametrize(
    "question,dates",
    [
        ("7月7日关于和平行动与人权的公开视频会议由谁主持？", [(7, 7)]),
        ("3 月 30 日发生了什么？", [(3, 30)]),
        ("What happened on 30 March?", [(3, 30)]),
        ("What was decided on 11 November 2020?", [(11, 11)]),
        ("Meetings on March 30 and 2020-08-28", [(3, 30), (8, 28)]),
        ("安理会在１１月４日做了什么？", [(11, 4)]),  # full-width digits
        ("Was there a meeting in 2020?", []),
    ],
)
def test_dates(question, dates):
    assert analyse(question).dates == dates


def test_cleaning_control_chars_nfkc_whitespace():
    q = analyse("  第２５１８（２０２０）号决议\x00\u200b 是\t\n哪一天   通过的？ ")
    assert q.text == "第2518(2020)号决议 是 哪一天 通过的?"
    assert q.symbols == ["S/RES/2518(2020)"]
    assert clean("a\r\nb\x07c") == "a bc"


def test_html_is_never_interpreted_and_its_markup_is_no_part_of_the_question():
    q = analyse("<script>alert(1)</script> resolution 2518 (2020)")
    assert q.text == "resolution 2518 (2020)" and "alert" not in q.terms
    assert q.symbols == ["S/RES/2518(2020)"]
    with pytest.raises(QueryError, match="empty|为空"):
        analyse("<b></b>")  # nothing but markup: nothing asked


@pytest.mark.parametrize("bad", ["", "   ", "\n\t", "\x00\x01\u200b"])
def test_empty_questions_rejected(bad):
    with pytest.raises(QueryError, match="empty|为空"):
        analyse(bad)


@pytest.mark.parametrize("bad", ["???", "？！。、", "...!!!", "—— · ——", "😀😀"])
def test_punctuation_only_rejected(bad):
    with pytest.raises(QueryError) as e:
        analyse(bad)
    assert "punctuation" in str(e.value) or "标点" in str(e.value)


def test_too_long_message_in_question_language():
    with pytest.raises(QueryError, match="2000") as e:
        analyse("安理会" * 1000)
    assert "上限" in str(e.value)
    with pytest.raises(QueryError, match="limit is 50"):
        analyse("peacekeeping " * 10, max_chars=50)
    assert analyse("x" * 50, max_chars=50).text == "x" * 50


def test_query_error_is_value_error():
    assert issubclass(QueryError, ValueError)


def test_lang_detection():
    assert detect_lang("马里稳定团的军事部分采取了哪些防疫措施？") == "zh"
    assert detect_lang("COVID-19期间，第2518(2020)号决议要求什么？") == "zh"
    assert detect_lang("What does 维和 mean in this text?") == "en"
    assert detect_lang("What did S/RES/2518 (2020) request?") == "en"


def test_terms_and_tokens_drop_stopwords():
    q = analyse("马里稳定团的军事部分采取了哪些防疫措施？")
    assert "马里" in q.terms and "防疫" in q.terms
    assert not {"的", "哪些", "了"} & set(q.terms)
    assert "防疫" in q.tokens and "稳定" in q.tokens  # word + bigram
    e = analyse("Which countries abstained in the vote?")
    assert "which" not in e.terms and "the" not in e.terms
    assert "abstain" in e.terms


def test_document_fact_intent():
    assert analyse("第2538(2020)号决议的决议草案文号是什么？").asks_document_facts
    assert analyse("Who sponsored resolution 2538 (2020)?").asks_document_facts
    assert analyse("谁对第2518(2020)号决议投了弃权票？").asks_document_facts
    assert not analyse("马里稳定团的军事部分采取了哪些防疫措施？").asks_document_facts
