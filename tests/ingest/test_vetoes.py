"""The veto list 1946–2022: one card per vetoed draft, in English and Chinese, with its coverage stated."""

from __future__ import annotations

from pathlib import Path

import pytest

from ingest.parse import parse_paths
from ingest.vetoes import COVERAGE_EN, is_veto_table, parse_vetoes, read_vetoes

SAMPLE = Path(__file__).resolve().parents[1] / "fixtures" / "corpus" / "vetoes" / "unsc_vetoes_sample.csv"


@pytest.fixture(scope="module")
def cards():
    return parse_vetoes(SAMPLE.read_text(encoding="utf-8"), str(SAMPLE))


def card(cards, doc_id: str, lang: str = "en", nth: int = 0):
    return [c for c in cards if c.doc_id == doc_id and c.lang == lang][nth]


def test_every_row_gives_an_english_and_a_chinese_veto_card_with_unique_ids(cards):
    rows = read_vetoes(SAMPLE.read_text(encoding="utf-8"))
    assert len(cards) == 2 * len(rows) == 20
    assert len({c.id for c in cards}) == len(cards)
    assert {c.doc_kind for c in cards} == {"veto"} and {c.kind for c in cards} == {"document_card"}


def test_card_names_draft_meeting_date_item_vetoers_and_coverage(cards):
    c = card(cards, "S/2022/431")
    assert c.text.startswith(
        "Draft resolution S/2022/431 was vetoed by China and the Russian Federation at the Security Council's 9048th "
        "meeting (S/PV.9048) on 26 May 2022."
    )
    assert "Agenda item: Non-proliferation - Democratic People's Republic of Korea." in c.text
    assert COVERAGE_EN in c.text
    assert c.vote.vetoed_by == ["China", "Russian Federation"] and c.vote.outcome == "vetoed"
    assert c.date == "2022-05-26" and c.vote.meeting_record == "S/PV.9048"
    zh = card(cards, "S/2022/431", "zh")
    assert zh.text.startswith("决议草案S/2022/431于2022年5月26日在安全理事会第9048次会议(S/PV.9048)上被中国、俄罗斯联邦否决。")
    assert "1946年至2022年9月15日" in zh.text


def test_soviet_vetoes_name_the_union_of_soviet_socialist_republics(cards):
    c = card(cards, "S/PV.23")
    assert "vetoed by the Union of Soviet Socialist Republics" in c.text
    assert "苏维埃社会主义共和国联盟" in card(cards, "S/PV.23", "zh").text


def test_draft_without_a_symbol_says_so_and_several_vetoes_at_one_meeting_stay_apart(cards):
    at_49 = [c for c in cards if c.doc_id == "S/PV.49" and c.lang == "en"]
    assert len(at_49) == 3 and len({c.id for c in at_49}) == 3
    assert all("the list gives no document symbol" in c.text for c in at_49)
    assert all("The list records 3 vetoes at this meeting." in c.text for c in at_49)
    assert at_49[0].vote.draft is None


def test_row_naming_several_documents_keeps_them_all(cards):
    c = card(cards, "S/471")
    assert "S/471/Add.1" in c.symbols and "S/PV.188" in c.symbols
    two = card(cards, "S/3995")
    assert "S/3998" in two.symbols and "S/3995 (incorporating the amendment)S/3998" in two.text


def test_member_columns_that_disagree_with_the_named_vetoers_are_reported_not_trusted(cards):
    c = card(cards, "S/12211")
    assert c.vote.vetoed_by == ["France", "United Kingdom", "United States"]
    assert c.vote.conflicts and "France" in c.vote.conflicts[0]


def test_vote_recorded_by_letter_is_not_called_a_meeting(cards):
    c = card(cards, "S/2020/654")
    assert "vote recorded in S/2020/661 and S/2020/657" in c.text and c.vote.meeting is None


def test_the_csv_is_recognised_by_its_header_not_its_name(tmp_path):
    renamed = tmp_path / "whatever.csv"
    renamed.write_bytes(SAMPLE.read_bytes())
    other = tmp_path / "other.csv"
    other.write_text("a,b\n1,2\n")
    report = parse_paths([tmp_path])
    assert {c.doc_kind for c in report.chunks} == {"veto"} and len(report.chunks) == 20
    assert not report.errors
    assert any("other.csv" in path and "not the veto list" in why for path, why in report.summary.skipped)
    assert is_veto_table("year,date,draft,meeting_record,member_veto1")
    assert not is_veto_table("a,b")
