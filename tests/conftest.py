"""Session-wide fixtures: the bundled sample indexed once with the real default embedder.

Embedding the sample (~140 passages) takes seconds to tens of seconds on two cores, so every
test that needs a real index shares this one. `UNSC_TEST_CACHE` may point at a directory whose
`embeddings.sqlite` seeds the index's embedding cache (developers' machines); CI builds it cold.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from index_cache import copy_embedding_cache

ROOT = Path(__file__).resolve().parents[1]
SAMPLE = ROOT / "data" / "sample"
DEV_SET = ROOT.parent / "shared" / "eval" / "dev.jsonl"


@pytest.fixture(scope="session")
def sample_store(tmp_path_factory) -> Path:
    """Directory of an index built from `data/sample` with the default settings."""
    from ingest.parse import parse_files
    from ui.app import open_store
    from ui.settings import load_settings
    from vectorstore.ingest import ingest_files

    store_dir = tmp_path_factory.mktemp("sample-store")
    seed = os.environ.get("UNSC_TEST_CACHE")
    if seed:
        copy_embedding_cache(Path(seed), store_dir)
    settings = load_settings(store=store_dir, chroma_url=None, llm=None)
    store = open_store(settings)
    summary = ingest_files(store, parse_files([SAMPLE]), progress=False)
    assert summary.files_failed == 0, summary.errors
    return store_dir


@pytest.fixture(scope="session")
def sample_pipeline(sample_store):
    """The warm extractive pipeline over the sample, exactly as `unsc ask` builds it."""
    from ui.app import build_pipeline
    from ui.settings import load_settings

    return build_pipeline(load_settings(store=sample_store, chroma_url=None, llm=None))


@pytest.fixture(scope="session")
def dev_items():
    from rag.evaluate import load_items

    if not DEV_SET.exists():
        pytest.skip(f"dev set not found at {DEV_SET}")
    return load_items(DEV_SET)


# Fixtures that build a real index (embedding the sample, starting a server): any test using one,
# directly or through another fixture, is slow whatever its own markers say, so `-m "not slow"`
# really is the fast selection.
_SLOW_FIXTURES = {"sample_store", "sample_pipeline", "ui_server", "rel_server", "client", "tiny_seed", "llama_server"}


def pytest_collection_modifyitems(config, items):
    for item in items:
        if _SLOW_FIXTURES.intersection(getattr(item, "fixturenames", ())):
            item.add_marker(pytest.mark.slow)
