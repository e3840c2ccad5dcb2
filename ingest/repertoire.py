"""Parse *Repertoire of the Practice of the Security Council* text (Chinese or English) into chunks.

Input is text extracted from the Repertoire's two-column PDFs (see the sample's NOTES.md, or
`ingest.pdf.extract_pdf_text`, which produces the same layout). Output is one `Chunk` per body
paragraph and per row of the section's meetings table, each with its section path, its
footnotes (marker offset, cited symbol, paragraphs, undocs.org link) and all symbols it cites.

The parser is one pass over the visual lines that routes each line to a stream: body text,
footnote blocks (after a `____` separator), undocs.org URL blocks, and the closing table. Taking
footnotes and URLs out of the body stream is what lets a paragraph interrupted mid-sentence by a
page's footnotes (`…确保提供适` / footnotes / URLs / `足的医疗设施…`) join back together. Markers
are matched to footnotes only after all paragraphs are assembled (see `ingest.footnotes`).

Paragraph starts follow NOTES.md and nothing else: a line with a leading space after a line that
closes a sentence (`repertoire_layout.closes_paragraph`: not a clause end like `；`/`:`, not an
abbreviation like `para.`). A page or column break, a blank line, a form feed, a footnote block
or a link block is never a paragraph start; the text after it joins the open paragraph. Blank
lines and sentence ends only separate paragraphs in text that has no indentation at all.

A meetings table cut by a page break goes on after that page's footnotes and links (its title
and header may be printed again, the cut row's cells continue first).

The chunks' `doc_id` comes from the record's content (`ingest.identity`), so a PDF and its
extracted text, or two copies of a file, are one document with the same chunk ids.

Public API: `parse_repertoire`, `parse_repertoire_report`, `looks_like_repertoire`,
`unexplained_links`.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from urllib.parse import unquote

from ingest.chunk import Chunk, Footnote, Source, VoteRecord, chunk_id
from ingest.footnotes import (
    MarkerSearch,
    build_footnotes,
    footnote_symbols,
    join_footnote_lines,
    locate_markers,
    remove_markers,
)
from ingest.identity import repertoire_doc_id
from ingest.lang import detect_lang
from ingest.repertoire_layout import (
    FOOTNOTE_START_RE,
    UNDOCS_URL_RE,
    Line,
    closes_paragraph,
    heading_rank,
    is_separator,
    join_lines,
    looks_like_heading,
    normalize_heading,
    normalize_text,
    split_lines,
    url_of,
)
from ingest.repertoire_table import (
    VOTE_RE,
    Table,
    continuation_of,
    continue_last_row,
    parse_table,
    table_starts_at,
)
from ingest.symbols import canonical, symbols_in, undocs_link, unique

log = logging.getLogger(__name__)

SECTION_SEP = " > "
_UNNUMBERED_TOP = 0
_UNNUMBERED_SUB = 9  # an unnumbered heading below numbered ones nests under them
# A new footnote must carry the next number in sequence; a little slack absorbs a footnote the
# extraction lost, without letting a body line that starts with a year pass for a footnote.
_FOOTNOTE_NUMBER_SLACK = 2
# Right under a separator the sequence may jump this far (footnotes of a page the extraction lost).
_FOOTNOTE_BLOCK_JUMP = 60


@dataclass
class _Paragraph:
    section: str
    ordinal: int  # 1-based within its section
    raw: str  # joined text, markers still in
    first: int
    last: int


@dataclass
class _Note:
    number: int
    lines: list[str]
    limit: tuple[int, int]  # body position when the note's block appeared (see MarkerSearch)
    block: int  # which footnote block (separator) the note was printed in


@dataclass
class _Heading:
    rank: int
    text: str


@dataclass
class _Stream:
    """Everything the line pass routes out of the text, before chunks are built."""

    paragraphs: list[_Paragraph] = field(default_factory=list)
    notes: list[_Note] = field(default_factory=list)
    tables: list[tuple[str, Table]] = field(default_factory=list)
    urls: list[tuple[str, int]] = field(default_factory=list)


@dataclass
class ParseResult:
    """Chunks plus what a caller may want to check: the URL blocks and any link left unexplained."""

    chunks: list[Chunk]
    urls: list[str]
    unexplained_links: list[str]
    warnings: list[str]


# ---------------------------------------------------------------------------------------------
# Public API


def parse_repertoire(text: str, path: str, lang: str | None = None) -> list[Chunk]:
    """Chunks of a Repertoire text: body paragraphs and table rows, in document order."""
    return parse_repertoire_report(text, path, lang).chunks


def parse_repertoire_report(text: str, path: str, lang: str | None = None) -> ParseResult:
    """`parse_repertoire` plus the URL check: undocs.org links no resolved symbol explains.

    Odd input gives fewer chunks and warnings, not an exception; a real parser bug does raise,
    and the file layer (`ingest.parse`) reports it as that file's error while the others go on.
    """
    return _parse(text, path, lang)


def unexplained_links(text: str, path: str = "repertoire.txt", lang: str | None = None) -> list[str]:
    """undocs.org URLs printed in `text` that no symbol of any parsed chunk accounts for."""
    return parse_repertoire_report(text, path, lang).unexplained_links


def looks_like_repertoire(text: str) -> bool:
    """Cheap test that a .txt is Repertoire-style extraction (footnote blocks or indented paragraphs)."""
    try:
        lines, _ = split_lines(text[:200_000])
    except Exception:  # noqa: BLE001
        return False
    for i, line in enumerate(lines[:-1]):
        if is_separator(line.text) and FOOTNOTE_START_RE.match(lines[i + 1].text):
            return True
    indented = sum(1 for line in lines if line.indented)
    headings = sum(1 for line in lines if heading_rank(line.text) is not None and looks_like_heading(line.text))
    return indented >= 2 and headings >= 1


# ---------------------------------------------------------------------------------------------
# The line pass


def _parse(text: str, path: str, lang: str | None) -> ParseResult:
    lang = lang or detect_lang(text)
    lines, blank_lines_meaningful = split_lines(text)
    stream = _route_lines(lines, blank_lines_meaningful)
    warnings: list[str] = []
    chunks = _paragraph_chunks(stream, "", lang, path, warnings) + _table_chunks(stream, "", lang, path)
    chunks.sort(key=lambda c: (c.source.lines or (0, 0))[0])
    # The document is named by what it says, not by its file name (see `ingest.identity`), so
    # its PDF and its text, or either language edition, get one doc_id.
    doc_id = repertoire_doc_id(chunks)
    chunks = [
        c.model_copy(update={"doc_id": doc_id, "id": chunk_id(doc_id, lang, c.kind, c.id.rsplit("|", 1)[-1])})
        for c in chunks
    ]
    explained = {s for c in chunks for s in c.symbols}
    urls = [u for u, _ in stream.urls]
    unexplained = [u for u in urls if (_symbol_of_url(u) or "") not in explained and _symbol_of_url(u)]
    for u in unique(unexplained):
        warnings.append(f"link not explained by any cited symbol: {u}")
    return ParseResult(chunks=chunks, urls=urls, unexplained_links=unique(unexplained), warnings=warnings)


def _route_lines(lines: list[Line], blank_lines_meaningful: bool) -> _Stream:
    """Send every line to the body, a footnote, the URL list or a table."""
    stream = _Stream()
    # NOTES.md: a body paragraph starts with a leading space, and only that. Blank lines (a page
    # break in some extractions) and sentence ends then say nothing; they are the fallback only
    # for text without indentation (plain prose). Footnote lines are indented too, so they don't count.
    indented_body = sum(1 for line in lines if line.indented and not FOOTNOTE_START_RE.match(line.text))
    blank_separated = blank_lines_meaningful and any(line.after_blank for line in lines)
    has_indent = indented_body >= 2 or (indented_body == 1 and not blank_separated)
    has_blank_breaks = not has_indent and blank_separated
    headings: list[_Heading] = []
    section = ""
    ordinals: dict[str, int] = {}
    current: _Paragraph | None = None  # the paragraph a continuation line would join
    in_notes = False
    note: _Note | None = None
    open_table: Table | None = None  # the table just read, which a page break may have interrupted
    body_width = _body_width(lines)
    blocks = 0
    i = 0
    while i < len(lines):
        line = lines[i]
        text = line.text
        if is_separator(text):
            in_notes, note = True, None
            blocks += 1
            i += 1
            continue
        url = url_of(text)
        if url:
            stream.urls.append((url, line.no))
            in_notes = False
            i += 1
            continue
        if in_notes:
            note = _footnote_line(stream, note, line, blocks)
            if note is not None:
                i += 1
                continue
            in_notes = False

        if open_table is not None:
            # The table's rows go on after the page's footnotes and links (maybe under its header again).
            cont = continuation_of(open_table, lines, i)
            if cont is not None:
                rest, first_row = cont
                continue_last_row(open_table, lines, rest, first_row)
                parse_table(lines, i, first_row, table=open_table)
                i = max(open_table.end, first_row + 1)
                continue
            open_table = None
        closed = current is None or closes_paragraph(current.raw)
        blank_break = has_blank_breaks and line.after_blank
        # Plain prose without indents or blank lines: a sentence end at a line end is all we have.
        unmarked_break = not has_indent and not has_blank_breaks
        if closed:
            table_row = table_starts_at(lines, i)
            if table_row is not None:
                table = parse_table(lines, i, table_row)
                stream.tables.append((section, table))
                current = None
                open_table = table
                i = max(table.end, i + 1)
                continue
            if looks_like_heading(text) and _is_heading_in_context(lines, i, body_width):
                section = _push_heading(headings, text)
                current = None
                i += 1
                # A heading wrapped over two lines: a short, unindented line right before body text.
                while i < len(lines) and _continues_heading(lines, i, has_indent):
                    headings[-1].text = normalize_heading(join_lines(headings[-1].text, lines[i].text))
                    section = SECTION_SEP.join(h.text for h in headings)
                    i += 1
                continue
        starts_paragraph = current is None or (closed and (line.indented or blank_break or unmarked_break))
        if starts_paragraph:
            ordinals[section] = ordinals.get(section, 0) + 1
            current = _Paragraph(section=section, ordinal=ordinals[section], raw=text, first=line.no, last=line.no)
            stream.paragraphs.append(current)
        else:
            assert current is not None
            current.raw = join_lines(current.raw, text)
            current.last = line.no
        i += 1
    return stream


def _footnote_line(stream: _Stream, note: _Note | None, line: Line, block: int) -> _Note | None:
    """Add a line of a footnote block; None when the line is body text again.

    `note` is None on the block's first line. There, right under the separator, a numbered line
    is a footnote even if the sequence jumped (a page whose footnotes the extraction lost must not
    take every later footnote down with it); further down, only the next numbers in sequence are,
    since a wrapped footnote line may start with a year. A block that opens with an unnumbered line
    continues the previous page's unfinished footnote.
    """
    text = line.text
    m = FOOTNOTE_START_RE.match(text)
    last = stream.notes[-1] if stream.notes else None
    if m:
        number = int(m.group(1))
        expected = last.number + 1 if last else None
        in_sequence = expected is None or expected <= number <= expected + _FOOTNOTE_NUMBER_SLACK
        opens_block = note is None and last is not None and last.number < number <= last.number + _FOOTNOTE_BLOCK_JUMP
        if in_sequence or opens_block:
            para = stream.paragraphs[-1] if stream.paragraphs else None
            limit = (len(stream.paragraphs) - 1, len(para.raw) if para else 0)
            new = _Note(number=number, lines=[m.group(2)], limit=limit, block=block)
            stream.notes.append(new)
            return new
    if note is not None and not closes_paragraph(note.lines[-1]):
        note.lines.append(text)
        return note
    if note is None and last is not None and last.block < block and not closes_paragraph(last.lines[-1]):
        last.lines.append(text)
        return last
    return None


# Words a heading does not end on but a hard-wrapped body line often does.
_OPEN_ENDING_WORDS = frozenset(
    "the a an of and or to in on at by for with from that which who as its their his her this these "
    "those was were is are be been has have had will would not also".split()
)


def _is_heading_in_context(lines: list[Line], i: int, body_width: int = 0) -> bool:
    """Numbered headings stand on their own; an unnumbered one must be followed by body or a heading.

    An unnumbered line before an indented one may also be body text: the paragraph's next line
    after a page break, with the stray leading space NOTES.md describes ("The Council also
    called upon the" / " Secretariat to…"). Such a line runs the column's width or stops on a
    word no heading ends on; a heading is short.
    """
    text = lines[i].text
    if heading_rank(text) is not None:
        return True
    if i + 1 >= len(lines):
        return False
    last_word = text.rsplit(None, 1)[-1].lower() if text.split() else ""
    if last_word in _OPEN_ENDING_WORDS or (body_width and len(text) >= 0.8 * body_width):
        return False
    nxt = lines[i + 1]
    return nxt.indented or (heading_rank(nxt.text) is not None and looks_like_heading(nxt.text))


def _body_width(lines: list[Line]) -> int:
    """Typical length of a wrapped body line (the column width in characters), 0 if unknown."""
    lengths = sorted(
        len(line.text) for line in lines if not line.indented and not url_of(line.text) and not is_separator(line.text)
    )
    return lengths[len(lengths) * 3 // 4] if len(lengths) >= 8 else 0


def _continues_heading(lines: list[Line], i: int, has_indent: bool) -> bool:
    line = lines[i]
    if not has_indent or line.indented or not looks_like_heading(line.text) or heading_rank(line.text) is not None:
        return False
    if is_separator(line.text) or i + 1 >= len(lines):
        return False
    return lines[i + 1].indented


def _push_heading(headings: list[_Heading], text: str) -> str:
    rank = heading_rank(text)
    if rank is None:
        rank = _UNNUMBERED_SUB if any(h.rank != _UNNUMBERED_TOP for h in headings) else _UNNUMBERED_TOP
    while headings and headings[-1].rank >= rank:
        headings.pop()
    headings.append(_Heading(rank=rank, text=normalize_heading(text)))
    return SECTION_SEP.join(h.text for h in headings)


# ---------------------------------------------------------------------------------------------
# Chunks


def _paragraph_chunks(stream: _Stream, doc_id: str, lang: str, path: str, warnings: list[str]) -> list[Chunk]:
    paragraphs = stream.paragraphs
    footnotes = build_footnotes(
        [(str(n.number), normalize_text(join_footnote_lines(n.lines))) for n in stream.notes], lang
    )
    attached: dict[int, list[tuple[Footnote, int | None, int | None]]] = {}
    if paragraphs:
        late_limits = _next_block_limits(stream.notes, end=(len(paragraphs) - 1, len(paragraphs[-1].raw)))
        searches = [MarkerSearch(n.number, n.limit, late_limits[n.block]) for n in stream.notes]
        hits = locate_markers([p.raw for p in paragraphs], searches)
        for note, hit in zip(footnotes, hits, strict=True):
            if hit.start is None:
                warnings.append(f"marker of footnote {note.number} not found; attached to paragraph {hit.paragraph + 1}")
            attached.setdefault(hit.paragraph, []).append((note, hit.start, hit.end))
    elif footnotes:
        warnings.append(f"{len(footnotes)} footnotes but no body paragraph to attach them to")

    chunks: list[Chunk] = []
    for index, para in enumerate(paragraphs):
        notes = attached.get(index, [])
        spans = [(s, e) for _, s, e in notes if s is not None and e is not None]
        clean = remove_markers(para.raw, spans)
        offsets = iter(clean.offsets)
        notes_out: list[Footnote] = []
        for note, start, _ in notes:
            offset = next(offsets) if start is not None else None
            notes_out.append(note.model_copy(update={"offset": offset}))
        text = normalize_text(clean.text)
        if not text:
            continue
        symbols = unique(symbols_in(text) + [s for n in notes_out for s in footnote_symbols(n)])
        chunks.append(
            Chunk(
                id=chunk_id(doc_id, lang, "paragraph", index + 1),
                doc_id=doc_id,
                kind="paragraph",
                lang=lang,
                section=para.section,
                paragraph=para.ordinal,
                text=text,
                footnotes=notes_out,
                symbols=symbols,
                links=[undocs_link(s, lang) for s in symbols],
                source=Source(path=path, lines=(para.first, para.last)),
            )
        )
    return chunks


def _next_block_limits(notes: list[_Note], end: tuple[int, int]) -> dict[int, tuple[int, int]]:
    """For each footnote block, where the next block begins in the body (or the end of the body)."""
    first_limit_of_block: dict[int, tuple[int, int]] = {}
    for n in notes:
        first_limit_of_block.setdefault(n.block, n.limit)
    blocks = sorted(first_limit_of_block)
    return {b: (first_limit_of_block[blocks[k + 1]] if k + 1 < len(blocks) else end) for k, b in enumerate(blocks)}


def _table_chunks(stream: _Stream, doc_id: str, lang: str, path: str) -> list[Chunk]:
    chunks: list[Chunk] = []
    ordinal = 0
    for section, table in stream.tables:
        row_section = SECTION_SEP.join(s for s in (section, table.title) if s)
        table_notes = dict(
            zip(table.notes, build_footnotes([(k, normalize_text(v)) for k, v in table.notes.items()], lang), strict=True)
        )
        for position, row in enumerate(table.rows, start=1):
            ordinal += 1
            text = normalize_text(row.text)
            notes: list[Footnote] = []
            if row.mark and row.mark in table_notes:
                notes.append(table_notes[row.mark].model_copy(update={"offset": row.mark_offset}))
            symbols = unique(symbols_in(text) + [s for n in notes for s in footnote_symbols(n)])
            chunks.append(
                Chunk(
                    id=chunk_id(doc_id, lang, "table_row", ordinal),
                    doc_id=doc_id,
                    kind="table_row",
                    lang=lang,
                    section=row_section,
                    paragraph=position,
                    text=text,
                    footnotes=notes,
                    symbols=symbols,
                    links=[undocs_link(s, lang) for s in symbols],
                    source=Source(path=path, lines=(row.first, row.last)),
                    date=row.date,
                    label=row.label,
                    vote=_vote_of(text),
                )
            )
    return chunks


def _vote_of(text: str) -> VoteRecord | None:
    m = VOTE_RE.search(text)
    if not m:
        return None
    yes, no, abstain = (int(g) for g in m.groups())
    if yes + no + abstain > 15 or yes == 0:
        return None  # not a Council tally
    return VoteRecord(in_favour_count=yes, against_count=no, abstaining_count=abstain)


def _symbol_of_url(url: str) -> str | None:
    m = UNDOCS_URL_RE.match(url.strip())
    if not m:
        return None
    return canonical(unquote(m.group(1)).rstrip("/"))
