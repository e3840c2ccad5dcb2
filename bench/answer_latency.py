"""Warm answer latency and cold start over a question set, for the code on PYTHONPATH.

    PYTHONPATH=$PWD .venv/bin/python bench/answer_latency.py --store DIR [--questions FILE] [--json out.json]

Why a separate script: `make bench` builds its stores from scratch (an hour at the whole record); a
change to the answering rules only needs the answer path timed on an existing store, before and
after, in the same run (run it once from a worktree of the old commit, once from this one, and
compare the ratios: the machine is shared, absolute times drift).

The pipeline is built once (cold: imports, index load, first answer); every question is asked twice
with its follow-up history, and the second pass is timed (warm).
"""

from __future__ import annotations

import argparse
import json
import statistics
import time
from pathlib import Path

T0 = time.perf_counter()

from ui.app import build_pipeline  # noqa: E402  (imports are part of the cold start measured)
from ui.settings import load_settings  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--store", type=Path, required=True)
    ap.add_argument("--questions", type=Path, default=ROOT.parent / "shared" / "eval" / "dev_full.jsonl")
    ap.add_argument("--json", type=Path, default=None)
    args = ap.parse_args()
    items = [json.loads(line) for line in args.questions.read_text(encoding="utf-8").splitlines() if line.strip()]
    pipeline = build_pipeline(load_settings(store=args.store, llm=None))
    pipeline.ask(items[0]["question"])
    cold = time.perf_counter() - T0
    warm: list[float] = []
    for timed in (False, True):
        for it in items:
            history = [tuple(t) for t in it.get("history", [])]
            start = time.perf_counter()
            pipeline.ask(it["question"], history=history)
            if timed:
                warm.append((time.perf_counter() - start) * 1000)
    warm.sort()
    result = {"store": str(args.store), "questions": len(warm), "cold_s": round(cold, 2),
              "p50_ms": round(statistics.median(warm), 1), "p95_ms": round(warm[max(0, int(0.95 * len(warm)) - 1)], 1),
              "mean_ms": round(statistics.mean(warm), 1)}
    print(json.dumps(result))
    if args.json:
        args.json.write_text(json.dumps(result, indent=1), encoding="utf-8")


if __name__ == "__main__":
    main()
