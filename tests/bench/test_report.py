"""bench/report.py renders every section of a run's results, and only the sections the run measured.

Fast (no benchmark runs): the results are a hand-made dict shaped like `bench/run.py`'s, with
every optional part present (proxy and partial sizes, a failed build, a server error, a second
run beside this one, reused sections, gaps), so each branch of the report is rendered once.
"""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "bench"))

import report  # noqa: E402  (bench/ is a folder of scripts, not a package)


def _latency(p50: float, p95: float) -> dict:
    return {"p50_ms": p50, "p95_ms": p95, "retrieve_p50_ms": p50 / 2, "embed_query_p50_ms": 20.0, "embed_query_p95_ms": 35.5,
            "dev": {"recall_at_5": 0.905, "mrr": 0.81, "n": 21}, "paragraphs": {"recall_at_5": 0.9, "mrr": 0.85, "n": 30}}


def full_results() -> dict:
    """A run with every section and every optional part the report knows."""
    scale = {
        "small": {"chunks": 3649, "pipeline_build_s": 1.234, "latency": _latency(80.0, 140.0),
                  "reingest": {"seconds": 4.1, "embedded": 0},
                  "add_one": {"chunks": 12, "seconds": 2.345, "embedded": 12, "lexical_refresh_s": 0.5},
                  "build": {"files_failed": 2, "errors": ["a.xml: same chunk ids " * 20, "b.txt: not a record"]}},
        "big": {"chunks": 12000, "latency": _latency(100.0, 180.0), "corpus_chunks": 15000,
                "partial": {"chunks_without_cached_vector": 3000, "files_used": 900, "chunks_used": 12000}},
        "whole": {"chunks": 20000, "pipeline_build_s": 3.0, "latency": _latency(120.0, 200.0), "corpus_chunks": 20000,
                  "reingest": {"seconds": 45.0, "embedded": 0}, "build": {"seconds": 1500.0, "embedded": 20000},
                  "proxy": {"chunks_real_vectors": 15000, "chunks_placeholder_vectors": 5000}},
    }
    return {
        "gaps": ["serve failed: RuntimeError: boom"],
        "meta": {"date": "2026-12-01 12:00:00 UTC", "command": ".venv/bin/python bench/run.py", "smoke": True,
                 "machine": {"nproc": 2, "cpu": "x86", "ram_gb": 8, "python": "3.11", "os": "Linux", "loadavg_at_start": 5.0},
                 "cache": {"vectors_after": 1234}, "omp_threads": 1, "embedder": "use",
                 "reused": {"sections": ["resume", "serve"], "date": "2026-11-30", "command": "bench/run.py --skip x"},
                 "other_processes": ["pytest -q tests/ui"]},
        "ingest_overhead": {"files": 10, "chunks": 200, "embed_s": 10.0, "embed_per_s": 20.0, "ingest_s": 10.5,
                            "ingest_per_s": 19.0, "overhead_pct": 5.0,
                            "runs": [{"embedded": 200, "embed_s": 10.0, "ingest_s": 10.5, "overhead_pct": 5.0},
                                     {"embedded": 200, "embed_s": 9.0, "ingest_s": 9.9, "overhead_pct": 10.0}],
                            "baseline": {"seconds": 7.0, "per_s_files": 28.5, "splits_per_s": 40.0, "embedded": 280}},
        "scale": scale,
        "compare": {"chunks": 500, "corpus": ["sample", "overhead"], "baseline_splits": 700,
                    "ours": _latency(60.0, 90.0), "baseline": _latency(30.0, 45.0),
                    "baseline_ingest": {"embedded": 700, "splits": 700}},
        "chroma_server": {"size": "whole", "chunks": 20000, "server_start_s": 3.2, "server_rss_mb": 400,
                          "pipeline_build_s": 2.0, "latency": _latency(130.0, 210.0)},
        "serve": {"chunks": 20000, "peak_rss_mb": 1500, "vmhwm_mb": 1200, "cold_start_s": 9.0, "asked": 5,
                  "http_ask_p50_ms": 300.0, "error": "one question timed out"},
        "ask_cold": {"cold_ask_s": 7.5},
        "resume": {"files": 8, "chunks_expected": 150, "vectors_cached_at_kill": 75, "killed": True, "rerun_embedded": 75,
                   "rerun_s": 30.0, "stored": 150, "duplicates": 0, "missing": 0, "extra": 0, "complete_files": 8,
                   "reembedded_after_kill": 0, "ok": True},
        "also": {"meta": {"omp_threads": 1, "command": "bench/run.py --omp-threads 1", "date": "2026-11-29",
                          "machine": {"loadavg_at_start": 3.0}},
                 "scale": {"whole": {"chunks": 20000, "proxy": {}, "latency": _latency(90.0, 150.0)}},
                 "chroma_server": {"size": "whole", "chunks": 20000, "latency": _latency(95.0, 160.0)},
                 "serve": {"peak_rss_mb": 1400, "cold_start_s": 8.0, "http_ask_p50_ms": 250.0},
                 "ask_cold": {"cold_ask_s": 6.0}},
    }


SECTIONS = ("## Goals", "## Ingestion vs the raw embedder", "## Scale:", "## Ours vs the LangChain",
            "## Local Chroma vs a Chroma server", "## Memory and cold starts", "## Resume after SIGKILL",
            "## The same queries with OMP_NUM_THREADS=1", "## Gaps in this run")


@pytest.fixture(scope="module")
def full_report() -> str:
    return report.markdown(full_results())


@pytest.mark.parametrize("heading", SECTIONS)
def test_report_of_a_full_run_has_every_section(full_report, heading):
    assert heading in full_report


def test_report_labels_proxy_partial_reused_and_failed_parts(full_report):
    assert "| whole (proxy†) | 20000 |" in full_report and "† **whole is a proxy index**" in full_report
    assert "**big is partial**" in full_report and "small: 2 file(s) refused at ingest" in full_report
    assert "sections resume, serve are from an earlier run" in full_report
    assert "| serve error | one question timed out |" in full_report
    assert "**Smoke run**" in full_report and "OMP_NUM_THREADS=1" in full_report


def test_goals_are_judged_only_at_a_size_large_enough():
    results = full_results()
    results["scale"] = {"small": results["scale"]["small"]}
    met = {g["goal"]: g["met"] for g in report.goals(results)}
    assert met["ask p50 < 150 ms at the largest corpus"] is None
    assert met["ingest overhead over raw embedder ≤ 10%"] is True


def test_report_of_an_empty_run_has_only_the_fixed_sections():
    md = report.markdown({})
    assert md.startswith("# Benchmarks\n")
    assert "## Limits of these figures" in md
    for heading in SECTIONS:
        assert heading not in md
