"""Compatibility names for the one question analysis, `rag.question`.

`Query` was the retriever's analysis and `rag.extractive.QuestionInfo` the answerer's; both are
now `rag.question.Question`. The UI and older callers import `QueryError` and `analyse` from here.
"""

from rag.question import DEFAULT_MAX_CHARS, Question, QueryError, analyse, clean, detect_lang

Query = Question

__all__ = ["DEFAULT_MAX_CHARS", "Query", "Question", "QueryError", "analyse", "clean", "detect_lang"]
