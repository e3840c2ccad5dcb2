"""The ranking steps of `HybridRetriever.search`, as pure functions over small typed records.

`rag.retrieve` gathers the inputs (BM25 scores, dense hits, the rows a question names) from its
index; everything that turns them into an order lives here, one step per function, so each step
is unit-tested on a handful of hand-made rows (tests/rag/test_fusion.py) instead of only through
whole searches. The steps, in order (the formulas are in rag.retrieve's module docstring):

1. `lexical_ranks`, `dense_ranks`, `rank_among`: ranks within each language, and the spans the
   score-aware parts are normalised over;
2. `fuse`: one chunk's dense part, lexical part and boost (`ChunkScore`);
3. `merge_languages`: the language versions of one passage become one `Passage`;
4. `adjust`: the passage-level factors (documents the question does not name, records dated outside
   the period it names, table rows);
5. `rank_passages`: the final order, each passage shown by its `representative` version;
6. `with_record_text`: a card in the head whose record has no passage there gives its place to the
   record's best passage;
7. `with_singled_out`: the best passages of the one or two records a question describes lead.

No step reads the environment or a store: the weights come in as a `Weights` record, which the
composition root builds from settings (ui.settings.RetrievalSettings).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Hashable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field

import numpy as np

from rag.lexical import top_k


@dataclass(frozen=True)
class Weights:
    """The ranking's tuning, in units of one top-1 RRF hit `unit` = 1/(rrf_k + 1) for the boosts."""

    rrf_k: int = 60
    dense_weight: float = 1.0
    dense_score_weight: float = 0.5
    lexical_weight: float = 1.0
    lexical_score_weight: float = 2.0
    cross_lingual_dense_factor: float = 1.0
    cross_lingual_lexical_factor: float = 0.85
    symbol_boost: float = 1.0
    date_boost: float = 0.5
    card_boost: float = 0.5
    described_boost: float = 0.5
    act_boost: float = 0.5
    definition_boost: float = 1.0
    unnamed_factor: float = 0.6
    citing_factor: float = 0.6
    table_factor: float = 0.7
    period_factor: float = 0.5

    @property
    def unit(self) -> float:
        return 1.0 / (self.rrf_k + 1)


# ---------------------------------------------------------------------- 1. ranks within languages


@dataclass(frozen=True)
class DenseHit:
    """A chunk's dense rank and cosine, with the cosine span of the list it was ranked in."""

    rank: int
    cosine: float
    lo: float
    hi: float

    def relative(self) -> float:
        """The cosine min-max normalised over its list (1.0 for a list of equal cosines)."""
        if self.hi > self.lo:
            return min(1.0, max(0.0, (self.cosine - self.lo) / (self.hi - self.lo)))
        return 1.0


def dense_ranks(hits_by_lang: Mapping[str | None, Sequence[tuple[int, float]]]) -> dict[int, DenseHit]:
    """{row: DenseHit} from best-first (row, cosine) lists, ranked within each list."""
    out: dict[int, DenseHit] = {}
    for hits in hits_by_lang.values():
        if not hits:
            continue
        lo, hi = min(c for _, c in hits), max(c for _, c in hits)
        for rank, (row, cos) in enumerate(hits, 1):
            out[row] = DenseHit(rank=rank, cosine=cos, lo=lo, hi=hi)
    return out


def rank_among(cosine: float, listed: Sequence[float]) -> DenseHit:
    """A chunk outside the dense lists, ranked among the cosines of its language's list.

    Used for lexical-only candidates, whose cosine comes from their stored vector: without it a
    passage that wins BM25 outright would get no dense credit at all.
    """
    rank = 1 + sum(1 for c in listed if c > cosine)
    lo, hi = (min(listed), max(listed)) if listed else (cosine, cosine)
    return DenseHit(rank=rank, cosine=cosine, lo=lo, hi=hi)


@dataclass
class LexicalRanks:
    """BM25 scores of every row, with ranks taken within each language (top `n` of each)."""

    scores: np.ndarray
    rank: dict[int, int]
    in_lang: dict[str, np.ndarray]
    best: float  # the best score in any language (1.0 when nothing matched), the score-aware part's scale

    def rank_of(self, row: int, lang: str) -> int:
        """The row's rank within its language, counted when it is below the top `n`."""
        listed = self.rank.get(row)
        if listed:
            return listed
        return int(np.count_nonzero(self.in_lang[lang] & (self.scores > self.scores[row]))) + 1


def lexical_ranks(scores: np.ndarray, langs: np.ndarray, lang_list: Iterable[str], n: int) -> LexicalRanks:
    """Ranks and maxima per language, so the best Chinese passage for an English question competes
    with the best English one; the scale is the best passage of any language, so a weak English
    match never counts as much as a strong Chinese one just because it leads its language."""
    rank: dict[int, int] = {}
    best_of: dict[str, float] = {}
    in_lang: dict[str, np.ndarray] = {}
    for lang in lang_list:
        mask = in_lang[lang] = langs == lang
        top = top_k(np.where(mask, scores, 0.0), n)
        rank.update((int(r), i + 1) for i, r in enumerate(top))
        best_of[lang] = float(scores[top[0]]) if len(top) else 0.0
    return LexicalRanks(scores=scores, rank=rank, in_lang=in_lang, best=max(best_of.values(), default=0.0) or 1.0)


# ---------------------------------------------------------------------- 2. fusion


@dataclass(frozen=True)
class Boosts:
    """Rows boosted because the question names their document, a date they state, or their card,
    or describes their document (period and States/topics matching its record), or because they
    open with the addressed act it asks about, or define the names whose rendering in one language
    version it asks about."""

    symbol: frozenset[int] = frozenset()
    date: frozenset[int] = frozenset()
    card: frozenset[int] = frozenset()
    described: frozenset[int] = frozenset()
    act: frozenset[int] = frozenset()
    definition: frozenset[int] = frozenset()


@dataclass(frozen=True)
class ChunkScore:
    """One chunk's three score parts."""

    row: int
    dense: float
    lexical: float
    boost: float

    @property
    def total(self) -> float:
        return self.dense + self.lexical + self.boost


def dense_part(hit: DenseHit | None, foreign: bool, w: Weights) -> float:
    """RRF on the dense rank plus the min-max cosine (x the cross-lingual factor for another language)."""
    if hit is None:
        return 0.0
    d = w.dense_weight / (w.rrf_k + hit.rank) + w.dense_score_weight * w.unit * hit.relative()
    return d * w.cross_lingual_dense_factor if foreign else d


def lexical_part(score: float, rank: int, best: float, foreign: bool, w: Weights) -> float:
    """RRF on the BM25 rank plus BM25 relative to the best (score-aware: pure RRF ignores margins)."""
    if score <= 0:
        return 0.0
    part = w.lexical_weight / (w.rrf_k + rank) + w.lexical_score_weight * w.unit * score / best
    return part * w.cross_lingual_lexical_factor if foreign else part


def boost_part(row: int, boosts: Boosts, w: Weights) -> float:
    b = 0.0
    if row in boosts.symbol:
        b += w.symbol_boost * w.unit
    if row in boosts.date:
        b += w.date_boost * w.unit
    if row in boosts.card:
        b += w.card_boost * w.unit
    if row in boosts.described:
        b += w.described_boost * w.unit
    if row in boosts.act:
        b += w.act_boost * w.unit
    if row in boosts.definition:
        b += w.definition_boost * w.unit
    return b


def fuse(row: int, lang: str, question_lang: str, dense: Mapping[int, DenseHit], lexical: LexicalRanks,
         boosts: Boosts, w: Weights) -> ChunkScore:
    """One chunk's score parts (a chunk absent from a side gets 0 for it)."""
    foreign = lang != question_lang
    score = float(lexical.scores[row])
    lex = lexical_part(score, lexical.rank_of(row, lang), lexical.best, foreign, w) if score > 0 else 0.0
    return ChunkScore(row=row, dense=dense_part(dense.get(row), foreign, w), lexical=lex, boost=boost_part(row, boosts, w))


# ---------------------------------------------------------------------- 3. language merge


@dataclass(frozen=True)
class Passage:
    """The language versions of one passage; it keeps the best of each part over its versions."""

    members: tuple[ChunkScore, ...]

    @property
    def score(self) -> float:
        return (max(m.dense for m in self.members) + max(m.lexical for m in self.members)
                + max(m.boost for m in self.members))


def merge_languages(scores: Iterable[ChunkScore], key_of: Callable[[int], Hashable]) -> list[Passage]:
    """Group chunk scores by passage key (rag.retrieve.passage_key), in first-seen order."""
    groups: dict[Hashable, list[ChunkScore]] = defaultdict(list)
    for s in scores:
        groups[key_of(s.row)].append(s)
    return [Passage(tuple(members)) for members in groups.values()]


def representative(p: Passage, langs: np.ndarray, question_lang: str) -> int:
    """The version shown: the best-scoring one in the question's language when there is one."""
    pool = [m for m in p.members if langs[m.row] == question_lang] or list(p.members)
    return max(pool, key=lambda m: (m.total, -m.row)).row


# ---------------------------------------------------------------------- 4. adjustments


@dataclass(frozen=True)
class Adjustments:
    """What the passage-level factors depend on, for one question."""

    named_only: bool = False  # the question names documents that are held
    named_rows: frozenset[int] = frozenset()  # rows of or citing them
    own_rows: frozenset[int] = frozenset()  # rows of them (not merely citing them)
    asks_citing: bool = False  # the question asks which passages cite or recall a named document
    table_question: bool = False  # about the table of meetings: its rows are not demoted
    best_text_lexical: float = 0.0  # best BM25 of a prose (non-table-row) candidate
    out_of_period: frozenset[int] = frozenset()  # dated rows outside the period the question names


_DOCUMENT_TEXT = frozenset({"resolution_paragraph", "document_card"})  # a Council document's own text and card


def adjust(score: float, p: Passage, kinds: np.ndarray, lexical: np.ndarray, a: Adjustments, w: Weights) -> float:
    """Demote passages about documents the question does not name, passages of records dated outside
    the period it names, and rows that only repeat prose."""
    first_kind = kinds[p.members[0].row]
    if a.out_of_period and all(m.row in a.out_of_period for m in p.members):
        # "In July 2021, which crossing stayed open?": the time named is when the Council acted, and
        # the answer gate (rag.grounding) declines a passage of a record dated elsewhere; ranking
        # such a passage first only hides the record that can answer.
        score *= w.period_factor
    if a.named_only and not any(m.row in a.named_rows for m in p.members):
        # A document card speaks only of its own document: another one's card never answers.
        score *= w.unnamed_factor * (w.unnamed_factor if first_kind == "document_card" else 1.0)
    elif a.named_only and a.own_rows and not a.asks_citing and first_kind in _DOCUMENT_TEXT \
            and not any(m.row in a.own_rows for m in p.members):
        # "第1701(2006)号决议提出…": the question is about resolution 1701's text, held in English only;
        # the Chinese paragraphs of later resolutions recalling it share the question's words, not its
        # subject. (A Repertoire paragraph narrating the resolution is about it, and keeps its score.)
        score *= w.citing_factor
    if first_kind == "table_row" and not a.table_question and max(lexical[m.row] for m in p.members) <= a.best_text_lexical:
        score *= w.table_factor
    return score


def best_text_lexical(rows: Iterable[int], kinds: np.ndarray, lexical: np.ndarray) -> float:
    """A table row matching the question better than every prose candidate carries something of its own."""
    return max((float(lexical[r]) for r in rows if kinds[r] != "table_row"), default=0.0)


# ---------------------------------------------------------------------- 5. order


@dataclass(frozen=True)
class Ranked:
    """A ranked passage: the row shown, and the rows its dense and BM25 figures are taken from."""

    score: float
    row: int
    dense_source: int | None
    lexical_source: int | None


@dataclass
class RankInputs:
    """Everything `rank_passages` needs besides the candidate scores."""

    langs: np.ndarray
    kinds: np.ndarray
    question_lang: str
    dense: Mapping[int, DenseHit]
    lexical: np.ndarray
    adjustments: Adjustments = field(default_factory=Adjustments)


def rank_passages(passages: Iterable[Passage], inp: RankInputs, w: Weights) -> list[Ranked]:
    """Passages best first (ties: lower row first), each with its shown version and figure sources."""
    out: list[Ranked] = []
    for p in passages:
        score = adjust(p.score, p, inp.kinds, inp.lexical, inp.adjustments, w)
        rep = representative(p, inp.langs, inp.question_lang)
        dense_src = rep if rep in inp.dense else next((m.row for m in p.members if m.row in inp.dense), None)
        lex_src = rep if inp.lexical[rep] > 0 else next((m.row for m in p.members if inp.lexical[m.row] > 0), None)
        out.append(Ranked(score=score, row=rep, dense_source=dense_src, lexical_source=lex_src))
    out.sort(key=lambda r: (-r.score, r.row))
    return out


# ---------------------------------------------------------------------- 6. a card's record text


def with_record_text(ranked: list[Ranked], doc_of: Callable[[int], str], kinds: np.ndarray, top: int) -> list[Ranked]:
    """A document card among the first `top` whose record has no passage there gives its place to
    that record's best-ranked passage (with the card's score) and follows the first `top`.

    Why: a card says when and how a record was adopted and what it is about, in both languages,
    so a Chinese question finds the Chinese card of an English-only statement long before the
    statement's own paragraphs ("2024年6月关于保护平民的主席声明提到…" ranks the card of
    S/PRST/2024/4 second and the paragraph answering ninth). What the record says is in its text,
    and a question not about the card's facts (the caller's test) is answered from the text only:
    the card's rank vouches for the record, the record's own ranking for the passage. The card
    stays among the sources, after the passages an answer reads.
    """
    head = ranked[:top]
    with_text = {doc_of(r.row) for r in head if kinds[r.row] != "document_card"}
    out: list[Ranked] = []
    displaced: list[Ranked] = []
    moved: set[int] = set()
    for r in head:
        doc = doc_of(r.row)
        text = None
        if kinds[r.row] == "document_card" and doc not in with_text:
            text = next((o for o in ranked[top:] if o.row not in moved and kinds[o.row] != "document_card"
                         and doc_of(o.row) == doc), None)
        if text is None:
            out.append(r)
            continue
        out.append(Ranked(score=r.score, row=text.row, dense_source=text.dense_source, lexical_source=text.lexical_source))
        displaced.append(r)
        moved.add(text.row)
        with_text.add(doc)
    return out + displaced + [r for r in ranked[top:] if r.row not in moved]


# ---------------------------------------------------------------------- 7. the records a question singles out


def with_singled_out(ranked: list[Ranked], docs: Sequence[str], doc_of: Callable[[int], str], kinds: np.ndarray,
                     per_record: int, asked: Mapping[int, float] | None = None) -> list[Ranked]:
    """The best-ranked text passages of the records the question singles out lead the ranking:
    `per_record` of one record, `per_record // len(docs)` (at least one) of each of several. The
    order within them and among the rest stands, and each place keeps its score (the list stays
    sorted by score; the moved passages take the places' scores, as `with_record_text` does).

    Why: "2025年12月，联合国脱离接触观察员部队的任务被延长了多久？" describes one record, S/RES/2811
    (2025), by its month and mission, but the record is held in English only; its paragraphs share
    few words with the Chinese question and a small multilingual embedder scores them low, so
    Chinese paragraphs of the earlier UNDOF renewals outrank it (halved as out of period, they
    still lead). The question as asked can only be answered from the record it singles out; its
    own ranking says which of its passages come first. Cards stay where they are: a record's
    card says when it was adopted, not what it says.

    `asked`, when given, scores each row as the ranking does but with the lexical part of the
    question proper alone (rag.question.Question.main_clause), and orders the passages leading by
    it. Where a leading clause only says which record is meant ("Under the counter-terrorism
    resolution the Council adopted after the 11 September 2001 attacks, how quickly must States
    freeze the funds …?"), its words ("attacks", "September") fit the records it describes, and
    found them; within them they only favour the passages repeating the description (1368
    (2001): "the terrorist attacks of 11 September 2001") over the one answering ("freeze without
    delay funds … of persons who commit … terrorist acts"). Ties keep the ranking's order.
    """
    if not docs or per_record <= 0:
        return ranked
    want = max(1, per_record // len(docs))
    place = {r.row: i for i, r in enumerate(ranked)}

    def key(r: Ranked) -> tuple[float, int]:
        return (-asked.get(r.row, 0.0) if asked is not None else 0.0, place[r.row])

    lead: list[Ranked] = []
    for d in docs:
        lead.extend(sorted((r for r in ranked if kinds[r.row] != "document_card" and doc_of(r.row) == d), key=key)[:want])
    if not lead:
        return ranked
    lead.sort(key=key)
    moved = {r.row for r in lead}
    order = lead + [r for r in ranked if r.row not in moved]
    return [Ranked(score=ranked[i].score, row=r.row, dense_source=r.dense_source, lexical_source=r.lexical_source)
            for i, r in enumerate(order)]
