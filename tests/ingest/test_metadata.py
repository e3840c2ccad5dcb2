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


# --------------------------------------------------------------------------- cross-checked votes
# Real rows copied from /work/shared/corpus/resolutions/data_extract (tests/fixtures/data_extract_conflicts.jsonl):
# 1287 (2000) "14-0-0, 1 absent" with the absent member listed as abstaining; 1559 (2004) counts 15-0-0
# beside "9-0-6" and nine + six names; 2521 (2020) an in-favour count of 15 beside 12 names and
# "12-0-3"; 2564 (2021) "Adopted non-unanimously"; 2756 (2024) "13-0-2" where the lists and counts
# say 12-0-2; 2812 (2026) "13-0-2" beside 15 names in favour; 2820–2822 (2026) listed twice.

CONFLICTS = ROOT / "tests" / "fixtures" / "data_extract_conflicts.jsonl"


@pytest.fixture(scope="module")
def conflict_rows():
    return {m.symbol: (line, m) for line, m in read_metadata(CONFLICTS.read_bytes(), str(CONFLICTS))}


def _counts(meta):
    return meta.in_favour_count, meta.against_count, meta.abstaining_count


def test_an_impossible_count_is_not_used_and_the_card_says_the_counts_disagree(conflict_rows):
    _, meta = conflict_rows["S/RES/2521(2020)"]
    assert _counts(meta) == (12, 0, 3)
    assert any("15-0-3" in c and "18 votes" in c for c in meta.conflicts)
    en, zh = document_cards(meta, ["en", "zh"], "2020.json", 1)
    assert "Vote: 12-0-3" in en.text and "15 in favour" not in en.text
    assert "15-0-3" in en.text and "not used" in en.text  # the disagreement is shown, not hidden
    assert "12票赞成" in zh.text and "不一致" in zh.text
    assert en.vote.conflicts == meta.conflicts


def test_counts_contradicted_by_tally_and_lists_lose(conflict_rows):
    _, meta = conflict_rows["S/RES/1559(2004)"]
    assert _counts(meta) == (9, 0, 6) and len(meta.abstaining) == 6
    assert meta.conflicts and "15-0-0" in meta.conflicts[0]


def test_lists_and_counts_agreeing_outvote_the_tally(conflict_rows):
    # Western Sahara, October 2024: 12 names in favour, 2 abstaining, counts 012/002; "13-0-2" is the odd one out.
    _, meta = conflict_rows["S/RES/2756(2024)"]
    assert _counts(meta) == (12, 0, 2)
    assert len(meta.in_favour) == 12 and meta.abstaining == ["MOZAMBIQUE", "RUSSIAN FEDERATION"]
    assert any("13-0-2" in c for c in meta.conflicts)


def test_lists_contradicting_the_tally_are_withheld_not_printed(conflict_rows):
    # 2812 (2026): "Adopted 13-0-2", count 013, but all 15 members listed in favour and nobody abstaining.
    _, meta = conflict_rows["S/RES/2812(2026)"]
    assert _counts(meta) == (13, 0, 2)
    assert meta.in_favour == [] and meta.abstaining == []
    en, zh = document_cards(meta, ["en", "zh"], "2026.json", 1)
    assert "Vote: 13-0-2" in en.text
    assert "In favour:" not in en.text and "Abstaining: none" not in en.text
    assert "not shown" in en.text and "不列出" in zh.text


def test_a_tally_stating_absences_is_taken_as_written(conflict_rows):
    _, meta = conflict_rows["S/RES/1287(2000)"]
    assert _counts(meta) == (14, 0, 0)
    assert meta.abstaining == []  # the member listed as abstaining was absent
    assert len(meta.in_favour) == 14


def test_non_unanimous_is_not_read_as_unanimous(conflict_rows):
    _, meta = conflict_rows["S/RES/2564(2021)"]
    assert not meta.unanimous
    assert _counts(meta) == (14, 0, 1) and not meta.conflicts
    en, zh = document_cards(meta, ["en", "zh"], "2021.json", 1)
    assert "unanimously" not in en.text and "一致" not in zh.text


def test_rows_listed_twice_merge_into_the_most_complete_copy(conflict_rows):
    symbols = [m.symbol for _, m in read_metadata(CONFLICTS.read_bytes(), str(CONFLICTS))]
    assert symbols.count("S/RES/2820(2026)") == 1
    line, meta = conflict_rows["S/RES/2820(2026)"]
    assert meta.agenda_item == "Reports of the Secretary-General on the Sudan and South Sudan"
    assert _counts(meta) == (13, 0, 2) and meta.meeting_record == "S/PV.10148"
    assert "UN Mission in South Sudan" in meta.subjects
    assert line < conflict_rows["S/RES/2822(2026)"][0]  # the first copy's line


def test_subjects_keep_thesaurus_terms_not_catalogue_codes(conflict_rows):
    _, meta = conflict_rows["S/RES/2812(2026)"]
    assert meta.subjects == ["Houthis", "MARITIME SECURITY", "YEMEN", "RED SEA"]
    assert meta.vote_record().subjects == meta.subjects


def test_no_tally_is_stated_when_the_three_versions_disagree():
    row = json.loads(ROW_2504.read_text(encoding="utf-8"))
    row.update(adoption_type="Adopted 11-0-4, 8700th meeting", MS_in_favour_count="13", MS_abstaining_count="2",
               MS_in_favour=row["MS_in_favour"][:9], MS_abstaining=row["MS_abstaining"][:3])
    [(_, meta)] = read_metadata(json.dumps(row).encode(), "x.json")
    assert _counts(meta) == (None, None, None) and not meta.in_favour and not meta.abstaining
    en, zh = document_cards(meta, ["en", "zh"], "x.json", 1)
    assert "Vote:" not in en.text and "11-0-4 (" not in en.text
    assert "no tally is stated" in en.text and "不列出表决结果" in zh.text


def test_blank_and_zero_padded_counts_mean_unknown_and_a_number():
    row = json.loads(ROW_2504.read_text(encoding="utf-8"))
    row.update(adoption_type="", MS_in_favour_count="011", MS_against_count="", MS_abstaining_count="",
               MS_in_favour=[], MS_against=[], MS_abstaining=[])
    [(_, meta)] = read_metadata(json.dumps(row).encode(), "x.json")
    assert _counts(meta) == (11, None, None)
    [en] = document_cards(meta, ["en"], "x.json", 1)
    assert "Vote:" not in en.text  # never "11-0-0" from guessed zeros


def test_every_corpus_row_states_a_possible_vote():
    corpus = Path("/work/shared/corpus/resolutions/data_extract")
    if not corpus.is_dir():
        pytest.skip("shared corpus not mounted")
    for path in sorted(corpus.glob("*.json")):
        for _, meta in read_metadata(path.read_bytes(), str(path)):
            counts = [c for c in _counts(meta) if c is not None]
            assert sum(counts) <= 15, meta.symbol
            for names, count in ((meta.in_favour, meta.in_favour_count), (meta.abstaining, meta.abstaining_count)):
                assert not names or count is None or len(names) == count, meta.symbol
