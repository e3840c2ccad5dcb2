"""Footnote content, marker recognition, line joining and language detection, rule by rule."""

from __future__ import annotations

import pytest

from ingest.footnotes import (
    MarkerSearch,
    build_footnotes,
    is_plausible_marker,
    locate_markers,
    paragraphs_cited,
    parse_paragraph_list,
    remove_markers,
)
from ingest.lang import detect_lang
from ingest.repertoire_layout import ends_sentence, join_lines


@pytest.mark.parametrize(
    "text, expected",
    [
        ("第 2518(2020)号决议，第 4 段。", [4]),
        ("同上，第 10 和 12 段。", [10, 12]),
        ("同上，第 3 至 5 段。", [3, 4, 5]),
        ("同上，第 2、3 和 5 段。", [2, 3, 5]),
        ("Resolution 2518 (2020), para. 5.", [5]),
        ("Ibid., paras. 10 and 12.", [10, 12]),
        ("Ibid., paras. 3-5.", [3, 4, 5]),
        ("Ibid., paras. 3–5.", [3, 4, 5]),
        ("Ibid., paras. 2, 4 and 7.", [2, 4, 7]),
        ("见 S/2020/514。", []),
        ("第 2538(2020)号决议，第 1 段。见第二部分，第九.B 节。", [1]),
    ],
)
def test_paragraphs_cited(text, expected):
    assert paragraphs_cited(text) == expected


def test_paragraph_list_ignores_backward_ranges():
    assert parse_paragraph_list("5-3") == [5, 3]


def test_ibid_means_previous_footnotes_document_and_none_stays_none():
    notes = build_footnotes(
        [
            ("1", "关于程序的更多信息，见第二部分。"),
            ("2", "第 2518(2020)号决议，第 4 段。"),
            ("3", "同上，第 5 段。"),
            ("4", "见 S/2020/514。"),
            ("5", "Ibid."),
            ("6", "中国和俄罗斯联邦。"),
            ("7", "同上。"),
        ],
        "zh",
    )
    assert [n.symbol for n in notes] == [None, "S/RES/2518(2020)", "S/RES/2518(2020)", "S/2020/514", "S/2020/514", None, None]
    assert notes[2].link == "https://undocs.org/ch/S/RES/2518(2020)"
    assert notes[0].link is None


@pytest.mark.parametrize(
    "text, number, plausible",
    [
        ("开视频会议上宣布的。639", "639", True),
        ("在公开视频会议646 上听取", "646", True),
        ("在德国的倡议下，647 安理会", "647", True),
        ("critical enablers.215 In that regard", "215", True),
        ("at an open videoconference,218 Council", "218", True),
        ("measures.\n 216 The Council", "216", True),
        ("在 2020 年，安理会", "2020", False),
        ("3 月 30 日", "30", False),
        ("by a vote of 15-0-0, in", "0", False),
        ("第 2518(2020)号决议", "2518", False),
        ("see S/2020/514.", "514", False),
        ("some 219 military observers", "219", False),
        ("Ibid., para. 5 of", "5", False),
        ("第 4 段", "4", False),
        ("in 2020.", "2020", False),
        ("COVID-19 pandemic", "19", False),
    ],
)
def test_marker_plausibility(text, number, plausible):
    start = text.index(number) if number != "0" else text.index("-0") + 1
    assert is_plausible_marker(text, start, start + len(number)) is plausible


def test_markers_are_found_in_sequence_and_never_before_the_previous_one():
    paragraphs = ["Adopted in 2020.12 Members spoke.13", "Some 14 members met.14 Then 15 more.15"]
    hits = locate_markers(paragraphs, [MarkerSearch(n, (1, len(paragraphs[1]))) for n in (12, 13, 14, 15)])
    assert [(h.paragraph, paragraphs[h.paragraph][h.start : h.end]) for h in hits] == [
        (0, "12"), (0, "13"), (1, "14"), (1, "15"),
    ]  # fmt: skip
    assert hits[2].start == paragraphs[1].index("met.14") + 4


def test_marker_not_found_falls_back_to_paragraph_open_at_its_block():
    hits = locate_markers(["No marker here.", "Nor here."], [MarkerSearch(7, (1, 4))])
    assert hits[0].paragraph == 1 and hits[0].start is None


def test_marker_beyond_its_footnote_block_is_not_taken():
    # Footnote 8's block appeared after 10 characters of paragraph 0: a later "8" is not its marker.
    hits = locate_markers(["Text here.and then.8 more"], [MarkerSearch(8, (0, 10))])
    assert hits[0].start is None


def test_remove_markers_cjk_and_english_spacing():
    zh = "在公开视频会议646 上听取。647"
    clean = remove_markers(zh, [(zh.index("646"), zh.index("646") + 3), (zh.index("647"), zh.index("647") + 3)])
    assert clean.text == "在公开视频会议上听取。"
    assert clean.offsets == [len("在公开视频会议"), len("在公开视频会议上听取。")]
    en = "critical enablers.215 In that regard"
    clean = remove_markers(en, [(en.index("215"), en.index("215") + 3)])
    assert clean.text == "critical enablers. In that regard"
    assert clean.offsets == [len("critical enablers.")]


@pytest.mark.parametrize(
    "left, right, joined",
    [
        ("联合国维和行", "动中的作用", "联合国维和行动中的作用"),
        ("根据第", "2378(2017)号决议", "根据第 2378(2017)号决议"),
        ("因", "COVID-19 所致", "因 COVID-19 所致"),
        ("他指出，", "COVID-19 大流行", "他指出，COVID-19 大流行"),
        ("the Council did not", "hold any meetings", "the Council did not hold any meetings"),
        ("the safety of peace-", "keepers", "the safety of peacekeepers"),
        ("adopted resolu-", "tion 2518", "adopted resolution 2518"),
        ("ensure that troop-", "and police-contributing", "ensure that troop- and police-contributing"),
        ("troop- and police-", "contributing countries", "troop- and police-contributing countries"),
        ("some 40 non-", "State actors", "some 40 non-State actors"),
        ("qualified and well-", "trained personnel", "qualified and well-trained personnel"),
        ("the Secretary-", "General", "the Secretary-General"),
        ("the COVID-", "19 pandemic", "the COVID-19 pandemic"),
        ("Multi-", "dimensional", "Multidimensional"),
    ],
)
def test_join_lines(left, right, joined):
    assert join_lines(left, right) == joined


@pytest.mark.parametrize(
    "text, ends",
    [
        ("开视频会议上宣布的。639", True),
        ("分析能力。641", True),
        ("确保提供适", False),
        ("在“以行动促维和”", False),
        ("倡议中加强维和工作。”", True),
        ("enablers.215", True),
        ("the Council adopted resolution 2518 (2020)", False),
        ("包括：", True),
        ("", True),
    ],
)
def test_ends_sentence(text, ends):
    assert ends_sentence(text) is ends


@pytest.mark.parametrize(
    "text, lang",
    [
        ("安理会一致通过了第 2518(2020)号决议，其中特别指出", "zh"),
        ("On 30 March 2020, the Council adopted resolution 2518 (2020).", "en"),
        ("The delegation of China (中国) spoke on S/2020/514 and many other documents.", "en"),
        ("", "en"),
        ("见 S/2020/514。", "zh"),
    ],
)
def test_detect_lang_by_cjk_ratio(text, lang):
    assert detect_lang(text) == lang


@pytest.mark.parametrize(
    "text, number, plausible",
    [
        ("adopted on 30 March 2020.640 In", "640", True),
        ("see S/2020/514.647 The", "647", True),
        ("grew by 1.5 per cent", "5", False),
    ],
)
def test_marker_after_a_year_or_symbol_ending_a_sentence(text, number, plausible):
    start = text.rindex(number)
    assert is_plausible_marker(text, start, start + len(number)) is plausible


@pytest.mark.parametrize(
    "left, right, expected",
    [
        ("Decision, vote (for-", "against-abstaining)", "Decision, vote (for-against-abstaining)"),
        ("第 2518(2020)", "号决议", "第 2518(2020)号决议"),
        ("秘书长的报告", "(S/2020/946)", "秘书长的报告(S/2020/946)"),
        ("the imple-", "mentation", "the implementation"),
    ],
)
def test_join_lines_keeps_hyphen_chains_and_glues_brackets_to_cjk(left, right, expected):
    assert join_lines(left, right) == expected
