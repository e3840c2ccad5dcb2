"""The vector index of chunks: Chroma (embedded or a server) behind one small class.

Why a class of our own over `langchain_chroma.Chroma`: the rest of the app needs things the
generic vector store does not give — exact `Chunk` round-trips, per-file incremental updates
that survive a crash, a guard against mixing embedders, filters on symbols and dates, and the
stored vectors for the answerer. LangChain's `Chroma` is still what holds the client and
collection (and is exposed as `.langchain` for retrievers); writes go through the collection
with vectors we computed ourselves, so they come from the cache and are never embedded twice.

Nothing here ever lets Chroma embed: the collection is created with `embedding_function=None`
and every add/query passes explicit vectors, so chromadb's default (downloading) model is
never constructed.
"""

from __future__ import annotations

import contextlib
import functools
import inspect
import os
import time
import uuid
from collections import Counter
from pathlib import Path
from typing import Any, Iterator, NamedTuple
from urllib.parse import urlparse

import chromadb
import httpx
import numpy as np
from chromadb.config import Settings as ChromaSettings
from chromadb.errors import NotFoundError
from langchain_chroma import Chroma
from langchain_core.embeddings import Embeddings
from pydantic import BaseModel, Field

from ingest.errors import ChunkIdConflict, DuplicateDocument, EmbedderMismatch, StoreUnavailable
from ingest.chunk import Chunk
from vectorstore.filters import SearchFilters
from vectorstore.cache import CachedEmbeddings
from vectorstore.documents import SYMBOL_PREFIX, SYMBOLS_KEY, chunk_from_metadata, chunk_metadata, date_int, embedding_text
from vectorstore.lock import WriteLock

PAGE = 2000  # rows per `get` page: large enough to be fast, small enough to bound memory
WRITE_PAGE = 1000  # rows per upsert call (Chroma's cost is mostly per call)
MAX_IN = 500  # longest list of section paths sent as a `$in` filter
PATHS_IN = 500  # source paths per `$in` query when looking up a group's stored chunks


class FileResult(BaseModel):
    new: int = 0
    updated: int = 0
    unchanged: int = 0
    removed: int = 0
    embedded: int = 0


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


# Generations written by this process: a search only needs to reload the index when another
# process wrote (see `ChunkStore.refresh`).
_OWN_GENERATIONS: set[str] = set()


def _new_generation() -> str:
    g = f"{time.time_ns():x}-{uuid.uuid4().hex[:8]}"
    _OWN_GENERATIONS.add(g)
    return g


def _parse_url(url: str) -> tuple[str, int, bool]:
    u = urlparse(url if "://" in url else f"http://{url}")
    if not u.hostname:
        raise StoreUnavailable(f"Chroma server URL {url!r} is not of the form http://host:port")
    ssl = u.scheme == "https"
    return u.hostname, u.port or (443 if ssl else 8000), ssl


def _make_client(store_dir: Path, chroma_url: str | None):
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


class ChunkStore:
    """Chunks, their vectors and their metadata in one Chroma collection."""

    def __init__(self, client, vs: Chroma, name: str, embeddings: CachedEmbeddings, store_dir: Path,
                 location: str, lock: WriteLock, remote: bool):
        self.client = client
        self.langchain = vs
        self.name = name
        self.embeddings = embeddings
        self.store_dir = Path(store_dir)
        self.location = location
        self.lock = lock
        self.remote = remote
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
        try:
            existing = client.get_collection(collection, embedding_function=None)
        except NotFoundError:
            existing = None
        except Exception as e:  # noqa: BLE001 - older servers signal "missing" with ValueError
            if "does not exist" in str(e) or "not found" in str(e).lower():
                existing = None
            elif chroma_url:
                raise StoreUnavailable(f"Chroma server at {chroma_url} failed: {e}") from None
            else:
                raise
        if existing is not None:
            meta = dict(existing.metadata or {})
            built_with = meta.get("embedder")
            if built_with and (built_with != embeddings.id or int(meta.get("dim", embeddings.dim)) != embeddings.dim):
                raise EmbedderMismatch(
                    f"the index '{collection}' at {location} was built with embedder {built_with!r} "
                    f"(dim {meta.get('dim')}), not {embeddings.id!r} (dim {embeddings.dim}): vectors of two models "
                    f"cannot be compared, so switching embedders means re-embedding every passage. Either rebuild "
                    f"it with the new embedder: `unsc ingest --rebuild <paths>` (the embedding cache keeps both "
                    f"models' vectors, so switching back later is quick), or keep using the one it was built with: "
                    f"UNSC_EMBEDDER={_spec_of(built_with)}"
                )
            if not built_with and existing.count() > 0:
                raise EmbedderMismatch(
                    f"the collection '{collection}' at {location} holds data that records no embedder; "
                    f"rebuild it with `unsc ingest --rebuild ...` or choose another collection name"
                )
        vs = Chroma(
            client=client,
            collection_name=collection,
            embedding_function=embeddings,
            collection_metadata={"embedder": embeddings.id, "dim": embeddings.dim, "generation": _new_generation()},
            collection_configuration={"hnsw": {"space": "cosine"}},
        )
        store = cls(client, vs, collection, embeddings, store_dir, location, lock, remote=bool(chroma_url))
        if existing is not None and not (existing.metadata or {}).get("embedder"):
            store._set_meta(embedder=embeddings.id, dim=embeddings.dim)  # adopt an empty foreign collection
        return store

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
        return (col.metadata or {}).get("embedder") or None

    @staticmethod
    def _drop(client, name: str) -> None:
        try:
            client.delete_collection(name)
        except NotFoundError:
            pass
        except Exception as e:  # noqa: BLE001
            if "does not exist" not in str(e) and "not found" not in str(e).lower():
                raise

    @property
    def _col(self):
        return self.langchain._collection

    def _set_meta(self, **updates: Any) -> None:
        meta = {k: v for k, v in (self._col.metadata or {}).items() if not k.startswith("hnsw:")}
        meta.update(updates)
        self._col.modify(metadata=meta)

    def _bump(self) -> None:
        self._set_meta(generation=_new_generation())

    # ------------------------------------------------------------------ reading

    def count(self) -> int:
        return int(self._col.count())

    def _read_collection(self):
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

        Why: an embedded (PersistentClient) Chroma keeps its HNSW index in memory; counts and
        metadata read from sqlite are current, but vector search would not see chunks another
        process added (measured) and a collection rebuilt elsewhere would vanish under us. A
        fresh client for the same path loads the index from disk. A server needs only a fresh
        collection handle.
        """
        if not self.remote:
            from chromadb.api.shared_system_client import SharedSystemClient

            # forget (without stopping: other handles may still use it) the cached system for this path
            mine = os.path.realpath(self.location)
            for ident in list(SharedSystemClient._identifier_to_system):
                if ident and os.path.realpath(ident) == mine:
                    SharedSystemClient._identifier_to_system.pop(ident, None)
                    SharedSystemClient._identifier_to_refcount.pop(ident, None)
            self.client, _ = _make_client(self.store_dir, None)
        self.langchain = Chroma(client=self.client, collection_name=self.name, embedding_function=self.embeddings,
                                collection_metadata={"embedder": self.embeddings.id, "dim": self.embeddings.dim,
                                                     "generation": _new_generation()},
                                collection_configuration={"hnsw": {"space": "cosine"}})
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
            if g not in _OWN_GENERATIONS:  # written by another process
                self.refresh()
            self._seen_generation = g

    def _pages(self, include: list[str], where: dict | None = None) -> Iterator[dict]:
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
            for cid, vec in zip(page["ids"], page["embeddings"]):
                out[cid] = np.asarray(vec, dtype=np.float32)
        return out

    def _metadatas(self) -> Iterator[tuple[str, dict]]:
        for page in self._pages(["metadatas"]):
            yield from zip(page["ids"], page["metadatas"])

    def all_chunks(self) -> list[Chunk]:
        return [chunk_from_metadata(m) for _, m in self._metadatas()]

    def get_chunks(self, ids: list[str]) -> dict[str, Chunk]:
        return {i: chunk_from_metadata(m) for i, m in self._get_meta(ids).items()}

    def _get_meta(self, ids: list[str]) -> dict[str, dict]:
        out: dict[str, dict] = {}
        ids = list(dict.fromkeys(ids))
        for i in range(0, len(ids), PAGE):
            page = self._col.get(ids=ids[i : i + PAGE], include=["metadatas"])
            out.update(zip(page["ids"], page["metadatas"]))
        return out

    def vectors(self, ids: list[str]) -> dict[str, np.ndarray]:
        """Stored passage vectors (float32, normalised as the embedder made them)."""
        out: dict[str, np.ndarray] = {}
        ids = list(dict.fromkeys(ids))
        for i in range(0, len(ids), PAGE):
            page = self._col.get(ids=ids[i : i + PAGE], include=["embeddings"])
            for cid, vec in zip(page["ids"], page["embeddings"]):
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
        qv = self.embeddings.embed_role([query], "query")[0].tolist()
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
            res = self._col.query(query_embeddings=[qv], n_results=n, where=where,
                                  include=["distances", "metadatas"] if post else ["distances"])
            ids, dists = res["ids"][0], res["distances"][0]
            if post:
                metas = res["metadatas"][0]
                hits = [(i, 1.0 - float(d)) for i, d, m in zip(ids, dists, metas) if post in (m.get("section") or "")]
            else:
                hits = [(i, 1.0 - float(d)) for i, d in zip(ids, dists)]
            if len(hits) >= k or len(ids) < n or n >= total:
                return hits[:k]
            n = min(total, n * 4)

    # ------------------------------------------------------------------ writing

    def upsert_file(self, source_path: str, file_sha: str, chunks: list[Chunk]) -> FileResult:
        """Make the index hold exactly `chunks` for `source_path` (see `upsert_files`)."""
        result = self.upsert_files([(source_path, file_sha, chunks)])[0]
        if isinstance(result, Exception):
            raise result
        return result

    def upsert_files(self, files: list[tuple[str, str, list[Chunk]]]) -> list[FileResult | ChunkIdConflict]:
        """Make the index hold exactly its chunks for each (source_path, file_sha, chunks).

        Why several files at once: Chroma's cost is per call far more than per row (measured: 36
        rows per upsert ran at a third of the speed of 500-1000), and a whole-record ingest is
        thousands of small files; so the existing records, the stale ids, the writes, the deletes
        and the generation bump are each one call per group of files, not per file.

        A file whose chunk ids clash (with themselves or with another indexed file) gets a
        `ChunkIdConflict` (`DuplicateDocument` for a copy) in its place in the result list and
        is not written; the other files are.

        Order matters for crash safety: every vector is computed first (nothing is written if
        embedding fails), then new/changed chunks are written, then unchanged chunks get the new
        file sha, then the files' stale chunks are deleted. A crash in between leaves a file's
        chunks with mixed shas or a wrong count, which `file_state` reports, so ingest redoes it.
        """
        results: list[FileResult | ChunkIdConflict | None] = [None] * len(files)
        with self.lock:
            self._ensure_fresh()
            claimed: dict[str, int] = {}  # chunk id -> index of the file in this group that has it
            for n, (source_path, _, chunks) in enumerate(files):
                ids = [c.id for c in chunks]
                dupes = [i for i, k in Counter(ids).items() if k > 1]
                if dupes:
                    results[n] = ChunkIdConflict(f"{source_path} produced duplicate chunk ids: {dupes[:5]}")
                    continue
                if any(i in claimed for i in ids):
                    # Two files of this group share ids (a copy, a clash): write the files before it
                    # first, so it is judged against them exactly as if the files came one by one.
                    return self.upsert_files(files[:n]) + self.upsert_files(files[n:])
                for i in ids:
                    claimed[i] = n
            existing = self._get_meta(list(claimed))
            write: list[tuple[str, Chunk, dict]] = []
            touch: list[tuple[str, dict]] = []
            keep: set[str] = set()
            for n, (source_path, file_sha, chunks) in enumerate(files):
                if results[n] is not None:
                    continue
                foreign = {c.id: existing[c.id].get("source_path") for c in chunks
                           if c.id in existing and existing[c.id].get("source_path") != source_path}
                # A file that moved: its old path is gone, so the new path takes its passages over.
                foreign = {i: other for i, other in foreign.items() if other and Path(other).exists()}
                if foreign:
                    i, other = next(iter(foreign.items()))
                    by_id = {c.id: c for c in chunks}
                    if all(chunk_from_metadata(existing[j]).text == by_id[j].text for j in foreign):
                        results[n] = DuplicateDocument(f"{source_path}: same passages as {other}, already indexed; skipped")
                    else:
                        results[n] = ChunkIdConflict(
                            f"{source_path}: chunk id {i!r} is already stored for {other!r} "
                            f"({len(foreign)} such ids); remove or rename one of the files")
                    continue
                result = FileResult()
                for c in chunks:
                    meta = chunk_metadata(c, source_path, file_sha, len(chunks))
                    old = existing.get(c.id)
                    keep.add(c.id)
                    if old is None:
                        result.new += 1
                        write.append((c.id, c, meta))
                    elif old.get("chunk") != meta["chunk"]:
                        result.updated += 1
                        write.append((c.id, c, meta))
                    else:
                        result.unchanged += 1
                        if old.get("file_sha") != file_sha or old.get("file_chunks") != len(chunks):
                            touch.append((c.id, meta))
                results[n] = result
            written_paths = [files[n][0] for n in range(len(files)) if isinstance(results[n], FileResult)]
            before = self.embeddings.embedded
            vecs = self.embeddings.embed_role([embedding_text(c) for _, c, _ in write], "passage")
            embedded = self.embeddings.embedded - before
            # Stored ids of these files that none of them holds any more (one query for the group).
            stale_by_path: dict[str, list[str]] = {}
            for cid, path in self._ids_with_paths(written_paths):
                if cid not in keep:
                    stale_by_path.setdefault(path, []).append(cid)
            stale = [i for ids in stale_by_path.values() for i in ids]
            for s in range(0, len(write), WRITE_PAGE):
                part = write[s : s + WRITE_PAGE]
                self._col.upsert(
                    ids=[cid for cid, _, _ in part],
                    embeddings=vecs[s : s + len(part)],
                    documents=[c.text for _, c, _ in part],
                    metadatas=[m for _, _, m in part],
                )
            for s in range(0, len(touch), WRITE_PAGE):
                part = touch[s : s + WRITE_PAGE]
                self._col.update(ids=[cid for cid, _ in part], metadatas=[m for _, m in part])
            for s in range(0, len(stale), WRITE_PAGE):
                self._col.delete(ids=stale[s : s + WRITE_PAGE])
            for n, r in enumerate(results):
                if isinstance(r, FileResult):
                    r.removed = len(stale_by_path.get(files[n][0], []))
            if len(written_paths) == 1:  # per-file figure only when it is one file's
                for r in results:
                    if isinstance(r, FileResult):
                        r.embedded = embedded
            if write or touch or stale:
                self._bump()
            return results  # type: ignore[return-value]

    def _ids_with_paths(self, source_paths: list[str]) -> list[tuple[str, str]]:
        """(chunk id, source path) of every stored chunk of these files."""
        out: list[tuple[str, str]] = []
        for s in range(0, len(source_paths), PATHS_IN):
            part = source_paths[s : s + PATHS_IN]
            where = {"source_path": part[0]} if len(part) == 1 else {"source_path": {"$in": part}}
            for page in self._pages(["metadatas"], where=where):
                out += [(i, (m or {}).get("source_path", "")) for i, m in zip(page["ids"], page["metadatas"])]
        return out

    def _ids_of(self, source_path: str) -> list[str]:
        out: list[str] = []
        for page in self._pages([], where={"source_path": source_path}):
            out += page["ids"]
        return out

    def remove_file(self, source_path: str) -> int:
        """Delete every chunk of a source file (e.g. a file removed from the corpus)."""
        with self.lock:
            self._ensure_fresh()
            ids = self._ids_of(source_path)
            for s in range(0, len(ids), WRITE_PAGE):
                self._col.delete(ids=ids[s : s + WRITE_PAGE])
            if ids:
                self._bump()
            return len(ids)

    def reset(self) -> None:
        """Drop this collection (only it: other collections, caches and files are untouched)."""
        with self.lock:
            self._drop(self.client, self.name)
            self.langchain = Chroma(
                client=self.client,
                collection_name=self.name,
                embedding_function=self.embeddings,
                collection_metadata={"embedder": self.embeddings.id, "dim": self.embeddings.dim,
                                     "generation": _new_generation()},
                collection_configuration={"hnsw": {"space": "cosine"}},
            )

    rebuild = reset


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


def _guarded(method):
    @functools.wraps(method)
    def wrapper(self: ChunkStore, *args, **kwargs):
        with map_store_errors(self):
            return method(self, *args, **kwargs)

    return wrapper


# Every public method talks to Chroma: all of them are guarded, so a new one cannot be forgotten.
for _name, _member in list(vars(ChunkStore).items()):
    if not _name.startswith("_") and inspect.isfunction(_member):
        setattr(ChunkStore, _name, _guarded(_member))
ChunkStore.rebuild = ChunkStore.reset


def _spec_of(embedder_id: str) -> str:
    """The `UNSC_EMBEDDER` value that recreates an embedder id."""
    from vectorstore.embeddings import spec_of

    return spec_of(embedder_id)
