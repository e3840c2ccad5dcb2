"""Hybrid retrieval: dense (store) + BM25 (rag.lexical), fused by reciprocal rank, plus boosts.

Ranking of a question (`HybridRetriever.search`); defaults in brackets, tuned lightly on the dev set
with scripts/retrieval_dev_check.py (the grid was flat; the values are round, not fitted). The app
sets them from `ui.settings.RetrievalSettings` (`UNSC_RETRIEVAL__*`), which records each value's
provenance; the steps below are the pure functions of `rag.ranking`, and
tests/rag/test_ranking_golden.py pins the resulting top-10 of every dev question:

1. Candidates, all under the same filters: the BM25 top-N and the store's dense top-N
   (N = `candidates` [50]). With `per_language_dense` [on] the store is searched once per
   language and dense ranks are counted within each language, because small multilingual
   embedders rank every same-language passage above the best other-language one. Plus, when the
   question names a document, the best BM25 hits among the chunks of / citing it; and for
   document-fact questions (when adopted, vote, abstentions, draft, sponsors / 何时通过, 表决,
   弃权, 草案, 提案国) the named resolution's `document_card`.
2. Score, in units of one top-1 RRF hit u = 1/(rrf_k + 1), rrf_k [60]:
   dense:   `dense_weight` [1.0] / (rrf_k + rank) + `dense_score_weight` [0.5] u x cosine min-max
            normalised over its list; x `cross_lingual_dense_factor` [1.0] for chunks not in the
            question's language (> 1 compensates for BM25 not matching them; < 1 prefers the
            question's language; 1.5 scored the same on the dev set, so the neutral value stays);
   lexical: `lexical_weight` [1.0] / (rrf_k + rank) + `lexical_score_weight` [2.0] u x BM25 / best
            BM25 (score-aware, because pure RRF ignores margins: a BM25 hit scoring 3x the
            runner-up would otherwise lose to a chunk mediocre in both lists). BM25 ranks are
            taken per language, the question's glossary terms are added in the other language
            (x `cross_lingual_lexical_factor` [0.85] for passages not in the question's language).
            Weights chosen on the dev set plus our own questions at two corpus sizes (sample,
            and sample + all 2020 resolutions: ~3,650 chunks): at scale, rare names (a country,
            a mission) matter more than the dense signal of formulaic resolution language;
   dense for lexical-only candidates: computed from the passage vectors stored at ingestion
            and ranked among the dense hits of its language (no embedding at question time);
   boosts:  `symbol_boost` [1.0 u] chunk cites, or belongs to, a symbol the question names (a
            year-less "resolution 2518" matches S/RES/2518(*)); `date_boost` [0.5 u] chunk
            mentions a (month, day) the question mentions; `card_boost` [0.5 u] the named
            resolution's document card, for document-fact questions; `act_boost` [0.5 u] the
            paragraph opens with the addressed act the question asks about ("要求秘书长…":
            "Requests the Secretary-General …", rag.acts); `definition_boost` [1.0 u] the named
            document's passage defining the most of the names whose rendering in one language
            version the question asks about ("How does the Chinese text of resolution 2687 (2023)
            refer to ATMIS and to its predecessor AMISOM?": "… (AMISOM) and its successor, … (ATMIS)").
   Passages that neither belong to nor cite a document the question names are multiplied by
   `unnamed_factor` [0.6]; passages citing a named document without belonging to it, by
   `citing_factor` [0.6], unless the question asks what recalls, cites or mentions it (or what the
   Repertoire says about it). Passages of records dated outside the period the question names ("in
   July 2021", "2020年", "between 2019 and 2022"; not a deadline such as "until 10 July 2021") are
   multiplied by `period_factor` [0.5], and the best BM25 and dense hits inside that period join the
   candidates, so the record the answer gate (rag.grounding) can accept is ranked. Passages of
   the records the question describes without naming them (records of its period whose agenda
   item, title or subjects name its States and topics, at most `max_described`) get
   `described_boost` [0.5 u], and their best hits join the candidates; when the description singles
   out at most `max_singled_out` [2] records, their best `singled_out_passages` [3] text passages
   lead the ranking (rag.ranking.with_singled_out). Table rows are multiplied
   by `table_factor` [0.7] unless the question is about the table
   (names a non-resolution record symbol, a date, or records/letters/documents) or the row
   matches the question's words better (BM25) than every prose candidate, so a row that only
   repeats a paragraph's facts does not outrank the paragraph.
3. Cross-lingual de-duplication: language versions of one passage (same doc_id, kind, paragraph
   and position, see `passage_key`) become one result, shown in the question's language when that version is a
   candidate; the merged passage keeps the best dense part, best lexical part and best boost of
   its versions. `ScoredChunk.dense`/`.lexical` are the shown version's own cosine/BM25, or its
   sibling's when the shown version was not in that list.

The lexical index is built from `store.all_chunks()` and rebuilt whenever `store.generation()`
changes, so it always describes the same chunks as the store.
"""

from __future__ import annotations

import hashlib
import logging
import re
import threading
import time
from collections import defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from functools import cached_property
from pathlib import Path
from typing import Any, Protocol, cast, runtime_checkable

import numpy as np
from langchain_core.callbacks import CallbackManagerForRetrieverRun
from langchain_core.documents import Document
from langchain_core.retrievers import BaseRetriever
from pydantic import ConfigDict, PrivateAttr

from ingest.chunk import Chunk
from ingest.text import is_zh_word
from rag.acts import Act, acts_in
from rag.lexical import LexicalIndex, top_k
from rag.lexicon import LEXICON_VERSION, Lexicon
from rag.facts import FactsTable
from rag.question import (DEFAULT_MAX_CHARS, Question as Query, analyse, asks_citing, defined_names, definition_pattern,
                          state_names)
from rag.ranking import (Adjustments, Boosts, DenseHit, LexicalRanks, RankInputs, Weights, best_text_lexical,
                         dense_ranks, fuse, lexical_ranks, merge_languages, rank_among, rank_passages,
                         with_record_text, with_singled_out)
from rag.tokenize import date_token, dates_in, tokens
from rag.types import ScoredChunk, SearchFilters

log = logging.getLogger(__name__)

_RES = re.compile(r"S/RES/(\d+)\(")
# Questions about the table of meetings: its records, letters, documents.
_CITED_YEAR = re.compile(r"^S/RES/\d+\s*\((\d{4})\)")
_TABLE_WORDS = re.compile(r"记录|文件|文号|信函|的信|表格|record|letter|document|table|symbol", re.IGNORECASE)


# A card among the first this many passages brings its record's best passage beside it (the
# passages an extractive answer reads: rag.answer's k).
CARD_TEXT_TOP = 5
# A subject's learned Chinese name and its own word must be said together in this share of the
# passages holding either (_State._attested).
ATTESTED_SHARE = 0.4


@runtime_checkable
class DenseIndex(Protocol):
    """What the retriever needs from the vector store."""

    def all_chunks(self) -> list[Chunk]: ...

    def dense_search(self, query: str, k: int, filters: SearchFilters | None = None) -> list[tuple[str, float]]:
        """(chunk_id, cosine similarity), best first."""
        ...

    def generation(self) -> str:
        """Changes after every write."""
        ...


@runtime_checkable
class PassageVectors(Protocol):
    """Optionally, a store that hands over every stored passage vector and embeds a question (exact
    dense search in memory)."""

    embeddings: Any

    def all_vectors(self) -> dict[str, np.ndarray]: ...


@runtime_checkable
class StoredVectors(Protocol):
    """Optionally, a store that gives some passages' stored vectors and embeds a question."""

    embeddings: Any

    def vectors(self, ids: list[str]) -> dict[str, np.ndarray]: ...


@dataclass
class _State:
    """The lexical index plus per-chunk metadata arrays, for one store generation."""

    generation: str | None
    index: LexicalIndex
    langs: np.ndarray
    kinds: np.ndarray
    dates: np.ndarray
    sections: list[str]
    symbol_rows: dict[str, np.ndarray]
    resolution_rows: dict[int, np.ndarray]
    card_rows: dict[str, list[int]]
    dated: np.ndarray  # the chunk's text states a day and month
    passage_key: list[tuple]
    lang_list: list[str]
    masks: dict[str, np.ndarray] = field(default_factory=dict)
    vectors: np.ndarray | None = None  # unit passage vectors, row-aligned with index.chunks
    facts: FactsTable = field(default_factory=FactsTable)  # document records from the cards (rag.facts)
    doc_rows: dict[str, np.ndarray] = field(default_factory=dict)  # doc_id → rows of its own chunks
    footnote_rows: dict[str, list[int]] = field(default_factory=dict)  # footnote number → rows carrying it
    cache_dir: Path | None = None  # the lexical index's cache, also holding the learned lexicon
    _lexicon: Lexicon | None = None  # learned on first use (rag.lexicon), once per store generation
    _vocabulary: list[list[str]] | None = None  # topic names with their learned Chinese forms

    def topic_vocabulary(self) -> list[list[str]]:
        """The records' topic vocabulary (`FactsTable.topic_vocabulary`), each one-word English
        subject with the Chinese words the records translate it by: "PIRACY" with "海盗", "YOUTH"
        with "青年". The subjects are catalogued in English only, so without them a Chinese question
        about piracy in November 2012 names no topic and its English-only record is never described."""
        if self._vocabulary is None:
            self._vocabulary = self.lexicon().with_chinese_names(self.facts.topic_vocabulary(), tokens,
                                                                  self._attested())
        return self._vocabulary

    def _official_pairs(self) -> list[tuple[int, int]]:
        """(Chinese row, English row) of every passage held in both official versions (cards aside)."""
        versions: dict[tuple, dict[str, int]] = defaultdict(dict)
        for i, key in enumerate(self.passage_key):
            if key[0] != "row" and self.kinds[i] != "document_card":
                versions[key][self.langs[i]] = i
        return [(v["zh"], v["en"]) for v in versions.values() if "zh" in v and "en" in v]

    def _attested(self) -> Callable[[str, str], bool]:
        """Whether the records' official versions say a subject's own word where they say a Chinese
        word: in at least ATTESTED_SHARE of the passages held in both languages whose Chinese text
        holds the word (three at least), the English one holds the subject's word itself (not only its stem).

        And the other way: where the English says the word, the Chinese says the Chinese word as
        often ("公认", in "internationally recognized borders" beside Palestine, is not PALESTINE).

        Why: the lexicon links stems, and a subject word can share its stem with another word: the
        records translate "taking into account" by "考虑", so the stem "account" links "考虑" to the
        subject ACCOUNTING, and "transitional" makes "过渡" the subject TRANSIT. A Chinese question
        naming "考虑" is not about accounting, and grounding would decline it for lacking that subject.
        """
        texts = [(self.index.chunks[zh].text, self.index.chunks[en].text.lower()) for zh, en in self._official_pairs()]

        def attested(word: str, form: str) -> bool:
            own = re.compile(r"(?<![a-z])" + re.escape(word.lower()) + r"(?:s|es)?(?![a-z])")
            zh_says = [bool(own.search(en)) for zh, en in texts if form in zh]
            en_says = [form in zh for zh, en in texts if own.search(en)]
            return (len(zh_says) >= 3 and sum(zh_says) >= ATTESTED_SHARE * len(zh_says)
                    and sum(en_says) >= ATTESTED_SHARE * len(en_says) and named_with_head(word, form))

        def named_with_head(word: str, form: str) -> bool:
            # a place named without its head ("GAZA" of "GAZA STRIP") has a Chinese name only if the
            # records write it with the head's Chinese ("加沙" + "地带"): "Observer Group Golan" is
            # "戈兰观察员小组", whose fragment "组人" goes wherever "Golan" goes, but no "组人高地" exists
            head = self.facts.place_head(word)
            if head is None:
                return True
            heads = [h for t in tokens(head) for h in self.lexicon().chinese(t)]
            return any(form + h in zh for zh, _ in texts for h in heads)

        return attested

    def lexicon(self) -> Lexicon:
        """The zh↔en lexicon learned from this generation's passages held in both official versions."""
        if self._lexicon is None:
            pairs = self._official_pairs()
            cached = self._lexicon_file(pairs)
            if cached is not None and cached.exists():
                try:
                    self._lexicon = Lexicon.from_json(cached.read_text(encoding="utf-8"))
                except (OSError, ValueError, KeyError) as exc:
                    log.warning("ignoring unreadable lexicon cache %s: %s", cached, exc)
            if self._lexicon is None:
                terms = [""] * len(self.index.vocab)
                for t, j in self.index.vocab.items():
                    terms[j] = t
                self._lexicon = Lexicon.learn(terms, self.index.weights, pairs, is_zh_word)
                if cached is not None:
                    try:
                        cached.write_text(self._lexicon.to_json(), encoding="utf-8")
                    except OSError as exc:
                        log.warning("could not save the lexicon cache %s: %s", cached, exc)
        return self._lexicon

    def _lexicon_file(self, pairs: list[tuple[int, int]]) -> Path | None:
        """Where this generation's lexicon is cached: named by the learner's version and the texts of
        the pairs it learns from (their lexical keys), so any change to either relearns it."""
        if self.cache_dir is None:
            return None
        h = hashlib.sha1(LEXICON_VERSION.encode())
        for zh, en in pairs:
            h.update(f"{self.index.keys[zh]}{self.index.keys[en]}".encode())
        return Path(self.cache_dir) / f"lexicon-{h.hexdigest()[:16]}.json"

    @classmethod
    def build(cls, generation: str | None, chunks: list[Chunk], cache_dir: Path | None,
              k1: float = 1.2, b: float = 0.75) -> "_State":
        index = LexicalIndex.build(chunks, cache_dir=cache_dir, k1=k1, b=b)
        sym: dict[str, list[int]] = defaultdict(list)
        res: dict[int, set[int]] = defaultdict(set)
        cards: dict[str, list[int]] = defaultdict(list)
        keys: list[tuple] = []
        own: dict[str, list[int]] = defaultdict(list)
        notes: dict[str, list[int]] = defaultdict(list)
        for i, c in enumerate(chunks):
            own[c.doc_id].append(i)
            for f in c.footnotes:
                notes[f.number].append(i)
            for s in {c.doc_id, *c.symbols}:
                sym[s].append(i)
                m = _RES.match(s)
                if m:
                    res[int(m.group(1))].add(i)
            if c.kind == "document_card":
                cards[c.doc_id].append(i)
            keys.append(passage_key(c, i))
        return cls(
            generation=generation,
            index=index,
            langs=np.array([c.lang for c in chunks], dtype=object),
            kinds=np.array([c.kind for c in chunks], dtype=object),
            dates=np.array([(c.date or "")[:10] for c in chunks], dtype=object),
            sections=[c.section.lower() for c in chunks],
            symbol_rows={s: np.array(sorted(r), dtype=np.int64) for s, r in sym.items()},
            resolution_rows={n: np.array(sorted(r), dtype=np.int64) for n, r in res.items()},
            card_rows=dict(cards),
            dated=np.array([bool(dates_in(c.text)) for c in chunks], dtype=bool),
            passage_key=keys,
            lang_list=sorted({c.lang for c in chunks}),
            facts=FactsTable.from_chunks(chunks),
            doc_rows={d: np.array(r, dtype=np.int64) for d, r in own.items()},
            footnote_rows=dict(notes),
            cache_dir=cache_dir,
        )

    def named_docs(self, q: Query) -> set[str]:
        """doc_ids the question names (a year-less resolution number matches every year)."""
        named = set(q.symbols)
        for n in q.resolution_numbers:
            named.update(self.resolution_docs.get(n, ()))
        return named

    @cached_property
    def act_rows(self) -> dict[Act, frozenset[int]]:
        """Addressed act → rows of the passages opening with it (rag.acts), built once."""
        out: dict[Act, set[int]] = defaultdict(set)
        for i, c in enumerate(self.index.chunks):
            if c.kind != "document_card":
                for a in acts_in(c.text, c.doc_kind):
                    out[a].add(i)
        return {a: frozenset(r) for a, r in out.items()}

    @cached_property
    def resolution_docs(self) -> dict[int, list[str]]:
        """Resolution number → the held symbols of that number (every year's), built once."""
        out: dict[int, list[str]] = defaultdict(list)
        for doc in self.symbol_rows:
            m = _RES.match(doc)
            if m:
                out[int(m.group(1))].append(doc)
        return dict(out)

    def rows_for_symbols(self, symbols: Sequence[str], numbers: Sequence[int] = ()) -> np.ndarray:
        parts = [self.symbol_rows.get(s, np.zeros(0, dtype=np.int64)) for s in symbols]
        parts += [self.resolution_rows.get(n, np.zeros(0, dtype=np.int64)) for n in numbers]
        return np.unique(np.concatenate(parts)) if parts else np.zeros(0, dtype=np.int64)

    def mask(self, filters: SearchFilters | None) -> np.ndarray | None:
        """Boolean row mask of the chunks `filters` keeps; None when nothing is filtered."""
        if filters is None or filters.is_empty():
            return None
        key = filters.model_dump_json()
        cached = self.masks.get(key)
        if cached is not None:
            return cached
        n = len(self.index)
        m = np.ones(n, dtype=bool)
        if filters.langs:
            m &= np.isin(self.langs, filters.langs)
        if filters.kinds:
            m &= np.isin(self.kinds, filters.kinds)
        if filters.doc_kinds:
            m &= np.isin(np.array([c.doc_kind for c in self.index.chunks], dtype=object), filters.doc_kinds)
        if filters.symbols:
            keep = np.zeros(n, dtype=bool)
            keep[self.rows_for_symbols(filters.symbols)] = True
            m &= keep
        if filters.section:
            needle = filters.section.lower()
            m &= np.array([needle in s for s in self.sections], dtype=bool)
        if filters.date_from or filters.date_to:
            lo = filters.date_from.isoformat() if filters.date_from else ""
            hi = filters.date_to.isoformat() if filters.date_to else "9999-99-99"
            m &= np.array([bool(d) and lo <= d <= hi for d in self.dates], dtype=bool)
        if len(self.masks) > 64:
            self.masks.clear()
        self.masks[key] = m
        return m


def passage_key(c: Chunk, row: int) -> tuple:
    """What language versions of one passage share: doc_id, kind, paragraph and position.

    The position is the last part of a `chunk_id` ("op4", "pre1", "card", "12"), which is
    language-independent; labels are not ("operative 4" / "执行部分第4段"), so a label is used only
    for ids not built by `chunk_id`. Chunks with no position at all are never merged.
    """
    parts = c.id.split("|")
    if len(parts) == 4 and parts[0] == c.doc_id and parts[1] == c.lang and parts[2] == c.kind:
        return (c.doc_id, c.kind, c.paragraph, parts[3])
    if c.paragraph is None and c.label is None and c.kind != "document_card":
        return ("row", row)
    return (c.doc_id, c.kind, c.paragraph, c.label)


class HybridRetriever(BaseRetriever):
    """Dense + BM25 retriever over a `DenseIndex` store. See the module docstring for the ranking."""

    model_config = ConfigDict(arbitrary_types_allowed=True)

    store: DenseIndex
    k: int = 10
    filters: SearchFilters | None = None
    candidates: int = 50
    rrf_k: int = 60
    dense_weight: float = 1.0
    lexical_weight: float = 1.0
    lexical_score_weight: float = 2.0
    dense_score_weight: float = 0.5
    per_language_dense: bool = True
    cross_lingual_dense_factor: float = 1.0
    cross_lingual_lexical_factor: float = 0.85
    unnamed_factor: float = 0.6
    citing_factor: float = 0.6
    in_memory_dense: bool = True
    generation_check_interval: float = 1.0
    symbol_boost: float = 1.0
    date_boost: float = 0.5
    card_boost: float = 0.5
    table_factor: float = 0.7
    period_factor: float = 0.5
    described_boost: float = 0.5
    act_boost: float = 0.5
    definition_boost: float = 1.0
    max_described: int = 30
    max_singled_out: int = 2
    singled_out_passages: int = 3
    symbol_candidates: int = 10
    bm25_k1: float = 1.2
    bm25_b: float = 0.75
    cache_dir: Path | None = None
    max_chars: int = DEFAULT_MAX_CHARS

    _state: _State | None = PrivateAttr(default=None)
    _checked_at: float = PrivateAttr(default=-1e9)
    _qvec: tuple | None = PrivateAttr(default=None)
    _lock: Any = PrivateAttr(default_factory=threading.Lock)

    # ------------------------------------------------------------------ index

    def _generation(self) -> str | None:
        try:
            return str(self.store.generation())
        except Exception as exc:  # a store without generations is indexed once
            log.debug("store.generation() failed: %s", exc)
            return None

    def refresh(self, force: bool = False) -> _State:
        """Rebuild the lexical index if the store changed since it was built; return the state.

        Asking the store for its generation costs a round trip (~8 ms with a local Chroma), so on
        the query path it is asked at most every `generation_check_interval` seconds: another
        process's ingest becomes visible within that interval.
        """
        now = time.monotonic()
        if not force and self._state is not None and now - self._checked_at < self.generation_check_interval:
            return self._state
        self._checked_at = now
        gen = self._generation()
        state = self._state
        if state is not None and not force and state.generation == gen and gen is not None:
            return state
        if state is not None and not force and gen is None:
            return state
        with self._lock:
            state = self._state
            if state is None or force or state.generation != gen:
                chunks = list(self.store.all_chunks())
                state = _State.build(gen, chunks, self.cache_dir, self.bm25_k1, self.bm25_b)
                state.vectors = self._load_vectors(state)
                self._state = state
        return state

    def _load_vectors(self, st: _State) -> np.ndarray | None:
        """All passage vectors as a unit-normalised matrix, when the store can give them.

        Exact search over them is a matrix product (milliseconds at tens of thousands of
        passages) and handles any filter as a mask; `in_memory_dense=False` leaves the
        nearest-neighbour search to the store (for corpora too large to hold in memory).
        """
        if not self.in_memory_dense or not isinstance(self.store, PassageVectors) or not len(st.index.chunks):
            return None
        try:
            by_id = self.store.all_vectors()
        except Exception as exc:
            log.warning("passage vectors unavailable, searching through the store: %s", exc)
            return None
        first = next(iter(by_id.values()), None)
        if first is None:
            return None
        mat = np.zeros((len(st.index.chunks), first.shape[0]), dtype=np.float32)
        for i, c in enumerate(st.index.chunks):
            v = by_id.get(c.id)
            if v is not None:
                mat[i] = v
        norms = np.linalg.norm(mat, axis=1, keepdims=True)
        return mat / np.where(norms > 0, norms, 1.0)

    def _query_vector(self, q: Query) -> np.ndarray:
        """The question's unit embedding, computed once per question (both dense steps reuse it).

        One (text, vector) tuple is swapped in whole, so concurrent questions never read a
        half-updated entry; at worst one of them embeds its question again.
        """
        last = self._qvec
        if last is not None and last[0] == q.text:
            return last[1]
        # Reached only for a store with vectors (PassageVectors / StoredVectors), which embeds questions.
        embeddings = cast(StoredVectors, self.store).embeddings
        qv = np.asarray(embeddings.embed_query(q.text), dtype=np.float32)
        qv = qv / (np.linalg.norm(qv) or 1.0)
        self._qvec = (q.text, qv)
        return qv

    def _dense_hits(self, q: Query, st: _State, n: int, allowed: np.ndarray | None, langs: list[str],
                    filters: SearchFilters | None) -> dict[str | None, list[tuple[int, float]]]:
        """Nearest passages per language (or overall): {lang: [(row, cosine)]}, best first."""
        per_language = self.per_language_dense and len(langs) > 1
        if st.vectors is not None:
            cos = st.vectors @ self._query_vector(q)
            out: dict[str | None, list[tuple[int, float]]] = {}
            for lang in (langs if per_language else [None]):
                keep = np.ones(len(cos), dtype=bool) if allowed is None else allowed.copy()
                if lang is not None:
                    keep &= st.langs == lang
                idx = np.flatnonzero(keep)
                if len(idx) > n:
                    idx = idx[np.argpartition(-cos[idx], n - 1)[:n]]
                idx = idx[np.argsort(-cos[idx], kind="stable")]
                out[lang] = [(int(r), float(cos[r])) for r in idx]
            return out
        out = {}
        requests = ([(g, (filters or SearchFilters()).model_copy(update={"langs": [g]})) for g in langs]
                    if per_language else [(None, filters)])
        for lang, f in requests:
            rows: list[tuple[int, float]] = []
            for cid, c in self.store.dense_search(q.text, n if allowed is None else 2 * n, f):
                row = st.index.row_of.get(cid)
                if row is None or (allowed is not None and not allowed[row]):
                    continue
                if lang is not None and st.langs[row] != lang:
                    continue
                rows.append((row, float(c)))
                if len(rows) >= n:
                    break
            out[lang] = rows
        return out

    @property
    def lexical_index(self) -> LexicalIndex:
        return self.refresh().index

    @staticmethod
    def named_documents(q: Query, st: "_State") -> list[str]:
        """Doc ids in the store of the documents a question names (a year-less number matches any year).

        Count and list questions ("which resolutions recalled 2518?") range over many documents,
        so they are not restricted.
        """
        if not getattr(q, "documents", None) or {"count", "list"} & set(getattr(q, "asks", []) or []):
            return []
        out: list[str] = []
        for ref in q.documents:
            if ref.symbol and ref.symbol in st.doc_rows:
                out.append(ref.symbol)
            elif ref.number is not None:
                out.extend(d for d in st.doc_rows if ref.matches(d))
        # Only documents whose own text is held: of one known only by its card, the passages
        # that cite it (a Repertoire account of it) are the evidence.
        return [d for d in dict.fromkeys(out) if any(st.kinds[r] != "document_card" for r in st.doc_rows[d])]

    def lexicon(self) -> Lexicon:
        """The zh↔en lexicon learned from the store's passages held in both official versions."""
        return self.refresh().lexicon()

    def term_stats(self) -> LexicalIndex:
        """The whole record's term statistics (`len()` passages, `document_frequency(term)`), which
        the answer's coverage gate weighs a question's words by (rag.extractive.score_candidates)."""
        return self.refresh().index

    def facts(self) -> FactsTable:
        """The document records of the current store generation (rebuilt with the lexical index)."""
        return self.refresh().facts

    def topic_vocabulary(self) -> list[list[str]]:
        """The topics a question can name, with learned Chinese forms (see `_State.topic_vocabulary`)."""
        return self.refresh().topic_vocabulary()

    def warm(self) -> None:
        """Build now what the first question would otherwise wait for: the lexical index, the learned
        lexicon (or its cache), the topic vocabulary and the index of addressed acts."""
        st = self.refresh()
        st.lexicon()
        st.topic_vocabulary()
        st.act_rows  # noqa: B018 (a cached property, built here)

    def singled_out(self, q: Query) -> list[str]:
        """The records the question describes, when it fits at most `max_singled_out` of them (the
        ones whose passages lead the ranking, `rag.ranking.with_singled_out`); else none."""
        return self._singled(self._described_records(q, self.refresh()))

    def _singled(self, described: list[str]) -> list[str]:
        """The described records, if few enough to single out (at most `max_singled_out`)."""
        return described if len(described) <= self.max_singled_out else []

    def chunks_of(self, doc_id: str) -> list[Chunk]:
        """Every chunk of one document (all its language versions), in store order."""
        st = self.refresh()
        rows = st.doc_rows.get(doc_id)
        return [st.index.chunks[int(r)] for r in rows] if rows is not None else []

    def all_chunks(self) -> list[Chunk]:
        return list(self.refresh().index.chunks)

    def cites(self, symbol: str | int) -> bool:
        """Whether a held passage cites `symbol` (or, for an int, resolution number `symbol` of any year)."""
        st = self.refresh()
        if isinstance(symbol, int):
            return symbol in st.resolution_rows
        return symbol in st.symbol_rows

    def chunks_with_footnote(self, number: str) -> list[Chunk]:
        """Passages carrying footnote `number` (in any document and language)."""
        st = self.refresh()
        return [st.index.chunks[r] for r in st.footnote_rows.get(str(number), [])]

    # ------------------------------------------------------------------ search

    def weights(self) -> Weights:
        """The ranking's tuning as one record (rag.ranking), from this retriever's fields."""
        return Weights(**{f: getattr(self, f) for f in Weights.__dataclass_fields__})

    def search(self, question: str | Query, k: int = 10, filters: SearchFilters | None = None) -> list[ScoredChunk]:
        """The k best passages for `question` (str questions are analysed; may raise QueryError).

        The steps: candidates (`_lexical`, `_dense`, `_boosts`, `_candidates`), fusion
        (`rag.ranking.fuse`), language merge (`merge_languages`), adjustments and order
        (`rank_passages`); see the module docstring for the formulas.
        """
        q = question if isinstance(question, Query) else analyse(question, self.max_chars)
        st = self.refresh()
        if len(st.index) == 0 or k <= 0:
            return []
        allowed = st.mask(filters)
        restrict = self._restriction(q, st, allowed)
        if restrict is not None and not restrict.any():
            return []
        n = max(self.candidates, k)
        sym_rows = st.rows_for_symbols(q.symbols, q.resolution_numbers)
        lexical = self._lexical(q, st, sym_rows, allowed, n)
        dense = self._dense(q, st, n, allowed, filters)
        boosts = self._boosts(q, st, sym_rows, allowed)
        period = self._period_rows(q, st)
        described_docs = self._described_records(q, st)
        described = self._described_rows(described_docs, st, allowed)
        if described is not None:
            boosts = replace(boosts, described=frozenset(np.flatnonzero(described).tolist()))
        candidates = self._candidates(st, lexical, dense, boosts, restrict)
        if restrict is not None:
            candidates |= self._named_rows(q, st, allowed)
        for scope, size in ((period, n), (described, self.symbol_candidates)):
            if scope is not None:
                candidates |= self._scope_candidates(q, st, lexical.scores, scope, allowed, size)
        self._score_missing_dense(q, st, candidates, dense)

        w = self.weights()
        fused = (fuse(r, st.langs[r], q.lang, dense, lexical, boosts, w) for r in candidates)
        passages = merge_languages(fused, lambda r: st.passage_key[r])
        inputs = RankInputs(langs=st.langs, kinds=st.kinds, question_lang=q.lang, dense=dense, lexical=lexical.scores,
                            adjustments=self._adjustments(q, st, sym_rows, candidates, lexical.scores, period))
        ranked = rank_passages(passages, inputs, w)
        if restrict is not None:
            ranked = [r for r in ranked if restrict[r.row]]
        if not q.asks_document_facts:
            def doc_of(r: int) -> str:
                return st.index.chunks[r].doc_id

            ranked = with_record_text(ranked, doc_of, st.kinds, CARD_TEXT_TOP)
            singled = self._singled(described_docs)
            asked = self._main_clause_scores(q, st, singled, allowed, dense, boosts, n) if singled and q.main_clause else None
            ranked = with_singled_out(ranked, singled, doc_of, st.kinds, self.singled_out_passages, asked)
        return [
            ScoredChunk(
                chunk=st.index.chunks[r.row],
                score=float(r.score),
                dense=dense[r.dense_source].cosine if r.dense_source is not None else None,
                lexical=float(lexical.scores[r.lexical_source]) if r.lexical_source is not None else None,
                rank=i + 1,
            )
            for i, r in enumerate(ranked[:k])
        ]

    def _main_clause_scores(self, q: Query, st: _State, docs: Sequence[str], allowed: np.ndarray | None,
                            dense: dict[int, DenseHit], boosts: Boosts, n: int) -> dict[int, float]:
        """The passages of `docs` scored as usual but with the lexical part of the question proper
        (`Question.main_clause`, in both languages) alone: the order of the passages of the records
        the question singles out (rag.ranking.with_singled_out)."""
        main = q.model_copy(update={"text": q.main_clause, "tokens": tokens(q.main_clause)})
        scores = st.index.scores(main.tokens + cross_lingual_tokens(main, st.lexicon()))
        if allowed is not None:
            scores = np.where(allowed, scores, 0.0)
        lexical = lexical_ranks(scores, st.langs, st.lang_list, n)
        w = self.weights()
        fused = (fuse(int(r), st.langs[r], q.lang, dense, lexical, boosts, w) for d in docs for r in st.doc_rows.get(d, ()))
        # a passage scores as its language versions together (rag.ranking.Passage), as in the ranking
        return {m.row: p.score for p in merge_languages(fused, lambda r: st.passage_key[r]) for m in p.members}

    def _restriction(self, q: Query, st: _State, allowed: np.ndarray | None) -> np.ndarray | None:
        """Rows a question naming documents is restricted to: their own chunks and the passages citing them.

        A question naming a document is about that document (both language versions), not about
        passages elsewhere that merely share its words. Applied to the ranking, not to its inputs:
        passages are scored exactly as without the restriction (BM25 and dense ranks over the whole
        index), and those outside it dropped. None: no restriction; all False: nothing qualifies.
        """
        named = self.named_documents(q, st)
        if not named:
            return None
        restrict = np.zeros(len(st.index), dtype=bool)
        for d in named:
            restrict[st.doc_rows[d]] = True
            if d in st.symbol_rows:
                restrict[st.symbol_rows[d]] = True
        return restrict & allowed if allowed is not None else restrict

    def _lexical(self, q: Query, st: _State, sym_rows: np.ndarray, allowed: np.ndarray | None, n: int) -> LexicalRanks:
        """BM25 over the whole index (so any candidate's rank is known), ranked within each language.

        The question's glossary terms are added in the other language (dictionary-based
        cross-lingual retrieval).
        """
        scores = st.index.scores(self._discriminating_tokens(q, st, sym_rows) + cross_lingual_tokens(q, st.lexicon()))
        if allowed is not None:
            scores = np.where(allowed, scores, 0.0)
        return lexical_ranks(scores, st.langs, st.lang_list, n)

    def _dense(self, q: Query, st: _State, n: int, allowed: np.ndarray | None,
               filters: SearchFilters | None) -> dict[int, DenseHit]:
        """Dense hits ranked within each language (the store applies the filters; re-checked against our mask).

        Small multilingual embedders prefer passages in the question's language, so each language
        is searched separately: the best Chinese passage for an English question gets the credit
        of a rank-1 hit, not of rank 55.
        """
        langs = st.lang_list if not (filters and filters.langs) else [g for g in st.lang_list if g in filters.langs]
        try:
            return dense_ranks(self._dense_hits(q, st, n, allowed, langs, filters))
        except Exception as exc:
            log.warning("dense search failed, using lexical results only: %s", exc)
            return {}

    @staticmethod
    def _boosts(q: Query, st: _State, sym_rows: np.ndarray, allowed: np.ndarray | None) -> Boosts:
        """Rows boosted for the documents, dates and document cards the question names."""
        symbol = set(sym_rows.tolist())
        # A question about a document's facts (adoption date, vote, draft) is answered by its card
        # and by passages that narrate those facts, not by the document's own operative text: the
        # symbol boost then goes only to cards and to passages that state a date.
        if (q.asks_when or q.asks_document_facts) and len(sym_rows):
            symbol = {r for r in symbol if st.dated[r] or st.kinds[r] == "document_card"}
        card: set[int] = set()
        if q.asks_document_facts:
            named = {s for s in q.symbols if s.startswith("S/RES/")}
            for doc, rows in st.card_rows.items():
                match = _RES.match(doc)
                if doc in named or (match and int(match.group(1)) in q.resolution_numbers):
                    card.update(r for r in rows if allowed is None or allowed[r])
        date: set[int] = set()
        for month, day in q.dates:
            date.update(st.index.rows_with_term(date_token(month, day)).tolist())
        # "When …?" about a named document: passages of or citing it that state a date answer it.
        if q.asks_when and len(sym_rows):
            date.update(int(r) for r in sym_rows if st.dated[r])
        # "…要求秘书长把该决议的执行情况纳入哪一份报告中": the paragraphs requesting the Secretary-General
        act: set[int] = set()
        for a in q.acts:
            act.update(r for r in st.act_rows.get(a, ()) if allowed is None or allowed[r])
        return Boosts(symbol=frozenset(symbol), date=frozenset(date), card=frozenset(card), act=frozenset(act),
                      definition=HybridRetriever._defining_rows(q, st, allowed))

    @staticmethod
    def _defining_rows(q: Query, st: _State, allowed: np.ndarray | None) -> frozenset[int]:
        """For a question about how one language version of a named document renders names ("How
        does the Chinese text of resolution 2687 (2023) refer to ATMIS and to its predecessor
        AMISOM?"), the document's passages defining the most of them ("… (AMISOM) and its successor,
        … (ATMIS)"): the definition gives the full name whose official twin is the answer; a passage
        using the acronym in passing gives only the short form."""
        defines = definition_pattern(q.text)
        if defines is None:
            return frozenset()
        counts: dict[int, int] = {}
        for doc in st.named_docs(q):
            for r in st.doc_rows.get(doc, ()):
                if (allowed is None or allowed[r]) and st.kinds[r] != "document_card":
                    counts[int(r)] = defined_names(defines, st.index.chunks[r].text)
        most = max(counts.values(), default=0)
        return frozenset(r for r, n in counts.items() if n == most) if most else frozenset()

    def _candidates(self, st: _State, lexical: LexicalRanks, dense: dict[int, DenseHit], boosts: Boosts,
                    restrict: np.ndarray | None) -> set[int]:
        """BM25 and dense top-N of each language, every matching passage of a named document, the
        best BM25 hits among the passages of / citing the documents named, and their cards."""
        lex = lexical.scores
        candidates: set[int] = {r for r in lexical.rank if lex[r] > 0} | set(dense)
        if restrict is not None:  # every passage of the named document competes, ranked as usual
            candidates.update(int(r) for r in np.flatnonzero(restrict) if lex[r] > 0)
        if boosts.symbol:
            sub = np.zeros(len(st.index), dtype=bool)
            sub[list(boosts.symbol)] = True
            candidates.update(int(r) for r in top_k(lex, self.symbol_candidates, sub))
        return candidates | boosts.card

    @staticmethod
    def _period_rows(q: Query, st: _State) -> np.ndarray | None:
        """Rows of records dated inside the period the question names (None: it names no period).

        Only dated records (resolutions, statements, drafts, vetoes, meeting-table rows) are
        placed; an undated passage (a Repertoire paragraph) is neither inside nor outside.
        """
        if not (q.date_from or q.date_to):
            return None
        return st.mask(SearchFilters(date_from=q.date_from, date_to=q.date_to))  # the year filter's own mask, cached

    def _named_rows(self, q: Query, st: _State, allowed: np.ndarray | None, limit: int = 300) -> set[int]:
        """Every passage of the documents the question names, whether or not it shares a word with it.

        "它说有多少人因此流离失所？" after a question about S/PRST/2017/22 (English only) shares no
        word with the statement, so none of its paragraphs was a BM25 candidate and the restriction
        to the named document left nothing; their stored vectors rank them instead. Documents of
        more than `limit` passages keep the word-matching rule.
        """
        rows = [int(r) for d in self.named_documents(q, st) for r in st.doc_rows.get(d, ())]
        if len(rows) > limit:
            return set()
        return {r for r in rows if allowed is None or allowed[r]}

    def _described_records(self, q: Query, st: _State) -> list[str]:
        """The records the question describes without naming them: records of the period it names
        whose agenda item, title or subjects name the States and topics it names.

        "2024年10月延长联合国利比亚支助团任务的决议" names no symbol, but its period and State pick
        out a handful of records from the facts table. Nothing is described when the question names
        a document, names no period or no State/topic, or when more than `max_described` records
        match (too vague to single out).
        """
        if q.symbols or q.resolution_numbers or not (q.date_from or q.date_to) or not (q.states or q.topics):
            return []
        facts = st.facts
        # "2012年11月关于海盗问题的主席声明" describes a statement: of the kind named, when one is
        recs = facts.select(q.doc_kind, q.date_from, q.date_to) if q.doc_kind else []
        recs = recs or facts.select(None, q.date_from, q.date_to)
        by_state = recs
        for key in q.states:
            en, zh = state_names(key)
            by_state = facts.about(by_state, [[en, zh, key.lower(), re.sub(r"\s*\(.*\)$", "", en)]])
        both = by_state
        for group in q.topics:
            both = facts.about(both, [group])
        picked = both or (by_state if q.states else [])
        if len(picked) > self.max_described:
            return []
        return [r.symbol for r in picked if r.symbol in st.doc_rows]

    @staticmethod
    def _described_rows(docs: Sequence[str], st: _State, allowed: np.ndarray | None) -> np.ndarray | None:
        """Rows of the described records (`_described_records`): their passages, in either language
        (an English-only record answers a Chinese question), get `described_boost` and their best
        hits join the candidates. None when nothing is described."""
        if not docs:
            return None
        rows = np.zeros(len(st.index), dtype=bool)
        for d in docs:
            rows[st.doc_rows[d]] = True
        if allowed is not None:
            rows &= allowed
        return rows if rows.any() else None

    def _scope_candidates(self, q: Query, st: _State, lex: np.ndarray, scope: np.ndarray,
                           allowed: np.ndarray | None, n: int) -> set[int]:
        """The best BM25 and dense hits among the rows of `scope` (the records of the named
        period, or those the question describes).

        At the whole record, "the resolution on Syria cross-border aid in July 2021" shares its words
        with a dozen yearly renewals; the one of the named month may rank below the top-N of the
        whole index on both sides and would never be a candidate for the period factor to lift.
        """
        keep = scope if allowed is None else scope & allowed
        if not keep.any():
            return set()
        out = {int(r) for r in top_k(lex, n, keep) if lex[r] > 0}
        if st.vectors is not None:
            idx = np.flatnonzero(keep)
            cos = st.vectors[idx] @ self._query_vector(q)
            out.update(int(idx[i]) for i in np.argsort(-cos, kind="stable")[:n])
        return out

    @staticmethod
    def _out_of_period(st: _State, candidates: set[int], period: np.ndarray | None, q: Query) -> frozenset[int]:
        """Candidate rows of records dated outside the named period, unless the passage cites another
        document of that period (a 2025 paragraph recalling "resolution 2585 (2021)" still speaks of
        July 2021). A cited document's date comes from its record; without one, its symbol's year
        counts only when the period is whole years."""
        if period is None or not (q.date_from or q.date_to):
            return frozenset()
        lo = q.date_from.isoformat() if q.date_from else ""
        hi = q.date_to.isoformat() if q.date_to else "9999-99-99"
        whole_years = (not q.date_from or q.date_from.timetuple().tm_yday == 1) and (
            not q.date_to or (q.date_to.month, q.date_to.day) == (12, 31))

        def cites_period(chunk: Chunk) -> bool:
            for sym in chunk.symbols:
                if sym == chunk.doc_id:
                    continue
                rec = st.facts.get(sym)
                if rec is not None and rec.date:
                    if lo <= rec.date[:10] <= hi:
                        return True
                    continue
                m = _CITED_YEAR.search(sym)
                if m and whole_years and lo[:4] <= m.group(1) <= hi[:4]:
                    return True
            return False

        return frozenset(r for r in candidates
                         if not period[r] and st.dates[r] and not cites_period(st.index.chunks[r]))

    @classmethod
    def _adjustments(cls, q: Query, st: _State, sym_rows: np.ndarray, candidates: set[int], lex: np.ndarray,
                     period: np.ndarray | None = None) -> Adjustments:
        """What the passage-level factors need: whether the question names held documents, whether
        it is about the table of meetings (names a non-resolution record, a date, or
        records/letters/documents), and which candidates lie outside the period it names."""
        named = st.named_docs(q) if len(sym_rows) else set()
        own = [st.doc_rows[d] for d in named if d in st.doc_rows]
        return Adjustments(
            named_only=bool(q.symbols or q.resolution_numbers) and len(sym_rows) > 0,
            named_rows=frozenset(sym_rows.tolist()),
            own_rows=frozenset(np.concatenate(own).tolist()) if own else frozenset(),
            asks_citing=asks_citing(q.text),
            table_question=bool(q.dates) or any(not s.startswith("S/RES/") for s in q.symbols) or bool(_TABLE_WORDS.search(q.text)),
            best_text_lexical=best_text_lexical(candidates, st.kinds, lex),
            out_of_period=cls._out_of_period(st, candidates, period, q),
        )

    @staticmethod
    def _discriminating_tokens(q: Query, st: _State, sym_rows: np.ndarray) -> list[str]:
        """The question's tokens minus the words of the titles of the documents it names.

        Every passage of a resolution is indexed with its title, so in "What did resolution 2532
        (2020) demand regarding COVID-19?" the words of the title ("COVID-19") match all its
        paragraphs equally and only drown the word that tells them apart ("demand"). The named
        documents are found by the symbol boost instead.
        """
        if not len(sym_rows):
            return q.tokens

        named = st.named_docs(q)
        titles = {st.index.chunks[r].title for r in sym_rows.tolist() if st.index.chunks[r].doc_id in named}
        title_tokens = set(tokens(" ".join(t for t in titles if t)))
        kept = [t for t in q.tokens if t not in title_tokens]
        return kept or q.tokens

    def _score_missing_dense(self, q: Query, st: _State, candidates: set[int], dense: dict[int, DenseHit]) -> None:
        """Give lexical-only candidates their dense similarity too, from the vectors stored at ingestion.

        A passage that wins BM25 outright (a rare name the question asks about) but sits at dense
        rank 80 would otherwise get no dense credit at all and lose to passages mediocre on both
        lists. Its cosine is computed from its stored vector (no embedding at question time) and
        ranked among its language's dense hits (`rag.ranking.rank_among`).
        """
        missing = [r for r in candidates if r not in dense]
        if not missing:
            return
        listed: dict[str, list[float]] = defaultdict(list)
        for r, hit in dense.items():
            listed[st.langs[r]].append(hit.cosine)
        for r, cos in self._stored_cosines(q, st, missing).items():
            dense[r] = rank_among(cos, listed.get(st.langs[r], []))

    def _stored_cosines(self, q: Query, st: _State, rows: list[int]) -> dict[int, float]:
        """Cosines of the question with the stored vectors of `rows` (in memory, else from the store)."""
        if st.vectors is not None:
            qv = self._query_vector(q)
            return {r: float(st.vectors[r] @ qv) for r in rows}
        if not isinstance(self.store, StoredVectors) or self.store.embeddings is None:
            return {}
        try:
            qv = self._query_vector(q)
            vecs = self.store.vectors([st.index.chunks[r].id for r in rows])
        except Exception as exc:  # the dense side is an improvement, never a requirement
            log.warning("stored vectors unavailable: %s", exc)
            return {}
        out: dict[int, float] = {}
        for r in rows:
            v = vecs.get(st.index.chunks[r].id)
            if v is not None:
                out[r] = float(np.dot(qv, v / (np.linalg.norm(v) or 1.0)))
        return out

    # ------------------------------------------------------------- LangChain

    def _get_relevant_documents(self, query: str, *, run_manager: CallbackManagerForRetrieverRun) -> list[Document]:
        return [to_document(sc) for sc in self.search(query, k=self.k, filters=self.filters)]


def cross_lingual_tokens(q: Query, lexicon: Lexicon | None = None) -> list[str]:
    """BM25 tokens of the question's terms in the other language: its glossary terms, and the
    translations the records' official versions teach (`rag.lexicon`) of its other words."""
    from rag.glossary import translate
    from rag.tokenize import cjk_words, tokens

    out = tokens(" ".join(translate(q.text, q.lang)))
    if lexicon is None or not len(lexicon):
        return out
    if q.lang == "zh":
        learned = [t for w in cjk_words(q.text) for t in lexicon.english(w)]
    else:
        learned = [t for w in dict.fromkeys(tokens(q.text)) for t in lexicon.chinese(w)]
    known = set(out)
    return out + [t for t in dict.fromkeys(learned) if t not in known]


def to_document(sc: ScoredChunk) -> Document:
    """LangChain view of a result: page_content is the passage text; the chunk JSON rides along."""
    c = sc.chunk
    return Document(
        page_content=c.text,
        id=c.id,
        metadata={
            "chunk_id": c.id,
            "doc_id": c.doc_id,
            "lang": c.lang,
            "kind": c.kind,
            "score": sc.score,
            "dense": sc.dense,
            "lexical": sc.lexical,
            "rank": sc.rank,
            "chunk": c.model_dump_json(),
        },
    )
