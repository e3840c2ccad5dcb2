"""A Repertoire PDF parses into the same paragraphs, footnotes and table rows as its extracted text.

Each test document is written twice from one spec: as a two-column A4 PDF laid out like the
Repertoire (indented paragraph starts, footnotes under a rule at each column's foot, the page's
undocs.org links, a full-width meetings table with wrapped cells, a superscript note mark and
the note under the table), and as text in the layout NOTES.md documents. The PDF must give the
chunks the text gives, and both the chunks a reader sees.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import pymupdf
import pytest

from ingest.pdf import extract_pdf_text
from ingest.repertoire import parse_repertoire, parse_repertoire_report

PAGE_W, PAGE_H = 595.0, 842.0
COLUMNS_X = (56.0, 310.0)
TABLE_X = (56.0, 140.0, 225.0, 430.0)  # date, record, title, decision/vote/written procedure


@dataclass
class Column:
    body: list[tuple[bool, str]] = field(default_factory=list)  # (indented, line)
    footnotes: list[str] = field(default_factory=list)  # lines; a footnote's wrap is its own line


@dataclass
class Row:
    date: str
    record: str
    title: list[str]
    decision: list[str] = field(default_factory=list)
    mark: str | None = None


@dataclass
class Table:
    title: str
    header: list[list[str]]  # per column, its lines
    rows: list[Row]
    note: list[str] = field(default_factory=list)  # first line begins with the mark letter
    columns: tuple[float, ...] = TABLE_X
    size: float | None = None  # font size of the table, if not the body's


@dataclass
class Page:
    left: Column
    right: Column = field(default_factory=Column)
    links: list[str] = field(default_factory=list)
    table: Table | None = None  # full width, under the columns


def _date_width(page: pymupdf.Page, text: str, fontname: str, size: float) -> float:
    """Width of the date as rendered (CJK fonts' metrics differ from what `Font` reports)."""
    return max((r.x1 - r.x0 for r in page.search_for(text)), default=pymupdf.Font(fontname).text_length(text, fontsize=size))


def build_pdf(pages: list[Page], fontname: str = "helv", size: float = 9.0) -> bytes:
    doc = pymupdf.open()
    step = size * 1.4
    for spec in pages:
        page = doc.new_page(width=PAGE_W, height=PAGE_H)
        bottom = 60.0
        for x, column in zip(COLUMNS_X, (spec.left, spec.right), strict=True):
            y = 60.0
            for indented, text in column.body:
                page.insert_text((x + (12 if indented else 0), y), text, fontsize=size, fontname=fontname)
                y += step
            bottom = max(bottom, y)
            if column.footnotes:
                y = PAGE_H - 60 - step * 0.9 * len(column.footnotes)
                page.draw_line((x, y - step), (x + 90, y - step), width=0.5)
                for note in column.footnotes:
                    number, _, rest = note.partition(" ")
                    if number.isdigit():  # the footnote's number, then its text: two pieces, as typeset
                        page.insert_text((x + 8, y), number, fontsize=size * 0.85, fontname=fontname)
                        page.insert_text((x + 10 + len(number) * size * 0.85, y), rest,
                                         fontsize=size * 0.85, fontname=fontname)
                    else:
                        page.insert_text((x + 8, y), note, fontsize=size * 0.85, fontname=fontname)
                    y += step * 0.9
        if spec.table is not None:
            _draw_table(page, spec.table, bottom + step, fontname, size)
        for i, uri in enumerate(spec.links):
            rect = pymupdf.Rect(60, 60 + i * step - size, 200, 60 + i * step + 2)
            page.insert_link({"kind": pymupdf.LINK_URI, "from": rect, "uri": uri})
    data = doc.tobytes()
    doc.close()
    return data


def _draw_table(page: pymupdf.Page, table: Table, y: float, fontname: str, size: float) -> None:
    size = table.size or size
    step = size * 1.4
    TABLE_X = table.columns  # the module default, or this table's own
    if table.title:
        page.insert_text((TABLE_X[0], y), table.title, fontsize=size, fontname=fontname)
        y += step * 1.6
    page.draw_line((TABLE_X[0], y - size - 3), (PAGE_W - 50, y - size - 3), width=0.5)
    for x, lines in zip(TABLE_X, table.header, strict=True):
        for k, text in enumerate(lines):
            page.insert_text((x, y + k * step), text, fontsize=size * 0.9, fontname=fontname)
    y += max(len(lines) for lines in table.header) * step
    page.draw_line((TABLE_X[0], y - size - 2), (PAGE_W - 50, y - size - 2), width=0.5)
    for row in table.rows:
        if row.date:  # no date: the rest of a row the page break cut
            page.insert_text((TABLE_X[0], y), row.date, fontsize=size, fontname=fontname)
        if row.mark:  # superscript, right after the date
            page.insert_text((TABLE_X[0] + _date_width(page, row.date, fontname, size) + 0.5, y - 3), row.mark,
                             fontsize=size * 0.6, fontname=fontname)
        if row.record:
            page.insert_text((TABLE_X[1], y), row.record, fontsize=size, fontname=fontname)
        for k, text in enumerate(row.title):
            page.insert_text((TABLE_X[2], y + k * step), text, fontsize=size, fontname=fontname)
        for k, text in enumerate(row.decision):
            page.insert_text((TABLE_X[3], y + k * step), text, fontsize=size, fontname=fontname)
        y += max(len(row.title), len(row.decision), 1) * step + step * 0.5
    if not table.note:
        return
    page.draw_line((TABLE_X[0], y - size), (PAGE_W - 50, y - size), width=0.5)
    y += step * 0.5
    for k, text in enumerate(table.note):
        if k == 0:
            mark, _, rest = text.partition(" ")
            page.insert_text((TABLE_X[0], y - 3), mark, fontsize=size * 0.5, fontname=fontname)
            page.insert_text((TABLE_X[0] + 6, y), rest, fontsize=size * 0.85, fontname=fontname)
        else:
            page.insert_text((TABLE_X[0], y), text, fontsize=size * 0.85, fontname=fontname)
        y += step * 0.9


def build_text(pages: list[Page]) -> str:
    """The same document in the extracted-text layout NOTES.md documents."""
    out: list[str] = []

    def line(text: str) -> None:
        out.extend([text, ""])

    for spec in pages:
        for column in (spec.left, spec.right):
            for indented, text in column.body:
                line((" " if indented else "") + text)
            if column.footnotes:
                line("__________________")
                for note in column.footnotes:
                    line((" " if note.split(" ", 1)[0].isdigit() else "") + note)
        if spec.table is not None:
            t = spec.table
            if t.title:
                line(t.title)
            for lines in t.header:
                line(" ".join(lines))
            for row in t.rows:
                line(" ".join(x for x in (row.date, row.mark, row.record, row.title[0]) if x))
                for text in row.title[1:] + row.decision:
                    line(text)
            for k, text in enumerate(t.note):
                line((" " if k == 0 else "") + text)
        out.extend(spec.links)
        out.append("\f")
    return "\n".join(out)


# ------------------------------------------------------------------------------------------------
# English

EN_HEADER = [["Videoconference", "date"], ["Videoconference", "record"], ["Title"],
             ["Decision, vote (for-against-", "abstaining) and written", "procedure record"]]  # fmt: skip
EN_PAGES = [
    Page(
        left=Column(
            body=[
                (True, "Thematic issues"),
                (False, "23. United Nations peacekeeping operations"),
                (True, "On 30 March 2020, the Council adopted"),
                (False, "resolution 2518 (2020) by 15-0-0, stressing"),
                (False, "the need for medical facilities and critical"),
                (False, "enablers.640 In that regard, the Council asked"),
                (False, "the Secretary-General to enhance the safety"),
                (False, "of peacekeepers."),
            ],
            footnotes=["640 Resolution 2518 (2020), para. 4."],
        ),
        right=Column(
            # A sentence ends at the foot of the left column; the right column goes on unindented.
            body=[
                (False, "Members welcomed the resolution.641 The"),
                (False, "Council called upon troop- and police-contri-"),
                (False, "buting countries to ensure that peace-"),
            ],
            footnotes=["641 See S/2020/268, annex; and S/2020/249, para.", "2."],
        ),
        links=["https://undocs.org/en/S/RES/2518(2020)", "https://undocs.org/en/S/2020/268",
               "https://undocs.org/en/S/2020/249"],
    ),
    Page(
        left=Column(
            body=[
                (False, "keepers receive adequate medical support.642"),
                (True, "On 4 June 2020, at an open videoconference,643"),
                (False, "members heard 3 Force Commanders."),
            ],
            footnotes=["642 Ibid., paras. 10 and 12.", "643 See S/2020/514."],
        ),
        links=["https://undocs.org/en/S/2020/514"],
        table=Table(
            title="Videoconferences: United Nations peacekeeping operations",
            header=EN_HEADER,
            rows=[
                Row("30 March 2020", "S/2020/268",
                    ["Letter dated 31 March 2020 from the President", "of the Security Council addressed to the",
                     "Secretary-General and the Permanent", "Representatives of the members of the", "Security Council"],
                    ["Resolution 2518 (2020)", "15-0-0", "S/2020/249"], mark="a"),
                Row("4 June 2020", "S/2020/514",
                    ["Letter dated 8 June 2020 from the President of", "the Security Council addressed to the",
                     "Secretary-General and the Permanent", "Representatives of the members of the", "Security Council"]),
            ],
            note=["a Owing to technical difficulties, the vote on resolution 2518 (2020) was announced at a",
                  "closed videoconference."],
        ),
    ),
]  # fmt: skip

EN_SECTION = "Thematic issues > 23. United Nations peacekeeping operations"
EN_TABLE = EN_SECTION + " > Videoconferences: United Nations peacekeeping operations"


@pytest.fixture(scope="module")
def en_pdf_report():
    text = extract_pdf_text(build_pdf(EN_PAGES), "rep.en.pdf")
    return parse_repertoire_report(text, "rep.en.pdf")


def test_en_pdf_paragraphs_join_across_columns_pages_and_footnote_blocks(en_pdf_report):
    paragraphs = [c for c in en_pdf_report.chunks if c.kind == "paragraph"]
    assert [(p.section, p.paragraph) for p in paragraphs] == [(EN_SECTION, 1), (EN_SECTION, 2)]
    assert paragraphs[0].text == (
        "On 30 March 2020, the Council adopted resolution 2518 (2020) by 15-0-0, stressing the need for medical"
        " facilities and critical enablers. In that regard, the Council asked the Secretary-General to enhance"
        " the safety of peacekeepers. Members welcomed the resolution. The Council called upon troop- and"
        " police-contributing countries to ensure that peacekeepers receive adequate medical support."
    )
    assert [(f.number, f.symbol, f.paragraphs) for f in paragraphs[0].footnotes] == [
        ("640", "S/RES/2518(2020)", [4]),
        ("641", "S/2020/268", [2]),
        ("642", "S/2020/268", [10, 12]),
    ]
    assert paragraphs[1].text == "On 4 June 2020, at an open videoconference, members heard 3 Force Commanders."
    assert en_pdf_report.warnings == [] and en_pdf_report.unexplained_links == []


def test_en_pdf_table_rebuilt_as_rows_with_the_note_on_the_marked_row(en_pdf_report):
    rows = [c for c in en_pdf_report.chunks if c.kind == "table_row"]
    assert [(r.section, r.date, r.label) for r in rows] == [
        (EN_TABLE, "2020-03-30", "30 March 2020"),
        (EN_TABLE, "2020-06-04", "4 June 2020"),
    ]
    assert rows[0].text == (
        "30 March 2020 S/2020/268 Letter dated 31 March 2020 from the President of the Security Council addressed"
        " to the Secretary-General and the Permanent Representatives of the members of the Security Council"
        " Resolution 2518 (2020) 15-0-0 S/2020/249"
    )
    assert rows[0].symbols == ["S/2020/268", "S/RES/2518(2020)", "S/2020/249"]
    assert rows[0].vote is not None and rows[0].vote.tally == "15-0-0"
    assert [(f.number, f.offset) for f in rows[0].footnotes] == [("a", len("30 March 2020"))]
    assert rows[0].footnotes[0].text == (
        "Owing to technical difficulties, the vote on resolution 2518 (2020) was announced at a closed videoconference."
    )
    assert rows[1].footnotes == [] and rows[1].vote is None
    # Nothing of the table leaked into the body.
    assert not any("President" in c.text for c in en_pdf_report.chunks if c.kind == "paragraph")


def _signature(chunks):
    return [(c.kind, c.section, c.paragraph, c.text, c.date, [(f.number, f.text, f.symbol, f.paragraphs, f.offset)
            for f in c.footnotes]) for c in chunks]  # fmt: skip


def test_en_pdf_and_its_extracted_text_give_the_same_chunks(en_pdf_report):
    from_text = parse_repertoire(build_text(EN_PAGES), "rep.en.txt")
    assert _signature(en_pdf_report.chunks) == _signature(from_text)


# ------------------------------------------------------------------------------------------------
# Chinese

ZH_HEADER = [["视频会议日期"], ["视频会议记录"], ["标题"], ["决定、表决(赞成-反对-", "弃权)和书面程序记录"]]
ZH_PAGES = [
    Page(
        left=Column(
            body=[
                (True, "专题问题"),
                (False, "23. 联合国维持和平行动"),
                (True, "3 月 30 日，安理会一致通过了第"),
                (False, "2518(2020)号决议，包括提供适足的医疗"),
                (False, "设施和关键能力。640 在这方面，安理会"),
                (False, "请秘书长继续采用一切适当措施。"),
            ],
            footnotes=["640 第 2518(2020)号决议，第 4 段。"],
        ),
        right=Column(
            # A sentence ends at the foot of the left column; the right column goes on unindented.
            body=[
                (False, "安理会呼吁采取措施增强职业健康支持；641"),
                (False, "并确保提供适"),
            ],
            footnotes=["641 同上，第 5 段。"],
        ),
        links=["https://undocs.org/ch/S/RES/2518(2020)"],
    ),
    Page(
        left=Column(
            body=[
                (True, "足的医疗设施。642"),  # a stray leading space after the page break
                (True, "6 月 4 日，安理会成员在公开视频会议643"),
                (False, "上听取了 3 位部队指挥官的通报。"),
            ],
            footnotes=["642 同上，第 10 和 12 段。", "643 见 S/2020/514。"],
        ),
        links=["https://undocs.org/ch/S/2020/514"],
        table=Table(
            title="视频会议：联合国维持和平行动",
            header=ZH_HEADER,
            rows=[
                Row("2020 年 3 月 30 日", "S/2020/268",
                    ["2020 年 3 月 31 日安全理事会主席给", "秘书长和安全理事会成员国常驻代表", "的信"],
                    ["第 2518(2020)号决议", "15-0-0", "S/2020/249"], mark="a"),
                Row("2020 年 6 月 4 日", "S/2020/514",
                    ["2020 年 6 月 8 日安全理事会主席给秘", "书长和安全理事会成员国常驻代表的信"]),
            ],
            note=["a 由于技术上的困难，没有举行公开视频会议宣布对第 2518(2020)号决议的表决情况，",
                  "而是举行了非公开视频会议。"],
            columns=(56.0, 175.0, 255.0, 430.0),
            size=7.0,  # the built-in CJK font sets digits and Latin letters full width
        ),
    ),
]  # fmt: skip

ZH_SECTION = "专题问题 > 23. 联合国维持和平行动"


@pytest.fixture(scope="module")
def zh_pdf_report():
    text = extract_pdf_text(build_pdf(ZH_PAGES, fontname="china-s"), "rep.zh.pdf")
    return parse_repertoire_report(text, "rep.zh.pdf")


def test_zh_pdf_paragraphs_and_footnotes(zh_pdf_report):
    paragraphs = [c for c in zh_pdf_report.chunks if c.kind == "paragraph"]
    assert {c.lang for c in zh_pdf_report.chunks} == {"zh"}
    assert [(p.section, p.paragraph) for p in paragraphs] == [(ZH_SECTION, 1), (ZH_SECTION, 2)]
    assert paragraphs[0].text == (
        "3 月 30 日，安理会一致通过了第 2518(2020)号决议，包括提供适足的医疗设施和关键能力。在这方面，安理会请秘书长"
        "继续采用一切适当措施。安理会呼吁采取措施增强职业健康支持；并确保提供适足的医疗设施。"
    )
    assert [(f.number, f.symbol, f.paragraphs) for f in paragraphs[0].footnotes] == [
        ("640", "S/RES/2518(2020)", [4]),
        ("641", "S/RES/2518(2020)", [5]),
        ("642", "S/RES/2518(2020)", [10, 12]),
    ]
    assert paragraphs[1].text == "6 月 4 日，安理会成员在公开视频会议上听取了 3 位部队指挥官的通报。"  # "会议643" / "上"
    assert paragraphs[1].footnotes[0].symbol == "S/2020/514"
    assert zh_pdf_report.warnings == [] and zh_pdf_report.unexplained_links == []


def test_zh_pdf_table_rows_and_note(zh_pdf_report):
    rows = [c for c in zh_pdf_report.chunks if c.kind == "table_row"]
    assert [r.date for r in rows] == ["2020-03-30", "2020-06-04"]
    assert rows[0].text == (
        "2020 年 3 月 30 日 S/2020/268 2020 年 3 月 31 日安全理事会主席给秘书长和安全理事会成员国常驻代表的信"
        " 第 2518(2020)号决议 15-0-0 S/2020/249"
    )
    assert rows[0].footnotes[0].number == "a" and rows[0].footnotes[0].offset == len("2020 年 3 月 30 日")
    assert rows[0].footnotes[0].text.endswith("而是举行了非公开视频会议。")
    assert rows[1].footnotes == []


def test_zh_pdf_and_its_extracted_text_give_the_same_chunks(zh_pdf_report):
    from_text = parse_repertoire(build_text(ZH_PAGES), "rep.zh.txt")
    assert _signature(zh_pdf_report.chunks) == _signature(from_text)


# ------------------------------------------------------------------------------------------------
# What is not a table


def test_body_lines_starting_with_dates_in_both_columns_are_not_a_table():
    page = Page(
        left=Column(body=[(True, "The Council met on"), (False, "30 March 2020 S/2020/268 was issued.")]),
        right=Column(body=[(True, "Members noted that"), (False, "4 June 2020 was the date of the letter.")]),
    )
    chunks = parse_repertoire(extract_pdf_text(build_pdf([page]), "b.pdf"), "b.pdf")
    assert [c.kind for c in chunks] == ["paragraph", "paragraph"]


# ------------------------------------------------------------------------------------------------
# Same document, two formats


@pytest.mark.parametrize("pages, font", [(EN_PAGES, "helv"), (ZH_PAGES, "china-s")], ids=["en", "zh"])
def test_pdf_and_text_of_one_document_share_doc_id_chunk_ids_and_fingerprint(pages, font):
    from ingest.identity import content_fingerprint

    from_pdf = parse_repertoire(extract_pdf_text(build_pdf(pages, fontname=font), "scan 1.pdf"), "scan 1.pdf")
    from_text = parse_repertoire(build_text(pages), "repertoire-2020-part1-s23.txt")
    assert {c.doc_id for c in from_pdf} == {c.doc_id for c in from_text} == {"repertoire-2020-s23-fn640"}
    assert [c.id for c in from_pdf] == [c.id for c in from_text]
    assert content_fingerprint(from_pdf) == content_fingerprint(from_text)


def test_language_editions_share_doc_id_but_not_chunk_ids():
    en = parse_repertoire(build_text(EN_PAGES), "a.txt")
    zh = parse_repertoire(build_text(ZH_PAGES), "b.txt")
    assert {c.doc_id for c in en} == {c.doc_id for c in zh}
    assert not {c.id for c in en} & {c.id for c in zh}


# ------------------------------------------------------------------------------------------------
# A table over two pages


def test_table_cut_by_a_page_break_keeps_its_rows_whole():
    letter = ["Letter dated 8 June 2020 from the President of", "the Security Council addressed to the",
              "Secretary-General and the Permanent", "Representatives of the members of the", "Security Council"]
    pages = [
        Page(
            left=Column(body=[(True, "Thematic issues"), (False, "23. United Nations peacekeeping operations"),
                              (True, "The Council held two videoconferences.640")],
                        footnotes=["640 See S/2020/514."]),
            links=["https://undocs.org/en/S/2020/514"],
            table=Table(title="Videoconferences: United Nations peacekeeping operations", header=EN_HEADER, rows=[
                Row("30 March 2020", "S/2020/268", ["Letter dated 31 March 2020 from the President"],
                    ["Resolution 2518 (2020)", "15-0-0"], mark="a"),
                Row("4 June 2020", "S/2020/514", letter[:2]),
            ]),
        ),
        Page(
            left=Column(),
            table=Table(title="", header=EN_HEADER, rows=[
                Row("", "", letter[2:]),  # the rest of the 4 June row
                Row("14 September 2020", "S/2020/911", ["Letter dated 16 September 2020"]),
            ], note=["a Owing to technical difficulties, the vote was announced at a closed videoconference."]),
        ),
    ]  # fmt: skip
    from_pdf = parse_repertoire(extract_pdf_text(build_pdf(pages), "t.pdf"), "t.pdf")
    rows = [c for c in from_pdf if c.kind == "table_row"]
    assert [(r.date, r.section) for r in rows] == [(d, EN_TABLE) for d in ("2020-03-30", "2020-06-04", "2020-09-14")]
    assert rows[1].text == "4 June 2020 S/2020/514 " + " ".join(letter)
    assert [f.number for f in rows[0].footnotes] == ["a"] and not rows[1].footnotes and not rows[2].footnotes
    assert [c.kind for c in from_pdf].count("paragraph") == 1
    assert _signature(from_pdf) == _signature(parse_repertoire(build_text(pages), "t.txt"))


def test_a_table_the_rebuilder_cannot_handle_falls_back_to_body_text(monkeypatch):
    import ingest.pdf

    def broken(*args, **kwargs):
        raise RuntimeError("odd geometry")

    monkeypatch.setattr(ingest.pdf, "find_tables", broken)
    text = extract_pdf_text(build_pdf(EN_PAGES), "odd.pdf")
    assert "Letter dated 31 March 2020" in text and "enablers.640" in text


# ------------------------------------------------------------------------------------------------
# The Chinese sample, typeset


def _sample_pages(text: str) -> list[Page]:
    """The sample's text laid out again as PDF pages: each stretch of body with the footnote block
    that follows it is a column, two columns and the link block that follows them a page; the
    closing table is set as a real table (its cells as the sample lists them)."""
    lines = [line.rstrip() for line in text.split("\n") if line.strip()]
    table_at = next(i for i, line in enumerate(lines) if line.startswith("视频会议："))
    columns: list[Column] = []
    links: dict[int, list[str]] = {}
    column = Column()
    in_notes = False
    for line in lines[:table_at]:
        if line.startswith("____"):
            in_notes = True
        elif line.startswith("http"):
            links.setdefault(len(columns) - (0 if column.body else 1), []).append(line)
        elif in_notes and (line[:1] == " " and line.strip()[:1].isdigit() or not column.footnotes[-1:] or
                           not column.footnotes[-1].endswith("。")):
            column.footnotes.append(line.strip())
        else:
            if in_notes:
                columns.append(column)
                column, in_notes = Column(), False
            column.body.append((line.startswith(" "), line.strip()))
    columns.append(column)
    pages = [
        Page(left=columns[k], right=columns[k + 1] if k + 1 < len(columns) else Column(),
             links=links.get(k, []) + links.get(k + 1, []))
        for k in range(0, len(columns), 2)
    ]  # fmt: skip
    letter = "日安全理事会主席给秘书长和安全理事会成员国常驻代表的信"
    rows = [
        ("2020 年 3 月 30 日", "S/2020/268", "2020 年 3 月 31 ", ["第 2518(2020)号决议", "15-0-0", "S/2020/249"], "a"),
        ("2020 年 6 月 4 日", "S/2020/514", "2020 年 6 月 8 ", [], None),
        ("2020 年 7 月 7 日", "S/2020/674", "2020 年 7 月 9 ", [], None),
        ("2020 年 8 月 28 日", "S/2020/856", "2020 年 8 月 28 ", ["第 2538(2020)号决议", "15-0-0", "S/2020/851"], None),
        ("2020 年 9 月 14 日", "S/2020/911", "2020 年 9 月 16 ", [], None),
        ("2020 年 11 月 4 日", "S/2020/1092", "2020 年 11 月 6 ", [], None),
    ]  # fmt: skip
    pages[-1].table = Table(
        title="视频会议：联合国维持和平行动",
        header=[["视频会议日期"], ["视频会议记录"], ["标题"], ["决定、表决(赞成-反对-", "弃权)和书面程序记录"]],
        rows=[Row(d, r, [t + letter[:8], letter[8:]], dec, mark=m) for d, r, t, dec, m in rows],
        note=[lines[-2].strip(), lines[-1].strip()],
        columns=(56.0, 160.0, 240.0, 445.0),
        size=6.5,
    )
    return pages


def test_chinese_sample_typeset_as_a_pdf_keeps_its_paragraphs_footnotes_and_rows(repertoire_zh_text):
    from ingest.identity import content_fingerprint

    pages = _sample_pages(repertoire_zh_text)
    from_pdf = parse_repertoire(extract_pdf_text(build_pdf(pages, fontname="china-s", size=6.5), "s.pdf"), "s.pdf")
    from_text = parse_repertoire(repertoire_zh_text, "s.zh.txt")
    paragraphs = [c for c in from_pdf if c.kind == "paragraph"]
    rows = [c for c in from_pdf if c.kind == "table_row"]
    assert len(paragraphs) == 15
    assert sorted(int(f.number) for p in paragraphs for f in p.footnotes) == list(range(639, 661))
    assert [(p.paragraph, [f.number for f in p.footnotes]) for p in paragraphs] == [
        (p.paragraph, [f.number for f in p.footnotes]) for p in from_text if p.kind == "paragraph"
    ]
    assert [p.text for p in paragraphs] == [p.text for p in from_text if p.kind == "paragraph"]
    assert len(rows) == 6 and [f.number for f in rows[0].footnotes] == ["a"]
    assert all(not r.footnotes for r in rows[1:])
    assert [r.text for r in rows] == [r.text for r in from_text if r.kind == "table_row"]
    assert {c.doc_id for c in from_pdf} == {c.doc_id for c in from_text}
    assert content_fingerprint(from_pdf) == content_fingerprint(from_text)


def test_table_finder_never_raises_on_random_geometry():
    import random

    from ingest.pdf_tables import find_tables

    @dataclass
    class P:
        x0: float
        y0: float
        x1: float
        y1: float
        text: str
        size: float

    words = ["30 March 2020", "2020 年 3 月 30 日", "S/2020/268", "a", "b 注。", "Letter dated", "15-0-0",
             "Title", "第 2518(2020)号决议", "The Council met.", "视频会议：x", ""]  # fmt: skip
    rng = random.Random(3)
    previous = None
    for _ in range(300):
        pieces = []
        for _ in range(rng.randint(0, 40)):
            x0, y0, size = rng.uniform(40, 500), rng.uniform(40, 800), rng.choice([4.0, 6.0, 9.0])
            pieces.append(P(x0, y0, x0 + rng.uniform(0, 200), y0 + size * 1.2, rng.choice(words), size))
        blocks = find_tables(pieces, PAGE_W, previous)
        for block in blocks:
            assert all(0 <= i < len(pieces) for i in block.used)
            assert all(isinstance(line, str) for line in block.lines)
        previous = blocks[-1] if blocks else previous


def test_vertical_gap_is_no_paragraph_start_where_paragraphs_are_indented():
    doc = pymupdf.open()
    page = doc.new_page(width=PAGE_W, height=PAGE_H)
    page.insert_text((68, 60), "The Council met on 30 March 2020.", fontsize=9)
    page.insert_text((56, 72.6), "Members welcomed the resolution.", fontsize=9)
    page.insert_text((56, 140), "The Council also asked for a report.", fontsize=9)  # after a wide gap
    page.insert_text((68, 152.6), "A second paragraph.", fontsize=9)
    chunks = parse_repertoire(extract_pdf_text(doc.tobytes(), "g.pdf"), "g.pdf")
    assert [c.text for c in chunks] == [
        "The Council met on 30 March 2020. Members welcomed the resolution. The Council also asked for a report.",
        "A second paragraph.",
    ]
