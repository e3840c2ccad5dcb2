"""PDF input: turn a Repertoire-style PDF into the text layout `ingest.repertoire` parses.

The text parser was built on text extracted from the Repertoire's two-column PDFs, so the job
here is to reproduce that layout from the PDF itself rather than invent a second parser:

- one output line per visual line; a leading space where a line is indented (paragraph start)
  or follows a clearly larger vertical gap;
- per page, full-width bands in reading order, and inside a band the left column, then the
  right column (plain `get_text()` interleaves the columns line by line on some PDFs);
- the footnote separator, whether typed as underscores or drawn as a short rule, as a line
  `__________________` before the footnotes;
- after each page, the page's hyperlinks (`https://undocs.org/...`), one per line, which is how
  the extraction the parser was built on prints them.

PyMuPDF does the reading; corrupt, encrypted and text-less PDFs raise `ValueError` with a short
reason the dispatcher can show.
"""

from __future__ import annotations

import itertools
import logging
import re
import statistics
from dataclasses import dataclass

import pymupdf

from ingest.pdf_tables import TableBlock, find_tables

log = logging.getLogger(__name__)

SEPARATOR = "__________________"
_COLUMN_TOLERANCE = 4.0  # points a column line may cross the page middle
_GUTTER_OVERLAP = 10.0  # points a left-column line's box may reach into the right column (glyph overhang)


@dataclass
class _VLine:
    """A visual line on a page: text plus geometry."""

    x0: float
    y0: float
    x1: float
    y1: float
    text: str
    size: float
    leading_space: bool = False
    column: int = 0  # 0 left, 1 right, 2 full width
    verbatim: bool = False  # a rebuilt table: lines already in the text layout, placed as one block

    @property
    def baseline(self) -> float:
        return self.y1


def extract_pdf_text(data: bytes, path: str) -> str:
    """Text of a PDF in the Repertoire extraction layout; `ValueError` if it cannot be read."""
    if not data:
        raise ValueError(f"{path}: empty file")
    try:
        doc = pymupdf.open(stream=data, filetype="pdf")
    except Exception as exc:  # noqa: BLE001 - PyMuPDF raises several types for broken files
        raise ValueError(f"{path}: not a readable PDF ({exc.__class__.__name__})") from exc
    with doc:
        if doc.needs_pass or doc.is_encrypted:
            raise ValueError(f"{path}: PDF is encrypted")
        if doc.page_count == 0:
            raise ValueError(f"{path}: PDF has no pages")
        pages: list[str] = []
        open_table: TableBlock | None = None  # a table that ran to the foot of the previous page
        for page in doc.pages():
            try:
                text, open_table = _page_text(page, open_table)
                pages.append(text)
            except Exception as exc:  # noqa: BLE001
                raise ValueError(f"{path}: page {page.number + 1} unreadable ({exc.__class__.__name__})") from exc
    text = "\n".join(p for p in pages if p.strip())
    # Links and drawn rules alone are not text: a scanned PDF must still be reported as such.
    if not any(line.strip() and line != SEPARATOR and not line.startswith("http") for line in text.splitlines()):
        raise ValueError(f"{path}: PDF has no extractable text (scanned images?)")
    return text + "\n"


# ---------------------------------------------------------------------------------------------
# One page


# Running page furniture: page numbers ("12", "- 12 -", "12/40") and UN job numbers ("20-12345").
_FURNITURE_RE = re.compile(r"^(?:[-–\s]*\d{1,4}[-–\s]*|\d{1,4}\s*/\s*\d{1,4}|\d{2}-\d{5}(?:\s*\(\w\))?)$")
_MARGIN_SHARE = 0.07  # top and bottom share of the page where furniture lives


def _page_text(page: pymupdf.Page, open_table: TableBlock | None = None) -> tuple[str, TableBlock | None]:
    """The page in the text layout, and its last table if that may go on on the next page."""
    height, width = page.rect.height, page.rect.width
    pieces = [
        piece
        for piece in _text_pieces(page)
        if not (
            _FURNITURE_RE.match(piece.text)
            and (piece.y1 < _MARGIN_SHARE * height or piece.y0 > (1 - _MARGIN_SHARE) * height)
        )
    ]
    # Tables first: their cells would otherwise be read as two-column body text.
    try:
        tables = find_tables(pieces, width, open_table)
    except Exception:  # noqa: BLE001 - an odd table must not cost the page its text
        log.warning("table layout not understood on page %d; read as body text", page.number + 1, exc_info=True)
        tables = []
    used = set().union(*(t.used for t in tables)) if tables else set()
    lines = _merge_same_baseline([p for i, p in enumerate(pieces) if i not in used], width / 2)
    lines += [
        rule for rule in _separator_rules(page) if not any(t.top - 2 <= rule.y0 <= t.bottom + 2 for t in tables)
    ]
    blocks = [
        _VLine(t.columns[0], t.top, width, t.bottom, "\n".join(_block_lines(t)), 10.0, column=2, verbatim=True)
        for t in tables
        if t.lines or t.continues_row
    ]
    # A table without its notes yet may be cut by the page's end; one with notes is complete.
    still_open = tables[-1] if tables and not tables[-1].has_notes else None
    if not lines and not blocks:
        return "\n".join(_link_uris(page)), still_open
    _assign_columns(lines, width / 2)
    ordered = _reading_order(lines + blocks)
    _mark_paragraph_starts(ordered)
    out = [line.text if line.verbatim else (" " if line.leading_space else "") + line.text for line in ordered]
    out.extend(_link_uris(page))
    return "\n".join(out), still_open


def _block_lines(table: TableBlock) -> list[str]:
    """A table block's text lines; the rest of a row cut by the page break comes first, unindented."""
    carried = " ".join(c for c in table.continues_row if c)
    return ([carried] if carried else []) + table.lines


def _assign_columns(lines: list[_VLine], mid: float) -> None:
    """Left column, right column, or full width (headings, tables) for every line.

    The right column is where lines start past the page middle; a line that starts left is in
    the left column unless it runs into the right column's text. A page without right-column
    lines is single-column: everything is "left".
    """
    right_starts = [line.x0 for line in lines if line.x0 >= mid - _COLUMN_TOLERANCE]
    right_edge = min(right_starts) if right_starts else None
    for line in lines:
        if right_edge is None:
            line.column = 0
        elif line.x0 >= mid - _COLUMN_TOLERANCE:
            line.column = 1
        elif line.x1 <= right_edge + _GUTTER_OVERLAP:
            line.column = 0
        else:
            line.column = 2


def _text_lines(page: pymupdf.Page) -> list[_VLine]:
    """Visual lines: PyMuPDF lines, with pieces on one baseline of one column merged."""
    return _merge_same_baseline(_text_pieces(page), page.rect.width / 2)


def _text_pieces(page: pymupdf.Page) -> list[_VLine]:
    """PyMuPDF's lines, cut where spans leave a wide gap (table cells written as one line)."""
    pieces: list[_VLine] = []
    info = page.get_text("dict", flags=pymupdf.TEXT_PRESERVE_WHITESPACE | pymupdf.TEXT_MEDIABOX_CLIP)
    for block in info.get("blocks", []):
        if block.get("type") != 0:
            continue
        for line in block.get("lines", []):
            dx, dy = line.get("dir", (1, 0))
            if abs(dy) > 0.1 or dx <= 0:
                continue  # vertical or rotated text: marginal notes, not body
            for spans in _span_groups(line.get("spans", [])):
                text = _spans_text(spans)
                if not text.strip():
                    continue
                x0 = min(s["bbox"][0] for s in spans)
                y0 = min(s["bbox"][1] for s in spans)
                x1 = max(s["bbox"][2] for s in spans)
                y1 = max(s["bbox"][3] for s in spans)
                size = max((s.get("size", 10.0) for s in spans), default=10.0)
                pieces.append(_VLine(x0, y0, x1, y1, text.strip(), size, leading_space=text[:1].isspace()))
    return pieces


def _span_groups(spans: list[dict]) -> list[list[dict]]:
    """Spans of one line, split where the gap between two is wider than 0.8 em (not a word space)."""
    groups: list[list[dict]] = []
    prev_end: float | None = None
    for span in spans:
        if not span.get("text", "").strip():
            continue
        size = span.get("size", 10.0)
        if groups and prev_end is not None and span["bbox"][0] - prev_end <= 0.8 * size:
            groups[-1].append(span)
        else:
            groups.append([span])
        prev_end = span["bbox"][2]
    return groups


def _spans_text(spans: list[dict]) -> str:
    """Join spans; a small number starting the line (a footnote's own number) gets a space after it."""
    parts: list[str] = []
    prev_end: float | None = None
    for i, span in enumerate(spans):
        text = span.get("text", "")
        if not text:
            continue
        x0 = span["bbox"][0]
        size = span.get("size", 10.0)
        if parts and prev_end is not None:
            gap = x0 - prev_end
            prev_text = "".join(parts)
            superscript_number = (
                i > 0 and prev_text.strip().isdigit() and spans[i - 1].get("size", size) < size * 0.9
            )
            if (gap > 0.2 * size or superscript_number) and not prev_text[-1:].isspace() and not text[:1].isspace():
                parts.append(" ")
        parts.append(text)
        prev_end = span["bbox"][2]
    return "".join(parts)


def _merge_same_baseline(pieces: list[_VLine], mid: float) -> list[_VLine]:
    def across_gutter(a: _VLine, b: _VLine) -> bool:
        left, right = (a, b) if a.x0 <= b.x0 else (b, a)
        return left.x1 <= mid + _COLUMN_TOLERANCE and right.x0 >= mid - _COLUMN_TOLERANCE

    pieces.sort(key=lambda p: (round(p.baseline, 0), p.x0))
    merged: list[_VLine] = []
    for piece in pieces:
        target = next(
            (
                m
                for m in reversed(merged[-6:])
                if abs(m.baseline - piece.baseline) < 0.4 * min(m.size, piece.size) and not across_gutter(m, piece)
            ),
            None,
        )
        if target is None:
            merged.append(piece)
            continue
        left, right = (target, piece) if target.x0 <= piece.x0 else (piece, target)
        gap = right.x0 - left.x1
        # A footnote's number typeset as its own piece is followed by a space however close the
        # text sits (`640第 2518…` would not read as footnote 640).
        number_first = left.text.isdigit() and len(left.text) <= 4 and not right.text[:1].isdigit()
        joiner = " " if gap > 0.2 * min(left.size, right.size) or number_first else ""
        target.text = left.text + joiner + right.text
        target.leading_space = left.leading_space
        target.x0, target.x1 = min(left.x0, right.x0), max(left.x1, right.x1)
        target.y0, target.y1 = min(left.y0, right.y0), max(left.y1, right.y1)
        target.size = max(left.size, right.size)
    return merged


def _separator_rules(page: pymupdf.Page) -> list[_VLine]:
    """Short horizontal rules drawn where a footnote block begins, as separator lines."""
    rules: list[_VLine] = []
    width = page.rect.width
    try:
        drawings = page.get_drawings()
    except Exception:  # noqa: BLE001 - a broken drawing must not lose the page's text
        return rules
    for path in drawings:
        for item in path.get("items", []):
            if item[0] == "l":
                p1, p2 = item[1], item[2]
                if abs(p1.y - p2.y) > 1.0:
                    continue
                x0, x1, y = min(p1.x, p2.x), max(p1.x, p2.x), (p1.y + p2.y) / 2
            elif item[0] == "re":
                rect = item[1]
                if rect.height > 2.0:
                    continue
                x0, x1, y = rect.x0, rect.x1, (rect.y0 + rect.y1) / 2
            else:
                continue
            if 20 <= x1 - x0 <= 0.6 * width:
                rules.append(_VLine(x0, y - 0.5, x1, y + 0.5, SEPARATOR, 10.0))
    return rules


def _reading_order(lines: list[_VLine]) -> list[_VLine]:
    """Full-width lines split the page into bands; within a band, left column then right."""
    lines.sort(key=lambda line: (line.y0, line.x0))
    ordered: list[_VLine] = []
    band: list[_VLine] = []

    def flush() -> None:
        ordered.extend(sorted((b for b in band if b.column == 0), key=lambda b: (b.y0, b.x0)))
        ordered.extend(sorted((b for b in band if b.column == 1), key=lambda b: (b.y0, b.x0)))
        band.clear()

    for line in lines:
        if line.column == 2:
            flush()
            ordered.append(line)
        else:
            band.append(line)
    flush()
    return ordered


def _mark_paragraph_starts(lines: list[_VLine]) -> None:
    """Leading space for indented lines; on a page without any indent, after a clearly larger gap.

    The Repertoire marks paragraphs by indentation only: a gap (under a table, a heading, a
    figure) is no paragraph start there, and a leading space it invented would cut a paragraph
    the layout says goes on. Vertical spacing is the signal only where nothing is indented.
    """
    columns = {}
    for column in (0, 1, 2):
        col = [line for line in lines if line.column == column and line.text != SEPARATOR and not line.verbatim]
        if col:
            columns[column] = col
    indented_page = False
    for col in columns.values():
        left_edge = min(line.x0 for line in col)
        for line in col:
            if line.x0 - left_edge >= max(3.0, 0.6 * line.size):
                line.leading_space = indented_page = True
    if indented_page:
        return
    for col in columns.values():
        gaps = [b.y0 - a.y1 for a, b in itertools.pairwise(col) if b.y0 > a.y0]
        typical_gap = statistics.median(gaps) if gaps else 0.0
        previous: _VLine | None = None
        for line in col:
            if previous is not None and line.y0 > previous.y0:
                gap = line.y0 - previous.y1
                if gap > max(0.5 * line.size, 1.8 * typical_gap + 1.0):
                    line.leading_space = True
            previous = line


def _link_uris(page: pymupdf.Page) -> list[str]:
    """The page's web links in reading order (column, then top to bottom)."""
    mid = page.rect.width / 2
    found: list[tuple[int, float, float, str]] = []
    for link in page.get_links():
        uri = link.get("uri")
        if not uri or not uri.lower().startswith(("http://", "https://")):
            continue
        rect = link.get("from")
        if rect is None:
            found.append((3, 0.0, 0.0, uri))
            continue
        column = 0 if rect.x1 <= mid + _COLUMN_TOLERANCE else 1 if rect.x0 >= mid - _COLUMN_TOLERANCE else 2
        found.append((column if column < 2 else 0, rect.y0, rect.x0, uri))
    found.sort()
    return [uri for *_, uri in found]
