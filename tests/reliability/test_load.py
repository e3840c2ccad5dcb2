"""The 16-user load test (bench/load_test.py), CI-sized: 16 users × 1 question against ONE `unsc serve`.

The full run (16 × 4, figures in docs/reliability.md): `.venv/bin/python bench/load_test.py --store DIR`.
"""

from __future__ import annotations

import importlib.util
import sys

import pytest

from tests.reliability.conftest import ROOT

from tests.rag.test_dev_set import KNOWN_MISSES

pytestmark = pytest.mark.slow


def _load_test_module():
    spec = importlib.util.spec_from_file_location("load_test", ROOT / "bench" / "load_test.py")
    mod = importlib.util.module_from_spec(spec)
    sys.modules["load_test"] = mod  # dataclasses look their module up while the class is created
    spec.loader.exec_module(mod)
    return mod


def test_16_concurrent_users_all_answered_correctly_and_cited(rel_server):
    lt = _load_test_module()
    # Under load every answer must be what the question gets alone: known misses are not load failures.
    items = [i for i in lt.load_items([lt.DEV, lt.OWN]) if i.id not in KNOWN_MISSES]
    res = lt.run_load(rel_server, items, users=16, per_user=1, timeout=600)
    s = res.summary()
    print(f"\n[load] {s}")
    assert s["requests"] == 16 and s["errors"] == 0, [(r.item, r.problem) for r in res.errors]
    assert len({r.item for r in res.requests}) == 16  # different questions
    assert {r.lang for r in res.requests} == {"zh", "en"}
