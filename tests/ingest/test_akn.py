"""Akoma Ntoso resolutions → paragraph chunks, against the bundled sample and small fixtures."""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from ingest.akn import parse_akn
from ingest.metadata import read_metadata

ROOT = Path(__file__).resolve().parents[2]
SAMPLE = ROOT / "data" / "sample" / "resolutions"
FIXTURES = ROOT / "tests" / "fixtures" / "akn"
EN_2518 = SAMPLE / "2020" / "English" / "S_RES_2518 (2020)-2004817E.xml"
ZH_2518 = SAMPLE / "2020" / "Chinese" / "S_RES_2518 (2020)-2004817C.xml"
SYMBOL = "S/RES/2518(2020)"


def parse(path: Path, **kw):
    return parse_akn(path.read_bytes(), str(path), **kw)


def by_kind(chunks, prefix: str):
    return [c for c in chunks if c.id.rsplit("|", 1)[-1].startswith(prefix)]


def count_preamble_containers(path: Path) -> int:
    """Independent count from the raw XML: preambular paragraphs are the preamble's containers."""
    text = path.read_text(encoding="utf-8")
    preamble = text[text.index("<preamble>"): text.index("</preamble>")]
    return preamble.count("<container ")


@pytest.fixture(scope="module")
def en():
    return parse(EN_2518)


@pytest.fixture(scope="module")
def zh():
    return parse(ZH_2518)


def test_2518_has_operative_paragraphs_1_to_15_in_both_languages(en, zh):
    for chunks in (en, zh):
        assert [c.paragraph for c in by_kind(chunks, "op")] == list(range(1, 16))


def test_preamble_count_matches_xml_and_agrees_across_languages(en, zh):
    expected = count_preamble_containers(EN_2518)
    assert expected == count_preamble_containers(ZH_2518) > 0
    assert [c.paragraph for c in by_kind(en, "pre")] == list(range(1, expected + 1))
    assert len(by_kind(zh, "pre")) == expected


def test_symbol_language_date_and_title_come_from_the_document(en, zh):
    assert {c.doc_id for c in en + zh} == {SYMBOL}
    assert {c.lang for c in en} == {"en"} and {c.lang for c in zh} == {"zh"}
    assert {c.date for c in en + zh} == {"2020-03-30"}
    assert "2518 (2020)" in (en[0].title or "")


def test_english_operative_8_text_label_and_section(en):
    op8 = next(c for c in en if c.id.endswith("|op8"))
    assert op8.text.startswith(
        "Requests United Nations peacekeeping operations to enhance engagements and communications with the host governments"
    )
    assert op8.label == "operative 8"
    assert op8.section == f"{SYMBOL} > Operative"
    assert op8.kind == "resolution_paragraph"
    assert op8.id == f"{SYMBOL}|en|resolution_paragraph|op8"


def test_chinese_operative_8_and_chinese_labels(zh):
    op8 = next(c for c in zh if c.id.endswith("|op8"))
    assert "请联合国维和行动加强与东道国政府、地方当局和民众的接触和沟通" in op8.text
    assert op8.label == "执行部分第8段"
    assert op8.section == f"{SYMBOL} > 执行部分"
    assert by_kind(zh, "pre")[0].label == "序言部分第1段"


def test_text_is_whitespace_normalised(en):
    for c in en:
        assert c.text == c.text.strip() and "\t" not in c.text and "  " not in c.text


def test_cited_resolution_gets_symbol_and_language_specific_link(en, zh):
    en_pre = next(c for c in by_kind(en, "pre") if "2436 (2018)" in c.text)
    zh_pre = next(c for c in by_kind(zh, "pre") if "2436(2018)" in c.text)
    for chunk, link in ((en_pre, "https://undocs.org/en/S/RES/2436(2018)"), (zh_pre, "https://undocs.org/ch/S/RES/2436(2018)")):
        assert "S/RES/2436(2018)" in chunk.symbols
        assert link in chunk.links
        assert chunk.symbols[-1] == SYMBOL  # the chunk's own document always comes last
        assert len(chunk.links) == len(chunk.symbols)


def test_ids_are_stable_and_unique(en, zh):
    again = parse(EN_2518)
    assert [c.id for c in again] == [c.id for c in en]
    ids = [c.id for c in en + zh]
    assert len(ids) == len(set(ids))


def test_entity_bomb_is_refused_quickly():
    bomb = (
        b'<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">'
        + b"".join(f'<!ENTITY lol{i} "{("&lol" + str(i - 1) + ";") * 10 if i > 1 else "&lol;" * 10}">'.encode() for i in range(1, 10))
        + b']><akomaNtoso><statement>&lol9;</statement></akomaNtoso>'
    )
    start = time.monotonic()
    with pytest.raises(ValueError, match="entity"):
        parse_akn(bomb, "bomb.xml")
    assert time.monotonic() - start < 1.0


@pytest.mark.parametrize("data, reason", [
    (b"<akomaNtoso><statement>", "malformed XML"),
    (b"\n", "empty"),
    (b"<html><body/></html>", "Akoma Ntoso"),
])
def test_junk_and_malformed_input_raise_value_error_with_reason(data, reason):
    with pytest.raises(ValueError, match=reason):
        parse_akn(data, "junk.xml")


def test_meta_title_overrides_the_xml_title():
    line, meta = read_metadata((FIXTURES / "data_extract_2504.json").read_bytes(), "x.json")[0]
    chunks = parse(EN_2518, meta=meta.model_copy(update={"title": "Custom title"}))
    assert {c.title for c in chunks} == {"Custom title"}


def test_lettered_points_stay_inside_their_numbered_paragraph():
    chunks = parse(FIXTURES / "S_RES_2747-2414572E.xml")
    op3 = next(c for c in chunks if c.id.endswith("|op3"))
    assert op3.paragraph == 3
    a, b, c = (op3.text.index(m) for m in ("(a)", "(b)", "(c)"))
    assert op3.text.startswith("Requests the Secretary-General") and a < b < c
    assert "S/RES/2245(2015)" in op3.symbols
    ops = [c.paragraph for c in by_kind(chunks, "op")]
    assert ops == sorted(set(ops)) and ops[0] == 1


def test_presidential_statement_paragraphs_are_numbered_by_order():
    chunks = parse(FIXTURES / "S_PRST_2020_11.xml")
    assert {c.doc_id for c in chunks} == {"S/PRST/2020/11"}
    assert [c.paragraph for c in chunks] == list(range(1, len(chunks) + 1))
    assert chunks[0].section == "S/PRST/2020/11 > Statement"
    assert chunks[0].label == "paragraph 1"
    assert "S/2020/372" in chunks[0].symbols and chunks[0].symbols[-1] == "S/PRST/2020/11"
    assert chunks[1].text.startswith("“The Security Council recalls")


def test_footnotes_become_footnote_records_not_text():
    xml = (FIXTURES / "S_PRST_2020_11.xml").read_text(encoding="utf-8")
    xml = xml.replace(
        "set out in <a",
        'set out<authorialNote marker="1" placement="bottom"><p>\tSee <a href="https://undocs.org/en/S/2020/372">S/2020/372</a>.</p>'
        '</authorialNote> in <a',
        1,
    )
    first = parse_akn(xml.encode("utf-8"), "note.xml")[0]
    [note] = first.footnotes
    assert note.number == "1" and note.text == "See S/2020/372."
    assert note.symbol == "S/2020/372" and note.link == "https://undocs.org/en/S/2020/372"
    assert "See S/2020/372" not in first.text
    assert first.text[: note.offset].endswith("set out")


def test_symbol_comes_from_docnumber_not_file_name(tmp_path):
    target = tmp_path / "SC_whatever-E.xml"
    target.write_bytes(EN_2518.read_bytes())
    assert {c.doc_id for c in parse(target)} == {SYMBOL}


def test_a_long_paragraph_is_split_at_its_lettered_points_and_a_short_or_pointless_one_is_not():
    from ingest.akn import LIST_PARAGRAPH, POINT_TARGET, _split_long, _Text

    def point(letter: str, n: int) -> _Text:
        return _Text(raw=f"({letter}) " + "word " * (n // 5))

    intro = _Text(raw="Decides that all States shall:")
    points = [point(x, 350) for x in "abcd"]
    pieces = _split_long([intro, *points])
    assert len(pieces) > 1
    assert pieces[0][0] is intro  # the opening words lead the first point
    assert [b for piece in pieces for b in piece] == [intro, *points]  # every block once, in order, none cut
    assert all(sum(len(b.raw) for b in piece) <= POINT_TARGET + 400 for piece in pieces)
    # short enough to read as one: one piece; no points: one piece however long
    assert len(_split_long([intro, point("a", 100), point("b", 100)])) == 1
    assert len(_split_long([_Text(raw="word " * (2 * LIST_PARAGRAPH))])) == 1
