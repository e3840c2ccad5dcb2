"""Ingestion benchmarks: overhead over the raw embedder, unchanged re-ingest, adding one document, resume."""

from __future__ import annotations

import random
import re
import shutil
import signal
import subprocess
import time
from pathlib import Path

from common import CORPUS, UNSC, Timer, bench_embeddings, cache_count, fresh_dir, log, parse


# ---------------------------------------------------------------- picking whole files


def copy_corpus(files: list[Path], dest: Path) -> Path:
    """Copy resolution files as `dest/<year>/<Language>/<name>` with `dest/data_extract/` beside,
    so that parsing the copy finds the same metadata (hence the same chunks) as the real corpus."""
    fresh_dir(dest)
    years = set()
    for f in files:
        f = Path(f)
        year_dir = f.parent.parent
        years.add(year_dir.name)
        target = dest / year_dir.name / f.parent.name / f.name
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(f, target)
    meta_src = (Path(files[0]).parent.parent.parent / "data_extract") if files else None
    if meta_src and meta_src.is_dir():
        (dest / "data_extract").mkdir(exist_ok=True)
        for y in years:
            src = meta_src / f"{y}.json"
            if src.exists():
                shutil.copy2(src, dest / "data_extract" / src.name)
    return dest


def pick_files(parsed: list, n: int, seed: int) -> list:
    """Whole files (shuffled with `seed`) whose chunk counts add up to about `n`."""
    files = [f for f in parsed if f.chunks]
    random.Random(seed).shuffle(files)
    chosen, total = [], 0
    for f in files:
        if total >= n:
            break
        if total + len(f.chunks) > n * 1.15 and total >= n * 0.85:
            continue
        chosen.append(f)
        total += len(f.chunks)
    return chosen


# ---------------------------------------------------------------- 1. overhead over the raw embedder


def ingest_overhead(work: Path, base, n: int, seed: int, source: Path | None = None, baseline_cls=None,
                    repeats: int = 1) -> dict:
    """Raw `embed_documents` on the embedding texts of ~n chunks vs a cold ingest of their files."""
    from vectorstore.documents import embedding_text
    from vectorstore.ingest import ingest_files
    from vectorstore.store import ChunkStore

    source = source or (CORPUS / "2020")
    parsed = parse([source])
    chosen = pick_files(parsed, n, seed)
    corpus = copy_corpus([Path(f.path) for f in chosen], work / "overhead_corpus")
    # The metadata copied beside the files also cards the year's other resolutions (rows without
    # XML, since the folder is given): only the copied files' own chunks are compared and embedded.
    copy = [f for f in parse([corpus]) if "data_extract" not in Path(f.path).parts]
    # Passages must be the same; cards may differ, since a file whose other language version was
    # not picked carries that language's card itself.
    ids_ref = [c.id for f in chosen for c in f.chunks if c.kind != "document_card"]
    ids_copy = [c.id for f in copy for c in f.chunks if c.kind != "document_card"]
    assert sorted(ids_ref) == sorted(ids_copy), "the copied files must parse to the same passages"
    texts = [embedding_text(c) for f in copy for c in f.chunks]
    log(f"overhead: {len(chosen)} files, {len(texts)} chunks")
    base.embed_documents(["passage warm-up: the engine is loaded and its threads started"])  # load the model
    runs = []
    for r in range(repeats):
        with Timer() as t_raw:
            base.embed_documents(texts)
        store_dir = fresh_dir(work / f"overhead_store_{r}")
        with Timer() as t_ing:
            from ingest.parse import parse_files

            emb = bench_embeddings(base, store_dir / "embeddings.sqlite")
            store = ChunkStore.open(store_dir, emb)
            own = (r for r in parse_files([str(corpus)]) if "data_extract" not in Path(getattr(r, "path", "")).parts)
            summary = ingest_files(store, own, progress=False)
        assert summary.embedded == len(texts), (summary.embedded, len(texts))
        assert store.count() == len({c.id for f in copy for c in f.chunks}), (store.count(), len(texts))
        runs.append({"embed_s": round(t_raw.s, 3), "ingest_s": round(t_ing.s, 3),
                     "overhead_pct": round(100 * (t_ing.s - t_raw.s) / t_raw.s, 1), "embedded": summary.embedded})
        log(f"overhead run {r}: raw {t_raw.s:.1f}s, ingest {t_ing.s:.1f}s")
    out = {"files": len(chosen), "chunks": len(texts), "runs": runs}
    for key in ("embed_s", "ingest_s", "overhead_pct"):
        vals = sorted(x[key] for x in runs)
        out[key] = vals[len(vals) // 2]
    out["embed_per_s"] = round(len(texts) / out["embed_s"], 2)
    out["ingest_per_s"] = round(len(texts) / out["ingest_s"], 2)
    if baseline_cls is not None:
        bdir = fresh_dir(work / "baseline_overhead")
        bemb = bench_embeddings(base, bdir / "embeddings.sqlite")  # empty cache: a cold baseline
        b = baseline_cls(bemb, bdir / "chroma")
        res = b.ingest([corpus])
        res["per_s_files"] = round(len(texts) / res["seconds"], 2)  # same files, per our chunk count
        res["splits_per_s"] = round(res["splits"] / res["seconds"], 2)
        out["baseline"] = res
        log(f"baseline ingest of the same files: {res}")
    out["corpus_dir"] = str(corpus)
    return out


# ---------------------------------------------------------------- building / re-ingesting a store


def ingest_store(store_dir: Path, emb, paths, *, only: set[str] | None = None, exclude: set[str] | None = None) -> dict:
    """`unsc ingest`-equivalent into `store_dir` with a given embedder; `only`/`exclude` filter file paths."""
    from ingest.parse import parse_files
    from vectorstore.ingest import ingest_files, is_unchanged_fn
    from vectorstore.store import ChunkStore

    with Timer() as t:
        store = ChunkStore.open(store_dir, emb)
        results = parse_files([str(p) for p in paths], is_unchanged=is_unchanged_fn(store))

        def keep(r):
            p = getattr(r, "path", "")
            if only is not None and p not in only:
                return False
            return not (exclude and p in exclude)

        summary = ingest_files(store, (r for r in results if keep(r)), progress=False)
    return {"store": store, "summary": summary, "seconds": round(t.s, 3)}


def covered_files(parsed: list, emb) -> tuple[set[str], int, int]:
    """Files all of whose chunks have a cached passage vector: (paths, their chunks, chunks missing)."""
    from vectorstore.cache import cache_key
    from vectorstore.documents import embedding_text

    ok, chunks, missing = set(), 0, 0
    for f in parsed:
        keys = [cache_key(emb.id, "passage", embedding_text(c)) for c in f.chunks]
        found = emb.cache.get_many(keys)
        miss = sum(1 for k in keys if k not in found)
        if miss == 0:
            ok.add(f.path)
            chunks += len(f.chunks)
        else:
            missing += miss
    return ok, chunks, missing


def scale_store(work: Path, name: str, emb, paths, *, embed_missing: bool, hold_out: bool, base,
                fill_missing: bool = False) -> dict:
    """Build (or update) the store of one corpus size from the cache, then time the unchanged re-ingest
    and (optionally) adding one held-out document with a cold cache plus the lexical refresh after it."""
    from rag.retrieve import HybridRetriever
    from vectorstore.cache import CachedEmbeddings

    store_dir = work / "stores" / name
    with Timer() as t_parse:
        parsed = parse(paths)
    total_chunks = sum(len(f.chunks) for f in parsed)
    only = None
    info: dict = {"corpus_files": len(parsed), "corpus_chunks": total_chunks, "parse_s": round(t_parse.s, 2)}
    if not embed_missing:
        ok, n_ok, missing = covered_files(parsed, emb)
        if missing and fill_missing:
            from common import placeholder_embeddings

            import json as _json

            name = name + "_proxy"
            store_dir = work / "stores" / name
            marker = store_dir / "proxy.json"
            old = _json.loads(marker.read_text()) if marker.exists() else None
            if old and old.get("chunks_placeholder_vectors") == missing:  # same cache coverage: reuse it
                info["proxy"] = old
            else:  # rebuilt whenever the cache gained vectors, so no placeholder outlives its vector
                fresh_dir(store_dir)
                info["proxy"] = {"chunks_real_vectors": total_chunks - missing, "chunks_placeholder_vectors": missing}
                marker.write_text(_json.dumps(info["proxy"]))
            emb = placeholder_embeddings(base, emb.cache.path)
            missing = info["proxy"]["chunks_placeholder_vectors"]
            log(f"{name}: {missing} of {total_chunks} chunks get placeholder vectors (latency/memory only)")
        elif missing:
            only = ok
            info["partial"] = {"files_used": len(ok), "chunks_used": n_ok, "chunks_without_cached_vector": missing}
            log(f"{name}: {missing} chunks have no cached vector; using the {len(ok)} fully cached files ({n_ok} chunks)")
    held = None
    if hold_out:
        from common import SAMPLE

        sample_ids = {c.id for f in parsed if f.path.startswith(str(SAMPLE)) for c in f.chunks}
        pool = sorted((f for f in parsed if (only is None or f.path in only) and 8 <= len(f.chunks) <= 40
                       and "/English/" in f.path and not f.path.startswith(str(SAMPLE))
                       and not any(c.id in sample_ids for c in f.chunks)), key=lambda f: f.path)
        held = pool[-1] if pool else None
    build = ingest_store(store_dir, emb, paths, only=only)
    store = build["store"]
    info["build"] = {"seconds": build["seconds"], **build["summary"].model_dump(exclude={"errors"}),
                     "errors": build["summary"].errors[:5]}
    log(f"{name}: store holds {store.count()} chunks (build/update {build['seconds']:.1f}s, embedded {build['summary'].embedded})")
    # 2. unchanged re-ingest
    again = ingest_store(store_dir, emb, paths, only=only)
    s = again["summary"]
    assert s.embedded == 0, f"re-ingest of an unchanged corpus embedded {s.embedded}"
    info["reingest"] = {"seconds": again["seconds"], "embedded": s.embedded, "files_skipped": s.files_skipped,
                        "files": s.files, "files_failed": s.files_failed}
    store = again["store"]
    info["chunks"] = store.count()
    log(f"{name}: unchanged re-ingest {again['seconds']:.2f}s, embedded {s.embedded}")
    if held is not None:
        retriever = HybridRetriever(store=store, cache_dir=store_dir / "lexical")
        with Timer() as t_lex0:
            retriever.refresh(force=True)
        store.remove_file(held.path)
        retriever.refresh()
        cold = CachedEmbeddings(base, fresh_dir(work / "addone_cache") / "embeddings.sqlite", batch=16)
        real = store.embeddings
        store.embeddings = cold
        try:
            with Timer() as t_add:
                from vectorstore.ingest import ingest_files

                r = ingest_files(store, [held], progress=False)
        finally:
            store.embeddings = real
        with Timer() as t_lex:
            retriever.refresh()
        info["add_one"] = {"file": Path(held.path).name, "chunks": len(held.chunks), "embedded": r.embedded,
                           "seconds": round(t_add.s, 3), "lexical_refresh_s": round(t_lex.s, 3),
                           "lexical_build_s": round(t_lex0.s, 3)}
        assert r.embedded == len(held.chunks), (r.embedded, len(held.chunks))
        log(f"{name}: add one doc {info['add_one']}")
    info["store_dir"] = str(store_dir)
    info["_store"] = store
    return info


# ---------------------------------------------------------------- 3. resume after SIGKILL


def resume(work: Path, files: list[Path], kill_after: int, timeout: float = 900) -> dict:
    """SIGKILL `unsc ingest` after ~kill_after chunks were embedded, rerun, compare with the parse output."""
    from vectorstore.store import ChunkStore

    corpus = copy_corpus(files, work / "resume_corpus")
    ref = [c.id for f in parse([corpus]) for c in f.chunks]
    store_dir = fresh_dir(work / "resume_store")
    cache = store_dir / "embeddings.sqlite"
    cmd = [str(UNSC), "ingest", str(corpus), "--store", str(store_dir), "-q"]
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    t0 = time.perf_counter()
    killed_at = None
    while proc.poll() is None:
        n = cache_count(cache)
        if n >= kill_after:
            proc.send_signal(signal.SIGKILL)
            killed_at = n
            break
        if time.perf_counter() - t0 > timeout:
            proc.kill()
            break
        time.sleep(0.1)
    proc.wait()
    embedded_before_kill = cache_count(cache)
    log(f"resume: killed at {killed_at} cached vectors (rc {proc.returncode}); rerunning")
    with Timer() as t:
        out = subprocess.run(cmd, capture_output=True, text=True, timeout=timeout)
    m = re.search(r"(\d+) embedded", out.stdout)
    second_embedded = int(m.group(1)) if m else None
    from vectorstore.embeddings import make_embeddings

    from common import embedder_spec

    store = ChunkStore.open(store_dir, make_embeddings(embedder_spec(), cache_dir=store_dir))
    stored_ids = [i for i, _ in store._metadatas()]
    res = {
        "chunks_expected": len(ref),
        "killed": killed_at is not None,
        "rc_first": proc.returncode,
        "vectors_cached_at_kill": embedded_before_kill,
        "rerun_rc": out.returncode,
        "rerun_embedded": second_embedded,
        "rerun_s": round(t.s, 2),
        "stored": len(stored_ids),
        "duplicates": len(stored_ids) - len(set(stored_ids)),
        "missing": len(set(ref) - set(stored_ids)),
        "extra": len(set(stored_ids) - set(ref)),
        "complete_files": sum(1 for st in store.file_state().values() if st.complete),
        "files": len({f.path for f in parse([corpus])}),
    }
    if second_embedded is not None:
        res["reembedded_after_kill"] = embedded_before_kill + second_embedded - len(set(ref))
    res["ok"] = bool(res["killed"] and res["duplicates"] == 0 and res["missing"] == 0 and res["extra"] == 0
                     and res["stored"] == len(ref) and res["rerun_rc"] == 0)
    log(f"resume: {res}")
    return res
