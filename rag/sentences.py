"""Sentence splitting (Chinese and English) and the term/number features answer selection uses.

A chunk is split into `SourceSentence`s. Footnotes are evidence for the passage that carries
their marker: each footnote is attached to the sentence its marker follows (by `Footnote.offset`
when the parser recorded it, else by finding the printed marker, e.g. `表示遗憾。650`), and the
marker digits are removed from the sentence text. A footnote whose position cannot be found
becomes its own evidence line (`脚注650：…` / `footnote 650: …`) so its content still counts.

Document cards and table rows are field records: every line (and every sentence inside a
line) is a unit of its own.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from functools import lru_cache

from ingest.chunk import Chunk, Footnote
from ingest.symbols import symbols_in

from ingest.text import CJK_CHARS as CJK_CHAR  # noqa: E402  (one definition of each rule: ingest.text)
from ingest.text import QUESTION_FRAMING_EN, QUESTION_FRAMING_ZH, dates_in, has_cjk, numbers, stem, tidy  # noqa: E402
from ingest.text import jieba as _shared_jieba  # noqa: E402

_CJK_RUN = re.compile(f"[{CJK_CHAR}]+")
_HAS_CJK = re.compile(f"[{CJK_CHAR}]")


def normalise(text: str, nfkc: bool = False) -> str:
    """White space collapsed and dropped between CJK characters and digits (ingest.text.tidy)."""
    return tidy(text, nfkc)


def compact(text: str) -> str:
    """Normalised text without any white space, for substring comparisons."""
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", text or "")).lower()


def is_cjk(text: str) -> bool:
    """Whether the text contains any CJK ideograph (ingest.text.has_cjk)."""
    return has_cjk(text)


# --- sentence splitting ----------------------------------------------------------------------

_ZH_END = re.compile(r"[。！？；!?;]+[”’」』)）]*")
_EN_ABBREV = {
    "para", "paras", "no", "nos", "e.g", "i.e", "mr", "mrs", "ms", "dr", "st", "vs", "etc", "art",
    "arts", "p", "pp", "cf", "u.s", "u.n", "fig", "vol", "sect", "ch", "op", "rev", "add", "corr",
    "jan", "feb", "mar", "apr", "jun", "jul", "aug", "sep", "sept", "oct", "nov", "dec", "gen", "lt",
    "col", "gov", "amb", "h.e", "approx", "incl", "ref", "ibid", "annex",
}
_EN_END = re.compile(r"[.!?;]+[\"'”’)\]]*(?=\s+|$)")
_ENUMERATOR = re.compile(r"^\s*(?:\(?[0-9]{1,3}\)?|\(?[a-z]\)|\(?[ivxlc]{1,5}\))\s*$", re.I)


def _spans_zh(text: str) -> list[tuple[int, int]]:
    spans, start = [], 0
    for m in _ZH_END.finditer(text):
        # English full stops inside Chinese text (S/2020/514. ) are not sentence ends here;
        # `_ZH_END` only contains '!?;' of the ASCII set, which Chinese records rarely use mid-sentence.
        spans.append((start, m.end()))
        start = m.end()
    if start < len(text):
        spans.append((start, len(text)))
    return spans


def _spans_en(text: str) -> list[tuple[int, int]]:
    spans, start = [], 0
    for m in _EN_END.finditer(text):
        end = m.end()
        before = text[start:m.start()]
        word = re.search(r"([A-Za-z.]+)$", before)
        nxt = text[end:].lstrip()
        if m.group(0).startswith(".") and word and word.group(1).lower().rstrip(".") in _EN_ABBREV:
            continue  # "para. 5", "No. 3", "e.g. the"
        if m.group(0).startswith(".") and re.search(r"\b[A-Z]$", before):
            continue  # initials: "J. Smith"
        if _ENUMERATOR.match(before):
            continue  # "8. Requests …", "(a) …"
        if nxt and (nxt[0].islower() or nxt[0] in ",;:)"):
            continue
        if m.group(0).startswith(";") and not nxt[:1].isdigit() and not re.match(r"\(?[a-z]\)", nxt):
            # resolution paragraphs chain clauses with ';' — split only before an enumerator.
            continue
        spans.append((start, end))
        start = end
    if start < len(text):
        spans.append((start, len(text)))
    return spans


def split_spans(text: str, lang: str | None = None, lines: bool = False) -> list[tuple[int, int]]:
    """Character spans of the sentences of `text` (language guessed when not given).

    `lines=True` also splits at line breaks (field records: document cards, table rows).
    Chinese text splits after `。！？；`; English after `.!?` unless the full stop belongs to an
    abbreviation (`para. 5`, `No. 3`, `e.g.`), an enumerator (`8.`), or is followed by lower case.
    """
    out: list[tuple[int, int]] = []
    blocks: list[tuple[int, int]] = []
    if lines:
        pos = 0
        for line in text.split("\n"):
            blocks.append((pos, pos + len(line)))
            pos += len(line) + 1
    else:
        blocks.append((0, len(text)))
    for b0, b1 in blocks:
        block = text[b0:b1]
        zh = (lang or ("zh" if is_cjk(block) else "en")).startswith("zh") and is_cjk(block)
        for s0, s1 in (_spans_zh(block) if zh else _spans_en(block)):
            seg = block[s0:s1]
            if seg.strip():
                lead = len(seg) - len(seg.lstrip())
                trail = len(seg) - len(seg.rstrip())
                out.append((b0 + s0 + lead, b0 + s1 - trail))
    return out


def split_sentences(text: str, lang: str | None = None, lines: bool = False) -> list[str]:
    """The sentences of `text`, stripped."""
    return [text[a:b] for a, b in split_spans(text, lang, lines)]


# --- sentences of a chunk with their footnotes -----------------------------------------------


@dataclass
class SourceSentence:
    """One sentence (or field line) of a chunk, with the footnotes whose markers it carries."""

    text: str  # as printed, footnote markers removed
    chunk: Chunk
    position: int  # index in the chunk
    footnotes: list[Footnote] = field(default_factory=list)
    footnote_only: bool = False  # an evidence line made from a footnote whose marker was not found

    @property
    def lang(self) -> str:
        return self.chunk.lang

    def evidence(self) -> str:
        """Sentence text plus the text of its footnotes."""
        if not self.footnotes or self.footnote_only:
            return self.text
        return self.text + "\n" + "\n".join(f.text for f in self.footnotes)


def _marker_positions(text: str, notes: list[Footnote]) -> dict[int, tuple[int, int]]:
    """Index of footnote → (start, end) of its printed marker in `text`, when it can be found."""
    found: dict[int, tuple[int, int]] = {}
    for i, f in enumerate(notes):
        num = re.escape(f.number.strip())
        if f.offset is not None and 0 <= f.offset <= len(text):
            m = re.match(r"\s?" + num + r"(?![\d])", text[f.offset:])
            found[i] = (f.offset, f.offset + m.end()) if m else (f.offset, f.offset)
            continue
        if not f.number.strip().isdigit():
            continue  # table notes 'a' are too ambiguous to look for
        # A marker glued to the text it annotates: "表示遗憾。650", "视频会议646 上", "States.12"
        pat = re.compile(rf"(?<=[^\d\s/(（,，.:\-])\s?({num})(?![\d(（/\-])(?!\s*(?:年|月|日|号|段|票|%|个|次|名|st|nd|rd|th))")
        for m in pat.finditer(text):
            found[i] = (m.start(), m.end())
            break
    return found


def _spans_over_markers(text: str, spans: list[tuple[int, int]], markers: dict[int, tuple[int, int]]) -> list[list[int]]:
    """Sentence spans, each extended over a footnote marker that follows its end ("。650").

    The sentence splitter ends a sentence at its punctuation, but a marker right after it belongs
    to that sentence, not to the start of the next one; the next span starts after the marker.
    """
    fixed: list[list[int]] = [list(s) for s in spans]
    for m0, m1 in markers.values():
        for j, s in enumerate(fixed):
            if j + 1 < len(fixed) and s[1] <= m0 < fixed[j + 1][0] + 1 and text[s[1]:m0].strip() == "":
                if m1 > s[1]:
                    fixed[j + 1][0] = max(fixed[j + 1][0], m1)
                    s[1] = max(s[1], m1)
                break
    return fixed


def chunk_sentences(chunk: Chunk) -> list[SourceSentence]:
    """Split a chunk into sentences and attach each footnote to the sentence its marker follows."""
    text = chunk.text
    lines = chunk.kind in ("document_card", "table_row")
    spans = split_spans(text, chunk.lang, lines=lines)
    markers = _marker_positions(text, chunk.footnotes)
    fixed = _spans_over_markers(text, spans, markers)
    sentences: list[SourceSentence] = []
    attached: set[int] = set()
    owner: dict[int, int] = {}
    for i, (m0, _m1) in markers.items():
        # the marker follows the text it annotates: the last sentence starting before it
        idx = [j for j, (a, b) in enumerate(fixed) if a < b and a < m0]
        owner[i] = idx[-1] if idx else 0
    for j, (a, b) in enumerate(fixed):
        if a >= b:
            continue
        notes = []
        cut: list[tuple[int, int]] = []
        for i, (m0, m1) in markers.items():
            if owner[i] == j:
                notes.append((m0, chunk.footnotes[i]))
                attached.add(i)
                if m1 > m0 and a <= m0 < b:
                    cut.append((m0, min(m1, b)))
        piece = text[a:b]
        for m0, m1 in sorted(cut, reverse=True):
            piece = piece[: m0 - a] + piece[m1 - a:]
        piece = normalise(piece)
        if not piece:
            continue
        notes.sort(key=lambda x: x[0])
        sentences.append(SourceSentence(piece, chunk, len(sentences), [n for _, n in notes]))
    for i, f in enumerate(chunk.footnotes):
        if i not in attached:
            label = f"脚注{f.number}：" if chunk.lang.startswith("zh") else f"footnote {f.number}: "
            for part in split_sentences(normalise(f.text), chunk.lang):
                sentences.append(SourceSentence(label + part, chunk, len(sentences), [f], footnote_only=True))
    return sentences


def is_reference_note(note: Footnote) -> bool:
    """A footnote that only points at a document ('见 S/2020/514。', '同上，第 5 段。', 'Ibid., para. 4.')."""
    t = normalise(note.text)
    for s in symbols_in(t):
        t = t.replace(s, "")
    t = re.sub(r"S/RES/\d+\s*\(\d{4}\)|第\s*\d+\s*\(\d{4}\)\s*号决议|[Rr]esolutions?\s+\d+\s*\(\d{4}\)", "", t)
    t = re.sub(r"见|参看|另见|同上|第[\d\s和、至-]+段|[Ss]ee(?: also)?|[Ii]bid\.?|paras?\.\s*[\d\s,and-]+"
               r"|[\d\s,，。.;；:：()（）、和及-]", "", t)
    return len(t) <= 2


# --- terms -----------------------------------------------------------------------------------

_EN_STOP = set(
    """a an the of to in on for by with at from and or as is are was were be been being this that these
    those it its their there which what who whom whose when where why how did do does done has have had
    not no any all can could would should may might will shall than then so such into about over under
    between during upon per via also other more most some much many very if whether
    tell me please give list explain describe say said says according regarding concerning""".split()
)
_ZH_STOP = set(
    """的 了 和 与 及 或 是 在 对 就 把 被 为 于 以 其 之 并 等 也 都 而 由 向 从 中 上 下 有 这 那 哪 些 个 吗 呢 啊
    什么 什么时候 时候 哪些 哪个 哪一 哪一天 哪天 哪两个 哪几个 多少 如何 怎样 怎么 为什么 是否 谁 何时 何 何种 什么样 几 几个
    请问 一下 告诉 我 你 们 我们 该 此 这个 这些 那个 那些 方面 关于 以及 之一 进行 通过了 其中 没有 因为 所以""".split()
)

_WORD = re.compile(r"[A-Za-z][A-Za-z\-]*[A-Za-z]|[A-Za-z]")
_NUMBER = re.compile(r"\d+(?:[.,]\d+)*")


def _jieba():
    """The one jieba tokenizer of the app (ingest.text.jieba): one dictionary in memory, loaded once."""
    return _shared_jieba()


@lru_cache(maxsize=4096)
def zh_words(text: str) -> tuple[str, ...]:
    """Content words of Chinese text by jieba (stop words and punctuation removed)."""
    out = []
    for w in _jieba().lcut(text):
        w = w.strip()
        if not w or w in _ZH_STOP or not _HAS_CJK.search(w):
            continue
        out.append(w)
    return tuple(out)


def cjk_bigrams(text: str) -> set[str]:
    grams: set[str] = set()
    for run in _CJK_RUN.findall(text):
        grams.update(run[i:i + 2] for i in range(len(run) - 1))
    return grams


# A question word a segmenter glues to the noun it asks for ("哪些因素", "什么决定"): the noun is the word.
_WH_PREFIX_ZH = re.compile(r"^(?:哪(?:一|几|些|个|项|份|位|种|类)?|什么|多少)")


def question_terms_zh(text: str) -> tuple[str, ...]:
    """A question's Chinese key words: its content words less the words that frame the question,
    each without a question word glued to its front ("哪些因素" is the word "因素")."""
    words = (_WH_PREFIX_ZH.sub("", w) if len(w) > 2 else w for w in zh_words(text))
    return tuple(w for w in words if w and w not in QUESTION_FRAMING_ZH)


def question_terms_en(text: str) -> list[str]:
    """A question's English key stems: its content words less the words that frame the question."""
    return en_terms(text, QUESTION_FRAMING_EN)


def en_terms(text: str, drop: frozenset[str] = frozenset()) -> list[str]:
    """English content stems of `text` (stop words, and the words in `drop`, left out)."""
    text = re.sub(r"['’]s\b", "", text)
    return [stem(w) for w in _WORD.findall(text) if w.lower() not in _EN_STOP and w.lower() not in drop and len(w) > 1]


def dates(text: str) -> set[tuple[int, int]]:
    """(month, day) pairs mentioned in `text` (ingest.text.dates_in: '3 月 30 日', '30 Sept.', 'March 30', ISO)."""
    return set(dates_in(normalise(text, nfkc=True)))


def content_tokens(text: str) -> set[str]:
    """Tokens the citation checker compares: CJK bigrams, jieba words, English stems, numbers."""
    t = normalise(text)
    toks: set[str] = set()
    toks |= cjk_bigrams(t)
    if is_cjk(t):
        toks |= {w for w in zh_words(t) if len(w) >= 2}
    toks |= set(en_terms(t))
    toks |= {"#" + n for n in numbers(t)}
    return toks
