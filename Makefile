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
$(STAMP): pyproject.toml
	@test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install -q --upgrade pip
	$(PY) -m pip install -q -e '.[dev]'
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

# Gates. `make test` enforces the import-linter layers contract and pyflakes (unused and undefined
# names); `make lint` adds the rest (style, bugbear, complexity <= 15, mypy), not yet clean.
lint: install
	$(VENV)/bin/ruff check ingest rag ui vectorstore bench scripts tests
	$(VENV)/bin/mypy ingest rag ui vectorstore
	$(VENV)/bin/lint-imports

# The whole suite without compiling anything: the real-LLM tests skip (with a hint) unless the
# optional llama-cpp-python stack is installed; `make test-llm` runs them (see `make llamacpp`).
test: install system-deps
	$(VENV)/bin/lint-imports
	$(VENV)/bin/ruff check --select F ingest rag ui vectorstore bench scripts tests
	$(PY) -m pytest -q

test-llm: install llamacpp
	$(PY) -m pytest -q tests/rag/test_llm_server.py

# Benchmarks (minutes; reads the corpus in ../shared): results in docs/benchmarks.md and docs/bench_latency.png.
bench: install
	$(PY) bench/run.py --fill-missing

clean:
	rm -rf .unsc build *.egg-info
