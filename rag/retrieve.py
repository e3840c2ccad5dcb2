"""Hybrid retrieval: dense (store) + BM25 (rag.lexical), fused by reciprocal rank, plus boosts.

Ranking of a question (`HybridRetriever.search`):

1. Candidates: the store's dense top-N and the BM25 top-N (N = `candidates`, default 50), both under
   the same filters; plus, when the question names a document, the best BM25 hits among the chunks
   of / citing that document, and, for document-fact questions (when adopted, vote, abstentions,
   draft, sponsors / 何时通过, 表决, 弃权, 草案, 提案国), the named resolution's `document_card`.
2. Score = dense_weight/(rrf_k + dense rank) + lexical_weight/(rrf_k + BM25 rank)   (RRF, rrf_k = 60)
   + boosts, expressed in units of one top-1 RRF hit, u = 1/(rrf_k + 1):
   - `symbol_boost` (0.5 u): chunk cites, or belongs to, a symbol the question names
     (a year-less "resolution 2518" matches S/RES/2518(*));
   - `date_boost` (0.5 u): chunk mentions a (month, day) date the question mentions;
   - `card_boost` (1.0 u): the named resolution's document card, for document-fact questions.
   Table rows are multiplied by `table_factor` (0.7) unless the question is about the table
   (names a non-resolution record symbol, a date, or records/letters/documents), so a row that only
   repeats a paragraph's facts does not outrank the paragraph.
3. Cross-lingual de-duplication: chunks that are language versions of the same passage (same
   doc_id, kind, paragraph and label) are merged into one result, shown in the question's
   language when that version is among the candidates; the merged passage keeps the best dense
   rank, best BM25 rank and best boost of its versions.

The lexical index is built from `store.all_chunks()` and rebuilt whenever `store.generation()`
changes, so it always describes the same chunks as the store.
"""

from __future__ import annotations

import logging
import re
import threading
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Protocol, runtime_checkable

import numpy as np
from langchain_core.callbacks import CallbackManagerForRetrieverRun
from langchain_core.documents import Document
from langchain_core.retrievers import BaseRetriever
from pydantic import ConfigDict, PrivateAttr

from ingest.chunk import Chunk
from rag.lexical import LexicalIndex, top_k
from rag.query import DEFAULT_MAX_CHARS, Query, analyse
from rag.tokenize import date_token
from rag.types import ScoredChunk, SearchFilters

log = logging.getLogger(__name__)

_RES = re.compile(r"S/RES/(\d+)\(")
# Questions about the table of meetings: its records, letters, documents.
_TABLE_WORDS = re.compile(r"记录|文件|文号|信函|的信|表格|record|letter|document|table|symbol", re.IGNORECASE)


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
    passage_key: list[tuple]
    masks: dict[str, np.ndarray] = field(default_factory=dict)

    @classmethod
    def build(cls, generation: str | None, chunks: list[Chunk], cache_dir: Path | None) -> "_State":
        index = LexicalIndex.build(chunks, cache_dir=cache_dir)
        sym: dict[str, list[int]] = defaultdict(list)
        res: dict[int, set[int]] = defaultdict(set)
        cards: dict[str, list[int]] = defaultdict(list)
        keys: list[tuple] = []
        for i, c in enumerate(chunks):
            for s in {c.doc_id, *c.symbols}:
                sym[s].append(i)
                m = _RES.match(s)
                if m:
                    res[int(m.group(1))].add(i)
            if c.kind == "document_card":
                cards[c.doc_id].append(i)
            if c.paragraph is None and c.label is None and c.kind != "document_card":
                keys.append(("row", i))
            else:
                keys.append((c.doc_id, c.kind, c.paragraph, c.label))
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
            passage_key=keys,
        )

    def rows_for_symbols(self, symbols: list[str], numbers: list[int] = ()) -> np.ndarray:
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


class HybridRetriever(BaseRetriever):
    """Dense + BM25 retriever over a `DenseIndex` store. See the module docstring for the ranking."""

    model_config = ConfigDict(arbitrary_types_allowed=True)

    store: Any
    k: int = 10
    filters: SearchFilters | None = None
    candidates: int = 50
    rrf_k: int = 60
    dense_weight: float = 1.0
    lexical_weight: float = 1.0
    symbol_boost: float = 0.5
    date_boost: float = 0.5
    card_boost: float = 1.0
    table_factor: float = 0.7
    symbol_candidates: int = 10
    cache_dir: Path | None = None
    max_chars: int = DEFAULT_MAX_CHARS

    _state: _State | None = PrivateAttr(default=None)
    _lock: Any = PrivateAttr(default_factory=threading.Lock)

    # ------------------------------------------------------------------ index

    def _generation(self) -> str | None:
        try:
            return str(self.store.generation())
        except Exception as exc:  # a store without generations is indexed once
            log.debug("store.generation() failed: %s", exc)
            return None

    def refresh(self, force: bool = False) -> _State:
        """Rebuild the lexical index if the store changed since it was built; return the state."""
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
                state = _State.build(gen, chunks, self.cache_dir)
                self._state = state
        return state

    @property
    def lexical_index(self) -> LexicalIndex:
        return self.refresh().index

    # ------------------------------------------------------------------ search

    def search(self, question: str | Query, k: int = 10, filters: SearchFilters | None = None) -> list[ScoredChunk]:
        """The k best passages for `question` (str questions are analysed; may raise QueryError)."""
        q = question if isinstance(question, Query) else analyse(question, self.max_chars)
        st = self.refresh()
        n = len(st.index)
        if n == 0 or k <= 0:
            return []
        allowed = st.mask(filters)
        N = max(self.candidates, k)
        unit = 1.0 / (self.rrf_k + 1)

        # Lexical side: full score vector, so any candidate's global rank is known.
        lex = st.index.scores(q.tokens)
        if allowed is not None:
            lex = np.where(allowed, lex, 0.0)
        lex_top = top_k(lex, N)
        lex_rank: dict[int, int] = {int(r): i + 1 for i, r in enumerate(lex_top)}

        # Dense side (the store applies the filters; we re-check them against our own mask).
        dense_rank: dict[int, int] = {}
        dense_cos: dict[int, float] = {}
        try:
            hits = self.store.dense_search(q.text, N if allowed is None else 2 * N, filters)
        except Exception as exc:
            log.warning("dense search failed, using lexical results only: %s", exc)
            hits = []
        for cid, cos in hits:
            row = st.index.row_of.get(cid)
            if row is None or (allowed is not None and not allowed[row]) or row in dense_rank:
                continue
            dense_rank[row] = len(dense_rank) + 1
            dense_cos[row] = float(cos)
            if len(dense_rank) >= N:
                break

        candidates: set[int] = set(lex_rank) | set(dense_rank)

        # Documents the question names: boost, and let their best BM25 hits compete.
        sym_rows = st.rows_for_symbols(q.symbols, q.resolution_numbers)
        sym_set = set(sym_rows.tolist())
        if len(sym_rows):
            sub = np.zeros(n, dtype=bool)
            sub[sym_rows] = True
            candidates.update(int(r) for r in top_k(lex, self.symbol_candidates, sub))

        card_set: set[int] = set()
        if q.asks_document_facts:
            named = {s for s in q.symbols if s.startswith("S/RES/")}
            for doc, rows in st.card_rows.items():
                m = _RES.match(doc)
                if doc in named or (m and int(m.group(1)) in q.resolution_numbers):
                    card_set.update(r for r in rows if allowed is None or allowed[r])
            candidates |= card_set

        date_set: set[int] = set()
        for m, d in q.dates:
            date_set.update(st.index.rows_with_term(date_token(m, d)).tolist())

        table_question = bool(q.dates) or any(not s.startswith("S/RES/") for s in q.symbols) or bool(_TABLE_WORDS.search(q.text))

        # Per-chunk components, then per-passage (language versions merged).
        groups: dict[tuple, list[tuple[int, float, float, float]]] = defaultdict(list)
        for row in candidates:
            d = self.dense_weight / (self.rrf_k + dense_rank[row]) if row in dense_rank else 0.0
            l = 0.0
            if lex[row] > 0:
                rank = lex_rank.get(row) or int(np.count_nonzero(lex > lex[row])) + 1
                l = self.lexical_weight / (self.rrf_k + rank)
            b = 0.0
            if row in sym_set:
                b += self.symbol_boost * unit
            if row in date_set:
                b += self.date_boost * unit
            if row in card_set:
                b += self.card_boost * unit
            groups[st.passage_key[row]].append((row, d, l, b))

        results: list[tuple[float, int, int | None, int | None]] = []
        for members in groups.values():
            d = max(m[1] for m in members)
            l = max(m[2] for m in members)
            b = max(m[3] for m in members)
            score = d + l + b
            if st.kinds[members[0][0]] == "table_row" and not table_question:
                score *= self.table_factor
            same_lang = [m for m in members if st.langs[m[0]] == q.lang]
            pool = same_lang or members
            rep = max(pool, key=lambda m: (m[1] + m[2] + m[3], -m[0]))[0]
            dense_src = rep if rep in dense_cos else next((m[0] for m in members if m[0] in dense_cos), None)
            lex_src = rep if lex[rep] > 0 else next((m[0] for m in members if lex[m[0]] > 0), None)
            results.append((score, rep, dense_src, lex_src))

        results.sort(key=lambda r: (-r[0], r[1]))
        out: list[ScoredChunk] = []
        for i, (score, rep, dsrc, lsrc) in enumerate(results[:k]):
            out.append(
                ScoredChunk(
                    chunk=st.index.chunks[rep],
                    score=float(score),
                    dense=dense_cos[dsrc] if dsrc is not None else None,
                    lexical=float(lex[lsrc]) if lsrc is not None else None,
                    rank=i + 1,
                )
            )
        return out

    # ------------------------------------------------------------- LangChain

    def _get_relevant_documents(self, query: str, *, run_manager: CallbackManagerForRetrieverRun) -> list[Document]:
        return [to_document(sc) for sc in self.search(query, k=self.k, filters=self.filters)]


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
