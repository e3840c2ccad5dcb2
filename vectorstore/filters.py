"""`SearchFilters`: the restrictions a user puts on the sources, shared by the store and retrieval.

Why it lives here: the store builds Chroma `where` clauses from it and retrieval masks its
in-memory rows with it, and data flows ui → rag → vectorstore → ingest, so the record must sit
at the lowest layer that uses it (rag re-exports it from `rag.types`).
"""

from __future__ import annotations

from datetime import date

from pydantic import BaseModel, Field

from ingest.chunk import Chunk


class SearchFilters(BaseModel):
    """Restrictions a user puts on the sources (UI filters, `unsc search/ask --lang/--kind/--year/--symbol`).

    A year range is `date_from`/`date_to` (1 January / 31 December), compared with `Chunk.date`.
    """

    langs: list[str] = Field(default_factory=list, description="Keep chunks in these languages ('zh', 'en'); empty = all.")
    kinds: list[str] = Field(default_factory=list, description="Keep these chunk kinds; empty = all.")
    doc_kinds: list[str] = Field(default_factory=list, description=(
        "Keep chunks of these record kinds (`Chunk.doc_kind`: resolution, presidential_statement, draft_not_adopted, "
        "veto, repertoire, other); empty = all."))
    symbols: list[str] = Field(default_factory=list, description="Keep chunks of, or citing, these canonical symbols.")
    section: str | None = Field(default=None, description="Keep chunks whose section path contains this text.")
    date_from: date | None = None
    date_to: date | None = None

    def is_empty(self) -> bool:
        return not (self.langs or self.kinds or self.doc_kinds or self.symbols or self.section or self.date_from or self.date_to)

    def allows(self, chunk: Chunk) -> bool:
        """Whether one chunk passes these filters (the same rules as the retriever's row mask).

        Answers that do not come from retrieval (a paragraph looked up by number, a fact from a
        card) must still respect what the user restricted the sources to.
        """
        if self.langs and chunk.lang not in self.langs:
            return False
        if self.kinds and chunk.kind not in self.kinds:
            return False
        if self.doc_kinds and chunk.doc_kind not in self.doc_kinds:
            return False
        if self.symbols and chunk.doc_id not in self.symbols and not set(chunk.symbols) & set(self.symbols):
            return False
        if self.section and self.section.lower() not in (chunk.section or "").lower():
            return False
        if self.date_from or self.date_to:
            lo = self.date_from.isoformat() if self.date_from else ""
            hi = self.date_to.isoformat() if self.date_to else "9999-99-99"
            if not chunk.date or not lo <= chunk.date <= hi:
                return False
        return True
