"""Question in, checked answer out: the one answering pipeline behind `unsc ask`, `unsc eval` and the web UI.

Keeping a single pipeline means the CLI, the evaluation and the chat can never disagree about an
answer: the same query validation, follow-up rewriting, retrieval, answering and timings.
"""

from __future__ import annotations

import copy
import time
from collections.abc import Iterator, Sequence

from rag.answer import Answer, AnswerEvent, Answerer
from rag.query import analyse
from rag.retrieve import HybridRetriever
from rag.types import ScoredChunk, SearchFilters

RETRIEVED_SHOWN = 10  # `retrieved` in the JSON contract lists the top 10


class AskPipeline:
    """Retriever + answerer, with the conversation handled in between."""

    def __init__(self, retriever: HybridRetriever, answerer: Answerer, k: int = 5, max_question_chars: int = 2000):
        self.retriever = retriever
        self.answerer = answerer
        self.k = k
        self.max_question_chars = max_question_chars

    def retrieve(
        self,
        question: str,
        history: Sequence[tuple[str, str]] = (),
        filters: SearchFilters | None = None,
        k: int | None = None,
    ) -> tuple[list[ScoredChunk], float]:
        """Ranked chunks for the question (rewritten as a standalone query when it is a follow-up).

        Raises `rag.query.QueryError` (a ValueError whose message is meant for the user) for
        empty, over-long or content-free questions.
        """
        analyse(question, self.max_question_chars)  # validate what the user typed, not the rewrite
        t0 = time.perf_counter()
        query = self.standalone(question, history)
        ranked = self.retriever.search(query, k=max(RETRIEVED_SHOWN, k or self.k), filters=filters)
        return ranked, (time.perf_counter() - t0) * 1000

    def standalone(self, question: str, history: Sequence[tuple[str, str]] = ()) -> str:
        """The question as it reads without the conversation ("and 2538?" → the full question)."""
        return self.answerer.rewrite(question, history) if history else question

    def stream(
        self,
        question: str,
        history: Sequence[tuple[str, str]] = (),
        filters: SearchFilters | None = None,
        k: int | None = None,
        question_id: str | None = None,
        ranked: list[ScoredChunk] | None = None,
    ) -> Iterator[AnswerEvent]:
        """Text deltas, then exactly one final `answer` event (authoritative: replaces the deltas).

        `ranked` passes a ranking already computed by `retrieve` (evaluation scores both).
        """
        t0 = time.perf_counter()
        retrieve_ms = 0.0
        if ranked is None:
            ranked, retrieve_ms = self.retrieve(question, history, filters, k)
        answerer = self._answerer_for(k)
        # Sentences are scored against the standalone question; the answer records what was asked.
        for event in answerer.stream(self.standalone(question, history), ranked, history, question_id):
            if event.type == "answer" and event.answer is not None:
                event.answer.question = question
                event.answer.timings = {
                    "retrieve": round(retrieve_ms, 1),
                    **event.answer.timings,
                    "total": round((time.perf_counter() - t0) * 1000, 1),
                }
            yield event

    def _answerer_for(self, k: int | None) -> Answerer:
        """The answerer for this request: a copy when `k` differs, so concurrent users never share state."""
        if not k or k == self.answerer.k:
            return self.answerer
        answerer = copy.copy(self.answerer)
        answerer.k = k
        return answerer

    def ask(
        self,
        question: str,
        history: Sequence[tuple[str, str]] = (),
        filters: SearchFilters | None = None,
        k: int | None = None,
        question_id: str | None = None,
        ranked: list[ScoredChunk] | None = None,
    ) -> Answer:
        final: Answer | None = None
        for event in self.stream(question, history, filters, k, question_id, ranked):
            if event.type == "answer":
                final = event.answer
        assert final is not None, "the answerer always ends with an answer event"
        return final
