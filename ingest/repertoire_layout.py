"""Visual-line level rules of Repertoire text extracted from two-column PDFs.

The extraction gives us visual lines, not paragraphs: lines are hard-wrapped mid-sentence and
mid-word, a paragraph start is only visible as a leading space, and page/column breaks leave
stray leading spaces on continuation lines. This module holds the small, testable rules the
parser combines: what kind of line this is (footnote separator, undocs URL, heading), whether a
line ends a sentence, and how two wrapped lines are glued back together (CJK without a space,
Latin words with one, end-of-line hyphenation undone but real hyphens kept).
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

# ---------------------------------------------------------------------------------------------
# Lines


@dataclass(frozen=True)
class Line:
    """One non-blank visual line with its 1-based line number in the original file."""

    no: int
    raw: str  # right-stripped, leading whitespace kept
    after_blank: bool = False  # preceded by a blank line (only meaningful without the blank-after-every-line layout)

    @property
    def text(self) -> str:
        return self.raw.strip()

    @property
    def indented(self) -> bool:
        """A leading space: where a body paragraph starts (or a page-break continuation)."""
        return self.raw[:1] in (" ", "\t", "\u3000", "\u00a0")


def split_lines(text: str) -> tuple[list[Line], bool]:
    """Split decoded text into non-blank `Line`s; also report whether blank lines carry meaning.

    The Chinese extraction puts an empty line after every visual line, so there blank lines say
    nothing. In text without that pattern, a blank line may separate paragraphs.
    """
    text = text.lstrip("\ufeff").replace("\r\n", "\n").replace("\r", "\n")
    # A form feed marks a page break (pdftotext puts it before a page's first line): it is not
    # text and not indentation, and dropping it (not turning it into a line) keeps line numbers.
    text = text.replace("\f", "").replace("\v", "")
    raw_lines = text.split("\n")
    lines: list[Line] = []
    blank_before = False
    followed_by_blank = 0
    for i, raw in enumerate(raw_lines):
        stripped = raw.rstrip()
        if not stripped.strip():
            blank_before = True
            continue
        lines.append(Line(no=i + 1, raw=stripped, after_blank=blank_before))
        blank_before = False
        if i + 1 < len(raw_lines) and not raw_lines[i + 1].strip():
            followed_by_blank += 1
    blank_lines_meaningful = not lines or followed_by_blank / len(lines) < 0.6
    return lines, blank_lines_meaningful


# ---------------------------------------------------------------------------------------------
# Character classes

_CJK_PUNCT = set("。，、；：？！“”‘’（）《》〈〉「」『』【】…—～·")


def is_cjk(ch: str) -> bool:
    """CJK ideograph or full-width punctuation: glued to its neighbours without spaces."""
    if not ch:
        return False
    if ch in _CJK_PUNCT:
        return True
    code = ord(ch)
    return (
        0x3400 <= code <= 0x4DBF
        or 0x4E00 <= code <= 0x9FFF
        or 0xF900 <= code <= 0xFAFF
        or 0x3000 <= code <= 0x303F
        or 0xFF00 <= code <= 0xFFEF
    )


def is_cjk_punct(ch: str) -> bool:
    return ch in _CJK_PUNCT or (bool(ch) and (0x3000 <= ord(ch) <= 0x303F or 0xFF00 <= ord(ch) <= 0xFF0F))


def cjk_share(text: str) -> float:
    letters = [c for c in text if c.isalnum() or is_cjk(c)]
    if not letters:
        return 0.0
    return sum(1 for c in letters if is_cjk(c)) / len(letters)


# ---------------------------------------------------------------------------------------------
# Line kinds

SEPARATOR_RE = re.compile(r"^\s*_{5,}\s*$")
URL_RE = re.compile(r"^\s*(https?://\S+)\s*$")
UNDOCS_URL_RE = re.compile(r"^https?://(?:www\.)?undocs\.org/(?:(?:[a-z]{2})/)?(.+)$", re.IGNORECASE)
FOOTNOTE_START_RE = re.compile(r"^\s*(\d{1,4})\s+(\S.*)$")

# Numbered headings: "23.  United Nations…", "A. Videoconferences…", "IV. …".
NUMBERED_HEADING_RE = re.compile(r"^\s*((?:\d{1,3})|(?:[IVXLC]{1,7})|(?:[A-Z]))\.\s+(\S.*)$")
_ROMAN_RE = re.compile(r"^[IVXLC]+$")

# Sentence-final punctuation at the end of a line; a trailing footnote marker after it
# (`宣布的。639`, `enablers.215`) does not hide the sentence end.
_SENTENCE_END_CHARS = "。.；;：:!?！？…"
_CLOSERS = "”\"’')）」』"
_TRAILING_MARKER_RE = re.compile(r"(?<=[" + re.escape(_SENTENCE_END_CHARS + _CLOSERS) + r"])\s*\d{1,4}$")


def is_separator(text: str) -> bool:
    return bool(SEPARATOR_RE.match(text))


def url_of(text: str) -> str | None:
    m = URL_RE.match(text)
    return m.group(1) if m else None


def ends_sentence(text: str) -> bool:
    """Does `text` end a sentence (so that what follows may start a new paragraph)?

    Closing quotes and brackets count only after sentence punctuation (`…。”`), since a line can
    end inside a quotation (`在“以行动促维和”` / `倡议中…`).
    """
    t = _TRAILING_MARKER_RE.sub("", text[-80:].rstrip())  # only the end matters; keeps long text cheap
    if not t:
        return True
    while t and t[-1] in _CLOSERS:
        t = t[:-1]
        if not t:
            return False
        if t[-1] in _SENTENCE_END_CHARS:
            return True
        if t[-1] not in _CLOSERS:
            return False
    return t[-1] in _SENTENCE_END_CHARS


# Sentence punctuation that does not close a paragraph: a list or a lead-in goes on ("措施，包括：",
# "(a) …；(b) …", "as follows:").
_CLAUSE_END_CHARS = ";；:："
# English abbreviations whose full stop ends no sentence ("para." / " 4", "Mr." / " Lacroix").
_ABBREVIATION_END_RE = re.compile(
    r"(?:^|[\s(（])(?:paras?|Nos?|Mr|Mrs|Ms|Dr|St|Messrs|e\.g|i\.e|cf|vol|pp?|art|arts|sect|chap|resp|approx|"
    r"Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sept?|Oct|Nov|Dec)\.$"
)


def closes_paragraph(text: str) -> bool:
    """Does `text` end where a paragraph may end (so that an indented line after it starts a new one)?

    Stricter than `ends_sentence`: a clause end (`；`, `:`) or an abbreviation (`para.`, `Mr.`)
    at the end of a column leaves the paragraph open, so the next column's first line, even with
    a stray leading space, continues it (NOTES.md: a continuation "continues the paragraph whose
    last line did not end a sentence").
    """
    if not ends_sentence(text):
        return False
    t = _TRAILING_MARKER_RE.sub("", text[-80:].rstrip())
    core = t.rstrip(_CLOSERS)
    if core and core[-1] in _CLAUSE_END_CHARS:
        return False
    return not _ABBREVIATION_END_RE.search(core)


def heading_rank(text: str) -> int | None:
    """Rank of a numbered heading's numbering style (roman 1, arabic 2, letter 3), or None."""
    m = NUMBERED_HEADING_RE.match(text)
    if not m:
        return None
    label = m.group(1)
    if label.isdigit():
        return 2
    if len(label) > 1 or (label in "IVX" and _ROMAN_RE.match(label)):
        # A lone "I."/"V."/"X." is more often a roman numeral than a letter in these documents.
        return 1
    return 3


def is_short(text: str, cjk_max: int = 30, latin_max: int = 90) -> bool:
    """Short enough to be a heading or a table header rather than a full body line."""
    t = text.strip()
    return len(t) <= (cjk_max if cjk_share(t) > 0.3 else latin_max)


def looks_like_heading(text: str) -> bool:
    """A line that could be a heading: no sentence end, and numbered or short."""
    t = text.strip()
    if not t or ends_sentence(t) or URL_RE.match(t) or SEPARATOR_RE.match(t):
        return False
    if t[-1] in ",，、;；(（-–":
        return False
    if heading_rank(t) is not None:
        return is_short(t, cjk_max=60, latin_max=160)
    if t[0].isdigit() or t[0].islower():
        return False
    return is_short(t)


def normalize_heading(text: str) -> str:
    return re.sub(r"\s+", " ", text.strip())


# ---------------------------------------------------------------------------------------------
# Joining wrapped lines

# Words before a line-end hyphen that form real compounds ("non-State", "co-chairs", "self-defence").
HYPHEN_PREFIXES = frozenset(
    "non co self well long short cross all ex half anti post pre mid inter intra ill "
    "high low full large small wide first second third one two three four five".split()
)
# Words after a line-end hyphen that form real compounds ("troop-contributing", "gender-sensitive").
HYPHEN_SUFFIXES = frozenset(
    "contributing related based led level making term wide scale specific sensitive responsive owned "
    "oriented driven sharing building keeping General Generals".split()
)
# Except that UN style writes these solid: "peacekeeping", "peacebuilding".
SOLID_COMPOUNDS = frozenset({"peacekeeping", "peacebuilding", "peacemaking"})

_WORD_BEFORE_HYPHEN = re.compile(r"([A-Za-z]+)-$")
_WORD_AT_START = re.compile(r"^([A-Za-z]+)")


def join_lines(left: str, right: str) -> str:
    """Glue a hard-wrapped line `right` onto `left` the way a reader expects.

    - CJK with CJK (or with full-width punctuation): nothing in between.
    - Latin/digit with Latin/digit: a space; CJK with Latin/digit: a space (the source writes
      `第 2518(2020)号决议`, `2020 年`).
    - A line-end hyphen: dropped when it only splits a word (`peace-`/`keeping`), kept when the
      compound is real (`non-`/`State`, `troop-`/`contributing`), kept with a space when it is a
      suspended hyphen (`troop-`/`and police-contributing`).
    """
    left = left.rstrip()
    right = right.strip()
    if not left:
        return right
    if not right:
        return left
    m = _WORD_BEFORE_HYPHEN.search(left[-80:])
    if m and right[0].isalnum():
        before = m.group(1)
        after_m = _WORD_AT_START.match(right)
        after = after_m.group(1) if after_m else ""
        if re.match(r"^(?:and|or|nor|to)\b", right) or right[0] in ",;":
            return f"{left} {right}"
        if (before + after).lower() in SOLID_COMPOUNDS:
            return left[:-1] + right
        if (
            before.lower() in HYPHEN_PREFIXES
            or after in HYPHEN_SUFFIXES
            or re.match(r"^[A-Za-z]+-[A-Za-z]", right)  # a chain: "(for-" / "against-abstaining)"
            or right[0].isupper()
            or right[0].isdigit()
            or (before.isupper() and len(before) > 1)
        ):
            return left + right
        return left[:-1] + right
    a, b = left[-1], right[0]
    if a in "-–—/(（[" or b in ")）],.;:!?%，。；：、！？":
        return left + right
    if (a in ")]" and is_cjk(b)) or (is_cjk(a) and b in "(["):
        return left + right  # "第 2518(2020)" / "号决议", "报告" / "(S/2020/946)"
    if is_cjk_punct(a) or is_cjk_punct(b):
        return left + right
    if is_cjk(a) and is_cjk(b):
        return left + right
    return f"{left} {right}"


def normalize_text(text: str) -> str:
    """NFC and single spaces; the record's own spacing (`2020 年`) is otherwise kept."""
    return re.sub(r"[ \t\u00a0]+", " ", unicodedata.normalize("NFC", text)).strip()
