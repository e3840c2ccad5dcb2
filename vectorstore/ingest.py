"""Bulk ingestion: parsed files → the index, incremental, resumable, one writer at a time.

Why it is shaped this way:
- Files are grouped until they hold about `GROUP_CHUNKS` chunks, and each group is one
  `ChunkStore.upsert_files` call: embedding gets full batches (small files, a dozen paragraphs,
  would otherwise each pay a partial one), and Chroma gets a few large calls instead of several
  per file (its cost is per call: with one file per call, writing took 25x longer than
  embedding with USE on the 2021 resolutions; see docs/benchmarks.md).
- Vectors land in the persistent cache as each batch finishes, and every file's chunks record
  the file's sha and chunk count, so a run killed at any point is completed by simply running
  again: files whose stored state is incomplete are redone, and their vectors come from the
  cache.
- `needs_parse_fn` lets the dispatcher skip reading and parsing files whose sha the index already
  holds completely, so re-running over an unchanged corpus costs one metadata pass.
"""

from __future__ import annotations

import time
from typing import Callable, Iterable, Protocol, runtime_checkable

from pydantic import BaseModel

from ingest.chunk import Chunk
from vectorstore.progress import IngestProgress
from vectorstore.store import ChunkIdConflict, ChunkStore, DocumentIndexedElsewhere, DuplicateDocument, FileResult

GROUP_CHUNKS = 1000  # chunks of several files written (and embedded) together


@runtime_checkable
class ParsedFileLike(Protocol):
    """What the parser hands over for one file (the lead's `ingest.parse` result).

    The dispatcher's other results are understood too: a record with an `error` or `reason`
    attribute (its `FileError`) counts in `files_failed`; one without `chunks` (its `SkippedFile`,
    produced when `is_unchanged_fn` said so) counts in `files_skipped`.
    """

    path: str
    sha256: str
    chunks: list[Chunk]


class IngestSummary(BaseModel):
    files: int = 0
    files_failed: int = 0
    files_skipped: int = 0  # unchanged, or a copy of a document another file holds (`files_elsewhere`)
    files_elsewhere: int = 0  # skipped or refused: their document is indexed from another file
    files_replacing: int = 0  # written in place of another file that held their document (`replace=True`)
    chunks_new: int = 0
    chunks_updated: int = 0
    chunks_unchanged: int = 0
    chunks_removed: int = 0
    embedded: int = 0
    seconds: float = 0.0
    embed_seconds: float = 0.0  # inside the embedder (cache misses)
    write_seconds: float = 0.0  # inside the store (Chroma reads and writes)
    cpu_seconds: float = 0.0  # CPU time of this process (all threads) during the run
    errors: list[str] = []
    notes: list[str] = []

    @property
    def chunks(self) -> int:
        """Chunks the files written in this run hold now."""
        return self.chunks_new + self.chunks_updated + self.chunks_unchanged

    def line(self) -> str:
        rate = (self.embedded / self.seconds) if self.seconds > 0 and self.embedded else 0.0
        copies = min(self.files_elsewhere, self.files_skipped)
        skipped = f"{self.files_skipped - copies} skipped as unchanged"
        if copies:
            skipped += f", {copies} as already indexed from another file"
        s = (f"{self.files} files ({self.files_failed} failed, {skipped}): "
             f"{self.chunks_new} new, {self.chunks_updated} updated, {self.chunks_unchanged} unchanged, "
             f"{self.chunks_removed} removed chunks; {self.embedded} embedded in {self.seconds:.1f}s")
        return s + (f" ({rate:.1f}/s)" if rate else "")

    def timing_line(self) -> str:
        """Where the time went: embedding, the store, and the rest (reading and parsing files)."""
        rest = max(0.0, self.seconds - self.embed_seconds - self.write_seconds)
        rate = self.chunks / self.seconds if self.seconds > 0 else 0.0
        return (f"time: {self.seconds:.1f}s total, {rate:.1f} chunks/s; embedding {self.embed_seconds:.1f}s, "
                f"index writes {self.write_seconds:.1f}s, reading and parsing {rest:.1f}s; CPU {self.cpu_seconds:.1f}s")

    def add_outcome(self, path: str, outcome: FileResult | ChunkIdConflict) -> None:
        """Add one file's outcome from `ChunkStore.upsert_files`."""
        if isinstance(outcome, DuplicateDocument):  # a copy of an indexed file: nothing to store
            self.files_skipped += 1
            self.files_elsewhere += 1
            self.notes.append(outcome.user_message)
        elif isinstance(outcome, ChunkIdConflict):
            self.files_failed += 1
            self.files_elsewhere += isinstance(outcome, DocumentIndexedElsewhere)
            self.errors.append(outcome.user_message)
        else:
            self.files += 1
            self.chunks_new += outcome.new
            self.chunks_updated += outcome.updated
            self.chunks_unchanged += outcome.unchanged
            self.chunks_removed += outcome.removed
            if outcome.replaced:
                self.files_replacing += 1
                self.notes.append(f"{path} replaced {', '.join(outcome.replaced)} (the same document; "
                                  f"{outcome.removed} of its chunks no longer in the index)")


def needs_parse_fn(store: ChunkStore) -> Callable[[str, str], bool]:
    """`needs_parse(path, sha)`: False only if the index holds that file's sha completely."""
    state = store.file_state()

    def needs_parse(path: str, sha: str) -> bool:
        st = state.get(path)
        return st is None or not st.complete or st.sha != sha

    return needs_parse


def is_unchanged_fn(store: ChunkStore) -> Callable[[str, str], bool]:
    """The same test in the polarity `ingest.parse.parse_files(is_unchanged=...)` takes."""
    needs = needs_parse_fn(store)
    return lambda path, sha: not needs(path, sha)


def ingest_files(store: ChunkStore, files: Iterable[ParsedFileLike], progress: "bool | IngestProgress" = True,
                 group_texts: int | None = None, total_files: int | None = None, *,
                 replace: bool = False) -> IngestSummary:
    """Write every file to the store; returns what changed. Holds the store's write lock throughout.

    `progress`: an `IngestProgress` (e.g. `LineProgress` for logs), True for a bar on stderr, or
    False. `group_texts`: chunks per group written together (default `GROUP_CHUNKS`). `total_files`
    (when known) gives the bar its length and the lines an ETA. `replace`: a file whose document
    another indexed file holds (its PDF beside its text) replaces that file's chunks instead of
    being skipped or refused (see `ChunkStore.upsert_files`); the notes say which replaced which.
    Raises `StoreBusy` if another process is writing, `StoreUnavailable` if the server goes away;
    a file whose chunks conflict (duplicate ids) is counted as failed and the run goes on.
    """
    summary = IngestSummary()
    emb = store.embeddings
    group_size = max(1, int(group_texts or GROUP_CHUNKS))
    if total_files is None and isinstance(files, (list, tuple)):
        total_files = len(files)
    if progress is True:
        from vectorstore.progress import BarProgress

        progress = BarProgress(total_files)
    prog: IngestProgress | None = progress or None
    t0 = time.perf_counter()
    cpu0 = time.process_time()
    embedded0, embed0 = emb.embedded, emb.seconds
    write_seconds = 0.0

    def flush(group: list[ParsedFileLike]) -> None:
        nonlocal write_seconds
        t, e0 = time.perf_counter(), emb.seconds  # time inside the store, told apart from embedding
        results = store.upsert_files([(f.path, f.sha256, list(f.chunks)) for f in group], replace=replace)
        write_seconds += (time.perf_counter() - t) - (emb.seconds - e0)
        for f, r in zip(group, results, strict=True):
            summary.add_outcome(f.path, r)
            if prog is not None:
                prog.file_done(len(f.chunks))

    prev_cb = emb.on_batch
    emb.on_batch = prog.embedded_batch if prog is not None else None  # the bar moves as batches finish
    try:
        with store.lock:
            group: list[ParsedFileLike] = []
            pending = 0
            for f in files:
                if not _written(f, summary, prog):
                    continue
                group.append(f)
                pending += len(f.chunks)
                if pending >= group_size:
                    flush(group)
                    group, pending = [], 0
            if group:
                flush(group)
    finally:
        emb.on_batch = prev_cb
        if prog is not None:
            prog.close()
    summary.embedded = emb.embedded - embedded0
    summary.seconds = round(time.perf_counter() - t0, 3)
    summary.cpu_seconds = round(time.process_time() - cpu0, 3)
    summary.embed_seconds = round(emb.seconds - embed0, 3)
    summary.write_seconds = round(write_seconds, 3)
    return summary


def _written(f: object, summary: IngestSummary, prog: IngestProgress | None) -> bool:
    """Whether a dispatcher result goes to the store; a failed or skipped one is counted here instead."""
    err = getattr(f, "error", None) or getattr(f, "reason", None)
    if err:
        summary.files_failed += 1
        summary.errors.append(f"{getattr(f, 'path', '?')}: {err}")
        if prog is not None:
            prog.file_done(0)
        return False
    if getattr(f, "chunks", None) is None:
        summary.files_skipped += 1
        if prog is not None:
            prog.file_done(0, skipped=True)
        return False
    return True
