"""Each paragraph is paired with the same paragraph of the other official language version."""

from __future__ import annotations

from pathlib import Path

from ingest.align import paragraph_key, twins
from ingest.chunk import Chunk, Source, chunk_id
from ingest.parse import parse_paths

SAMPLE = Path(__file__).resolve().parents[2] / "data" / "sample" / "resolutions"


def _para(doc: str, lang: str, position: str, text: str) -> Chunk:
    return Chunk(id=chunk_id(doc, lang, "resolution_paragraph", position), doc_id=doc, kind="resolution_paragraph",
                 lang=lang, text=text, source=Source(path=f"{doc}.{lang}.xml"))


def test_every_paragraph_of_the_bundled_resolutions_has_its_official_twin_with_the_same_number():
    chunks = [c for c in parse_paths([SAMPLE]).chunks if c.kind == "resolution_paragraph"]
    pairs = twins(chunks)
    by_id = {c.id: c for c in chunks}
    assert chunks and all(c.id in pairs for c in chunks)
    for c in chunks:
        other = [by_id[i] for i in pairs[c.id]]
        assert {o.lang for o in other} == {"zh" if c.lang == "en" else "en"}
        assert {o.paragraph for o in other} == {c.paragraph}
        assert {paragraph_key(o).part for o in other} == {paragraph_key(c).part}


def test_operative_paragraph_six_of_2538_pairs_with_the_chinese_paragraph_six():
    chunks = [c for c in parse_paths([SAMPLE]).chunks if c.doc_id == "S/RES/2538(2020)" and c.kind == "resolution_paragraph"]
    pairs = twins(chunks)
    en = next(c for c in chunks if c.lang == "en" and c.id.endswith("|op6"))
    (zh_id,) = pairs[en.id]
    assert zh_id.endswith("|zh|resolution_paragraph|op6")


def test_a_paragraph_split_into_pieces_in_one_language_pairs_with_the_whole_paragraph():
    doc = "S/RES/9999(2030)"
    en = _para(doc, "en", "op4", "Decides to extend until 31 July 2031 ...")
    zh = [_para(doc, "zh", "op4.1", "决定延长至2031年7月31日……"), _para(doc, "zh", "op4.2", "……其余部分")]
    pairs = twins([en, *zh])
    assert pairs[en.id] == [zh[0].id, zh[1].id]
    assert pairs[zh[1].id] == [en.id]


def test_a_preambular_block_merged_in_one_version_does_not_shift_the_later_pairs():
    doc = "S/RES/9998(2030)"
    en = [_para(doc, "en", "pre1", "Recalling its resolutions 2100 (2013) and 2164 (2014),"),
          _para(doc, "en", "pre2", "Welcoming the report of 12 May 2030,"),
          _para(doc, "en", "pre3", "Noting the elections held on 3 June 2030,"),
          _para(doc, "en", "pre4", "Determining that the situation in 2030 remains a threat, S/2030/77,")]
    zh = [_para(doc, "zh", "pre1", "回顾其第2100(2013)和2164(2014)号决议，"),
          _para(doc, "zh", "pre2", "欢迎2030年5月12日的报告，注意到2030年6月3日举行的选举，"),
          _para(doc, "zh", "pre3", "断定2030年局势仍构成威胁，S/2030/77，")]
    pairs = twins([*en, *zh])
    assert pairs[en[0].id] == [zh[0].id]
    assert pairs[en[3].id] == [zh[2].id]
    assert zh[2].id not in pairs.get(en[2].id, [])


def test_a_document_in_one_language_only_has_no_twins():
    doc = "S/RES/1234(1999)"
    assert twins([_para(doc, "en", "op1", "Decides to remain seized of the matter.")]) == {}


def test_cards_and_repertoire_paragraphs_have_no_paragraph_key():
    card = Chunk(id=chunk_id("S/RES/1(2000)", "en", "document_card", "card"), doc_id="S/RES/1(2000)",
                 kind="document_card", lang="en", text="card", source=Source(path="x"))
    assert paragraph_key(card) is None
