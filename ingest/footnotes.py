"""Footnotes of Repertoire text: what each one cites, and where its marker sits in the body.

Citations are the point of the chatbot, and in the Repertoire they live in footnotes: a body
sentence says "the Council adopted a resolution…", the footnote says which resolution and which
paragraphs. This module turns a footnote's text into `Footnote` data (symbol, paragraphs, link,
with `同上`/`Ibid.` resolved to the previous footnote's document) and finds each footnote's
marker in the body.

Markers are bare numbers (`宣布的。639`, `视频会议646 上`, `enablers.215 In`) in text full of
other numbers (years, dates, votes, counts). The one reliable signal is the footnotes' own
sequential numbering: we know which number to look for next, and that its marker comes after
the previous marker and before the footnote block that prints it. Within that window the first
number that could typographically be a marker wins.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from ingest.chunk import Footnote
from ingest.repertoire_layout import is_cjk, join_lines
from ingest.symbols import symbols_in, undocs_link, unique

# ---------------------------------------------------------------------------------------------
# Footnote content

_IBID_RE = re.compile(r"^\s*(?:同上|Ibid\b\.?|ibid\b\.?)", re.IGNORECASE)
_LIST_SEP = r"(?:、|，|,|和|及|与|至|到|-|–|—|\band\b|\bto\b)"
_ZH_PARAS_RE = re.compile(r"第\s*(\d{1,3}(?:\s*" + _LIST_SEP + r"\s*\d{1,3})*)\s*段")
_EN_PARAS_RE = re.compile(
    r"\b(?:paras?\.|paragraphs?)\s*(\d{1,3}(?:\s*(?:,\s*and|" + _LIST_SEP + r")\s*\d{1,3})*)", re.IGNORECASE
)
_RANGE_WORDS = {"至", "到", "-", "–", "—", "to"}


def parse_paragraph_list(spec: str) -> list[int]:
    """`10 和 12` → [10, 12]; `3 至 5` / `3-5` → [3, 4, 5]; `2、3 和 5` → [2, 3, 5]."""
    tokens = re.findall(r"\d+|至|到|–|—|-|\bto\b", spec)
    numbers: list[int] = []
    pending_range = False
    for tok in tokens:
        if tok.isdigit():
            n = int(tok)
            if pending_range and numbers and n > numbers[-1] and n - numbers[-1] <= 200:
                numbers.extend(range(numbers[-1] + 1, n + 1))
            else:
                numbers.append(n)
            pending_range = False
        elif tok in _RANGE_WORDS:
            pending_range = True
    return unique(numbers)


def paragraphs_cited(text: str) -> list[int]:
    """Paragraphs the first paragraph reference of a footnote points at (`第 4 段`, `paras. 10 and 12`)."""
    matches = [m for m in (_ZH_PARAS_RE.search(text), _EN_PARAS_RE.search(text)) if m]
    if not matches:
        return []
    first = min(matches, key=lambda m: m.start())
    return parse_paragraph_list(first.group(1))


def is_ibid(text: str) -> bool:
    return bool(_IBID_RE.match(text))


def build_footnotes(entries: list[tuple[str, str]], lang: str) -> list[Footnote]:
    """Footnote records from (number, text) in document order, `同上`/`Ibid.` resolved.

    `同上` means the previous footnote's document, across footnote blocks and pages, so the
    resolution runs over the whole document's sequence.
    """
    notes: list[Footnote] = []
    previous: str | None = None
    for number, text in entries:
        cited = symbols_in(text)
        if is_ibid(text):
            # "Ibid., para. 5; see also S/2020/514." still cites the previous document first.
            symbol = previous
        else:
            symbol = cited[0] if cited else None
        notes.append(
            Footnote(
                number=number,
                text=text,
                symbol=symbol,
                paragraphs=paragraphs_cited(text),
                link=undocs_link(symbol, lang) if symbol else None,
            )
        )
        previous = symbol
    return notes


def footnote_symbols(note: Footnote) -> list[str]:
    """Every symbol a footnote contributes: its resolved document, then any other it names."""
    return unique(([note.symbol] if note.symbol else []) + symbols_in(note.text))


def join_footnote_lines(lines: list[str]) -> str:
    text = ""
    for line in lines:
        text = join_lines(text, line)
    return text


# ---------------------------------------------------------------------------------------------
# Markers in the body


@dataclass
class MarkerSearch:
    """One footnote to locate: its number, and the last body position it can be at.

    `limit` is (paragraph index, character count) of the body stream at the moment the
    footnote's block appeared: the marker sits on the same page, before its footnote.
    """

    number: int
    limit: tuple[int, int]
    # Where to look next if the marker is not before its block: up to the next footnote block.
    # Covers PDFs whose page-wide footnote area is read before the right column's text.
    late_limit: tuple[int, int] | None = None


@dataclass
class MarkerHit:
    paragraph: int
    start: int | None = None  # None: marker not found, footnote attached to `paragraph` without offset
    end: int | None = None


_UNIT_AFTER_RE = re.compile(
    r"^\s*(?:年|月|日|号|段|个|次|名|项|人|位|国|条|%|％|\(|（|/|[-–]\d|\.\d|,\d{3}|:\d|"
    r"(?:January|February|March|April|May|June|July|August|September|October|November|December|per\s?cent)\b)"
)
_ABBREV_BEFORE_RE = re.compile(r"(?:\b(?:paras?|No|Nos|p|pp|art|arts|sect|chap|vol)\.|第)\s*$", re.IGNORECASE)
_MARKER_PUNCT_BEFORE = set(".。,，;；:：)）”\"’'!?！？…")


def is_plausible_marker(text: str, start: int, end: int) -> bool:
    """Could the number at text[start:end] be a footnote marker, typographically?

    Markers hang on the preceding word or punctuation (`宣布的。639`, `enablers.215`,
    `会议646`); ordinary numbers stand apart (`2020 年`, `第 4 段`, `15 members`), belong to a
    symbol or vote (`S/2020/514`, `15-0-0`, `2518(2020)`) or carry a unit (`3 月`).
    """
    before = text[start - 1] if start > 0 else ""
    if not before:
        return False
    if before in "/-–—(（[#№$€£" or before.isdigit():
        return False
    if before == "." and re.search(r"(?<!\d)\d{1,2}\.$", text[:start]):
        return False  # a decimal ("1.5"); a year or symbol ending a sentence ("in 2020.12") is fine
    if _UNIT_AFTER_RE.match(text[end:]):
        return False
    if _ABBREV_BEFORE_RE.search(text[:start]):
        return False
    if before.isspace():
        # Only after sentence punctuation that a line break separated from the marker.
        prev = text[:start].rstrip()
        return bool(prev) and prev[-1] in _MARKER_PUNCT_BEFORE
    return before.isalpha() or is_cjk(before) or before in _MARKER_PUNCT_BEFORE


def locate_markers(paragraphs: list[str], searches: list[MarkerSearch]) -> list[MarkerHit]:
    """Find each footnote's marker, in footnote order, each after the previous one found."""
    hits: list[MarkerHit] = []
    cursor = (0, 0)
    for search in searches:
        hit = _find_number(paragraphs, search.number, cursor, search.limit)
        if hit is None and search.late_limit is not None:
            hit = _find_number(paragraphs, search.number, cursor, search.late_limit)
        if hit is None:
            fallback = min(max(search.limit[0], 0), max(len(paragraphs) - 1, 0))
            hits.append(MarkerHit(paragraph=fallback))
            continue
        hits.append(hit)
        cursor = (hit.paragraph, hit.end or 0)
    return hits


def _find_number(
    paragraphs: list[str], number: int, cursor: tuple[int, int], limit: tuple[int, int]
) -> MarkerHit | None:
    pattern = re.compile(r"(?<!\d)" + str(number) + r"(?!\d)")
    p_start, pos = cursor
    p_limit, char_limit = limit
    for p in range(p_start, min(p_limit, len(paragraphs) - 1) + 1):
        text = paragraphs[p]
        start = pos if p == p_start else 0
        end_bound = char_limit if p == p_limit else len(text)
        for m in pattern.finditer(text, start):
            if m.end() > end_bound:
                break
            if is_plausible_marker(text, m.start(), m.end()):
                return MarkerHit(paragraph=p, start=m.start(), end=m.end())
    return None


@dataclass
class CleanText:
    text: str
    offsets: list[int] = field(default_factory=list)  # one per removed span, in input order


_SPACE_RUN = re.compile(r"\s*")


def _leading_space(text: str) -> int:
    """Length of the white space `text` starts with (the pattern always matches, if only emptily)."""
    m = _SPACE_RUN.match(text)
    return m.end() if m else 0


def remove_markers(text: str, spans: list[tuple[int, int]]) -> CleanText:
    """Drop marker digits from `text`, returning where each marker was in the cleaned text.

    The space a marker leaves behind goes too when it would separate two CJK characters
    (`视频会议646 上` → `视频会议上`) or double a space; English keeps one (`enablers. In`).
    """
    out: list[str] = []
    offsets: list[int] = []
    pos = 0
    for start, end in sorted(spans):
        if start < pos:
            offsets.append(len("".join(out)))
            continue
        out.append(text[pos:start])
        so_far = "".join(out)
        left = so_far[-1:] if so_far else ""
        ws = text[end:end + _leading_space(text[end:])]
        right = text[end + len(ws) : end + len(ws) + 1]
        if ws and (not left or left.isspace() or not right or (is_cjk(left) and is_cjk(right))):
            end += len(ws)
        offsets.append(len(so_far))
        pos = end
    out.append(text[pos:])
    cleaned = "".join(out)
    stripped = cleaned.lstrip()
    shift = len(cleaned) - len(stripped)
    cleaned = stripped.rstrip()
    offsets = [min(max(o - shift, 0), len(cleaned)) for o in offsets]
    return CleanText(cleaned, offsets)
