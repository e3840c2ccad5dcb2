"""Records that cross the retrieval → answering → UI boundary."""

from __future__ import annotations

from pydantic import BaseModel, Field

from ingest.chunk import Chunk
from vectorstore.filters import SearchFilters as SearchFilters  # re-exported: the record lives with the store


class ScoredChunk(BaseModel):
    """A retrieved chunk with the evidence of why it was retrieved."""

    chunk: Chunk
    score: float = Field(description="Fused ranking score (higher is better).")
    dense: float | None = Field(default=None, description="Cosine similarity between question and passage embeddings.")
    lexical: float | None = Field(default=None, description="BM25 score of the passage for the question.")
    rank: int = 0


class AnswerSentence(BaseModel):
    """One sentence of an answer, typed: what the UI, the export, the checker and the JSON render.

    `text` is the sentence as shown, without its markers; `answer` (the flat text with markers) is
    rebuilt from these records, never parsed back into them. `attribution` is the "where it comes
    from" lead ("Resolution 2538 (2020), operative paragraph 6") and `quote` the record's own words,
    when the sentence quotes one.
    """

    text: str
    markers: list[int] = Field(default_factory=list, description="Citation numbers ([n]) that back the sentence.")
    chunk_ids: list[str] = Field(default_factory=list, description="Chunks the sentence was taken from / is backed by.")
    source_lang: str | None = Field(default=None, description="Language of the quoted record text.")
    attribution: str = ""
    quote: str = ""
    role: str = Field(default="quote", description="quote | statement | lead | abstention | connective")
    unsupported: bool = Field(default=False, description="The citation check found no cited source supporting it.")
    cross_language: bool = Field(
        default=False, description="Quotes a record in another language than the question's (no official version exists).")
    draft_not_adopted: bool = Field(default=False, description="Quotes a draft that was not adopted.")


class CitedParagraph(BaseModel):
    """A paragraph a footnote cites ("第 2518(2020)号决议，第 4 段"), read from the store itself.

    Why: a Repertoire footnote points at a resolution paragraph by number; showing that
    paragraph's words beside the footnote lets the reader check the account without leaving.
    """

    symbol: str
    paragraph: int
    chunk_id: str
    lang: str
    label: str | None = None
    text: str


class CitedDocument(BaseModel):
    """A document a cited passage names ("Recalling its resolutions 2165 (2014), 2191 (2014) …").

    Why: a resolution builds on the ones it recalls; when the store holds a recalled document, its
    card (or, without one, its first paragraph) is read from the store so the reader can open it
    beside the source, offline. `in_store` is false, and the rest empty, for a document not held.
    """

    symbol: str
    in_store: bool = False
    card_chunk_id: str | None = Field(default=None, description="The held document's card, else its first paragraph.")
    kind: str | None = None
    lang: str | None = None
    label: str | None = None
    text: str | None = None
