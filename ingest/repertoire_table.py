"""The meetings/videoconferences table that closes a Repertoire section.

Each row is one Council meeting: date, record symbol, title, decision, vote, written-procedure
record. Users ask exactly these questions ("when did the Council meet on…", "how did it vote"),
so every row becomes its own citable chunk instead of being smeared into body paragraphs.

The extraction wraps each row over several lines and leaves the table's title and header lines
in front of it. A table is recognised by a short title line (`视频会议：…`, `Videoconferences: …`)
followed, after a few short header lines, by a line that starts with a date; a row runs until
the next date line; the table notes (` a 由于技术上的困难…`) close the table.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from ingest.repertoire_layout import (
    Line,
    ends_sentence,
    heading_rank,
    is_separator,
    is_short,
    join_lines,
    normalize_heading,
    url_of,
)

MONTHS = {
    m: i + 1
    for i, m in enumerate(
        "January February March April May June July August September October November December".split()
    )
}
_ZH_DATE = r"(\d{4})\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*日"
_EN_DATE = r"(\d{1,2})\s+(" + "|".join(MONTHS) + r")\s+(\d{4})"
ROW_START_RE = re.compile(r"^(?:" + _ZH_DATE + r"|" + _EN_DATE + r")")
_MARK_AFTER_DATE_RE = re.compile(r"^\s*([a-z])(?=\s|$)")  # `30 March 2020 a`, or glued: `30 March 2020a`
# What follows a row's date: nothing (a date cell on its own line) or, after an optional note
# mark, the record's symbol. Body text that wraps to a line starting with a date ("14 September
# 2020, with 8 priorities…", "16 September 2020 from the President…") has neither.
_AFTER_ROW_DATE_RE = re.compile(r"^(?:\s*[a-z](?=\s|$))?(?:\s*$|\s+[A-Z]{1,4}/)")
_MARK_AFTER_CELL_RE = re.compile(r"((?:S/\S+)|(?:\d{1,2}-\d{1,2}-\d{1,2}))\s+([a-z])$")
NOTE_RE = re.compile(r"^\s*([a-z])\s+(\S.*)$")
_TITLE_KEYWORDS_RE = re.compile(r"[：:]|日期|标题|记录|[Dd]ate|[Tt]itle|[Rr]ecord")
# Lines that begin a new cell of a row rather than continue the title cell.
_NEW_CELL_RE = re.compile(
    r"^(?:第\s*\d|S/|A/|主席声明|[Rr]esolutions?\s+\d|[Ss]tatement\b|\d{1,2}-\d{1,2}-\d{1,2}(?:\s|$))"
)
VOTE_RE = re.compile(r"(?<![\d-])(\d{1,2})-(\d{1,2})-(\d{1,2})(?![\d-])")
_MAX_HEADER_LINES = 8


@dataclass
class TableRow:
    label: str  # the date as printed
    date: str | None  # ISO
    text: str
    first: int
    last: int
    mark: str | None = None
    mark_offset: int | None = None


@dataclass
class Table:
    title: str
    title_line: int
    rows: list[TableRow] = field(default_factory=list)
    notes: dict[str, str] = field(default_factory=dict)
    end: int = 0  # index (into the line list) of the first line after the table
    header: list[str] = field(default_factory=list)  # header lines, to recognise them repeated on a later page


def iso_date(label: str) -> str | None:
    """`2020 年 3 月 30 日` / `30 March 2020` → `2020-03-30`."""
    m = ROW_START_RE.match(label)
    if not m:
        return None
    if m.group(1):
        y, mo, d = int(m.group(1)), int(m.group(2)), int(m.group(3))
    else:
        d, mo, y = int(m.group(4)), MONTHS[m.group(5)], int(m.group(6))
    if not (1 <= mo <= 12 and 1 <= d <= 31):
        return None
    return f"{y:04d}-{mo:02d}-{d:02d}"


def is_row_start(text: str) -> bool:
    """Does this line open a table row (date, optional note mark, record symbol)?"""
    m = ROW_START_RE.match(text)
    return m is not None and bool(_AFTER_ROW_DATE_RE.match(text[m.end() :]))


def table_starts_at(lines: list[Line], i: int) -> int | None:
    """If lines[i] is a table title, the index of the table's first row; else None."""
    title = lines[i].text
    if ends_sentence(title) or not is_short(title, cjk_max=40, latin_max=120):
        return None
    if ROW_START_RE.match(title) or heading_rank(title) is not None:
        return None
    header_text = title
    for j in range(i + 1, min(i + 2 + _MAX_HEADER_LINES, len(lines))):
        text = lines[j].text
        if ROW_START_RE.match(text) and not lines[j].indented:
            ok = _TITLE_KEYWORDS_RE.search(header_text) and j > i and is_row_start(text)
            return j if ok else None
        if is_separator(text) or url_of(text) or ends_sentence(text) or not is_short(text, 40, 120):
            return None
        header_text += " " + text
    return None


def parse_table(lines: list[Line], title_index: int, first_row: int, table: Table | None = None) -> Table:
    """Rows and notes of the table whose title is lines[title_index].

    With `table`, the lines from `first_row` on continue that table (its rows after a page break,
    which put the page's footnotes and links between them).
    """
    if table is None:
        table = Table(title=normalize_heading(lines[title_index].text), title_line=lines[title_index].no)
        table.header = [normalize_heading(line.text) for line in lines[title_index + 1 : first_row]]
    marks_used: set[str] = {r.mark for r in table.rows if r.mark}
    note_mark: str | None = None
    i = first_row
    while i < len(lines):
        line = lines[i]
        text = line.text
        if is_separator(text) or url_of(text):
            break
        note = NOTE_RE.match(text)
        if note and table.rows and (line.indented or note.group(1) in marks_used or note_mark):
            note_mark = note.group(1)
            table.notes[note_mark] = note.group(2).strip()
        elif note_mark is not None:
            if line.indented or heading_rank(text) is not None:
                break
            table.notes[note_mark] = join_lines(table.notes[note_mark], text)
        elif is_row_start(text) and not line.indented:
            row = _start_row(line)
            if row.mark:
                marks_used.add(row.mark)
            table.rows.append(row)
        elif _next_section_starts(lines, i):
            break
        elif line.indented and len(text) > 1 and not table.rows:
            break
        else:
            row = table.rows[-1]
            _continue_row(row, text, line.no)
            if row.mark:
                marks_used.add(row.mark)
        i += 1
    table.end = i
    return table


def continuation_of(table: Table, lines: list[Line], i: int) -> tuple[int, int] | None:
    """Does lines[i] go on with `table` after a page break? (first row-continuation line, first row)

    What may stand between the table's last row and its next one: the table's title and header
    printed again, and the rest of a row split by the break. Only when a row start follows
    (before any indented line, heading, separator or link) is it the same table.
    """
    j = i
    while j < len(lines) and normalize_heading(lines[j].text) in (table.title, *table.header):
        j += 1
    k = j
    while k < len(lines) and k - j <= _MAX_HEADER_LINES:
        line = lines[k]
        if is_row_start(line.text) and not line.indented:
            return j, k
        if line.indented or is_separator(line.text) or url_of(line.text) or heading_rank(line.text) is not None:
            return None
        k += 1
    return None


def continue_last_row(table: Table, lines: list[Line], start: int, end: int) -> None:
    """Append lines[start:end] (a row split by a page break) to the table's last row."""
    if not table.rows:
        return
    for line in lines[start:end]:
        _continue_row(table.rows[-1], line.text, line.no)


def _next_section_starts(lines: list[Line], i: int) -> bool:
    """A numbered heading followed by body text or another heading ends the table."""
    text = lines[i].text
    if heading_rank(text) is None or ends_sentence(text) or not is_short(text, 60, 160):
        return False
    if i + 1 >= len(lines):
        return True
    nxt = lines[i + 1]
    return nxt.indented or heading_rank(nxt.text) is not None


def _start_row(line: Line) -> TableRow:
    text = line.text
    m = ROW_START_RE.match(text)
    assert m is not None
    label = re.sub(r"\s+", " ", m.group(0))
    rest = text[m.end() :]
    row = TableRow(label=label, date=iso_date(label), text=label, first=line.no, last=line.no)
    mark = _MARK_AFTER_DATE_RE.match(rest)
    if mark:
        row.mark, row.mark_offset = mark.group(1), len(label)
        rest = rest[mark.end() :]
    rest = rest.strip()
    if rest:
        _continue_row(row, rest, line.no, new_cell=True)
    return row


def _continue_row(row: TableRow, text: str, line_no: int, new_cell: bool = False) -> None:
    text = text.strip()
    if not text:
        return
    row.last = line_no
    mark = _MARK_AFTER_CELL_RE.search(text) if row.mark is None else None
    if mark:
        row.mark = mark.group(2)
        text = text[: mark.end(1)]
    if new_cell or _NEW_CELL_RE.match(text):
        row.text = f"{row.text} {text}"
    else:
        row.text = join_lines(row.text, text)
    if mark:
        row.mark_offset = len(row.text)  # the mark stood right after this cell
