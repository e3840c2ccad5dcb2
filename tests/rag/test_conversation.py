"""Follow-up rewriting into standalone retrieval queries (deterministic rules)."""

from __future__ import annotations

import pytest

from rag.conversation import rewrite_query

ZH1 = ("第2518(2020)号决议是哪一天通过的？", "3月30日。[1]")
EN1 = ("When did the Security Council adopt resolution 2518 (2020)?", "On 30 March 2020. [1]")


@pytest.mark.parametrize("question,history,expected", [
    ("那第2538号决议呢？", [ZH1], "第2538号决议是哪一天通过的？"),
    ("那第2538(2020)号决议呢？", [ZH1], "第2538(2020)号决议是哪一天通过的？"),
    ("2538号决议呢？", [ZH1], "第2538号决议是哪一天通过的？"),
    ("and what about 2538?", [EN1], "When did the Security Council adopt resolution 2538?"),
    ("What about resolution 2538 (2020)?", [EN1], "When did the Security Council adopt resolution 2538 (2020)?"),
    ("How about S/RES/2538(2020)?", [EN1], "When did the Security Council adopt resolution 2538 (2020)?"),
    ("它是哪天通过的？", [("第2518(2020)号决议请维和行动做什么？", "…")], "第2518(2020)号决议是哪天通过的？"),
    ("该决议的表决结果如何？", [("第2518(2020)号决议请维和行动做什么？", "…")], "第2518(2020)号决议的表决结果如何？"),
    ("When was it adopted?", [("What does resolution 2518 (2020) request?", "…")], "When was resolution 2518 (2020) adopted?"),
    ("What was the vote on that resolution?", [("What does resolution 2518 (2020) request?", "…")],
     "What was the vote on resolution 2518 (2020)?"),
])
def test_follow_ups(question, history, expected):
    assert rewrite_query(question, history) == expected


def test_chains_resolve_to_the_last_named_resolution():
    history = [("第2518(2020)号决议请维和行动做什么？", "…"), ("那第2538号决议呢？", "…")]
    assert rewrite_query("它是哪天通过的？", history) == "第2538号决议是哪天通过的？"
    history = [EN1, ("and what about 2538?", "…")]
    assert rewrite_query("What was the vote on it?", history) == "What was the vote on resolution 2538?"


def test_cross_language_pronoun_uses_the_right_spelling():
    assert rewrite_query("它是哪天通过的？", [EN1]) == "第2518(2020)号决议是哪天通过的？"
    assert rewrite_query("When was it adopted?", [ZH1]) == "When was resolution 2518 (2020) adopted?"


def test_standalone_questions_and_no_history_are_unchanged():
    q = "马里稳定团的军事部分采取了哪些防疫措施？"
    assert rewrite_query(q, []) == q
    assert rewrite_query(q, [ZH1]) == q
    assert rewrite_query("Who chaired the open videoconference?", [EN1]) == "Who chaired the open videoconference?"
    assert rewrite_query("第2538(2020)号决议促请会员国做什么？", [ZH1]) == "第2538(2020)号决议促请会员国做什么？"


def test_follow_up_with_another_entity_keeps_the_previous_intent():
    out = rewrite_query("那马里稳定团呢？", [("南苏丹特派团部队指挥官通报了什么？", "…")])
    assert "马里稳定团" in out and "通报了什么" in out
    out = rewrite_query("What about MINUSCA?", [("Who briefed the Council on police reform?", "…")])
    assert "MINUSCA" in out and "briefed" in out
