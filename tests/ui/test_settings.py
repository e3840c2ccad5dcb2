"""Settings: environment and flags override the tuning, every tuned value says where it came from,
and the composition root hands the values to the components."""

from __future__ import annotations

import pytest

from ui.settings import AnswerSettings, RetrievalSettings, Settings, load_settings, provenance


@pytest.fixture(autouse=True)
def _clean_env(monkeypatch):
    """No UNSC_* variable of the developer's shell leaks into these tests."""
    import os

    for name in list(os.environ):
        if name.startswith("UNSC_"):
            monkeypatch.delenv(name)


def test_nested_tuning_is_read_from_unsc_variables(monkeypatch):
    monkeypatch.setenv("UNSC_RETRIEVAL__RRF_K", "30")
    monkeypatch.setenv("UNSC_RETRIEVAL__TABLE_FACTOR", "0.9")
    monkeypatch.setenv("UNSC_ANSWER__MIN_COVERAGE", "0.5")
    monkeypatch.setenv("UNSC_K", "7")
    s = load_settings()
    assert (s.retrieval.rrf_k, s.retrieval.table_factor, s.answer.min_coverage, s.k) == (30, 0.9, 0.5, 7)
    assert s.retrieval.candidates == RetrievalSettings().candidates, "unset values keep their defaults"


def test_flags_override_the_environment_value_by_value(monkeypatch):
    monkeypatch.setenv("UNSC_RETRIEVAL__RRF_K", "30")
    monkeypatch.setenv("UNSC_RETRIEVAL__CANDIDATES", "70")
    monkeypatch.setenv("UNSC_K", "7")
    s = load_settings(k=3, retrieval={"rrf_k": 40}, llm=None)
    assert s.k == 3
    assert s.retrieval.rrf_k == 40, "the flag wins"
    assert s.retrieval.candidates == 70, "a nested flag changes only its own value"


def test_every_tuned_value_records_its_provenance():
    found = provenance(Settings())
    for section, model in (("retrieval", RetrievalSettings), ("answer", AnswerSettings)):
        for name in model.model_fields:
            assert found.get(f"{section}.{name}", "").strip(), f"{section}.{name} has no provenance"


def test_defaults_are_the_components_own_defaults():
    """The golden ranking (tests/rag/test_ranking_golden.py) holds whether a retriever is built by the app or directly."""
    from rag import extractive
    from rag.pipeline import RETRIEVED_SHOWN
    from rag.retrieve import HybridRetriever

    for name, value in RetrievalSettings().retriever_kwargs().items():
        assert HybridRetriever.model_fields[name].default == value, name
    assert AnswerSettings().abstain_threshold == extractive.DEFAULT_ABSTAIN_THRESHOLD
    assert AnswerSettings().min_coverage == extractive.MIN_COVERAGE
    assert RetrievalSettings().max_k == RETRIEVED_SHOWN


def test_k_above_the_one_limit_is_refused_with_a_message(monkeypatch):
    with pytest.raises(ValueError, match="at most retrieval.max_k"):
        load_settings(k=11)
    assert load_settings(k=15, retrieval={"max_k": 20}).k == 15, "raising the limit is one setting"
    monkeypatch.setenv("UNSC_K", "50")
    with pytest.raises(ValueError):
        load_settings()


def test_an_unknown_tuning_name_is_refused_not_ignored():
    with pytest.raises(ValueError):
        load_settings(retrieval={"rrf": 30})


def test_the_composition_root_passes_the_tuning_to_the_retriever_answerer_and_pipeline(monkeypatch):
    import rag.pipeline
    from ui import app

    monkeypatch.setenv("UNSC_RETRIEVAL__UNNAMED_FACTOR", "0.5")
    s = load_settings(retrieval={"rrf_k": 30, "max_k": 12}, answer={"abstain_threshold": 0.3, "min_coverage": 0.45}, llm=None)
    class Empty:  # the store protocol (rag.retrieve.DenseIndex), holding nothing
        def all_chunks(self):
            return []

        def dense_search(self, query, k, filters=None):
            return []

        def generation(self):
            return "0"

    retriever = app.make_retriever(s, store=Empty())
    assert (retriever.rrf_k, retriever.unnamed_factor, retriever.weights().rrf_k) == (30, 0.5, 30)
    answerer = app.make_answerer(s)
    assert (answerer.abstain_threshold, answerer.min_coverage) == (0.3, 0.45)

    fake = type("R", (), {"refresh": lambda self: None, "lexicon": lambda self: None,
                          "topic_vocabulary": lambda self: [], "warm": lambda self: None})
    monkeypatch.setattr(app, "make_retriever", lambda settings, store: fake())
    pipeline = app.build_pipeline(s, store=Empty())
    assert isinstance(pipeline, rag.pipeline.AskPipeline) and pipeline.shown == 12
