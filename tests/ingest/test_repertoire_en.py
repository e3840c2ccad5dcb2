"""The English Repertoire layout parses like the Chinese one; odd input never crashes the parser."""

from __future__ import annotations

import random
import re

import pytest

from ingest.repertoire import looks_like_repertoire, parse_repertoire, parse_repertoire_report

TOP = "Thematic issues > 23. United Nations peacekeeping operations"
SECTION_A = TOP + " > A. Decisions on peacekeeping"
SECTION_B = TOP + " > B. Briefings by heads of military and police components"


@pytest.fixture(scope="module")
def chunks(repertoire_en_text, repertoire_en_path):
    return parse_repertoire(repertoire_en_text, repertoire_en_path)


@pytest.fixture(scope="module")
def paragraphs(chunks):
    return [c for c in chunks if c.kind == "paragraph"]


@pytest.fixture(scope="module")
def rows(chunks):
    return [c for c in chunks if c.kind == "table_row"]


def para(paragraphs, section, n):
    return next(p for p in paragraphs if p.section == section and p.paragraph == n)


def footnote(paragraphs, number):
    return next(f for p in paragraphs for f in p.footnotes if f.number == str(number))


def test_english_fixture_paragraphs_and_section_paths(chunks, paragraphs):
    assert {c.lang for c in chunks} == {"en"}
    assert [(p.section, p.paragraph) for p in paragraphs] == [
        (TOP, 1), (TOP, 2), (SECTION_A, 1), (SECTION_A, 2),
        (SECTION_B, 1), (SECTION_B, 2), (SECTION_B, 3), (SECTION_B, 4), (SECTION_B, 5),
    ]  # fmt: skip


def test_english_footnotes_attach_to_marker_paragraphs(paragraphs):
    attached = {f.number: (p.section, p.paragraph) for p in paragraphs for f in p.footnotes}
    assert attached == {
        "212": (TOP, 1), "213": (SECTION_A, 1), "214": (SECTION_A, 1), "215": (SECTION_A, 1),
        "216": (SECTION_A, 1), "217": (SECTION_A, 2), "218": (SECTION_B, 1), "219": (SECTION_B, 2),
        "220": (SECTION_B, 3), "221": (SECTION_B, 4),
    }  # fmt: skip


def test_english_ibid_see_and_paragraph_lists(paragraphs):
    assert footnote(paragraphs, 212).symbol is None
    assert (footnote(paragraphs, 213).symbol, footnote(paragraphs, 213).paragraphs) == ("S/RES/2518(2020)", [4])
    assert (footnote(paragraphs, 214).symbol, footnote(paragraphs, 214).paragraphs) == ("S/RES/2518(2020)", [5])
    assert (footnote(paragraphs, 216).symbol, footnote(paragraphs, 216).paragraphs) == ("S/RES/2518(2020)", [10, 12])
    assert (footnote(paragraphs, 217).symbol, footnote(paragraphs, 217).paragraphs) == ("S/RES/2538(2020)", [3, 4, 5])
    assert footnote(paragraphs, 218).symbol == "S/2020/514"
    assert footnote(paragraphs, 218).link == "https://undocs.org/en/S/2020/514"
    assert footnote(paragraphs, 219).symbol is None
    assert footnote(paragraphs, 212).text.endswith("during the COVID-19 pandemic, see part II.")


def test_english_marker_after_full_stop_is_removed_keeping_one_space(paragraphs):
    first_a = para(paragraphs, SECTION_A, 1)
    assert "critical enablers. In that regard" in first_a.text
    assert first_a.text[: footnote(paragraphs, 213).offset].endswith("enablers.")
    assert "open videoconference, Council members" in para(paragraphs, SECTION_B, 1).text


def test_english_numbers_that_are_not_markers_survive(paragraphs):
    first_a = para(paragraphs, SECTION_A, 1)
    assert "On 30 March 2020, the Council unanimously adopted resolution 2518 (2020) by a vote of 15-0-0" in first_a.text
    assert "held 2 annual briefings" in para(paragraphs, TOP, 2).text
    # "some 219 military observers" comes before marker 219 and is a count, not the marker.
    assert "some 219 military observers" in para(paragraphs, SECTION_B, 1).text
    assert "13,000 personnel" in para(paragraphs, SECTION_B, 2).text
    assert "by 152 Member States" in para(paragraphs, SECTION_B, 3).text


def test_english_hyphenation_is_undone_but_real_hyphens_kept(paragraphs):
    text = " ".join(p.text for p in paragraphs)
    assert "adopted resolution 2518 (2020) on the safety and security of peacekeepers" in text
    assert "open videoconference in accordance" in text
    assert "situational awareness" in text
    assert "troop- and police-contributing countries deploy" in text  # "troop-" / "and police-…"
    assert "troop- and police-contributing countries should" in text  # "troop- and police-" / "contributing"
    assert "non-State actors" in text
    assert "Secretary-General to review" in text
    assert "Multidimensional Integrated Stabilization Mission" in text
    assert not re.search(r"\w- \w", text.replace("troop- and", ""))


def test_english_paragraph_interrupted_by_footnotes_and_urls_is_rejoined(paragraphs):
    first_a = para(paragraphs, SECTION_A, 1)
    assert "deploy qualified and well-trained personnel with adequate medical support." in first_a.text
    assert "https://" not in first_a.text and "Ibid" not in first_a.text


def test_english_page_break_continuation_with_leading_space_is_joined(paragraphs):
    second_a = para(paragraphs, SECTION_A, 2)
    assert "participation of women in peacekeeping operations at all levels" in second_a.text
    assert second_a.symbols == ["S/RES/2538(2020)", "S/RES/2378(2017)", "S/RES/2436(2018)"]


def test_english_line_starting_with_a_date_inside_a_paragraph_is_not_a_table_row(paragraphs):
    assert "entered its next phase on 14 September 2020, with 8 priorities" in para(paragraphs, SECTION_B, 3).text


def test_english_table_rows(rows):
    assert [r.date for r in rows] == ["2020-03-30", "2020-06-04", "2020-09-14"]
    assert rows[0].label == "30 March 2020"
    assert rows[0].section == SECTION_B + " > Videoconferences: United Nations peacekeeping operations"
    assert rows[0].text.startswith("30 March 2020 S/2020/268 Letter dated 31 March 2020 from the President")
    assert rows[0].text.endswith("members of the Security Council Resolution 2518 (2020) 15-0-0 S/2020/249")
    assert rows[0].symbols == ["S/2020/268", "S/RES/2518(2020)", "S/2020/249"]
    assert rows[0].vote.tally == "15-0-0"
    assert rows[0].footnotes[0].number == "a"
    assert rows[0].footnotes[0].text.startswith("Owing to technical difficulties, the vote on resolution 2518 (2020)")
    assert "Permanent Representatives" in rows[2].text
    assert all(not r.footnotes for r in rows[1:])


def test_english_links_are_all_explained(repertoire_en_text):
    report = parse_repertoire_report(repertoire_en_text, "repertoire_en_sample.en.txt")
    assert len(report.urls) == 10
    assert report.unexplained_links == []
    assert report.warnings == []
    assert all(link.startswith("https://undocs.org/en/") for c in report.chunks for link in c.links)


def test_english_ids_unique_and_stable(repertoire_en_text, chunks):
    again = parse_repertoire(repertoire_en_text, "tests/fixtures/repertoire_en_sample.txt")
    assert [c.id for c in chunks] == [c.id for c in again]
    assert len({c.id for c in chunks}) == len(chunks)


def test_english_with_blank_line_after_every_line_parses_the_same(repertoire_en_text, chunks):
    spaced = "\n\n".join(repertoire_en_text.split("\n"))
    again = parse_repertoire(spaced, "x.en.txt")
    assert [(c.section, c.text, [f.model_dump() for f in c.footnotes]) for c in again] == [
        (c.section, c.text, [f.model_dump() for f in c.footnotes]) for c in chunks
    ]


# ------------------------------------------------------------------------------------------------
# Robustness


def test_text_without_footnotes_still_gives_paragraphs():
    text = (
        " Thematic issues\n"
        "5. Children and armed conflict\n"
        " The Council held an open debate on the item in\n"
        "June 2020.\n"
        " Members welcomed the report of the Secretary-\n"
        "General (S/2020/525).\n"
    )
    chunks = parse_repertoire(text, "c.en.txt")
    assert [c.text for c in chunks] == [
        "The Council held an open debate on the item in June 2020.",
        "Members welcomed the report of the Secretary-General (S/2020/525).",
    ]
    assert chunks[1].symbols == ["S/2020/525"]
    assert {c.section for c in chunks} == {"Thematic issues > 5. Children and armed conflict"}


def test_plain_prose_gives_paragraphs_with_empty_section():
    prose = (
        "The Council met several times in 2020 and adopted\n"
        "resolution 2518 (2020).\n"
        "\n"
        "In a second paragraph, members spoke about\n"
        "peacekeeping.\n"
    )
    chunks = parse_repertoire(prose, "prose.txt")
    assert [(c.section, c.paragraph) for c in chunks] == [("", 1), ("", 2)]
    assert chunks[0].symbols == ["S/RES/2518(2020)"]


def test_lang_can_be_forced():
    chunks = parse_repertoire(" 安理会通过了第 2518(2020)号决议。\n", "x.txt", lang="zh")
    assert chunks[0].lang == "zh" and chunks[0].links == ["https://undocs.org/ch/S/RES/2518(2020)"]


@pytest.mark.parametrize(
    "text",
    ["", "\n\n\n", "__________________\n", "__________________\n 12 同上。\n", "https://undocs.org/en/S/2020/1\n",
     "a\n", "2020 年 3 月 30 日\n", "视频会议：x\n标题\n2020 年 3 月 30 日 a S/2020/1\n a 注。\n", "\x00\x01\ufffd", "23.\n"],
)  # fmt: skip
def test_odd_input_never_raises(text):
    chunks = parse_repertoire(text, "odd.txt")
    assert isinstance(chunks, list)


def test_random_garbage_and_shuffled_lines_never_raise(repertoire_en_text):
    rng = random.Random(7)
    alphabet = list(" \n\n_____ 123 640 同上，第 5 段。https://undocs.org/ch/S/2020/1 a 30 March 2020 S/2020/268 x: 23. A. abc.")
    real_lines = repertoire_en_text.split("\n")
    for _ in range(300):
        garbage = "".join(rng.choice(alphabet) for _ in range(rng.randint(0, 300)))
        shuffled = "\n".join(rng.choice(real_lines) for _ in range(rng.randint(0, 60)))
        for text in (garbage, shuffled):
            report = parse_repertoire_report(text, "g.txt")
            assert not any(w.startswith("parse failed") for w in report.warnings)


def test_english_fixture_looks_like_repertoire(repertoire_en_text):
    assert looks_like_repertoire(repertoire_en_text)
    assert not looks_like_repertoire("just one line of text")
