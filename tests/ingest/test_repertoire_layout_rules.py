"""Paragraph starts and continuations follow the layout NOTES.md documents, in English and Chinese.

Fixtures `repertoire_{en,zh}_layout.txt` are written in that layout (an empty line after every
visual line, indented footnotes, undocs.org link blocks, form feeds at page breaks) and each
exercises one rule per place: a sentence ending at a line end, a page break after a sentence end
and mid-sentence (with and without a stray leading space), continuation after footnote and link
blocks, a clause end (`；`, `:`) or abbreviation (`para.`) at a column end, a footnote sequence
that jumps (a page whose footnotes were lost), a footnote continued on the next page, a wrapped
footnote line starting with a year, and a table whose title wraps to a line starting with a date.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from ingest.repertoire import parse_repertoire, parse_repertoire_report
from ingest.repertoire_layout import closes_paragraph, split_lines

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"
EN = FIXTURES / "repertoire_en_layout.txt"
ZH = FIXTURES / "repertoire_zh_layout.txt"
EN_SECTION = "Thematic issues > 24. Women and peace and security"
ZH_SECTION = "专题问题 > 24. 妇女与和平与安全"


def _parse(path: Path):
    report = parse_repertoire_report(path.read_text(encoding="utf-8"), str(path))
    paragraphs = [c for c in report.chunks if c.kind == "paragraph"]
    rows = [c for c in report.chunks if c.kind == "table_row"]
    return report, paragraphs, rows


@pytest.fixture(scope="module")
def en():
    return _parse(EN)


@pytest.fixture(scope="module")
def zh():
    return _parse(ZH)


def _notes(paragraph) -> list[str]:
    return [f.number for f in paragraph.footnotes]


# ------------------------------------------------------------------------------------------------
# English


def test_en_only_a_leading_space_after_a_sentence_end_starts_a_paragraph(en):
    _, paragraphs, _ = en
    assert [(p.section, p.paragraph) for p in paragraphs] == [(EN_SECTION, n) for n in (1, 2, 3, 4)]
    first = paragraphs[0].text
    # "…in peace processes." ends a line; "Members also considered…" has no leading space: same paragraph.
    assert "in peace processes. Members also considered the report" in first
    assert paragraphs[1].text.startswith("On 29 October 2020, the Council adopted resolution 2538 (2020)")


def test_en_page_break_after_a_sentence_end_without_leading_space_continues(en):
    _, paragraphs, _ = en
    # "…missed opportunities." / footnotes / links / form feed / "The representative of Namibia…"
    assert "a year of missed opportunities. The representative of Namibia, speaking as the Council" in paragraphs[2].text


def test_en_continuation_after_footnote_and_link_blocks_joins_mid_word_and_mid_sentence(en):
    _, paragraphs, _ = en
    # "peace-" / footnotes / links / form feed / " keeping…" (stray leading space after the break)
    assert "promote the participation of women in peacekeeping operations at all levels." in paragraphs[1].text
    # "They welcomed the" / footnotes / links / form feed / " Secretary-General's call…"
    assert "They welcomed the Secretary-General's call to double the share of women." in paragraphs[2].text
    assert all("https://" not in p.text and "Ibid" not in p.text for p in paragraphs)


def test_en_clause_end_or_abbreviation_at_a_column_end_does_not_close_the_paragraph(en):
    _, paragraphs, _ = en
    assert "goals for the next decade; the report was welcomed by most speakers." in paragraphs[0].text
    assert "referred to in para. 10 of the resolution." in paragraphs[1].text
    assert "stressed the following: the need for data disaggregated by sex;" in paragraphs[2].text


def test_en_every_footnote_kept_through_a_sequence_jump_and_attached_to_its_marker(en):
    report, paragraphs, _ = en
    assert [_notes(p) for p in paragraphs] == [["301", "302"], ["303", "304", "305"], ["306", "310", "311", "312"], ["313"]]
    notes = {f.number: f for p in paragraphs for f in p.footnotes}
    assert (notes["310"].symbol, notes["310"].paragraphs) == ("S/PV.8772", [1])  # "para." / "1." joined
    assert notes["303"].text == (
        "Resolution 2538 (2020), para. 1. The resolution was adopted in 2020 at the initiative of South Africa."
    )
    assert (notes["305"].symbol, notes["305"].paragraphs) == ("S/RES/2538(2020)", [10, 12])
    # Continued in the next page's footnote block:
    assert notes["313"].text.endswith("in the letter dated 3 July 2020 from the President of the Council.")
    assert report.warnings == [] and report.unexplained_links == []


def test_en_table_rows_and_note_on_the_marked_row(en):
    _, _, rows = en
    assert [r.date for r in rows] == ["2020-07-07", "2020-10-29"]
    assert rows[1].text == (
        "29 October 2020 S/2020/1084 Letter dated 2 November 2020 from the President of the Security Council"
        " addressed to the Secretary-General and the Permanent Representatives of the members of the Security"
        " Council Resolution 2538 (2020) 15-0-0 S/2020/1054"
    )
    assert rows[1].vote is not None and rows[1].vote.tally == "15-0-0"
    assert [f.number for f in rows[1].footnotes] == ["a"] and rows[0].footnotes == []
    assert rows[1].footnotes[0].text.startswith("The vote on resolution 2538 (2020) was announced")


# ------------------------------------------------------------------------------------------------
# Chinese


def test_zh_paragraph_starts_and_continuations(zh):
    _, paragraphs, _ = zh
    assert [(p.section, p.paragraph) for p in paragraphs] == [(ZH_SECTION, n) for n in (1, 2, 3, 4)]
    first, second, third, fourth = (p.text for p in paragraphs)
    assert "通过了一项决议。安理会成员还审议了秘书长的报告(S/2020/946)，" in first  # sentence end at a line end
    assert "七项目标；大多数发言者欢迎该报告。" in first  # "；" at a column end, then a stray space
    assert "维持和平行动的各级工作。安理会还促请秘书处" in second  # "工" / blocks / " 作。"
    assert "资金。纳米比亚代表以安理会主席身份发言，回顾了第 1325(2000)号决议" in third  # page break after "。"
    assert "强调：需要按性别分列的数据；" in third
    assert fourth == "7 月 7 日，安理会举行了非公开会议。"


def test_zh_footnotes_through_a_jump_and_a_year_starting_line(zh):
    report, paragraphs, _ = zh
    assert [_notes(p) for p in paragraphs] == [["301", "302"], ["303", "304"], ["305", "310", "311"], ["312"]]
    notes = {f.number: f for p in paragraphs for f in p.footnotes}
    assert notes["303"].text == "第 2538(2020)号决议，第 1 段。该决议于 2020 年由安理会所有成员提出。"
    assert (notes["304"].symbol, notes["304"].paragraphs) == ("S/RES/2538(2020)", [6])
    assert notes["312"].symbol == "S/2020/651"
    assert report.warnings == [] and report.unexplained_links == []


def test_zh_table_title_wrapped_to_a_date_line_is_not_a_new_row(zh):
    _, _, rows = zh
    assert [r.date for r in rows] == ["2020-07-07", "2020-10-29"]
    assert rows[0].text == "2020 年 7 月 7 日 S/2020/651 2020 年 7 月 3 日安全理事会主席给秘书长和安全理事会成员国常驻代表的信"
    assert rows[1].footnotes[0].number == "a" and rows[1].footnotes[0].offset == len("2020 年 10 月 29 日")
    assert rows[0].footnotes == []


# ------------------------------------------------------------------------------------------------
# Both: the page-break representation does not matter


def _signature(chunks):
    return [(c.kind, c.section, c.paragraph, c.text, [f.model_dump() for f in c.footnotes]) for c in chunks]


@pytest.mark.parametrize("path", [EN, ZH], ids=["en", "zh"])
@pytest.mark.parametrize(
    "variant",
    [
        pytest.param(lambda t: t.replace("\f", ""), id="no-form-feeds"),
        pytest.param(lambda t: "\n".join(x for x in t.split("\n") if x.strip()), id="compact"),
        # Compact text where a page break leaves blank lines: blank lines start no paragraph.
        pytest.param(lambda t: "\n".join(x for x in t.split("\n") if x.strip()).replace("\f", "\n\n"), id="blank-page-breaks"),
        pytest.param(lambda t: t.replace("\n", "\r\n"), id="crlf"),
    ],
)
def test_same_chunks_whatever_marks_the_page_breaks(path, variant):
    text = path.read_text(encoding="utf-8")
    assert _signature(parse_repertoire(variant(text), str(path))) == _signature(parse_repertoire(text, str(path)))


def test_form_feed_is_dropped_without_shifting_line_numbers():
    lines, _ = split_lines("a\n\f b\n")
    assert [(line.no, line.raw, line.indented) for line in lines] == [(1, "a", False), (2, " b", True)]


@pytest.mark.parametrize(
    "text, closes",
    [
        ("the Council adopted the resolution.", True),
        ("宣布的。639", True),
        ("enablers.215", True),
        ("…“以行动促维和”。”", True),
        ("seven goals for the next decade;", False),
        ("其中提出了今后十年的七项目标；", False),
        ("若干发言者强调：", False),
        ("stressed the following:", False),
        ("referred to in para.", False),
        ("statement by Mr.", False),
        ("the Council", False),
        ("see part II, sect. I.", True),  # a roman numeral, not an initial
        ("the annex to S/2020/514.", True),
    ],
)
def test_what_closes_a_paragraph(text, closes):
    assert closes_paragraph(text) is closes


def test_table_note_mark_glued_to_the_date_still_marks_the_row():
    text = (
        " The Council met twice.\n"
        "Videoconferences: women and peace and security\n"
        "Videoconference date Videoconference record Title\n"
        "29 October 2020a S/2020/1084 Letter dated 2 November 2020\n"
        "7 July 2020 S/2020/651 Letter dated 3 July 2020\n"
        " a The vote was announced at an open videoconference.\n"
    )
    rows = [c for c in parse_repertoire(text, "t.txt") if c.kind == "table_row"]
    assert [(r.date, [f.number for f in r.footnotes]) for r in rows] == [("2020-10-29", ["a"]), ("2020-07-07", [])]
    assert rows[0].text == "29 October 2020 S/2020/1084 Letter dated 2 November 2020"


@pytest.mark.parametrize("path", [EN, ZH], ids=["en", "zh"])
def test_new_sentence_line_before_a_stray_leading_space_is_not_a_heading(path):
    """After a sentence end, a line that starts a new sentence and then a page break whose first
    line carries a stray space: one paragraph, not a heading over a new one."""
    text = path.read_text(encoding="utf-8")
    if path is EN:
        old = "It further requested the Secretary-General to report on\n"
        new = "It further requested the\n\n\f Secretary-General to report on\n"
        expected = "working environment. It further requested the Secretary-General to report on implementation"
    else:
        old, new = " 在辩论中，若干发言者强调：\n", " 在辩论中，若干发言者在公开视频会议上反复明确\n\n\f 强调：\n"
        expected = "在辩论中，若干发言者在公开视频会议上反复明确强调：需要按性别分列的数据；"
    assert old in text
    paragraphs = [c for c in parse_repertoire(text.replace(old, new), str(path)) if c.kind == "paragraph"]
    assert len(paragraphs) == 4 and {p.section for p in paragraphs} == {EN_SECTION if path is EN else ZH_SECTION}
    assert any(expected in p.text for p in paragraphs)
