"""Print the extractive answerer's best-sentence support and key-term coverage for every question
of a question set, end to end on an index, to calibrate the abstention gates
(`rag.extractive.DEFAULT_ABSTAIN_THRESHOLD`, `MIN_COVERAGE`).

    .venv/bin/python scripts/abstention_calibration.py ../shared/eval/dev.jsonl --store .unsc/store
"""

from __future__ import annotations

import argparse
from pathlib import Path

from rag import extractive
from rag.evaluate import load_items
from ui.app import build_pipeline
from ui.settings import load_settings


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("questions", type=Path)
    ap.add_argument("--store", type=Path, default=None)
    args = ap.parse_args()
    pipeline = build_pipeline(load_settings(store=args.store))
    rows = []
    for item in load_items(args.questions):
        ranked, _ = pipeline.retrieve(item.question)
        sel = extractive.select(item.question, ranked, k=pipeline.k, threshold=0.0, min_coverage=0.0)
        rows.append((item.answerable, sel.best, sel.coverage, item.id))
        print(f"{item.id:>6} {'answerable' if item.answerable else 'UNANSWERABLE':>12} support {sel.best:.3f} coverage {sel.coverage:.3f}")
    ans = [r for r in rows if r[0]]
    una = [r for r in rows if not r[0]]
    if ans and una:
        print(f"answerable: min support {min(r[1] for r in ans):.3f}, min coverage {min(r[2] for r in ans):.3f}")
        print(f"unanswerable: max support {max(r[1] for r in una):.3f}, max coverage {max(r[2] for r in una):.3f}")


if __name__ == "__main__":
    main()
