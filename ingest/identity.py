"""What document a Repertoire file holds, whatever its format or file name; and a fingerprint of its passages.

One Repertoire section may reach the index twice: as the PDF and as text extracted from it, or
as two copies under different names. Identity taken from the file name made those two documents
with clashing or duplicated passages. Identity is taken from what the record itself says instead,
and only from what both formats (and both language editions) print the same way:

- the supplement's year: the year most of the cited symbols and dated meetings carry
  (`S/2020/514`, `2518(2020)`, `30 March 2020` / `2020 年 3 月 30 日`);
- the section's number, from its first numbered heading (`23. United Nations peacekeeping
  operations` / `23. 联合国维持和平行动`);
- the first footnote's number: footnotes are numbered through the whole supplement, so this
  pins the section within it, and it is the same in every language edition. A section without
  footnotes falls back on the set of symbols it cites, and a text without any on its own words.

So `repertoire-2020-s23-fn639` is the Chinese text, the English text and either one's PDF: the
language versions share a `doc_id` (as resolutions share their symbol), and a second format of
one language produces the same chunk ids as the first.

`content_fingerprint` tells whether two parses of one document hold the same passages: it hashes
the chunks' text and footnotes with spacing, punctuation, hyphenation and case removed, which are
what PDF and text extraction may render differently. Equal fingerprints: a copy, skip it. Same
`doc_id`, different fingerprint: another rendering or version of the document, for the store to
keep one of (skip with a note, or replace when asked).
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from collections import Counter
from collections.abc import Iterable

from ingest.chunk import Chunk

_YEAR_IN_SYMBOL_RE = re.compile(r"(?:^|/)((?:19|20)\d{2})(?:/|$)|\(((?:19|20)\d{2})\)")
_NUMBERED_RE = re.compile(r"^\s*(\d{1,3}|[IVXLC]{1,7}|[A-Z])\.\s+\S")


def _year_of_symbol(symbol: str) -> int | None:
    m = _YEAR_IN_SYMBOL_RE.search(symbol)
    if not m:
        return None
    return int(m.group(1) or m.group(2))


def supplement_year(chunks: Iterable[Chunk]) -> int | None:
    """The year most cited symbols and dated table rows carry (latest on a tie), or None."""
    years: Counter[int] = Counter()
    for c in chunks:
        for s in c.symbols:
            y = _year_of_symbol(s)
            if y:
                years[y] += 1
        if c.date and c.kind == "table_row":
            years[int(c.date[:4])] += 2  # a meeting listed in the section's own table
    if not years:
        return None
    best = max(years.values())
    return max(y for y, n in years.items() if n == best)


def section_number(chunks: Iterable[Chunk]) -> str | None:
    """Label of the first numbered heading in the chunks' section paths (`23`, `iv`, `a`)."""
    for c in chunks:
        for part in c.section.split(" > "):
            m = _NUMBERED_RE.match(part)
            if m:
                return m.group(1).lower()
    return None


def _short_hash(text: str, n: int = 10) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:n]


def squash(text: str) -> str:
    """Letters and digits only, NFKC and case-folded: what survives any extraction."""
    return "".join(ch for ch in unicodedata.normalize("NFKC", text).casefold() if ch.isalnum())


def repertoire_doc_id(chunks: list[Chunk]) -> str:
    """Format- and language-independent id of the Repertoire section these chunks came from."""
    parts = ["repertoire"]
    year = supplement_year(chunks)
    if year:
        parts.append(str(year))
    label = section_number(chunks)
    if label:
        parts.append(f"s{label}")
    numbers = [int(f.number) for c in chunks if c.kind == "paragraph" for f in c.footnotes if f.number.isdigit()]
    if numbers:
        parts.append(f"fn{min(numbers)}")
    else:
        symbols = sorted({s for c in chunks for s in c.symbols})
        if symbols:
            parts.append("c" + _short_hash("|".join(symbols), 8))
        else:
            parts.append("t" + _short_hash(squash(" ".join(c.text for c in chunks[:3]))))
    return "-".join(parts)


def content_fingerprint(chunks: Iterable[Chunk]) -> str:
    """Hash of the passages (kind, text, footnotes) in order, blind to spacing, punctuation and case.

    Works for the chunks of any parser; the store can keep it per file to recognise a copy.
    """
    h = hashlib.sha256()
    for c in chunks:
        h.update(c.kind.encode())
        h.update(b"\x1f")
        h.update(squash(c.text).encode("utf-8"))
        for f in c.footnotes:
            h.update(b"\x1e")
            h.update(squash(f"{f.number} {f.text}").encode("utf-8"))
        h.update(b"\x1d")
    return h.hexdigest()[:20]


def file_identity(chunks: list[Chunk]) -> tuple[str, str, str] | None:
    """(doc_id, lang, fingerprint) of one file's chunks: what the store compares between files.

    Same doc_id and lang, same fingerprint: a copy (skip it, with a note). Same doc_id and lang,
    different fingerprint: another rendering or version of that document (keep the stored one
    with a note, or replace it when asked). Same doc_id, other lang: the other official version.
    None for a file whose chunks span several documents or languages (compare per chunk id then).
    """
    keys = {(c.doc_id, c.lang) for c in chunks}
    if len(keys) != 1:
        return None
    doc_id, lang = keys.pop()
    return doc_id, lang, content_fingerprint(chunks)
