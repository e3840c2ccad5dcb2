"""The official version of a passage in the other language (its "twin"), looked up per document.

Why: every 2020+ resolution paragraph exists in Chinese and English and the other version is the
official translation. An answer in the asker's language quotes that version instead of labelling
a cross-language quote; the source card offers the other one beside it.

The pairing is `ingest.align.twins` (by paragraph number and position, pieces grouped). It is
computed for one document at a time, from the records' chunks of that document
(`chunks_of(doc_id)`, as `rag.retrieve.HybridRetriever` gives them), and cached per store
generation, so a re-ingested store is re-paired and a question touches only the documents it cites.
"""

from __future__ import annotations

import threading
from typing import Protocol

from ingest.align import twins
from ingest.chunk import Chunk


class _Records(Protocol):
    def chunks_of(self, doc_id: str) -> list[Chunk]: ...


class Parallel:
    """Twin lookup over a records source (the retriever); thread-safe, cached per generation."""

    def __init__(self, records: _Records, max_docs: int = 512):
        self.records = records
        self.max_docs = max_docs
        self._lock = threading.Lock()
        self._generation: object = None
        self._cache: dict[str, tuple[dict[str, list[str]], dict[str, Chunk]]] = {}

    def _gen(self) -> object:
        state = getattr(self.records, "_state", None)
        return getattr(state, "generation", None) if state is not None else None

    def _doc(self, doc_id: str) -> tuple[dict[str, list[str]], dict[str, Chunk]]:
        gen = self._gen()
        with self._lock:
            if gen != self._generation:
                self._cache, self._generation = {}, gen
            hit = self._cache.get(doc_id)
        if hit is not None:
            return hit
        try:
            chunks = list(self.records.chunks_of(doc_id))
        except Exception:  # a records source that cannot list a document has no twins
            chunks = []
        entry = (twins(chunks), {c.id: c for c in chunks})
        with self._lock:
            if len(self._cache) >= self.max_docs:
                self._cache.clear()
            self._cache[doc_id] = entry
        return entry

    def twins_of(self, chunk: Chunk, lang: str | None = None) -> list[Chunk]:
        """The chunk's official counterpart(s) in `lang` (any other language when None), reading order."""
        if chunk.kind != "resolution_paragraph":
            return []
        pairs, by_id = self._doc(chunk.doc_id)
        out = [by_id[i] for i in pairs.get(chunk.id, []) if i in by_id]
        if lang is not None:
            out = [c for c in out if c.lang.split("-")[0] == lang.split("-")[0]]
        return out


class NoParallel:
    """No records to pair with (tests, an answerer used without a retriever)."""

    def twins_of(self, chunk: Chunk, lang: str | None = None) -> list[Chunk]:
        return []


__all__ = ["NoParallel", "Parallel"]
