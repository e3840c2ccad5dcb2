"""Recovery of malformed XML keeps paragraph boundaries and never expands entities."""

from __future__ import annotations

import pytest

from ingest.xmlrepair import parse_untrusted, rebalance, strip_to_blocks


def texts(root, tag: str) -> list[str]:
    return [" ".join("".join(e.itertext()).split()) for e in root.iter() if e.tag.rsplit("}", 1)[-1] == tag]


def test_well_formed_xml_is_parsed_strictly_and_not_marked():
    parsed = parse_untrusted(b"<a><b>x</b></a>")
    assert not parsed.recovered and texts(parsed.root, "b") == ["x"]


def test_stray_closing_tags_are_dropped_and_the_unclosed_paragraph_no_longer_swallows_the_rest():
    # The shape of 119 UN statements: the title's </docTitle></p> pasted into the body.
    data = (b"<akomaNtoso><statement><mainBody>"
            b"<paragraph><span>Statement by the President</span></docTitle></p>"
            b"<paragraph><p>One.</p></paragraph><paragraph><p>Two.</p></paragraph>"
            b"</mainBody></statement></akomaNtoso>")
    parsed = parse_untrusted(data)
    assert parsed.recovered and parsed.repairs[0].startswith("malformed XML")
    body = next(e for e in parsed.root.iter() if e.tag == "mainBody")
    assert [" ".join("".join(p.itertext()).split()) for p in body] == ["Statement by the President", "One.", "Two."]


def test_bare_ampersands_and_html_entities_are_repaired_without_a_dtd():
    repaired, notes = rebalance("<p>Bosnia & Herzegovina&nbsp;— A&amp;B <b>x</p>")
    assert repaired == "<p>Bosnia &amp; Herzegovina\u00a0— A&amp;B <b>x</b></p>"
    assert any("bare & escaped" in n for n in notes)


def test_a_file_declaring_a_dtd_is_never_repaired():
    bomb = b'<!DOCTYPE x [<!ENTITY a "aaaaaaaaaa">]><r><p>&a;</r>'
    with pytest.raises(ValueError, match="not repaired|entity"):
        parse_untrusted(bomb)


def test_last_resort_keeps_one_paragraph_per_block_and_the_identity():
    text = ('<akomaNtoso><statement name="presidentialStatement"><meta><FRBRlanguage language="eng"/>'
            '<FRBRdate date="2001-02-03" name="adoption"/></meta><coverPage><docNumber>S/PRST/2001/4</docNumber>'
            "</coverPage><mainBody><p>First paragraph.</p><p>Second <i>one</i>.</p></mainBody></statement></akomaNtoso>")
    root = strip_to_blocks(text)
    assert texts(root, "docNumber") == ["S/PRST/2001/4"]
    assert texts(root, "p")[-2:] == ["First paragraph.", "Second one."]
