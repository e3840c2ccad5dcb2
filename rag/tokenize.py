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

import logging
import re
import threading
import unicodedata
from collections.abc import Iterable

from ingest.symbols import symbols_in

TOKENIZER_VERSION = "3"

CJK_CHARS = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
_CJK_RUN = re.compile(f"[{CJK_CHARS}]+")
_CJK_CHAR = re.compile(f"[{CJK_CHARS}]")
_LATIN = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")

ZH_STOPWORDS = frozenset(
    """的 了 和 与 及 以及 或 或者 是 在 对 对于 为 由 于 其 之 并 并且 也 而 等 将 把 被 有 以 这 那 这些 那些
    这个 那个 中 个 们 该 此 所 着 过 就 都 又 还 但 则 即 从 向 给 让 一个 一些 什么 哪些 哪 哪个 哪份 哪一天
    哪天 哪里 哪儿 谁 何 何时 何地 如何 为什么 为何 怎么 怎样 怎么样 多少 几 几个 吗 呢 吧 啊 是否 是不是
    请问 请 关于 有关 情况 第 月 日 年 号""".split()
)
EN_STOPWORDS = frozenset(
    """a an the of and or to in on at by for from with as into about than then that this these those it its
    be been being is are was were am do does did done doing have has had having will would shall should can
    could may might must not no nor so such there their them they he she his her him we our you your i me my
    what which who whom whose when where why how whether please tell give list show any some all each other
    also only very more most regarding concerning about""".split()
)
STOPWORDS = ZH_STOPWORDS | EN_STOPWORDS

# Bigrams containing these characters are question/function noise ("是哪", "过的", "取了", "什么").
_NOISE_CHARS = frozenset("的了是吗呢哪么什谁啊吧")

# UN vocabulary jieba's general dictionary splits badly. Bigrams cover the rest.
_USER_WORDS = (
    "安理会", "安全理事会", "秘书长", "副秘书长", "助理秘书长", "维和", "维持和平", "维和人员", "特派团", "稳定团",
    "警务专员", "部队指挥官", "视频会议", "公开视频会议", "决议草案", "提案国", "弃权", "常驻代表", "人权高专办",
    "观察员部队", "联合国警察", "以行动促维和", "主席声明", "会员国", "派遣国",
)

_MONTHS = {
    "january": 1, "jan": 1, "february": 2, "feb": 2, "march": 3, "mar": 3, "april": 4, "apr": 4, "may": 5,
    "june": 6, "jun": 6, "july": 7, "jul": 7, "august": 8, "aug": 8, "september": 9, "sep": 9, "sept": 9,
    "october": 10, "oct": 10, "november": 11, "nov": 11, "december": 12, "dec": 12,
}
_MONTH_RE = "|".join(sorted(_MONTHS, key=len, reverse=True))
_ZH_DATE = re.compile(r"(?<!\d)(\d{1,2})\s*月\s*(\d{1,2})\s*[日号]")
_EN_DAY_MONTH = re.compile(rf"(?<!\d)(\d{{1,2}})(?:st|nd|rd|th)?\s+(?:of\s+)?({_MONTH_RE})\.?\b", re.IGNORECASE)
_EN_MONTH_DAY = re.compile(rf"\b({_MONTH_RE})\.?\s+(\d{{1,2}})(?:st|nd|rd|th)?(?![\d:])", re.IGNORECASE)
_ISO_DATE = re.compile(r"(?<!\d)\d{4}-(\d{2})-(\d{2})(?!\d)")

_jieba_lock = threading.Lock()
_jieba_tokenizer = None


def _jieba():
    """The jieba tokenizer, loaded once (≈1 s) on first use, without jieba's log chatter."""
    global _jieba_tokenizer
    if _jieba_tokenizer is None:
        with _jieba_lock:
            if _jieba_tokenizer is None:
                import jieba

                jieba.setLogLevel(logging.WARNING)
                tok = jieba.Tokenizer()
                tok.initialize()
                for word in _USER_WORDS:
                    tok.add_word(word, freq=20000)
                _jieba_tokenizer = tok
    return _jieba_tokenizer


def normalise(text: str) -> str:
    """NFKC and lower case: the form every token is computed from."""
    return unicodedata.normalize("NFKC", text).lower()


def is_cjk(ch: str) -> bool:
    return bool(_CJK_CHAR.match(ch))


def cjk_count(text: str) -> int:
    return len(_CJK_CHAR.findall(text))


def stem(word: str) -> str:
    """Light, deterministic English suffix stripping (plural s/ies, -ing, -ed, -ion, -ly).

    Not linguistics: it only has to map a question's and a passage's forms of a word to the same
    token ("adopted"/"adopts"/"adoption" → "adopt"). Digits and short words pass unchanged.
    """
    w = word
    if len(w) <= 3 or not w.isalpha():
        return w
    if w.endswith("ies") and len(w) > 4:
        w = w[:-3] + "y"
    elif w.endswith("sses"):
        w = w[:-2]
    elif w.endswith("s") and not w.endswith(("ss", "us", "is")):
        w = w[:-1]
    for suffix, min_stem in (("ing", 4), ("ed", 4), ("ion", 5), ("ly", 5)):
        if w.endswith(suffix) and len(w) - len(suffix) >= min_stem:
            w = w[: -len(suffix)]
            break
    return w


def dates_in(text: str) -> list[tuple[int, int]]:
    """(month, day) of every date written in `text`: "7月7日", "3 月 30 日", "30 March", "March 30", ISO."""
    t = unicodedata.normalize("NFKC", text)
    found: list[tuple[int, int]] = []
    for m in _ZH_DATE.finditer(t):
        found.append((int(m.group(1)), int(m.group(2))))
    for m in _EN_DAY_MONTH.finditer(t):
        found.append((_MONTHS[m.group(2).lower()], int(m.group(1))))
    for m in _EN_MONTH_DAY.finditer(t):
        found.append((_MONTHS[m.group(1).lower()], int(m.group(2))))
    for m in _ISO_DATE.finditer(t):
        found.append((int(m.group(1)), int(m.group(2))))
    out: list[tuple[int, int]] = []
    for md in found:
        if 1 <= md[0] <= 12 and 1 <= md[1] <= 31 and md not in out:
            out.append(md)
    return out


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
