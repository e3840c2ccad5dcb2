"""Failed draft resolutions: every chunk says "NOT adopted"; cards carry the vote and who vetoed."""

from __future__ import annotations

import re
from pathlib import Path

from ingest.akn import parse_document

NOT_ADOPTED = Path(__file__).resolve().parents[1] / "fixtures" / "corpus" / "resolutions" / "Not adopted"


def doc(rel: str, **kw):
    path = NOT_ADOPTED / rel
    return parse_document(path.read_bytes(), str(path), file_name=path.name, **kw)


def test_every_paragraph_of_a_vetoed_draft_is_labelled_as_not_adopted():
    d = doc("English/S_2024_312-2407138E.xml")
    assert d.symbol == "S/2024/312" and d.doc_kind == "draft_not_adopted"
    for c in d.chunks:
        assert c.doc_kind == "draft_not_adopted"
        assert c.section.startswith("S/2024/312 — draft resolution, not adopted (vetoed by the United States)")
        assert c.title == "Draft resolution S/2024/312 (NOT adopted, vetoed by the United States)"
        assert c.label.startswith("draft ") and c.label.endswith("(not adopted)")
    assert any(c.text.startswith("Recommends to the General Assembly") for c in d.chunks)


def test_card_of_a_vetoed_draft_gives_meeting_vote_members_sponsors_and_veto():
    [card] = doc("English/S_2024_312-2407138E.xml").cards
    assert card.doc_kind == "draft_not_adopted" and card.kind == "document_card" and card.lang == "en"
    assert card.text.startswith(
        "Draft resolution S/2024/312 was NOT adopted: it was vetoed by the United States (a permanent member of the "
        "Council voting against) when put to the vote at the Security Council's 9609th meeting (S/PV.9609) on "
        "18 April 2024. Vetoed by: United States."
    )
    assert "Vote: 12 in favour, 1 against, 2 abstaining." in card.text
    assert "Against: United States." in card.text and "Sponsors: Algeria." in card.text
    v = card.vote
    assert v.outcome == "vetoed" and v.vetoed_by == ["United States"] and v.meeting_record == "S/PV.9609"
    assert (v.in_favour_count, v.against_count, v.abstaining_count) == (12, 1, 2)
    assert v.abstaining == ["Switzerland", "United Kingdom"] and v.sponsors == ["Algeria"]


def test_chinese_file_gives_the_chinese_card_with_chinese_state_names():
    d = doc("Chinese/S_2024_312-2407138C.xml")
    assert d.lang == "zh" and [c.lang for c in d.cards] == ["zh"]
    text = d.cards[0].text
    assert text.startswith("决议草案S/2024/312于2024年4月18日在安全理事会第9609次会议(S/PV.9609)上付诸表决，"
                           "因常任理事国美国投反对票(否决)而未获通过。否决国：美国。")
    assert "提案国：阿尔及利亚。" in text
    assert "弃权的国家：瑞士、联合王国。" in text
    assert d.chunks[0].section.startswith("S/2024/312 — 决议草案，未获通过(美国投否决票)")
    assert d.chunks[0].label.endswith("(未获通过)")


def test_permanent_members_against_a_draft_without_nine_votes_are_not_called_a_veto():
    d = doc("English/S_2023_772-2320197E.xml")
    card = d.cards[0]
    assert card.vote.outcome == "not adopted" and card.vote.vetoed_by == []
    assert "failed to obtain the required number of votes" in card.text
    assert "Permanent members voting against: France, United Kingdom and United States (not a veto" in card.text
    assert "vetoed" not in d.chunks[0].section
    # 26 sponsors from a comma list with a final "and"
    assert len(card.vote.sponsors) == 26 and card.vote.sponsors[-2:] == ["Yemen", "Zimbabwe"]


def test_draft_with_a_veto_step_but_no_recorded_vote_takes_the_vetoer_from_the_step():
    card = doc("English/S_2025-353-2508520E.xml", card_langs=["zh"]).cards[0]
    assert card.vote.vetoed_by == ["United States"] and card.vote.in_favour_count is None
    assert "The record gives no vote counts or member lists." in card.text
    assert "Vote:" not in card.text


def test_symbol_comes_from_the_document_even_with_an_irregular_file_name():
    assert doc("English/S_2025-353-2508520E.xml").symbol == "S/2025/353"


def test_sponsor_lists_are_split_into_states_even_where_upstream_lost_a_comma():
    from ingest.country_names import split_names

    assert split_names("Morocco, Namibia, New Zealand Nicaragua, Nigeria") == ["Morocco", "Namibia", "New Zealand", "Nicaragua", "Nigeria"]
    assert split_names("Sierra Leone and United Kingdom of Great Britain and Northern Ireland") == [
        "Sierra Leone", "United Kingdom of Great Britain and Northern Ireland"]
    assert split_names("Bosnia and Herzegovina, Trinidad and Tobago and Saint Vincent and the Grenadines") == [
        "Bosnia and Herzegovina", "Trinidad and Tobago", "Saint Vincent and the Grenadines"]


def test_a_draft_whose_file_records_no_failed_vote_is_not_called_not_adopted():
    xml = (NOT_ADOPTED / "English" / "S_2024_312-2407138E.xml").read_text(encoding="utf-8")
    xml = re.sub(r'<step [^>]*outcome="veto"[^>]*/>', "", xml)
    d = parse_document(xml.encode("utf-8"), "draft.xml")
    assert d.doc_kind == "other" and d.cards == []
    assert all("not adopted" not in (c.section + (c.title or "") + (c.label or "")).lower() for c in d.chunks)
    assert d.chunks[0].section.startswith("S/2024/312 — draft resolution")


def test_member_listed_under_two_votes_is_kept_where_the_counts_have_room_and_reported():
    d = doc("English/S_2023_638-2316801E.xml")
    v = d.cards[0].vote
    assert "China" not in v.in_favour and v.abstaining == ["China"] and len(v.in_favour) == v.in_favour_count == 13
    assert any("China is listed as in favour and abstaining" in c for c in v.conflicts)
