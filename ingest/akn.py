"""Security Council resolutions and presidential statements in Akoma Ntoso (AKN4UN) XML → chunks.

A resolution is cited by paragraph ("operative paragraph 8 of resolution 2518 (2020)"), so the
unit of retrieval is one preambular or one operative paragraph, with its sub-items kept inside:
a lettered point is meaningless without the paragraph that introduces it. The symbol comes from
the document itself (`<docNumber>`), never from the file name, because the UN's file names are
inconsistent (`S_RES_2518 (2020)-2004817E.xml`, `SC_2561_2021-E.xml`, `S_RES-2784-...`) while
the symbol is the key every language version shares.

The real files are hand-marked and irregular; the rules below come from surveying all of them:

* operative paragraphs are `mainBody/paragraph` with a numeric `<num>`;
* a `paragraph` without a number that reads like a title (a `subheading`/`heading`, or short
  text without closing punctuation) is a heading: it goes into `section`, not into a chunk
  (the Chinese files mark headings as plain `content`);
* any other unnumbered block (a point or continuation split out by the markup, a `(a)`/`–` num)
  belongs to the preceding operative paragraph; a resolution with a single unnumbered operative
  paragraph (elections, appointments) gets ordinals instead;
* a presidential statement has unnumbered paragraphs only: they are numbered by order;
* annexes (`attachments`) are indexed as well, one chunk per annex block, because sanctions
  lists and monitoring-team mandates live there.

* a numbered paragraph the markup nested inside the previous one (S/RES/2820 (2026) op 5 as a
  sub-point of op 4) is lifted back out when its number is the next one and nothing else has it;
* an asterisk note ("* Reissued for technical reasons.") is editorial, not a paragraph, and a
  quoted sentence ("“The Security Council remains seized of the matter.”") is never a heading;
* a draft resolution (`name="draftResolution"`) is parsed like a resolution but every chunk says
  it was NOT adopted (see `ingest.drafts`); a statement gets its card from `ingest.prst`.

The symbol is cross-checked (`decide_symbol`): number field against declared type, file name and
FRBR identifier; the language is read from the text, not the FRBR code or the folder (a French
statement sits in the English set). Disagreements are returned as notes, never silently chosen.

Untrusted input: parsing goes through defusedxml, so entity bombs and external entities are
refused before any expansion happens; malformed files are recovered by `ingest.xmlrepair`
under the same guarantees and their chunks are marked (`Source.recovered`).
"""

from __future__ import annotations

import re
import urllib.parse
import xml.etree.ElementTree as StdET
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from ingest import xmlrepair
from ingest.cards import CARD_LANGS
from ingest.chunk import Chunk, ChunkKind, DocKind, Footnote, Source, chunk_id
from ingest.symbols import canonical, resolution_symbol, symbols_in, undocs_link, unique

if TYPE_CHECKING:  # pragma: no cover - typing only; avoids an import cycle at runtime
    from ingest.drafts import DraftFacts
    from ingest.metadata import ResolutionMeta

KIND: ChunkKind = "resolution_paragraph"

# AKN uses ISO 639-2/B-or-T codes; the rest of the project uses ISO 639-1.
LANG_CODES: dict[str, str] = {
    "eng": "en", "en": "en",
    "zho": "zh", "chi": "zh", "zh": "zh",
    "fra": "fr", "fre": "fr", "fr": "fr",
    "spa": "es", "es": "es",
    "rus": "ru", "ru": "ru",
    "ara": "ar", "ar": "ar",
}

# Above this, an operative paragraph with lettered points ("Decides that all States shall: (a) …
# (b) …") is split at its points into pieces of about POINT_TARGET characters: each point is an
# obligation of its own, and one embedding of four cannot find "(c) Freeze without delay funds …"
# in resolution 1373 (2001) (1,389 characters), nor BM25 rank it above shorter paragraphs sharing
# fewer of the question's words. A paragraph without points is never split.
LIST_PARAGRAPH = 800
POINT_TARGET = 600

# Elements that flow inside a line of text; every other element is a block and is separated
# from its neighbours by a space, so `<num>(a)</num><p>text</p>` reads "(a) text".
_INLINE = {
    "span", "a", "inline", "i", "b", "u", "sup", "sub", "docDate", "docTitle", "docNumber",
    "term", "ref", "def", "abbr", "mref", "rref", "date", "person", "organization", "location",
    "concept", "entity", "quantity", "role", "noteRef", "marker", "img",
}
_SKIP = {"img"}
# Private-use character marking where a footnote marker sat, so its offset survives
# whitespace normalisation.
_NOTE_MARK = "\ue000"

_CJK = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]")
_WS = re.compile(r"\s+")
# Marks that print as nothing but split words for search and break quoting: bidi controls
# (U+200E in the Chinese files), zero-width spaces/joiners, word joiners, BOMs, soft hyphens.
_INVISIBLE = dict.fromkeys([0x00AD, *range(0x200B, 0x2010), *range(0x202A, 0x202F), *range(0x2060, 0x2065), 0xFEFF])
_ARABIC_NUM = re.compile(r"^\s*(\d{1,3})\s*\.?\s*$")
_LEADING_NUM = re.compile(r"^(\d{1,3})\.?\s+(?=\S)")
_HEADING_END = re.compile(r"[;；,，:：.。、]\s*$")
_UNDOCS_HREF = re.compile(
    r"^https?://(?:www\.)?undocs\.org/(?:(?:en|ch|zh|fr|es|ru|ar)/)?(?:Home/Mobile\?FinalSymbol=)?(.+)$", re.IGNORECASE)

_PARTS = {
    "en": {"preamble": "Preamble", "operative": "Operative", "statement": "Statement", "annex": "Annex"},
    "zh": {"preamble": "序言", "operative": "执行部分", "statement": "声明", "annex": "附件"},
}


def _label(lang: str, part: str, number: int) -> str:
    """Human label of a position, in the document's language (English for non-Chinese)."""
    if lang == "zh":
        return {
            "preamble": f"序言部分第{number}段",
            "operative": f"执行部分第{number}段",
            "statement": f"第{number}段",
            "annex": f"附件第{number}段",
        }[part]
    return {
        "preamble": f"preambular {number}",
        "operative": f"operative {number}",
        "statement": f"paragraph {number}",
        "annex": f"annex paragraph {number}",
    }[part]


def _local(tag: object) -> str:
    """Tag name without its namespace (comments and PIs have non-string tags)."""
    return tag.rsplit("}", 1)[-1] if isinstance(tag, str) else ""


def _children(el: StdET.Element, name: str) -> list[StdET.Element]:
    return [c for c in el if _local(c.tag) == name]


def _first(el: StdET.Element, name: str) -> StdET.Element | None:
    for node in el.iter():
        if _local(node.tag) == name:
            return node
    return None


def normalise(text: str) -> str:
    """Drop invisible marks, collapse every whitespace run (tabs, newlines, NBSP) to one space, trim."""
    return _WS.sub(" ", text.translate(_INVISIBLE)).strip()


def href_symbol(href: str | None) -> str | None:
    """Canonical symbol an undocs.org link points at (`https://undocs.org/en/S/RES/2146 (2014)`)."""
    if not href:
        return None
    m = _UNDOCS_HREF.match(href.strip())
    if not m:
        return None
    target = urllib.parse.unquote(m.group(1)).strip().rstrip("/")
    found = symbols_in(target)
    return found[0] if found else None


# --------------------------------------------------------------------------- text extraction


@dataclass
class _Text:
    """Text of one block, with footnote markers as `_NOTE_MARK` and the link targets it holds."""

    raw: str = ""
    notes: list[tuple[str, str, str | None]] = field(default_factory=list)  # (marker, text, href symbol)
    hrefs: list[str] = field(default_factory=list)

    def extend(self, other: _Text) -> None:
        self.raw += " " + other.raw
        self.notes.extend(other.notes)
        self.hrefs.extend(other.hrefs)


def _collect(el: StdET.Element, out: _Text) -> None:
    """Append the text of `el` (and its tail is NOT included) to `out`."""
    name = _local(el.tag)
    if name == "authorialNote":
        note = _Text()
        for child in el:
            _collect(child, note)
            if child.tail:
                note.raw += child.tail
        note_text = normalise((el.text or "") + note.raw).replace(_NOTE_MARK, "")
        marker = (el.get("marker") or str(len(out.notes) + 1)).strip()
        out.raw += _NOTE_MARK
        out.notes.append((marker, note_text, note.hrefs[0] if note.hrefs else None))
        return
    if name in _SKIP or not name:
        return
    block = name not in _INLINE
    if block:
        out.raw += " "
    if name == "a":
        sym = href_symbol(el.get("href"))
        if sym:
            out.hrefs.append(sym)
    if el.text:
        out.raw += el.text
    for child in el:
        _collect(child, out)
        if child.tail:
            out.raw += child.tail
    if block:
        out.raw += " "


def _text_of(el: StdET.Element) -> _Text:
    out = _Text()
    _collect(el, out)
    return out


def _blocks(el: StdET.Element, skip_num: bool = False) -> list[_Text]:
    """Text of a paragraph split at its first level of list items.

    `skip_num` drops the paragraph's own `<num>` ("8.") because it is carried by `paragraph`
    and `label`; sub-item nums such as "(a)" always stay in the text. The split points let an
    over-long paragraph be cut between points rather than mid-sentence; a normal paragraph simply
    joins the blocks back together.
    """
    splitter = _BlockSplitter()
    splitter.add(el.text)
    for child in el:
        if not (skip_num and _local(child.tag) == "num"):
            splitter.walk(child)
        splitter.add(child.tail)
    splitter.flush()
    return splitter.blocks


class _BlockSplitter:
    """The walk behind `_blocks`: text goes into the current block; a first-level list item is a block of its own."""

    def __init__(self) -> None:
        self.blocks: list[_Text] = []
        self.current = _Text()

    def add(self, text: str | None) -> None:
        """Loose text (an element's text or tail) joins the current block, blank text does not."""
        if text and text.strip():
            self.current.raw += " " + text

    def flush(self) -> None:
        """Close the current block (kept when it holds text or a footnote) and start a new one."""
        if normalise(self.current.raw.replace(_NOTE_MARK, "")) or self.current.notes:
            self.blocks.append(self.current)
        self.current = _Text()

    def walk(self, node: StdET.Element) -> None:
        name = _local(node.tag)
        if name in ("list", "blockList"):
            self.add(node.text)
            for child in node:
                if _local(child.tag) in ("point", "item", "wrapUp"):
                    self.flush()
                    _collect(child, self.current)
                    self.flush()
                else:
                    self.walk(child)
                self.add(child.tail)
        elif name in ("content", "intro", "listIntroduction", "paragraph"):
            self.add(node.text)
            for child in node:
                self.walk(child)
                self.add(child.tail)
        else:
            _collect(node, self.current)


@dataclass
class _Para:
    """One paragraph-to-be-chunked before ids and citations are attached."""

    part: str  # preamble | operative | statement | annex
    number: int
    position: str
    heading: str | None
    blocks: list[_Text]
    label_number: int | None = None
    eid: str | None = None  # the element's eId, to find its line in the file


def _finish(blocks: list[_Text]) -> tuple[str, list[tuple[str, str, str | None, int | None]], list[str]]:
    """Join blocks into normalised text; return text, notes with offsets, and href symbols."""
    raw = " ".join(b.raw for b in blocks)
    notes = [n for b in blocks for n in b.notes]
    hrefs = [h for b in blocks for h in b.hrefs]
    text = normalise(raw)
    # Leading "\t" and the like are gone; also drop spaces a block boundary put before a marker.
    text = text.replace(" " + _NOTE_MARK, _NOTE_MARK)
    offsets: list[int] = []
    pieces = text.split(_NOTE_MARK)  # no marker (almost every paragraph): one piece, no work
    length = 0
    for piece in pieces[:-1]:
        length += len(piece)
        offsets.append(length)
    out = "".join(pieces)
    with_offsets = [(m, t, h, offsets[i] if i < len(offsets) else None) for i, (m, t, h) in enumerate(notes)]
    return out, with_offsets, hrefs


# --------------------------------------------------------------------------- document metadata


def _parse_xml(data: bytes) -> StdET.Element:
    """Parse untrusted bytes strictly (defusedxml); every failure becomes a ValueError with a short reason."""
    return xmlrepair.strict(data)


def _document(root: StdET.Element) -> StdET.Element:
    if _local(root.tag) != "akomaNtoso":
        raise ValueError(f"not an Akoma Ntoso document (root <{_local(root.tag)}>)")
    for child in root:
        if _local(child.tag):
            return child
    raise ValueError("Akoma Ntoso document has no document element")


# Document type declared by the root element's `name`, and the kind of record it makes.
DECLARED_KINDS = {
    "resolution": "resolution",
    "presidentialStatement": "presidential_statement",
    "draftResolution": "draft",
}
_KIND_WORDS = {"resolution": "resolution", "presidential_statement": "presidential statement", "draft": "draft resolution"}
_FILE_PATTERNS = (
    (re.compile(r"S_PRST_(\d{4})_(\d{1,3})(?:_(Corr|Add|Rev)\.(\d+))?", re.IGNORECASE), "prst"),
    (re.compile(r"S_RES[_-](\d{1,4})\s*(?:\((\d{4})\)|_(\d{4})(?=[-_]|$))?", re.IGNORECASE), "res"),
    (re.compile(r"SC_(\d{1,4})_(\d{4})", re.IGNORECASE), "sc"),
    (re.compile(r"S_(\d{4})[_-](\d{1,4})(?!\d)", re.IGNORECASE), "doc"),
)


def symbol_kind(symbol: str | None) -> str | None:
    """'resolution', 'presidential_statement' or 'draft' (a bare S/YYYY/N document), from the symbol alone."""
    if not symbol:
        return None
    if symbol.startswith("S/RES/"):
        return "resolution"
    if symbol.startswith("S/PRST/"):
        return "presidential_statement"
    if re.fullmatch(r"S/\d{4}/\d+", symbol):
        return "draft"
    return None


def symbol_from_file_name(name: str, folder_year: int | None = None) -> str | None:
    """Symbol a UN file name spells (`S_RES_2518 (2020)-2004817E.xml`, `SC_2563_2021-C.xml`,
    `S_PRST_2000_27_Corr.1-0060049E.xml`, `S_2025-353-2508520E.xml`), or None.

    Old resolution names carry no year (`S_RES_1285_N0023963.xml`); the year folder supplies it.
    Only a fallback and a cross-check: the symbol inside the document wins.
    """
    stem = name.rsplit(".", 1)[0] if name.lower().endswith((".xml", ".akn")) else name
    for pattern, form in _FILE_PATTERNS:
        m = pattern.match(stem)
        if not m:
            continue
        if form == "prst":
            extra = f"/{m.group(3).capitalize()}.{m.group(4)}" if m.group(3) else ""
            return f"S/PRST/{m.group(1)}/{int(m.group(2))}{extra}"
        if form == "res":
            year = m.group(2) or m.group(3) or (str(folder_year) if folder_year else None)
            return resolution_symbol(m.group(1), year) if year else None
        if form == "sc":
            return resolution_symbol(m.group(1), m.group(2))
        return f"S/{m.group(1)}/{int(m.group(2))}"
    return None


@dataclass
class Identity:
    """Which document a file holds, decided from every place that names it, with the disagreements."""

    symbol: str
    kind: str | None  # resolution | presidential_statement | draft
    declared: str | None  # the root element's name="..."
    notes: list[str] = field(default_factory=list)


_FRBR_NUMBERS = re.compile(r"/\d{4}-\d{2}-\d{2}/(\d{1,4})-(\d{1,4})/")


def _frbr_symbol(value: str, declared_kind: str | None) -> str | None:
    """Symbol spelled by an FRBR URI (`…/unsc/2021-03-10/2021-5/` → S/PRST/2021/5 for a statement)."""
    m = _FRBR_NUMBERS.search(value or "")
    if not m:
        return None
    a, b = int(m.group(1)), int(m.group(2))
    if declared_kind == "resolution" and 1946 <= b <= 2100:
        return resolution_symbol(a, b)
    if declared_kind == "presidential_statement" and 1946 <= a <= 2100:
        return f"S/PRST/{a}/{b}"
    if declared_kind == "draft" and 1946 <= a <= 2100:
        return f"S/{a}/{b}"
    return None


def decide_symbol(number: str, declared: str | None, file_symbol: str | None,
                  fallbacks: list[tuple[str, str | None]]) -> Identity:
    """The document's symbol from the places that name it, with every disagreement as a note.

    The number field is trusted unless it contradicts both the declared document type and the
    file name while the file name agrees with the type (S/PRST/2007/22 carries `S/RES/1626
    (2005)` in its number field): then the file name is used and the disagreement reported.
    An empty number field falls back to `fallbacks` in order (cover title, FRBR URI, file name,
    metadata row).
    """
    declared_kind = DECLARED_KINDS.get(declared or "")
    notes: list[str] = []
    number = canonical(number) if number else ""
    if number and not number.startswith("S/"):
        notes.append(f"number field {number!r} is not a Security Council symbol")
        number = ""
    if number:
        symbol = number
        if (declared_kind and symbol_kind(number) != declared_kind and file_symbol
                and symbol_kind(file_symbol) == declared_kind):
            notes.append(
                f"number field names {number}, but the document is declared a {_KIND_WORDS[declared_kind]} "
                f"and its file name says {file_symbol}: {file_symbol} used"
            )
            symbol = file_symbol
        elif file_symbol and file_symbol != number:
            notes.append(f"file name says {file_symbol}, number field says {number}: {number} used")
        frbr = next((sym for source, sym in fallbacks if source == "FRBR identifier" and sym), None)
        if frbr and frbr != symbol:
            notes.append(f"FRBR identifier says {frbr}, {symbol} used")
    else:
        found = next(((source, sym) for source, sym in [*fallbacks, ("file name", file_symbol)] if sym), None)
        if found is None:
            raise ValueError("no document symbol (<docNumber> empty and no fallback)")
        source, symbol = found
        notes.append(f"empty number field: symbol {symbol} taken from the {source}")
    kind = symbol_kind(symbol)
    if declared_kind and kind and kind != declared_kind:
        notes.append(f"declared a {_KIND_WORDS[declared_kind]} ({declared}) but {symbol} is a {_KIND_WORDS[kind]}: "
                     f"treated as a {_KIND_WORDS[kind]}")
    if kind == "draft" and declared_kind != "draft":
        kind = None
    return Identity(symbol, kind, declared, notes)


def identify(doc: StdET.Element, meta: ResolutionMeta | None = None, file_name: str | None = None,
             folder_year: int | None = None) -> Identity:
    """Identity of a parsed document (see `decide_symbol`)."""
    declared = doc.get("name")
    number_el = _first(doc, "docNumber")
    number = normalise("".join(number_el.itertext())) if number_el is not None else ""
    cover_symbol = None
    cover = _first(doc, "coverPage")
    if cover is not None:
        for title in cover.iter():
            if _local(title.tag) == "docTitle":
                found = [s for s in symbols_in("".join(title.itertext())) if s.startswith("S/")]
                if found:
                    cover_symbol = found[0]
                    break
    work = _first(doc, "FRBRWork")
    this = _first(work, "FRBRthis") if work is not None else None
    frbr = _frbr_symbol(this.get("value", "") if this is not None else "", DECLARED_KINDS.get(declared or ""))
    file_symbol = symbol_from_file_name(file_name, folder_year) if file_name else None
    fallbacks = [("cover title", cover_symbol), ("FRBR identifier", frbr)]
    if meta is not None:
        fallbacks.append(("metadata row", meta.symbol))
    return decide_symbol(number, declared, file_symbol, fallbacks)


_RAW_NUMBER = re.compile(rb"<(?:\w+:)?docNumber\b[^>]*>(.*?)</(?:\w+:)?docNumber>", re.DOTALL)
_RAW_DECLARED = re.compile(rb"<(?:\w+:)?(?:statement|resolution|doc|bill|act)\b[^>]*?\bname=\"([^\"]+)\"")
_RAW_FRBR = re.compile(rb"<(?:\w+:)?FRBRthis\b[^>]*\bvalue=\"([^\"]*)\"")
_RAW_LANG = re.compile(rb"<(?:\w+:)?FRBRlanguage\b[^>]*\blanguage=\"([^\"]*)\"")
_RAW_TAG = re.compile(r"<[^>]*>")
_RAW_BODY = re.compile(rb"<(?:\w+:)?(?:preamble|mainBody)\b")


@dataclass
class QuickIdentity:
    """What a file holds, read with patterns only: cheap enough to survey a whole corpus before parsing."""

    symbol: str
    lang: str
    kind: str | None
    declared: str | None
    declared_ok: bool  # the declared document type agrees with the symbol
    blocks: int  # paragraphs and similar blocks: how complete the copy is
    keywords: int  # metadata keywords: how complete its metadata is


def identify_bytes(data: bytes, file_name: str | None = None, folder_year: int | None = None) -> QuickIdentity | None:
    """Symbol, language and completeness of an AKN file without parsing it (None when no symbol is found).

    Used to find the same document in two files before any of them is parsed; agrees with
    `parse_document` on the symbol because both go through `decide_symbol`.
    """
    m = _RAW_NUMBER.search(data)
    number = normalise(_RAW_TAG.sub("", m.group(1).decode("utf-8", "replace"))) if m else ""
    d = _RAW_DECLARED.search(data[:8192])
    declared = d.group(1).decode("utf-8", "replace") if d else None
    f = _RAW_FRBR.search(data)
    frbr = _frbr_symbol(f.group(1).decode("utf-8", "replace") if f else "", DECLARED_KINDS.get(declared or ""))
    file_symbol = symbol_from_file_name(file_name, folder_year) if file_name else None
    try:
        ident = decide_symbol(number, declared, file_symbol, [("FRBR identifier", frbr)])
    except ValueError:
        return None
    body_at = _RAW_BODY.search(data)
    start = body_at.start() if body_at else 0
    body = _RAW_TAG.sub(" ", data[start:start + 30000].decode("utf-8", "replace"))
    lang = text_language(body) if body.strip() else "en"
    declared_kind = DECLARED_KINDS.get(declared or "")
    return QuickIdentity(
        symbol=ident.symbol,
        lang=lang,
        kind=ident.kind,
        declared=declared,
        declared_ok=declared_kind is None or declared_kind == symbol_kind(ident.symbol),
        blocks=len(re.findall(rb"<(?:\w+:)?(?:paragraph|alinea|container|point)\b", data)),
        keywords=data.count(b"<keyword") + data.count(b":keyword"),
    )


def _symbol(doc: StdET.Element, meta: ResolutionMeta | None) -> str:
    """The document's own symbol (see `identify`)."""
    return identify(doc, meta).symbol


_FR_WORDS = frozenset(["le", "la", "les", "des", "du", "de", "et", "une", "un", "pour", "dans", "sur", "au", "aux", "est",
                       "que", "qui", "son", "ses", "sa", "conseil", "sécurité"])
_EN_WORDS = frozenset(["the", "of", "and", "to", "in", "for", "that", "is", "its", "with", "on", "by", "as", "council", "security"])
_WORD = re.compile(r"[a-zà-ÿ]+")


def text_language(text: str) -> str:
    """'zh', 'fr' or 'en' from the text itself.

    Chinese by its share of ideographs (as everywhere in the project); French vs English by
    function words, since a folder called `English` can hold a French statement.
    """
    text = text[:5000]  # a sample decides; whole sanctions annexes add nothing
    letters = len(text) - sum(text.count(c) for c in " \n\t\r\xa0")
    if letters and len(_CJK.findall(text)) / letters > 0.2:
        return "zh"
    words = _WORD.findall(text.lower())
    fr = sum(1 for w in words if w in _FR_WORDS)
    en = sum(1 for w in words if w in _EN_WORDS)
    return "fr" if fr >= 5 and fr > 2 * en else "en"


def _language(doc: StdET.Element, notes: list[str] | None = None) -> str:
    """Language of the text: detected from the body; the FRBR code is only checked against it."""
    node = _first(doc, "FRBRlanguage")
    code = (node.get("language", "") if node is not None else "").strip().lower()
    declared = LANG_CODES.get(code)
    body = " ".join(t for part in doc if _local(part.tag) in ("preamble", "mainBody") for t in part.itertext())
    if not body.strip():
        return declared or "en"
    detected = text_language(body)
    if notes is not None:
        if declared and detected != declared:
            notes.append(f"declared language {code!r} but the text reads as {detected!r}: {detected!r} used")
        if detected not in ("en", "zh"):
            notes.append(f"the text is in {_LANG_WORDS.get(detected, detected)}, not English or Chinese "
                         f"(kept as '{detected}'; cards come from an English or Chinese version when one exists)")
    return detected


_LANG_WORDS = {"fr": "French", "es": "Spanish", "ru": "Russian", "ar": "Arabic"}


def _date(doc: StdET.Element, meta: ResolutionMeta | None) -> str | None:
    work = _first(doc, "FRBRWork")
    if work is not None:
        for node in work:
            if _local(node.tag) == "FRBRdate" and node.get("name") in ("adoption", "voting") and _real_date(node.get("date")):
                return node.get("date")
    dates = [n for n in doc.iter() if _local(n.tag) == "docDate" and _real_date(n.get("date"))]
    for node in dates:
        if node.get("refersTo") == "#dateOfAdoption" or node.get("refersTo") == "#adoptionDate":
            return node.get("date")
    if dates:
        return dates[0].get("date")
    return meta.adoption_date if meta is not None else None


def _real_date(value: str | None) -> bool:
    """The files use 0001-01-01 for "no date"."""
    return bool(value) and not str(value).startswith("0001")


def _title(doc: StdET.Element, meta: ResolutionMeta | None) -> str | None:
    if meta is not None and meta.title:
        return meta.title
    for node in doc.iter():
        if _local(node.tag) == "keyword" and node.get("refersTo") == "title" and node.get("value"):
            return normalise(node.get("value", ""))
    for node in doc.iter():
        if _local(node.tag) == "docTitle":
            text = normalise("".join(node.itertext()))
            if text:
                return text
    return None


# --------------------------------------------------------------------------- structure


def _is_heading(el: StdET.Element, text: str) -> bool:
    """A numberless block that titles what follows rather than saying something."""
    kids = {_local(c.tag) for c in el}
    if kids & {"subheading", "heading"} and not kids & {"content", "list", "intro"}:
        return True
    if text.startswith(("“", '"', "«", "‘")):  # a quoted sentence ("“The Council remains seized of the matter.”")
        return False
    return bool(text) and len(text) <= 160 and not _HEADING_END.search(text.rstrip(" ”\"’»)]"))


def _preamble_paras(preamble: StdET.Element | None) -> Iterator[_Para]:
    if preamble is None:
        return
    n = 0
    heading: str | None = None
    for el in preamble:
        name = _local(el.tag)
        if name == "formula":  # "The Security Council," – the enacting formula is not a paragraph
            continue
        blocks = _blocks(el)
        text = normalise(" ".join(b.raw for b in blocks).replace(_NOTE_MARK, ""))
        if not text:
            continue
        if name == "p" and _is_heading(el, text):
            heading = text
            continue
        n += 1
        yield _Para("preamble", n, f"pre{n}", heading, blocks, eid=el.get("eId"))


def _num_text(el: StdET.Element) -> str | None:
    for child in el:
        if _local(child.tag) == "num":
            return normalise("".join(child.itertext()))
    return None


_EDITORIAL = re.compile(r"^\*\s*[^*\s].{0,150}$")
# The document's own title repeated in the body (the recovered statements carry it there).
_DOC_TITLE = re.compile(
    r"^(?:Statement by the President of the Security Council|Déclaration du Président du Conseil de sécurité"
    r"|安全理事会主席的?声明)$", re.IGNORECASE)


def _operative_paras(body: StdET.Element, part: str, editorial: list[str] | None = None) -> list[_Para]:
    """Numbered paragraphs of a resolution body (or ordinal ones of a statement/annex).

    A short block starting with an asterisk ("* Reissued for technical reasons.") is the
    footnote of the title, not something the Council said: it goes to `editorial`.
    """
    paras: list[_Para] = []
    heading: str | None = None
    ordinal = 0
    if part == "operative":
        _lift_merged_paragraphs(body)
    for el in body:
        name = _local(el.tag)
        if name not in ("paragraph", "alinea", "p", "container", "blockList", "list", "subdivision"):
            continue
        num = _num_text(el)
        blocks = _blocks(el, skip_num=bool(num and _ARABIC_NUM.match(num)))
        text = normalise(" ".join(b.raw for b in blocks).replace(_NOTE_MARK, ""))
        if not text or text in {"*", "* * *"}:
            continue
        if _EDITORIAL.match(text) and not _ARABIC_NUM.match(num or ""):
            if editorial is not None:
                editorial.append(text.lstrip("* ").strip())
            continue
        if _DOC_TITLE.match(text):
            continue
        m = _ARABIC_NUM.match(num) if num else None
        if part == "operative" and m is None:
            lead = _LEADING_NUM.match(text)
            expected = (paras[-1].number + 1) if paras else 1
            if num is None and lead and int(lead.group(1)) == expected:
                # "11 Condemns ..." – the number typed into the text instead of <num>.
                m = lead
                blocks = _strip_leading_number(blocks)
        if m is None and _is_heading(el, text) and (num is None or not _ARABIC_NUM.match(num)):
            heading = text
            continue
        if m is not None:
            number = int(m.group(1))
        elif part == "operative" and paras:
            # A point or continuation the markup split off its paragraph: keep them together.
            paras[-1].blocks.extend(blocks)
            continue
        else:
            ordinal += 1
            number = ordinal
        prefix = "op" if part == "operative" else ("p" if part == "statement" else "")
        paras.append(_Para(part, number, f"{prefix}{number}", heading, blocks, eid=el.get("eId")))
    _dedupe_positions(paras)
    return paras


def _lift_merged_paragraphs(body: StdET.Element) -> int:
    """Move numbered paragraphs the markup nested inside the previous one back out; returns how many.

    S/RES/2820 (2026) marks operative paragraph 5 as a sub-point `<num>5.</num>` of paragraph
    4's list, so 4 and 5 would be one chunk and "paragraph 5" would not exist. A nested point is
    lifted only when its number is exactly the next paragraph number and no paragraph of the
    body already has that number, so numbered lists quoted inside a paragraph stay where they are.
    """
    nums = []
    for el in body:
        num = _num_text(el)
        m = _ARABIC_NUM.match(num) if num else None
        nums.append(int(m.group(1)) if m else None)
    present = {n for n in nums if n is not None}
    moved = 0
    current: int | None = None
    index = 0
    while index < len(body):
        el = body[index]
        num = _num_text(el)
        m = _ARABIC_NUM.match(num) if num else None
        if m:
            current = int(m.group(1))
        if current is not None and _local(el.tag) == "paragraph":
            expected = current + 1
            lifted: list[StdET.Element] = []
            for parent in list(el.iter()):
                for point in list(parent):
                    if _local(point.tag) not in ("point", "item"):
                        continue
                    pnum = _num_text(point)
                    pm = _ARABIC_NUM.match(pnum) if pnum else None
                    if pm and int(pm.group(1)) == expected and expected not in present:
                        parent.remove(point)
                        point.tag = el.tag
                        lifted.append(point)
                        present.add(expected)
                        expected += 1
            for k, point in enumerate(lifted, start=1):
                body.insert(index + k, point)
            moved += len(lifted)
        index += 1
    return moved


def _strip_leading_number(blocks: list[_Text]) -> list[_Text]:
    first = blocks[0]
    first.raw = _LEADING_NUM.sub("", first.raw.lstrip(), count=1)
    return blocks


def _dedupe_positions(paras: list[_Para]) -> None:
    """Keep ids unique when the markup repeats a number (quoted amendments, typos)."""
    seen: dict[str, int] = {}
    for p in paras:
        if p.position in seen:
            seen[p.position] += 1
            p.position = f"{p.position}-{seen[p.position]}"
        else:
            seen[p.position] = 1


def _split_long(blocks: list[_Text]) -> list[list[_Text]]:
    """Group a paragraph's blocks (its opening words, then each first-level point) into pieces of
    about POINT_TARGET characters, never splitting a block; one piece up to LIST_PARAGRAPH."""
    total = sum(len(normalise(b.raw)) for b in blocks)
    if total <= LIST_PARAGRAPH or len(blocks) < 2:
        return [blocks]
    pieces: list[list[_Text]] = [[]]
    size = 0
    for b in blocks:
        n = len(normalise(b.raw))
        if pieces[-1] and size + n > POINT_TARGET:
            pieces.append([])
            size = 0
        pieces[-1].append(b)
        size += n
    return pieces


# --------------------------------------------------------------------------- public API


@dataclass
class AknDocument:
    """Everything one AKN file yields: its identity, paragraph chunks, cards, and what was odd about it."""

    symbol: str
    lang: str
    doc_kind: str  # resolution | presidential_statement | draft_not_adopted | other
    date: str | None
    title: str | None
    chunks: list[Chunk]
    cards: list[Chunk] = field(default_factory=list)
    repairs: list[str] = field(default_factory=list)  # how a malformed file was recovered (empty: parsed as published)
    notes: list[str] = field(default_factory=list)  # disagreements found (symbol, language, type)
    editorial: list[str] = field(default_factory=list)  # "* Reissued for technical reasons." and the like

    @property
    def recovered(self) -> bool:
        return bool(self.repairs)


def parse_akn(data: bytes, path: str, meta: ResolutionMeta | None = None) -> list[Chunk]:
    """Parse one AKN resolution / presidential statement / draft into paragraph chunks (no cards).

    Raises ValueError for anything that is not a usable AKN document (junk, malformed XML that
    cannot be recovered, entity bombs), so the caller can log and skip the file.
    """
    return parse_document(data, path, meta).chunks


def parse_document(
    data: bytes, path: str, meta: ResolutionMeta | None = None, *,
    file_name: str | None = None, folder_year: int | None = None, card_langs: Iterable[str] = (),
) -> AknDocument:
    """Parse one AKN file into paragraph chunks plus, for statements and drafts, their document cards.

    `card_langs` are extra languages to write the cards in (the caller knows when no file of
    that language exists for the symbol, e.g. the English-only presidential statements get a
    Chinese card too); the document's own language always gets one when it is English or Chinese.
    Resolution cards come from the metadata rows, so they are made by the caller.
    """
    parsed = xmlrepair.parse_untrusted(data)
    try:
        return _build_document(parsed, data, path, meta, file_name, folder_year, card_langs)
    except ValueError as exc:
        if parsed.recovered:  # say first that the file is malformed: that is what the user must fix
            raise ValueError(f"malformed XML ({parsed.repairs[0].replace('malformed XML at ', '')}); "
                             f"recovered markup unusable: {exc}") from exc
        raise


def _build_document(parsed: xmlrepair.Parsed, data: bytes, path: str, meta: ResolutionMeta | None,
                    file_name: str | None, folder_year: int | None, card_langs: Iterable[str]) -> AknDocument:
    root = parsed.root
    lines_of = _eid_lines(data)
    doc = _document(root)
    ident = identify(doc, meta, file_name, folder_year)
    symbol = ident.symbol
    notes = list(ident.notes)
    lang = _language(doc, notes)
    date = _date(doc, meta)
    title = _title(doc, meta)
    is_statement = ident.kind == "presidential_statement" or (ident.kind is None and doc.get("name") == "presidentialStatement")
    draft = None
    if ident.kind == "draft":
        from ingest import drafts

        draft = drafts.draft_facts(doc, symbol, lang, date)
        notes.extend(draft.conflicts)
    doc_kind: DocKind = (
        "presidential_statement" if is_statement
        else "resolution" if ident.kind == "resolution"
        else "draft_not_adopted" if draft is not None and draft.failed
        else "other"
    )
    parts = dict(_PARTS.get(lang, _PARTS["en"]))
    if draft is not None:
        title = draft.title(lang)
    elif is_statement and (not title or _DOC_TITLE.match(title)):
        # Old statements carry no DHL title: name the document so a citation is never bare.
        title = f"{title or 'Statement by the President of the Security Council'} ({symbol})"

    editorial: list[str] = []
    paras = _paragraphs(doc, is_statement, editorial)

    recovered = "; ".join(parsed.repairs) if parsed.recovered else None
    head = draft.section_head(lang) if draft is not None else symbol
    chunks: list[Chunk] = []
    for p in paras:
        section = f"{head} > {parts[p.part]}" + (f" > {p.heading}" if p.heading else "")
        pieces = _split_long(p.blocks) if p.part in ("operative", "annex", "statement") else [p.blocks]
        for k, piece in enumerate(pieces, start=1):
            text, fnotes, hrefs = _finish(piece)
            if not text:
                continue
            position = p.position if len(pieces) == 1 else f"{p.position}.{k}"
            chunk = _chunk(symbol, lang, p, position, section, text, fnotes, hrefs, path, title, date)
            chunk.doc_kind = doc_kind
            if draft is not None:
                chunk.label = draft.label(lang, chunk.label or "")
            if p.eid in lines_of:
                chunk.source.lines = (lines_of[p.eid], lines_of[p.eid])
            chunk.source.recovered = recovered
            chunks.append(chunk)
    if not chunks and parsed.recovered:
        raise ValueError("no text could be recovered")

    result = AknDocument(symbol, lang, doc_kind, date, title, chunks, repairs=list(parsed.repairs),
                         notes=notes, editorial=editorial)
    result.cards = _cards(doc, result, draft, is_statement, card_langs, path, recovered)
    return result


def _paragraphs(doc: StdET.Element, is_statement: bool, editorial: list[str]) -> list[_Para]:
    """Preamble (resolutions and drafts only), operative or statement paragraphs, then every annex's blocks."""
    paras: list[_Para] = []
    preamble = next((c for c in doc if _local(c.tag) == "preamble"), None)
    body = next((c for c in doc if _local(c.tag) == "mainBody"), None)
    if not is_statement:
        paras.extend(_preamble_paras(preamble))
    if body is not None:
        paras.extend(_operative_paras(body, "statement" if is_statement else "operative", editorial))
    for a_index, annex_body in enumerate(_annex_bodies(doc), start=1):
        for p in _operative_paras(annex_body, "annex", editorial):
            p.position = f"annex{a_index}.{p.position}"
            paras.append(p)
    return paras


def _cards(doc: StdET.Element, result: AknDocument, draft: DraftFacts | None, is_statement: bool,
           card_langs: Iterable[str], path: str, recovered: str | None) -> list[Chunk]:
    """A statement's card (from its opening sentence) or a failed draft's (from its vote); none for a resolution,
    whose card comes from its metadata row.

    Cards only in English and Chinese: a French file gives cards only when the caller says no
    English or Chinese file of the document exists (card_langs), so two files never write one card.
    """
    own = [result.lang] if result.lang in CARD_LANGS else []
    langs = unique([*own, *(c for c in card_langs if c in CARD_LANGS)])
    cards: list[Chunk] = []
    if is_statement:
        from ingest import prst

        facts = prst.statement_facts(doc, result, paras_text=[c.text for c in result.chunks[:3]])
        cards = prst.statement_cards(facts, langs, path)
    elif draft is not None and draft.failed:
        cards = draft.cards(langs, path, recovered)
    for card in cards:
        card.source.recovered = recovered
    return cards


_EID = re.compile(rb'\beId="([^"]+)"')


def _eid_lines(data: bytes) -> dict[str, int]:
    """1-based line of every element id in the file, so a chunk can point at its place in the XML."""
    lines: dict[str, int] = {}
    line, pos = 1, 0
    for m in _EID.finditer(data):
        line += data.count(b"\n", pos, m.start())
        pos = m.start()
        lines.setdefault(m.group(1).decode("utf-8", "replace"), line)
    return lines


def _annex_bodies(doc: StdET.Element) -> Iterable[StdET.Element]:
    for attachments in (c for c in doc if _local(c.tag) == "attachments"):
        for att in attachments:
            for sub in att.iter():
                if _local(sub.tag) in ("mainBody", "body") and sub is not att:
                    yield sub
                    break


def _chunk(
    symbol: str, lang: str, p: _Para, position: str, section: str, text: str,
    notes: list[tuple[str, str, str | None, int | None]], hrefs: list[str],
    path: str, title: str | None, date: str | None,
) -> Chunk:
    footnotes: list[Footnote] = []
    for marker, note_text, note_href, offset in notes:
        note_symbol = note_href or next(iter(symbols_in(note_text)), None)
        footnotes.append(Footnote(
            number=marker, text=note_text, symbol=note_symbol, offset=offset,
            link=undocs_link(note_symbol, lang) if note_symbol else None,
        ))
    cited = unique([*symbols_in(text), *hrefs, *(f.symbol for f in footnotes if f.symbol)])
    symbols = [s for s in cited if s != symbol] + [symbol]
    return Chunk(
        id=chunk_id(symbol, lang, KIND, position),
        doc_id=symbol,
        kind=KIND,
        lang=lang,
        section=section,
        paragraph=p.number,
        text=text,
        footnotes=footnotes,
        symbols=symbols,
        links=[undocs_link(s, lang) for s in symbols],
        source=Source(path=path),
        title=title,
        date=date,
        label=_label(lang, p.part, p.number),
    )
