"""Rebuild the Repertoire's meetings table from PDF geometry, one text line per row.

A Repertoire section ends with a table of the Council's meetings or videoconferences: date,
record, title, then decision, vote and written-procedure record, each cell wrapped over several
lines, and table notes (`a Owing to technical difficulties…`) under it. Read line by line, as
the two-column body is, the cells of one baseline interleave ("…from the President Resolution
2518 (2020)" / "of the Security Council addressed to the 15-0-0"), the right-hand cells fall
into the right column, and the rows end up as one junk body paragraph with the note lost.

So tables are found and laid out from their geometry before the column pass sees the page:

- a row starts where a date cell (`30 March 2020`, `2020 年 3 月 30 日`, maybe with a note
  mark) shares its baseline with a record symbol cell further right (`S/2020/268`): that pair is
  what a meetings table has and body text has not;
- the cells' left edges on those baselines give the columns; every piece between one row's
  date and the next belongs to the first row, in the column whose left edge it starts at;
- the header is the run of cell-aligned lines right above the first row, the title the line
  above that; the notes are the lines under the last row that start with a mark letter.

The output is the layout `ingest.repertoire_table` reads from text extraction: the title, one
line per header cell, then per row `date [mark] record title decision vote record`, then the
notes, indented. Pieces are duck-typed (`x0 y0 x1 y1 text size`), as `ingest.pdf` makes them.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Protocol

from ingest.identity import squash
from ingest.repertoire_layout import ends_sentence, join_lines
from ingest.repertoire_table import ROW_START_RE

_SYMBOL_CELL_RE = re.compile(r"^[A-Z]{1,4}/[A-Z0-9]")
_MARK_RE = re.compile(r"^[a-z]$")
_NOTE_START_RE = re.compile(r"^([a-z])\s+\S")
_ALIGN = 4.0  # points a cell's lines may stray from its column's left edge


class Piece(Protocol):
    x0: float
    y0: float
    x1: float
    y1: float
    text: str
    size: float


@dataclass
class TableBlock:
    """A table found on a page: the region it covers, its text lines, and the pieces it used."""

    top: float
    bottom: float
    columns: list[float]
    lines: list[str] = field(default_factory=list)
    used: set[int] = field(default_factory=set)
    header: list[str] = field(default_factory=list)
    continues_row: list[str] = field(default_factory=list)  # cells of a row begun on the previous page
    has_notes: bool = False


def _baseline_close(a: Piece, b: Piece) -> bool:
    return abs(a.y1 - b.y1) < 0.5 * max(min(a.size, b.size), 1.0)


def _date_cell(text: str) -> tuple[str, str | None, str] | None:
    """(date, glued mark, what follows) if `text` opens a date cell: a date, maybe a note mark,
    then nothing or (cells the PDF wrote as one line) a record symbol."""
    t = text.strip()
    m = ROW_START_RE.match(t)
    if not m:
        return None
    rest = t[m.end() :]
    mark = re.match(r"\s*([a-z])(?=\s|$)", rest)
    if mark:
        rest = rest[mark.end() :]
    rest = rest.strip()
    if rest and not (_SYMBOL_CELL_RE.match(rest) and " " not in rest):
        return None  # a sentence that starts with a date is not a date cell
    return re.sub(r"\s+", " ", m.group(0)), (mark.group(1) if mark else None), rest


def _is_mark_piece(p: Piece, body_size: float) -> bool:
    return bool(_MARK_RE.match(p.text.strip())) and p.size < 0.85 * body_size


def find_tables(pieces: Sequence[Piece], page_width: float, previous: TableBlock | None = None) -> list[TableBlock]:
    """Tables on one page. `previous`: the last table of the page before, if it ran to its foot."""
    anchors = _anchors(pieces)
    if not anchors and previous is None:
        return []
    blocks: list[TableBlock] = []
    used: set[int] = set()
    columns = _columns(pieces, anchors) if anchors or previous is None else previous.columns
    if previous is not None:
        if _compatible(columns, previous.columns):
            columns = previous.columns  # this page's rows may leave some cells empty
        else:
            previous = None
            if not anchors:
                return []
    block = TableBlock(top=0.0, bottom=0.0, columns=columns, header=list(previous.header) if previous else [])
    rows = [pieces[i] for i in anchors]
    body = _body_size(pieces, anchors) if anchors else 9.0
    x_left = columns[0] - _ALIGN

    first_top = rows[0].y0 - 0.6 * rows[0].size if rows else float("inf")
    if previous is not None:
        _carry_over(pieces, previous, first_top, page_width, body, block, used)

    header_idx: list[int] = []
    title_idx: int | None = None
    if rows:
        header_idx, title_idx = _header(pieces, anchors[0], columns, page_width, used)
        if previous is not None:
            used.update(header_idx)
            header_idx = []
            title_idx = None
    if header_idx:
        block.header = [c for c in _row_cells(pieces, header_idx, columns, body)[1] if c]
        block.lines.extend(([pieces[title_idx].text.strip()] if title_idx is not None else []) + block.header)
        if title_idx is not None:
            used.add(title_idx)
    used.update(header_idx)

    bottom = _take_rows(pieces, anchors, x_left, body, block, used)
    notes = _notes(pieces, used, x_left, bottom, body)
    block.has_notes = bool(notes)
    for i_list, _ in notes:
        used.update(i_list)
    block.lines.extend(line for _, line in _note_lines(pieces, notes))
    if notes:
        bottom = max(bottom, max(pieces[i].y1 for i_list, _ in notes for i in i_list))
    tops = [pieces[i].y0 for i in used]
    block.top = min(tops) if tops else 0.0
    block.bottom = bottom
    block.used = used
    if block.lines or block.continues_row:
        blocks.append(block)
    return blocks


def _carry_over(pieces: Sequence[Piece], previous: TableBlock, first_top: float, page_width: float, body: float,
                block: TableBlock, used: set[int]) -> None:
    """Pieces of a row begun on the previous page (cell-aligned, above the first anchor, at the top)
    become `block.continues_row`; a repeated header is dropped: the rows are what the reader needs."""
    columns = block.columns
    carried = [
        i
        for i, p in enumerate(pieces)
        if p.y0 < first_top and _cell_aligned(p, columns, page_width) and not _is_header_text(p.text, previous.header)
    ]
    carried = _leading_run(pieces, carried, body)
    if carried:
        block.continues_row = _row_cells(pieces, carried, columns, body)[1]
        used.update(carried)
    used.update(i for i, p in enumerate(pieces) if p.y0 < first_top and _is_header_text(p.text, previous.header))


def _take_rows(pieces: Sequence[Piece], anchors: list[int], x_left: float, body: float, block: TableBlock,
               used: set[int]) -> float:
    """Rows into `block.lines`: from each anchor to the next; the last one as far as its cells go on.

    Returns the bottom of the last row (where the table's notes may start).
    """
    columns = block.columns
    bottom = 0.0
    for k, anchor_i in enumerate(anchors):
        anchor = pieces[anchor_i]
        lo = anchor.y0 - 0.6 * anchor.size
        hi = pieces[anchors[k + 1]].y0 - 0.6 * pieces[anchors[k + 1]].size if k + 1 < len(anchors) else None
        members = [
            i
            for i, p in enumerate(pieces)
            if i not in used and p.x0 >= x_left and lo <= (p.y0 + p.y1) / 2 and (hi is None or (p.y0 + p.y1) / 2 < hi)
        ]
        if hi is None:
            in_cells = [
                i
                for i in members
                if i == anchor_i or _starts_at_column(pieces[i], columns) or _is_mark_piece(pieces[i], body)
            ]
            members = _leading_run(pieces, in_cells, body, start=anchor_i)
        mark, cells = _row_cells(pieces, members, columns, body)
        block.lines.extend(_row_lines(cells, mark))
        used.update(members)
        bottom = max([bottom] + [pieces[i].y1 for i in members])
    return bottom


def _anchors(pieces: Sequence[Piece]) -> list[int]:
    found = []
    for i, p in enumerate(pieces):
        dated = _date_cell(p.text)
        if dated is None:
            continue
        if dated[2] or any(
            j != i and q.x0 > p.x1 + 2 and _baseline_close(p, q) and _SYMBOL_CELL_RE.match(q.text.strip())
            for j, q in enumerate(pieces)
        ):
            found.append(i)
    found.sort(key=lambda i: pieces[i].y0)
    if not found:
        return []
    # One table's date cells share a left edge.
    left = min(pieces[i].x0 for i in found)
    return [i for i in found if abs(pieces[i].x0 - left) <= _ALIGN]


def _body_size(pieces: Sequence[Piece], anchors: list[int]) -> float:
    return max(pieces[i].size for i in anchors)


def _columns(pieces: Sequence[Piece], anchors: list[int]) -> list[float]:
    body = _body_size(pieces, anchors)
    starts: list[float] = []
    for a in anchors:
        anchor = pieces[a]
        for p in pieces:
            if p.x0 >= anchor.x0 - _ALIGN and _baseline_close(anchor, p) and not _is_mark_piece(p, body):
                starts.append(p.x0)
    columns: list[float] = []
    for x in sorted(starts):
        if not columns or x - columns[-1] > 2 * _ALIGN:
            columns.append(x)
    return columns


def _compatible(found: list[float], known: list[float]) -> bool:
    """Every column found on this page is one of the known table's (same first column)."""
    return (
        bool(found)
        and abs(found[0] - known[0]) <= 2 * _ALIGN
        and all(any(abs(x - y) <= 2 * _ALIGN for y in known) for x in found)
    )


def _column_of(x: float, columns: list[float]) -> int:
    k = 0
    for j, start in enumerate(columns):
        if x >= start - _ALIGN:
            k = j
    return k


def _starts_at_column(p: Piece, columns: list[float]) -> bool:
    return any(abs(p.x0 - start) <= _ALIGN for start in columns)


def _cell_aligned(p: Piece, columns: list[float], page_width: float) -> bool:
    """Starts at a column's left edge and stays inside that column."""
    for j, start in enumerate(columns):
        if abs(p.x0 - start) <= _ALIGN:
            end = columns[j + 1] if j + 1 < len(columns) else page_width
            return p.x1 <= end + _ALIGN
    return False


def _leading_run(pieces: Sequence[Piece], idx: list[int], body: float, start: int | None = None) -> list[int]:
    """The pieces of `idx` that follow each other without a gap wider than a line's spacing."""
    order = sorted(idx, key=lambda i: (pieces[i].y0, pieces[i].x0))
    out: list[int] = []
    bottom = pieces[start].y1 if start is not None else None
    for i in order:
        p = pieces[i]
        if bottom is not None and p.y0 - bottom > 0.9 * body:
            break
        out.append(i)
        bottom = p.y1 if bottom is None else max(bottom, p.y1)
    return out


def _row_cells(pieces: Sequence[Piece], idx: list[int], columns: list[float], body: float) -> tuple[tuple[int, str] | None, list[str]]:
    """Cell texts of one row (lines of a cell joined as wrapped text) and its note mark, if any."""
    cells: list[list[Piece]] = [[] for _ in columns]
    mark: tuple[int, str] | None = None
    for i in sorted(idx, key=lambda i: (pieces[i].y0, pieces[i].x0)):
        p = pieces[i]
        col = _column_of(p.x0, columns)
        if _is_mark_piece(p, body):
            mark = (col, p.text.strip())
            continue
        cells[col].append(p)
    texts = []
    for col, cell in enumerate(cells):
        text = ""
        for p in cell:
            text = join_lines(text, p.text.strip())
        if col == 0 and mark is None:
            dated = _date_cell(text)
            if dated and dated[1]:
                text, mark = " ".join(x for x in (dated[0], dated[2]) if x), (0, dated[1])
        texts.append(text)
    return mark, texts


def _row_lines(cells: list[str], mark: tuple[int, str] | None) -> list[str]:
    """`date [mark] record …` on one line; a mark after a later cell ends the first line there."""
    if mark is None:
        return [" ".join(c for c in cells if c)]
    col, letter = mark
    head = " ".join(c for c in cells[: col + 1] if c)
    tail = " ".join(c for c in cells[col + 1 :] if c)
    if col == 0:
        return [" ".join(x for x in (head, letter, tail) if x)]
    return [f"{head} {letter}"] + ([tail] if tail else [])


def _header(
    pieces: Sequence[Piece], first_anchor: int, columns: list[float], page_width: float, used: set[int]
) -> tuple[list[int], int | None]:
    """Header pieces (cell-aligned lines right above the first row) and the title line above them."""
    anchor = pieces[first_anchor]
    above = sorted(
        (i for i, p in enumerate(pieces) if i not in used and p.y1 <= anchor.y0 + 0.2 * anchor.size),
        key=lambda i: -pieces[i].y1,
    )
    header: list[int] = []
    edge = anchor.y0
    title: int | None = None
    for i in above:
        p = pieces[i]
        gap = edge - p.y1
        if gap > 3.5 * anchor.size:
            break
        same_line = any(_baseline_close(pieces[j], p) for j in header)
        # A header line sits close to the next; the title stands apart, alone at the table's left edge.
        lone_left = not same_line and abs(p.x0 - columns[0]) <= 3 * _ALIGN
        if _cell_aligned(p, columns, page_width) and not ends_sentence(p.text) and (
            gap <= 0.6 * anchor.size or same_line or not lone_left or not header
        ):
            header.append(i)
            edge = min(edge, p.y0)
            continue
        if lone_left and header and not ends_sentence(p.text) and len(p.text) <= 160:
            title = i
        break
    return header, title


def _is_header_text(text: str, header: list[str]) -> bool:
    """Is this piece part of the known header (compared without spaces, punctuation and hyphens)?"""
    t = squash(text)
    return bool(t) and any(t in squash(cell) for cell in header)


def _notes(pieces: Sequence[Piece], used: set[int], x_left: float, bottom: float, body: float) -> list[tuple[list[int], int]]:
    """Table notes under the table: runs of lines from a mark letter at the table's left edge."""
    below = sorted(
        (i for i, p in enumerate(pieces) if i not in used and p.y0 >= bottom - 1 and p.x0 >= x_left - 2 * _ALIGN),
        key=lambda i: (pieces[i].y0, pieces[i].x0),
    )
    notes: list[tuple[list[int], int]] = []
    edge = bottom
    for i in below:
        p = pieces[i]
        gap = p.y0 - edge
        starts_note = (_is_mark_piece(p, body) or bool(_NOTE_START_RE.match(p.text.strip()))) and p.x0 <= x_left + 3 * _ALIGN
        if starts_note and gap <= 2.5 * body:
            notes.append(([i], i))
        elif notes and (gap <= 0.9 * body or _baseline_close(pieces[notes[-1][0][-1]], p)):
            notes[-1][0].append(i)
        else:
            break
        edge = max(edge, p.y1)
    return notes


def _note_lines(pieces: Sequence[Piece], notes: list[tuple[list[int], int]]) -> list[tuple[int, str]]:
    """Each note as text lines: ` a First line…` (indented, as text extraction prints it), then its wrap."""
    out: list[tuple[int, str]] = []
    for idx, _ in notes:
        lines: list[list[Piece]] = []
        for i in sorted(idx, key=lambda i: (pieces[i].y1, pieces[i].x0)):
            p = pieces[i]
            last = lines[-1] if lines else None
            lone_char = last is not None and len(last) == 1 and len(last[0].text.strip()) == 1 and p.y0 < last[0].y1
            if last is not None and (_baseline_close(last[0], p) or lone_char):
                lines[-1].append(p)
            else:
                lines.append([p])
        for k, group in enumerate(lines):
            text = " ".join(p.text.strip() for p in sorted(group, key=lambda p: p.x0))
            out.append((idx[0], (" " if k == 0 else "") + text))
    return out
