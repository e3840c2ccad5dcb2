"""`make bench`: ingestion, re-ingest, resume, query latency/quality, memory and cold starts, ours vs a
plain LangChain pipeline, local Chroma vs a Chroma server. Writes docs/benchmarks.md and
docs/bench_latency.png (or `--out DIR`).

    .venv/bin/python bench/run.py                 # full run (reuses ~/.cache/unsc-bench)
    .venv/bin/python bench/run.py --smoke --out /tmp/b --json /tmp/b/bench.json   # CI-sized, < 2 min

Embedding is the cost (a few passages/s on a CPU), so every passage vector is taken from one
persistent cache (`--cache`, seeded read-only from /work/bench-data/*/embeddings.sqlite) and only
the measurements that must be cold (raw embedder vs ingestion, adding one document, resume) use
fresh, small caches. Question vectors are never cached, so query latency includes embedding them.
"""

from __future__ import annotations

import argparse
import json
import os
import shlex
import sqlite3
import sys
import time
import traceback
from dataclasses import dataclass
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import common  # noqa: E402  (puts the project root on sys.path)
from common import CORPUS, ROOT, SAMPLE, Timer, bench_embeddings, corpus_paths, log, machine, parse  # noqa: E402


def merge_cache(src: Path, dst: Path) -> None:
    if not Path(src).exists():
        return
    db = sqlite3.connect(f"file:{dst}", uri=True, timeout=60)
    db.execute("ATTACH DATABASE ? AS src", (f"file:{src}?mode=ro",))
    db.execute("INSERT OR IGNORE INTO main.vectors SELECT key, dim, vec FROM src.vectors")
    db.commit()
    db.execute("DETACH DATABASE src")
    db.close()


def build_pipeline_for(store, store_dir: Path, chroma_url: str | None = None):
    from ui.app import build_pipeline
    from ui.settings import Settings

    settings = Settings(store=store_dir, chroma_url=chroma_url)
    with Timer() as t:
        pipe = build_pipeline(settings, store)
    return pipe, round(t.s, 2)


def step(results: dict, name: str, fn, *args, **kwargs):
    """Run one benchmark; a failure is recorded as a gap and the others go on."""
    t0 = time.perf_counter()
    try:
        out = fn(*args, **kwargs)
        log(f"{name} done in {time.perf_counter() - t0:.0f}s")
        return out
    except Exception as e:  # noqa: BLE001
        traceback.print_exc()
        results.setdefault("gaps", []).append(f"{name} failed: {type(e).__name__}: {e}")
        return None


def main(argv=None) -> int:
    args = _arguments(argv)
    work = args.cache.expanduser().resolve()
    work.mkdir(parents=True, exist_ok=True)
    results: dict = {"gaps": []}
    results["meta"] = _meta(args, argv)
    with Timer() as t_seed:
        results["meta"]["cache"] = common.seed_cache(work)
    results["meta"]["cache"]["seed_s"] = round(t_seed.s, 1)
    log(f"cache: {results['meta']['cache']}")
    base = common.make_base()
    run = _Run(args, {s.strip() for s in args.skip.split(",") if s.strip()}, work, base,
               bench_embeddings(base, work / "embeddings.sqlite"), results)

    # 1 + 6a. raw embedder vs cold ingestion (ours and the baseline) on the same files
    ov = _overhead(run) if "overhead" not in run.skip else None
    # 6b. side by side on one corpus (sample + the overhead files): latency and quality
    if "compare" not in run.skip:
        results["compare"] = step(results, "compare", _compare, run, ov)
    # 2 + 4. scale: unchanged re-ingest, add one document, latency and quality at each size
    results["scale"] = {}
    largest = _scale_all(run) if "scale" not in run.skip else None
    # 7. the same queries through a Chroma server (a copy of the largest store)
    if largest and "server" not in run.skip:
        results["chroma_server"] = step(results, "chroma server", _server, run, largest)
    # 5. serve peak RSS and cold starts on the largest store
    if largest and "serve" not in run.skip:
        _serve(run, largest)
    # 3. resume after SIGKILL
    if "resume" not in run.skip:
        results["resume"] = step(results, "resume", _resume, run)

    for info in results["scale"].values():
        info.pop("_qs", None)
        info.pop("_paras", None)
    _write(run)
    return 0


def _arguments(argv) -> argparse.Namespace:
    """The command line, with the smoke run's sizes and the engine's environment applied."""
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--smoke", action="store_true", help="tiny run on the bundled sample (CI)")
    ap.add_argument("--cache", type=Path, default=Path.home() / ".cache" / "unsc-bench",
                    help="work directory: embedding cache, stores (default ~/.cache/unsc-bench)")
    ap.add_argument("--out", type=Path, default=ROOT / "docs", help="where benchmarks.md and bench_latency.png go")
    ap.add_argument("--json", type=Path, default=None, help="also write the raw results as JSON here")
    ap.add_argument("--n", type=int, default=200, help="passages for raw-embedder vs ingestion (default 200)")
    ap.add_argument("--sizes", default="small,big,whole",
                    help="corpus sizes for the scale runs: sample,small,big,whole (whole = all of the shared corpus)")
    ap.add_argument("--embedder", default=None, help="embedder spec (default: UNSC_EMBEDDER or the app's default)")
    ap.add_argument("--embed-missing", action="store_true",
                    help="embed chunks the cache lacks (slow); by default only fully cached files are used")
    ap.add_argument("--fill-missing", action="store_true",
                    help="index chunks without a cached vector with placeholder vectors (latency/memory at full size; "
                         "quality at that size is then not valid)")
    ap.add_argument("--resume-chunks", type=int, default=150, help="size of the resume corpus (2021 English)")
    ap.add_argument("--questions", type=int, default=10, help="generic resolution questions added to dev+own")
    ap.add_argument("--paragraphs", type=int, default=30, help="resolution-paragraph queries")
    ap.add_argument("--repeats", type=int, default=1, help="repeats of the raw-vs-ingest timing (median reported)")
    ap.add_argument("--seed", type=int, default=20260, help="RNG seed for every sample")
    ap.add_argument("--omp-threads", type=int, default=None,
                    help="set OMP_NUM_THREADS for this run and the processes it starts (default: the engine's default)")
    ap.add_argument("--max-questions", type=int, default=None, help="cap on latency questions (smoke: 6)")
    ap.add_argument("--also", type=Path, default=None,
                    help="JSON of another run (e.g. with --omp-threads 1) whose latency figures the report shows beside these")
    ap.add_argument("--reuse", type=Path, default=None,
                    help="JSON of an earlier run: steps skipped here are taken from it (and labelled so)")
    ap.add_argument("--skip", default="", help="comma list of steps to skip: overhead,compare,scale,server,serve,resume")
    args = ap.parse_args(argv)
    if args.smoke:
        args.sizes = "sample"
        args.n = min(args.n, 30)
        args.resume_chunks = min(args.resume_chunks, 30)
        args.questions = min(args.questions, 2)
        args.paragraphs = min(args.paragraphs, 4)
        args.max_questions = args.max_questions or 6
    if args.omp_threads:
        os.environ["OMP_NUM_THREADS"] = str(args.omp_threads)
    if args.embedder:
        os.environ["UNSC_EMBEDDER"] = args.embedder  # for this process's settings and every process it starts
    if common.embedder_spec() in ("use",):
        # USE embeds the whole record in minutes: every size is embedded for real, so quality is
        # measured at every size and --fill-missing (placeholder vectors) never applies.
        args.embed_missing, args.fill_missing = True, False
    return args


def _meta(args: argparse.Namespace, argv) -> dict:
    """What the report says about the run: when, the exact command, the machine and what else ran on it."""
    command = [".venv/bin/python", "bench/run.py"] + [shlex.quote(a) for a in (argv if argv is not None else sys.argv[1:])]
    return {
        "date": time.strftime("%Y-%m-%d %H:%M:%S %Z"),
        "command": " ".join(command),
        "machine": machine(),
        "other_processes": common.busy_processes(),
        "smoke": args.smoke,
        "omp_threads": args.omp_threads,
        "embedder": common.embedder_spec(),
        "params": {k: (str(v) if isinstance(v, Path) else v) for k, v in vars(args).items()},
    }


@dataclass
class _Run:
    """What every step of one run shares: its arguments, work directory, embedder and results so far."""

    args: argparse.Namespace
    skip: set[str]
    work: Path
    base: object  # the embedder without the cache (cold measurements wrap it in fresh caches)
    emb: object  # the embedder over the run's persistent cache
    results: dict

    @property
    def main_cache(self) -> Path:
        return self.work / "embeddings.sqlite"


def _overhead(run: _Run) -> dict | None:
    """Raw embedder vs cold ingestion; the vectors it computed join the main cache for the later steps."""
    from baseline import Baseline
    from ingest_bench import ingest_overhead

    args, work = run.args, run.work
    source = (SAMPLE / "resolutions" / "2020") if args.smoke else (CORPUS / "2020")
    ov = step(run.results, "overhead", ingest_overhead, work, run.base, args.n, args.seed, source, Baseline, args.repeats)
    run.results["ingest_overhead"] = ov
    if ov:
        for r in range(args.repeats):
            merge_cache(work / f"overhead_store_{r}" / "embeddings.sqlite", run.main_cache)
        merge_cache(work / "baseline_overhead" / "embeddings.sqlite", run.main_cache)
    return ov


def _compare(run: _Run, ov: dict | None) -> dict:
    """Ours and the LangChain baseline on the sample plus the overhead files (from this run, or an earlier one)."""
    import latency
    from baseline import Baseline
    from ingest_bench import ingest_store

    args, work = run.args, run.work
    ov_dir = Path(ov["corpus_dir"]) if ov else work / "overhead_corpus"
    cmp_paths = [SAMPLE] + ([ov_dir] if ov_dir.is_dir() else [])
    built = ingest_store(work / "stores" / "compare", run.emb, cmp_paths)
    store = built["store"]
    chunks = store.all_chunks()
    qs = latency.latency_questions(chunks, args.questions, args.seed, args.max_questions)
    paras = latency.paragraph_queries(chunks, args.paragraphs, args.seed)
    pipe, _ = build_pipeline_for(store, work / "stores" / "compare")
    ours = latency.run_ours(pipe, qs, paras)
    bl = Baseline(run.emb, common.fresh_dir(work / "baseline_compare"))
    bl_ing = bl.ingest(cmp_paths)
    theirs = latency.run_baseline(bl, qs, paras)
    return {"chunks": store.count(), "corpus": [str(p) for p in cmp_paths], "baseline_splits": bl_ing["splits"],
            "baseline_ingest": bl_ing, "ours": ours, "baseline": theirs}


def _scale_all(run: _Run) -> str | None:
    """Every size of `--sizes` in order; returns the largest one measured (None when none was)."""
    largest = None
    shared: dict[str, list] = {}  # the paragraphs' source: the first size measured
    for size in [s.strip() for s in run.args.sizes.split(",") if s.strip()]:
        info = step(run.results, f"scale[{size}]", _scale, run, size, shared)
        if info:
            run.results["scale"][size] = info
            largest = size
    return largest


def _scale(run: _Run, size: str, shared: dict[str, list]) -> dict:
    """One size: build (or re-ingest) its store, then latency and quality of warm `ask`."""
    import latency
    from ingest_bench import scale_store

    args = run.args
    info = scale_store(run.work, size, run.emb, corpus_paths(size), embed_missing=args.embed_missing,
                       hold_out=True, base=run.base, fill_missing=args.fill_missing and size == "big")
    store = info.pop("_store")
    chunks = store.all_chunks()
    para_source = shared.setdefault("paragraph_chunks", chunks)  # the smallest size's: present at every size
    qs = latency.latency_questions(chunks, args.questions, args.seed, args.max_questions)
    paras = latency.paragraph_queries(para_source, args.paragraphs, args.seed)
    pipe, info["pipeline_build_s"] = build_pipeline_for(store, Path(info["store_dir"]))
    info["latency"] = latency.run_ours(pipe, qs, paras)
    info["_qs"], info["_paras"] = qs, paras
    return info


def _server(run: _Run, largest: str) -> dict:
    """The largest size's questions through `chroma run` on a copy of its store."""
    import latency
    import procs
    from vectorstore.store import ChunkStore

    info = run.results["scale"][largest]
    with procs.ChromaServer(Path(info["store_dir"]) / "chroma", run.work) as srv:
        sdir = common.fresh_dir(run.work / "stores" / "server")
        store = ChunkStore.open(sdir, run.emb, chroma_url=srv.url)
        pipe, build_s = build_pipeline_for(store, sdir, chroma_url=srv.url)
        lat = latency.run_ours(pipe, info["_qs"], info["_paras"])
        return {"size": largest, "chunks": store.count(), "server_start_s": srv.start_s,
                "pipeline_build_s": build_s, "server_rss_mb": srv.rss_mb(), "latency": lat}


def _serve(run: _Run, largest: str) -> None:
    """`unsc serve` memory and cold start, and a cold `unsc ask`, on the largest store."""
    import procs

    results = run.results
    info = results["scale"][largest]
    qs = [q["question"] for q in info["_qs"][:5]]
    results["serve"] = step(results, "serve", procs.serve_bench, Path(info["store_dir"]), qs)
    results["ask_cold"] = step(results, "ask cold", procs.ask_cold, Path(info["store_dir"]), qs[0])
    if results["serve"] is not None:
        results["serve"]["size"] = largest
        results["serve"]["chunks"] = info.get("chunks")


def _resume(run: _Run) -> dict:
    """An ingestion SIGKILLed half way, then run again: nothing lost, nothing twice."""
    from ingest_bench import pick_files, resume

    args = run.args
    src = (SAMPLE / "resolutions" / "2020") if args.smoke else (CORPUS / "2021")
    parsed = [f for f in parse([src]) if "/English/" in f.path]
    files = [Path(f.path) for f in sorted(pick_files(parsed, args.resume_chunks, args.seed), key=lambda f: f.path)]
    total = sum(len(f.chunks) for f in parsed if Path(f.path) in files)
    return resume(run.work, files, kill_after=max(16, total // 2))


def _write(run: _Run) -> None:
    """The report (with sections skipped here taken from `--reuse`, a second run's from `--also`) and the JSON."""
    import report

    args, results = run.args, run.results
    if args.reuse and args.reuse.exists():
        old = json.loads(args.reuse.read_text(encoding="utf-8"))
        taken = []
        for key, stepname in (("ingest_overhead", "overhead"), ("resume", "resume"), ("compare", "compare"),
                              ("chroma_server", "server"), ("serve", "serve"), ("ask_cold", "serve")):
            if stepname in run.skip and old.get(key):
                results[key] = old[key]
                taken.append(key)
        if taken:
            results["meta"]["reused"] = {"from": str(args.reuse), "date": old.get("meta", {}).get("date"),
                                         "command": old.get("meta", {}).get("command"), "sections": taken}
    if args.also and args.also.exists():
        results["also"] = json.loads(args.also.read_text(encoding="utf-8"))
        results["also"].pop("also", None)
    report.write(results, args.out)
    if args.json:
        args.json.parent.mkdir(parents=True, exist_ok=True)
        args.json.write_text(json.dumps(results, indent=1, ensure_ascii=False, default=str))
    log(f"wrote {args.out / 'benchmarks.md'}")


if __name__ == "__main__":
    sys.exit(main())
