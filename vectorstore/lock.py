"""One writer at a time per store directory.

Why: two ingests writing the same Chroma collection interleave their "write new chunks, delete
stale ids" steps and can delete each other's chunks; the embedding cache and the generation
token would race too. A file lock in the store directory makes a second writer wait a little
(it may be a short `unsc ingest` of one file) and then refuse with a message instead of
corrupting the index. Readers never take it.
"""

from __future__ import annotations

from pathlib import Path

from filelock import FileLock, Timeout

from ingest.errors import StoreBusy

__all__ = ["StoreBusy", "WriteLock"]


class WriteLock:
    """Re-entrant (per object) write lock on `<store_dir>/write.lock`."""

    def __init__(self, store_dir: Path, timeout: float = 10.0):
        self.path = Path(store_dir) / "write.lock"
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self.timeout = timeout
        self._lock = FileLock(str(self.path))

    def __enter__(self) -> "WriteLock":
        try:
            self._lock.acquire(timeout=self.timeout)
        except Timeout:
            raise StoreBusy(
                f"the index in {self.path.parent} is being written by another process "
                f"(lock {self.path} still held after {self.timeout:g}s); wait for it to finish and retry"
            ) from None
        return self

    def __exit__(self, *exc) -> None:
        self._lock.release()

    @property
    def is_locked(self) -> bool:
        return self._lock.is_locked
