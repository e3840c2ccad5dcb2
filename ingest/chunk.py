"""The `Chunk` record: the unit every later stage (store, retrieval, answers, UI) works on.

A chunk is one passage as the record reads it (a Repertoire body paragraph, a table row, a
resolution paragraph, or a resolution's document card), plus the data a citation needs: the
section it sits in, its footnotes with the symbols they resolve to, and undocs.org links.
Context such as the section path lives in its own fields, never inside `text`, so that quoting
a source quotes exactly the record.
"""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, Field, model_validator

ChunkKind = Literal["paragraph", "table_row", "resolution_paragraph", "document_card"]
CHUNK_KINDS: tuple[str, ...] = ("paragraph", "table_row", "resolution_paragraph", "document_card")

# What kind of record a chunk belongs to (the user-facing "kind" filter), as opposed to what
# part of it the chunk is (`ChunkKind`). A draft that was NOT adopted has the same paragraph
# structure as a resolution, so only this field keeps its text from being quoted as a decision.
DocKind = Literal["repertoire", "resolution", "presidential_statement", "draft_not_adopted", "veto", "other"]
DOC_KINDS: tuple[str, ...] = ("repertoire", "resolution", "presidential_statement", "draft_not_adopted", "veto", "other")


def infer_doc_kind(doc_id: str, kind: str) -> str:
    """Record kind implied by a symbol and chunk kind, for chunks whose parser did not say.

    Only what the symbol proves is inferred: `S/RES/` is a resolution, `S/PRST/` a presidential
    statement, Repertoire paragraphs and table rows are the Repertoire. A bare `S/2024/312` could
    be a draft, a letter or a report, so it is "other" unless its parser says otherwise.
    """
    if doc_id.startswith("S/RES/"):
        return "resolution"
    if doc_id.startswith("S/PRST/"):
        return "presidential_statement"
    if kind in ("paragraph", "table_row"):
        return "repertoire"
    return "other"


class Footnote(BaseModel):
    """A footnote (or table note) attached to the passage that carries its marker."""

    number: str = Field(description="Marker as printed: '640' for footnotes, 'a' for table notes.")
    text: str
    symbol: str | None = Field(default=None, description="Canonical symbol the note cites ('同上'/'Ibid.' resolved).")
    paragraphs: list[int] = Field(default_factory=list, description="Paragraphs of `symbol` the note points at.")
    link: str | None = Field(default=None, description="undocs.org link of `symbol` in the document's language.")
    offset: int | None = Field(default=None, description="Character offset of the marker in the chunk text.")


class Source(BaseModel):
    """Where the chunk came from, for the reader who wants to check the original."""

    path: str
    lines: tuple[int, int] | None = None
    page: int | None = None
    recovered: str | None = Field(
        default=None,
        description="How the text was recovered from a malformed file (None: the file parsed as published).",
    )


class VoteRecord(BaseModel):
    """Voting and procedural metadata of a resolution (from the UN's data_extract rows)."""

    adoption_date: str | None = None  # ISO yyyy-mm-dd
    meeting: str | None = None
    meeting_record: str | None = None  # S/PV.8700
    adoption_type: str | None = None
    in_favour: list[str] = Field(default_factory=list)
    against: list[str] = Field(default_factory=list)
    abstaining: list[str] = Field(default_factory=list)
    in_favour_count: int | None = None
    against_count: int | None = None
    abstaining_count: int | None = None
    sponsors: list[str] = Field(default_factory=list)
    draft: str | None = None
    agenda_item: str | None = None
    title: str | None = None
    subjects: list[str] = Field(default_factory=list, description="UNBIS/DHL subjects of the record.")
    chapter_vii: bool | None = None
    outcome: str | None = Field(default=None, description="'adopted', 'not adopted', 'vetoed' or the record's own word.")
    vetoed_by: list[str] = Field(default_factory=list, description="Permanent members whose negative vote defeated the draft.")
    conflicts: list[str] = Field(
        default_factory=list,
        description="Disagreements found when cross-checking the record (counts vs lists vs tally), shown to the user.",
    )

    @property
    def tally(self) -> str | None:
        """Vote as the Repertoire writes it: for-against-abstaining, e.g. '15-0-0'."""
        if self.in_favour_count is None:
            return None
        return f"{self.in_favour_count}-{self.against_count or 0}-{self.abstaining_count or 0}"


class Chunk(BaseModel):
    """One retrievable, citable passage."""

    id: str = Field(description="Stable id: document, language, kind and position.")
    doc_id: str = Field(description="Document id; the canonical symbol for UN documents (shared across languages).")
    kind: ChunkKind
    doc_kind: DocKind = Field(
        default="other", description="Kind of record: resolution, presidential_statement, draft_not_adopted, veto, repertoire.")
    lang: str = Field(description="ISO 639-1 language of the text: 'zh', 'en', ...")
    section: str = Field(default="", description="Section path, e.g. '专题问题 > 23. 联合国维持和平行动'.")
    paragraph: int | None = Field(default=None, description="Ordinal in the section, or the resolution paragraph number.")
    text: str
    footnotes: list[Footnote] = Field(default_factory=list)
    symbols: list[str] = Field(default_factory=list, description="Canonical symbols cited by text and footnotes.")
    links: list[str] = Field(default_factory=list, description="undocs.org links of `symbols`, same order.")
    source: Source
    title: str | None = Field(default=None, description="Title of the document the chunk belongs to.")
    date: str | None = Field(default=None, description="ISO date the passage is about (adoption or meeting date).")
    label: str | None = Field(default=None, description="Human label of the position: 'operative 4', 'preambular 2', a table row's date.")
    vote: VoteRecord | None = Field(default=None, description="Vote metadata; document cards and table rows.")

    @model_validator(mode="before")
    @classmethod
    def _default_doc_kind(cls, data: object) -> object:
        """Chunks stored before `doc_kind` existed, and parsers that leave it out, get it from the symbol."""
        if isinstance(data, dict) and not data.get("doc_kind"):
            data = {**data, "doc_kind": infer_doc_kind(str(data.get("doc_id") or ""), str(data.get("kind") or ""))}
        return data

    def evidence_text(self) -> str:
        """Text plus footnote text: what retrieval and answer selection treat as this passage's evidence."""
        if not self.footnotes:
            return self.text
        notes = " ".join(f"{f.number} {f.text}" for f in self.footnotes)
        return f"{self.text}\n{notes}"


def chunk_id(doc_id: str, lang: str, kind: str, position: str | int) -> str:
    """Build the stable, human-readable id of a chunk.

    Derived only from what identifies the passage (document, language, kind, position), so the
    same file parses to the same ids on every run and re-ingestion can upsert instead of duplicate.
    """
    return f"{doc_id}|{lang}|{kind}|{position}"
