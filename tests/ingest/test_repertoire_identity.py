"""A Repertoire document is named by what it says (year, section, first footnote), not by its file;
its fingerprint tells a copy from another rendering."""

from __future__ import annotations

from pathlib import Path

from ingest.identity import (
    content_fingerprint,
    repertoire_doc_id,
    squash,
    supplement_year,
)
from ingest.repertoire import parse_repertoire

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"


def test_sample_and_fixtures_get_ids_from_year_section_and_first_footnote(repertoire_zh_text, repertoire_en_text):
    assert parse_repertoire(repertoire_zh_text, "x.txt")[0].doc_id == "repertoire-2020-s23-fn639"
    assert parse_repertoire(repertoire_en_text, "x.txt")[0].doc_id == "repertoire-2020-s23-fn212"
    en = parse_repertoire((FIXTURES / "repertoire_en_layout.txt").read_text(encoding="utf-8"), "x.txt")
    zh = parse_repertoire((FIXTURES / "repertoire_zh_layout.txt").read_text(encoding="utf-8"), "y.txt")
    assert {c.doc_id for c in en} == {c.doc_id for c in zh} == {"repertoire-2020-s24-fn301"}


def test_file_name_and_line_layout_change_neither_ids_nor_fingerprint(repertoire_zh_text):
    a = parse_repertoire(repertoire_zh_text, "data/repertoire-2020-part1-s23-peacekeeping.zh.txt")
    compact = "\n".join(line for line in repertoire_zh_text.split("\n") if line.strip())
    b = parse_repertoire(compact, "copies/section 23.txt")
    assert [c.id for c in a] == [c.id for c in b]
    assert content_fingerprint(a) == content_fingerprint(b)


def test_fingerprint_changes_when_a_passage_does(repertoire_zh_text):
    a = parse_repertoire(repertoire_zh_text, "a.txt")
    b = parse_repertoire(repertoire_zh_text.replace("安理会一致通过了", "安理会通过了"), "b.txt")
    assert a[0].doc_id == b[0].doc_id
    assert content_fingerprint(a) != content_fingerprint(b)


def test_fingerprint_is_blind_to_spacing_punctuation_hyphenation_and_width():
    assert squash("peace- keeping, 2020 年（第 2518 号）") == squash("peacekeeping 2020年(第2518号)")
    assert squash("ＡＢＣ １２") == "abc12"


def test_sections_without_footnotes_fall_back_on_cited_symbols_then_on_words():
    with_symbol = parse_repertoire(" Thematic issues\n41. Zebra logistics\n The Council adopted resolution 2518 (2020).\n", "z.txt")
    assert with_symbol[0].doc_id.startswith("repertoire-2020-s41-c")
    plain_a = parse_repertoire(" The Council met.\n Members spoke.\n", "p.txt")
    plain_b = parse_repertoire(" The Council met twice.\n Members spoke.\n", "p.txt")
    assert plain_a[0].doc_id.startswith("repertoire-t") and plain_a[0].doc_id != plain_b[0].doc_id


def test_supplement_year_is_what_most_symbols_and_table_rows_say(repertoire_zh_text):
    chunks = parse_repertoire(repertoire_zh_text, "x.txt")
    assert supplement_year(chunks) == 2020
    assert supplement_year([]) is None
    assert repertoire_doc_id([]).startswith("repertoire-t")


def test_file_identity_is_what_the_store_compares(repertoire_zh_text):
    from ingest.identity import file_identity

    chunks = parse_repertoire(repertoire_zh_text, "x.txt")
    assert file_identity(chunks) == ("repertoire-2020-s23-fn639", "zh", content_fingerprint(chunks))
    mixed = chunks[:1] + [chunks[1].model_copy(update={"lang": "en"})]
    assert file_identity(mixed) is None and file_identity([]) is None
