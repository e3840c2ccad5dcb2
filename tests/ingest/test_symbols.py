"""Symbol recognition: every spelling the records use maps to one canonical symbol and its link."""

import pytest

from ingest.symbols import canonical, find_symbols, resolution_numbers_in, symbols_in, undocs_link


@pytest.mark.parametrize(
    "text, expected",
    [
        ("安理会通过了第 2518(2020)号决议，其中", ["S/RES/2518(2020)"]),
        ("根据第2378(2017)和2436(2018)号决议", ["S/RES/2378(2017)", "S/RES/2436(2018)"]),
        ("第 2378(2017)、2436(2018)及2518(2020)号决议", ["S/RES/2378(2017)", "S/RES/2436(2018)", "S/RES/2518(2020)"]),
        ("第２５１８（２０２０）号决议", ["S/RES/2518(2020)"]),
        ("In resolution 2518 (2020), the Council", ["S/RES/2518(2020)"]),
        ("resolutions 2378 (2017) and 2436 (2018)", ["S/RES/2378(2017)", "S/RES/2436(2018)"]),
        ("resolutions 1325 (2000), 1820 (2008) and 2242 (2015)", ["S/RES/1325(2000)", "S/RES/1820(2008)", "S/RES/2242(2015)"]),
        ("see S/RES/2518 (2020).", ["S/RES/2518(2020)"]),
        ("见 S/2020/514。", ["S/2020/514"]),
        ("See S/2020/514.", ["S/2020/514"]),
        ("S/PV.8700 and S/PRST/2020/1", ["S/PV.8700", "S/PRST/2020/1"]),
        ("the report (S/2020/1092/Add.1)", ["S/2020/1092/Add.1"]),
    ],
)
def test_every_spelling_resolves_to_canonical_symbols(text, expected):
    assert symbols_in(text) == expected


def test_numbers_that_are_not_symbols_are_ignored():
    assert symbols_in("2020 年 3 月 30 日，表决 15-0-0，第 4 段，640 个") == []


def test_symbols_inside_urls_are_not_counted_twice():
    assert symbols_in("https://undocs.org/ch/S/RES/2518(2020) 第 2518(2020)号决议") == ["S/RES/2518(2020)"]


def test_mentions_span_the_citing_phrase():
    text = "根据第2378(2017)和2436(2018)号决议"
    mentions = find_symbols(text)
    assert {m.symbol for m in mentions} == {"S/RES/2378(2017)", "S/RES/2436(2018)"}
    assert all(text[m.start:m.end].startswith("第") and text[m.start:m.end].endswith("号决议") for m in mentions)


def test_canonical_removes_spaces_in_resolution_symbols_only():
    assert canonical("S/RES/2518 (2020)") == "S/RES/2518(2020)"
    assert canonical(" S/2020/514 ") == "S/2020/514"


def test_links_follow_the_document_language():
    assert undocs_link("S/RES/2518 (2020)", "zh") == "https://undocs.org/ch/S/RES/2518(2020)"
    assert undocs_link("S/2020/514", "en") == "https://undocs.org/en/S/2020/514"


@pytest.mark.parametrize(
    "question, numbers",
    [
        ("2518号决议是哪天通过的？", [2518]),
        ("那第2538号决议呢？", [2538]),
        ("and what about resolution 2538?", [2538]),
        ("When was resolution 2518 (2020) adopted?", [2518]),
        ("2518(2020) vote", [2518]),
        ("What happened in 2020?", []),
    ],
)
def test_questions_can_name_resolutions_without_the_year(question, numbers):
    assert resolution_numbers_in(question) == numbers
