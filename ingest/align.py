"""Pair each paragraph of a document with the same paragraph in its other official language.

Why: every 2020+ resolution exists in Chinese and English, and the other version is the official
translation, not ours. An English question answered from a Chinese paragraph should quote the
official English text of that same paragraph, so answers need the "twin" of a chunk.

Why not the XML's `eId`: it differs between the language versions in about 50 resolutions (one
version marks a heading as a paragraph, or splits a paragraph in two). The paragraph *number* is
what the Council cites, and for operative paragraphs it is printed in the text, so it is the key.
Long paragraphs are split into pieces by length, which differs between languages, so a paragraph
split in one language and whole in the other is paired as a group. Unnumbered blocks (preambular
paragraphs, annexes) carry ordinals we assigned; when both versions have the same number of them
in a part, the ordinals pair them; when the counts differ (a merged or split block), they are
aligned in order by the numbers, years and symbols both versions must share, and a pair is only
made where that evidence agrees.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from ingest.chunk import Chunk

# Position grammar of paragraph chunk ids (ingest.akn): part + number, optional ".piece" for the
# pieces of a long paragraph, optional "-n" for a repeated number. Parts: pre, op, annexN., stmt...
_POSITION = re.compile(r"^(?P<part>annex\d+\.|[a-z]+)(?P<num>\d+)(?P<piece>(?:\.\d+)?)(?P<dup>(?:-\d+)?)$")
# Shared evidence between language versions: digits (paragraph refs, years, dates, symbols).
_NUMBER = re.compile(r"\d+")


@dataclass(frozen=True)
class ParagraphKey:
    """Where a chunk sits in its document, independent of its language."""

    part: str
    number: int
    dup: str
    piece: int


def paragraph_key(chunk: Chunk) -> ParagraphKey | None:
    """The language-independent position of a paragraph chunk, or None for cards and other chunks."""
    if chunk.kind != "resolution_paragraph":
        return None
    position = chunk.id.rsplit("|", 1)[-1]
    m = _POSITION.match(position)
    if not m:
        return None
    piece = int(m.group("piece")[1:]) if m.group("piece") else 0
    return ParagraphKey(m.group("part"), int(m.group("num")), m.group("dup"), piece)


def _numbers(text: str) -> set[str]:
    return set(_NUMBER.findall(text))


def _similar(a: str, b: str) -> float:
    """Evidence that two paragraphs are translations of each other: shared numbers, then length."""
    na, nb = _numbers(a), _numbers(b)
    if na or nb:
        return len(na & nb) / len(na | nb)
    return 0.5  # no numbers on either side: neutral, let the order decide


def _align_in_order(a: Sequence[str], b: Sequence[str]) -> list[tuple[int, int]]:
    """Monotone alignment of two paragraph sequences maximising shared-number evidence.

    Needleman-Wunsch with a gap cost: paragraphs pair only when the evidence is at least neutral,
    so a block merged in one version stays unpaired rather than shifting every later pair.
    """
    gap = -0.2
    n, m = len(a), len(b)
    score = [[0.0] * (m + 1) for _ in range(n + 1)]
    back = [[0] * (m + 1) for _ in range(n + 1)]
    for i in range(1, n + 1):
        score[i][0], back[i][0] = score[i - 1][0] + gap, 1
    for j in range(1, m + 1):
        score[0][j], back[0][j] = score[0][j - 1] + gap, 2
    for i in range(1, n + 1):
        for j in range(1, m + 1):
            s = _similar(a[i - 1], b[j - 1])
            options = (
                (score[i - 1][j - 1] + (s - 0.25 if s >= 0.5 else -1.0), 0),
                (score[i - 1][j] + gap, 1),
                (score[i][j - 1] + gap, 2),
            )
            score[i][j], back[i][j] = max(options)
    pairs: list[tuple[int, int]] = []
    i, j = n, m
    while i > 0 and j > 0:
        step = back[i][j]
        if step == 0:
            pairs.append((i - 1, j - 1))
            i, j = i - 1, j - 1
        elif step == 1:
            i -= 1
        else:
            j -= 1
    return pairs[::-1]


_Group = tuple[str, int, str]  # part, number, dup: one paragraph, possibly in several pieces


def _groups(chunks: Iterable[Chunk]) -> dict[_Group, list[Chunk]]:
    groups: dict[_Group, list[Chunk]] = defaultdict(list)
    for c in chunks:
        key = paragraph_key(c)
        if key is not None:
            groups[(key.part, key.number, key.dup)].append(c)
    for pieces in groups.values():
        pieces.sort(key=lambda c: paragraph_key(c).piece)  # type: ignore[union-attr]
    return groups


def _pair_groups(ga: dict[_Group, list[Chunk]], gb: dict[_Group, list[Chunk]]) -> list[tuple[_Group, _Group]]:
    """Pairs of paragraphs: operative by number; other parts by ordinal when counts agree, else in order."""
    pairs: list[tuple[_Group, _Group]] = []
    parts = {g[0] for g in ga} | {g[0] for g in gb}
    for part in sorted(parts):
        ka = sorted(g for g in ga if g[0] == part)
        kb = sorted(g for g in gb if g[0] == part)
        if part == "op" or ka == kb:
            # Operative numbers are printed in the text: the same number is the same paragraph.
            pairs.extend((g, g) for g in ka if g in gb)
            continue
        text_a = [" ".join(c.text for c in ga[g]) for g in ka]
        text_b = [" ".join(c.text for c in gb[g]) for g in kb]
        pairs.extend((ka[i], kb[j]) for i, j in _align_in_order(text_a, text_b))
    return pairs


def twins(chunks: Iterable[Chunk]) -> dict[str, list[str]]:
    """Chunk id → ids of the same paragraph in each other language of its document, in reading order.

    A paragraph split into the same number of pieces in both languages pairs piece by piece;
    otherwise each piece points at the whole paragraph in the other language. Chunks without an
    official counterpart (English-only documents, unmatched blocks) are absent from the map.
    """
    by_doc: dict[str, dict[str, list[Chunk]]] = defaultdict(lambda: defaultdict(list))
    for c in chunks:
        if c.kind == "resolution_paragraph":
            by_doc[c.doc_id][c.lang].append(c)
    out: dict[str, list[str]] = {}
    for langs in by_doc.values():
        names = sorted(langs)
        for x in range(len(names)):
            for y in range(x + 1, len(names)):
                ga, gb = _groups(langs[names[x]]), _groups(langs[names[y]])
                for a, b in _pair_groups(ga, gb):
                    pa, pb = ga[a], gb[b]
                    if len(pa) == len(pb):
                        for ca, cb in zip(pa, pb, strict=True):
                            out.setdefault(ca.id, []).append(cb.id)
                            out.setdefault(cb.id, []).append(ca.id)
                    else:
                        for ca in pa:
                            out.setdefault(ca.id, []).extend(c.id for c in pb)
                        for cb in pb:
                            out.setdefault(cb.id, []).extend(c.id for c in pa)
    return out
