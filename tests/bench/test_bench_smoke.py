"""`bench/run.py --smoke` runs end to end and writes a report with every section (no timing checks).

Marked `bench`: not part of the default `pytest` run (pyproject's addopts deselect it); run it
with `pytest -m bench tests/bench`.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.bench
@pytest.mark.slow
def test_bench_smoke(tmp_path):
    out = tmp_path / "out"
    res_json = out / "bench.json"
    proc = subprocess.run(
        [sys.executable, str(ROOT / "bench" / "run.py"), "--smoke", "--cache", str(tmp_path / "cache"),
         "--out", str(out), "--json", str(res_json)],
        capture_output=True, text=True, timeout=600, cwd=ROOT,
    )
    assert proc.returncode == 0, proc.stderr[-3000:]
    md = (out / "benchmarks.md").read_text(encoding="utf-8")
    assert (out / "bench_latency.png").stat().st_size > 0
    for heading in ("# Benchmarks", "## Ingestion vs the raw embedder", "## Scale:", "## Ours vs the LangChain",
                    "## Local Chroma vs a Chroma server", "## Memory and cold starts", "## Resume after SIGKILL",
                    "- command: `", "- machine: "):
        assert heading in md, heading
    res = json.loads(res_json.read_text(encoding="utf-8"))
    assert res["gaps"] == [], res["gaps"]
    for key in ("meta", "ingest_overhead", "compare", "scale", "chroma_server", "serve", "ask_cold", "resume"):
        assert res.get(key), key
    ov = res["ingest_overhead"]
    for key in ("embed_s", "ingest_s", "overhead_pct", "chunks", "baseline"):
        assert key in ov, key
    assert ov["runs"][0]["embedded"] == ov["chunks"]
    sample = res["scale"]["sample"]
    assert sample["reingest"]["embedded"] == 0
    for key in ("p50_ms", "p95_ms", "dev", "paragraphs"):
        assert key in sample["latency"], key
        assert key in res["compare"]["baseline"], key
    assert res["resume"]["ok"], res["resume"]
    assert res["resume"]["duplicates"] == 0 and res["resume"]["missing"] == 0
    for key in ("peak_rss_mb", "cold_start_s"):
        assert res["serve"].get(key) is not None, key
