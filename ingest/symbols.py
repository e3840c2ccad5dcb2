"""UN document symbols: find them in Chinese or English prose, normalise them, link them.

The records cite the same document in many spellings: `第 2518(2020)号决议`, `第2378(2017)和
2436(2018)号决议` (two symbols in one phrase), `resolution 2518 (2020)`, `S/RES/2518 (2020)`.
Everything downstream (filters, boosts, links, the dev set's `symbols`) compares canonical forms,
so this module is the one place that knows the spellings. Canonical form has no spaces:
`S/RES/2518(2020)`; other symbols (`S/2020/514`, `S/PV.8700`, `S/PRST/2020/1`) stay as written.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

UNDOCS = "https://undocs.org"

# undocs.org language codes differ from ISO 639-1 for Chinese ("ch").
_UNDOCS_LANG = {"zh": "ch", "en": "en", "fr": "fr", "es": "es", "ru": "ru", "ar": "ar"}

_NUM_YEAR = r"(\d{1,4})\s*[(（]\s*(\d{4})\s*[)）]"
_NUM_YEAR_RE = re.compile(_NUM_YEAR)

# 第 2518(2020)号决议 / 第2378(2017)和2436(2018)号决议 / 第 2378(2017)、2436(2018)及2518(2020)号决议
_ZH_RESOLUTIONS = re.compile(
    r"第\s*" + _NUM_YEAR + r"(?:\s*(?:[、,，和及与]|以及)\s*" + _NUM_YEAR + r")*\s*号(?:决议)?"
)
# resolution 2518 (2020) / resolutions 2378 (2017) and 2436 (2018) / resolutions 1325 (2000), 1820 (2008) and 2242 (2015)
_EN_RESOLUTIONS = re.compile(
    r"\b[Rr]esolutions?\s+" + _NUM_YEAR + r"(?:\s*(?:,\s*and|,|and|&)\s*" + _NUM_YEAR + r")*"
)
_OTHER_SYMBOLS = re.compile(
    r"(?<![A-Za-z0-9_/])("  # a CJK character may stand right before a symbol ("否决了S/2024/312")
    r"S/RES/\d{1,4}\s*[(（]\s*\d{4}\s*[)）]"
    r"|S/PRST/\d{4}/\d+"
    r"|S/PV\.\d+(?:\s*\((?:Resumption|Part)\s*\d+\))?"
    r"|S/\d{4}/\d+"
    r"|A/RES/\d+/\d+"
    r"|A/\d{2,3}/\d+"
    r"|A/ES-\d+/[\w.]+"
    r")((?:/(?:Add|Rev|Corr|Amend)\.\d+)*)"
)
_URL = re.compile(r"https?://\S+")

# Question-side references that omit the year: "2518号决议", "resolution 2518", "第2518号决议".
_ZH_NUMBER_ONLY = re.compile(r"(?:第\s*)?(?<![\d/])(\d{3,4})\s*号决议(?!草案)")  # not "S/2024/312号决议草案"
_EN_NUMBER_ONLY = re.compile(r"\b[Rr]esolutions?\s+(?:No\.?\s*)?(\d{3,4})\b(?!\s*[(（])")
_BARE_NUMBER_YEAR = re.compile(r"(?<![\d/])" + _NUM_YEAR)


@dataclass(frozen=True)
class SymbolMention:
    """A symbol found in a text, with the span of the phrase that cites it."""

    symbol: str
    start: int
    end: int


def resolution_symbol(number: int | str, year: int | str) -> str:
    """Canonical symbol of Security Council resolution `number` (`year`)."""
    return f"S/RES/{int(number)}({int(year)})"


def canonical(symbol: str) -> str:
    """Normalise one symbol as written (`S/RES/2518 (2020)`, full-width brackets) to canonical form."""
    s = unicodedata.normalize("NFKC", symbol).strip()
    m = re.fullmatch(r"S/RES/(\d{1,4})\s*\(\s*(\d{4})\s*\)", s)
    if m:
        return resolution_symbol(m.group(1), m.group(2))
    return re.sub(r"\s+", " ", s)


def undocs_link(symbol: str, lang: str) -> str:
    """undocs.org link of `symbol` in `lang`; undocs.org serves every official language."""
    code = _UNDOCS_LANG.get(lang, lang)
    return f"{UNDOCS}/{code}/{canonical(symbol)}"


def find_symbols(text: str) -> list[SymbolMention]:
    """All document symbols cited in `text`, in order of appearance, URLs excluded.

    A phrase naming several resolutions yields one mention per resolution, each spanning the
    whole phrase.
    """
    masked = _URL.sub(lambda m: " " * len(m.group(0)), text)
    found: list[SymbolMention] = []
    taken: list[tuple[int, int]] = []
    for pattern in (_ZH_RESOLUTIONS, _EN_RESOLUTIONS):
        for m in pattern.finditer(masked):
            for n, y in _NUM_YEAR_RE.findall(m.group(0)):
                found.append(SymbolMention(resolution_symbol(n, y), m.start(), m.end()))
            taken.append((m.start(), m.end()))
    for m in _OTHER_SYMBOLS.finditer(masked):
        if any(a <= m.start() < b for a, b in taken):
            continue
        found.append(SymbolMention(canonical(m.group(1)) + m.group(2), m.start(), m.end()))
    found.sort(key=lambda s: (s.start, s.end))
    return found


def symbols_in(text: str) -> list[str]:
    """Distinct canonical symbols cited in `text`, in order of first appearance."""
    return unique(m.symbol for m in find_symbols(text))


def resolution_numbers_in(text: str) -> list[int]:
    """Resolution numbers a question names, with or without the year ("2518号决议", "resolution 2518").

    Retrieval uses these to match `S/RES/2518(*)` when the asker leaves the year out.
    """
    numbers: list[int] = [int(s.symbol.split("/")[2].split("(")[0]) for s in find_symbols(text) if s.symbol.startswith("S/RES/")]
    for pattern in (_ZH_NUMBER_ONLY, _EN_NUMBER_ONLY):
        numbers.extend(int(m.group(1)) for m in pattern.finditer(text))
    # A bare "2518(2020)" in a question is a resolution too.
    numbers.extend(int(m.group(1)) for m in _BARE_NUMBER_YEAR.finditer(text) if len(m.group(1)) >= 3)
    return unique(numbers)


def unique(items) -> list:
    """Items in first-seen order without repeats."""
    seen: set = set()
    out = []
    for item in items:
        if item not in seen:
            seen.add(item)
            out.append(item)
    return out
