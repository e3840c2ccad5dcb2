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

Untrusted input: parsing goes through defusedxml, so entity bombs and external entities are
refused before any expansion happens.
"""

from __future__ import annotations

import re
import urllib.parse
import xml.etree.ElementTree as StdET
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

import defusedxml
import defusedxml.ElementTree as SafeET

from ingest.chunk import Chunk, Footnote, Source, chunk_id
from ingest.symbols import canonical, resolution_symbol, symbols_in, undocs_link, unique

if TYPE_CHECKING:  # pragma: no cover - typing only; avoids an import cycle at runtime
    from ingest.metadata import ResolutionMeta

KIND = "resolution_paragraph"

# AKN uses ISO 639-2/B-or-T codes; the rest of the project uses ISO 639-1.
LANG_CODES: dict[str, str] = {
    "eng": "en", "en": "en",
    "zho": "zh", "chi": "zh", "zh": "zh",
    "fra": "fr", "fre": "fr", "fr": "fr",
    "spa": "es", "es": "es",
    "rus": "ru", "ru": "ru",
    "ara": "ar", "ar": "ar",
}

# Above this, an operative paragraph is split by its points: one embedding cannot represent
# 5,000 characters of sanctions criteria, and retrieval would never surface point (k).
LONG_PARAGRAPH = 2500
PIECE_TARGET = 1800

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
_ARABIC_NUM = re.compile(r"^\s*(\d{1,3})\s*\.?\s*$")
_LEADING_NUM = re.compile(r"^(\d{1,3})\.?\s+(?=\S)")
_HEADING_END = re.compile(r"[;；,，:：.。、]\s*$")
_UNDOCS_HREF = re.compile(r"^https?://(?:www\.)?undocs\.org/(?:(?:en|ch|zh|fr|es|ru|ar)/)?(?:Home/Mobile\?FinalSymbol=)?(.+)$", re.I)
_FRBR_RES = re.compile(r"/(\d{1,4})-(\d{4})/")

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
    """Collapse every whitespace run (tabs, newlines, NBSP) to one space and trim."""
    return _WS.sub(" ", text).strip()


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
    and `label`; sub-item nums such as "(a)" always stay in the text. The split points let an over-long paragraph be cut between points rather than mid-sentence;
    a normal paragraph simply joins the blocks back together.
    """
    blocks: list[_Text] = []
    current = _Text()

    def flush() -> None:
        nonlocal current
        if normalise(current.raw.replace(_NOTE_MARK, "")) or current.notes:
            blocks.append(current)
        current = _Text()

    def walk(node: StdET.Element) -> None:
        name = _local(node.tag)
        if name in ("list", "blockList"):
            if node.text and node.text.strip():
                current.raw += " " + node.text
            for child in node:
                cname = _local(child.tag)
                if cname in ("point", "item", "wrapUp"):
                    flush()
                    _collect(child, current)
                    flush()
                else:
                    walk(child)
                if child.tail and child.tail.strip():
                    current.raw += " " + child.tail
            return
        if name in ("content", "intro", "listIntroduction", "paragraph"):
            if node.text and node.text.strip():
                current.raw += " " + node.text
            for child in node:
                walk(child)
                if child.tail and child.tail.strip():
                    current.raw += " " + child.tail
            return
        _collect(node, current)

    if el.text and el.text.strip():
        current.raw += " " + el.text
    for child in el:
        if not (skip_num and _local(child.tag) == "num"):
            walk(child)
        if child.tail and child.tail.strip():
            current.raw += " " + child.tail
    flush()
    return blocks


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


def _finish(blocks: list[_Text]) -> tuple[str, list[tuple[str, str, str | None, int]], list[str]]:
    """Join blocks into normalised text; return text, notes with offsets, and href symbols."""
    raw = " ".join(b.raw for b in blocks)
    notes = [n for b in blocks for n in b.notes]
    hrefs = [h for b in blocks for h in b.hrefs]
    text = normalise(raw)
    # Leading "\t" and the like are gone; also drop spaces a block boundary put before a marker.
    text = text.replace(" " + _NOTE_MARK, _NOTE_MARK)
    offsets: list[int] = []
    clean = []
    for ch in text:
        if ch == _NOTE_MARK:
            offsets.append(len(clean))
        else:
            clean.append(ch)
    out = "".join(clean)
    with_offsets = [(m, t, h, offsets[i] if i < len(offsets) else None) for i, (m, t, h) in enumerate(notes)]
    return out, with_offsets, hrefs


# --------------------------------------------------------------------------- document metadata


def _parse_xml(data: bytes) -> StdET.Element:
    """Parse untrusted bytes safely; every failure becomes a ValueError with a short reason."""
    if not data or not data.strip():
        raise ValueError("not XML: empty file")
    try:
        return SafeET.fromstring(data)
    except (defusedxml.EntitiesForbidden, defusedxml.DTDForbidden) as exc:
        raise ValueError("XML entity expansion refused") from exc
    except defusedxml.ExternalReferenceForbidden as exc:
        raise ValueError("XML external reference refused") from exc
    except StdET.ParseError as exc:
        raise ValueError(f"malformed XML: {exc}") from exc


def _document(root: StdET.Element) -> StdET.Element:
    if _local(root.tag) != "akomaNtoso":
        raise ValueError(f"not an Akoma Ntoso document (root <{_local(root.tag)}>)")
    for child in root:
        if _local(child.tag):
            return child
    raise ValueError("Akoma Ntoso document has no document element")


def _symbol(doc: StdET.Element, meta: ResolutionMeta | None) -> str:
    """The document's own symbol: docNumber, else the cover title, else the FRBR URI."""
    number = _first(doc, "docNumber")
    if number is not None:
        text = normalise("".join(number.itertext()))
        if text:
            return canonical(text)
    cover = _first(doc, "coverPage")
    if cover is not None:
        for title in cover.iter():
            if _local(title.tag) == "docTitle":
                found = [s for s in symbols_in("".join(title.itertext())) if s.startswith("S/")]
                if found:
                    return found[0]
    work = _first(doc, "FRBRWork")
    if work is not None:
        this = _first(work, "FRBRthis")
        m = _FRBR_RES.search(this.get("value", "") if this is not None else "")
        if m and doc.get("name") == "resolution":
            return resolution_symbol(m.group(1), m.group(2))
    if meta is not None:
        return meta.symbol
    raise ValueError("no document symbol (<docNumber> empty and no fallback)")


def _language(doc: StdET.Element) -> str:
    node = _first(doc, "FRBRlanguage")
    code = (node.get("language", "") if node is not None else "").strip().lower()
    if code in LANG_CODES:
        return LANG_CODES[code]
    # Fallback: the share of CJK characters in the body tells Chinese from the rest.
    body = "".join(t for part in doc if _local(part.tag) in ("preamble", "mainBody") for t in part.itertext())
    letters = [c for c in body if not c.isspace()]
    if letters and len(_CJK.findall(body)) / len(letters) > 0.2:
        return "zh"
    return "en"


def _date(doc: StdET.Element, meta: ResolutionMeta | None) -> str | None:
    work = _first(doc, "FRBRWork")
    if work is not None:
        for node in work:
            if _local(node.tag) == "FRBRdate" and node.get("name") == "adoption" and node.get("date"):
                return node.get("date")
    dates = [n for n in doc.iter() if _local(n.tag) == "docDate" and n.get("date")]
    for node in dates:
        if node.get("refersTo") == "#dateOfAdoption" or node.get("refersTo") == "#adoptionDate":
            return node.get("date")
    if dates:
        return dates[0].get("date")
    return meta.adoption_date if meta is not None else None


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
    return bool(text) and len(text) <= 160 and not _HEADING_END.search(text)


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


def _operative_paras(body: StdET.Element, part: str) -> list[_Para]:
    """Numbered paragraphs of a resolution body (or ordinal ones of a statement/annex)."""
    paras: list[_Para] = []
    heading: str | None = None
    ordinal = 0
    for el in body:
        name = _local(el.tag)
        if name not in ("paragraph", "alinea", "p", "container", "blockList", "list", "subdivision"):
            continue
        num = _num_text(el)
        blocks = _blocks(el, skip_num=bool(num and _ARABIC_NUM.match(num)))
        text = normalise(" ".join(b.raw for b in blocks).replace(_NOTE_MARK, ""))
        if not text or text in {"*", "* * *"}:
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
    """Group blocks into pieces of roughly PIECE_TARGET characters, never splitting a block."""
    total = sum(len(normalise(b.raw)) for b in blocks)
    if total <= LONG_PARAGRAPH or len(blocks) < 2:
        return [blocks]
    pieces: list[list[_Text]] = [[]]
    size = 0
    for b in blocks:
        n = len(normalise(b.raw))
        if pieces[-1] and size + n > PIECE_TARGET:
            pieces.append([])
            size = 0
        pieces[-1].append(b)
        size += n
    return pieces


# --------------------------------------------------------------------------- public API


def parse_akn(data: bytes, path: str, meta: ResolutionMeta | None = None) -> list[Chunk]:
    """Parse one AKN resolution / presidential statement into paragraph chunks.

    Raises ValueError for anything that is not a usable AKN document (junk, malformed XML,
    entity bombs), so the caller can log and skip the file.
    """
    root = _parse_xml(data)
    lines_of = _eid_lines(data)
    doc = _document(root)
    symbol = _symbol(doc, meta)
    lang = _language(doc)
    date = _date(doc, meta)
    title = _title(doc, meta)
    is_statement = symbol.startswith("S/PRST/") or doc.get("name") == "presidentialStatement"
    parts = _PARTS.get(lang, _PARTS["en"])

    paras: list[_Para] = []
    preamble = next((c for c in doc if _local(c.tag) == "preamble"), None)
    body = next((c for c in doc if _local(c.tag) == "mainBody"), None)
    if not is_statement:
        paras.extend(_preamble_paras(preamble))
    if body is not None:
        paras.extend(_operative_paras(body, "statement" if is_statement else "operative"))
    for a_index, annex_body in enumerate(_annex_bodies(doc), start=1):
        for p in _operative_paras(annex_body, "annex"):
            p.position = f"annex{a_index}.{p.position}"
            paras.append(p)

    chunks: list[Chunk] = []
    for p in paras:
        section = f"{symbol} > {parts[p.part]}" + (f" > {p.heading}" if p.heading else "")
        pieces = _split_long(p.blocks) if p.part in ("operative", "annex", "statement") else [p.blocks]
        for k, piece in enumerate(pieces, start=1):
            text, notes, hrefs = _finish(piece)
            if not text:
                continue
            position = p.position if len(pieces) == 1 else f"{p.position}.{k}"
            chunk = _chunk(symbol, lang, p, position, section, text, notes, hrefs, path, title, date)
            if p.eid in lines_of:
                chunk.source.lines = (lines_of[p.eid], lines_of[p.eid])
            chunks.append(chunk)
    return chunks


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
    notes: list[tuple[str, str, str | None, int]], hrefs: list[str],
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
