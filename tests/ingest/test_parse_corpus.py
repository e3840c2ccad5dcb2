"""A corpus folder in one command: every record kind found, every upstream quirk handled and reported.

Runs on `tests/fixtures/corpus`, a small copy of the shared corpus with its defects (see its README).
"""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest

from ingest.parse import IgnoredFile, parse_files, parse_paths

CORPUS = Path(__file__).resolve().parents[1] / "fixtures" / "corpus"
RES = CORPUS / "resolutions"


@pytest.fixture(scope="module")
def report():
    return parse_paths([CORPUS])


def chunks_of(report, doc_id: str, kind: str | None = None, lang: str | None = None):
    return [c for c in report.chunks if c.doc_id == doc_id and (kind is None or c.kind == kind)
            and (lang is None or c.lang == lang)]


def test_whole_folder_parses_without_errors_and_finds_every_kind(report):
    assert report.errors == []
    kinds = report.summary.kinds
    assert set(kinds) == {"resolution", "presidential_statement", "draft_not_adopted", "veto"}
    assert kinds["presidential_statement"].documents == 5
    assert kinds["draft_not_adopted"].documents == 4
    assert kinds["veto"].documents == 10
    assert kinds["resolution"].documents == 6  # 1582 (2005), 2193, 2194 (card only), 2464, 2673, 2820


def test_chunk_ids_are_unique_across_the_folder(report):
    ids = [c.id for c in report.chunks]
    assert len(ids) == len(set(ids))


def test_summary_lines_give_counts_per_kind_recoveries_duplicates_and_skips(report):
    text = "\n".join(report.summary.lines())
    assert re.search(r"presidential statements: 5 documents, \d+ chunks", text)
    assert "3 statements needed recovery" in text
    assert "skipped 2 files (empty placeholder file)" in text and "test.txt" in text
    assert text.count("duplicate: ") == 2


def test_empty_placeholder_files_are_skipped_with_a_note_not_an_error(report):
    names = sorted(Path(i.path).name for i in report.ignored if i.note == "empty placeholder file")
    assert names == ["test", "test.txt"]


def test_placeholder_named_explicitly_is_still_an_error():
    report = parse_paths([RES / "PRST" / "2000" / "test.txt"])
    assert len(report.errors) == 1


def test_resolution_in_two_year_folders_is_kept_from_its_own_year(report):
    [dup] = [d for d in report.summary.duplicates if d.symbol == "S/RES/2193(2014)"]
    assert "/2014/" in dup.kept and "/2015/" in dup.dropped[0] and "own year" in dup.why
    sources = {c.source.path for c in chunks_of(report, "S/RES/2193(2014)", "resolution_paragraph")}
    assert len(sources) == 1 and "/2014/" in sources.pop()
    dropped = [i for i in report.ignored if "/2015/" in i.path]
    assert dropped and "S/RES/2193(2014)" in dropped[0].note


def test_resolution_twice_in_one_folder_keeps_the_more_complete_copy(report):
    [dup] = [d for d in report.summary.duplicates if d.symbol == "S/RES/2464(2019)"]
    assert dup.kept.endswith("S_RES_2464_1906112E.xml") and "metadata keywords" in dup.why


def test_duplicate_rule_is_the_same_whichever_order_the_folders_are_named(tmp_path):
    one = parse_paths([RES / "Pre-2020" / "2015", RES / "Pre-2020" / "2014"])
    [dup] = [d for d in one.summary.duplicates if d.symbol == "S/RES/2193(2014)"]
    assert "/2014/" in dup.kept


def test_english_only_documents_get_their_chinese_card_from_the_english_file(report):
    langs = {c.lang for c in chunks_of(report, "S/PRST/2021/5", "document_card")}
    assert langs == {"en", "zh"}
    assert {c.lang for c in chunks_of(report, "S/RES/2193(2014)", "document_card")} == {"en", "zh"}


def test_draft_in_both_languages_has_one_card_per_language(report):
    cards = chunks_of(report, "S/2024/312", "document_card")
    assert sorted(c.lang for c in cards) == ["en", "zh"]


def test_xml_without_a_metadata_row_gives_text_without_a_vote_card(report):
    assert chunks_of(report, "S/RES/2464(2019)", "resolution_paragraph")
    assert not chunks_of(report, "S/RES/2464(2019)", "document_card")
    assert any("S/RES/2464(2019) has no metadata row" in note for _, note in report.summary.notes)


def test_metadata_row_without_xml_gives_a_card_when_its_folder_is_given(report):
    cards = chunks_of(report, "S/RES/2194(2014)")
    assert cards and {c.kind for c in cards} == {"document_card"} and {c.lang for c in cards} == {"en", "zh"}


def test_metadata_beside_a_folder_enriches_but_adds_no_cards_for_other_resolutions():
    report = parse_paths([RES / "Pre-2020" / "2014"])
    assert chunks_of(report, "S/RES/2193(2014)", "document_card")
    assert not chunks_of(report, "S/RES/2194(2014)")


def test_metadata_row_listed_twice_gives_one_card_and_a_note(report):
    assert len(chunks_of(report, "S/RES/2820(2026)", "document_card", "en")) == 1
    assert any("S/RES/2820(2026) has 2 metadata rows" in note for _, note in report.summary.notes)


def test_paragraph_nested_in_the_previous_one_by_the_markup_is_its_own_chunk(report):
    ops = {c.paragraph for c in chunks_of(report, "S/RES/2820(2026)", "resolution_paragraph") if "|op" in c.id}
    assert {4, 5, 6} <= ops
    op5 = next(c for c in chunks_of(report, "S/RES/2820(2026)", "resolution_paragraph") if c.id.endswith("|op5"))
    assert op5.text.startswith("Decides to reduce the overall force levels of UNMISS")


def test_invisible_marks_are_stripped_from_chinese_text(report):
    chunks = chunks_of(report, "S/RES/2673(2023)")
    assert chunks and "\u200e" in (RES / "2023" / "Chinese" / "S_RES_2673_C.xml").read_text(encoding="utf-8")
    assert not any(re.search("[\u200b-\u200f\u202a-\u202e\ufeff]", c.text + c.section) for c in chunks)


def test_recovered_statements_are_marked_on_every_chunk(report):
    recovered = {r.symbol for r in report.summary.recovered}
    assert recovered == {"S/PRST/2000/37", "S/PRST/2000/25", "S/PRST/2000/27/Corr.1"}
    for symbol in recovered:
        assert all(c.source.recovered for c in chunks_of(report, symbol))


def test_ignored_files_are_neither_errors_nor_chunks_for_bulk_ingestion(tmp_path):
    """The bulk ingester fails a file that has `reason`/`error` and stores one that has `chunks`."""
    folder = tmp_path / "2019"
    shutil.copytree(RES / "Pre-2020" / "2019", folder)
    (folder / "test").write_bytes(b"\n")
    ignored = [r for r in parse_files([folder]) if isinstance(r, IgnoredFile)]
    assert len(ignored) == 2  # the placeholder and the dropped copy of 2464
    for r in ignored:
        assert not hasattr(r, "chunks") and not hasattr(r, "reason") and not hasattr(r, "error")


def test_parsing_twice_gives_the_same_ids(report):
    again = parse_paths([CORPUS])
    assert [c.id for c in again.chunks] == [c.id for c in report.chunks]


def test_summary_is_typed_data_that_serialises_to_json(report):
    import json

    data = json.loads(json.dumps(report.summary.as_dict()))
    assert data["kinds"]["veto"]["documents"] == 10 and data["statements_recovered"] == 3
    assert {d["symbol"] for d in data["duplicates"]} == {"S/RES/2193(2014)", "S/RES/2464(2019)"}


def test_a_row_date_contradicted_by_the_symbol_year_and_the_file_gives_way_to_the_file():
    """S/RES/2423(2018)'s metadata row says 29 June 2016; its file and its symbol say 2018: counting it
    among 2016's resolutions would state a number the records contradict."""
    report = parse_paths([Path(__file__).resolve().parents[1] / "fixtures" / "row_date_conflict"])
    cards = [c for c in report.chunks if c.doc_id == "S/RES/2423(2018)" and c.kind == "document_card"]
    assert cards and {c.date for c in cards} == {"2018-06-28"}
    assert all("2016" not in c.text for c in cards if c.lang == "en")
    notes = [n for _, n in report.summary.notes if "S/RES/2423(2018)" in n]
    assert any("contradicts the symbol's year and the file" in n for n in notes)
