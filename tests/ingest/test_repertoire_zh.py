"""The Chinese Repertoire sample parses into the paragraphs, footnotes and table rows a reader sees."""

from __future__ import annotations

import re

import pytest

from ingest.repertoire import (
    looks_like_repertoire,
    parse_repertoire,
    parse_repertoire_report,
    unexplained_links,
)

SECTION = "专题问题 > 23. 联合国维持和平行动"
TABLE_SECTION = SECTION + " > 视频会议：联合国维持和平行动"

# Footnote number → ordinal of the paragraph (in the section) whose text carries its marker.
MARKER_PARAGRAPH = {
    639: 1, 640: 3, 641: 3, 642: 3, 643: 3, 644: 3, 645: 3, 646: 4, 647: 6, 648: 6,
    649: 9, 650: 9, 651: 9, 652: 9, 653: 9, 654: 9, 655: 10, 656: 10, 657: 10, 658: 10,
    659: 11, 660: 13,
}  # fmt: skip


@pytest.fixture(scope="module")
def chunks(repertoire_zh_text, repertoire_zh_path):
    return parse_repertoire(repertoire_zh_text, repertoire_zh_path)


@pytest.fixture(scope="module")
def paragraphs(chunks):
    return [c for c in chunks if c.kind == "paragraph"]


@pytest.fixture(scope="module")
def rows(chunks):
    return [c for c in chunks if c.kind == "table_row"]


def by_ordinal(paragraphs, n):
    return next(p for p in paragraphs if p.paragraph == n)


def footnote(paragraphs, number):
    return next(f for p in paragraphs for f in p.footnotes if f.number == str(number))


def squash(text: str) -> str:
    return re.sub(r"\s+", "", text)


def test_sample_has_fifteen_body_paragraphs_in_one_section(paragraphs):
    assert len(paragraphs) == 15
    assert {p.section for p in paragraphs} == {SECTION}
    assert [p.paragraph for p in paragraphs] == list(range(1, 16))


def test_language_and_doc_id_come_from_the_text_not_the_file_name(chunks, repertoire_zh_text):
    assert {c.lang for c in chunks} == {"zh"}
    # Supplement year, section number, first footnote: see ingest.identity.
    assert {c.doc_id for c in chunks} == {"repertoire-2020-s23-fn639"}
    renamed = parse_repertoire(repertoire_zh_text, "/elsewhere/s23 copy.txt")
    assert [c.id for c in renamed] == [c.id for c in chunks]


def test_every_footnote_is_attached_once_to_the_paragraph_carrying_its_marker(paragraphs):
    attached = {int(f.number): p.paragraph for p in paragraphs for f in p.footnotes}
    assert attached == MARKER_PARAGRAPH
    assert sum(len(p.footnotes) for p in paragraphs) == 22


def test_footnote_symbols_resolve_ibid_across_blocks_and_parse_paragraph_lists(paragraphs):
    assert footnote(paragraphs, 639).symbol is None
    assert footnote(paragraphs, 639).link is None
    assert (footnote(paragraphs, 640).symbol, footnote(paragraphs, 640).paragraphs) == ("S/RES/2518(2020)", [4])
    assert (footnote(paragraphs, 641).symbol, footnote(paragraphs, 641).paragraphs) == ("S/RES/2518(2020)", [5])
    # 642 is the first footnote of a new block: 同上 still means footnote 641's document.
    assert (footnote(paragraphs, 642).symbol, footnote(paragraphs, 642).paragraphs) == ("S/RES/2518(2020)", [9])
    assert footnote(paragraphs, 643).paragraphs == [10, 12]
    assert footnote(paragraphs, 646).symbol == "S/2020/514"
    assert footnote(paragraphs, 646).link == "https://undocs.org/ch/S/2020/514"
    assert footnote(paragraphs, 647).symbol == "S/2020/604"
    assert footnote(paragraphs, 649).symbol is None
    assert (footnote(paragraphs, 655).symbol, footnote(paragraphs, 655).paragraphs) == ("S/RES/2538(2020)", [1])
    assert (footnote(paragraphs, 657).symbol, footnote(paragraphs, 657).paragraphs) == ("S/RES/2538(2020)", [6])
    assert footnote(paragraphs, 660).symbol == "S/2020/1092"


def test_two_line_footnotes_are_joined(paragraphs):
    assert footnote(paragraphs, 639).text == "关于 COVID-19 大流行期间制定的程序和工作方法的更多信息，见第二部分。"
    assert footnote(paragraphs, 655).text.endswith("该决议由安理会所有成员提出。关于提出决议的更多信息，见第二部分，第九.B 节。")


def test_markers_are_removed_but_years_dates_and_resolution_numbers_stay(paragraphs, rows):
    first = by_ordinal(paragraphs, 1)
    assert "639" not in first.text
    assert "2518(2020)" in first.text and "COVID-19" in first.text
    assert by_ordinal(paragraphs, 2).text.startswith("2020 年，安理会成员")
    third = by_ordinal(paragraphs, 3)
    assert third.text.startswith("3 月 30 日，安理会一致通过了第 2518(2020)号决议")
    assert not re.search(r"64[0-5]", third.text)
    assert "15-0-0" in rows[0].text
    for p in paragraphs:
        for f in p.footnotes:
            assert f.number not in p.text


def test_marker_offsets_point_at_where_the_marker_stood(paragraphs):
    first = by_ordinal(paragraphs, 1)
    assert footnote(paragraphs, 639).offset == len(first.text)
    fourth = by_ordinal(paragraphs, 4)
    assert fourth.text[: footnote(paragraphs, 646).offset].endswith("在公开视频会议")
    assert "视频会议上听取" in fourth.text
    third = by_ordinal(paragraphs, 3)
    assert third.text[: footnote(paragraphs, 640).offset].endswith("关键能力。")
    offsets = [f.offset for f in third.footnotes]
    assert offsets == sorted(offsets)


def test_paragraph_interrupted_by_footnote_and_url_blocks_is_rejoined(paragraphs):
    third = by_ordinal(paragraphs, 3)
    assert "安理会呼吁采取措施增强职业健康支持，确保提供适足的医疗设施并部署合格人员。" in third.text
    assert "https://" not in third.text and "同上" not in third.text


def test_page_break_continuation_with_leading_space_joins_previous_paragraph(paragraphs):
    fifth = by_ordinal(paragraphs, 5)
    assert "稳定团将继续侧重于任务授权中的核心优先事项，同时为调整创造条件" in fifth.text
    ninth = by_ordinal(paragraphs, 9)
    assert "以及当地的习俗和价值观。" in ninth.text


def test_wrapped_cjk_lines_join_without_spaces_and_keep_cited_resolutions(paragraphs):
    first = by_ordinal(paragraphs, 1)
    assert "就题为“联合国维持和平行动”的项目" in first.text
    assert " " not in first.text.replace("第 2518", "").replace("第 2538", "")
    eleventh = by_ordinal(paragraphs, 11)
    assert "根据第 2378(2017)号决议" in eleventh.text
    assert eleventh.symbols[0] == "S/RES/2378(2017)"


def test_chunk_symbols_list_text_then_footnotes_with_links(paragraphs):
    first = by_ordinal(paragraphs, 1)
    assert first.symbols == ["S/RES/2518(2020)", "S/RES/2538(2020)"]
    assert first.links == ["https://undocs.org/ch/S/RES/2518(2020)", "https://undocs.org/ch/S/RES/2538(2020)"]
    assert by_ordinal(paragraphs, 4).symbols == ["S/2020/514"]
    assert by_ordinal(paragraphs, 6).symbols == ["S/2020/604", "S/2020/674"]
    assert by_ordinal(paragraphs, 11).symbols == ["S/RES/2378(2017)", "S/2020/911"]


def test_every_undocs_link_in_the_file_is_explained_by_a_chunk_symbol(repertoire_zh_text, repertoire_zh_path):
    report = parse_repertoire_report(repertoire_zh_text, repertoire_zh_path)
    assert len(report.urls) == 13
    assert report.unexplained_links == []
    assert unexplained_links(repertoire_zh_text) == []
    assert report.warnings == []


def test_unexplained_link_is_reported(repertoire_zh_text):
    text = repertoire_zh_text.replace(
        "https://undocs.org/ch/S/2020/514\n", "https://undocs.org/ch/S/2020/514\nhttps://undocs.org/ch/S/2020/999\n"
    )
    assert unexplained_links(text) == ["https://undocs.org/ch/S/2020/999"]


def test_table_has_six_rows_with_dates_labels_and_section(rows):
    assert len(rows) == 6
    assert [r.date for r in rows] == ["2020-03-30", "2020-06-04", "2020-07-07", "2020-08-28", "2020-09-14", "2020-11-04"]
    assert rows[0].label == "2020 年 3 月 30 日"
    assert {r.section for r in rows} == {TABLE_SECTION}
    assert "2020年11月4日S/2020/1092" in squash(rows[5].text)


def test_table_row_text_is_cells_in_reading_order_without_note_mark(rows):
    first = rows[0]
    assert first.text == (
        "2020 年 3 月 30 日 S/2020/268 2020 年 3 月 31 日安全理事会主席给秘书长和安全理事会成员国常驻代表的信"
        " 第 2518(2020)号决议 15-0-0 S/2020/249"
    )
    assert first.symbols[:3] == ["S/2020/268", "S/RES/2518(2020)", "S/2020/249"]
    assert first.links[0] == "https://undocs.org/ch/S/2020/268"


def test_table_vote_and_note_attach_to_marked_row_only(rows):
    assert rows[0].vote is not None and rows[0].vote.tally == "15-0-0"
    assert rows[3].vote is not None and rows[3].vote.tally == "15-0-0"
    assert rows[1].vote is None
    note = rows[0].footnotes[0]
    assert note.number == "a"
    assert note.text.startswith("由于技术上的困难") and note.text.endswith("见第二部分。")
    assert note.symbol == "S/RES/2518(2020)"
    assert note.offset == len("2020 年 3 月 30 日")
    assert all(not r.footnotes for r in rows[1:])


def test_source_lines_are_one_based_lines_of_the_original_file(paragraphs, rows, repertoire_zh_text, repertoire_zh_path):
    lines = repertoire_zh_text.split("\n")
    third = by_ordinal(paragraphs, 3)
    assert third.source.path == repertoire_zh_path
    first, last = third.source.lines
    assert lines[first - 1].startswith(" 3 月 30 日")
    assert lines[last - 1].startswith("对她们的威胁和暴力")
    assert lines[rows[0].source.lines[0] - 1].startswith("2020 年 3 月 30 日")


def test_ids_are_unique_and_stable_across_runs(repertoire_zh_text, repertoire_zh_path, chunks):
    again = parse_repertoire(repertoire_zh_text, repertoire_zh_path)
    assert [c.id for c in chunks] == [c.id for c in again]
    assert len({c.id for c in chunks}) == len(chunks)
    assert chunks[0].id == "repertoire-2020-s23-fn639|zh|paragraph|1"


def _signature(chunks):
    return [(c.kind, c.section, c.paragraph, c.text, [f.model_dump() for f in c.footnotes]) for c in chunks]


def test_same_chunks_without_blank_lines_between_visual_lines(repertoire_zh_text, chunks):
    compact = "\n".join(line for line in repertoire_zh_text.split("\n") if line.strip())
    assert _signature(parse_repertoire(compact, "x.zh.txt")) == _signature(chunks)


def test_same_chunks_with_crlf_line_ends(repertoire_zh_text, chunks):
    crlf = parse_repertoire(repertoire_zh_text.replace("\n", "\r\n"), "x.zh.txt")
    assert _signature(crlf) == _signature(chunks)
    assert [c.source.lines for c in crlf] == [c.source.lines for c in chunks]


def test_sample_looks_like_repertoire(repertoire_zh_text):
    assert looks_like_repertoire(repertoire_zh_text)
    assert not looks_like_repertoire("<akomaNtoso>\n<doc/>\n</akomaNtoso>")
