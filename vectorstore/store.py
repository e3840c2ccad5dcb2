"""The vector index of chunks: one Chroma collection (embedded or a server) behind one small class.

Why a class of our own, talking to chromadb directly: the rest of the app needs things a generic
vector store does not give — exact `Chunk` round-trips, per-file incremental updates that survive
a crash, a guard against mixing embedders, filters on symbols and dates, and the stored vectors
for the answerer. Every write passes vectors we computed ourselves (from the cache, so nothing is
embedded twice), and every search passes a query vector.

Nothing here ever lets Chroma embed. `embedding_function=None` alone does not ensure that in
chromadb 1.5: a collection created without a configuration gets Chroma's default (downloading)
embedding function in its schema, and any add or query without vectors would run it (measured).
Created with an explicit index configuration and no embedding function, the collection records
none, and a call without vectors fails with a ValueError instead. That is also exactly how the
indexes already on disk were created (through langchain_chroma), so both are alike: same
collection name, configuration, metadata keys and ids.
"""

from __future__ import annotations

import contextlib
import functools
import inspect
import time
import uuid
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, Iterator, NamedTuple, TypeVar
from urllib.parse import urlparse

import chromadb
import httpx
import numpy as np
from chromadb.config import Settings as ChromaSettings
from chromadb.errors import NotFoundError
from langchain_core.embeddings import Embeddings
from pydantic import BaseModel, Field

from ingest.chunk import Chunk
from ingest.errors import ChunkIdConflict, DocumentIndexedElsewhere, DuplicateDocument, EmbedderMismatch, StoreUnavailable
from vectorstore.cache import CachedEmbeddings
from vectorstore.documents import SYMBOL_PREFIX, SYMBOLS_KEY, chunk_from_metadata, chunk_metadata, date_int, embedding_text
from vectorstore.filters import SearchFilters
from vectorstore.lock import WriteLock

if TYPE_CHECKING:
    from chromadb.api import ClientAPI
    from chromadb.api.types import Include
    from chromadb.api.models.Collection import Collection

__all__ = ["ChunkIdConflict", "ChunkStore", "DocumentIndexedElsewhere", "DuplicateDocument", "EmbedderMismatch", "FileResult", "FileState",
           "StoreStats", "StoreUnavailable", "build_where", "map_store_errors"]

PAGE = 2000  # rows per `get` page: large enough to be fast, small enough to bound memory
WRITE_PAGE = 1000  # rows per upsert call (Chroma's cost is mostly per call)
MAX_IN = 500  # longest list of section paths sent as a `$in` filter
PATHS_IN = 500  # source paths per `$in` query when looking up a group's stored chunks
# The index configuration every collection is created with (see the module docstring: it is what
# keeps Chroma's default embedding function out, and what langchain_chroma created before).
INDEX_CONFIGURATION: dict[str, Any] = {"hnsw": {"space": "cosine"}}


class FileResult(BaseModel):
    new: int = 0
    updated: int = 0
    unchanged: int = 0
    removed: int = 0
    embedded: int = 0
    replaced: list[str] = []  # other files that held this file's document, whose chunks it replaced


class FileState(NamedTuple):
    """What the index holds for one source file. `sha` is None when its chunks disagree."""

    sha: str | None
    stored: int
    expected: int

    @property
    def complete(self) -> bool:
        return self.sha is not None and self.stored == self.expected


class StoreStats(BaseModel):
    documents: int
    chunks: int
    by_kind: dict[str, int] = Field(default_factory=dict)
    by_lang: dict[str, int] = Field(default_factory=dict)
    embedder: str
    store: str


FileInput = tuple[str, str, list[Chunk]]  # (source path, file sha, chunks) as `upsert_files` takes them
Outcome = FileResult | ChunkIdConflict


@dataclass
class _WritePlan:
    """What one `upsert_files` call writes: chunks to (re)embed, metadata to touch, ids to keep."""

    write: list[tuple[str, Chunk, dict]] = field(default_factory=list)
    touch: list[tuple[str, dict]] = field(default_factory=list)
    keep: set[str] = field(default_factory=set)
    replaced: dict[str, list[str]] = field(default_factory=dict)  # file path -> other files it replaces


def _new_generation() -> str:
    return f"{time.time_ns():x}-{uuid.uuid4().hex[:8]}"


def _parse_url(url: str) -> tuple[str, int, bool]:
    u = urlparse(url if "://" in url else f"http://{url}")
    if not u.hostname:
        raise StoreUnavailable(f"Chroma server URL {url!r} is not of the form http://host:port")
    ssl = u.scheme == "https"
    return u.hostname, u.port or (443 if ssl else 8000), ssl


def _make_client(store_dir: Path, chroma_url: str | None) -> tuple[ClientAPI, str]:
    settings = ChromaSettings(anonymized_telemetry=False, allow_reset=False)
    if chroma_url:
        host, port, ssl = _parse_url(chroma_url)
        try:
            client = chromadb.HttpClient(host=host, port=port, ssl=ssl, settings=settings)
            client.heartbeat()
        except Exception as e:  # noqa: BLE001 - any failure here means "cannot use the server"
            reason = str(e).strip().splitlines()[0] if str(e).strip() else type(e).__name__
            raise StoreUnavailable(f"Chroma server at {chroma_url} is unavailable: {reason}") from None
        return client, chroma_url
    path = Path(store_dir) / "chroma"
    path.mkdir(parents=True, exist_ok=True)
    try:
        return chromadb.PersistentClient(path=str(path), settings=settings), str(path)
    except Exception as e:  # noqa: BLE001
        raise StoreUnavailable(f"cannot open the index at {path}: {e}") from None


def _is_missing(e: Exception) -> bool:
    """Whether a chromadb error says "no such collection" (NotFoundError, or ValueError from older servers)."""
    return isinstance(e, NotFoundError) or "does not exist" in str(e) or "not found" in str(e).lower()


def _rows(page: Any, key: str) -> list:
    """A `get` result's column (chromadb types them Optional: absent when not included)."""
    rows = page.get(key)
    return [] if rows is None else list(rows)


def build_where(filters: SearchFilters | None, doc_ids: list[str] | None = None) -> dict[str, Any] | None:
    """Chroma `where` clause for everything in `filters` except `section` (post-filtered)."""
    conds: list[dict[str, Any]] = []
    if filters is not None:
        if filters.langs:
            conds.append({"lang": {"$in": list(filters.langs)}})
        if filters.kinds:
            conds.append({"kind": {"$in": list(filters.kinds)}})
        if filters.doc_kinds:
            conds.append({"doc_kind": {"$in": list(filters.doc_kinds)}})
        if filters.symbols:
            ors: list[dict[str, Any]] = []
            for s in filters.symbols:
                # the last form matches indexes built before symbols became one list
                ors += [{"doc_id": s}, {SYMBOLS_KEY: {"$contains": s}}, {SYMBOL_PREFIX + s: True}]
            conds.append({"$or": ors})
        if filters.date_from:
            conds.append({"date": {"$gte": date_int(filters.date_from.isoformat())}})
        if filters.date_to:
            conds.append({"date": {"$lte": date_int(filters.date_to.isoformat())}})
    if doc_ids:
        conds.append({"doc_id": {"$in": list(doc_ids)}})
    if not conds:
        return None
    return conds[0] if len(conds) == 1 else {"$and": conds}


@contextlib.contextmanager
def map_store_errors(store: ChunkStore) -> Iterator[None]:
    """Turn a lost server connection into `StoreUnavailable` (one line, no httpx traceback).

    The model is httpx's `map_exceptions`: one place maps the transport's errors to ours, so
    callers catch `ingest.errors.StoreError` and never a client library's exception.
    """
    try:
        yield
    except httpx.TransportError as e:
        if not store.remote:
            raise
        raise StoreUnavailable(f"Chroma server at {store.location} is unavailable: {e}") from None


_C = TypeVar("_C", bound=type)


def _maps_store_errors(cls: _C) -> _C:
    """Run every public method of `cls` inside `map_store_errors`.

    Why all of them rather than a list: every public method talks to Chroma, and a list of names
    is how one (`all_vectors`) was once forgotten; a new method is covered without a thought.
    """
    def guard(method):
        @functools.wraps(method)
        def wrapper(self: ChunkStore, *args, **kwargs):
            with map_store_errors(self):
                return method(self, *args, **kwargs)

        return wrapper

    for name, member in list(vars(cls).items()):
        if not name.startswith("_") and inspect.isfunction(member):
            setattr(cls, name, guard(member))
    return cls


@_maps_store_errors
class ChunkStore:
    """Chunks, their vectors and their metadata in one Chroma collection."""

    def __init__(self, client: ClientAPI, name: str, embeddings: CachedEmbeddings, store_dir: Path,
                 location: str, lock: WriteLock, remote: bool):
        self.client = client
        self.name = name
        self.embeddings = embeddings
        self.store_dir = Path(store_dir)
        self.location = location
        self.lock = lock
        self.remote = remote
        # Generations this handle wrote: a search reloads the index only when someone else wrote.
        self._own_generations: set[str] = set()
        self._col = self._open_collection()
        self._sections: tuple[str, list[str]] | None = None
        self._seen_generation = self._read_generation()

    # ------------------------------------------------------------------ opening

    @classmethod
    def open(cls, store_dir: Path, embeddings: Embeddings, collection: str = "unsc", chroma_url: str | None = None,
             *, rebuild: bool = False, lock_timeout: float = 10.0) -> "ChunkStore":
        """Open (creating if needed) the collection; refuse one built by another embedder.

        `embeddings` must have `.id` and `.dim`; unless it already is a `CachedEmbeddings`, it is
        wrapped in one whose cache lives in `store_dir/embeddings.sqlite`. `rebuild=True` drops
        the collection first (the embedding cache is kept, so rebuilding is cheap).
        """
        store_dir = Path(store_dir)
        store_dir.mkdir(parents=True, exist_ok=True)
        if not isinstance(embeddings, CachedEmbeddings):
            if not hasattr(embeddings, "id") or not hasattr(embeddings, "dim"):
                raise TypeError("embeddings need `.id` and `.dim` (use vectorstore.embeddings.make_embeddings)")
            embeddings = CachedEmbeddings(embeddings, store_dir / "embeddings.sqlite",
                                          batch=getattr(embeddings, "batch", 16))
        client, location = _make_client(store_dir, chroma_url)
        lock = WriteLock(store_dir, timeout=lock_timeout)
        if rebuild:
            with lock:
                cls._drop(client, collection)
        existing = cls._existing(client, collection, chroma_url)
        if existing is not None:
            _check_embedder(existing, embeddings, collection, location)
        store = cls(client, collection, embeddings, store_dir, location, lock, remote=bool(chroma_url))
        if existing is not None and not (existing.metadata or {}).get("embedder"):
            store._set_meta(embedder=embeddings.id, dim=embeddings.dim)  # adopt an empty foreign collection
        return store

    @staticmethod
    def _existing(client: ClientAPI, name: str, chroma_url: str | None) -> Collection | None:
        """The collection if it exists (None if not); a failing server is `StoreUnavailable`."""
        try:
            return client.get_collection(name, embedding_function=None)
        except Exception as e:  # noqa: BLE001 - "missing" is NotFoundError or ValueError by version
            if _is_missing(e):
                return None
            if chroma_url:
                raise StoreUnavailable(f"Chroma server at {chroma_url} failed: {e}") from None
            raise

    @staticmethod
    def recorded_embedder(store_dir: Path, collection: str = "unsc", chroma_url: str | None = None) -> str | None:
        """The embedder id an existing collection was built with (None: no such collection yet).

        Lets the UI open an index with the model that built it when the user did not ask for a
        particular one, so that a change of the default embedder never breaks an existing index:
        switching stays an explicit `--rebuild`.
        """
        if not chroma_url and not (Path(store_dir) / "chroma").is_dir():
            return None
        client, _ = _make_client(Path(store_dir), chroma_url)
        try:
            col = client.get_collection(collection, embedding_function=None)
        except Exception:  # noqa: BLE001 - missing collection (NotFoundError or ValueError by version)
            return None
        value = (col.metadata or {}).get("embedder")
        return str(value) if value else None

    @staticmethod
    def _drop(client: ClientAPI, name: str) -> None:
        try:
            client.delete_collection(name)
        except Exception as e:  # noqa: BLE001
            if not _is_missing(e):
                raise

    def _open_collection(self) -> Collection:
        """Our collection, created (with this embedder recorded) if it does not exist."""
        gen = self._new_own_generation()
        return self.client.get_or_create_collection(
            self.name,
            configuration=_index_configuration(),
            metadata={"embedder": self.embeddings.id, "dim": self.embeddings.dim, "generation": gen},
            embedding_function=None,
        )

    def _new_own_generation(self) -> str:
        g = _new_generation()
        self._own_generations.add(g)
        return g

    def _set_meta(self, **updates: Any) -> None:
        meta = {k: v for k, v in (self._col.metadata or {}).items() if not k.startswith("hnsw:")}
        meta.update(updates)
        self._col.modify(metadata=meta)

    def _bump(self) -> None:
        self._set_meta(generation=self._new_own_generation())

    # ------------------------------------------------------------------ reading

    def count(self) -> int:
        return int(self._col.count())

    def heartbeat(self) -> int:
        """Chroma's heartbeat (nanoseconds): raises `StoreUnavailable` when a server is gone."""
        return int(self.client.heartbeat())

    def _read_collection(self) -> Collection | None:
        try:
            return self.client.get_collection(self.name, embedding_function=None)
        except NotFoundError:  # another process is between dropping and recreating it
            return None

    def _read_generation(self) -> str:
        col = self._read_collection()
        return str((col.metadata or {}).get("generation", "")) if col is not None else ""

    def generation(self) -> str:
        """Token that changes after every write, read fresh so other processes' writes show."""
        return self._read_generation()

    def refresh(self) -> None:
        """Reload the collection so that writes made by other processes become searchable.

        Why: an embedded (PersistentClient) Chroma keeps its HNSW index in memory, and chromadb
        keeps one such system per path per process, which every new client for the path shares;
        counts and metadata read from sqlite are current, but vector search would not see chunks
        another process added (measured with chromadb 1.5.9: not through the same collection
        handle, not through a new handle, only through a new system) and a collection rebuilt
        elsewhere would vanish under us. `clear_system_cache()` is chromadb's public way (on
        `ClientAPI`) to let a new client build a new system for an existing path; it stops nothing,
        so clients already made (other handles, searches running in other threads) keep working
        with theirs. Closing our client instead would not do: another handle in this process
        sharing the system would keep it, stale, alive. A server needs only a fresh collection handle.
        """
        if not self.remote:
            self.client.clear_system_cache()
            self.client, _ = _make_client(self.store_dir, None)
        self._col = self._open_collection()
        self._sections = None
        self._seen_generation = self._read_generation()

    def _ensure_fresh(self) -> None:
        col = self._read_collection()
        if col is None:
            return
        g = str((col.metadata or {}).get("generation", ""))
        if col.id != self._col.id:  # rebuilt by another handle or process
            self.refresh()
        elif g != self._seen_generation:
            if g not in self._own_generations:  # written by someone else
                self.refresh()
            self._seen_generation = g

    def _pages(self, include: Include, where: dict | None = None) -> Iterator[Any]:
        offset = 0
        while True:
            page = self._col.get(include=include, where=where, limit=PAGE, offset=offset)
            n = len(page["ids"])
            if n:
                yield page
            if n < PAGE:
                return
            offset += n

    def all_vectors(self) -> dict[str, np.ndarray]:
        """Every stored passage vector by chunk id (float32), in one paged pass.

        The retriever keeps them in memory for exact nearest-neighbour search: at tens of
        thousands of passages a matrix product takes milliseconds, while a metadata-filtered
        Chroma query (one per language or filter) scans for ~90 ms.
        """
        out: dict[str, np.ndarray] = {}
        for page in self._pages(["embeddings"]):
            for cid, vec in zip(page["ids"], _rows(page, "embeddings"), strict=True):
                out[cid] = np.asarray(vec, dtype=np.float32)
        return out

    def _metadatas(self, where: dict | None = None) -> Iterator[tuple[str, dict]]:
        for page in self._pages(["metadatas"], where=where):
            for cid, meta in zip(page["ids"], _rows(page, "metadatas"), strict=True):
                yield cid, dict(meta or {})

    def all_chunks(self) -> list[Chunk]:
        return [chunk_from_metadata(m) for _, m in self._metadatas()]

    def get_chunks(self, ids: list[str]) -> dict[str, Chunk]:
        return {i: chunk_from_metadata(m) for i, m in self.get_metadata(ids).items()}

    def get_metadata(self, ids: list[str]) -> dict[str, dict]:
        """The stored metadata (see `vectorstore.documents.chunk_metadata`) of those ids the index holds."""
        out: dict[str, dict] = {}
        ids = list(dict.fromkeys(ids))
        for i in range(0, len(ids), PAGE):
            page = self._col.get(ids=ids[i : i + PAGE], include=["metadatas"])
            out.update((cid, dict(m or {})) for cid, m in zip(page["ids"], _rows(page, "metadatas"), strict=True))
        return out

    def vectors(self, ids: list[str]) -> dict[str, np.ndarray]:
        """Stored passage vectors (float32, normalised as the embedder made them)."""
        out: dict[str, np.ndarray] = {}
        ids = list(dict.fromkeys(ids))
        for i in range(0, len(ids), PAGE):
            page = self._col.get(ids=ids[i : i + PAGE], include=["embeddings"])
            for cid, vec in zip(page["ids"], _rows(page, "embeddings"), strict=True):
                out[cid] = np.asarray(vec, dtype=np.float32)
        return out

    def file_state(self) -> dict[str, FileState]:
        """Per source file: (sha, stored chunk count, chunk count the file produced), one pass."""
        shas: dict[str, set[str]] = {}
        stored: Counter[str] = Counter()
        expected: dict[str, int] = {}
        for _, m in self._metadatas():
            p = m.get("source_path", "")
            shas.setdefault(p, set()).add(m.get("file_sha", ""))
            stored[p] += 1
            expected[p] = max(expected.get(p, 0), int(m.get("file_chunks", 0)))
        return {
            p: FileState(next(iter(s)) if len(s) == 1 else None, stored[p], expected[p]) for p, s in shas.items()
        }

    def stats(self) -> StoreStats:
        docs: set[str] = set()
        kinds: Counter[str] = Counter()
        langs: Counter[str] = Counter()
        n = 0
        for _, m in self._metadatas():
            n += 1
            docs.add(m.get("doc_id", ""))
            kinds[m.get("kind", "")] += 1
            langs[m.get("lang", "")] += 1
        return StoreStats(documents=len(docs), chunks=n, by_kind=dict(kinds), by_lang=dict(langs),
                          embedder=self.embeddings.id, store=self.location)

    def sections(self) -> list[str]:
        """Distinct section paths in the index (cached until the next write, by generation)."""
        gen = self.generation()
        if self._sections is None or self._sections[0] != gen:
            found = {m.get("section") or "" for _, m in self._metadatas()}
            self._sections = (gen, sorted(found))
        return self._sections[1]

    def dense_search(self, query: str, k: int, filters: SearchFilters | None = None,
                     doc_ids: list[str] | None = None) -> list[tuple[str, float]]:
        """(chunk id, cosine similarity) of the `k` nearest chunks, best first.

        Every filter runs inside Chroma. The section filter is a substring, which Chroma's
        metadata filters cannot express, so it is first resolved to the exact section paths
        that contain it (`sections()`, cached per generation) and passed as `$in`; should that
        list be too long to send, it falls back to over-fetching and filtering afterwards.
        """
        self._ensure_fresh()
        total = self.count()
        if total == 0 or k <= 0:
            return []
        qv = self.embeddings.embed_role([query], "query")[0]
        where = build_where(filters, doc_ids)
        section = (filters.section or "").strip() if filters else ""
        post = ""
        if section:
            matching = [s for s in self.sections() if section in s]
            if not matching:
                return []
            if len(matching) <= MAX_IN:
                cond = {"section": {"$in": matching}}
                where = cond if where is None else {"$and": (where.get("$and") or [where]) + [cond]}
            else:
                post = section
        n = min(total, k if not post else max(4 * k, 50))
        while True:
            ids, dists, metas = self._query(qv, n, where, with_metadata=bool(post))
            hits = [(i, 1.0 - d) for i, d, m in zip(ids, dists, metas, strict=True) if post in (m.get("section") or "")]
            if len(hits) >= k or len(ids) < n or n >= total:
                return hits[:k]
            n = min(total, n * 4)

    def _query(self, vector: np.ndarray, n: int, where: dict | None,
               with_metadata: bool) -> tuple[list[str], list[float], list[dict]]:
        """Ids, cosine distances and (if asked, else empty dicts) metadata of the `n` nearest chunks."""
        res = self._col.query(query_embeddings=[vector], n_results=n, where=where,
                              include=["distances", "metadatas"] if with_metadata else ["distances"])
        ids = list(res["ids"][0])
        dists = [float(d) for d in _rows(res, "distances")[0]]
        metas = [dict(m or {}) for m in _rows(res, "metadatas")[0]] if with_metadata else [{} for _ in ids]
        return ids, dists, metas

    # ------------------------------------------------------------------ writing

    def upsert_file(self, source_path: str, file_sha: str, chunks: list[Chunk], *, replace: bool = False) -> FileResult:
        """Make the index hold exactly `chunks` for `source_path` (see `upsert_files`)."""
        result = self.upsert_files([(source_path, file_sha, chunks)], replace=replace)[0]
        if isinstance(result, Exception):
            raise result
        return result

    def upsert_files(self, files: list[FileInput], *, replace: bool = False) -> list[Outcome]:
        """Make the index hold exactly its chunks for each (source_path, file_sha, chunks).

        Why several files at once: Chroma's cost is per call far more than per row (measured: 36
        rows per upsert ran at a third of the speed of 500-1000), and a whole-record ingest is
        thousands of small files; so the existing records, the stale ids, the writes, the deletes
        and the generation bump are each one call per group of files, not per file.

        A file whose chunk ids clash (with themselves or with another indexed file) gets a
        `ChunkIdConflict` (`DuplicateDocument` for a copy) in its place in the result list and
        is not written; the other files are. Chunk ids contain the document id, so a clash with
        another file means that file holds the same document (a copy, or its PDF beside its
        text): with `replace=True` the new file takes the document over instead, and the other
        file's chunks are deleted (`FileResult.replaced` names it), provided that file holds no
        other document.

        Order matters for crash safety: every vector is computed first (nothing is written if
        embedding fails), then new/changed chunks are written, then unchanged chunks get the new
        file sha, then the files' stale chunks (and those of files replaced) are deleted. A crash
        in between leaves a file's chunks with mixed shas or a wrong count, which `file_state`
        reports, so ingest redoes it.
        """
        with self.lock:
            self._ensure_fresh()
            results, split_at = self._claim(files)
            if split_at is not None:
                # Two files of this group share ids (a copy, a clash): write the files before it
                # first, so it is judged against them exactly as if the files came one by one.
                return self.upsert_files(files[:split_at], replace=replace) + self.upsert_files(files[split_at:], replace=replace)
            existing = self.get_metadata([c.id for n, (_, _, chunks) in enumerate(files) if results[n] is None for c in chunks])
            plan = _WritePlan()
            for n, (source_path, file_sha, chunks) in enumerate(files):
                if results[n] is None:
                    results[n] = self._plan_file(plan, source_path, file_sha, chunks, existing, replace)
            done: list[Outcome] = [r for r in results if r is not None]
            self._execute(plan, files, done)
            return done

    @staticmethod
    def _claim(files: list[FileInput]) -> tuple[list[Outcome | None], int | None]:
        """Per file, a conflict if its own ids repeat; and where to split if two files share ids."""
        results: list[Outcome | None] = [None] * len(files)
        claimed: set[str] = set()
        for n, (source_path, _, chunks) in enumerate(files):
            ids = [c.id for c in chunks]
            dupes = [i for i, k in Counter(ids).items() if k > 1]
            if dupes:
                results[n] = ChunkIdConflict(f"{source_path} produced duplicate chunk ids: {dupes[:5]}")
            elif claimed.intersection(ids):
                return results, n
            else:
                claimed.update(ids)
        return results, None

    def _plan_file(self, plan: _WritePlan, source_path: str, file_sha: str, chunks: list[Chunk],
                   existing: dict[str, dict], replace: bool) -> Outcome:
        """Judge one file against what the index holds and add its writes to `plan`."""
        foreign = {c.id: existing[c.id].get("source_path") for c in chunks
                   if c.id in existing and existing[c.id].get("source_path") != source_path}
        # A file that moved: its old path is gone, so the new path takes its passages over.
        others = {i: str(other) for i, other in foreign.items() if other and Path(other).exists()}
        if others and not replace:
            return _clash(source_path, chunks, existing, others)
        if others:
            refusal = self._refuse_replacing(source_path, chunks, sorted(set(others.values())))
            if refusal is not None:
                return refusal
            plan.replaced[source_path] = sorted(set(others.values()))
        result = FileResult(replaced=plan.replaced.get(source_path, []))
        for c in chunks:
            meta = chunk_metadata(c, source_path, file_sha, len(chunks))
            old = existing.get(c.id)
            plan.keep.add(c.id)
            if old is None:
                result.new += 1
                plan.write.append((c.id, c, meta))
            elif old.get("chunk") != meta["chunk"]:
                result.updated += 1
                plan.write.append((c.id, c, meta))
            else:
                result.unchanged += 1
                if old.get("file_sha") != file_sha or old.get("file_chunks") != len(chunks):
                    plan.touch.append((c.id, meta))
        return result

    def _refuse_replacing(self, source_path: str, chunks: list[Chunk], others: list[str]) -> ChunkIdConflict | None:
        """Why `source_path` may not replace `others` (None: it may): only whole documents are replaced.

        A file holding documents the new file does not (a year's metadata export, say) would lose
        them all with its chunks, so it is never replaced.
        """
        mine = {c.doc_id for c in chunks}
        extra = sorted({str(m.get("doc_id", "")) for _, m in self._metadatas(_paths_where(others))} - mine)
        if not extra:
            return None
        return ChunkIdConflict(f"{source_path}: cannot replace {', '.join(others)}, which also holds other documents "
                               f"({', '.join(extra[:3])}{', ...' if len(extra) > 3 else ''})")

    def _execute(self, plan: _WritePlan, files: list[FileInput], results: list[Outcome]) -> None:
        """Embed, then write, touch and delete as `plan` says (see `upsert_files` for the order)."""
        written = [files[n][0] for n, r in enumerate(results) if isinstance(r, FileResult)]
        before = self.embeddings.embedded
        vecs = self.embeddings.embed_role([embedding_text(c) for _, c, _ in plan.write], "passage")
        embedded = self.embeddings.embedded - before
        # Stored ids of these files (and of the files they replace) that none of them holds any more.
        owner = {other: path for path, others in plan.replaced.items() for other in others}
        stale_by_path: dict[str, list[str]] = {}
        for cid, path in self._ids_with_paths(written + list(owner)):
            if cid not in plan.keep:
                stale_by_path.setdefault(owner.get(path, path), []).append(cid)
        stale = [i for ids in stale_by_path.values() for i in ids]
        for s in range(0, len(plan.write), WRITE_PAGE):
            part = plan.write[s : s + WRITE_PAGE]
            self._col.upsert(ids=[cid for cid, _, _ in part], embeddings=vecs[s : s + len(part)],
                             documents=[c.text for _, c, _ in part], metadatas=[m for _, _, m in part])
        for s in range(0, len(plan.touch), WRITE_PAGE):
            touched = plan.touch[s : s + WRITE_PAGE]
            self._col.update(ids=[cid for cid, _ in touched], metadatas=[m for _, m in touched])
        for s in range(0, len(stale), WRITE_PAGE):
            self._col.delete(ids=stale[s : s + WRITE_PAGE])
        for n, r in enumerate(results):
            if isinstance(r, FileResult):
                r.removed = len(stale_by_path.get(files[n][0], []))
                if len(written) == 1:  # per-file figure only when it is one file's
                    r.embedded = embedded
        if plan.write or plan.touch or stale:
            self._bump()

    def _ids_with_paths(self, source_paths: list[str]) -> list[tuple[str, str]]:
        """(chunk id, source path) of every stored chunk of these files."""
        out: list[tuple[str, str]] = []
        for s in range(0, len(source_paths), PATHS_IN):
            out += [(i, m.get("source_path", "")) for i, m in self._metadatas(_paths_where(source_paths[s : s + PATHS_IN]))]
        return out

    def remove_file(self, source_path: str) -> int:
        """Delete every chunk of a source file (e.g. a file removed from the corpus)."""
        with self.lock:
            self._ensure_fresh()
            ids = [i for i, _ in self._ids_with_paths([source_path])]
            for s in range(0, len(ids), WRITE_PAGE):
                self._col.delete(ids=ids[s : s + WRITE_PAGE])
            if ids:
                self._bump()
            return len(ids)

    def reset(self) -> None:
        """Drop this collection (only it: other collections, caches and files are untouched)."""
        with self.lock:
            self._drop(self.client, self.name)
            self._col = self._open_collection()

    rebuild = reset


def _index_configuration() -> Any:
    """A fresh copy of `INDEX_CONFIGURATION` (chromadb adds to the dict it is given)."""
    return {key: dict(value) for key, value in INDEX_CONFIGURATION.items()}


def _paths_where(paths: list[str]) -> dict[str, Any]:
    return {"source_path": paths[0]} if len(paths) == 1 else {"source_path": {"$in": list(paths)}}


def _clash(source_path: str, chunks: list[Chunk], existing: dict[str, dict], others: dict[str, str]) -> ChunkIdConflict:
    """The refusal for a file whose document another (existing) file already holds.

    Chunk ids contain the document id, so the other file holds the same document: with the same
    passages it is a copy, skipped; with other passages (another rendering, a revised text) which
    one is right is the user's call, so the file fails with both names and the way to replace.
    """
    i, other = next(iter(others.items()))
    by_id = {c.id: c for c in chunks}
    if all(chunk_from_metadata(existing[j]).text == by_id[j].text for j in others):
        return DuplicateDocument(f"{source_path}: same passages as {other}, already indexed; skipped")
    return DocumentIndexedElsewhere(f"{source_path}: chunk id {i!r} is already stored for {other!r} "
                                    f"({len(others)} such ids); remove or rename one of the files")


def _check_embedder(existing: Collection, embeddings: CachedEmbeddings, collection: str, location: str) -> None:
    """Refuse a collection built by another embedder (or holding data that records none)."""
    meta = dict(existing.metadata or {})
    built_with = meta.get("embedder")
    if built_with and (built_with != embeddings.id or int(meta.get("dim", embeddings.dim)) != embeddings.dim):
        raise EmbedderMismatch(
            f"the index '{collection}' at {location} was built with embedder {built_with!r} "
            f"(dim {meta.get('dim')}), not {embeddings.id!r} (dim {embeddings.dim}): vectors of two models "
            f"cannot be compared, so switching embedders means re-embedding every passage. Either rebuild "
            f"it with the new embedder: `unsc ingest --rebuild <paths>` (the embedding cache keeps both "
            f"models' vectors, so switching back later is quick), or keep using the one it was built with: "
            f"UNSC_EMBEDDER={_spec_of(str(built_with))}"
        )
    if not built_with and existing.count() > 0:
        raise EmbedderMismatch(
            f"the collection '{collection}' at {location} holds data that records no embedder; "
            f"rebuild it with `unsc ingest --rebuild ...` or choose another collection name"
        )


def _spec_of(embedder_id: str) -> str:
    """The `UNSC_EMBEDDER` value that recreates an embedder id."""
    from vectorstore.embeddings import spec_of

    return spec_of(embedder_id)
