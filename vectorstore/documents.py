"""How a `Chunk` becomes a Chroma record (text to embed, filterable metadata) and back.

Why the embedded text differs from the stored text: a resolution paragraph such as "Decides to
extend the mandate until 31 July 2021" says nothing about *which* mission; its resolution's
title does. So the vector is computed from title + section tail + text + footnotes, while the
stored document stays exactly the record's text, which is what gets quoted.

Why flat metadata: Chroma filters on scalar (or list) metadata values, so every field a filter
needs (language, chunk kind, record kind, document, date, cited symbols) gets its own key, while
the whole chunk travels as JSON in `chunk` so that it is rebuilt exactly, with no lossy mapping to
maintain. Cited symbols are one list (`symbols`, matched with `$contains`), not a key per symbol:
Chroma keeps a schema entry per metadata key, and with one key per symbol that schema grew to
145 KB at the 2020-2026 resolutions (thousands of symbols), re-read on every `get_collection`
(up to 0.5 s each) and rewritten as writes added symbols.
"""

from __future__ import annotations

import re
from typing import Any

from ingest.chunk import Chunk

SYMBOLS_KEY = "symbols"  # one list value, filtered with `$contains`
SYMBOL_PREFIX = "sym:"  # how indexes built before that held symbols: one boolean key per symbol
_DATE = re.compile(r"^(\d{4})(?:-(\d{2}))?(?:-(\d{2}))?")


def section_tail(section: str) -> str:
    """Last component of a section path ('A > B > C' → 'C')."""
    parts = [p.strip() for p in re.split(r"\s*>\s*", section or "") if p.strip()]
    return parts[-1] if parts else ""


def embedding_text(chunk: Chunk) -> str:
    """The text whose vector represents the chunk: context header, text, footnote texts."""
    title = (chunk.title or "").strip()
    tail = section_tail(chunk.section)
    header_parts: list[str] = []
    if chunk.kind in ("resolution_paragraph", "document_card") and chunk.doc_id and chunk.doc_id not in title:
        header_parts.append(chunk.doc_id)
    if title:
        header_parts.append(title)
    if tail and tail not in title:
        header_parts.append(tail)
    header = " | ".join(header_parts)
    body = chunk.evidence_text()
    return f"{header}\n{body}" if header else body


def date_int(iso: str | None) -> int | None:
    """'2020-07-14' → 20200714; '2020-07' → 20200701; '2020' → 20200101; anything else → None."""
    if not iso:
        return None
    m = _DATE.match(iso.strip())
    if not m:
        return None
    y, mo, d = m.group(1), m.group(2) or "01", m.group(3) or "01"
    return int(f"{y}{mo}{d}")


def chunk_metadata(chunk: Chunk, source_path: str, file_sha: str, file_chunks: int) -> dict[str, Any]:
    """Flat Chroma metadata of a chunk (no None values: Chroma rejects them)."""
    meta: dict[str, Any] = {
        "doc_id": chunk.doc_id,
        "kind": chunk.kind,
        "doc_kind": chunk.doc_kind,
        "lang": chunk.lang,
        "section": chunk.section or "",
        "source_path": source_path,
        "file_sha": file_sha,
        "file_chunks": int(file_chunks),
        "chunk": chunk.model_dump_json(),
    }
    d = date_int(chunk.date)
    if d is not None:
        meta["date"] = d
    symbols = [sym for sym in dict.fromkeys(chunk.symbols) if sym]
    if symbols:
        meta[SYMBOLS_KEY] = symbols
    return meta


def chunk_from_metadata(meta: dict[str, Any]) -> Chunk:
    return Chunk.model_validate_json(meta["chunk"])
