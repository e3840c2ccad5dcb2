# Quick start: `make run` (chat on the bundled sample) and `make test` (whole suite).
PYTHON ?= python3.11
VENV   := .venv
PY     := $(VENV)/bin/python
UNSC   := $(VENV)/bin/unsc
SAMPLE := data/sample
STORE  ?= .unsc/store
STAMP  := $(VENV)/.installed

.PHONY: install run test bench clean

# (Re)install when pyproject.toml changes; torch is pinned there to the CPU build on disk.
$(STAMP): pyproject.toml
	@test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install -q --upgrade pip
	$(PY) -m pip install -q -e '.[dev]'
	@touch $@

install: $(STAMP)

run: install
	$(UNSC) parse $(SAMPLE)

test: install
	$(PY) -m pytest -q

clean:
	rm -rf .unsc build *.egg-info
