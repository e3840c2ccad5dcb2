"""The composition root: settings in, the app's parts out (embedder → store → retriever → answerer → pipeline).

The only place that turns `Settings` into objects (the ranking and answer tuning included: the
components' own defaults are the same values, but a setting changed by `UNSC_*` or a flag reaches
them only through here), in the spirit of PrivateGPT's swappable
components: an embedder, a vector store location or an LLM is a setting, never a code change.
Heavy modules are imported here, inside the functions, so commands that need none stay fast.
"""

from __future__ import annotations

from pathlib import Path

from ui.settings import Settings


def make_embedder(settings: Settings, spec: str | None = None):
    from vectorstore.embeddings import make_embeddings

    return make_embeddings(spec or settings.embedder, cache_dir=Path(settings.store), device=settings.device,
                           batch=settings.embed_batch)


def embedder_spec(settings: Settings, *, rebuild: bool = False) -> str:
    """The embedder to open the index with.

    An embedder the user chose (`UNSC_EMBEDDER`, or a flag) is always used, and an index built
    with another one is refused with a message saying to rebuild. Without a choice, an existing
    index is opened with the embedder it records, so a new default never breaks an index built
    under the old one; a new (or `--rebuild`) index gets the default.
    """
    if "embedder" in settings.model_fields_set or rebuild:
        return settings.embedder
    from vectorstore.embeddings import spec_of
    from vectorstore.store import ChunkStore

    try:
        recorded = ChunkStore.recorded_embedder(Path(settings.store), settings.collection, settings.chroma_url)
    except Exception:  # noqa: BLE001 - opening proper reports an unusable store with its own message
        recorded = None
    return spec_of(recorded) if recorded else settings.embedder


def open_store(settings: Settings, *, rebuild: bool = False):
    """The chunk store the settings name (local directory, or the Chroma server at `chroma_url`)."""
    from vectorstore.store import ChunkStore

    return ChunkStore.open(
        Path(settings.store),
        make_embedder(settings, embedder_spec(settings, rebuild=rebuild)),
        collection=settings.collection,
        chroma_url=settings.chroma_url,
        rebuild=rebuild,
    )


def make_retriever(settings: Settings, store):
    from rag.retrieve import HybridRetriever

    return HybridRetriever(store=store, cache_dir=Path(settings.store) / "lexical", max_chars=settings.max_question_chars,
                           k=settings.retrieval.max_k, **settings.retrieval.retriever_kwargs())


def make_answerer(settings: Settings):
    from rag.answer import Answerer

    return Answerer(llm=settings.llm, k=settings.k, temperature=settings.llm_temperature, max_tokens=settings.llm_max_tokens,
                    abstain_threshold=settings.answer.abstain_threshold, min_coverage=settings.answer.min_coverage)


def build_pipeline(settings: Settings, store=None):
    """The warm pipeline: models loaded, the lexical index built, the zh↔en lexicon learned (or
    read from its cache), the topic vocabulary named and the addressed acts indexed once, here, not
    in the first question's answer time."""
    from rag.pipeline import AskPipeline

    store = store or open_store(settings)
    retriever = make_retriever(settings, store)
    retriever.warm()  # index, lexicon, topic names checked against the aligned passages, addressed acts
    return AskPipeline(retriever, make_answerer(settings), k=settings.k, max_question_chars=settings.max_question_chars,
                       shown=settings.retrieval.max_k)
