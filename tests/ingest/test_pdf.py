"""PDF input: a two-column Repertoire-style PDF comes out in the layout the text parser reads."""

from __future__ import annotations

from dataclasses import dataclass, field

import pymupdf
import pytest

from ingest.pdf import SEPARATOR, extract_pdf_text
from ingest.repertoire import parse_repertoire, parse_repertoire_report

@dataclass
class ColumnSpec:
    """Lines of one column: (indented, text) body lines, then footnote lines under a separator."""

    body: list[tuple[bool, str]] = field(default_factory=list)
    footnotes: list[str] = field(default_factory=list)
    separator: str = "drawn"  # "drawn" (a vector rule) or "text" (a line of underscores)


@dataclass
class PageSpec:
    left: ColumnSpec
    right: ColumnSpec = field(default_factory=ColumnSpec)
    links: list[str] = field(default_factory=list)  # URIs, put on the page as link annotations


def build_pdf(pages: list[PageSpec], fontname: str = "helv", size: float = 9.0) -> bytes:
    """A two-column A4 PDF laid out like the Repertoire (columns 56-290 and 310-545)."""
    doc = pymupdf.open()
    columns_x = (56.0, 310.0)
    step = size * 1.4
    for spec in pages:
        page = doc.new_page(width=595, height=842)
        for x, column in zip(columns_x, (spec.left, spec.right), strict=True):
            y = 60.0
            for indented, text in column.body:
                page.insert_text((x + (12 if indented else 0), y), text, fontsize=size, fontname=fontname)
                y += step
            if column.footnotes:
                y = 842 - 60 - step * (len(column.footnotes) + 1)
                if column.separator == "drawn":
                    page.draw_line((x, y - size), (x + 90, y - size), width=0.5)
                else:
                    page.insert_text((x, y), "__________________", fontsize=size)
                    y += step
                for note in column.footnotes:
                    page.insert_text((x + 8, y), note, fontsize=size * 0.85, fontname=fontname)
                    y += step * 0.9
        for i, uri in enumerate(spec.links):
            rect = pymupdf.Rect(60, 60 + i * step - size, 200, 60 + i * step + 2)
            page.insert_link({"kind": pymupdf.LINK_URI, "from": rect, "uri": uri})
    data = doc.tobytes()
    doc.close()
    return data


@pytest.fixture
def pdf_builder():
    return build_pdf


def english_page() -> PageSpec:
    return PageSpec(
        left=ColumnSpec(
            body=[
                (True, "Thematic issues"),
                (False, "23. United Nations peacekeeping operations"),
                (True, "On 30 March 2020, the Council adopted"),
                (False, "resolution 2518 (2020) by 15-0-0, stressing"),
                (False, "the need for medical facilities and critical"),
                (False, "enablers.640 In that regard, the Council asked"),
                (False, "the Secretary-General to enhance the safety of"),
                (False, "peace-"),
                (False, "keepers.641 The Council called upon troop-"),
                (False, "and police-contributing countries to deploy"),
            ],
            footnotes=["640 Resolution 2518 (2020), para. 4.", "641 Ibid., paras. 10 and 12."],
        ),
        right=ColumnSpec(
            body=[
                (False, "qualified personnel.642"),
                (True, "On 4 June 2020, at an open videoconference,643"),
                (False, "members heard 3 Force Commanders."),
            ],
            footnotes=["642 Ibid., para. 9.", "643 See S/2020/514."],
        ),
        links=["https://undocs.org/en/S/RES/2518(2020)", "https://undocs.org/en/S/2020/514"],
    )


def test_two_column_pdf_text_reads_left_column_then_right_with_separators_and_links():
    text = extract_pdf_text(build_pdf([english_page()]), "p.pdf")
    lines = text.splitlines()
    assert lines[0] == " Thematic issues"
    assert lines[1] == "23. United Nations peacekeeping operations"
    assert lines[2] == " On 30 March 2020, the Council adopted"
    assert lines[3] == "resolution 2518 (2020) by 15-0-0, stressing"
    assert lines.index("and police-contributing countries to deploy") < lines.index(SEPARATOR)
    assert lines.index(SEPARATOR) < lines.index(" 640 Resolution 2518 (2020), para. 4.")
    assert lines.index(" 641 Ibid., paras. 10 and 12.") < lines.index("qualified personnel.642")
    assert lines.count(SEPARATOR) == 2
    assert lines[-2:] == ["https://undocs.org/en/S/RES/2518(2020)", "https://undocs.org/en/S/2020/514"]


def test_two_column_pdf_parses_into_paragraphs_with_footnotes():
    text = extract_pdf_text(build_pdf([english_page()]), "p.en.pdf")
    report = parse_repertoire_report(text, "p.en.pdf")
    paragraphs = [c for c in report.chunks if c.kind == "paragraph"]
    assert [p.section for p in paragraphs] == ["Thematic issues > 23. United Nations peacekeeping operations"] * 2
    first, second = paragraphs
    assert first.text == (
        "On 30 March 2020, the Council adopted resolution 2518 (2020) by 15-0-0, stressing the need for"
        " medical facilities and critical enablers. In that regard, the Council asked the Secretary-General"
        " to enhance the safety of peacekeepers. The Council called upon troop- and police-contributing"
        " countries to deploy qualified personnel."
    )
    assert [(f.number, f.symbol, f.paragraphs) for f in first.footnotes] == [
        ("640", "S/RES/2518(2020)", [4]),
        ("641", "S/RES/2518(2020)", [10, 12]),
        ("642", "S/RES/2518(2020)", [9]),
    ]
    assert second.text == "On 4 June 2020, at an open videoconference, members heard 3 Force Commanders."
    assert second.footnotes[0].symbol == "S/2020/514"
    assert report.unexplained_links == []
    assert report.warnings == []


def test_chinese_pdf_with_typed_separator_and_page_break_continuation():
    page1 = PageSpec(
        left=ColumnSpec(
            body=[
                (True, "专题问题"),
                (False, "23.  联合国维持和平行动"),
                (True, "3 月 30 日，安理会一致通过了第 2518(2020)号"),
                (False, "决议，包括提供适足的医疗设施和关键能力。640"),
                (False, "在这方面，安理会请秘书长继续采用一切适当措"),
                (False, "施。641 安理会呼吁采取措施增强职业健康支持，"),
                (False, "确保提供适"),
            ],
            footnotes=["640 第 2518(2020)号决议，第 4 段。", "641 同上，第 5 段。"],
            separator="text",
        ),
        links=["https://undocs.org/ch/S/RES/2518(2020)"],
    )
    page2 = PageSpec(
        left=ColumnSpec(
            body=[
                (True, "足的医疗设施并部署合格人员。642 6 月 4 日的视频"),
                (False, "会议643 上，部队指挥官作了通报。"),
                (True, "马里稳定团部队指挥官指出，稳定团将继续努力。"),
            ],
            footnotes=["642 同上，第 10 和 12 段。", "643 见 S/2020/514。"],
        ),
        links=["https://undocs.org/ch/S/2020/514"],
    )
    text = extract_pdf_text(build_pdf([page1, page2], fontname="china-s"), "c.pdf")
    chunks = parse_repertoire(text, "c.zh.pdf")
    assert {c.lang for c in chunks} == {"zh"}
    assert [c.section for c in chunks] == ["专题问题 > 23. 联合国维持和平行动"] * 2
    first, second = chunks
    assert "安理会呼吁采取措施增强职业健康支持，确保提供适足的医疗设施并部署合格人员。" in first.text
    assert "6 月 4 日的视频会议上，部队指挥官作了通报。" in first.text
    assert [(f.number, f.symbol, f.paragraphs) for f in first.footnotes] == [
        ("640", "S/RES/2518(2020)", [4]),
        ("641", "S/RES/2518(2020)", [5]),
        ("642", "S/RES/2518(2020)", [10, 12]),
        ("643", "S/2020/514", []),
    ]
    assert second.text == "马里稳定团部队指挥官指出，稳定团将继续努力。"
    assert first.links == ["https://undocs.org/ch/S/RES/2518(2020)", "https://undocs.org/ch/S/2020/514"]


def test_single_column_pdf_keeps_line_order():
    doc = pymupdf.open()
    page = doc.new_page(width=595, height=842)
    page.insert_text((72, 72), "   The Council met on 30 March 2020 and adopted a resolution on the safety of", fontsize=10)
    page.insert_text((72, 86), "peacekeepers, which members welcomed.", fontsize=10)
    page.insert_text((90, 100), "A second paragraph follows here.", fontsize=10)
    text = extract_pdf_text(doc.tobytes(), "s.pdf")
    chunks = parse_repertoire(text, "s.pdf")
    assert [c.text for c in chunks] == [
        "The Council met on 30 March 2020 and adopted a resolution on the safety of peacekeepers, which members welcomed.",
        "A second paragraph follows here.",
    ]


def test_corrupt_pdf_raises_value_error():
    with pytest.raises(ValueError, match="not a readable PDF"):
        extract_pdf_text(b"%PDF-1.7 this is not really a pdf", "bad.pdf")


def test_empty_file_raises_value_error():
    with pytest.raises(ValueError, match="empty"):
        extract_pdf_text(b"", "empty.pdf")


def test_pdf_without_text_raises_value_error():
    doc = pymupdf.open()
    doc.new_page()
    with pytest.raises(ValueError, match="no extractable text"):
        extract_pdf_text(doc.tobytes(), "scan.pdf")


def test_encrypted_pdf_raises_value_error():
    doc = pymupdf.open()
    page = doc.new_page()
    page.insert_text((72, 72), "secret", fontsize=10)
    data = doc.tobytes(encryption=pymupdf.PDF_ENCRYPT_AES_256, owner_pw="owner", user_pw="user")
    with pytest.raises(ValueError, match="encrypted"):
        extract_pdf_text(data, "locked.pdf")


def test_page_wide_footnote_area_read_before_right_column_still_attaches_markers():
    # One footnote area under the left column only, holding the right column's footnote too: the
    # text puts it before the right column, and the marker is found after its block.
    page = PageSpec(
        left=ColumnSpec(
            body=[(True, "The Council adopted resolution 2518 (2020).640")],
            footnotes=["640 Resolution 2518 (2020), para. 4.", "641 See S/2020/514."],
        ),
        right=ColumnSpec(body=[(True, "Members met by"), (False, "videoconference.641")]),
    )
    chunks = parse_repertoire(extract_pdf_text(build_pdf([page]), "w.pdf"), "w.pdf")
    assert [(c.text, [f.number for f in c.footnotes]) for c in chunks] == [
        ("The Council adopted resolution 2518 (2020).", ["640"]),
        ("Members met by videoconference.", ["641"]),
    ]
    assert chunks[1].footnotes[0].offset == len("Members met by videoconference.")


def test_page_numbers_in_the_margins_are_dropped():
    doc = pymupdf.open()
    page = doc.new_page(width=595, height=842)
    page.insert_text((290, 30), "217", fontsize=9)
    page.insert_text((90, 100), "The Council met and adopted resolution 2518 (2020).", fontsize=10)
    page.insert_text((72, 114), "Members welcomed it.", fontsize=10)
    page.insert_text((72, 820), "20-12345", fontsize=8)
    text = extract_pdf_text(doc.tobytes(), "n.pdf")
    assert "217" not in text and "20-12345" not in text
    assert [c.text for c in parse_repertoire(text, "n.pdf")] == [
        "The Council met and adopted resolution 2518 (2020). Members welcomed it."
    ]


def test_pdf_with_only_a_rule_and_a_link_has_no_extractable_text():
    doc = pymupdf.open()
    page = doc.new_page()
    page.draw_line((72, 700), (160, 700))
    page.insert_link({"kind": pymupdf.LINK_URI, "from": pymupdf.Rect(72, 72, 200, 90), "uri": "https://undocs.org/en/S/2020/1"})
    with pytest.raises(ValueError, match="no extractable text"):
        extract_pdf_text(doc.tobytes(), "scan.pdf")
