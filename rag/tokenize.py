"""Chinese-aware tokens for the lexical (BM25) index and for query analysis.

One function, `tokens(text)`, is used for both passages and questions, so the two sides always agree.
It emits, from NFKC-normalised, lower-cased text:

- CJK runs: jieba words (precise mode, no HMM; single characters dropped unless the run is one character)
  PLUS the character bigrams of the run. Bigrams make matching robust to jieba segmenting the
  question and the passage differently ("马里稳定团" vs "马里/稳定/团").
- Latin runs: word tokens with a light, deterministic suffix stripper (`stem`); hyphenated
  compounds are kept whole as well as split ("15-0-0" → "15-0-0", "15", "0", "0"); digits whole.
- Document symbols as single tokens in canonical, lower-cased form ("s/res/2518(2020)").
- Dates as language-neutral tokens ("date:03-30" for "3 月 30 日", "30 March", "2020-03-30"),
  so a Chinese question's date matches an English passage's and vice versa.

Stop-words (function words and question words of both languages) are dropped.
`TOKENIZER_VERSION` is part of every cache key: bump it whenever the output of `tokens` changes.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable

from ingest.symbols import symbols_in

TOKENIZER_VERSION = "6"

from ingest.text import (  # noqa: E402  (one definition of each rule: ingest.text)
    CJK_CHARS,
    EN_STOPWORDS,
    ZH_STOPWORDS,
    dates_in,
    fold as normalise,
    jieba as _jieba,
    stem,
)

_CJK_RUN = re.compile(f"[{CJK_CHARS}]+")
_LATIN = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")
STOPWORDS = ZH_STOPWORDS | EN_STOPWORDS

# Bigrams containing these characters are question/function noise ("是哪", "过的", "取了", "什么").
_NOISE_CHARS = frozenset("的了是吗呢哪么什谁啊吧")


def date_token(month: int, day: int) -> str:
    return f"date:{month:02d}-{day:02d}"


def symbol_token(symbol: str) -> str:
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", symbol)).lower()


def cjk_words(text: str) -> list[str]:
    """jieba words of the CJK runs of `text` (no bigrams, no stop-words): a question's key terms."""
    out: list[str] = []
    for run in _CJK_RUN.findall(normalise(text)):
        out.extend(w for w in _jieba().lcut(run, HMM=False) if (len(w) > 1 or len(run) == 1) and w not in STOPWORDS)
    return out


def _cjk_tokens(run: str, out: list[str]) -> None:
    if len(run) == 1:
        if run not in STOPWORDS:
            out.append(run)
        return
    for w in _jieba().lcut(run, HMM=False):
        if len(w) > 1 and w not in STOPWORDS:
            out.append(w)
    for i in range(len(run) - 1):
        bg = run[i : i + 2]
        if bg in STOPWORDS or _NOISE_CHARS.intersection(bg):
            continue
        out.append(bg)


def _latin_tokens(text: str, out: list[str]) -> None:
    for m in _LATIN.finditer(text):
        word = m.group(0)
        if "-" in word:
            parts = word.split("-")
            out.append(word)
        else:
            parts = [word]
        for p in parts:
            if p.isdigit():
                out.append(p)
            elif len(p) > 1 and p not in STOPWORDS:
                out.append(stem(p))


def tokens(text: str, extra_symbols: Iterable[str] = ()) -> list[str]:
    """BM25 tokens of `text` (with repeats: term frequency matters). See the module docstring."""
    if not text:
        return []
    raw = unicodedata.normalize("NFKC", text)
    out: list[str] = [symbol_token(s) for s in symbols_in(raw)]
    out.extend(symbol_token(s) for s in extra_symbols)
    out.extend(date_token(m, d) for m, d in dates_in(raw))
    low = raw.lower()
    pos = 0
    for m in _CJK_RUN.finditer(low):
        _latin_tokens(low[pos : m.start()], out)
        _cjk_tokens(m.group(0), out)
        pos = m.end()
    _latin_tokens(low[pos:], out)
    return out


def warm_up() -> None:
    """Load jieba's dictionary now rather than on the first query."""
    _jieba()
