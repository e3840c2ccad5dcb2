"""Test helper: reuse an index's embeddings in another test index (embedding is the slow part)."""

from __future__ import annotations

from pathlib import Path


def copy_embedding_cache(src_dir: Path, dst_dir: Path) -> None:
    """Copy a store's embedding cache consistently (the sqlite backup API includes its WAL)."""
    import sqlite3

    src = Path(src_dir) / "embeddings.sqlite"
    if not src.exists():
        return
    Path(dst_dir).mkdir(parents=True, exist_ok=True)
    with sqlite3.connect(src) as a, sqlite3.connect(Path(dst_dir) / "embeddings.sqlite") as b:
        a.backup(b)
