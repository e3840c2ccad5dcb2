"""data_extract rows → ResolutionMeta → document cards that answer procedural questions."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from ingest.country_names import chinese_name, display_name
from ingest.metadata import document_cards, index_by_symbol, parse_date, read_metadata

ROOT = Path(__file__).resolve().parents[2]
SAMPLE_ROWS = ROOT / "data" / "sample" / "resolutions" / "data_extract" / "2020.json"
ROW_2504 = ROOT / "tests" / "fixtures" / "akn" / "data_extract_2504.json"


@pytest.fixture(scope="module")
def sample():
    return index_by_symbol(read_metadata(SAMPLE_ROWS.read_bytes(), str(SAMPLE_ROWS)))


@pytest.fixture(scope="module")
def meta_2504():
    [(line, meta)] = read_metadata(ROW_2504.read_bytes(), str(ROW_2504))
    return line, meta


def test_sample_rows_are_indexed_by_canonical_symbol(sample):
    assert set(sample) == {"S/RES/2518(2020)", "S/RES/2538(2020)"}


def test_2518_card_in_each_language_has_unanimous_vote_and_iso_date(sample):
    cards = document_cards(sample["S/RES/2518(2020)"], ["en", "zh"], "2020.json", 1)
    assert [c.lang for c in cards] == ["en", "zh"]
    for card in cards:
        assert card.kind == "document_card" and card.paragraph is None
        assert card.vote.tally == "15-0-0"
        assert card.date == "2020-03-30"
        assert card.doc_id == card.section == "S/RES/2518(2020)"
        assert card.source.lines == (1, 1)
    en, zh = cards
    assert "adopted unanimously" in en.text and "30 March 2020" in en.text
    assert "voting by mail" in en.text and "S/2020/249" in en.text
    assert "2020年3月30日" in zh.text and "一致通过" in zh.text
    assert en.label == "document card" and zh.label == "文件信息"
    assert en.id != zh.id


def test_2538_card_names_its_draft_resolution_in_both_languages(sample):
    meta = sample["S/RES/2538(2020)"]
    assert meta.draft_resolution == "S/2020/838"
    en, zh = document_cards(meta, ["en", "zh"], "2020.json", 2)
    assert [c.lang for c in document_cards(meta, ["zh"], "2020.json", 2)] == ["zh"]  # each language file carries its own card
    assert "Draft resolution: S/2020/838." in en.text
    assert "决议草案：S/2020/838。" in zh.text
    assert en.symbols[:2] == ["S/RES/2538(2020)", "S/2020/838"]
    assert "https://undocs.org/ch/S/2020/838" in zh.links


def test_2504_abstentions_are_listed_in_english_and_chinese(meta_2504):
    line, meta = meta_2504
    assert line == 1
    assert meta.adoption_date == "2020-01-10"
    assert meta.meeting == "8700th meeting" and meta.meeting_record == "S/PV.8700"
    assert (meta.in_favour_count, meta.against_count, meta.abstaining_count) == (11, 0, 4)
    vote = meta.vote_record()
    assert "China" in vote.abstaining and vote.tally == "11-0-4"
    en, zh = document_cards(meta, ["en", "zh"], "2020.json", line)
    assert "Abstaining: China, Russian Federation, United Kingdom, United States." in en.text
    assert "at its 8700th meeting (S/PV.8700)" in en.text
    assert "弃权的国家：中国、俄罗斯联邦、联合王国、美国。" in zh.text
    assert "第8700次会议" in zh.text and "11-0-4" in zh.text
    assert en.symbols == ["S/RES/2504(2020)", "S/2020/24", "S/PV.8700"]


def test_json_array_files_are_accepted_with_line_numbers():
    rows = [json.loads(line) for line in SAMPLE_ROWS.read_text(encoding="utf-8").splitlines() if line.strip()]
    data = ("[\n" + ",\n".join(json.dumps(r) for r in rows) + "\n]").encode()
    parsed = read_metadata(data, "array.json")
    assert [line for line, _ in parsed] == [2, 3]
    assert {m.symbol for _, m in parsed} == {"S/RES/2518(2020)", "S/RES/2538(2020)"}


def test_blank_lines_are_skipped_and_a_malformed_line_is_named():
    good = ROW_2504.read_text(encoding="utf-8").strip()
    assert len(read_metadata(f"\n{good}\n\n".encode(), "x.json")) == 1
    with pytest.raises(ValueError, match=r"x\.json:3"):
        read_metadata(f"{good}\n\n{{not json\n".encode(), "x.json")


def test_messy_row_values_are_normalised():
    row = json.loads(ROW_2504.read_text(encoding="utf-8"))
    row.update(adoption_date="27\u00a0June\u00a02024", outcome_letter="S/PV9261",
               MS_abstaining=[" CÔTE.", "D'IVOIRE ", "CHILEs"], MS_abstaining_count="002")
    [(_, meta)] = read_metadata(json.dumps(row).encode(), "x.json")
    assert meta.adoption_date == "2024-06-27"
    assert meta.meeting_record == "S/PV.9261"
    assert meta.abstaining_count == 2
    assert [display_name(n) for n in meta.abstaining] == ["Côte d’Ivoire", "Chile"]
    assert [chinese_name(n) for n in meta.abstaining] == ["科特迪瓦", "智利"]


@pytest.mark.parametrize("raw, iso", [
    ("30 March 2020", "2020-03-30"),
    ("2021-07-09 00:00:00", "2021-07-09"),
    ("19 November 2004 in Nairobi", "2004-11-19"),
    ("", None),
])
def test_adoption_dates_parse_to_iso(raw, iso):
    assert parse_date(raw) == iso


def test_country_names_display_and_fallback():
    assert display_name("RUSSIAN FEDERATION") == "Russian Federation"
    assert display_name("NETHERLANDS (KINGDOM OF THE)") == "Netherlands (Kingdom of the)"
    assert display_name("TÜRKİYE") == "Türkiye"
    assert chinese_name("UNITED KINGDOM") == "联合王国"
    assert chinese_name("REPUBLIC OF ATLANTIS") == "Republic of Atlantis"  # unknown → English


def test_every_council_member_in_the_corpus_has_a_chinese_name():
    corpus = Path("/work/shared/corpus/resolutions/data_extract")
    if not corpus.is_dir():
        pytest.skip("shared corpus not mounted")
    missing = set()
    for path in sorted(corpus.glob("*.json")):
        for _, meta in read_metadata(path.read_bytes(), str(path)):
            missing |= {n for n in meta.in_favour + meta.against + meta.abstaining if chinese_name(n) == display_name(n)}
    assert not missing
