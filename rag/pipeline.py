"""Question in, checked answer out: the one answering pipeline behind `unsc ask`, `unsc eval` and the web UI.

Keeping a single pipeline means the CLI, the evaluation and the chat can never disagree about an
answer: the same query validation, follow-up rewriting, retrieval, answering and timings.
"""

from __future__ import annotations

import copy
import time
from collections.abc import Iterator, Sequence

from rag import structured
from rag.grounding import without_longer_words
from rag.answer import Answer, AnswerEvent, Answerer
from rag.messages import ui_lang
from rag.question import Question, analyse
from rag.retrieve import HybridRetriever
from rag.tokenize import tokens
from rag.types import ScoredChunk, SearchFilters

RETRIEVED_SHOWN = 10  # default length of `retrieved` (the JSON contract's top 10); ui.settings retrieval.max_k sets it


class AskPipeline:
    """Retriever + answerer, with the conversation handled in between."""

    def __init__(self, retriever: HybridRetriever, answerer: Answerer, k: int = 5, max_question_chars: int = 2000,
                 shown: int = RETRIEVED_SHOWN):
        self.retriever = retriever
        self.shown = shown  # passages ranked per question, whatever `k` (the answer cites the first k)
        self.answerer = answerer
        if hasattr(answerer, "use_records"):
            answerer.use_records(retriever)  # quote the official version in the asker's language (rag.parallel)
        self.k = k
        self.max_question_chars = max_question_chars
        self._analysed: tuple | None = None  # the last (question, history) analysed, reused within one ask

    def retrieve(
        self,
        question: str,
        history: Sequence[tuple[str, str]] = (),
        filters: SearchFilters | None = None,
        k: int | None = None,
    ) -> tuple[list[ScoredChunk], float]:
        """Ranked chunks for the question (rewritten as a standalone query when it is a follow-up).

        Raises `rag.question.QueryError` (a ValueError whose message is meant for the user) for
        empty, over-long or content-free questions.
        """
        q = self.question(question, history)  # validates what the user typed (QueryError)
        t0 = time.perf_counter()
        query = self.standalone(question, history)
        search_q = q if query == q.text else q.model_copy(update={"text": query, "tokens": tokens(query)})
        ranked = self.retriever.search(search_q, k=max(self.shown, k or self.k), filters=filters)
        return ranked, (time.perf_counter() - t0) * 1000

    def question(self, question: str, history: Sequence[tuple[str, str]] = ()) -> Question:
        """The one analysis of the question (with its conversation and the records' topic vocabulary)."""
        key = (question, tuple(tuple(t) if isinstance(t, (list, tuple)) else (str(t),) for t in history or ()))
        cached = self._analysed
        if cached is not None and cached[0] == key:
            return cached[1]
        vocabulary = self._vocabulary()
        q = self._unshadowed(analyse(question, self.max_question_chars, history=history, vocabulary=vocabulary,
                                     describes=self._describes if history else None))
        self._analysed = (key, q)  # one tuple swapped whole: safe to share between threads
        return q

    def _unshadowed(self, q: Question) -> Question:
        """The question without topics it names only inside longer words that are other words:
        "关于青年党的制裁决议" names al-Shabaab ("青年党"), not youth ("青年"); the lexicon's shadows say so."""
        learn = getattr(self.retriever, "lexicon", None)
        if not q.topics or learn is None:
            return q
        try:
            lexicon = learn()
        except Exception:
            return q
        low = q.text.lower()

        def named(form: str) -> bool:
            if form.isascii():
                return form.lower() in low
            return form in without_longer_words(q.text, lexicon.longer_words(form))

        kept = [g for g in q.topics if any(named(f) for f in g if f)]
        return q if len(kept) == len(q.topics) else q.model_copy(update={"topics": kept})

    def _describes(self, symbol: str) -> str:
        """What the records say a document is about (agenda item, title, subjects), or ""."""
        facts = getattr(self.retriever, "facts", None)
        try:
            rec = facts().get(symbol) if facts is not None else None
        except Exception:  # a store that cannot be read yet: no record, nothing carried on its account
            return ""
        return rec.haystack() if rec is not None else ""

    def _vocabulary(self) -> list[list[str]]:
        vocabulary = getattr(self.retriever, "topic_vocabulary", None)
        facts = getattr(self.retriever, "facts", None)
        try:
            if vocabulary is not None:
                return vocabulary()
            return facts().topic_vocabulary() if facts is not None else []
        except Exception:  # a store that cannot be read yet answers without topics
            return []

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
        result = self._structured(question, history, ranked)
        if result is not None and filters is not None and not filters.is_empty() \
                and not all(filters.allows(c.chunk) for c in result.cited):
            result = None  # the user restricted the sources: a looked-up fact from elsewhere is not an answer
        if result is not None:
            q_lang = ui_lang(self.question(question, history).lang)
            ans = answerer.from_structured(question, result, ranked, q_lang, question_id)
            ans.timings = {"retrieve": round(retrieve_ms, 1), "total": round((time.perf_counter() - t0) * 1000, 1)}
            yield AnswerEvent(type="delta", text=ans.answer)
            yield AnswerEvent(type="answer", answer=ans)
            return
        # Sentences are scored against the standalone question; the answer records what was asked.
        for event in answerer.stream(self.standalone(question, history), ranked, history, question_id,
                                     analysed=self.question(question, history)):
            if event.type == "answer" and event.answer is not None:
                event.answer.question = question
                event.answer.timings = {
                    "retrieve": round(retrieve_ms, 1),
                    **event.answer.timings,
                    "total": round((time.perf_counter() - t0) * 1000, 1),
                }
            yield event

    def _structured(self, question: str, history: Sequence[tuple[str, str]], ranked: Sequence[ScoredChunk] = ()):
        """A structured answer (rag.structured) when the question names a place or asks a recorded fact."""
        if not hasattr(self.retriever, "facts"):
            return None
        return structured.answer(self.question(question, history), self.retriever, ranked)

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
