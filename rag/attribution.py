"""Where a passage comes from, said in the asker's language: "Resolution 2538 (2020), operative
paragraph 6" / "第2538(2020)号决议执行部分第6段"; "Repertoire 2020, Thematic issues, section 23, paragraph 7".

Why: a bare quote reads as the answer ("Noting with appreciation …" for "what does 2538 say?");
naming the record and the part of it lets the reader weigh it (a preambular "recalling" is not a
decision, a draft that was not adopted decided nothing). Everything is derived from the chunk's
own structure (its stable id's position, doc_kind, section path), so it works for any record the
parsers produce, and the label is rebuilt in the question's language even when the chunk is in
the other one.
"""

from __future__ import annotations

import calendar
import re

from ingest.chunk import Chunk

# Position grammar of resolution paragraph ids (ingest.akn): part + number (+ piece / dup).
_POSITION = re.compile(r"^(?P<part>annex\d+\.|[a-z]+)(?P<num>\d+)")
_PARTS = {
    "op": ("执行部分", "operative paragraph"),
    "pre": ("序言部分", "preambular paragraph"),
    "stmt": ("", "paragraph"),
}
# The Repertoire's top-level headings, in the English the published Repertoire uses.
_REPERTOIRE_HEADINGS = {"专题问题": "Thematic issues", "国家和区域问题": "Country and regional issues"}


def zh(lang: str | None) -> bool:
    return (lang or "").startswith("zh")


def doc_name(chunk: Chunk | None, lang: str, symbol: str | None = None) -> str:
    """The document's name: "Resolution 2538 (2020)", "Presidential statement S/PRST/2021/5",
    "Draft resolution S/2024/312 (not adopted)", "Repertoire 2020"."""
    symbol = symbol or (chunk.doc_id if chunk is not None else "")
    kind = chunk.doc_kind if chunk is not None else ""
    m = re.fullmatch(r"S/RES/(\d+)\s*\((\d{4})\)", symbol)
    if m:
        return f"第{m.group(1)}({m.group(2)})号决议" if zh(lang) else f"Resolution {m.group(1)} ({m.group(2)})"
    if symbol.startswith("S/PRST/") or kind == "presidential_statement":
        return f"主席声明{symbol}" if zh(lang) else f"Presidential statement {symbol}"
    if kind == "draft_not_adopted":
        return f"决议草案{symbol}（未获通过）" if zh(lang) else f"Draft resolution {symbol} (not adopted)"
    if kind == "veto":
        return f"决议草案{symbol}（被否决）" if zh(lang) else f"Draft resolution {symbol} (vetoed)"
    if kind == "repertoire" or (chunk is not None and chunk.kind in ("paragraph", "table_row")):
        y = re.search(r"(19|20)\d\d", symbol)
        year = y.group(0) if y else ""
        return (f"《安全理事会惯例汇编》{year}年" if year else "《安全理事会惯例汇编》") if zh(lang) else (
            f"Repertoire {year}".strip())
    return f"文件{symbol}" if zh(lang) else f"Document {symbol}"


def _position(chunk: Chunk) -> tuple[str, int] | None:
    m = _POSITION.match(chunk.id.rsplit("|", 1)[-1])
    if not m:
        return None
    return m.group("part"), int(m.group("num"))


def _repertoire_where(chunk: Chunk, lang: str) -> str:
    heads = [h.strip() for h in (chunk.section or "").split(">") if h.strip()]
    pieces: list[str] = []
    if heads and not re.match(r"\d", heads[0]):
        top = heads[0]
        pieces.append(top if zh(lang) else _REPERTOIRE_HEADINGS.get(top, top))
    number = next((m.group(1) for h in heads if (m := re.match(r"(\d+)\s*[.．]", h))), None)
    if number:
        pieces.append(f"第{number}节" if zh(lang) else f"section {number}")
    if chunk.kind == "table_row" and chunk.label:
        pieces.append(f"{chunk.label}会议" if zh(lang) else f"meeting of {chunk.label}")
    elif chunk.paragraph is not None:
        pieces.append(f"第{chunk.paragraph}段" if zh(lang) else f"paragraph {chunk.paragraph}")
    name = doc_name(chunk, lang)
    return (name + "，" + "，".join(pieces)) if zh(lang) and pieces else (
        ", ".join([name, *pieces]) if pieces else name)


def where(chunk: Chunk, lang: str) -> str:
    """The attribution of a passage in `lang` (no trailing colon)."""
    if chunk.doc_kind == "repertoire" or chunk.kind in ("paragraph", "table_row"):
        return _repertoire_where(chunk, lang)
    name = doc_name(chunk, lang)
    if chunk.kind == "document_card":
        return f"{name}的记录" if zh(lang) else f"The record of {name}"
    pos = _position(chunk)
    if pos is None:
        n = chunk.paragraph
        return name if n is None else (f"{name}第{n}段" if zh(lang) else f"{name}, paragraph {n}")
    part, number = pos
    if part.startswith("annex"):
        return f"{name}附件第{number}段" if zh(lang) else f"{name}, annex, paragraph {number}"
    zh_part, en_part = _PARTS.get(part, ("", "paragraph"))
    return f"{name}{zh_part}第{number}段" if zh(lang) else f"{name}, {en_part} {number}"


def is_preambular(chunk: Chunk) -> bool:
    pos = _position(chunk)
    return chunk.kind == "resolution_paragraph" and pos is not None and pos[0] == "pre"


def is_annexed(chunk: Chunk) -> bool:
    """A paragraph of a text annexed to the document (a letter, an agreement): not the Council's words."""
    pos = _position(chunk)
    return chunk.kind == "resolution_paragraph" and pos is not None and pos[0].startswith("annex")


def is_operative(chunk: Chunk) -> bool:
    pos = _position(chunk)
    return chunk.kind == "resolution_paragraph" and pos is not None and pos[0] == "op"


def date_text(iso: str | None, lang: str) -> str:
    if not iso or not re.match(r"\d{4}-\d{2}-\d{2}", iso):
        return ""
    y, m, d = (int(x) for x in iso[:10].split("-"))
    return f"{y}年{m}月{d}日" if zh(lang) else f"{d} {calendar.month_name[m]} {y}"


__all__ = ["date_text", "doc_name", "is_annexed", "is_operative", "is_preambular", "where", "zh"]
