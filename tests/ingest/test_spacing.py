"""A sentence matched without spaces and in NFKC maps back to the right span of the record's text."""

from __future__ import annotations

import doctest
import re

import pytest

import ingest.spacing
from ingest.repertoire import parse_repertoire
from ingest.spacing import find_span, find_spans, normalise


def _found(original: str, needle: str) -> str | None:
    span = find_span(original, needle)
    return original[span[0] : span[1]] if span else None


@pytest.mark.parametrize(
    "original, needle, expected",
    [
        # spaced numbers in the record, none in the quote
        ("据报，3 月 30 日，安理会开会。", "3月30日，安理会开会", "3 月 30 日，安理会开会"),
        ("通过了第 2518(2020)号决议，其中", "第2518(2020)号决议", "第 2518(2020)号决议"),
        # full-width punctuation on either side
        ("通过了第 2518(2020)号决议", "第2518（2020）号决议", "第 2518(2020)号决议"),
        ("稳定特派团（联刚稳定团）内", "稳定特派团(联刚稳定团)", "稳定特派团（联刚稳定团）"),
        ("会议：15-0-0。", "会议:15-0-0", "会议：15-0-0"),
        # full-width digits and letters in the quote
        ("2020 年 11 月 4 日", "２０２０年１１月４日", "2020 年 11 月 4 日"),
        ("see S/2020/514.", "Ｓ／２０２０／５１４", "S/2020/514"),
        # ideographic space, no-break space and a zero-width space in the record
        ("安理会\u3000成员\u00a0强调\u200b指出", "安理会成员强调指出", "安理会\u3000成员\u00a0强调\u200b指出"),
        # English: a hard-wrapped double space, quotes kept as printed
        ('the  "Action for Peacekeeping" initiative', 'the "Action for Peacekeeping" initiative',
         'the  "Action for Peacekeeping" initiative'),
    ],
)  # fmt: skip
def test_match_without_spaces_and_width_maps_back_to_the_original(original, needle, expected):
    assert _found(original, needle) == expected


def test_span_leaves_out_spaces_around_the_match():
    original = "前文  3 月 30 日  后文"
    start, end = find_span(original, "3月30日")
    assert original[start:end] == "3 月 30 日"
    assert (start, end) == (4, 12)


def test_combining_marks_and_expanding_characters_map_to_whole_original_characters():
    original = "Cafe\u0301 noir, \u00bd of members"
    assert _found(original, "Café noir") == "Cafe\u0301 noir"
    norm = normalise("\u00bd")
    assert norm.text == "1\u20442"  # NFKC expands one character into three
    assert norm.original_span(0, 3) == (0, 1) and norm.original_span(1, 2) == (0, 1)


def test_not_found_and_empty_needles_give_none():
    assert find_span("安理会成员", "秘书长") is None
    assert find_span("安理会成员", "  ") is None


def test_search_can_start_after_an_earlier_match():
    original = "安理会开会。 安理会开会。"
    first = find_span(original, "安理会开会")
    second = find_span(original, "安理会开会", start=first[1])
    assert first == (0, 5) and second == (7, 12)


def test_case_folding_is_optional():
    assert find_span("The Council", "the council") is None
    assert find_span("The Council", "the council", casefold=True) == (0, 11)


def test_several_needles_against_one_text():
    original = "3 月 30 日，安理会一致通过了第 2518(2020)号决议。"
    spans = find_spans(original, ["3月30日", "第2518（2020）号", "秘书长"])
    assert [original[s:e] if (s, e) != (None, None) else None for s, e in (sp or (None, None) for sp in spans)] == [
        "3 月 30 日", "第 2518(2020)号", None,
    ]  # fmt: skip


def test_empty_and_out_of_range_spans():
    norm = normalise("ab c")
    assert norm.original_span(2, 2) == (3, 3)
    assert norm.original_span(3, 3) == (4, 4)
    with pytest.raises(ValueError):
        norm.original_span(2, 9)


def test_every_sentence_of_the_chinese_sample_is_found_from_its_unspaced_form(repertoire_zh_text):
    """What the card highlighter meets: a supporting sentence quoted without the record's spaces."""
    for chunk in parse_repertoire(repertoire_zh_text, "x.txt"):
        for sentence in re.findall(r"[^。；]+[。；]?", chunk.text):
            if not sentence.strip():
                continue
            quoted = re.sub(r"\s+", "", sentence).replace("(", "（").replace(")", "）")
            start, end = find_span(chunk.text, quoted)
            assert chunk.text[start:end] == sentence.strip()


def test_module_examples_hold():
    assert doctest.testmod(ingest.spacing).failed == 0


def test_all_occurrences_for_a_highlighter():
    from ingest.spacing import find_all_spans

    original = "第 2518(2020)号决议重申……第 2518（2020）号决议还请"
    spans = find_all_spans(original, "第2518(2020)号决议")
    assert [original[s:e] for s, e in spans] == ["第 2518(2020)号决议", "第 2518（2020）号决议"]
    assert find_all_spans(original, "") == [] and find_all_spans(original, "秘书长") == []
