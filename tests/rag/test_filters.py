"""SearchFilters.allows: one chunk judged by the same rules as the retriever's row mask."""

from __future__ import annotations

from datetime import date

from ingest.chunk import Chunk, Source, chunk_id
from rag.types import SearchFilters


def _chunk(doc: str = "S/RES/2538(2020)", kind: str = "resolution_paragraph", lang: str = "en",
           when: str | None = "2020-08-28", symbols: tuple[str, ...] = ()) -> Chunk:
    return Chunk(id=chunk_id(doc, lang, kind, "op6"), doc_id=doc, kind=kind, lang=lang, text="Urges Member States …",
                 source=Source(path="x.xml"), date=when, symbols=list(symbols), section=f"{doc} > Operative")


def test_empty_filters_allow_everything():
    assert SearchFilters().allows(_chunk())


def test_record_kind_language_and_chunk_kind_are_each_enforced():
    assert not SearchFilters(doc_kinds=["repertoire"]).allows(_chunk())
    assert SearchFilters(doc_kinds=["resolution"]).allows(_chunk())
    assert not SearchFilters(langs=["zh"]).allows(_chunk())
    assert not SearchFilters(kinds=["paragraph", "table_row"]).allows(_chunk(kind="document_card"))


def test_a_year_range_needs_a_date_inside_it():
    f = SearchFilters(date_from=date(2021, 1, 1), date_to=date(2021, 12, 31))
    assert not f.allows(_chunk())
    assert f.allows(_chunk(when="2021-03-10"))
    assert not f.allows(_chunk(when=None))


def test_a_symbol_filter_keeps_the_document_and_the_passages_citing_it():
    f = SearchFilters(symbols=["S/RES/2518(2020)"])
    assert not f.allows(_chunk())
    assert f.allows(_chunk(doc="S/RES/2518(2020)"))
    assert f.allows(_chunk(doc="repertoire-2020-s23", kind="paragraph", symbols=("S/RES/2518(2020)",)))
