"""Query latency and retrieval quality: our warm pipeline (local or Chroma server) and the baseline."""

from __future__ import annotations

import json
import random
import re
import time
from pathlib import Path

from common import DEV, OWN, first_rank, log, pct, quality


# ---------------------------------------------------------------- question sets


def load_jsonl(path: Path) -> list[dict]:
    if not Path(path).exists():
        return []
    return [json.loads(line) for line in Path(path).read_text(encoding="utf-8").splitlines() if line.strip()]


def resolution_questions(chunks: list, n: int, seed: int) -> list[dict]:
    """Generic questions about resolutions the index holds, written from their document cards."""
    cards = sorted({(c.doc_id, c.lang) for c in chunks if c.kind == "document_card" and c.doc_id.startswith("S/RES/")})
    rng = random.Random(seed)
    picked = rng.sample(cards, min(n, len(cards)))
    out = []
    for doc_id, lang in picked:
        m = re.match(r"S/RES/(\d+)\((\d{4})\)", doc_id)
        if not m:
            continue
        num, year = m.groups()
        q = f"What does resolution {num} ({year}) decide?" if lang == "en" else f"第{num}({year})号决议决定了什么？"
        out.append({"id": f"r-{num}-{lang}", "question": q, "lang": lang})
    return out


def latency_questions(chunks: list, n_generic: int, seed: int, limit: int | None = None) -> list[dict]:
    dev, own, gen = load_jsonl(DEV), load_jsonl(OWN), resolution_questions(chunks, n_generic, seed)
    if limit:
        return dev[: max(1, limit - 3)] + own[:1] + gen[:2]
    return dev + own + gen


def paragraph_queries(chunks: list, n: int, seed: int, words: int = 10) -> list[dict]:
    """Queries made from random operative paragraphs: 'resolution N (Y)' + the paragraph's first words."""
    ops = sorted((c for c in chunks if c.kind == "resolution_paragraph" and "|op" in c.id and len(c.text) >= 60),
                 key=lambda c: c.id)
    rng = random.Random(seed)
    out = []
    for c in rng.sample(ops, min(n, len(ops))):
        m = re.match(r"S/RES/(\d+)\((\d{4})\)", c.doc_id)
        if not m:
            continue
        num, year = m.groups()
        text = re.sub(r"^\s*\d+\s*[.、．]\s*", "", c.text.strip())
        if c.lang == "zh":
            q = f"第{num}({year})号决议：{text[:25]}"
        else:
            q = f"resolution {num} ({year}) " + " ".join(text.split()[:words])
        out.append({"id": c.id, "question": q, "needle": text[:40], "lang": c.lang})
    return out


# ---------------------------------------------------------------- runners


def run_ours(pipeline, questions: list[dict], paragraphs: list[dict]) -> dict:
    """Warm `ask` latency over `questions`; recall@5/MRR on gold questions and paragraph queries."""
    from rag.question import QueryError

    try:
        pipeline.ask("warm-up question about peacekeeping")
    except QueryError:
        pass
    lat, dev_ranks, errors = [], [], 0
    retrieve_ms = []
    for item in questions:
        t0 = time.perf_counter()
        try:
            ranked, rms = pipeline.retrieve(item["question"])
            pipeline.ask(item["question"], ranked=ranked)
        except QueryError:
            errors += 1
            continue
        lat.append((time.perf_counter() - t0) * 1000)
        retrieve_ms.append(rms)
        gold = [g for g in item.get("gold") or [] if g.strip()]
        if item.get("answerable", True) and gold:
            dev_ranks.append(first_rank([sc.chunk.evidence_text() for sc in ranked[:5]], gold))
    # what embedding the question alone costs (the engine the pipeline uses, outside the pipeline)
    base = getattr(getattr(pipeline.retriever.store, "embeddings", None), "base", None)
    embed_ms = []
    if base is not None:
        for item in questions:
            t0 = time.perf_counter()
            base.embed_query(item["question"])
            embed_ms.append((time.perf_counter() - t0) * 1000)
    para_ranks, para_lat = [], []
    for p in paragraphs:
        t0 = time.perf_counter()
        ranked, _ = pipeline.retrieve(p["question"])
        para_lat.append((time.perf_counter() - t0) * 1000)
        para_ranks.append(first_rank([sc.chunk.evidence_text() for sc in ranked[:5]], [p["needle"]]))
    out = summarise(lat, dev_ranks, para_ranks, errors, retrieve_ms=retrieve_ms, para_lat=para_lat)
    if embed_ms:
        out["embed_query_p50_ms"] = round(pct(embed_ms, 50), 1)
        out["embed_query_p95_ms"] = round(pct(embed_ms, 95), 1)
    return out


def run_baseline(baseline, questions: list[dict], paragraphs: list[dict]) -> dict:
    baseline.query("warm-up question about peacekeeping")
    lat, dev_ranks = [], []
    for item in questions:
        texts, ms = baseline.query(item["question"], 5)
        lat.append(ms)
        gold = [g for g in item.get("gold") or [] if g.strip()]
        if item.get("answerable", True) and gold:
            dev_ranks.append(first_rank(texts, gold))
    para_ranks, para_lat = [], []
    for p in paragraphs:
        r, ms = baseline.rank(p["question"], [p["needle"]])
        para_ranks.append(r)
        para_lat.append(ms)
    return summarise(lat, dev_ranks, para_ranks, 0, para_lat=para_lat)


def summarise(lat, dev_ranks, para_ranks, errors, retrieve_ms=None, para_lat=None) -> dict:
    out = {
        "questions": len(lat),
        "errors": errors,
        "p50_ms": round(pct(lat, 50), 1) if lat else None,
        "p95_ms": round(pct(lat, 95), 1) if lat else None,
        "max_ms": round(max(lat), 1) if lat else None,
        "dev": quality(dev_ranks),
        "paragraphs": quality(para_ranks),
    }
    if retrieve_ms:
        out["retrieve_p50_ms"] = round(pct(retrieve_ms, 50), 1)
    if para_lat:
        out["paragraph_p50_ms"] = round(pct(para_lat, 50), 1)
    log(f"latency: p50 {out['p50_ms']} ms, p95 {out['p95_ms']} ms; dev {out['dev']}; paragraphs {out['paragraphs']}")
    return out
