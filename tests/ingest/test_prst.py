"""Presidential statements: typed as statements, carded from their opening sentence, recovered when malformed."""

from __future__ import annotations

from pathlib import Path

import pytest

from ingest.akn import parse_akn, parse_document
from ingest.prst import parse_opening

PRST = Path(__file__).resolve().parents[1] / "fixtures" / "corpus" / "resolutions" / "PRST"


def doc(rel: str, **kw):
    path = PRST / rel
    return parse_document(path.read_bytes(), str(path), file_name=path.name, folder_year=int(path.parent.name), **kw)


def test_statement_paragraphs_and_card_are_typed_as_a_presidential_statement():
    d = doc("2021/S_PRST_2021_5.xml", card_langs=["zh"])
    assert d.symbol == "S/PRST/2021/5" and d.doc_kind == "presidential_statement" and not d.recovered
    assert {c.doc_kind for c in d.chunks + d.cards} == {"presidential_statement"}
    assert [c.label for c in d.chunks[:2]] == ["paragraph 1", "paragraph 2"]
    assert [c.lang for c in d.cards] == ["en", "zh"]
    assert all(c.kind == "document_card" for c in d.cards)


def test_card_of_a_written_procedure_statement_says_there_was_no_meeting():
    en, zh = doc("2021/S_PRST_2021_5.xml", card_langs=["zh"]).cards
    assert en.text.startswith(
        "Presidential statement S/PRST/2021/5 was issued by the President of the Security Council on behalf of the "
        "Council on 10 March 2021, in connection with the item “The situation in Myanmar”, without a meeting"
    )
    assert "S/2020/372" in en.symbols and en.date == "2021-03-10"
    assert en.vote.meeting is None and en.vote.agenda_item == "The situation in Myanmar"
    assert zh.text.startswith("主席声明S/PRST/2021/5于2021年3月10日") and "未举行会议" in zh.text


def test_card_of_a_meeting_statement_names_meeting_date_item_and_record():
    en = doc("2007/S_PRST_2007_22-0739405E.xml").cards[0]
    assert en.text.startswith(
        "Presidential statement S/PRST/2007/22 was made by the President of the Security Council on behalf of the "
        "Council at its 5705th meeting on 25 June 2007, in connection with the item “Maintenance of international "
        "peace and security”."
    )
    assert "Meeting record: S/PV.5705." in en.text
    assert en.vote.meeting_record == "S/PV.5705" and en.links[1] == "https://undocs.org/en/S/PV.5705"


def test_number_field_naming_another_document_is_overruled_by_type_and_file_name_and_reported():
    d = doc("2007/S_PRST_2007_22-0739405E.xml")
    assert d.symbol == "S/PRST/2007/22" and {c.doc_id for c in d.chunks} == {"S/PRST/2007/22"}
    assert any("S/RES/1626(2005)" in n and "S/PRST/2007/22 used" in n for n in d.notes)
    assert d.cards[0].vote.conflicts == d.notes


def test_malformed_statement_is_recovered_paragraph_by_paragraph_and_marked():
    d = doc("2000/S_PRST_2000_37-0077211E.xml")
    assert d.recovered and d.repairs[0].startswith("malformed XML")
    texts = [c.text for c in d.chunks]
    assert texts[0].startswith("At the 4239th meeting of the Security Council, held on 29 November 2000")
    assert len(texts) > 5 and all(t.startswith(("“", "At the")) for t in texts)  # one chunk per paragraph
    assert not any("Reissued" in t or t == "Statement by the President of the Security Council" for t in texts)
    assert all(c.source.recovered for c in d.chunks + d.cards)
    assert "recovered automatically" in d.cards[0].text and "Reissued for technical reasons." in d.cards[0].text


def test_recovery_still_refuses_entities():
    bomb = b'<!DOCTYPE x [<!ENTITY a "aaaa">]><akomaNtoso><statement name="presidentialStatement"><p>&a;</statement>'
    with pytest.raises(ValueError, match="malformed XML|entity"):
        parse_akn(bomb, "bomb.xml")


def test_french_statement_is_detected_from_its_text_and_carded_in_english_and_chinese():
    d = doc("2000/S_PRST_2000_25-0054631E.xml", card_langs=["en", "zh"])
    assert d.lang == "fr" and {c.lang for c in d.chunks} == {"fr"}
    assert d.chunks[0].text.startswith("À la 4174e séance du Conseil de sécurité")
    en = next(c for c in d.cards if c.lang == "en")
    assert "at its 4174th meeting on 20 July 2000" in en.text and "French version" in en.text
    assert any("French" in n for n in d.notes)


def test_french_statement_gives_no_card_unless_asked():
    """Its English version (another file) writes the card; two files must never write one card id."""
    assert doc("2000/S_PRST_2000_25-0054631E.xml").cards == []


def test_corrigendum_with_an_empty_number_field_takes_its_symbol_from_the_file_name():
    d = doc("2000/S_PRST_2000_27_Corr.1-0060049E.xml")
    assert d.symbol == "S/PRST/2000/27/Corr.1"
    assert any("empty number field" in n for n in d.notes)


OPENINGS = [
    (("At the 5066th (resumed) meeting of the Security Council, held on 28 October 2004, in connection with the "
     "Council’s consideration of the item entitled “Women and peace and security”, the President …"),
     {"meeting_number": 5066, "resumed": True, "date": "2004-10-28", "agenda_item": "Women and peace and security"}),
    (("At the 4362nd meeting of the Security Council, held on 31 August 2001, in continuation of its consideration of "
     "the item entitled “Small arms” at its 4355th meeting on 2 August 2001, the President …"),
     {"meeting_number": 4362, "date": "2001-08-31", "agenda_item": "Small arms"}),
    (("After consultations of the Security Council held on 4 August 2000, the President of the Security Council made "
     "the following statement to the media on behalf of the Council:"),
     {"procedure": "consultations", "date": "2000-08-04"}),
    (("“At the 9837th meeting of the Security Council, held on 16 January 2025, in connection with the Council’s "
     "consideration of the item entitled “The situation in the Middle East”, the President …"),
     {"meeting_number": 9837, "date": "2025-01-16", "agenda_item": "The situation in the Middle East"}),
]


@pytest.mark.parametrize(("sentence", "expected"), OPENINGS)
def test_opening_sentence_forms_found_in_the_corpus(sentence, expected):
    found = parse_opening(sentence)
    assert {k: found.get(k) for k in expected} == expected
