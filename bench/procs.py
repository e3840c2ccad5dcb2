"""Benchmarks that start processes: `unsc serve` (cold start, peak RSS), `unsc ask` cold start, a Chroma server."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import threading
import time
from pathlib import Path

from common import CHROMA, UNSC, log, median


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_http(url: str, proc: subprocess.Popen, timeout: float) -> bool:
    import httpx

    t0 = time.perf_counter()
    while time.perf_counter() - t0 < timeout:
        if proc.poll() is not None:
            return False
        try:
            if httpx.get(url, timeout=2).status_code == 200:
                return True
        except httpx.HTTPError:
            pass
        time.sleep(0.2)
    return False


class PeakRSS(threading.Thread):
    """Samples the RSS of a process and its children every `every` seconds; keeps the maximum."""

    def __init__(self, pid: int, every: float = 0.1):
        super().__init__(daemon=True)
        self.pid, self.every, self.peak, self._stop_evt = pid, every, 0, threading.Event()

    def run(self):
        import psutil

        try:
            p = psutil.Process(self.pid)
        except psutil.Error:
            return
        while not self._stop_evt.is_set():
            try:
                total = p.memory_info().rss + sum(c.memory_info().rss for c in p.children(recursive=True))
                self.peak = max(self.peak, total)
            except psutil.Error:
                pass
            time.sleep(self.every)

    def stop(self):
        self._stop_evt.set()
        self.join(timeout=2)


def vm_hwm(pid: int) -> int | None:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) * 1024
    except OSError:
        return None
    return None


def serve_bench(store_dir: Path, questions: list[str], timeout: float = 300) -> dict:
    """Start `unsc serve`, time until HTTP 200, ask through gradio_client, report peak RSS."""
    port = free_port()
    env = {**os.environ, "GRADIO_ANALYTICS_ENABLED": "False", "UNSC_CHROMA_URL": ""}
    env.pop("UNSC_CHROMA_URL")
    log_path = Path(store_dir).parent / f"serve-{port}.log"
    with open(log_path, "w") as logf:
        t0 = time.perf_counter()
        proc = subprocess.Popen([str(UNSC), "serve", "--store", str(store_dir), "--port", str(port)],
                                stdout=logf, stderr=subprocess.STDOUT, env=env)
    sampler = PeakRSS(proc.pid)
    sampler.start()
    url = f"http://127.0.0.1:{port}/"
    res: dict = {}
    try:
        up = wait_http(url, proc, timeout)
        res["cold_start_s"] = round(time.perf_counter() - t0, 2) if up else None
        if not up:
            res["error"] = f"serve did not answer HTTP within {timeout}s (rc {proc.poll()}); log {log_path}"
            return res
        from gradio_client import Client

        client = Client(url, verbose=False)
        lat = []
        for q in questions:
            t = time.perf_counter()
            client.predict(q, api_name="/ask")
            lat.append((time.perf_counter() - t) * 1000)
        res["asked"] = len(lat)
        res["http_ask_p50_ms"] = round(median(lat), 1) if lat else None
        time.sleep(0.5)
        hwm = vm_hwm(proc.pid)
        res["vmhwm_mb"] = round(hwm / 2**20, 1) if hwm else None
    finally:
        sampler.stop()
        res["peak_rss_mb"] = round(sampler.peak / 2**20, 1)
        proc.terminate()
        try:
            proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
    log(f"serve: {res}")
    return res


def ask_cold(store_dir: Path, question: str, repeats: int = 1) -> dict:
    """Wall time of `unsc ask` from process start to exit (models loaded, lexical index built)."""
    times, rc = [], None
    env = {k: v for k, v in os.environ.items() if k != "UNSC_CHROMA_URL"}
    for _ in range(repeats):
        t0 = time.perf_counter()
        out = subprocess.run([str(UNSC), "ask", question, "--store", str(store_dir)], capture_output=True, text=True,
                             env=env, timeout=600)
        times.append(time.perf_counter() - t0)
        rc = out.returncode
    res = {"cold_ask_s": round(median(times), 2), "runs": [round(t, 2) for t in times], "rc": rc}
    log(f"ask cold: {res}")
    return res


class ChromaServer:
    """`chroma run` on a copy of a store's chroma directory."""

    def __init__(self, chroma_dir: Path, work: Path):
        self.path = work / "chroma_server_data"
        if self.path.exists():
            shutil.rmtree(self.path)
        shutil.copytree(chroma_dir, self.path)
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.proc = None

    def __enter__(self):
        self.log = open(self.path.parent / "chroma_server.log", "w")
        t0 = time.perf_counter()
        self.proc = subprocess.Popen([str(CHROMA), "run", "--path", str(self.path), "--host", "127.0.0.1",
                                      "--port", str(self.port)], stdout=self.log, stderr=subprocess.STDOUT)
        if not wait_http(f"{self.url}/api/v2/heartbeat", self.proc, 120):
            self.__exit__()
            raise RuntimeError("chroma server did not start (see chroma_server.log)")
        self.start_s = round(time.perf_counter() - t0, 2)
        return self

    def rss_mb(self) -> float | None:
        import psutil

        try:
            p = psutil.Process(self.proc.pid)
            return round((p.memory_info().rss + sum(c.memory_info().rss for c in p.children(recursive=True))) / 2**20, 1)
        except psutil.Error:
            return None

    def __exit__(self, *exc):
        if self.proc is not None and self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        self.log.close()
