"""Each citation carries the languages its document is held in and the held documents it names
(rag.answer `Citation.doc_langs`, `Citation.cites`), read from the records the answerer quotes."""

from __future__ import annotations

from types import SimpleNamespace

from ingest.chunk import Chunk, Source, chunk_id
from rag.answer import Answerer


def _chunk(doc: str, lang: str, kind: str, pos: str | int, text: str, symbols=()) -> Chunk:
    return Chunk(id=chunk_id(doc, lang, kind, pos), doc_id=doc, kind=kind, lang=lang, text=text,
                 symbols=list(symbols), source=Source(path=f"{doc}.{lang}"),
                 label=f"preambular {pos}" if kind == "resolution_paragraph" else None)


RECALLING = "S/RES/3001(2031)"
WITH_CARD = "S/RES/2990(2030)"  # held with cards in both languages
PARAS_ONLY = "S/RES/1990(2011)"  # held as English paragraphs only (and a generated Chinese card)
MISSING = "S/RES/1200(1998)"
CARD_ONLY = "S/RES/1201(1998)"

CHUNKS = [
    _chunk(RECALLING, "en", "resolution_paragraph", 1, "Recalling its resolutions 1200 (1998), 1990 (2011) and 2990 (2030),",
           [MISSING, PARAS_ONLY, WITH_CARD, RECALLING]),
    _chunk(RECALLING, "zh", "resolution_paragraph", 1, "回顾其第1200(1998)、1990(2011)和2990(2030)号决议，",
           [MISSING, PARAS_ONLY, WITH_CARD, RECALLING]),
    _chunk(WITH_CARD, "en", "resolution_paragraph", 1, "Reaffirming its commitment,", [WITH_CARD]),
    _chunk(WITH_CARD, "en", "document_card", 0, "Resolution 2990 (2030) was adopted unanimously.", [WITH_CARD]),
    _chunk(WITH_CARD, "zh", "document_card", 0, "第2990(2030)号决议一致通过。", [WITH_CARD]),
    _chunk(PARAS_ONLY, "en", "resolution_paragraph", 1, "Recognizing the situation,", [PARAS_ONLY]),
    _chunk(PARAS_ONLY, "en", "resolution_paragraph", 2, "Noting the report,", [PARAS_ONLY]),
    _chunk(PARAS_ONLY, "zh", "document_card", 0, "第1990(2011)号决议一致通过。", [PARAS_ONLY]),  # generated, not a version
    _chunk(CARD_ONLY, "en", "document_card", 0, "Resolution 1201 (1998) was adopted.", [CARD_ONLY]),  # a card, no text
    _chunk("repertoire-2031-s1-fn1", "zh", "paragraph", 1, "安理会通过了第2990(2030)号决议。", [WITH_CARD]),
]


class Records:
    def chunks_of(self, doc_id: str) -> list[Chunk]:
        return [c for c in CHUNKS if c.doc_id == doc_id]


def _cite(answerer: Answerer, chunk: Chunk, lang: str):
    result = SimpleNamespace(cited=[SimpleNamespace(chunk=chunk, highlights=[])], text="x [1]", abstained=False)
    return answerer.from_structured("q", result, [], lang).citations[0]


def _answerer() -> Answerer:
    a = Answerer()
    a.use_records(Records())
    return a


def test_a_recalled_resolution_opens_its_card_in_the_question_language_else_its_first_paragraph():
    c = _cite(_answerer(), CHUNKS[1], "zh")
    cites = {d.symbol: d for d in c.cites}
    assert list(cites) == [MISSING, PARAS_ONLY, WITH_CARD]  # in the passage's order, never itself
    assert cites[WITH_CARD].in_store and cites[WITH_CARD].card_chunk_id == chunk_id(WITH_CARD, "zh", "document_card", 0)
    assert cites[WITH_CARD].text == "第2990(2030)号决议一致通过。"
    assert cites[PARAS_ONLY].card_chunk_id == chunk_id(PARAS_ONLY, "zh", "document_card", 0)
    assert not cites[MISSING].in_store and cites[MISSING].card_chunk_id is None and cites[MISSING].text is None
    english = {d.symbol: d for d in _cite(_answerer(), CHUNKS[0], "en").cites}
    assert english[WITH_CARD].card_chunk_id == chunk_id(WITH_CARD, "en", "document_card", 0)
    # no English card: the first English paragraph stands for the document
    assert english[PARAS_ONLY].card_chunk_id == chunk_id(PARAS_ONLY, "en", "resolution_paragraph", 1)
    assert english[PARAS_ONLY].lang == "en" and english[PARAS_ONLY].text == "Recognizing the situation,"


def _held(doc: str, lang: str, kind: str) -> Chunk:
    return next(c for c in CHUNKS if (c.doc_id, c.lang, c.kind) == (doc, lang, kind))


def test_doc_langs_say_which_versions_the_records_hold():
    assert _cite(_answerer(), CHUNKS[0], "en").doc_langs == ["en", "zh"]
    # a Chinese card is generated from the metadata row: no Chinese official version of the text
    assert _cite(_answerer(), _held(PARAS_ONLY, "en", "resolution_paragraph"), "zh").doc_langs == ["en"]
    assert _cite(_answerer(), _held(PARAS_ONLY, "zh", "document_card"), "zh").doc_langs == ["en"]
    assert _cite(_answerer(), _held(CARD_ONLY, "en", "document_card"), "en").doc_langs == []  # no text: nothing to claim
    repertoire = _cite(_answerer(), _held("repertoire-2031-s1-fn1", "zh", "paragraph"), "en")
    assert repertoire.doc_langs == ["zh"] and repertoire.cites == []  # a Repertoire paragraph is followed by its footnotes


def test_without_records_nothing_is_claimed():
    c = _cite(Answerer(), CHUNKS[0], "en")
    assert c.doc_langs == [] and c.cites == []
