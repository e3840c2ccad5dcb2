"""Run llama.cpp's own OpenAI-compatible server (xllamacpp's prebuilt CPU wheel) until stdin closes.

Usage: python xllamacpp_serve.py MODEL.gguf PORT N_CTX THREADS ALIAS

A separate process, not a thread of the test run: the tests then talk to a server over HTTP exactly
as the app talks to Ollama or llama-server, and a crash of the native code cannot take pytest down.
Greedy sampling by default so the replies do not vary from run to run. Prints `LISTENING <url>`
once the model is loaded; the parent closes our stdin (or terminates us) to stop it.
"""

from __future__ import annotations

import os
import sys

# llama.cpp's OpenMP threads spin while they wait; on 2 shared cores that makes generation ~10x
# slower. Must be set before the native library is loaded.
os.environ.setdefault("OMP_WAIT_POLICY", "PASSIVE")

import xllamacpp as xlc  # noqa: E402


def main(model: str, port: int, n_ctx: int, threads: int, alias: str) -> None:
    params = xlc.CommonParams()
    params.model.path = model
    params.n_ctx = n_ctx
    params.n_parallel = 1
    params.cpuparams.n_threads = threads
    params.cpuparams_batch.n_threads = threads
    params.port = port
    params.hostnames = ["127.0.0.1"]
    params.model_alias = {alias}
    params.sampling.temp = 0.0
    params.sampling.top_k = 1
    server = xlc.Server(params)
    print("LISTENING", server.listening_address, flush=True)
    sys.stdin.read()  # until the parent closes the pipe
    del server


if __name__ == "__main__":
    model, port, n_ctx, threads, alias = sys.argv[1:6]
    main(model, int(port), int(n_ctx), int(threads), alias)
