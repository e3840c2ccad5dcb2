"""Scoring the dev set (rag.evaluate): what counts as a decline, a fact, a cited gold paragraph."""

from __future__ import annotations

from types import SimpleNamespace

from rag.evaluate import EvalItem, score_item, summarise


def _reply(text: str, abstained: bool, premise_corrected: bool = False):
    return SimpleNamespace(answer=text, abstained=abstained, premise_corrected=premise_corrected, citations=[])


def test_a_corrected_false_premise_is_judged_by_its_facts_and_is_not_a_false_decline():
    item = EvalItem(id="q", lang="en", kind="fact", question="Which member vetoed S/2024/383?", answerable=True,
                    facts=[["7-7-1"], ["not vetoed"]])
    corrected = score_item(item, [], _reply("S/2024/383 was not vetoed: it failed for lack of votes (7-7-1).", True, True))
    declined = score_item(item, [], _reply("The records I have do not answer this question.", True))
    assert corrected.facts_ok and not declined.facts_ok
    assert summarise([corrected]).false_abstention_on_answerable == 0.0
    assert summarise([declined]).false_abstention_on_answerable == 1.0


def test_a_corrected_premise_on_an_unanswerable_question_still_counts_as_declined():
    item = EvalItem(id="u", lang="en", kind="unanswerable", question="Which member vetoed resolution 9999?", answerable=False)
    s = score_item(item, [], _reply("There is no such draft.", True, True))
    assert summarise([s]).abstention_on_unanswerable == 1.0
