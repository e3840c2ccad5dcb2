"""Thumbs up/down on answers, appended as JSON lines to `<store dir>/feedback.jsonl`.

One JSON object per line (UTF-8, `ensure_ascii=False`): timestamp, rating, optional comment,
the question, the answer text, its citations (with links) and the settings it was produced
with. Appends are serialised by a process-wide lock and each record is written with a single
`write` call, so concurrent users never interleave lines.
"""

from __future__ import annotations

import json
import threading
from datetime import datetime, timezone
from pathlib import Path
from typing import Any, Literal

from rag.answer import Answer

FEEDBACK_FILE = "feedback.jsonl"
MAX_COMMENT = 2000
_LOCK = threading.Lock()

Rating = Literal["up", "down"]


def feedback_path(store_dir: str | Path) -> Path:
    return Path(store_dir) / FEEDBACK_FILE


def feedback_record(rating: Rating, answer: Answer, comment: str = "", settings: dict[str, Any] | None = None) -> dict:
    if rating not in ("up", "down"):
        raise ValueError(f"rating must be 'up' or 'down', not {rating!r}")
    return {
        "ts": datetime.now(timezone.utc).isoformat(timespec="seconds"),
        "rating": rating,
        "comment": (comment or "").strip()[:MAX_COMMENT],
        "question": answer.question,
        "answer": answer.answer,
        "abstained": answer.abstained,
        "mode": answer.mode,
        "lang": answer.lang,
        "unsupported": list(answer.unsupported),
        "citations": [
            {"n": c.n, "chunk_id": c.chunk_id, "doc_id": c.doc_id, "section": c.section,
             "paragraph": c.paragraph, "symbols": list(c.symbols), "links": list(c.links)}
            for c in answer.citations
        ],
        "retrieved": [r.chunk_id for r in answer.retrieved],
        "settings": settings or {},
    }


class FeedbackStore:
    """Append-only JSON-lines file of feedback records."""

    def __init__(self, path: str | Path):
        self.path = Path(path)

    def add(self, rating: Rating, answer: Answer, comment: str = "", settings: dict[str, Any] | None = None) -> dict:
        record = feedback_record(rating, answer, comment, settings)
        line = json.dumps(record, ensure_ascii=False, default=str) + "\n"
        with _LOCK:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            with self.path.open("a", encoding="utf-8") as f:
                f.write(line)
        return record

    def read(self) -> list[dict]:
        if not self.path.exists():
            return []
        return [json.loads(line) for line in self.path.read_text(encoding="utf-8").splitlines() if line.strip()]
