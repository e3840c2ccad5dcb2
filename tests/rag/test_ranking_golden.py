"""Guard for the ranking: today's top-10 for every dev question must not change.

`HybridRetriever.search` was split into named steps (rag.ranking); the split is a refactoring, so
the ranking of every question of the dev sets (dev.jsonl and dev_full.jsonl, copied into the golden
file so the test needs nothing outside the repository) must stay exactly the same: same ids, same
order. The index is the bundled sample embedded with the default embedder (`use`).

A deliberate ranking change regenerates the file, and the diff shows which questions moved:
    PYTHONPATH=$PWD python tests/rag/test_ranking_golden.py /work/shared/eval/dev.jsonl /work/shared/eval/dev_full.jsonl
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
SAMPLE = ROOT / "data" / "sample"
GOLDEN = ROOT / "tests" / "data" / "ranking_golden.jsonl"
EMBEDDER = "use"
FILTERED_LANG = "en"  # a second ranking per question under a language filter (the filtered paths)


def build_retriever(store_dir: Path):
    """The retriever exactly as the app composes it, over the sample indexed with the default embedder."""
    from ingest.parse import parse_files
    from ui.app import make_retriever, open_store
    from ui.settings import load_settings
    from vectorstore.ingest import ingest_files

    settings = load_settings(store=store_dir, chroma_url=None, embedder=EMBEDDER, llm=None)
    store = open_store(settings)
    summary = ingest_files(store, parse_files([SAMPLE]), progress=False)
    assert summary.files_failed == 0, summary.errors
    return make_retriever(settings, store)


def rankings(retriever, question: str) -> dict[str, list[str]]:
    from rag.types import SearchFilters

    return {
        "top10": [sc.chunk.id for sc in retriever.search(question, k=10)],
        "top10_filtered": [sc.chunk.id for sc in retriever.search(question, k=10, filters=SearchFilters(langs=[FILTERED_LANG]))],
    }


def _golden() -> list[dict]:
    if not GOLDEN.exists():  # only while the file is being written
        return []
    return [json.loads(line) for line in GOLDEN.read_text(encoding="utf-8").splitlines() if line.strip()]


@pytest.fixture(scope="module")
def golden_retriever(tmp_path_factory):
    return build_retriever(tmp_path_factory.mktemp("golden-store"))


@pytest.mark.slow
@pytest.mark.parametrize("item", _golden(), ids=lambda it: f"{it['set']}-{it['id']}")
def test_ranking_of_every_dev_question_is_unchanged(golden_retriever, item):
    assert rankings(golden_retriever, item["question"]) == {"top10": item["top10"], "top10_filtered": item["top10_filtered"]}


def write_golden(question_files: list[Path]) -> None:
    import tempfile

    with tempfile.TemporaryDirectory() as tmp:
        retriever = build_retriever(Path(tmp))
        lines = []
        for path in question_files:
            for line in path.read_text(encoding="utf-8").splitlines():
                if not line.strip():
                    continue
                q = json.loads(line)
                lines.append({"set": path.stem, "id": q["id"], "question": q["question"], **rankings(retriever, q["question"])})
    GOLDEN.write_text("".join(json.dumps(x, ensure_ascii=False) + "\n" for x in lines), encoding="utf-8")
    print(f"{len(lines)} questions written to {GOLDEN}")


if __name__ == "__main__":
    write_golden([Path(p) for p in sys.argv[1:]])
