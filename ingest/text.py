"""Text analysis shared by ingestion, retrieval, answering and checking: one definition of each rule.

Why one module: the BM25 tokenizer (rag.tokenize), sentence selection (rag.sentences), the
question analysis (rag.question) and the citation checker each used to carry their own copy of
"is this CJK", "normalise", "stem" and "find the dates", and the copies disagreed (stem("adoption")
was "adopt" in one and "adoption" in the other; "30 Sept. 2020" was a date in only one). A
question and a passage must be read by the same rules or they cannot match. It lives in the
ingest layer because every layer above may import it and it imports nothing above.

- CJK: `CJK_CHARS` (the ideograph blocks), `is_cjk_char`, `has_cjk`, `cjk_count`.
- Normalisation: `fold` (NFKC + lower case: the form tokens are computed from) and `tidy`
  (white space collapsed and dropped between CJK characters and digits: "3 月 30 日" → "3月30日").
- Words: `stem` (light English suffix stripping), stop words of both languages, `jieba()` (the
  one Chinese segmenter, with UN vocabulary added).
- Numbers and dates: `numbers`, `dates_in` ("7月7日", "3 月 30 日", "30 March", "Sept. 30", ISO).
"""

from __future__ import annotations

from datetime import date as _date

import logging
import re
import threading
import unicodedata

CJK_CHARS = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
_CJK_CHAR = re.compile(f"[{CJK_CHARS}]")
_CJK_PUNCT = "（）“”‘’、，。：；！？《》「」"
_SPACE_AROUND_CJK = re.compile(
    rf"(?<=[{CJK_CHARS}{_CJK_PUNCT}])\s+(?=[{CJK_CHARS}\d{_CJK_PUNCT}])|(?<=[{CJK_CHARS}\d{_CJK_PUNCT}])\s+(?=[{CJK_CHARS}{_CJK_PUNCT}])"
)


def is_cjk_char(ch: str) -> bool:
    return bool(_CJK_CHAR.match(ch))


def has_cjk(text: str) -> bool:
    return bool(_CJK_CHAR.search(text or ""))


def cjk_count(text: str) -> int:
    return len(_CJK_CHAR.findall(text or ""))


def fold(text: str) -> str:
    """NFKC and lower case: the form every token is computed from."""
    return unicodedata.normalize("NFKC", text or "").lower()


def tidy(text: str, nfkc: bool = False) -> str:
    """Collapse white space and drop it between CJK characters and digits (NFKC when asked).

    `3 月 30 日` → `3月30日`, `第 2518(2020)号` → `第2518(2020)号`; English spacing is kept.
    Without `nfkc` the characters stay as printed (full-width punctuation), so quotes are verbatim.
    """
    t = unicodedata.normalize("NFKC", text or "") if nfkc else (text or "")
    t = re.sub(r"\s+", " ", t).strip()
    return _SPACE_AROUND_CJK.sub("", t)


# --------------------------------------------------------------------------- words


# Roots whose "-ise" is no spelling of "-ize" ("advise", "exercise", "premises", "crises").
_ISE_ROOTS = frozenset("""adv dev rev superv telev improv desp prec conc exc inc circumc exerc chast advert merchand dem
    surm treat mort an cr parad likew clockw otherw w r ar compr comprom enterpr surpr prom prem franch expert sunr upr""".split())
_ISE = re.compile(r"^([a-z]*?)is(e|es|ed|ing|ation|ations)$")


def _ize(w: str) -> str:
    """British "-ise" spelled as "-ize" ("authorised" → "authorized", "organisations" →
    "organizations"): the Council's texts use both (resolution 2240 (2015) "authorises", a
    question "authorize"), and a question's word must meet the text's. Roots where "-ise" is the
    word itself ("exercise", "advise", "premises", "raise") keep it."""
    m = _ISE.match(w)
    if not m or len(m.group(1)) < 2 or m.group(1) in _ISE_ROOTS or m.group(1)[-1] in "aeiouy":
        return w
    return f"{m.group(1)}iz{m.group(2)}"


def stem(word: str) -> str:
    """Light, deterministic English suffix stripping (plural s/ies, -ing, -ed, -ion, -ment, -ly),
    after British "-ise" is spelled "-ize".

    Not linguistics: it only has to map a question's and a passage's forms of a word to the same
    token ("adopted"/"adopts"/"adoption" → "adopt", "exclude"/"excluding" → "exclud"). Digits and
    short words pass unchanged.
    """
    w = word.lower().strip("'-")
    if len(w) <= 3 or not w.isalpha():
        return w
    w = _ize(w)
    if w.endswith("ies") and len(w) > 4:
        w = w[:-3] + "y"
    elif w.endswith("sses"):
        w = w[:-2]
    elif w.endswith("s") and not w.endswith(("ss", "us", "is")):
        w = w[:-1]
    # "-ment" only off a stem of 6+ letters: "displacement"/"deployment"/"establishment" meet
    # "displaced"/"deploy"/"established", while "statement" (state) and "document" stay whole.
    for suffix, min_stem in (("ing", 4), ("ed", 4), ("ion", 5), ("ment", 6), ("ly", 5)):
        if w.endswith(suffix) and len(w) - len(suffix) >= min_stem:
            w = w[: -len(suffix)]
            break
    # "exclude" and "excluding"/"excluded" ("exclud"), "decide"/"decides"/"deciding": a final
    # silent e is what the -ing/-ed forms lost, so it goes too.
    if w.endswith("e") and len(w) >= 5:
        w = w[:-1]
    return w


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

# Words that frame a question rather than describe its answer ("What did the Council *want* …",
# "How *often* did it *ask* …", "安理会*打算*如何*处理*…", "期限是*多久*"): interrogative scaffolding,
# light verbs of asking and wanting, and pronouns. Records never use them to say what the question
# asks, so as key terms they only lower the coverage of the passage that answers (they are found in
# no candidate, hence weigh most). General language, not Council vocabulary; the Council's own verbs
# ("requests", "calls upon") stay key terms.
QUESTION_FRAMING_EN = frozenset(
    """want wants wanted wanting ask asks asked asking bring brings brought happen happens happened often
    kind kinds type types sort way ways much many mean means meant refer refers referred word words worded
    wording say says said called they them their he she his her we us our you your it its
    exactly specifically actually originally""".split()
)
QUESTION_FRAMING_ZH = frozenset(
    """因此 多久 多长 多长时间 打算 如何处理 怎样处理 哪类 哪种 哪方面 什么样 哪一类 哪一种 哪一项 哪一份 哪几 哪几项
    可以 能否 能不能 应该 需要 是不是 具体 内容 当时 之后 后来 这项 该项 那项 它 它们 他 她 他们 其
    问题 开展 作出 做出 予以 加以 给予 一个 一种 一些""".split()
)

# UN vocabulary jieba's general dictionary splits badly.
UN_WORDS = (
    "安理会", "安全理事会", "秘书长", "副秘书长", "助理秘书长", "维和", "维持和平", "维和人员", "特派团", "稳定团",
    "警务专员", "部队指挥官", "视频会议", "公开视频会议", "决议草案", "提案国", "弃权", "常驻代表", "人权高专办",
    "观察员部队", "联合国警察", "以行动促维和", "主席声明", "会员国", "派遣国",
)

_jieba_lock = threading.Lock()
_jieba_tokenizer = None


def jieba():
    """The one jieba tokenizer of the app, loaded once (≈1 s) on first use, without its log chatter."""
    global _jieba_tokenizer
    if _jieba_tokenizer is None:
        with _jieba_lock:
            if _jieba_tokenizer is None:
                import jieba as _jb

                _jb.setLogLevel(logging.WARNING)
                tok = _jb.Tokenizer()
                tok.initialize()
                for word in UN_WORDS:
                    tok.add_word(word, freq=20000)
                _jieba_tokenizer = tok
    return _jieba_tokenizer


def is_zh_word(text: str) -> bool:
    """Whether jieba's dictionary (with the UN words) holds `text` as a word, not just two characters
    that happen to be adjacent ("安全", not "将第")."""
    return jieba().FREQ.get(text, 0) > 0


# --------------------------------------------------------------------------- numbers and dates

MONTHS = {
    "january": 1, "jan": 1, "february": 2, "feb": 2, "march": 3, "mar": 3, "april": 4, "apr": 4, "may": 5,
    "june": 6, "jun": 6, "july": 7, "jul": 7, "august": 8, "aug": 8, "september": 9, "sep": 9, "sept": 9,
    "october": 10, "oct": 10, "november": 11, "nov": 11, "december": 12, "dec": 12,
}
_MONTH_RE = "|".join(sorted(MONTHS, key=len, reverse=True))
_ZH_DATE = re.compile(r"(?<!\d)(\d{1,2})\s*月\s*(\d{1,2})\s*[日号]")
_EN_DAY_MONTH = re.compile(rf"(?<!\d)(\d{{1,2}})(?:st|nd|rd|th)?\s+(?:of\s+)?({_MONTH_RE})\.?\b", re.IGNORECASE)
_EN_MONTH_DAY = re.compile(rf"\b({_MONTH_RE})\.?\s+(\d{{1,2}})(?:st|nd|rd|th)?(?![\d:])", re.IGNORECASE)
_ISO_DATE = re.compile(r"(?<!\d)\d{4}-(\d{2})-(\d{2})(?!\d)")


def dates_in(text: str) -> list[tuple[int, int]]:
    """(month, day) of every date written in `text`: "7月7日", "3 月 30 日", "30 March", "Sept. 30", ISO."""
    t = unicodedata.normalize("NFKC", text or "")
    found: list[tuple[int, int]] = []
    for m in _ZH_DATE.finditer(t):
        found.append((int(m.group(1)), int(m.group(2))))
    for m in _EN_DAY_MONTH.finditer(t):
        found.append((MONTHS[m.group(2).lower()], int(m.group(1))))
    for m in _EN_MONTH_DAY.finditer(t):
        found.append((MONTHS[m.group(1).lower()], int(m.group(2))))
    for m in _ISO_DATE.finditer(t):
        found.append((int(m.group(1)), int(m.group(2))))
    out: list[tuple[int, int]] = []
    for d in found:
        if 1 <= d[0] <= 12 and 1 <= d[1] <= 31 and d not in out:
            out.append(d)
    return out


def numbers(text: str) -> set[str]:
    """Numbers as digit strings ('3 月 30 日' → {'3', '30'}; '15-0-0' → {'15', '0'}; leading zeros dropped)."""
    t = unicodedata.normalize("NFKC", text or "")
    return {n.lstrip("0") or "0" for n in re.findall(r"\d+", t)}


def date_en(iso: str) -> str:
    """'2020-03-30' → '30 March 2020', the way UN documents write dates in English."""
    d = _date.fromisoformat(iso)
    return f"{d.day} {d.strftime('%B')} {d.year}"


def date_zh(iso: str) -> str:
    """'2020-03-30' → '2020年3月30日'."""
    d = _date.fromisoformat(iso)
    return f"{d.year}年{d.month}月{d.day}日"
