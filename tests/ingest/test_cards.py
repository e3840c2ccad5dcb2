"""The card factory: what makes a card a card is the same for every record kind."""

from __future__ import annotations

from ingest.cards import ByLang, CardRecord, build_cards, card_langs, fact, join_and, on_date, ordinal
from ingest.chunk import VoteRecord


def record(**kw) -> CardRecord:
    base = dict(doc_id="S/RES/2518(2020)", doc_kind=None, symbols=["S/RES/2518(2020)", "S/PV.8700"],
                section=ByLang.same("S/RES/2518(2020)"), title=ByLang("Title", "标题"), date="2020-03-30",
                vote=ByLang(VoteRecord(conflicts=["en"]), VoteRecord(conflicts=["zh"])), path="data_extract/2020.json",
                lines=(3, 3))
    return CardRecord(**{**base, **kw})


def test_only_english_and_chinese_get_cards_once_each_in_order():
    assert card_langs(["zh", "fr", "en", "zh"]) == ["zh", "en"]
    assert card_langs(["fr"]) == []
    assert card_langs(["fr"], fallback=("en",)) == ["en"]


def test_each_card_carries_its_language_values_and_links_in_that_language():
    en, zh = build_cards(record(), ["en", "zh"], lambda lang: ["一。", "二。"] if lang == "zh" else ["One.", "Two."])
    assert (en.id, zh.id) == ("S/RES/2518(2020)|en|document_card|card", "S/RES/2518(2020)|zh|document_card|card")
    assert en.text == "One. Two." and zh.text == "一。二。"
    assert (en.title, zh.title) == ("Title", "标题") and (en.label, zh.label) == ("document card", "文件信息")
    assert (en.vote.conflicts, zh.vote.conflicts) == (["en"], ["zh"])
    assert zh.links == ["https://undocs.org/ch/S/RES/2518(2020)", "https://undocs.org/ch/S/PV.8700"]  # undocs: ch = Chinese
    assert en.source.lines == (3, 3) and en.kind == "document_card"


def test_a_card_without_a_stated_kind_takes_the_kind_its_symbol_proves():
    [card] = build_cards(record(), ["en"], lambda lang: ["x."])
    assert card.doc_kind == "resolution"
    [card] = build_cards(record(doc_kind="veto", position="veto3"), ["en"], lambda lang: ["x."])
    assert card.doc_kind == "veto" and card.id.endswith("|veto3")


def test_sentence_helpers_write_each_language_its_own_way():
    assert fact("en", "Sponsors", "Algeria") == "Sponsors: Algeria."
    assert fact("zh", "提案国", "阿尔及利亚") == "提案国：阿尔及利亚。"
    assert on_date("2020-03-30", "en") == " on 30 March 2020" and on_date(None, "zh") == ""
    assert on_date("2020-03-30", "zh").startswith("于2020年3月30日")
    assert [join_and([]), join_and(["A"]), join_and(["A", "B", "C"])] == ["", "A", "A, B and C"]
    assert [ordinal(n) for n in (1, 2, 3, 4, 11, 12, 13, 21, 4129)] == ["1st", "2nd", "3rd", "4th", "11th", "12th", "13th",
                                                                        "21st", "4129th"]


def test_a_chinese_card_labels_text_the_record_holds_only_in_english_or_french():
    from ingest.cards import text_fact

    assert text_fact("zh", "议程项目", "The situation in Libya") == "议程项目（英文）：The situation in Libya。"
    assert text_fact("zh", "议程项目", "Rôle du Conseil de sécurité dans la prévention des conflits armés").startswith("议程项目（法文）：")
    assert text_fact("zh", "议程项目", "利比亚局势") == "议程项目：利比亚局势。"
    assert text_fact("en", "Agenda item", "The situation in Libya") == "Agenda item: The situation in Libya."
