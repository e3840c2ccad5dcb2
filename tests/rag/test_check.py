"""Citation checking: marker validity, support of cited sentences, flags."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parent))
from conftest_answers import BY_ID, CARD_2518_EN, P, RES, RETRIEVED, dev_questions  # noqa: E402

from rag.answer import Answerer  # noqa: E402
from rag.check import (  # noqa: E402
    CROSS_THRESHOLD, SUPPORT_THRESHOLD, check_answer, clean_markers, markers_in, split_answer, support_score,
)

SUPPORTED = [
    ("第2518(2020)号决议于3月30日获得一致通过。", P[3]),
    ("安理会在3月30日一致通过了第2518(2020)号决议。", P[3]),
    ("俄罗斯联邦、南非和斯里兰卡对人权专题被政治化表示遗憾。", P[8]),  # the footnote is evidence
    ("中国和俄罗斯联邦的代表强调，人权应服务于和平行动的主要目标。", P[8]),
    ("马里稳定团的军事部分执行了严格的隔离政策。", P[5]),
    ("Resolution 2518 (2020) was adopted on 30 March 2020.", CARD_2518_EN),
    ("The vote was 15-0-0.", CARD_2518_EN),
    ("It requests peacekeeping operations to enhance engagement and communication with host governments.", RES[("en", 8)]),
    ("The resolution was adopted unanimously on 30 March.", P[3]),
    ("The open videoconference on peace operations and human rights was chaired by the Federal Minister of Defence of Germany.", P[6]),
    ("第2518(2020)号决议请联合国维和行动加强与东道国政府的沟通。", RES[("en", 8)]),
]
FABRICATED = [
    ("安理会在2020年选举了德国和印度为非常任理事国。", P[1]),
    ("3月30日，安理会以13票赞成、2票弃权通过了第2518(2020)号决议。", P[3]),
    ("一些发言者赞扬了维和行动预算的增加。", P[8]),
    ("马里稳定团部队指挥官宣布稳定团将撤出马里。", P[5]),
    ("The approved budget of the support account was $355 million.", P[10]),
    ("The General Assembly elected Germany and India as non-permanent members.", P[2]),
    ("HACKED", P[3]),
    ("The resolution was adopted on 28 August 2020.", P[3]),
    ("The Council condemned the host government for obstructing the mission.", RES[("en", 8)]),
    ("The Council decided to withdraw all peacekeepers from Mali.", P[5]),
]


@pytest.mark.parametrize("sentence,chunk", SUPPORTED)
def test_paraphrases_are_supported(sentence, chunk):
    score, why = support_score(sentence, chunk)
    assert score >= (CROSS_THRESHOLD if why == "cross-language" else SUPPORT_THRESHOLD), (score, why)


@pytest.mark.parametrize("sentence,chunk", FABRICATED)
def test_fabricated_sentences_fail(sentence, chunk):
    score, why = support_score(sentence, chunk)
    assert score < (CROSS_THRESHOLD if why == "cross-language" else SUPPORT_THRESHOLD), (score, why)


def test_marker_parsing_and_splitting():
    assert markers_in("a [1] b [2, 3] c [1]") == [1, 2, 3]
    s = split_answer("Resolution 2518 was adopted on 30 March [1]. The vote was 15-0-0. [2] 此外：\n一致通过。[1][2]")
    assert [x.markers for x in s] == [[1], [2], [], [1, 2]]
    text, removed = clean_markers("A [1]. B [4]. C [2, 7].", {1, 2})
    assert text == "A [1]. B. C [2]." and removed == [4, 7]


def test_valid_and_invalid_marker_numbers():
    sources = {1: P[3], 2: CARD_2518_EN}
    ok = check_answer("安理会在3月30日一致通过了第2518(2020)号决议。[1] The vote was 15-0-0. [2]", sources)
    assert ok.ok and ok.cited == [1, 2] and ok.unsupported == [] and ok.has_valid_citation
    bad = check_answer("安理会在3月30日一致通过了第2518(2020)号决议。[3]", sources, "zh")
    assert bad.invalid_markers == [3] and not bad.has_valid_citation
    assert bad.unsupported == ["安理会在3月30日一致通过了第2518(2020)号决议。"]
    assert "[3]" not in bad.text and bad.text.endswith("[未经核实]")
    zero = check_answer("The vote was 15-0-0. [0]", sources, "en")
    assert zero.invalid_markers == [0] and zero.text.endswith("[unsupported]")


def test_fabricated_sentence_flagged_in_text():
    sources = {1: P[3]}
    r = check_answer("3月30日，安理会一致通过了第2518(2020)号决议。[1]安理会还以13票赞成通过了预算。[1]", sources, "zh")
    assert r.unsupported == ["安理会还以13票赞成通过了预算。"]
    assert r.text.count("[未经核实]") == 1 and r.text.endswith("[1] [未经核实]")
    assert r.has_valid_citation and not r.ok


def test_sentence_without_marker_is_unsupported_unless_connective_or_abstention():
    sources = {1: P[3]}
    r = check_answer("此外：\n安理会在3月30日一致通过了第2518(2020)号决议。[1]\n安理会很重要。", sources, "zh")
    assert [c.supported for c in r.sentences] == [True, True, False]
    assert check_answer("我掌握的记录无法回答这个问题。", sources, "zh").ok
    assert check_answer("The records I have do not answer this question.", sources, "en").ok


def test_cited_sentence_must_be_supported_by_its_own_source():
    # true sentence, wrong source
    r = check_answer("The vote was 15-0-0. [1]", {1: P[8], 2: CARD_2518_EN}, "en")
    assert r.unsupported == ["The vote was 15-0-0."]


def test_semantic_callable_can_support_cross_language_sentences():
    sentence = "The Council was told that the mission had imposed a strict quarantine policy."
    assert support_score(sentence, P[5])[0] < CROSS_THRESHOLD
    score, why = support_score(sentence, P[5], semantic=lambda a, b: 0.9)
    assert score >= CROSS_THRESHOLD and why == "semantic"


@pytest.mark.parametrize("qid", sorted(RETRIEVED))
def test_extractive_answers_always_pass(qid):
    d = dev_questions().get(qid)
    if d is None:
        pytest.skip("dev set not available")
    ans = Answerer().answer(d["question"], RETRIEVED[qid])
    if ans.abstained:
        return
    r = check_answer(ans.answer, {c.n: BY_ID[c.chunk_id] for c in ans.citations}, ans.lang)
    assert r.ok, [(c.text, c.score, c.reason) for c in r.sentences]
    assert all(c.score == 1.0 for c in r.sentences)
