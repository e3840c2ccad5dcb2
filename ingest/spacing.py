"""Find a passage inside a record's text when the two differ only in spacing and character width.

The Chinese records write numbers apart from the characters around them (`3 月 30 日`,
`第 2518(2020)号`), mix full-width and half-width punctuation (`（`/`(`, `，`/`,`), and text that
quotes them (an answer's supporting sentence, a question) often does not. Matching therefore
compares normalised strings: NFKC (full width → half width, compatibility forms folded) with all
whitespace and zero-width characters removed. What the user sees, however, is the original
text, so a match found in the normalised string has to be mapped back to a span of the original.

`Normalised` keeps that map: for each normalised character, the span of original characters it
came from (a base character with its combining marks is normalised as one unit, so `e` + U+0301
maps back as a whole). Pure functions, no I/O: the UI's highlighter (`ui.render`) and any
quote checker can use them.

    >>> find_span("3 月 30 日，安理会通过了第 2518(2020)号决议。", "3月30日，安理会通过了第2518（2020）号决议")
    (0, 30)
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass

# Characters that never carry meaning in a match: whitespace (incl. U+3000) and zero-width ones.
_INVISIBLE = frozenset("\u200b\u200c\u200d\u2060\ufeff\u00ad")


def _dropped(ch: str) -> bool:
    return ch.isspace() or ch in _INVISIBLE


@dataclass(frozen=True)
class Normalised:
    """A normalised string plus, per normalised character, its [start, end) in the original."""

    original: str
    text: str
    starts: tuple[int, ...]
    ends: tuple[int, ...]

    def original_span(self, start: int, end: int) -> tuple[int, int]:
        """Span of the original covering normalised [start, end); empty spans stay empty.

        The span starts at the first original character of text[start] and ends after the last
        original character of text[end - 1], so spaces inside the match are included and spaces
        around it are not.
        """
        n = len(self.text)
        if not 0 <= start <= end <= n:
            raise ValueError(f"span ({start}, {end}) outside normalised text of length {n}")
        if start == end:
            pos = self.starts[start] if start < n else len(self.original)
            return pos, pos
        return self.starts[start], self.ends[end - 1]


def normalise(text: str, casefold: bool = False) -> Normalised:
    """NFKC, whitespace removed (optionally case-folded), with the map back to `text`."""
    out: list[str] = []
    starts: list[int] = []
    ends: list[int] = []
    i, n = 0, len(text)
    while i < n:
        j = i + 1
        while j < n and unicodedata.combining(text[j]):
            j += 1  # a base character and its combining marks normalise together
        unit = unicodedata.normalize("NFKC", text[i:j])
        if casefold:
            unit = unit.casefold()
        for ch in unit:
            if _dropped(ch):
                continue
            out.append(ch)
            starts.append(i)
            ends.append(j)
        i = j
    return Normalised(text, "".join(out), tuple(starts), tuple(ends))


def find_span(original: str, needle: str, start: int = 0, casefold: bool = False) -> tuple[int, int] | None:
    """Span of `original` that `needle` matches once both are normalised, or None.

    `start` is an offset in `original`: the search begins at the first normalised character that
    comes from at or after it (so repeated sentences can be found one after another).
    """
    hay = normalise(original, casefold)
    pin = normalise(needle, casefold).text
    if not pin:
        return None
    from_norm = next((k for k, s in enumerate(hay.starts) if s >= start), len(hay.text))
    at = hay.text.find(pin, from_norm)
    if at < 0:
        return None
    return hay.original_span(at, at + len(pin))


def find_spans(original: str, needles: list[str], casefold: bool = False) -> list[tuple[int, int] | None]:
    """`find_span` for several needles against one original, normalising the original once."""
    hay = normalise(original, casefold)
    spans: list[tuple[int, int] | None] = []
    for needle in needles:
        pin = normalise(needle, casefold).text
        at = hay.text.find(pin) if pin else -1
        spans.append(hay.original_span(at, at + len(pin)) if at >= 0 else None)
    return spans


def find_all_spans(original: str, needle: str, casefold: bool = False) -> list[tuple[int, int]]:
    """Every non-overlapping span of `original` that `needle` matches once both are normalised.

    The drop-in for `str.find` loops that highlight a sentence in a record's text: the record may
    space its numbers (`3 月 30 日`) and use full-width punctuation where the sentence does not.
    """
    hay = normalise(original, casefold)
    pin = normalise(needle, casefold).text
    spans: list[tuple[int, int]] = []
    if not pin:
        return spans
    at = hay.text.find(pin)
    while at >= 0:
        spans.append(hay.original_span(at, at + len(pin)))
        at = hay.text.find(pin, at + len(pin))
    return spans
