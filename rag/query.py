"""Query analysis: clean a question and pull out what retrieval keys on.

`analyse(question)` returns a `Query`: the cleaned text (control characters removed, NFKC,
whitespace collapsed), its language ('zh' when CJK-dominant, else 'en'), the canonical symbols and
resolution numbers it names, the (month, day) dates it mentions, its key terms and BM25 tokens,
and whether it asks for a resolution's document facts (adoption date, vote, draft, sponsors).

Bad input raises `QueryError` (a ValueError) whose message is in the question's language.
HTML in a question is just text: nothing is stripped or interpreted.
"""

from __future__ import annotations

import re
import unicodedata

from pydantic import BaseModel, Field

from ingest.lang import detect_lang as _detect
from ingest.symbols import resolution_numbers_in, symbols_in
from rag.tokenize import STOPWORDS, cjk_words, dates_in, stem, tokens

DEFAULT_MAX_CHARS = 2000

# Questions about a resolution's document card: when adopted, vote, abstentions, draft, sponsors.
_CARD_EN = re.compile(
    r"\b(adopt\w*|vot(?:e|es|ed|ing)|abstain\w*|abstention\w*|draft\w*|sponsor\w*|co-?sponsor\w*|in favou?r|"
    r"against|unanimous\w*|tally|meeting record)\b",
    re.IGNORECASE,
)
_CARD_ZH = re.compile(r"何时通过|哪一?天通过|通过日期|通过的|表决|投票|弃权|赞成|反对|草案|提案国|提案|共同提案|一致通过|提出决议")

_LATIN_WORD = re.compile(r"[A-Za-z]+")


class QueryError(ValueError):
    """The question cannot be searched; the message is meant for the asker."""


class Query(BaseModel):
    text: str = Field(description="Cleaned question: control characters removed, NFKC, whitespace collapsed.")
    lang: str = Field(description="'zh' if CJK-dominant, else 'en'.")
    symbols: list[str] = Field(default_factory=list, description="Canonical symbols named in the question.")
    resolution_numbers: list[int] = Field(default_factory=list, description="Resolution numbers named, with or without year.")
    dates: list[tuple[int, int]] = Field(default_factory=list, description="(month, day) of dates mentioned.")
    terms: list[str] = Field(default_factory=list, description="Key terms (words without stop-words), for display/highlighting.")
    tokens: list[str] = Field(default_factory=list, description="BM25 query tokens (rag.tokenize.tokens).")
    asks_document_facts: bool = Field(default=False, description="Asks for adoption date / vote / draft / sponsors.")
    asks_when: bool = Field(default=False, description="Asks for a date: passages that state one are preferred.")


_WHEN = re.compile(r"何时|哪一?天|哪日|什么时候|几月几日|日期|\bwhen\b|\bwhat date\b|\bon what day\b", re.IGNORECASE)


def clean(question: str) -> str:
    """Control/format characters out, NFKC, runs of white space to one space, trimmed."""
    s = unicodedata.normalize("NFKC", question)
    chars = []
    for ch in s:
        cat = unicodedata.category(ch)
        if ch.isspace():
            chars.append(" ")
        elif cat in ("Cc", "Cf", "Cs", "Co", "Cn"):
            continue
        else:
            chars.append(ch)
    return re.sub(r"\s+", " ", "".join(chars)).strip()


def detect_lang(text: str) -> str:
    """'zh' or 'en' by the app's one rule (ingest.lang: share of CJK among letters)."""
    return _detect(text)


def _error(lang: str, zh: str, en: str) -> QueryError:
    return QueryError(zh if lang == "zh" else en)


def analyse(question: str, max_chars: int = DEFAULT_MAX_CHARS) -> Query:
    """Analyse a user question; raises `QueryError` for empty, symbol-only or over-long questions."""
    if question is None:
        question = ""
    if not isinstance(question, str):
        raise QueryError(f"The question must be text, not {type(question).__name__}.")
    text = clean(question)
    lang = detect_lang(text or question)
    if not text:
        raise _error(lang, "问题为空，请输入一个问题。", "The question is empty. Please type a question.")
    if len(text) > max_chars:
        raise _error(
            lang,
            f"问题过长（{len(text)} 个字符），上限为 {max_chars} 个字符，请缩短问题。",
            f"The question is too long ({len(text)} characters); the limit is {max_chars} characters. Please shorten it.",
        )
    if not any(unicodedata.category(ch)[0] in "LN" for ch in text):
        raise _error(
            lang,
            "问题只包含标点或符号，请用文字提出问题。",
            "The question contains only punctuation or symbols. Please ask it in words.",
        )
    latin_terms = [stem(w.lower()) for w in _LATIN_WORD.findall(text) if len(w) > 1 and w.lower() not in STOPWORDS]
    terms = list(dict.fromkeys(cjk_words(text) + latin_terms))
    return Query(
        text=text,
        lang=lang,
        symbols=symbols_in(text),
        resolution_numbers=resolution_numbers_in(text),
        dates=dates_in(text),
        terms=terms,
        tokens=tokens(text),
        asks_document_facts=bool(_CARD_EN.search(text) or _CARD_ZH.search(text)),
        asks_when=bool(_WHEN.search(text)),
    )
