"""Persistent embedding cache: the same text is never embedded twice by the same model.

Why: embedding is by far the most expensive step of ingestion (a few passages per second on a
laptop CPU). With every vector kept in `embeddings.sqlite` beside the index, a re-ingest after a
crash, a `--rebuild`, or an edit of one paragraph only pays for texts never seen before.

Keys are sha256(embedder id, role, text): a vector from another model, or a passage vector of a
text that is now a query (e5/bge embed the two differently), can never be returned by mistake.
Values are raw float32 blobs (1.5 KB for 384 dims). sqlite in WAL mode lets a UI process read
while an ingest process writes.
"""

from __future__ import annotations

import hashlib
import sqlite3
import threading
import time
from pathlib import Path
from typing import Any, Callable, Literal, cast

import numpy as np
from langchain_core.embeddings import Embeddings

Role = Literal["query", "passage"]


def cache_key(embedder_id: str, role: str, text: str) -> str:
    h = hashlib.sha256()
    for part in (embedder_id, role, text):
        h.update(part.encode("utf-8"))
        h.update(b"\x00")
    return h.hexdigest()


class EmbeddingCache:
    """A key → float32 vector table in sqlite, safe to share between threads."""

    def __init__(self, path: Path):
        self.path = Path(path)
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self._lock = threading.Lock()
        self._db = sqlite3.connect(str(self.path), timeout=60, check_same_thread=False, isolation_level=None)
        self._db.execute("PRAGMA journal_mode=WAL")
        self._db.execute("PRAGMA synchronous=NORMAL")
        self._db.execute("CREATE TABLE IF NOT EXISTS vectors (key TEXT PRIMARY KEY, dim INTEGER NOT NULL, vec BLOB NOT NULL)")

    def get_many(self, keys: list[str]) -> dict[str, np.ndarray]:
        found: dict[str, np.ndarray] = {}
        with self._lock:
            for i in range(0, len(keys), 500):  # stay under sqlite's bound-parameter limit
                part = keys[i : i + 500]
                marks = ",".join("?" * len(part))
                for key, dim, blob in self._db.execute(f"SELECT key, dim, vec FROM vectors WHERE key IN ({marks})", part):
                    found[key] = np.frombuffer(blob, dtype=np.float32, count=dim)
        return found

    def put_many(self, items: list[tuple[str, np.ndarray]]) -> None:
        rows = [(k, int(v.shape[0]), np.ascontiguousarray(v, dtype=np.float32).tobytes()) for k, v in items]
        with self._lock:
            self._db.execute("BEGIN")
            try:
                self._db.executemany("INSERT OR REPLACE INTO vectors (key, dim, vec) VALUES (?, ?, ?)", rows)
                self._db.execute("COMMIT")
            except BaseException:
                self._db.execute("ROLLBACK")
                raise

    def __len__(self) -> int:
        with self._lock:
            return int(self._db.execute("SELECT COUNT(*) FROM vectors").fetchone()[0])

    def close(self) -> None:
        with self._lock:
            self._db.close()


class CachedEmbeddings(Embeddings):
    """Wraps an embedder (anything with `.id`, `.dim` and the LangChain methods) with the cache.

    `embedded` and `cache_hits` count texts, so callers and tests can check that a second run
    embedded nothing; `seconds` adds up the time spent in `embed_role` (cache look-ups and
    misses), so an ingest can tell embedding time from index-writing time. Misses are embedded
    `batch` at a time and each batch is committed at once, so work done before a crash is kept.
    `on_batch(n)` (optional) is told after each batch, for progress bars.
    """

    def __init__(self, base: Embeddings, path: Path, batch: int = 16):
        # Any: the base is duck-typed (a LangChain `Embeddings` with `.id` and `.dim`, some with
        # `.embed_role` and `.embedded`), which the `Embeddings` interface does not declare.
        self.base: Any = cast(Any, base)
        self.id: str = str(self.base.id)
        self.dim: int = int(self.base.dim)
        self.batch = max(1, int(batch))
        self.cache = EmbeddingCache(path)
        self.embedded = 0
        self.cache_hits = 0
        self.seconds = 0.0
        self.on_batch: Callable[[int], None] | None = None

    def embed_role(self, texts: list[str], role: Role) -> np.ndarray:
        """Vectors of `texts` as a (n, dim) float32 array, embedding only the cache misses."""
        t0 = time.perf_counter()
        try:
            return self._embed_role(texts, role)
        finally:
            self.seconds += time.perf_counter() - t0

    def _embed_role(self, texts: list[str], role: Role) -> np.ndarray:
        if getattr(self.base, "caches_parts", False):
            return self._pass_through(texts, role)
        keys = [cache_key(self.id, role, t) for t in texts]
        found = self.cache.get_many(list(dict.fromkeys(keys)))
        missing: dict[str, str] = {}
        for k, t in zip(keys, texts, strict=True):
            if k not in found:
                missing.setdefault(k, t)
        self.cache_hits += len(texts) - len(missing)  # repeats within one call are hits too
        todo = list(missing.items())
        for i in range(0, len(todo), self.batch):
            part = todo[i : i + self.batch]
            part_texts = [t for _, t in part]
            if role == "query":
                vecs = [self.base.embed_query(t) for t in part_texts]
            else:
                vecs = self.base.embed_documents(part_texts)
            arr = np.asarray(vecs, dtype=np.float32).reshape(len(part), -1)
            self.cache.put_many([(k, arr[j]) for j, (k, _) in enumerate(part)])
            for j, (k, _) in enumerate(part):
                found[k] = arr[j]
            self.embedded += len(part)
            if self.on_batch is not None:
                self.on_batch(len(part))
        if not texts:
            return np.zeros((0, self.dim), dtype=np.float32)
        return np.stack([found[k] for k in keys]).astype(np.float32, copy=False)

    def _pass_through(self, texts: list[str], role: Role) -> np.ndarray:
        """For a composite embedder whose parts cache their own vectors (`HybridEmbeddings`).

        Why not cache the composite too: its vectors are pure functions of the parts' (a few
        copies and a language test), and several times wider, so storing them would multiply the
        cache's size for no saved embedding. Batches still report progress through `on_batch`.
        """
        if not texts:
            return np.zeros((0, self.dim), dtype=np.float32)
        parts: list[np.ndarray] = []
        for i in range(0, len(texts), self.batch):
            part = list(texts[i : i + self.batch])
            before = self.base.embedded
            parts.append(np.asarray(self.base.embed_role(part, role), dtype=np.float32).reshape(len(part), -1))
            new = self.base.embedded - before
            self.embedded += new
            self.cache_hits += len(part) - new
            if self.on_batch is not None and new:
                self.on_batch(new)
        return np.concatenate(parts).astype(np.float32, copy=False)

    def embed_documents(self, texts: list[str]) -> list[list[float]]:
        return self.embed_role(list(texts), "passage").tolist()

    def embed_query(self, text: str) -> list[float]:
        return self.embed_role([text], "query")[0].tolist()
